"""Failing inputs from ../shared/cases/banks (copied to tests/cases/banks), each with the one line `validate`
must print: the right exception kind (BankError, never TypeError or AssertionError), one line whatever the bank
holds (a newline in a value can no longer forge an "OK" line), and the same line on every run.

Issue 13 holds the other cases (text changed by YAML, jupyterquiz compatibility, results files).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ivig_content.__main__ import main
from ivig_content.quiz import BankError, BankWarning, load_bank

CASES = Path(__file__).parent / "cases" / "banks"

EXPECTED = {
    # wrong exception: TypeError and AssertionError became BankError, naming the file, question and field
    "unhashable-key.yaml": "is not valid YAML: a key must be text, not a list (line 5, column 7)",
    "unhashable-key-top.yaml": "is not valid YAML: a key must be text, not a mapping (key: value) (line 1, column 3)",
    "mixed-unknown-keys.yaml": "question 1: has the key 1, which YAML reads as a number, not text: put it in quotes",
    "null-key-top.yaml": "has the key ~, which YAML reads as empty, not text: put it in quotes",
    "jq-marked-section.json": 'question 1: "question" has HTML that cannot be read (unknown status keyword \'foo\' '
    "in marked section)",
    # one-line messages: the newline inside a quoted value is shown as \n
    "multiline-kind.yaml": 'question 1: "kind" is "single\\nOK  fake-bank.yaml: 12 questions", which is not one of: '
    "single, multiple, matching",
    "newline-id.yaml": 'question 1 (id "x\\nOK  other.yaml: 3 questions"): "id" must be short and made of letters, '
    "digits, '-', '_' or '.'",
    "newline-answer.yaml": 'question 1: "answer" names "Z\\nOK  other.yaml: 3 questions", which is not a choice',
    "newline-feedback-key.yaml": 'question 1: "feedback" has feedback for "Z\\nOK  x.yaml: 1 question", which is '
    "not a choice",
    # stable messages: the first field in the file's order, not whichever the schema checker met first
    "nondeterministic-field.yaml": 'question 1: "choices.A" must be text, not a number',
    # silently lost data: JSON kept the last of two equal keys, so the right answer could change
    "dup-choice-ids.json": 'is not valid as a bank: the key "A" appears twice in one mapping (JSON would keep only '
    "the last)",
    "dup-answer-key.json": 'is not valid as a bank: the key "answer" appears twice in one mapping (JSON would keep '
    "only the last)",
    # invisible text and look-alikes: a learner must see every text and tell the choices apart
    "zero-width-prompt.yaml": 'question 1: "prompt" is empty once invisible characters are removed',
    "zero-width-choice.yaml": 'question 1: "choices.A" is empty once invisible characters are removed',
    "zero-width-dup-choices.yaml": 'question 1: "choices.B" looks the same as "choices.A" (they differ only by '
    "invisible characters, letter case or spacing): a learner could not tell them apart",
    "matching-empty-keys.yaml": 'question 1: "pairs item 1" is empty once invisible characters are removed',
    "matching-ws-keys.yaml": 'question 1: "pairs item 2" looks the same as "pairs item 1" (they differ only by '
    "invisible characters, letter case or spacing): a learner could not tell them apart",
    "matching-dup-distractors.yaml": 'question 1: "distractors[2]" looks the same as "distractors[1]" (they differ '
    "only by invisible characters, letter case or spacing): a learner could not tell them apart",
    "jq-dup-answers.json": 'question 1: "answers[2].answer" looks the same as "answers[1].answer" (they differ only '
    "by invisible characters, letter case or spacing): a learner could not tell them apart",
    "jq-one-answer.json": 'question 1: "answers[1].answer" is the only choice: a question needs at least two',
    # control characters never reach the results file or the terminal
    "escaped-nul.yaml": 'question 1: "prompt" holds the control character \'\\x00\'; remove it',
    "jq-code.json": 'question 1: "code" holds the control character \'\\x1b\'; remove it',
}


@pytest.mark.parametrize("case", EXPECTED)
def test_validate_prints_one_stable_line_naming_the_file_question_and_field(case, capsys):
    path = CASES / case
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out == f"FAIL  {path}: {EXPECTED[case]}\n"
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert str(raised.value) == f"{path}: {EXPECTED[case]}"


@pytest.mark.parametrize("case", ["nondeterministic-field.yaml", "mixed-unknown-keys.yaml"])
def test_the_line_is_the_same_whatever_pythons_hash_seed(case):
    lines = set()
    for seed in ("1", "2", "3", "4"):
        result = subprocess.run(
            [sys.executable, "-m", "ivig_content", "validate", str(CASES / case)],
            capture_output=True, text=True, timeout=60, env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        lines.add(result.stdout)
    assert lines == {f"FAIL  {CASES / case}: {EXPECTED[case]}\n"}


def test_a_file_name_with_a_newline_cannot_forge_a_second_line(tmp_path, capsys):
    path = tmp_path / "bank\nOK  forged.yaml: 3 questions.yaml"
    path.write_text("questions:\n  - prompt: P?\n    choices: {A: a, B: b}\n    answer: A\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out == f"OK  {tmp_path}/bank\\nOK  forged.yaml: 3 questions.yaml: 1 question\n"


def test_a_very_long_value_gives_a_message_of_at_most_500_characters(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(f'questions:\n  - prompt: P?\n    kind: "{"x" * 1_500_000}"\n    choices: {{A: a}}\n    answer: A\n',
                    encoding="utf-8")
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert len(str(raised.value)) == 500 and str(raised.value).endswith("\u2026")


def test_case_yaml_hash_truncation_warns_where_a_comment_may_have_cut_a_text(capsys):
    """yaml-hash-truncation.yaml: "lot #, from the vial label" became "lot" without a word; now a WARN line."""
    path = CASES / "yaml-hash-truncation.yaml"
    where = f'{path}: question 1 (id "q-lot")'
    warns = [
        f'WARN  {where}: "choices.A" is followed by " #" on its line, which YAML reads as the start of a comment, '
        'so the text may have been cut to "The product lot": put the whole text in quotes',
        f'WARN  {where}: "explanation" is followed by " #" on its line, which YAML reads as the start of a comment, '
        'so the text may have been cut to "Record the lot number": put the whole text in quotes',
    ]
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"OK  {path}: 1 question", *warns]
    assert main(["validate", "--strict", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"FAIL  {path}: 2 warnings, and --strict makes warnings failures", *warns
    ]
    with pytest.warns(BankWarning, match="may have been cut"):
        (question,) = load_bank(path)
    assert question.choices[0].text == "The product lot"  # what YAML read; the warning says so


def test_a_quoted_hash_or_a_hash_inside_a_word_gives_no_warning(tmp_path, recwarn, capsys):
    path = tmp_path / "fine.yaml"
    path.write_text(
        'questions:\n  - prompt: "Is lot #5 recorded?"  # a real comment, after quotes\n'
        "    choices: {A: Yes#1, B: 'No #2'}\n    answer: A\n",
        encoding="utf-8",
    )
    (question,) = load_bank(path)
    assert question.prompt == "Is lot #5 recorded?" and question.choices[0].text == "Yes#1"
    assert [w for w in recwarn if issubclass(w.category, BankWarning)] == []
    assert main(["validate", "--strict", str(path)]) == 0
    assert capsys.readouterr().out == f"OK  {path}: 1 question\n"
