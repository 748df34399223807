"""Instructor documents: answer key, content review sheet, class summary (and their commands)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ivig_content
from ivig_content import banks, quiz
from ivig_content.__main__ import main
from ivig_content.instructors import class_summary, class_summary_markdown, review_sheet_markdown
from ivig_content.quiz import QuizSession

from .conftest import matching_question, multiple_question, single_question

BANK = banks.builtin_bank()


def test_answer_key_marks_every_right_answer_of_the_builtin_bank(capsys):
    assert main(["answer-key"]) == 0
    key = capsys.readouterr().out
    assert key.startswith("# Answer key: the built-in quiz")
    assert ivig_content.DISCLAIMER in key
    for number, question in enumerate(BANK, start=1):
        section = key.split(f"## {number}. ", 1)[1].split("\n## ", 1)[0]
        assert f"`{question.id}`" in section
        assert f"**Answer:** {quiz.right_answer_text(question)}" in section
        for choice in question.choices:
            if question.kind != "matching":
                assert (f"- **[x]** **{choice.text}**" if choice.correct else f"- [ ] {choice.text}") in section


def test_answer_key_of_a_bank_file_escapes_its_text(tmp_path: Path):
    bank = tmp_path / "bank.yaml"
    bank.write_text(
        "questions:\n  - prompt: 'Is <b>this</b> | safe?'\n    choices: {A: 'yes <img src=x>', B: 'no'}\n    answer: A\n",
        encoding="utf-8",
    )
    out = tmp_path / "key.md"
    assert main(["answer-key", str(bank), "--out", str(out)]) == 0
    key = out.read_text(encoding="utf-8")
    assert "## 1. Is &lt;b&gt;this&lt;/b&gt; \\| safe?" in key and "<img" not in key
    assert main(["answer-key", str(bank), "--out", str(out)]) == 1  # never overwrites unless asked
    assert main(["answer-key", str(bank), "--out", str(out), "--overwrite"]) == 0


def test_answer_key_of_a_broken_bank_says_what_is_wrong(tmp_path: Path, capsys):
    assert main(["answer-key", str(tmp_path / "missing.yaml")]) == 1
    assert capsys.readouterr().out == f"FAIL  {tmp_path / 'missing.yaml'}: no such file\n"


def test_review_sheet_lists_every_fact_and_question_with_sources_and_a_sign_off():
    sheet = review_sheet_markdown(BANK)
    assert "**Content last reviewed: not yet reviewed by a clinician.**" in sheet
    for fact in ivig_content.facts():
        row = next(line for line in sheet.splitlines() if f"| `{fact.id}` |" in line)
        assert row.startswith("| \u2610 |")
        for source in fact.sources:
            assert source.citation in row
    for question in BANK:
        assert f"| `{question.id}` |" in sheet
    assert "## Sign-off" in sheet and "| Reviewer's name | |" in sheet and "| Date (YYYY-MM-DD) | |" in sheet


def test_review_sheet_command_writes_the_file(tmp_path: Path, capsys):
    out = tmp_path / "sheet.md"
    assert main(["review-sheet", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    core = [question.id for question in banks.builtin_bank(core=True)]
    assert out.read_text(encoding="utf-8") == review_sheet_markdown(BANK, core)


@pytest.fixture
def class_results(tmp_path: Path) -> list[Path]:
    """Three learners: Ann gets all right, Bo misses the single-choice one, Cy answers only one question."""
    questions = [single_question(), multiple_question(), matching_question()]
    files = []
    plans = {
        "Ann": {"route": "A", "reactions": ["A", "B"], "groups": {"1": "A", "2": "B"}},
        "Bo": {"route": "B", "reactions": ["A", "B"], "groups": {"1": "A", "2": "B"}},
        "Cy": {"reactions": ["A"]},
    }
    for name, answers in plans.items():
        session = QuizSession(questions, seed=1)
        for question_id, response in answers.items():
            session.answer(question_id, response)
        files.append(session.save(tmp_path / f"{name}.{'json' if name == 'Cy' else 'csv'}", learner=name))
    return files


def test_class_summary_counts_first_tries_per_question_and_topic(class_results):
    summary = class_summary(class_results)
    assert (summary.files, summary.learners) == (3, ("Ann", "Bo", "Cy"))
    assert summary.per_question.to_dict(orient="records") == [  # hardest first
        {"question_id": "route", "prompt": "How is IVIG given?", "topic": "administration",
         "answered": 2, "right": 1, "percent_right": 50},
        {"question_id": "reactions", "prompt": "Common mild reactions?", "topic": "safety",
         "answered": 3, "right": 2, "percent_right": 67},
        {"question_id": "groups", "prompt": "Match them.", "topic": "conditions",
         "answered": 2, "right": 2, "percent_right": 100},
    ]
    assert summary.per_topic.to_dict(orient="records") == [
        {"topic": "conditions", "answered": 2, "right": 2, "percent_right": 100},
        {"topic": "administration", "answered": 2, "right": 1, "percent_right": 50},
        {"topic": "safety", "answered": 3, "right": 2, "percent_right": 67},
    ]


def test_class_summary_markdown_has_tables_and_the_chart_in_words(class_results):
    text = class_summary_markdown(class_summary(class_results))
    assert "3 results files (Ann, Bo, Cy)." in text
    assert "| 50% | 1 | 2 | How IVIG is given | How is IVIG given? | <code>route</code> |" in text
    assert "| Safety and monitoring | 3 | 2 | 67% |" in text
    assert "Chart in words: Conditions treated: 100%; How IVIG is given: 50%; Safety and monitoring: 67%." in text


def test_class_summary_command_writes_markdown_csv_and_chart(class_results, tmp_path: Path, capsys):
    out = tmp_path / "summary"
    assert main(["class-summary", *map(str, class_results), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["by-topic.svg", "class-summary.md"]
    assert "<desc" in (out / "by-topic.svg").read_text(encoding="utf-8")
    as_csv = tmp_path / "summary-csv"
    assert main(["class-summary", *map(str, class_results), "--out", str(as_csv), "--format", "csv"]) == 0
    assert sorted(p.name for p in as_csv.iterdir()) == ["by-topic.svg", "per-question.csv", "per-topic.csv"]
    per_topic = pd.read_csv(as_csv / "per-topic.csv")
    assert list(per_topic.columns) == ["topic", "answered", "right", "percent_right"]
    capsys.readouterr()
    assert main(["class-summary", *map(str, class_results), "--out", str(out)]) == 1  # keeps what it wrote
    # the chart is the same, so only the summary itself is in the way
    assert capsys.readouterr().out == f"FAIL  {out / 'class-summary.md'}: already exists; use --overwrite to replace it\n"


def test_class_summary_names_a_file_that_is_not_results(tmp_path: Path, capsys):
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["class-summary", str(other), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().out == (
        f"FAIL  {other}: not a results file (its first line does not name the columns learner, question_id, ...)\n"
    )
    assert not (tmp_path / "out").exists()
