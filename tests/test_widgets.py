"""The widgets' Python side: the data the browser is given, and what the kernel does with the browser's messages.

The browser side (drawing, checking at once, focus, themes) is tested in a real browser in tests/browser/; here
the widgets are driven as ipywidgets tests its own: set traits, send the messages a browser sends, and look at
what the kernel records and answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import traitlets

import ivig_content
from ivig_content import banks, content, quiz, records
from ivig_content.content import load_content
from ivig_content.widgets import ConditionExplorer, QuizWidget, explorer_data, quiz_data

from .conftest import edit, matching_question, multiple_question, single_question

INJECTION = "<img src=x onerror=alert(1)>"
FRONTEND = Path(ivig_content.__file__).parent / "frontend"


class Browser:
    """Stands in for the page: sends what quiz.js sends, and keeps what the kernel sends back."""

    def __init__(self, widget: QuizWidget):
        self.widget = widget
        self.received: list[dict] = []
        self.number = 0
        widget.send = lambda content, buffers=None: self.received.append(content)

    def say(self, **message) -> dict | None:
        self.number += 1
        self.widget._handle_custom_msg({**message, "number": self.number}, [])
        return self.received[-1] if self.received and self.received[-1].get("number") == self.number else None

    def answer(self, question: records.Question, response, review: bool = False) -> dict | None:
        return self.say(kind="answer", question_id=question.id, response=response, review=review)


def right(question: records.Question):
    return quiz._right_answer(question)


def wrong(question: records.Question):
    if question.kind == "single":
        return next(c.id for c in question.choices if not c.correct)
    if question.kind == "multiple":
        return [c.id for c in question.choices if not c.correct]
    answers = [item.answer for item in question.items]
    return {item.id: answer for item, answer in zip(question.items, answers[1:] + answers[:1])}


# --- Condition explorer ------------------------------------------------------------------------------


def group(explorer: ConditionExplorer, group_id: str | None = None) -> dict:
    wanted = group_id or explorer.chosen_group
    return next(g for g in explorer.data["groups"] if g["id"] == wanted)


def test_explorer_ships_its_own_front_end_and_starts_on_the_first_group():
    explorer = ConditionExplorer()
    assert explorer._esm == (FRONTEND / "explorer.js").read_text(encoding="utf-8")
    assert explorer._css == (FRONTEND / "ivig.css").read_text(encoding="utf-8")
    assert explorer.data["disclaimer"] == ivig_content.DISCLAIMER
    assert (explorer.group, explorer.chosen_group) == ("Immunodeficiency states", "immunodeficiency-states")


@pytest.mark.parametrize("condition", ivig_content.conditions(), ids=lambda c: c.id)
def test_each_group_carries_its_description_reasons_uses_and_sources(condition):
    explorer = ConditionExplorer(group=condition.name)
    shown = group(explorer)
    assert (shown["name"], shown["description"], shown["caveat"], shown["source"]) == (
        condition.name, condition.description, condition.caveat, condition.source
    )
    facts = {fact["text"]: fact["source"] for fact in shown["helps"] if not fact["said"]}
    for fact in condition.how_ivig_helps:
        if not fact.refines:
            assert facts[fact.statement] == fact.source
    uses = [(u["name"], u["us_status"], u["detail"], u["source"]) for u in shown["uses"]]
    assert uses == [(u.name, u.us_status, u.detail, u.source) for u in condition.uses + condition.also_fitting_uses]
    assert explorer.shown_uses == tuple(use.name for use in condition.uses + condition.also_fitting_uses)


def test_also_fitting_uses_are_labelled_with_their_main_group():
    explorer = ConditionExplorer(group="Inflammatory states")
    cidp = next(u for u in group(explorer)["uses"] if "CIDP" in u["name"])
    assert cidp["main_group"] == "Autoimmune diseases"
    assert all(u["main_group"] == "" for u in group(explorer)["uses"][: len(ivig_content.conditions()[2].uses)])


def test_filter_narrows_the_uses_as_the_browser_does():
    explorer = ConditionExplorer(group="autoimmune-diseases")
    explorer.filter = "NEUROPATHY"
    assert explorer.shown_uses == (
        "Chronic inflammatory demyelinating polyneuropathy (CIDP)",
        "Multifocal motor neuropathy",
    )
    explorer.filter = "kawasaki"
    assert explorer.shown_uses == ()
    assert {"id": "kawasaki-disease", "name": "Kawasaki disease", "group": "Inflammatory states"} in explorer.data["all_uses"]
    explorer.filter = ""
    assert len(explorer.shown_uses) == 5


def test_explorer_refuses_an_unknown_group_from_python_and_from_the_browser():
    with pytest.raises(ValueError, match='no group "Allergies"'):
        ConditionExplorer(group="Allergies")
    explorer = ConditionExplorer()
    with pytest.raises((ValueError, traitlets.TraitError), match='no group "nonsense"'):
        explorer.chosen_group = "nonsense"
    assert explorer.chosen_group == "immunodeficiency-states"


def test_explorer_repr_is_deterministic():
    explorer = ConditionExplorer()
    explorer.filter = "x"
    assert repr(explorer) == "ConditionExplorer(group='Immunodeficiency states', filter='x')"


def test_explorer_keeps_bank_text_as_data_and_escapes_it_in_the_saved_form(data_copy, monkeypatch):
    edit(data_copy / "conditions.toml", "Conditions in which the immune system", INJECTION + " Conditions in which")
    edit(data_copy / "uses.toml", 'name = "Kawasaki disease"', f'name = "Kawasaki {INJECTION}"')
    injected = load_content(data_copy)
    monkeypatch.setattr(content, "_packaged_content", lambda: injected)
    explorer = ConditionExplorer()
    # the browser sets these with textContent: they travel as the very characters written
    assert group(explorer)["description"].startswith(INJECTION)
    saved = explorer._repr_mimebundle_()[0]["text/html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in saved and "Kawasaki &lt;img" in saved and "<img" not in saved


def test_a_saved_notebook_shows_the_explorers_content_and_the_disclaimer():
    data, _ = ConditionExplorer()._repr_mimebundle_()
    assert data["text/plain"] == "ConditionExplorer(group='Immunodeficiency states', filter='')"
    assert "application/vnd.jupyter.widget-view+json" in data
    saved = banks.plain_text(data["text/html"])
    assert ivig_content.DISCLAIMER in saved and "runs when this cell is run" in saved
    for condition in ivig_content.conditions():
        assert condition.name in saved and condition.described in saved
        for use in condition.uses:
            assert use.name in saved and use.us_status in saved
    assert explorer_data() == ConditionExplorer().data
    json.dumps(explorer_data())  # plain JSON, as the widget protocol sends it


# --- Quiz widget: what the browser is given ---------------------------------------------------------


def test_quiz_ships_its_front_end_and_the_questions_in_the_sessions_order():
    widget = QuizWidget(seed=1)
    assert widget._esm == (FRONTEND / "quiz.js").read_text(encoding="utf-8")
    shown = widget.data["questions"]
    assert [q["id"] for q in shown] == [q.id for q in widget.session.questions]
    assert len(shown) == len(banks.builtin_bank(core=True)) == 15
    for sent, question in zip(shown, widget.session.questions):
        assert [c["id"] for c in sent["choices"]] == [c.id for c in question.choices]  # shuffled as the session
        assert [i["id"] for i in sent["items"]] == [i.id for i in question.items]
        assert sent["right_answer"] == quiz.right_answer_text(question)
        assert (sent["prompt"], sent["explanation"], sent["source"]) == (question.prompt, question.explanation, question.source)
    assert widget.data["disclaimer"] == ivig_content.DISCLAIMER
    assert widget.data["exam"] is False
    json.dumps(widget.data)


def test_practise_all_is_offered_with_the_whole_bank_in_the_order_python_will_use():
    widget = QuizWidget(seed=7)
    wider = widget.data["wider"]
    assert wider["label"] == f"Practise all {len(banks.builtin_bank())} questions"
    assert [q["id"] for q in wider["questions"]] == [q.id for q in widget.session.widened(banks.builtin_bank()).questions]
    assert QuizWidget([single_question()]).data["wider"] is None
    assert QuizWidget(core=False).data["wider"] is None


def test_without_a_seed_one_is_drawn_so_browser_and_kernel_agree():
    widget = QuizWidget()  # no seed: a random order, the same on both sides, and for "Practise all" too
    Browser(widget).say(kind="practise_all")
    assert [q.id for q in widget.session.questions] == [q["id"] for q in widget.data["wider"]["questions"]]


def test_topic_titles_go_with_the_questions_never_ids_alone():
    widget = QuizWidget(seed=1)
    titles = widget.data["topic_titles"]
    assert titles["closer-look"] == "A closer look" and titles["bedside"] == "At the bedside"
    assert widget.data["topic_order"] == list(content.TOPICS)


def test_exam_mode_is_passed_to_the_browser():
    assert QuizWidget([single_question()], exam=True).data["exam"] is True


def test_quiz_data_keeps_bank_text_as_written():
    question = records.Question(
        "inject", "single", "safety", "", f"Prompt {INJECTION} costs $50 to $70, \\(x\\)",
        (records.Choice("A", f"Choice {INJECTION}", True, f"Feedback {INJECTION}"),
         records.Choice("B", "<script>alert(2)</script>", False, "No.")),
    )
    sent = quiz_data(quiz.QuizSession([question], seed=1))["questions"][0]
    assert sent["prompt"] == question.prompt
    assert {c["text"] for c in sent["choices"]} == {f"Choice {INJECTION}", "<script>alert(2)</script>"}


def test_a_saved_notebook_shows_what_the_quiz_is_and_how_to_get_the_quiz_page():
    data, _ = QuizWidget(seed=4)._repr_mimebundle_()
    assert data["text/plain"] == "QuizWidget(mode='quiz', question=1 of 15, answered=0 of 15, score=0)"
    saved = banks.plain_text(data["text/html"])
    assert ivig_content.DISCLAIMER in saved
    assert "A quiz of 15 questions runs here when this cell is run" in saved
    assert "python -m ivig_content quiz-page --out quiz.html" in saved


# --- Quiz widget: what the kernel does with the browser's messages ------------------------------------


def test_each_answer_is_recorded_by_the_session_and_receipted():
    widget = QuizWidget([single_question(), multiple_question(), matching_question()], seed=2)
    browser = Browser(widget)
    for question in widget.session.questions:
        receipt = browser.answer(question, right(question))
        assert receipt == {"kind": "recorded", "number": browser.number, "question_id": question.id, "correct": True}
    assert (widget.session.score, widget.session.progress.answered) == (3, 3)


def test_a_second_answer_is_an_attempt_that_does_not_count():
    widget = QuizWidget([single_question()])
    browser = Browser(widget)
    question = widget.session.questions[0]
    assert browser.answer(question, wrong(question))["correct"] is False
    assert browser.answer(question, right(question))["correct"] is True
    row = widget.session.to_frame().iloc[0]
    assert (bool(row["correct"]), int(row["attempts"]), widget.session.score) == (False, 2, 0)


def test_review_answers_go_to_the_review_and_leave_the_main_score():
    widget = QuizWidget([single_question(), multiple_question(), matching_question()], seed=5)
    browser = Browser(widget)
    for question in widget.session.questions:
        browser.answer(question, wrong(question) if question.id in ("route", "groups") else right(question))
    missed = [q.id for q in widget.session.questions if q.id in ("route", "groups")]
    browser.say(kind="review", question_ids=missed)
    assert widget.reviewing and [q.id for q in widget._review.questions] == missed
    for question_id in missed:
        browser.answer(widget.session.question(question_id), right(widget.session.question(question_id)), review=True)
    assert (widget.session.score, widget._review.score) == (1, 2)
    assert widget.session.to_frame().set_index("question_id").loc["route", "attempts"] == 2
    widget.view, widget.position = "review", 1
    assert repr(widget) == "QuizWidget(mode='review', question=2 of 2, answered=3 of 3, score=1)"


def test_start_over_and_practise_all():
    widget = QuizWidget(seed=1)
    browser = Browser(widget)
    first = widget.session.questions[0]
    browser.answer(first, right(first))
    browser.say(kind="practise_all")
    assert len(widget.session.questions) == len(banks.builtin_bank()) and widget.session.score == 1
    browser.say(kind="restart")
    assert (widget.session.progress.answered, widget.reviewing) == (0, False)
    assert len(widget.session.questions) == len(banks.builtin_bank())


@pytest.mark.parametrize(
    "message",
    [
        {"kind": "answer", "question_id": "no-such-question", "response": "A"},
        {"kind": "answer", "question_id": "route", "response": None},
        {"kind": "answer", "question_id": "route", "response": "Z"},
        {"kind": "answer", "question_id": "route"},
        {"kind": "review", "question_ids": None},
        {"kind": "surprise"},
        {"no": "kind"},
    ],
    ids=["unknown question", "no answer", "unknown choice", "no response", "bad review", "unknown kind", "no kind"],
)
def test_a_bad_message_never_raises_and_an_answer_gets_a_receipt_with_the_problem(message):
    widget = QuizWidget([single_question()])
    browser = Browser(widget)
    receipt = browser.say(**message)
    assert widget.last_error is not None and widget.session.progress.answered == 0
    if message.get("kind") == "answer":
        assert receipt["kind"] == "recorded" and receipt["error"] and "Traceback" not in receipt["error"]


def test_the_browser_reports_what_it_shows_for_the_repr():
    widget = QuizWidget([single_question(), multiple_question()], seed=3)
    assert repr(widget) == "QuizWidget(mode='quiz', question=1 of 2, answered=0 of 2, score=0)"
    widget.view, widget.position = "summary", 1
    assert repr(widget) == "QuizWidget(mode='summary', question=2 of 2, answered=0 of 2, score=0)"


def test_quiz_repr_is_deterministic_for_a_seed():
    assert repr(QuizWidget(seed=4)) == repr(QuizWidget(seed=4))
    assert repr(QuizWidget(seed=4)).startswith("QuizWidget(mode='quiz', question=1 of ")


def test_the_front_end_sets_bank_text_only_as_text():
    # never innerHTML, insertAdjacentHTML, document.write or eval: text from a bank can run or typeset nothing
    for name in ("quiz.js", "explorer.js"):
        source = (FRONTEND / name).read_text(encoding="utf-8")
        for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert unsafe not in source, f"{name} uses {unsafe}"
        assert "http://" not in source and "https://" not in source  # nothing fetched from anywhere


def test_widgets_module_is_not_imported_by_the_package():
    import subprocess
    import sys

    code = "import sys, ivig_content; print('ivig_content.widgets' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
