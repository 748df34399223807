"""Printable documents without a browser: the HTML page (well-formed, escaped, no script, the disclaimer, print
CSS), the handout's Markdown (every heading, no code, the diagrams in words), and the commands' --format.

The PDFs themselves are made by Chromium: tests/browser/test_printable_pdf.py."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

import ivig_content
from ivig_content import banks
from ivig_content.__main__ import main
from ivig_content.instructors import answer_key_markdown, class_summary, md, review_sheet_markdown
from ivig_content.printable import (
    LAYOUTS,
    HandoutError,
    Layout,
    NoBrowserError,
    find_browser,
    handout_markdown,
    lesson_notebooks,
    page_html,
)
from ivig_content.quiz import QuizSession
from ivig_content.records import Choice, Question

from .conftest import REPO, single_question

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
VOID = {"meta", "br", "img", "hr"}

# Texts that would be markup, a link, a script or a broken table if they were not escaped.
NASTY = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "](",
    "![p](https://example.org/p.png)",
    "<img src=x onerror=alert(1)>",
    "`code` and ``more``",
    "line one\rline two\r\nthree\u2028four",
    "a | b || c",
    "*em* _em_ **strong** ~~gone~~",
    "&lt;script&gt; &amp; &#60;b&#62;",
    "javascript&#58;alert(1) <https://example.org> www.example.org x@example.org",
    "# not a heading",
    "- not a list",
    "<!-- comment --> <![CDATA[x]]> <?pi?>",
    '"quotes" \'and\' \\backslash\\',
]


class _Page(HTMLParser):
    """Tags, attributes and text of a page; fails on a tag closed out of order or left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.problems: list[str] = []
        self.in_style = False
        self.style = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.text.append("\n")
        if tag not in VOID:
            self.stack.append(tag)
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"</{tag}> out of order")
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.style += data
        elif "body" in self.stack:
            self.text.append(data)

    def handle_comment(self, data):
        self.problems.append("a comment")


def parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    assert not parsed.problems, parsed.problems
    assert parsed.stack == [], f"left open: {parsed.stack}"
    return parsed


def body_text(page: str) -> str:
    return "".join(parse(page).text)


def test_the_page_is_well_formed_and_standalone_with_the_disclaimer_first():
    page = page_html(answer_key_markdown(banks.builtin_bank(), core=["q1"]), "Answer key")
    parsed = parse(page)
    assert page.startswith("<!DOCTYPE html>\n")
    body = page.split("<body>", 1)[1]
    assert body.lstrip().startswith('<p class="disclaimer" role="note"><strong>Important:</strong> ')
    assert ivig_content.DISCLAIMER in body.split("</p>", 1)[0]
    # nothing is loaded from anywhere: no link, script, frame or object, and no URL in the CSS
    assert {tag for tag, _ in parsed.tags} <= {
        "html", "head", "meta", "title", "style", "body", "main", "section", "p", "strong", "em", "h1", "h2", "ul",
        "li", "code", "br",
    }
    assert "url(" not in parsed.style and "@import" not in parsed.style


def test_the_pages_policy_allows_no_script_and_only_its_own_style():
    page = page_html("# Title\n\n| a | b |\n|---:|:---:|\n| 1 | 2 |\n", "T")
    parsed = parse(page)
    (policy,) = [attrs["content"] for tag, attrs in parsed.tags if attrs.get("http-equiv") == "Content-Security-Policy"]
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    assert rules["default-src"] == "'none'" and rules["script-src"] == "'none'"
    assert rules["img-src"] == "data:"
    expected = base64.b64encode(hashlib.sha256(parsed.style.encode("utf-8")).digest()).decode()
    assert rules["style-src"] == f"'sha256-{expected}'"  # the page's own <style>, and no inline style attribute
    assert not [attrs for _, attrs in parsed.tags if "style" in attrs]
    assert '<td class="right">1</td>' in page and '<td class="center">2</td>' in page
    # it comes before anything it governs
    assert page.index("Content-Security-Policy") < page.index("<style>") < page.index("<body>")


def test_the_print_css_sets_paper_breaks_and_keeps_rows_and_the_sign_off_whole():
    page = page_html(review_sheet_markdown(banks.builtin_bank()), "Review", LAYOUTS["review-sheet"], paper="letter")
    style = parse(page).style
    assert "@page { size: letter landscape;" in style  # its tables have up to nine columns
    assert "tr, img, pre, blockquote, li { break-inside: avoid; }" in style
    assert ".new-page > .part + .part { break-before: page; }" in style
    assert ".keep { break-inside: avoid; }" in style
    assert "thead { display: table-header-group; }" in style
    assert "@media screen and (prefers-color-scheme: dark)" in style and "max-width: 480px" in style
    assert '<main class="new-page">' in page
    sections = re.findall(r'<section class="([^"]+)">\n<h2>([^<]+)</h2>', page)
    assert ("part keep", "Sign-off") in sections
    assert [kind for kind, title in sections if title != "Sign-off"] == ["part"] * (len(sections) - 1)
    sign_off = page.split("<h2>Sign-off</h2>", 1)[1].split("</section>", 1)[0]
    for line in ("I have checked every fact", "Reviewer's name", "Role and registration", "Date", "Signature"):
        assert line in sign_off
    assert "size: A4;" in page_html("x", "x")


@pytest.mark.parametrize("nasty", NASTY)
def test_a_nasty_text_shows_as_written_and_never_becomes_markup(nasty: str):
    question = Question(
        "q-nasty", "single", "safety", "seed", nasty,
        (Choice("A", nasty, True, nasty), Choice("B", "plain", False, "")),
        explanation=nasty, source=nasty,
    )
    page = page_html(answer_key_markdown([question], nasty), f"Answer key: {nasty}")
    parsed = parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "a", "iframe", "object", "embed", "link", "form", "svg", "math", "del"}
    assert not [attrs for _, attrs in parsed.tags if any(name.startswith("on") for name in attrs)]
    shown = "".join(parsed.text)
    written = re.sub("\r\n|[\r\n\u2028]", "\n", nasty)
    for line in written.split("\n"):
        assert line in shown
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title


@pytest.mark.parametrize("nasty", NASTY)
def test_a_nasty_name_or_prompt_in_a_results_file_stays_text_in_the_class_summary_page(nasty: str, tmp_path: Path):
    question = single_question()
    question = Question(question.id, question.kind, question.topic, question.level, nasty, question.choices,
                        explanation=question.explanation, source=question.source)
    session = QuizSession([question], seed=1)
    session.answer(question.id, "A")
    summary = class_summary([session.save(tmp_path / "a.csv", learner=nasty.replace("\r", " "))])
    out = tmp_path / "out"
    from ivig_content.instructors import write_class_summary

    write_class_summary(summary, out, "html")
    page = (out / "class-summary.html").read_text(encoding="utf-8")
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} & {"script", "a", "iframe", "svg"} == set()
    (image,) = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert image["src"].startswith("data:image/svg+xml;base64,")  # the chart, inline: no file to lose
    shown = "".join(parsed.text)
    for line in re.sub("\r\n|[\r\n\u2028]", "\n", nasty).split("\n"):
        assert line.strip() in shown


def test_markdown_links_and_images_keep_only_the_web_and_inline_pictures():
    page = page_html(
        "[web](https://example.org/a) [mail](mailto:a@example.org) [js](javascript:alert(1)) [file](other.ipynb) "
        "[data](data:text/html;base64,PHNjcmlwdD4=) ![pic](data:image/svg+xml;base64,PHN2Zy8+) ![far](https://x/p.png)"
        "\n\n<div onclick=alert(1)>raw</div>\n\n<b>bold</b>",
        "Links",
    )
    parsed = parse(page)
    assert [attrs["href"] for tag, attrs in parsed.tags if tag == "a"] == ["https://example.org/a", "mailto:a@example.org"]
    assert [attrs["src"] for tag, attrs in parsed.tags if tag == "img"] == ["data:image/svg+xml;base64,PHN2Zy8+"]
    shown = body_text(page)
    assert "js" in shown and "file" in shown and "[far]" in shown  # the words stay, the link goes
    assert "<div onclick=alert(1)>raw</div>" in shown and "<b>bold</b>" in shown


def test_a_page_refuses_markup_outside_its_list_even_from_a_bug(monkeypatch):
    import ivig_content.printable as printable

    monkeypatch.setattr(printable, "markdown_html", lambda text: '<p onclick="x">hi</p>')
    with pytest.raises(ValueError, match="must not"):
        page_html("hi", "t")


# --- The handout -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handout() -> str:
    return handout_markdown(NOTEBOOKS)


def _cells(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def test_the_lesson_is_found_beside_the_package():
    assert lesson_notebooks() == NOTEBOOKS
    assert [path.name[:2] for path in NOTEBOOKS] == ["00", "01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_handout_has_every_heading_of_every_notebook(handout: str, path: Path):
    headings = [
        line for cell in _cells(path) if cell.cell_type == "markdown"
        and not {"notebook-navigation", "not-in-app"} & set(cell.metadata.get("tags", []))
        for line in cell.source.splitlines() if line.startswith("#")
    ]
    assert headings
    lines = handout.splitlines()
    for heading in headings:
        assert heading in lines


def test_the_handout_has_no_code_and_no_navigation(handout: str):
    for code in ("import ", "from ivig_content", "pd.set_option", "```python", "uses[uses", "<details>",
                 "QuizWidget()", "ConditionExplorer(group", "Previous:", "Next:", "# Your code here"):
        assert code not in handout, code
    code_cells = [cell.source for path in NOTEBOOKS for cell in _cells(path) if cell.cell_type == "code"]
    for source in code_cells:
        for line in source.splitlines():
            if len(line.strip()) > 25:  # a line of code of any length is nowhere in it
                assert line.strip() not in handout, line


def test_the_handout_has_the_diagrams_in_words_and_the_tables(handout: str):
    svgs = [
        "".join(output["data"]["image/svg+xml"]) for path in NOTEBOOKS for cell in _cells(path)
        if cell.cell_type == "code" for output in cell.outputs if "image/svg+xml" in output.get("data", {})
    ]
    assert len(svgs) == 2
    for svg in svgs:
        title = re.search(r"<title[^>]*>(.*?)</title>", svg).group(1)
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
        assert f"*Diagram: {md(title)}.* {md(desc)}" in handout
    from ivig_content.diagrams import how_ivig_works

    assert md(how_ivig_works().alt) in handout
    for term in ivig_content.glossary():  # the glossary table, from the stored output of 00-start-here
        assert md(term.term) in handout
    assert "| condition | description | caveat | example_uses |" in handout
    assert "*In the notebook: the condition explorer, to use there.*" in handout
    assert "Immunodeficiency states    2" in handout  # a table stored as plain text only (the uses per group)


def test_the_handout_as_html_has_the_pictures_and_no_code(tmp_path: Path):
    out = tmp_path / "handout.html"
    assert main(["handout", "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    parsed = parse(page)
    assert len([attrs for tag, attrs in parsed.tags if tag == "img"]) == 2
    assert page.count('<section class="part">\n<h1>') == 1 + len(NOTEBOOKS)  # each notebook on a new page
    assert "import " not in body_text(page)


def test_the_handout_names_a_missing_folder_and_a_broken_notebook(tmp_path: Path, capsys):
    assert main(["handout", "--notebooks", str(tmp_path / "gone")]) == 1
    assert capsys.readouterr().out == f"FAIL  {tmp_path / 'gone'}: no such folder; give the folder of the lesson notebooks\n"
    assert main(["handout", "--notebooks", str(tmp_path)]) == 1
    assert capsys.readouterr().out.startswith(f"FAIL  {tmp_path}: holds no lesson notebooks")
    (tmp_path / "00-broken.ipynb").write_text("{not json", encoding="utf-8")
    assert main(["handout", "--notebooks", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"FAIL  {tmp_path / '00-broken.ipynb'}: is not a readable notebook") and out.count("\n") == 1


def test_the_default_lesson_folder_missing_says_how_to_give_one(monkeypatch, tmp_path: Path):
    from ivig_content import lesson

    monkeypatch.setattr(lesson, "__file__", str(tmp_path / "site" / "ivig_content" / "lesson.py"))
    with pytest.raises(HandoutError, match="give the notebooks' folder with --notebooks FOLDER$"):
        lesson_notebooks()


def test_the_handout_finds_the_lesson_shipped_in_the_wheel(monkeypatch, tmp_path: Path):
    """A fresh-eyes trial: from a wheel install, handout looked for notebooks/ beside site-packages."""
    import shutil

    from ivig_content import lesson

    shipped = tmp_path / "site" / "ivig_content" / "lesson" / "notebooks"
    shutil.copytree(Path(__file__).parents[1] / "notebooks", shipped)
    monkeypatch.setattr(lesson, "__file__", str(tmp_path / "site" / "ivig_content" / "lesson.py"))
    assert [path.name for path in lesson_notebooks()][:2] == ["00-start-here.ipynb", "01-what-is-ivig.ipynb"]
    assert lesson_notebooks()[0].parent == shipped


def test_a_handout_of_other_notebooks_keeps_only_their_text(tmp_path: Path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("## No title here\nText with `inline` and <script>x</script>.\n\n```\ncode()\n```"),
        nbformat.v4.new_code_cell("import os", outputs=[
            nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
            nbformat.v4.new_output("execute_result", data={
                "text/html": "<table><tr><th>a</th></tr><tr><td><script>x</script>1|2</td></tr></table>",
                "text/plain": "a\n1"}, execution_count=2),
        ]),
    ]
    path = tmp_path / "07-other.ipynb"
    nbformat.write(notebook, path)
    text = handout_markdown([path])
    assert "# 07-other" in text and "## No title here" in text
    assert "code()" not in text and "warning" not in text and "42" not in text and "import os" not in text
    assert "| a |\n|---|\n| 1\\|2 |" in text
    page = page_html(text, "t", LAYOUTS["handout"])
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


# --- The commands ----------------------------------------------------------------------------------------


def test_answer_key_and_review_sheet_write_html(tmp_path: Path, capsys):
    assert main(["answer-key", "--format", "html", "--out", str(tmp_path / "key.html")]) == 0
    assert main(["review-sheet", "--format", "html", "--paper", "letter", "--out", str(tmp_path / "sheet.html")]) == 0
    key = (tmp_path / "key.html").read_text(encoding="utf-8")
    sheet = (tmp_path / "sheet.html").read_text(encoding="utf-8")
    parse(key), parse(sheet)
    for question in banks.builtin_bank():
        assert question.id in key and question.id in sheet
    assert "<title>Answer key: the built-in quiz</title>" in key and "size: letter" in sheet
    assert key.count('<section class="part keep">') == len(banks.builtin_bank()) + 1  # each question on one page
    capsys.readouterr()
    assert main(["answer-key", "--format", "html"]) == 0  # no --out: printed, as Markdown is
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>\n")
    assert main(["answer-key", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# Answer key: the built-in quiz")


def test_a_pdf_needs_a_file_to_write(capsys):
    assert main(["answer-key", "--format", "pdf"]) == 1
    assert capsys.readouterr().out == "FAIL  --format pdf needs --out FILE.pdf (a PDF is not printed to the terminal)\n"


def test_a_pdf_is_refused_before_printing_when_the_file_exists(tmp_path: Path, capsys, monkeypatch):
    out = tmp_path / "key.pdf"
    out.write_bytes(b"%PDF-old")
    monkeypatch.setattr("ivig_content.printable.pdf_from_html", lambda page: pytest.fail("printed anyway"))
    assert main(["answer-key", "--format", "pdf", "--out", str(out)]) == 1
    assert capsys.readouterr().out == f"FAIL  {out}: already exists; use --overwrite to replace it\n"
    assert out.read_bytes() == b"%PDF-old"


def test_without_a_browser_a_pdf_fails_in_one_line_that_says_how_to_get_one(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.delenv("IVIG_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("ivig_content.printable._BROWSER_PATHS", ())
    with pytest.raises(NoBrowserError):
        find_browser()
    for command in (["answer-key"], ["review-sheet"], ["handout"]):
        assert main([*command, "--format", "pdf", "--out", str(tmp_path / "x.pdf")]) == 1
        out = capsys.readouterr().out
        assert out.startswith("FAIL  --format pdf needs Chromium or Google Chrome") and out.count("\n") == 1
        assert "sudo apt-get install chromium" in out and "--format html" in out
    assert not (tmp_path / "x.pdf").exists()
    monkeypatch.setenv("IVIG_CHROMIUM", str(tmp_path / "nowhere"))
    assert main(["answer-key", "--format", "pdf", "--out", str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().out.startswith(f"FAIL  IVIG_CHROMIUM={tmp_path / 'nowhere'}: no such file")


def test_a_browser_that_fails_is_one_line_too(tmp_path: Path, capsys, monkeypatch):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'first line' >&2\necho 'ERROR: cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("IVIG_CHROMIUM", str(fake))
    assert main(["review-sheet", "--format", "pdf", "--out", str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().out == f"FAIL  {fake}: could not print the PDF (ERROR: cannot open display)\n"
    assert not (tmp_path / "x.pdf").exists()


def test_class_summary_writes_html_with_the_chart_inside_and_keeps_markdown_and_csv(tmp_path: Path, capsys):
    session = QuizSession([single_question()], seed=1)
    session.answer("route", "A")
    results = str(session.save(tmp_path / "ann.csv", learner="Ann"))
    for form, names in [("html", ["by-topic.svg", "class-summary.html"]), ("md", ["by-topic.svg", "class-summary.md"]),
                        ("markdown", ["by-topic.svg", "class-summary.md"]),
                        ("csv", ["by-topic.svg", "per-question.csv", "per-topic.csv"])]:
        out = tmp_path / f"out-{form}"
        assert main(["class-summary", results, "--out", str(out), "--format", form]) == 0
        assert sorted(path.name for path in out.iterdir()) == names
    page = (tmp_path / "out-html" / "class-summary.html").read_text(encoding="utf-8")
    parse(page)
    assert "<code>route</code>" in page and "Chart in words: How IVIG is given: 100%." in page
    assert "<title>Class summary: IVIG quiz</title>" in page
    capsys.readouterr()
    assert main(["class-summary", results, "--out", str(tmp_path / "out-html"), "--format", "html"]) == 1
    # the same chart is no conflict; the page that is already there is
    assert capsys.readouterr().out == (
        f"FAIL  {tmp_path / 'out-html' / 'class-summary.html'}: already exists; use --overwrite to replace it\n"
    )


def test_layouts_are_what_the_docs_say():
    assert LAYOUTS["review-sheet"] == Layout(part_level=2, new_page=True, keep_whole=("Sign-off",), landscape=True)
    assert LAYOUTS["answer-key"].keep_whole is True
    assert LAYOUTS["handout"] == Layout(part_level=1, new_page=True)


def test_write_bytes_file_refuses_to_overwrite_unless_asked(tmp_path: Path):
    from ivig_content.files import write_bytes_file

    target = tmp_path / "a.pdf"
    write_bytes_file(target, b"%PDF-1")
    with pytest.raises(FileExistsError, match="already exists"):
        write_bytes_file(target, b"%PDF-2")
    write_bytes_file(target, b"%PDF-2", overwrite=True)
    assert target.read_bytes() == b"%PDF-2" and oct(target.stat().st_mode & 0o777) == "0o644"
    assert [path.name for path in tmp_path.iterdir()] == ["a.pdf"]  # no temporary left behind

