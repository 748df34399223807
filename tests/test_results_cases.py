"""Failing results files from ../shared/cases/results (copied to tests/cases/results): nothing class-summary
writes from them can act as a formula, markup or invalid XML where it is opened. Expected values written out.

Issue 13 holds the other results cases (spreadsheet dialects, strict booleans, duplicates, errors naming files).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ivig_content.__main__ import main

CASES = Path(__file__).parent / "cases" / "results"


def summarise(tmp_path: Path, case: str, *format_args: str) -> Path:
    out = tmp_path / "summary"
    assert main(["class-summary", str(CASES / case), "--out", str(out), *format_args]) == 0
    return out


def test_case_min_formula_csv_writes_no_cell_a_spreadsheet_would_run(tmp_path):
    """min-formula.csv: "=1+1", "-2+3+cmd|..." and "=HYPERLINK(...)" were copied into the CSV tables as formulas."""
    out = summarise(tmp_path, "min-formula.csv", "--format", "csv")
    assert (out / "per-question.csv").read_text(encoding="utf-8") == (
        "question_id,prompt,topic,answered,right,percent_right\n"
        "'-2+3+cmd|' /C calc'!A0,\"'=HYPERLINK(\"\"http://127.0.0.1:9/?x\"\",\"\"Click\"\")\",'=1+1,1,0,0\n"
    )
    assert (out / "per-topic.csv").read_text(encoding="utf-8") == "topic,answered,right,percent_right\n'=1+1,1,0,0\n"


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
