"""The pure quiz logic: checking answers, a learner's session, and results files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ivig_content import files, records, results
from ivig_content.quiz import NoAnswerError, QuizSession, check_answer, percent_of
from ivig_content.results import load_results

from .conftest import matching_question, multiple_question, single_question


@pytest.mark.parametrize(
    ("question", "response", "correct"),
    [
        (single_question(), "A", True),
        (single_question(), "B", False),
        (multiple_question(), ["A", "B"], True),
        (multiple_question(), {"B", "A"}, True),
        (multiple_question(), ["A"], False),  # a right choice left out
        (multiple_question(), ["A", "B", "C"], False),  # a wrong choice added
        (matching_question(), {"1": "A", "2": "B"}, True),
        (matching_question(), {"1": "B", "2": "A"}, False),
        (matching_question(), {"1": "A", "2": "A"}, False),
    ],
)
def test_check_answer(question, response, correct):
    assert check_answer(question, response)[0] is correct


def test_single_choice_feedback_covers_every_choice_and_marks_the_chosen_one():
    _, feedback = check_answer(single_question(), "B")
    assert [(f.text, f.chosen, f.correct, f.feedback) for f in feedback] == [
        ("Into a vein", False, True, "Yes."),
        ("As a tablet", True, False, "No: into a vein."),
        ("As a cream", False, False, "No: into a vein."),
    ]


def test_matching_feedback_says_which_pairs_are_right():
    _, feedback = check_answer(matching_question(), {"1": "A", "2": "A"})
    assert [(f.text, f.correct) for f in feedback] == [
        ("Autoimmune diseases \u2192 Immune system attacks the body", True),
        ("Inflammatory states \u2192 Immune system attacks the body", False),
    ]


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (single_question(), None),
        (single_question(), ""),
        (multiple_question(), []),
        (multiple_question(), None),
        (matching_question(), {"1": "A"}),
        (matching_question(), {"1": "A", "2": ""}),
    ],
)
def test_no_answer_is_a_gentle_error(question, response):
    with pytest.raises(NoAnswerError):
        check_answer(question, response)


@pytest.mark.parametrize(
    ("question", "response"),
    [(single_question(), "Z"), (multiple_question(), ["A", "Z"]), (matching_question(), {"1": "A", "2": "Z"})],
)
def test_unknown_choice_is_refused(question, response):
    with pytest.raises(KeyError, match='has no choice "Z"'):
        check_answer(question, response)


def test_same_seed_same_order_and_other_seeds_differ(three_questions):
    def order(seed):
        session = QuizSession(three_questions * 1, seed=seed)
        return [(q.id, [c.id for c in q.choices]) for q in session.questions]

    assert order(7) == order(7)
    assert len({repr(order(seed)) for seed in range(20)}) > 1


def test_shuffle_false_keeps_the_given_order(three_questions):
    session = QuizSession(three_questions, seed=1, shuffle=False)
    assert session.questions == tuple(three_questions)


def test_true_false_keeps_its_order():
    question = single_question()
    true_false = question.__class__(
        "tf", "single", "overview", "seed", "True or false?",
        (records.Choice("T", "True", False, "No."), records.Choice("F", "False", True, "Yes.")),
    )
    for seed in range(10):
        (shown,) = QuizSession([true_false], seed=seed).questions
        assert [choice.text for choice in shown.choices] == ["True", "False"]


def test_first_answer_counts_and_later_tries_do_not(three_questions):
    session = QuizSession(three_questions, seed=1)
    first = session.answer("route", "B")
    again = session.answer("route", "A")
    assert (first.correct, first.counted) == (False, True)
    assert (again.correct, again.counted) == (True, False)
    assert session.score == 0
    assert session.progress == records.Progress(1, 3)
    assert session.latest("route")[0] == "A"
    assert session.first_result("route") == first


def test_a_gentle_error_does_not_count_as_an_answer(three_questions):
    session = QuizSession(three_questions, seed=1)
    with pytest.raises(NoAnswerError):
        session.answer("route", None)
    assert session.progress.answered == 0
    assert session.answer("route", "A").counted


def test_result_carries_explanation_and_source(three_questions):
    result = QuizSession(three_questions).answer("route", "A")
    assert (result.explanation, result.source) == ("Given intravenously.", "Seed")


def test_progress_finishes_when_every_question_is_answered(three_questions):
    session = QuizSession(three_questions)
    session.answer("route", "A")
    session.answer("reactions", ["C"])
    assert not session.progress.finished
    session.answer("groups", {"1": "A", "2": "B"})
    assert session.progress.finished and session.score == 2


def test_by_topic_counts_first_attempts_in_topic_order(three_questions):
    session = QuizSession(three_questions, seed=3)
    session.answer("route", "A")
    session.answer("reactions", ["A"])
    session.answer("reactions", ["A", "B"])  # a second try does not change the topic's score
    expected = pd.DataFrame(
        {
            "topic": ["conditions", "administration", "safety"],
            "questions": [1, 1, 1],
            "answered": [0, 1, 1],
            "correct": [0, 1, 0],
            "percent": [0, 100, 0],
        }
    ).astype({"questions": "int64", "answered": "int64", "correct": "int64", "percent": "int64"})
    pd.testing.assert_frame_equal(session.by_topic(), expected)


def test_missed_makes_a_new_session_and_keeps_the_main_score(three_questions):
    session = QuizSession(three_questions, seed=2)
    session.answer("route", "B")
    session.answer("reactions", ["A", "B"])
    review = session.missed()
    assert [q.id for q in review.questions] == ["route"]
    review.answer("route", "A")
    assert review.score == 1 and session.score == 1


def test_missed_with_nothing_missed_says_so(three_questions):
    session = QuizSession(three_questions)
    session.answer("route", "A")
    with pytest.raises(ValueError, match="no missed questions"):
        session.missed()


def test_restart_is_empty_with_the_same_order(three_questions):
    session = QuizSession(three_questions, seed=5)
    session.answer("route", "A")
    again = session.restart()
    assert again.questions == session.questions and again.progress.answered == 0


@pytest.mark.parametrize(
    ("questions", "message"),
    [([], "at least one question"), ([single_question(), single_question()], "repeated: route")],
)
def test_session_refuses_bad_question_lists(questions, message):
    with pytest.raises(ValueError, match=message):
        QuizSession(questions)


def test_to_frame_has_one_row_per_question_with_first_answers(three_questions):
    session = QuizSession(three_questions, shuffle=False)
    session.answer("route", "B")
    session.answer("route", "A")
    session.answer("groups", {"1": "A", "2": "B"})
    frame = session.to_frame(learner="Ada")
    assert tuple(frame.columns) == results.RESULT_COLUMNS
    assert frame.to_dict(orient="records") == [
        {
            "learner": "Ada", "number": 1, "questions_in_quiz": 3, "question_id": "route", "topic": "administration", "level": "seed",
            "kind": "single", "prompt": "How is IVIG given?", "answered": True, "correct": False, "attempts": 2,
            "your_answer": "As a tablet", "right_answer": "Into a vein",
        },
        {
            "learner": "Ada", "number": 2, "questions_in_quiz": 3, "question_id": "reactions", "topic": "safety", "level": "extended",
            "kind": "multiple", "prompt": "Common mild reactions?", "answered": False, "correct": False,
            "attempts": 0, "your_answer": "", "right_answer": "Headache; Chills",
        },
        {
            "learner": "Ada", "number": 3, "questions_in_quiz": 3, "question_id": "groups", "topic": "conditions", "level": "seed",
            "kind": "matching", "prompt": "Match them.", "answered": True, "correct": True, "attempts": 1,
            "your_answer": "Autoimmune diseases \u2192 Immune system attacks the body; "
            "Inflammatory states \u2192 Too much inflammation",
            "right_answer": "Autoimmune diseases \u2192 Immune system attacks the body; "
            "Inflammatory states \u2192 Too much inflammation",
        },
    ]


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        (None, ""),
        ("  Ada Lovelace ", "Ada Lovelace"),
        ("=HYPERLINK(\"x\")", 'HYPERLINK("x")'),
        ("@Ada\tBee\n", "Ada Bee"),
        ("x" * 200, "x" * 80),
        ('= =HYPERLINK("http://x","y")', 'HYPERLINK("http://x","y")'),  # a space between "="s hid the second
        ("- -1+2 @ @x", "1+2 @ @x"),
    ],
)
def test_learner_names_are_stored_safely(name, stored):
    assert results.clean_learner_name(name) == stored


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_saved_results_load_back_exactly(three_questions, tmp_path: Path, suffix):
    session = QuizSession(three_questions, seed=4)
    session.answer("reactions", ["A", "C"])
    session.answer("groups", {"1": "B", "2": "A"})
    path = session.save(tmp_path / f"results{suffix}", learner='Zoë "Z", 1,2')
    pd.testing.assert_frame_equal(load_results(path), session.to_frame(learner='Zoë "Z", 1,2'))


def test_saving_refuses_to_overwrite_unless_asked(three_questions, tmp_path: Path):
    path = tmp_path / "results.csv"
    path.write_text("keep me", encoding="utf-8")
    session = QuizSession(three_questions)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        session.save(path)
    assert path.read_text(encoding="utf-8") == "keep me"
    session.save(path, overwrite=True)
    assert path.read_text(encoding="utf-8").startswith("\ufefflearner,number,questions_in_quiz,")


def test_a_failed_save_leaves_no_partial_file(three_questions, tmp_path: Path, monkeypatch):
    path = tmp_path / "results.json"

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "link", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        QuizSession(three_questions).save(path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_results_suffix_is_refused(three_questions, tmp_path: Path):
    with pytest.raises(ValueError, match='".csv" or ".json"'):
        QuizSession(three_questions).save(tmp_path / "results.xlsx")


def test_json_results_are_readable_records(three_questions, tmp_path: Path):
    path = QuizSession(three_questions).save(tmp_path / "r.json")
    records = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == 3 and set(records[0]) == set(results.RESULT_COLUMNS)


def test_load_results_refuses_a_file_that_is_not_results(tmp_path: Path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a results file"):
        load_results(path)


def test_quiz_module_imports_no_widgets():
    import subprocess
    import sys

    code = "import sys, ivig_content.quiz; print([m for m in ('ipywidgets', 'IPython') if m in sys.modules])"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_percentages_round_halves_up_as_people_expect():
    """Found by a fresh-eyes trial: 1 of 8 showed 12% (Python's round() takes halves to even) and 3 of 8 38%."""
    assert [percent_of(part, 8) for part in range(9)] == [0, 13, 25, 38, 50, 63, 75, 88, 100]
    assert (percent_of(0, 0), percent_of(2, 3), percent_of(1, 3)) == (0, 67, 33)
