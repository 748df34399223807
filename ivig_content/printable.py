"""Printable documents: the instructors' Markdown as a standalone HTML page with print CSS, that page as a PDF,
and the lesson itself as a handout (its text, tables and the diagrams' text alternatives, without code).

- :func:`page_html` turns Markdown made by :mod:`ivig_content.instructors` (or :func:`handout_markdown`) into one
  HTML file: no script (its Content-Security-Policy allows none), no request off the machine (no external
  resource at all), the disclaimer at the top, print CSS (A4 or Letter, page breaks before major sections,
  table rows and the review sheet's sign-off block never split), readable on a 360-pixel-wide phone and in the
  dark on screen.
- :func:`pdf_from_html` prints that page to PDF with headless Chromium or Google Chrome.
- :func:`handout_markdown` reads the lesson's notebooks (:func:`lesson_notebooks`) into one Markdown document.

Why Chromium for the PDF, not WeasyPrint: Chromium is already what the browser tests drive (``make test``
installs Debian's), it is a browser many instructors have anyway (Chrome works the same), and the PDF then looks
exactly like the HTML page printed from a browser, so there is one layout to check, not two. WeasyPrint (on PyPI)
would be a run-time dependency that needs the system's Pango: present on most Linux desktops, but a separate
install on macOS (Homebrew) and Windows (GTK), and its own CSS engine, which differs from the browsers'. The
browser is called as a program (``--headless --print-to-pdf``), not through Playwright, which is only a test
dependency here; without one, ``--format pdf`` fails with one line that says how to get it (and HTML, printed
from any browser, needs nothing).

Safety: every text from a bank, a results file or the content is escaped by :func:`ivig_content.instructors.md`
before it is Markdown; the Markdown renderer here escapes raw HTML too (only ``<br>`` and ``<code>``, which the
escaped Markdown itself uses, pass), keeps only http(s) and mail links, and only ``data:`` images. As a last check,
:func:`page_html` parses what it made and raises if any tag or attribute outside a short list appears; and the
page's CSP would stop a script even then.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .content import DISCLAIMER
from .files import MAX_MESSAGE_CHARS, one_line, read_limited

__all__ = [
    "FORMATS",
    "HandoutError",
    "LAYOUTS",
    "Layout",
    "NoBrowserError",
    "PAPER_SIZES",
    "find_browser",
    "handout_markdown",
    "lesson_notebooks",
    "page_html",
    "pdf_from_html",
    "render",
]

FORMATS = ("md", "html", "pdf")
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
BROWSER_HINT = (
    "install Chromium or Google Chrome (Debian/Ubuntu: sudo apt-get install chromium) or set "
    "IVIG_CHROMIUM=/path/to/chromium; or use --format html and print that page from any browser"
)
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


class NoBrowserError(OSError):
    """No Chromium or Chrome to print a PDF with."""


class HandoutError(ValueError):
    """A lesson notebook that cannot be read, or no lesson notebooks where they were looked for."""


# --- Markdown to HTML ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """How a document is cut into pages when printed.

    ``part_level`` is the heading level (1 or 2) that starts a part; ``new_page`` starts every part after the
    first on a new page; ``keep_whole`` names the parts (by heading text) that must each print on one page, or is
    True for every part (an answer key's questions); ``landscape`` turns the paper for wide tables.
    """

    part_level: int = 2
    new_page: bool = False
    keep_whole: bool | Collection[str] = ()
    landscape: bool = False


_ALLOWED_INLINE_HTML = re.compile(r"<(br ?/?|/?code)>", re.IGNORECASE)
_WEB_LINK = re.compile(r"(https?://|mailto:)[^\s\"'<>`\\]+\Z", re.IGNORECASE)
_DATA_IMAGE = re.compile(r"data:image/(svg\+xml|png);base64,[A-Za-z0-9+/]+={0,2}\Z")


def _markdown_renderer():
    import mistune

    class _Renderer(mistune.HTMLRenderer):
        """mistune's HTML renderer with raw HTML escaped (but the ``<br>`` and ``<code>`` our escaped Markdown
        uses), links only to the web or mail, images only inline (``data:``), and table alignment as a class, so
        the page needs no inline style (its CSP allows none)."""

        def __init__(self) -> None:
            super().__init__(escape=True)

        def inline_html(self, text: str) -> str:
            found = _ALLOWED_INLINE_HTML.fullmatch(text)
            if found:
                return "<br>" if found.group(1).lower().startswith("br") else f"<{found.group(1).lower()}>"
            return html.escape(text, quote=False)

        def text(self, text: str) -> str:
            # character references ("&lt;", as md() writes "<") show as the character, escaped once
            return mistune.util.safe_entity(text)

        def block_html(self, text: str) -> str:
            return f"<p>{html.escape(text.strip(), quote=False)}</p>\n"

        def link(self, text: str, url: str, title: str | None = None) -> str:
            # A printed page cannot follow a link to another notebook or file: the link's words stay, plain.
            if _WEB_LINK.match(url):
                return f'<a href="{html.escape(url)}">{text}</a>'
            return text

        def image(self, text: str, url: str, title: str | None = None) -> str:
            alt = html.escape(html.unescape(mistune.util.striptags(text)))
            if _DATA_IMAGE.match(url):
                return f'<img src="{url}" alt="{alt}">'
            return f"[{alt}]"

        def heading(self, text: str, level: int, **attrs: object) -> str:
            return f"<h{level}>{text}</h{level}>\n"

        def block_code(self, code: str, info: str | None = None) -> str:
            return f"<pre><code>{html.escape(code, quote=False)}</code></pre>\n"

        def table(self, text: str) -> str:
            # a table wider than a phone scrolls inside its own box, which the keyboard can reach and scroll too
            return f'<div class="table" tabindex="0" role="region" aria-label="Table">\n<table>\n{text}</table>\n</div>\n'

        def table_head(self, text: str) -> str:
            return f"<thead>\n<tr>\n{text}</tr>\n</thead>\n"

        def table_body(self, text: str) -> str:
            return f"<tbody>\n{text}</tbody>\n"

        def table_row(self, text: str) -> str:
            return f"<tr>\n{text}</tr>\n"

        def table_cell(self, text: str, align: str | None = None, head: bool = False) -> str:
            tag = "th" if head else "td"
            kind = f' class="{align}"' if align in ("left", "center", "right") else ""
            return f"<{tag}{kind}>{text}</{tag}>\n"

    return mistune.create_markdown(renderer=_Renderer(), plugins=["table", "strikethrough"])


def markdown_html(text: str) -> str:
    """The HTML of ``text`` (CommonMark with tables), escaped as described in the module's docstring."""
    return str(_markdown_renderer()(text))


# What a page may hold: the tags and attributes the renderer above makes, and no other.
_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "em", "strong", "del", "code", "pre", "a", "img", "ul", "ol",
    "li", "blockquote", "hr", "div", "section", "table", "thead", "tbody", "tr", "th", "td",
}
_ATTRIBUTES = {("a", "href"), ("img", "src"), ("img", "alt"), ("ol", "start"), ("th", "class"), ("td", "class"),
               ("div", "class"), ("div", "tabindex"), ("div", "role"), ("div", "aria-label"),
               ("section", "class")}


class _MarkupCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if (tag, name) not in _ATTRIBUTES:
                self.problems.append(f"<{tag} {name}=...>")
            elif name == "href" and not _WEB_LINK.match(value or ""):
                self.problems.append(f"a link to {value!r}")
            elif name == "src" and not _DATA_IMAGE.match(value or ""):
                self.problems.append(f"an image from {value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _TAGS:
            self.problems.append(f"</{tag}>")

    def handle_comment(self, data: str) -> None:
        self.problems.append("a comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("a declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("a processing instruction")


def _check_markup(body: str) -> None:
    checker = _MarkupCheck()
    checker.feed(body)
    checker.close()
    if checker.problems:  # a bug here, never a learner's doing: their texts are escaped before this
        raise ValueError(one_line(f"the printable page would hold markup it must not: {', '.join(checker.problems[:5])}"))


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)


def _parts(body: str, layout: Layout) -> str:
    """``body`` cut into ``<section class="part">`` at each heading of the layout's level, with ``keep`` on the
    parts to print on one page. Escaped text never holds "<h", so every match is a heading the renderer made."""
    starts = [found.start() for found in _HEADING.finditer(body) if int(found.group(1)) == layout.part_level]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pieces = [body[start:end] for start, end in zip(starts, [*starts[1:], len(body)])]
    sections = []
    for piece in pieces:
        heading = _HEADING.match(piece)
        title = html.unescape(re.sub(r"<[^>]*>", "", heading.group(2))).strip() if heading else ""
        keep = layout.keep_whole is True or (bool(title) and title in layout.keep_whole)  # type: ignore[operator]
        kind = "part" + (" keep" if keep else "")
        sections.append(f'<section class="{kind}">\n{piece}</section>\n')
    return "".join(sections)


CSS = """\
:root { color-scheme: light dark; --text: #111827; --page: #ffffff; --muted: #4b5563; --rule: #9ca3af;
  --head: #f3f4f6; --note-text: #78350f; --note-page: #fef3c7; --link: #1d4ed8; }
@media screen and (prefers-color-scheme: dark) {
  :root { --text: #e5e7eb; --page: #111827; --muted: #cbd5e1; --rule: #6b7280; --head: #1f2937;
    --note-text: #fde68a; --note-page: #3b2a06; --link: #93c5fd; }
}
html { background: var(--page); color: var(--text); }
body { margin: 0 auto; max-width: 64rem; padding: 1rem; font: 16px/1.5 system-ui, -apple-system, "Segoe UI",
  Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; overflow-wrap: break-word;
  font-variant-ligatures: none; }
.disclaimer { margin: 0 0 1rem; padding: .6rem .8rem; border: 2px solid currentColor; border-radius: 4px;
  background: var(--note-page); color: var(--note-text); }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1rem 0 .5rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
a { color: var(--link); }
blockquote { margin: .5rem 0; padding: .1rem .8rem; border-left: 4px solid var(--rule); }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  font-size: .9em; }
pre { white-space: pre-wrap; overflow-wrap: break-word; padding: .5rem; border: 1px solid var(--rule);
  border-radius: 4px; font-size: .85rem; }
img { display: block; max-width: 100%; height: auto; margin: .5rem 0; background: #ffffff; }
.table { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid var(--rule); padding: .25rem .4rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td:empty { width: 4em; }
section.keep td:empty { width: 60%; height: 2.2em; }
th { background: var(--head); }
.right { text-align: right; } .center { text-align: center; }
@media screen and (max-width: 480px) {
  body { padding: .6rem; }
  h1 { font-size: 1.35rem; } h2 { font-size: 1.15rem; }
  table { font-size: .8rem; min-width: 20rem; }
}
@page { size: PAPER; margin: 14mm 13mm 16mm; }
@media print {
  html, body { background: #ffffff; color: #000000; }
  body { max-width: none; padding: 0; font-size: 10pt; line-height: 1.4; }
  a { color: inherit; text-decoration: none; }
  .disclaimer { background: none; color: #000000; }
  .table { overflow: visible; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, img, pre, blockquote, li { break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  .new-page > .part + .part { break-before: page; }
  .keep { break-inside: avoid; }
}
"""


def page_html(markdown_text: str, title: str, layout: Layout = Layout(), paper: str = "a4") -> str:
    """One standalone HTML page of ``markdown_text`` (see the module's docstring), titled ``title``, laid out
    for printing on ``paper`` ("a4" or "letter")."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper: {paper!r} is not one of {', '.join(PAPER_SIZES)}")
    body = markdown_html(markdown_text)
    _check_markup(body)
    css = CSS.replace("PAPER", PAPER_SIZES[paper] + (" landscape" if layout.landscape else ""))
    style_hash = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; script-src 'none'; style-src 'sha256-{style_hash}'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    main = '<main class="new-page">' if layout.new_page else "<main>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        f'<p class="disclaimer" role="note"><strong>Important:</strong> {html.escape(DISCLAIMER)}</p>\n'
        f"{main}\n{_parts(body, layout)}</main>\n</body>\n</html>\n"
    )


# How each document prints: the review sheet across the page (tables of up to nine columns), its major sections each
# on a new page and its sign-off on one page; an
# answer key's questions each on one page; the handout's notebooks each from a new page.
LAYOUTS = {
    "answer-key": Layout(part_level=2, keep_whole=True),
    "review-sheet": Layout(part_level=2, new_page=True, keep_whole=("Sign-off",), landscape=True),  # 9 columns
    "class-summary": Layout(part_level=2),
    "handout": Layout(part_level=1, new_page=True),
}


def render(markdown_text: str, form: str, document: str, title: str, paper: str = "a4") -> str | bytes:
    """``markdown_text`` as ``form``: "md" (itself), "html" (:func:`page_html`, laid out as ``document``, a key of
    ``LAYOUTS``) or "pdf" (that page printed by :func:`pdf_from_html`: bytes)."""
    if form == "md":
        return markdown_text
    if form not in FORMATS:
        raise ValueError(f"format: {form!r} is not one of {', '.join(FORMATS)}")
    page = page_html(markdown_text, title, LAYOUTS[document], paper)
    return pdf_from_html(page) if form == "pdf" else page


# --- HTML to PDF ----------------------------------------------------------------------------------------

_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_BROWSER_PATHS = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)
# No update checks, sync or first-run pages: the browser opens one local file and sends nothing anywhere.
_BROWSER_FLAGS = (
    "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
    "--disable-dev-shm-usage", "--no-pdf-header-footer", "--print-to-pdf-no-header",
)


def find_browser() -> str:
    """The Chromium or Chrome to print with: ``IVIG_CHROMIUM`` if set, else the first found on the PATH or in the
    usual places. Raises :class:`NoBrowserError` (one line saying how to get one) if there is none."""
    chosen = os.environ.get("IVIG_CHROMIUM")
    if chosen:
        if not Path(chosen).is_file():
            raise NoBrowserError(one_line(f"IVIG_CHROMIUM={chosen}: no such file; {BROWSER_HINT}"))
        return chosen
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for path in _BROWSER_PATHS:
        if Path(path).is_file():
            return path
    raise NoBrowserError(f"--format pdf needs Chromium or Google Chrome to print with, and none was found: {BROWSER_HINT}")


def pdf_from_html(page: str, browser: str | None = None, timeout: float = 180) -> bytes:
    """``page`` (a whole HTML document with no external resources) printed to PDF by headless Chromium.

    The page and the browser's profile live in a private temporary folder, removed afterwards. Raises
    :class:`NoBrowserError` without a browser, ``OSError`` (one line) when it fails or takes over ``timeout``
    seconds."""
    browser = browser or find_browser()
    with tempfile.TemporaryDirectory(prefix="ivig-print-") as folder:
        source = Path(folder) / "page.html"
        target = Path(folder) / "page.pdf"
        source.write_text(page, encoding="utf-8")
        command = [browser, *_BROWSER_FLAGS, f"--user-data-dir={Path(folder) / 'profile'}",
                   f"--print-to-pdf={target}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--no-sandbox")  # Chromium will not start as root with its sandbox
        command.append(source.as_uri())
        try:
            run = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                                 start_new_session=True)
        except subprocess.TimeoutExpired:
            raise OSError(f"{browser}: did not finish printing the PDF within {timeout:.0f} s") from None
        except OSError as problem:
            raise OSError(one_line(f"{browser}: could not be started ({problem.strerror or problem})")) from None
        data = target.read_bytes() if target.is_file() else b""
        if run.returncode != 0 or not data.startswith(b"%PDF"):
            said = [line for line in run.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
            detail = said[-1] if said else f"exit code {run.returncode}, no PDF written"
            raise OSError(one_line(f"{browser}: could not print the PDF ({detail})", MAX_MESSAGE_CHARS))
        return data


# --- The handout: the lesson without code ---------------------------------------------------------------


def lesson_notebooks(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """The lesson's notebooks in order (``NN-name.ipynb``) in ``folder``; by default the lesson's own (shipped in
    the wheel, or a clone's ``notebooks/``). Raises :class:`HandoutError` if there are none."""
    if folder is None:
        from .lesson import LessonError, lesson_source

        try:
            folder = lesson_source() / "notebooks"  # shipped in the wheel, or the clone's own
        except LessonError as problem:
            raise HandoutError(one_line(f"{problem}; or give the notebooks' folder with --notebooks FOLDER")) from None
        hint = "; give the folder of the lesson's notebooks with --notebooks FOLDER"
    else:
        folder, hint = Path(folder), ""
    if not folder.is_dir():
        raise HandoutError(one_line(f"{folder}: no such folder{hint or '; give the folder of the lesson notebooks'}"))
    paths = sorted(path for path in folder.glob("[0-9][0-9]-*.ipynb") if path.is_file())
    if not paths:
        raise HandoutError(one_line(f"{folder}: holds no lesson notebooks (00-start-here.ipynb, ...){hint}"))
    return paths


SKIPPED_TAGS = frozenset({"notebook-navigation", "not-in-app"})  # links to other notebooks; code-only asides
WIDGET_NAMES = {"ConditionExplorer": "the condition explorer", "QuizWidget": "a quiz"}
_FENCED_CODE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^ {0,3}(?P=fence)[`~]*[ \t]*$\n?",
                          re.MULTILINE | re.DOTALL)
_DETAILS = re.compile(r"<details\b.*?</details>[ \t]*\n?", re.DOTALL | re.IGNORECASE)
_WIDGET = "application/vnd.jupyter.widget-view+json"


def handout_markdown(paths: Sequence[str | os.PathLike[str]] | None = None, pictures: bool = False) -> str:
    """The lesson as one Markdown document, for print: each notebook's Markdown cells (without code blocks or
    fold-out solutions), and of its code cells' stored outputs only the tables (pandas' HTML, or plain text of
    several lines), the Markdown they show, printed text, and each diagram's title and text alternative
    (``pictures``: the diagram itself too, inline). Cells tagged ``notebook-navigation`` or ``not-in-app`` are
    left out, and so is all code.

    ``paths`` are the notebooks, in order (default: :func:`lesson_notebooks`). Raises :class:`HandoutError`
    naming a file that is not a readable notebook."""
    from .instructors import md

    paths = [Path(path) for path in (lesson_notebooks() if paths is None else paths)]
    names = ", ".join(path.name for path in paths)
    lines = [
        "# The IVIG lesson: handout",
        "",
        md(DISCLAIMER),
        "",
        f"The lesson's {len(paths)} notebooks as text and tables, without the code: {md(names)}. The interactive "
        "parts (the condition explorer, the quiz) run in the notebooks.",
        "",
    ]
    for path in paths:
        lines += _notebook_markdown(path, pictures)
    return "\n".join(lines).rstrip("\n") + "\n"


def _read_notebook(path: Path):
    import nbformat

    data = read_limited(path, MAX_NOTEBOOK_BYTES, HandoutError, "notebook")
    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as problem:  # noqa: BLE001 - JSON, Unicode or notebook-format errors all mean one thing here
        raise HandoutError(one_line(f"{path}: is not a readable notebook ({type(problem).__name__}: {problem})"))


def _notebook_markdown(path: Path, pictures: bool) -> list[str]:
    from .instructors import md

    notebook = _read_notebook(path)
    lines: list[str] = []
    for cell in notebook.cells:
        if SKIPPED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            text = _FENCED_CODE.sub("", _DETAILS.sub("", cell.source)).strip()
            if text:
                lines += [text, ""]
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                lines += _output_markdown(output, pictures)
    if not any(line.startswith("# ") for line in lines):  # each notebook starts a part of its own
        lines[:0] = [f"# {md(path.stem)}", ""]
    return lines


def _text_of(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_markdown(output, pictures: bool) -> list[str]:
    from .instructors import md

    if output.get("output_type") == "stream":
        text = _text_of(output.get("text", "")).strip("\n")
        return _preformatted(text) if output.get("name") == "stdout" and text.strip() else []
    data = output.get("data", {})
    if _WIDGET in data:
        shown = _text_of(data.get("text/plain", ""))
        what = next((words for name, words in WIDGET_NAMES.items() if shown.startswith(name + "(")),
                    "an interactive part")
        return [f"*In the notebook: {md(what)}, to use there.*", ""]
    if "image/svg+xml" in data:
        svg = _text_of(data["image/svg+xml"])
        title, description = _svg_text(svg)
        if not (title or description):
            title = _text_of(data.get("text/plain", "")).strip()
        lines = []
        if pictures:
            encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            lines += [f"![{md(title)}](data:image/svg+xml;base64,{encoded})", ""]
        lines += [f"*Diagram: {md(title)}.* {md(description)}".rstrip(), ""]
        return lines
    if "text/html" in data:
        tables = _html_tables(_text_of(data["text/html"]))
        if tables:
            return [line for table in tables for line in [*_table_markdown(table), ""]]
    if "text/markdown" in data:
        return [_text_of(data["text/markdown"]).strip(), ""]
    if "text/plain" in data and output.get("output_type") in ("execute_result", "display_data"):
        text = _text_of(data["text/plain"]).strip("\n")
        if text.count("\n") >= 1:  # a table (or a pandas Series) printed as text; one line is a Python value
            return _preformatted(text)
    return []


def _preformatted(text: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, text, fence, ""]


class _SvgText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = {"title": [], "desc": []}
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.texts and not self.texts[tag]:
            self._inside = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.texts[self._inside].append(data)


def _svg_text(svg: str) -> tuple[str, str]:
    """The first ``<title>`` and ``<desc>`` of an SVG: its text alternative."""
    reader = _SvgText()
    reader.feed(svg)
    reader.close()
    return tuple(" ".join("".join(reader.texts[tag]).split()) for tag in ("title", "desc"))  # type: ignore[return-value]


class _TableReader(HTMLParser):
    """The cells' text of every ``<table>`` in some HTML (a pandas DataFrame's display), as header rows and body
    rows. Nothing of the HTML is kept but its text, which is escaped again when written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[list[str]], list[list[str]]]] = []
        self._in_head = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._hidden = 0  # inside <script> or <style>: not text anyone sees

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            head, body = self.tables[-1]
            (head if self._in_head else body).append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def _html_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each table's column names (header rows joined) and body rows."""
    reader = _TableReader()
    reader.feed(text)
    reader.close()
    tables = []
    for head, body in reader.tables:
        if not body:
            continue
        if not head:
            head, body = [body[0]], body[1:]
        width = max(len(row) for row in [*head, *body])
        columns = [" ".join(row[i] for row in head if i < len(row) and row[i]) for i in range(width)]
        tables.append((columns, [row + [""] * (width - len(row)) for row in body]))
    return tables


def _table_markdown(table: tuple[list[str], list[list[str]]]) -> list[str]:
    from .instructors import md

    columns, rows = table
    return [
        "| " + " | ".join(md(name) for name in columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows),
    ]
