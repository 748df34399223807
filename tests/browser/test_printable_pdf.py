"""Printable documents in the real renderer: the PDFs that ``--format pdf`` prints with headless Chromium (read back
with pypdf), and the HTML pages on a phone, in the dark and as printed.

Like every browser test, these fail in CI when Chromium is missing (the ``chromium`` fixture)."""

from __future__ import annotations

import io
import re
import time
import unicodedata
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from ivig_content import banks
from ivig_content.__main__ import main
from ivig_content.diagrams import how_ivig_works
from ivig_content.quiz import QuizSession

from ..conftest import REPO, single_question
from .layout import serious_violations

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
A4 = (595, 842)  # points, rounded
LETTER_LANDSCAPE = (792, 612)
# (command line, file) for each document; the PDFs' page counts must stay in these ranges
DOCUMENTS = {
    "answer-key": (["answer-key"], "answer-key"),
    "review-sheet": (["review-sheet", "--paper", "letter"], "review-sheet"),
    "handout": (["handout"], "handout"),
}
# measured: 34, 70 (landscape), 24 and 1 pages
PAGES = {"answer-key": range(20, 50), "review-sheet": range(40, 100), "handout": range(15, 40), "class-summary": range(1, 3)}


@pytest.fixture(scope="module")
def printed(tmp_path_factory, chromium: str) -> dict[str, Path]:
    """Each document as PDF and HTML, made by the commands an instructor types (with this Chromium)."""
    folder = tmp_path_factory.mktemp("printed")
    session = QuizSession([single_question()], seed=1)
    session.answer("route", "A")
    results = session.save(folder / "ann.csv", learner="Ann")
    made: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IVIG_CHROMIUM", chromium)
        for name, (command, stem) in DOCUMENTS.items():
            for form in ("pdf", "html"):
                out = folder / f"{stem}.{form}"
                started = time.monotonic()
                assert main([*command, "--format", form, "--out", str(out)]) == 0
                print(f"{name} {form}: {out.stat().st_size} bytes in {time.monotonic() - started:.1f} s")
                made[f"{name}.{form}"] = out
        for form in ("pdf", "html"):
            assert main(["class-summary", str(results), "--out", str(folder / f"summary-{form}"), "--format", form]) == 0
            made[f"class-summary.{form}"] = folder / f"summary-{form}" / f"class-summary.{form}"
    return made


def pages_text(path: Path) -> list[str]:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    # NFKC: a ligature ("\ufb01") that a font may still draw reads as its letters
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def squeezed(text: str) -> str:
    """Text without white space: a long id that wraps in a narrow table cell is still found."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", ["answer-key", "review-sheet", "handout", "class-summary"])
def test_each_pdf_has_pages_in_range_and_the_disclaimer_first(printed, name: str):
    pages = pages_text(printed[f"{name}.pdf"])
    assert len(pages) in PAGES[name], len(pages)
    assert "only be used under the guidance of a healthcare provider" in " ".join(pages[0].split())


@pytest.mark.parametrize("name", ["answer-key", "review-sheet"])
def test_the_pdf_holds_every_question_id(printed, name: str):
    text = squeezed("".join(pages_text(printed[f"{name}.pdf"])))
    missing = [question.id for question in banks.builtin_bank() if question.id not in text]
    assert missing == []


def test_the_review_sheets_sign_off_block_is_on_one_page(printed):
    pages = [" ".join(page.split()) for page in pages_text(printed["review-sheet.pdf"])]
    first, last = "I have checked every fact and question above against the cited sources.", "Signature"
    holding = [number for number, page in enumerate(pages) if first in page]
    assert len(holding) == 1
    page = pages[holding[0]]
    assert "Sign-off" in page and page.index(first) < page.index("Reviewer's name") < page.rindex(last)
    for line in ("Role and registration", "Date (YYYY-MM-DD)"):
        assert line in page


def test_the_paper_size_is_the_one_asked_for(printed):
    def size(path: Path) -> tuple[int, int]:
        box = PdfReader(path).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size(printed["answer-key.pdf"]) == A4
    assert size(printed["review-sheet.pdf"]) == LETTER_LANDSCAPE


def test_the_handout_pdf_has_each_notebook_the_diagrams_in_words_and_no_code(printed):
    pages = [" ".join(page.split()) for page in pages_text(printed["handout.pdf"])]
    text = " ".join(pages)
    for path in NOTEBOOKS:
        first = next(cell for cell in nbformat.read(path, as_version=4).cells if cell.source.startswith("# "))
        title = first.source.splitlines()[0][2:]
        starts = [number for number, page in enumerate(pages) if page.startswith(title) or f" {title} " in page[:400]]
        assert starts, title  # each notebook begins near the top of a page of its own
    assert " ".join(how_ivig_works().alt.split()) in text
    for code in ("import ", "from ivig_content", "pd.set_option"):
        assert code not in text


def test_the_pages_read_on_a_phone_in_light_and_dark_with_nothing_requested(printed, page: Page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for name in ("answer-key", "review-sheet", "handout", "class-summary"):
        page.set_viewport_size({"width": 360, "height": 740})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, media="screen")
            page.goto(printed[f"{name}.html"].as_uri())
            wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert wide <= 0, f"{name} ({scheme}): the page scrolls sideways by {wide} px at 360 px"
            size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
            assert size >= 16, f"{name}: body text {size} px on a phone"
            background = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
            assert (background == "rgb(17, 24, 39)") == (scheme == "dark"), background
            assert serious_violations(page, "body") == [], f"{name} ({scheme})"
    assert [url for url in requests if not url.startswith(("file://", "data:"))] == []


def test_as_printed_the_sign_off_is_kept_whole_and_each_major_section_starts_a_page(printed, page: Page):
    page.emulate_media(media="print")
    page.goto(printed["review-sheet.html"].as_uri())
    styles = page.evaluate("""() => [...document.querySelectorAll('main > section')].map((s) => [
        s.querySelector('h1, h2') ? s.querySelector('h1, h2').textContent : '',
        getComputedStyle(s).breakBefore, getComputedStyle(s).breakInside])""")
    assert styles[0][1] != "page"
    assert all(before == "page" for _, before, _ in styles[1:])
    assert [inside for title, _, inside in styles if title == "Sign-off"] == ["avoid"]
    color = page.evaluate("() => getComputedStyle(document.body).color")
    assert color == "rgb(0, 0, 0)"  # black on white on paper, whatever the screen's theme
