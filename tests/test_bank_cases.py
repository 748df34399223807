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
from ivig_content.banks import BankError, BankWarning, load_bank

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
    # (and the message says where: the question, and the mapping's field)
    "dup-choice-ids.json": 'question 1: "choices": the key "A" appears twice in one mapping (JSON would keep only '
    "the last)",
    "dup-answer-key.json": 'question 1: the key "answer" appears twice in one mapping (JSON would keep only the last)',
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
    path = tmp_path / "long.json"
    path.write_text(f'{{"questions": [{{"prompt": "P?", "kind": "{"x" * 1_500_000}", "choices": {{"A": "a"}}, '
                    '"answer": "A"}]}', encoding="utf-8")
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


# --- made at test time (they cannot live in git): every one a BankError in one line, nothing hangs ----------


def refused(path) -> str:
    with pytest.raises(BankError) as raised:
        load_bank(path)
    return str(raised.value)


def test_a_fifo_a_device_and_a_symlink_loop_are_refused_without_waiting(tmp_path):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    # in a child process with a time limit: before the fix, opening the FIFO waited for a writer forever
    code = "import sys; from ivig_content.banks import load_bank, BankError\ntry: load_bank(sys.argv[1])\nexcept BankError as e: print(e)"
    result = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60)
    assert result.stdout == f"{fifo}: is not a regular file (it is a pipe, a device or a socket)\n"
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    assert refused(zero) == f"{zero}: is not a regular file (it is a pipe, a device or a socket)"
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop.yaml")
    assert refused(loop) == f"{loop}: cannot be read (Too many levels of symbolic links)"
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert refused(folder) == f"{folder}: is a folder, not a question bank file"


def test_an_unreadable_file_is_named(tmp_path, monkeypatch):
    import os

    path = tmp_path / "secret.yaml"
    path.write_text("questions: []\n", encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)  # as root (CI) a mode-000 file is still readable, so say it is not
    assert refused(path) == f"{path}: cannot be read (permission denied)"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_deep_nesting_and_huge_numbers_are_bank_errors(tmp_path, suffix):
    deep = tmp_path / f"deep{suffix}"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert refused(deep) == f"{deep}: is nested too deeply to be a question bank"
    huge = tmp_path / f"huge{suffix}"
    huge.write_text('{"questions": [{"prompt": ' + "9" * 100_000 + "}]}", encoding="utf-8")
    message = refused(huge)
    assert message.startswith(f"{huge}: holds a value that cannot be read (Exceeds the limit") and "\n" not in message


def test_a_web_address_or_the_banks_text_instead_of_a_path_says_to_give_a_file(tmp_path):
    assert refused("https://example.org/bank.yaml") == (
        "https://example.org/bank.yaml: no such file (a web address: download the bank and give the path of the file)"
    )
    assert refused('{"questions": []}') == (
        '{"questions": []}: no such file (this looks like the bank\'s text: save it in a file and give the file\'s path)'
    )


def test_a_2_mb_yaml_bank_is_refused_by_its_size_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("questions:\n" + "  - x\n" * 350_000, encoding="utf-8")
    assert refused(path) == f"{path}: is 2.0 MiB; a YAML question bank may be at most 512 KiB"


# --- jupyterquiz files as their users write them ------------------------------------------------------------


def test_case_jq_code_answers_json_loads_answers_given_as_code():
    """jq-code-answers.json: answers given as "code" were refused; they load, marked as code."""
    (question,) = load_bank(CASES / "jq-code-answers.json")
    assert [(c.text, c.correct, c.code, c.feedback) for c in question.choices] == [
        ("dose_g = 0.4 * 70", True, True, "Right: 28 g."),
        ("dose_g = 0.4 / 70", False, True, "No: multiply."),
    ]


def test_an_answer_with_text_and_code_keeps_both_and_the_codes_layout(tmp_path):
    path = tmp_path / "both.json"
    path.write_text(
        '[{"question": "Which loop?", "type": "multiple_choice", "answers": ['
        '{"answer": "This <b>one</b>:", "code": "for dose in doses:\\n    give(dose)", "correct": true},'
        '{"answer": "None", "correct": false}]}]',
        encoding="utf-8",
    )
    (question,) = load_bank(path)
    assert question.choices[0].text == "This one:\nfor dose in doses:\n    give(dose)" and question.choices[0].code
    assert not question.choices[1].code


def test_case_jq_pre_indentation_json_keeps_the_layout_of_pre():
    """jq-pre-indentation.json: <pre> code lost its line breaks and indentation; now it keeps them."""
    (question,) = load_bank(CASES / "jq-pre-indentation.json")
    assert question.prompt == "What does this print?\nfor dose in [1, 2]:\n    if dose > 1:\n        print(dose)"


def test_case_jq_image_json_warns_that_the_picture_cannot_be_shown(capsys):
    """jq-image.json: the picture the question depends on was dropped without a word; now a WARN line."""
    path = CASES / "jq-image.json"
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"OK  {path}: 1 question",
        f'WARN  {path}: question 1: "question" shows a picture (<img>) that the quiz cannot show: describe it in '
        "words, or the question may make no sense without it",
    ]
    assert main(["validate", "--strict", str(path)]) == 1


def test_a_comment_line_inside_a_wrapped_yaml_text_gets_a_warning(tmp_path, capsys):
    """Found by a fresh-eyes trial: a wrapped prompt whose next line starts with "#" lost that line silently."""
    path = tmp_path / "wrapped.yaml"
    path.write_text(
        "questions:\n"
        "  - id: q1\n"
        "    prompt: Which number must be written on the chart\n"
        "      # of the product lot, before the infusion starts?\n"
        "    choices: {A: The lot number, B: Nothing}\n"
        "    answer: A\n"
        "    # a comment at the key's own level is not a warning\n"
        "    explanation: Record it\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"OK  {path}: 1 question",
        f'WARN  {path}: question 1 (id "q1"): "prompt" is followed by a more indented line that starts with "#", '
        'which YAML reads as the start of a comment, so the text may have been cut to "Which number must be written '
        'on the chart": put the whole text in quotes',
    ]


def test_half_a_character_in_a_json_bank_is_refused_by_name(tmp_path, capsys):
    """Found by a fresh-eyes trial: "\\ud800" loaded, then answer-key and saving results failed far from the bank."""
    path = tmp_path / "surrogate.json"
    path.write_text('{"questions": [{"id": "q1", "prompt": "bad \\ud800 text", "choices": {"A": "a", "B": "b"}, '
                    '"answer": "A"}]}', encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"FAIL  {path}: question 1 (id \"q1\"): \"prompt\" holds '\\ud800', half of a character (an unpaired "
        "surrogate), which no file can hold; remove it\n"
    )



def test_a_text_direction_control_in_a_bank_is_refused(tmp_path, capsys):
    """A fresh-eyes trial: "Dose \\u202e01 ml" validated OK and would show as "Dose lm 10"."""
    path = tmp_path / "rlo.yaml"
    path.write_text('questions:\n  - id: q1\n    prompt: "Dose \\u202e01 ml?"\n    choices: {A: "Yes", B: "No"}\n'
                    "    answer: A\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"FAIL  {path}: question 1 (id \"q1\"): \"prompt\" holds '\\u202e', which changes the order letters show in "
        "(a text-direction control); remove it\n"
    )
