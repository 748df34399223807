"""The SVG diagrams: their text alternative says what they show, and they read in light and dark themes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from ivig_content.diagrams import bar_chart, how_ivig_works

SVG = "{http://www.w3.org/2000/svg}"
DIAGRAMS = {
    "how IVIG works": how_ivig_works(),
    "bar chart": bar_chart(["Autoimmune <b>", "Infectious"], [3, 1.5], "Uses per group", unit="uses"),
}


@pytest.mark.parametrize("diagram", DIAGRAMS.values(), ids=DIAGRAMS.keys())
def test_text_on_the_pictures_own_background_follows_the_theme(diagram):
    root = ET.fromstring(diagram.svg)
    assert root.get("style").startswith("color:var(--jp-ui-font-color0,#111827);")
    background = root.find(f"{SVG}rect")
    assert background.get("style") == "fill:var(--jp-layout-color0,#ffffff)" and background.get("width") == "100%"
    boxes = [(float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
             for r in root.iter(f"{SVG}rect") if r.get("rx")]  # the pale boxes
    for text in root.iter(f"{SVG}text"):
        x, y = float(text.get("x")), float(text.get("y"))
        inside = any(bx <= x <= bx + bw and by <= y <= by + bh for bx, by, bw, bh in boxes)
        fill = re.search(r"fill:([^;]+)", text.get("style")).group(1)
        # dark on a pale box, or the theme's own text colour on the theme's background: never a fixed dark colour
        # on whatever background the notebook has
        assert fill == ("#111827" if inside else "currentColor"), (text.text, fill)
    for line in root.iter(f"{SVG}line"):
        assert line.get("stroke") == "currentColor"


def test_the_bar_charts_text_alternative_lists_every_value_and_escapes_labels():
    chart = DIAGRAMS["bar chart"]
    assert chart.alt == "Autoimmune <b>: 3 uses; Infectious: 1.5 uses."
    assert "Autoimmune &lt;b&gt;" in chart.svg and "<b>" not in chart.svg
    with pytest.raises(ValueError, match="one value per label"):
        bar_chart(["a"], [1, 2], "t")


def test_jupyterlab_gets_the_svg_inline_with_its_text_alternative_and_unique_ids():
    bundle = DIAGRAMS["how IVIG works"]._repr_mimebundle_()
    assert bundle["text/html"] == f'<figure style="margin:0">{DIAGRAMS["how IVIG works"].svg}</figure>'
    assert bundle["image/svg+xml"] == DIAGRAMS["how IVIG works"].svg
    ids = [re.search(r'<title id="([^"]+)"', d.svg).group(1) for d in DIAGRAMS.values()]
    assert ids == ["ivig-how-ivig-is-made-and-how-it-works-title", "ivig-uses-per-group-title"]
    root = ET.fromstring(DIAGRAMS["bar chart"].svg)
    assert root.get("aria-labelledby") == "ivig-uses-per-group-title ivig-uses-per-group-desc"


def test_control_characters_from_learners_files_never_make_the_svg_invalid():
    chart = bar_chart(["Topic\x01\x0c", "Other"], [1, 2], "Title\x1b[31m")
    root = ET.fromstring(chart.svg)  # XML forbids these characters: they are shown as \ufffd
    assert [text.text for text in root.iter(f"{SVG}text")][0] == "Topic\ufffd\ufffd"
    assert "\x01" not in chart.svg and "\x1b" not in chart.svg
