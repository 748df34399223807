"""The widgets, driven as ipywidgets tests itself: set .value, click(), and look at what is shown."""

from __future__ import annotations

import base64
import io
import re
from datetime import datetime, timezone

import ipywidgets
import pandas as pd
import pytest

import ivig_content
from ivig_content import content, quiz
from ivig_content.content import load_content
from ivig_content.widgets import ConditionExplorer, QuizWidget, results_file_name

from .conftest import edit, matching_question, multiple_question, single_question

INJECTION = "<img src=x onerror=alert(1)>"


def all_html(widget: ipywidgets.Widget) -> str:
    """Every HTML and label text a widget shows, with its children's."""
    parts = []
    if isinstance(widget, (ipywidgets.HTML, ipywidgets.Label)):
        parts.append(widget.value)
    if hasattr(widget, "description"):
        parts.append(widget.description)
    for child in getattr(widget, "children", ()):
        parts.append(all_html(child))
    return "\n".join(parts)


def text_of(fragment: str) -> str:
    return quiz.plain_text(fragment)


# --- Condition explorer ------------------------------------------------------------------------------


def test_explorer_shows_the_disclaimer_and_the_first_group():
    explorer = ConditionExplorer()
    shown = all_html(explorer)
    assert ivig_content.DISCLAIMER in text_of(shown)
    assert explorer.group == "Immunodeficiency states"


@pytest.mark.parametrize("condition", ivig_content.conditions(), ids=lambda c: c.id)
def test_choosing_a_group_shows_its_description_reasons_uses_and_sources(condition):
    explorer = ConditionExplorer()
    explorer._group.value = condition.id
    shown = text_of(explorer._details.value)
    assert condition.name in shown and condition.description in shown
    for fact in condition.how_ivig_helps:
        assert fact.statement in shown and fact.source in shown
    uses = text_of(explorer._uses.value)
    for use in condition.uses + condition.also_fitting_uses:
        assert use.name in uses and use.us_status in uses and use.source in uses
    assert explorer.shown_uses == tuple(use.name for use in condition.uses + condition.also_fitting_uses)


def test_also_fitting_uses_are_labelled_with_their_main_group():
    explorer = ConditionExplorer(group="Inflammatory states")
    assert "CIDP" in " ".join(explorer.shown_uses)
    assert "(also fits here; main group: Autoimmune diseases)" in text_of(explorer._uses.value)


def test_filter_narrows_the_uses_and_points_to_other_groups():
    explorer = ConditionExplorer(group="autoimmune-diseases")
    explorer._filter.value = "NEUROPATHY"
    assert explorer.shown_uses == (
        "Chronic inflammatory demyelinating polyneuropathy (CIDP)",
        "Multifocal motor neuropathy",
    )
    explorer._filter.value = "kawasaki"
    assert explorer.shown_uses == ()
    shown = text_of(explorer._uses.value)
    assert "No use in this group matches" in shown
    assert "Matches in other groups: Kawasaki disease (Inflammatory states)." in shown
    explorer._filter.value = ""
    assert len(explorer.shown_uses) == 5


def test_explorer_refuses_an_unknown_group():
    with pytest.raises(ValueError, match='no group "Allergies"'):
        ConditionExplorer(group="Allergies")


def test_explorer_repr_is_deterministic():
    explorer = ConditionExplorer()
    explorer._filter.value = "x"
    assert repr(explorer) == "ConditionExplorer(group='Immunodeficiency states', filter='x')"


def test_explorer_escapes_content_text(data_copy, monkeypatch):
    edit(data_copy / "conditions.toml", "Conditions in which the immune system", INJECTION + " Conditions in which")
    edit(data_copy / "uses.toml", 'name = "Kawasaki disease"', f'name = "Kawasaki {INJECTION}"')
    injected = load_content(data_copy)
    monkeypatch.setattr(content, "_packaged_content", lambda: injected)
    explorer = ConditionExplorer()
    assert "&lt;img src=x onerror=alert(1)&gt;" in explorer._details.value
    assert "<img" not in explorer._details.value
    explorer._group.value = "inflammatory-states"
    assert "Kawasaki &lt;img" in explorer._uses.value and "<img" not in explorer._uses.value


def test_explorer_shows_a_short_message_instead_of_a_traceback(monkeypatch):
    explorer = ConditionExplorer()
    monkeypatch.setattr(explorer, "_show", lambda: 1 / 0)
    explorer._group.value = "autoimmune-diseases"  # the callback fails; nothing is raised to the learner
    assert "Sorry, something went wrong (ZeroDivisionError" in explorer._message.value
    assert isinstance(explorer.last_error, ZeroDivisionError)


# --- Quiz widget -------------------------------------------------------------------------------------


def answer(widget: QuizWidget, right: bool = True) -> None:
    """Choose an answer in the widget's own controls (right or wrong), as a learner would."""
    question = widget.current_question
    if question.kind == "single":
        choice = next(c for c in question.choices if c.correct == right)
        widget._inputs[0].value = choice.id
    elif question.kind == "multiple":
        for choice, box in zip(question.choices, widget._inputs):
            box.value = choice.correct if right else not choice.correct
    else:
        for index, (item, box) in enumerate(zip(question.items, widget._inputs)):
            wrong = question.items[(index + 1) % len(question.items)].answer
            box.value = item.answer if right else wrong


def test_quiz_defaults_to_the_core_quiz_and_shows_where_you_are():
    widget = QuizWidget(seed=1)
    total = len(quiz.builtin_bank(core=True))
    assert total == 15
    assert f"Question 1 of {total}" in widget._heading.value
    assert (widget._progress.value, widget._progress.max) == (0, total)
    assert ivig_content.DISCLAIMER in text_of(all_html(widget))
    assert widget._back.disabled


def test_checking_with_nothing_chosen_gives_a_gentle_message():
    widget = QuizWidget([single_question()])
    widget._check.click()
    assert text_of(widget._message.value) == "Choose an answer, then check it."
    assert widget.session.progress.answered == 0 and widget._feedback.value == ""


def test_a_right_answer_shows_a_mark_words_explanation_and_source():
    widget = QuizWidget([single_question()])
    answer(widget, right=True)
    widget._check.click()
    shown = text_of(widget._feedback.value)
    assert "\u2713 Correct." in shown
    assert "Why: Given intravenously." in shown and "Source: Seed" in shown
    assert (widget.session.score, widget._progress.value) == (1, 1)


def test_a_wrong_answer_says_so_in_words_and_a_second_try_does_not_count():
    widget = QuizWidget([single_question()])
    answer(widget, right=False)
    widget._check.click()
    assert "\u2717 Not quite." in text_of(widget._feedback.value)
    answer(widget, right=True)
    widget._check.click()
    shown = text_of(widget._feedback.value)
    assert "\u2713 Correct." in shown and "your first answer is the one that counts" in shown
    assert widget.session.score == 0


def test_each_kind_gets_its_own_focusable_labelled_controls():
    widget = QuizWidget([single_question(), multiple_question(), matching_question()], seed=None)
    seen = {}
    for _ in range(3):
        question = widget.current_question
        seen[question.kind] = {type(control) for control in widget._inputs}
        assert all(control.description for control in widget._inputs)
        widget._next.click()
    assert seen == {
        "single": {ipywidgets.RadioButtons},
        "multiple": {ipywidgets.Checkbox},
        "matching": {ipywidgets.Dropdown},
    }
    for button in (widget._check, widget._back, widget._next, widget._review, widget._restart):
        assert isinstance(button, ipywidgets.Button) and button.description and button.tooltip


def test_multiple_select_feedback_mentions_left_out_answers():
    widget = QuizWidget([multiple_question()])
    widget._inputs[[c.id for c in widget.current_question.choices].index("A")].value = True
    widget._check.click()
    shown = text_of(widget._feedback.value)
    assert "\u2717 Not quite." in shown and "You left out 1 right answer." in shown


def test_matching_feedback_marks_each_pair():
    widget = QuizWidget([matching_question()])
    answer(widget, right=False)
    widget._check.click()
    assert text_of(widget._feedback.value).count("(not right)") == 2


def test_back_shows_the_earlier_answer_and_its_feedback():
    widget = QuizWidget([single_question(), multiple_question()], seed=3)
    first = widget.current_question
    answer(widget, right=False)
    widget._check.click()
    feedback = widget._feedback.value
    widget._next.click()
    assert widget._feedback.value == ""
    widget._back.click()
    assert widget.current_question == first
    assert widget._feedback.value == feedback
    assert widget._response() == widget.session.latest(first.id)[0]


def finish(widget: QuizWidget, wrong_ids: set[str] = frozenset()) -> None:
    while True:
        answer(widget, right=widget.current_question.id not in wrong_ids)
        widget._check.click()
        last = widget._next.description == "See my results"
        widget._next.click()
        if last:
            return


def test_finishing_shows_score_chart_with_text_and_a_download_link():
    questions = [single_question(), multiple_question(), matching_question()]
    widget = QuizWidget(questions, seed=2)
    finish(widget, wrong_ids={"reactions"})
    assert widget._summary_view in widget.children
    summary = text_of(widget._summary_text.value)
    assert "2 of 3 (67%) were right at the first try" in summary
    chart = text_of(widget._chart.value)
    assert (
        "Right at the first try, by topic. Conditions treated: 1 of 1 right; How IVIG is given: 1 of 1 right; "
        "Safety and monitoring: 0 of 1 right." in chart
    )
    assert "closer-look" not in chart and "administration" not in chart
    assert repr(widget) == "QuizWidget(mode='summary', question=3 of 3, answered=3 of 3, score=2)"


def downloaded(widget: QuizWidget) -> tuple[str, pd.DataFrame]:
    link = widget._download.value
    name = re.search(r'download="([^"]+)"', link).group(1)
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", link).group(1)
    text = base64.b64decode(data).decode("utf-8")
    return name, pd.read_csv(io.StringIO(text), keep_default_na=False)


def test_download_link_holds_the_results_csv_named_for_the_learner():
    widget = QuizWidget([single_question(), multiple_question()], seed=2)
    finish(widget)
    widget._name.value = "Ada Lovelace"
    name, frame = downloaded(widget)
    assert re.fullmatch(r"ivig-quiz-results-ada-lovelace-\d{8}-\d{6}-[0-9a-f]{6}\.csv", name)
    expected = widget.session.to_frame(learner="Ada Lovelace")
    assert frame.to_dict(orient="records") == expected.to_dict(orient="records")


def test_thirty_learners_files_never_share_a_name():
    same_moment = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    names = {results_file_name("Sam", now=same_moment) for _ in range(30)}
    assert len(names) == 30


def test_review_missed_questions_keeps_the_main_score():
    questions = [single_question(), multiple_question(), matching_question()]
    widget = QuizWidget(questions, seed=5)
    finish(widget, wrong_ids={"route", "groups"})
    widget._review.click()
    assert widget.reviewing
    assert "Reviewing missed questions: Question 1 of 2" in widget._heading.value
    assert {q.id for q in widget._session.questions} == {"route", "groups"}
    finish(widget)
    assert widget.session.score == 1
    assert "In this review you got 2 of 2 right" in text_of(widget._summary_text.value)
    assert widget._review.disabled  # nothing missed in the review


def test_start_over_begins_a_fresh_quiz_in_the_same_order():
    widget = QuizWidget([single_question(), multiple_question()], seed=5)
    order = [q.id for q in widget._session.questions]
    finish(widget)
    widget._restart.click()
    assert (widget.session.progress.answered, widget._index, widget.reviewing) == (0, 0, False)
    assert [q.id for q in widget._session.questions] == order
    assert widget._question_view in widget.children


def test_quiz_shows_bank_text_as_text_never_as_html():
    question = quiz.Question(
        "inject", "single", "safety", "", f"Prompt {INJECTION}",
        (quiz.Choice("A", f"Choice {INJECTION}", True, f"Feedback {INJECTION}"),
         quiz.Choice("B", "<script>alert(2)</script>", False, "<a href='javascript:alert(3)'>x</a>")),
        explanation=f"Why {INJECTION}", source=f"Source {INJECTION}",
    )
    widget = QuizWidget([question])
    widget._inputs[0].value = "A"
    widget._check.click()
    html_shown = widget._prompt.value + widget._feedback.value
    assert "<img" not in html_shown and "&lt;img src=x onerror=alert(1)&gt;" in html_shown
    # Radio labels are drawn as text by ipywidgets (textContent), so they carry the raw characters.
    assert (f"Choice {INJECTION}", "A") in widget._inputs[0].options
    widget._inputs[0].value = "B"
    widget._check.click()
    assert "<script>" not in widget._feedback.value and "&lt;a href=&#x27;javascript:" in widget._feedback.value


def test_an_unexpected_error_in_a_callback_becomes_a_short_message(monkeypatch):
    widget = QuizWidget([single_question()])
    answer(widget)

    def broken(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(widget._session, "answer", broken)
    widget._check.click()
    assert "Sorry, something went wrong (RuntimeError: disk on fire)" in widget._message.value
    assert "Traceback" not in widget._message.value


def test_quiz_repr_is_deterministic_for_a_seed():
    assert repr(QuizWidget(seed=4)) == repr(QuizWidget(seed=4))
    assert repr(QuizWidget(seed=4)).startswith("QuizWidget(mode='quiz', question=1 of ")


def test_widgets_module_is_not_imported_by_the_package():
    import subprocess
    import sys

    code = "import sys, ivig_content; print('ivig_content.widgets' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
