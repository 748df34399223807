"""Instructor question banks: what loads, and an exact message for everything that does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivig_content import banks, quiz
from ivig_content.banks import BankError, load_bank

GOOD = """\
questions:
  - id: q-route
    topic: administration
    prompt: How is IVIG given?
    choices: {A: Into a vein, B: As a tablet}
    answer: A
    feedback: {A: "Yes.", B: "No."}
    explanation: Intravenously.
    fact_ids: [seed-given-intravenously]
  - id: q-reactions
    kind: multiple
    prompt: Which are common reactions?
    choices: {A: Headache, B: Chills, C: Thrombosis}
    answer: [A, B]
    source: FDA label
  - id: q-match
    kind: matching
    prompt: Match the groups.
    pairs:
      Autoimmune diseases: The immune system attacks the body
      Inflammatory states: Too much inflammation
    distractors: [Severe infections only]
"""


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_our_yaml_bank_loads(tmp_path: Path):
    route, reactions, match = load_bank(write(tmp_path, GOOD))
    assert (route.id, route.kind, route.topic, route.prompt) == ("q-route", "single", "administration", "How is IVIG given?")
    assert [(c.id, c.text, c.correct, c.feedback) for c in route.choices] == [
        ("A", "Into a vein", True, "Yes."), ("B", "As a tablet", False, "No.")
    ]
    assert route.fact_ids == ("seed-given-intravenously",)
    assert "StatPearls" in route.source  # cited from the fact when the bank names none
    assert (reactions.kind, reactions.topic, reactions.source) == ("multiple", "general", "FDA label")
    assert [c.id for c in reactions.choices if c.correct] == ["A", "B"]
    assert match.kind == "matching"
    assert [(item.text, match.choice(item.answer).text) for item in match.items] == [
        ("Autoimmune diseases", "The immune system attacks the body"),
        ("Inflammatory states", "Too much inflammation"),
    ]
    assert [c.text for c in match.choices][-1] == "Severe infections only"


def test_the_same_bank_as_json_loads_the_same(tmp_path: Path):
    import yaml

    as_json = write(tmp_path, json.dumps(yaml.safe_load(GOOD)), "bank.json")
    assert load_bank(as_json) == load_bank(write(tmp_path, GOOD))


def test_a_question_without_id_gets_its_number(tmp_path: Path):
    (question,) = load_bank(write(tmp_path, "questions:\n  - prompt: P?\n    choices: {A: a, B: b}\n    answer: B\n"))
    assert question.id == "q1" and question.choice("B").correct


# (bank text, message after "<path>: ")
BROKEN_YAML = {
    "top level is a list of strings": ("- just\n- text\n", 'question 1: must be a mapping (key: value), not text'),
    "top level is text": ("hello\n", 'must hold a mapping with a "questions" list (or a jupyterquiz list of questions), not text'),
    "no questions key": ("title: Quiz\n", '"questions" is missing'),
    "empty bank": ("questions: []\n", "has no questions"),
    "questions not a list": ("questions: {a: 1}\n", '"questions" must be a list, not a mapping (key: value)'),
    "missing prompt": (
        "questions:\n  - id: q-admin\n    choices: {A: a, B: b}\n    answer: A\n",
        'question 1 (id "q-admin"): "prompt" is missing',
    ),
    "empty prompt": (
        "questions:\n  - id: q-admin\n    prompt: '  '\n    choices: {A: a, B: b}\n    answer: A\n",
        'question 1 (id "q-admin"): "prompt" is empty',
    ),
    "no choices": (
        "questions:\n  - id: q-admin\n    prompt: P?\n    answer: A\n",
        'question 1 (id "q-admin"): "choices" is missing',
    ),
    "empty choices": (
        "questions:\n  - id: q-admin\n    prompt: P?\n    choices: {}\n    answer: A\n",
        'question 1 (id "q-admin"): "choices" is empty',
    ),
    "one choice": (
        "questions:\n  - id: q-admin\n    prompt: P?\n    choices: {A: a}\n    answer: A\n",
        'question 1 (id "q-admin"): "choices" needs at least 2 entries',
    ),
    "empty choice text": (
        "questions:\n  - id: q-admin\n    prompt: P?\n    choices: {A: a, B: ''}\n    answer: A\n",
        'question 1 (id "q-admin"): "choices.B" is empty',
    ),
    "answer not a choice": (
        GOOD.replace("    answer: A\n", "    answer: E\n", 1),
        'question 1 (id "q-route"): "answer" names "E", which is not a choice',
    ),
    "no correct answer": (
        GOOD.replace("    answer: [A, B]\n", "    answer: []\n"),
        'question 2 (id "q-reactions"): "answer" is empty: a question needs at least one correct answer',
    ),
    "missing answer": (
        GOOD.replace("    answer: A\n", "", 1),
        'question 1 (id "q-route"): "answer" is missing',
    ),
    "two correct answers in a single-choice question": (
        GOOD.replace("    answer: A\n", "    answer: [A, B]\n", 1),
        'question 1 (id "q-route"): "answer" names 2 choices, but a single-choice question has exactly one',
    ),
    "duplicate ids": (
        GOOD.replace("id: q-reactions", "id: q-route"),
        'question 2 (id "q-route"): "id" is already used by question 1',
    ),
    "unknown kind": (
        GOOD.replace("kind: multiple", "kind: essay"),
        'question 2 (id "q-reactions"): "kind" is "essay", which is not one of: single, multiple, matching',
    ),
    "misspelt key": (
        GOOD.replace("    explanation: Intravenously.", "    explaination: Intravenously."),
        'question 1 (id "q-route"): "explaination" is not a known field (did you mean "explanation"?)',
    ),
    "unknown top-level key": ("titel: Q\n" + GOOD, '"titel" is not a known field (did you mean "title"?)'),
    "prompt is a number": (
        GOOD.replace("prompt: How is IVIG given?", "prompt: 42"),
        'question 1 (id "q-route"): "prompt" must be text, not a number',
    ),
    "choices is a list": (
        GOOD.replace("choices: {A: Into a vein, B: As a tablet}", "choices: [Into a vein, As a tablet]"),
        'question 1 (id "q-route"): "choices" must be a mapping (key: value), not a list',
    ),
    "answer is a number": (
        GOOD.replace("    answer: A\n", "    answer: 1\n", 1),
        'question 1 (id "q-route"): "answer" must be a choice key or a list of choice keys, not a number',
    ),
    "yes as a choice key": (
        "questions:\n  - prompt: P?\n    choices: {yes: a, no: b}\n    answer: 'yes'\n",
        'question 1: "choices" has the key True, which YAML reads as true or false, not text: put it in quotes',
    ),
    "feedback for a missing choice": (
        GOOD.replace('feedback: {A: "Yes.", B: "No."}', 'feedback: {A: "Yes.", D: "No."}'),
        'question 1 (id "q-route"): "feedback" has feedback for "D", which is not a choice',
    ),
    "same choice text twice": (
        GOOD.replace("B: As a tablet}", "B: Into a vein}"),
        'question 1 (id "q-route"): "choices" has the same text twice',
    ),
    "unknown fact": (
        GOOD.replace("fact_ids: [seed-given-intravenously]", "fact_ids: [seed-given-intravenous]"),
        'question 1 (id "q-route"): "fact_ids" names "seed-given-intravenous", which is not a fact of ivig_content',
    ),
    "matching question with choices": (
        GOOD.replace("    distractors: [Severe infections only]\n", "    choices: {A: a, B: b}\n"),
        'question 3 (id "q-match"): "choices" is not used by a matching question (use "pairs" and "distractors")',
    ),
    "matching question without pairs": (
        "questions:\n  - id: m\n    kind: matching\n    prompt: P?\n",
        'question 1 (id "m"): "pairs" is missing',
    ),
    "distractor repeating an answer": (
        GOOD.replace("distractors: [Severe infections only]", "distractors: [Too much inflammation]"),
        'question 3 (id "q-match"): "distractors" repeats the answer "Too much inflammation"',
    ),
    "pairs on a choice question": (
        GOOD.replace("    source: FDA label\n", "    source: FDA label\n    pairs: {a: b, c: d}\n"),
        'question 2 (id "q-reactions"): "pairs" is only for matching questions (this one is "multiple")',
    ),
    "bad id": (
        GOOD.replace("id: q-route", "id: q route!"),
        'question 1 (id "q route!"): "id" must be short and made of letters, digits, \'-\', \'_\' or \'.\'',
    ),
    "yaml syntax error": ("questions:\n  - prompt: [unclosed\n", "is not valid YAML: did not find expected ',' or ']' (line 3, column 1)"),
    "yaml tab indentation": ("questions:\n\t- prompt: x\n", "is not valid YAML: found character that cannot start any token (a tab: YAML is indented with spaces) (line 2, column 1)"),
    "yaml repeated key": (
        "questions:\n  - prompt: P?\n    prompt: Q?\n",
        'is not valid YAML: the key "prompt" appears twice in one mapping (line 3, column 5)',
    ),
    "yaml alias": (
        "questions:\n  - &q {prompt: P, choices: {A: a, B: b}, answer: A}\n  - *q\n",
        "is not valid YAML: aliases (*name) are not allowed in a question bank (line 3, column 5)",
    ),
}


@pytest.mark.parametrize("case", BROKEN_YAML.values(), ids=BROKEN_YAML.keys())
def test_broken_yaml_bank_names_the_file_question_and_field(tmp_path: Path, case):
    text, message = case
    path = write(tmp_path, text)
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert str(raised.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"questions:\n  - prompt: caf\xe9\n", "is not UTF-8 text (line 2: bad byte at position 26)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "holds binary data, not text"),
    ],
)
def test_unreadable_bytes_are_named(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bank.yaml"
    path.write_bytes(content)
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert str(raised.value) == f"{path}: {message}"


def test_missing_file_folder_and_wrong_suffix(tmp_path: Path):
    with pytest.raises(BankError, match=r"nope\.yaml: no such file$"):
        load_bank(tmp_path / "nope.yaml")
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(BankError, match=r"folder\.yaml: is a folder, not a question bank file$"):
        load_bank(tmp_path / "folder.yaml")
    with pytest.raises(BankError, match=r'bank\.txt: a question bank is a "\.yaml", "\.yml" or "\.json" file, not "\.txt"'):
        load_bank(write(tmp_path, GOOD, "bank.txt"))


def test_absurdly_large_file_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(banks.MAX_BANK_BYTES + 1)
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert str(raised.value) == f"{path}: is 2.0 MiB; a JSON question bank may be at most 2 MiB"


def test_json_syntax_error_names_the_line(tmp_path: Path):
    path = write(tmp_path, '{"questions": [\n  {"prompt": "P?",}\n]}', "bank.json")
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert str(raised.value) == f"{path}: is not valid JSON: Expecting property name enclosed in double quotes (line 2, column 19)"


# --- jupyterquiz files ------------------------------------------------------------------------------

JUPYTERQUIZ = [
    {
        "question": "Which are <b>true</b>?",
        "type": "many_choice",
        "answers": [
            {"answer": "IVIG is given <i>into a vein</i>", "correct": True, "feedback": "Yes &amp; right."},
            {"answer": "IVIG is a vaccine", "correct": False, "feedback": "No."},
        ],
    },
    {
        "question": "Pick one",
        "type": "multiple_choice",
        "code": "print('IVIG')",
        "answers": [
            {"answer": "A", "correct": True},
            {"answer": "B", "correct": True},
            {"answer": "C", "correct": False},
        ],
        "answer_cols": 2,
    },
]


def test_jupyterquiz_file_keeps_its_meaning(tmp_path: Path):
    many, single = load_bank(write(tmp_path, json.dumps(JUPYTERQUIZ), "jq.json"))
    assert (many.id, many.kind, many.prompt) == ("q1", "multiple", "Which are true?")
    assert [(c.text, c.correct, c.feedback) for c in many.choices] == [
        ("IVIG is given into a vein", True, "Yes & right."),
        ("IVIG is a vaccine", False, "No."),
    ]
    # multiple_choice: pick one, and any option marked correct is right
    assert single.kind == "single" and single.prompt == "Pick one\n\nprint('IVIG')"
    assert quiz.check_answer(single, "A")[0] and quiz.check_answer(single, "B")[0]
    assert not quiz.check_answer(single, "C")[0]
    # many_choice: right only with every correct option
    assert quiz.check_answer(many, ["A"])[0] and not quiz.check_answer(many, ["A", "B"])[0]


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<img src=x onerror=alert(1)>Hello", "Hello"),
        ("<script>alert(1)</script>Safe", "Safe"),
        ('<a href="javascript:alert(1)">link</a>', "link"),
        ("Line one<br>Line two", "Line one\nLine two"),
        ("$x^2 &lt; 3$", "$x^2 < 3$"),
        ("<style>p {color: red}</style><p>Styled</p>", "Styled"),
    ],
)
def test_jupyterquiz_html_is_reduced_to_plain_text(fragment, text):
    assert banks.plain_text(fragment) == text


@pytest.mark.parametrize(
    ("bank", "message"),
    [
        (
            [{"question": "How many?", "type": "numeric", "answers": [{"type": "value", "value": 3, "correct": True}]}],
            'question 1: "type" is "numeric": only multiple_choice and many_choice questions can be imported; '
            "rewrite it as a choice question",
        ),
        (
            [{"question": "Q", "type": "multiple_choice", "answers": [{"answer": "A", "correct": False}]}],
            'question 1: "answers" has no correct answer, so the question cannot be scored',
        ),
        (
            [{"question": "Q", "type": "multi_choice", "answers": [{"answer": "A", "correct": True}]}],
            'question 1: "type" is "multi_choice", which is not one of: multiple_choice, many_choice',
        ),
        (
            [{"question": "Q", "type": "many_choice", "answers": [{"answer": "A", "corect": True}]}],
            'question 1: "answers[1].correct" is missing',
        ),
        (
            [{"question": "Q", "type": "many_choice", "answers": [{"answer": "A", "correct": "yes"}]}],
            'question 1: "answers[1].correct" must be true or false, not text',
        ),
        (
            [{"question": "<img src=x>", "type": "many_choice", "answers": [{"answer": "A", "correct": True}]}],
            'question 1: "question" is empty',
        ),
        ([], "has no questions"),
        (["text"], "question 1: must be a mapping (key: value), not text"),
    ],
)
def test_broken_jupyterquiz_file_is_refused_clearly(tmp_path: Path, bank, message):
    path = write(tmp_path, json.dumps(bank), "jq.json")
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert str(raised.value) == f"{path}: {message}"


def test_our_bank_text_is_kept_exactly_as_text(tmp_path: Path):
    # Our own format is plain text: tags are shown as characters (the widgets escape them), never dropped.
    text = GOOD.replace("How is IVIG given?", "'<img src=x onerror=alert(1)>'")
    assert load_bank(write(tmp_path, text))[0].prompt == "<img src=x onerror=alert(1)>"


def test_bank_error_is_a_value_error():
    assert issubclass(BankError, ValueError)


def test_a_schema_rule_without_its_own_wording_still_names_file_question_and_field(tmp_path: Path, monkeypatch):
    # A rule the translation has no words for yet (here "const") falls back to the schema library's message.
    import fastjsonschema

    def refuse(document):
        raise fastjsonschema.JsonSchemaValueException(
            "data.questions[0].kind must be same as const definition: single", value="multi",
            name="data.questions[0].kind", definition={"const": "single"}, rule="const",
        )

    monkeypatch.setattr(banks, "_validator", lambda schema_name: refuse)
    bank = tmp_path / "bank.yaml"
    bank.write_text(GOOD, encoding="utf-8")
    with pytest.raises(BankError) as refused:
        load_bank(bank)
    assert str(refused.value) == (
        f'{bank}: question 1 (id "q-route"): "kind" data.questions[0].kind must be same as const definition: single'
    )
