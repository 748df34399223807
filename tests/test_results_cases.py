"""Failing results files from ../shared/cases/results (copied to tests/cases/results): nothing class-summary
writes from them can act as a formula, markup or invalid XML where it is opened; a file saved again by a
spreadsheet is read; a value that is not for certain true or false, or a row that is not a row, is refused with
the file's name; nothing is counted twice. Expected values written out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ivig_content.__main__ import main

CASES = Path(__file__).parent / "cases" / "results"
HEADER = ("learner,number,questions_in_quiz,question_id,topic,level,kind,prompt,answered,correct,attempts,"
          "your_answer,right_answer")


def summarise(tmp_path: Path, case: str, *format_args: str) -> Path:
    out = tmp_path / "summary"
    assert main(["class-summary", str(CASES / case), "--out", str(out), *format_args]) == 0
    return out


def test_case_min_formula_csv_writes_no_cell_a_spreadsheet_would_run(tmp_path):
    """min-formula.csv: "=1+1", "-2+3+cmd|..." and "=HYPERLINK(...)" were copied into the CSV tables as formulas."""
    out = summarise(tmp_path, "min-formula.csv", "--format", "csv")
    assert (out / "per-question.csv").read_text(encoding="utf-8") == (
        "\ufeffquestion_id,prompt,topic,answered,right,percent_right\n"
        "'-2+3+cmd|' /C calc'!A0,\"'=HYPERLINK(\"\"http://127.0.0.1:9/?x\"\",\"\"Click\"\")\",'=1+1,1,0,0\n"
    )
    assert (out / "per-topic.csv").read_text(encoding="utf-8") == "\ufefftopic,answered,right,percent_right\n'=1+1,1,0,0\n"


def test_case_min_backtick_csv_keeps_the_markdown_table_whole_and_inert(tmp_path):
    """min-backtick.csv: a backtick in a question id closed the code span, broke the table and let <script> in."""
    text = (summarise(tmp_path, "min-backtick.csv") / "class-summary.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 100% "))
    assert row == (
        "| 100% | 1 | 1 | General | P? | <code>z\\`\\|&lt;b&gt;cell&lt;/b&gt;\\|<br><br>&lt;script&gt;alert(1)"
        "&lt;/script&gt;<br><br>\\`</code> |"
    )
    assert "<script>" not in text and "<b>" not in text


def test_case_min_control_topic_csv_gives_a_valid_svg(tmp_path):
    """min-control-topic.csv: a form feed in a topic made by-topic.svg invalid XML."""
    svg = (summarise(tmp_path, "min-control-topic.csv") / "by-topic.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)  # raised ParseError before
    labels = [text.text for text in root.iter("{http://www.w3.org/2000/svg}text")]
    assert labels[0] == "Safety" and "\x0c" not in svg  # the topic's title is its words, spaces trimmed


def summary_lines(text: str) -> list[str]:
    """The rows of the summary's two tables (not their headers)."""
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith(("| % right", "| topic"))]


def test_case_semicolon_csv_saved_by_a_spreadsheet_is_read(tmp_path, capsys):
    """semicolon.csv: ";" between cells, CRLF line ends and TRUE/FALSE, as a spreadsheet saves: "missing columns"."""
    text = (summarise(tmp_path, "semicolon.csv") / "class-summary.md").read_text(encoding="utf-8")
    assert summary_lines(text) == [
        "| 100% | 1 | 1 | How IVIG is given | How is IVIG given? | <code>how-given</code> |",
        "| How IVIG is given | 1 | 1 | 100% |",
    ]
    assert "1 results file (Ana)." in text


def test_case_min_strbool_json_reads_the_text_false_as_false(tmp_path):
    """min-strbool.json: "answered": "false", "correct": "false" (text) counted as answered and right."""
    text = (summarise(tmp_path, "min-strbool.json") / "class-summary.md").read_text(encoding="utf-8")
    # not answered, so no share right at all: "no answers", not "0%" (a second fresh-eyes trial)
    assert summary_lines(text) == [
        "| no answers | 0 | 0 | General | P? | <code>q1</code> |", "| General | 0 | 0 | no answers |",
    ]


def test_case_min_mixed_json_names_the_file_and_the_item(tmp_path, capsys):
    """min-mixed.json: a list with a number after the first row gave "FAIL  TypeError: ..." without the file."""
    path = CASES / "min-mixed.json"
    assert main(["class-summary", str(path), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().out == (
        f"FAIL  {path}: item 2: is a number, not a row of results (an object with the columns learner, "
        "question_id, ...)\n"
    )
    assert not (tmp_path / "out").exists()


def test_case_min_one_row_csv_given_twice_counts_once_and_says_so(tmp_path, capsys):
    """min-one-row.csv twice: the same learner counted twice, silently."""
    path = CASES / "min-one-row.csv"
    out = tmp_path / "summary"
    assert main(["class-summary", str(path), str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:2] == [f"skipped  {path}: given twice; counted once", "counted  1 file"]
    text = (out / "class-summary.md").read_text(encoding="utf-8")
    assert summary_lines(text) == ["| 0% | 0 | 1 | General | P? | <code>q1</code> |", "| General | 1 | 0 | 0% |"]
    assert text.splitlines()[-1] == f"- {path}: given twice; counted once"


def test_case_dup_rows_csv_counts_each_question_once_and_says_so(tmp_path, capsys):
    """dup-rows.csv: one learner's 42 rows five times over were counted five times."""
    out = summarise(tmp_path, "dup-rows.csv", "--format", "csv")
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"skipped  {CASES / 'dup-rows.csv'}: 168 rows repeating a question already in the file; the first row of "
        "each question counts",
        "counted  1 file",
    ]
    per_question = (out / "per-question.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(per_question) == 1 + 42
    # each of the 42 questions: answered once, right once (Sam got all 42 right), not five times
    assert {tuple(line.rsplit(",", 3)[1:]) for line in per_question[1:]} == {("1", "1", "100")}
    assert (out / "per-topic.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "overview,5,5,100", "mechanism,4,4,100", "conditions,11,11,100", "administration,5,5,100",
        "safety,7,7,100", "examples,2,2,100", "misconceptions,3,3,100", "closer-look,5,5,100",
    ]


def test_learners_text_in_the_summary_shows_as_written_and_never_as_markup(tmp_path):
    """Found by a fresh-eyes trial: links and images in a learner's file (prompt, id, name) reached the summary.
    Rendered with mistune (nbconvert's Markdown, with tables and bare-address links on): no link, no image, no
    emphasis, no HTML, and each cell's text is exactly the file's."""
    import html
    import re

    import mistune

    texts = {
        "learner": "[click](http://evil.example) ![x](http://evil.example/t.png)",
        "question_id": "[click me](https://evil.example/phish)",
        "prompt": "![beacon](https://evil.example/t.png) see www.evil.example *now* `x` a|b \\| <b>hi</b> & ~~s~~",
        "topic": "general",
    }
    row = ",".join(f'"{texts.get(column, value)}"' for column, value in zip(
        HEADER.split(","), ["", "1", "1", "", "", "seed", "single", "", "True", "True", "1", "a", "a"]))
    path = tmp_path / "markup.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    out = tmp_path / "summary"
    assert main(["class-summary", str(path), "--out", str(out)]) == 0
    rendered = mistune.create_markdown(plugins=["table", "url", "strikethrough"], escape=False)(
        (out / "class-summary.md").read_text(encoding="utf-8"))
    assert re.findall(r"<(a|em|strong|del|b|script)\b", rendered) == []
    assert re.findall(r"<img [^>]*", rendered) == ['<img src="by-topic.svg" alt="Right at the first try, by topic: '
                                                  'General: 100%." /']  # our own chart, and no other picture
    cells = [html.unescape(re.sub(r"</?code>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", rendered)]
    assert cells[3:6] == ["General", texts["prompt"], texts["question_id"]]  # the topic by its title
    assert html.unescape(re.search(r"1 results file \((.*?)\)\.", rendered).group(1)) == texts["learner"]
