"""Diagrams and charts drawn as SVG by this package: no plotting library, no pictures from the internet.

Each is a :class:`Diagram`: Jupyter shows its picture (``_repr_svg_``), and its plain-text form is its text
alternative, which says in words what the picture shows. Both are built from data only, so they are the same
on every run (nbval compares them).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .files import write_text_file

__all__ = ["Diagram", "bar_chart", "how_ivig_works"]

# Text inside the pale boxes is always dark on pale. Text and lines on the picture's own background take the
# theme's colours (JupyterLab's variables when the SVG is drawn inline, light fallbacks when it is shown as an
# image), so they read in JupyterLab Light and Dark alike.
_FONT = "font-family:sans-serif;font-size:13px;fill:#111827"
_FREE_FONT = "font-family:sans-serif;font-size:13px;fill:currentColor"
_THEMED = "color:var(--jp-ui-font-color0,#111827)"
_BACKGROUND = "fill:var(--jp-layout-color0,#ffffff)"


@dataclass(frozen=True, slots=True)
class Diagram:
    """An SVG picture with its text alternative."""

    title: str
    alt: str
    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:  # noqa: ANN001 - IPython's signature
        # JupyterLab draws image/svg+xml as an <img>: no text alternative, and no theme colours inside it. The same
        # SVG inline in HTML (preferred when present) is read by screen readers (role="img", <title>, <desc>) and
        # takes JupyterLab's light or dark colours. The plain SVG stays for places that show only images.
        return {"text/html": f'<figure style="margin:0">{self.svg}</figure>', "image/svg+xml": self.svg,
                "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"{self.title}. {self.alt}"

    def save(self, path: str | os.PathLike[str], overwrite: bool = True) -> Path:
        """Write the SVG to ``path``, whole or not at all (see :func:`ivig_content.files.write_text_file`)."""
        return write_text_file(Path(path), self.svg, overwrite=overwrite)


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(text: str) -> str:
    """Text for SVG: escaped, and without the control characters XML forbids (they would make the file invalid)."""
    return html.escape(_NOT_IN_XML.sub("\ufffd", text))


def _svg(width: int, height: int, title: str, alt: str, body: str) -> str:
    # <title> and <desc> carry the text alternative for screen readers; role="img" makes it one picture. Their ids
    # come from the title, so two diagrams inline on one page never share one. The width scales down on a phone.
    key = "ivig-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "diagram")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{key}-title {key}-desc" style="{_THEMED};max-width:100%;height:auto">'
        f'<title id="{key}-title">{_text(title)}</title><desc id="{key}-desc">{_text(alt)}</desc>'
        f'<rect width="100%" height="100%" style="{_BACKGROUND}"/>{body}</svg>'
    )


def _box(x: int, y: int, width: int, lines: Sequence[str], fill: str) -> str:
    height = 22 + 16 * len(lines)
    text = "".join(
        f'<text x="{x + width // 2}" y="{y + 24 + 16 * i}" text-anchor="middle" style="{_FONT}">'
        f"{html.escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="8" fill="{fill}" stroke="currentColor"/>{text}'


def _arrow(x1: int, y1: int, x2: int, y2: int) -> str:
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="currentColor" stroke-width="2" '
        'marker-end="url(#arrow)"/>'
    )


def how_ivig_works() -> Diagram:
    """From donors to patient: donor plasma, pooled antibodies, an infusion, then the two ways IVIG works."""
    title = "How IVIG is made and how it works"
    alt = (
        "A flow diagram in four steps. Plasma from thousands of screened, healthy donors is pooled and purified "
        "into IVIG, which is mostly IgG antibodies. IVIG is given as an intravenous infusion, into a vein. "
        "It then works in two ways: it boosts immunity with a concentrated dose of antibodies, and it "
        "normalises an overactive or underactive immune response."
    )
    marker = (
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor"/></marker></defs>'
    )
    body = (
        marker
        + _box(10, 40, 150, ["Donor plasma", "thousands of screened,", "healthy donors"], "#fef3c7")
        + _arrow(160, 75, 195, 75)
        + _box(200, 40, 150, ["Pooled antibodies", "purified: IVIG,", "mostly IgG"], "#dbeafe")
        + _arrow(350, 75, 385, 75)
        + _box(390, 40, 150, ["Infusion", "into a vein", "(intravenous)"], "#dcfce7")
        + _arrow(540, 65, 580, 30)
        + _arrow(540, 90, 580, 125)
        + _box(585, 5, 190, ["Boosts immunity", "concentrated antibodies"], "#ede9fe")
        + _box(585, 100, 190, ["Normalises the", "immune response"], "#ede9fe")
    )
    return Diagram(title, alt, _svg(785, 160, title, alt, body))


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, *, unit: str = "",
              maximum: float | None = None) -> Diagram:
    """A horizontal bar chart; its text alternative lists every label with its value."""
    if len(labels) != len(values):
        raise ValueError("a bar chart needs one value per label")
    maximum = maximum if maximum is not None else max(values, default=0) or 1
    suffix = unit if unit == "%" else (f" {unit}" if unit else "")
    alt = "; ".join(f"{label}: {_number(value)}{suffix}" for label, value in zip(labels, values)) + "."
    label_width, bar_width, row = 260, 300, 28
    rows = []
    for index, (label, value) in enumerate(zip(labels, values)):
        y = 10 + index * row
        width = round(bar_width * value / maximum) if maximum else 0
        rows.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" style="{_FREE_FONT}">{_text(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="18" fill="#1d4ed8"/>'
            f'<text x="{label_width + width + 6}" y="{y + 17}" style="{_FREE_FONT}">{_number(value)}{_text(suffix)}</text>'
        )
    height = 20 + row * len(labels)
    return Diagram(title, alt, _svg(label_width + bar_width + 80, height, title, alt, "".join(rows)))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
