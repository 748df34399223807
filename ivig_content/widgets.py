"""The learner's views: a condition explorer and a quiz, as ipywidgets.

Views only: they read records from :mod:`ivig_content.content`, hand answers to :mod:`ivig_content.quiz`, and
draw the result. Every text is escaped before it goes into HTML, so a prompt such as
``<img src=x onerror=alert(1)>`` shows those characters and runs nothing. No callback ever shows a
traceback: an unexpected error becomes a short message inside the widget.
"""

from __future__ import annotations

import base64
import functools
import html
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

import ipywidgets as widgets

from . import content, quiz
from .records import Condition, Fact, Question, Result, Use

__all__ = ["ConditionExplorer", "QuizWidget"]

RIGHT_MARK = "\u2713"  # a check mark: shown with words, so meaning never rests on colour alone
WRONG_MARK = "\u2717"
_WIDE = widgets.Layout(width="auto")
_NOTICE = "border-left:4px solid #9a3412;background:#fff7ed;color:#1f2937;padding:6px 10px;margin:4px 0"


def escape(text: str) -> str:
    return html.escape(text, quote=True)


# Stock ipywidgets give each radio button one fixed-height line and cut checkbox labels with "...": long answers
# then overlap (a tap lands on the wrong one) or cannot be read. Until the widgets get their own front end, let
# the labels of our quiz wrap. Scoped to .ivig-quiz, so nothing else on the page changes.
_WRAP_ANSWERS = (
    '<style class="ivig-own-style">'
    # a radio's label holds its text, then the radio: row-reverse shows the radio first, on the first line
    ".ivig-quiz .widget-radio-box label{height:auto;min-height:var(--jp-widgets-radio-item-height);"
    "line-height:1.4;padding:3px 0;white-space:normal;display:flex;flex-direction:row-reverse;"
    "justify-content:flex-end;align-items:flex-start}"
    ".ivig-quiz .widget-radio-box input{float:none;flex:none;margin-top:0.25em}"
    ".ivig-quiz .widget-checkbox{height:auto;line-height:1.4;width:auto}"
    ".ivig-quiz .widget-checkbox .widget-label-basic{height:auto;white-space:normal;overflow:visible;"
    "line-height:1.4;padding:3px 0;display:flex;align-items:flex-start}"
    ".ivig-quiz .widget-checkbox input{flex:none;margin-top:0.25em}"
    # a matching item's words above its drop-down, both the full width, so neither is squeezed on a phone
    ".ivig-quiz .widget-dropdown{flex-wrap:wrap;height:auto;margin-bottom:6px}"
    ".ivig-quiz .widget-dropdown>.widget-label{flex:1 1 100%;white-space:normal;text-align:left;"
    "height:auto;line-height:1.4;overflow:visible}"
    ".ivig-quiz .widget-dropdown>select{flex:1 1 100%;min-width:0;max-width:100%}"
    "</style>"
)


def disclaimer_html() -> str:
    return f'{_WRAP_ANSWERS}<div role="note" style="{_NOTICE}"><b>Important:</b> {escape(content.DISCLAIMER)}</div>'


def _shows_errors(method: Callable) -> Callable:
    """Run a callback; if it fails, say so briefly in the widget instead of printing a traceback."""

    @functools.wraps(method)
    def guarded(self, *args: Any) -> None:
        try:
            method(self, *args)
        except Exception as exc:  # noqa: BLE001 - a learner must never see a traceback
            self.last_error = exc
            self._message.value = (
                f'<div role="alert" style="{_NOTICE}">Sorry, something went wrong '
                f"({escape(type(exc).__name__)}: {escape(str(exc)[:200])}). Nothing you answered was lost. "
                "Try again, or tell your instructor.</div>"
            )

    return guarded


def _fact_item_html(fact: Fact) -> str:
    """A fact as a list item with its source, and right after it any "closer look" that corrects it.

    A closer-look fact shown on its own says which simplification of the overview it corrects, so the two are
    always read together.
    """
    if fact.refines:
        # Quote what the overview says, then every closer look on it (one sentence may simplify twice).
        said = " / ".join(_facts_by_id()[target].statement for target in fact.refines)
        corrections = dict.fromkeys(c for target in fact.refines for c in content.closer_looks_for(target))
        text = " ".join(correction.statement for correction in corrections)
        cited = "; ".join(dict.fromkeys(correction.source for correction in corrections))
        return (
            f"<li><b>A closer look.</b> \u201c{escape(said)}\u201d {escape(text)}"
            f"<br><small>Source: {escape(cited)}</small></li>"
        )
    corrections = "".join(
        f"<br><b>A closer look:</b> {escape(correction.statement)} <small>(Source: {escape(correction.source)})</small>"
        for correction in content.closer_looks_for(fact.id)
    )
    return f"<li>{escape(fact.statement)}<br><small>Source: {escape(fact.source)}</small>{corrections}</li>"


@functools.cache
def _facts_by_id() -> dict[str, Fact]:
    return {fact.id: fact for fact in content.facts()}


def glossary_html(text: str) -> str:
    """Definitions of the glossary words that ``text`` uses, as a list ("" when it uses none).

    A plain list, not a <dl>: the notebook's styles set a <dl> in two narrow columns, unreadable on a phone.
    """
    terms = content.glossary_terms_in(text)
    if not terms:
        return ""
    entries = "".join(
        f"<li><b>{escape(term.term)}</b>: {escape(term.definition)} <small>(Source: {escape(term.source)})</small></li>"
        for term in terms
    )
    return f"<details><summary>Words used here</summary><ul>{entries}</ul></details>"


# --- Condition explorer ------------------------------------------------------------------------------


class ConditionExplorer(widgets.VBox):
    """Choose one of the four groups of conditions: see its description, how IVIG helps there (each fact with
    its source), and its specific uses with their US status and source; filter the uses by text."""

    def __init__(self, group: str | None = None):
        self.last_error: Exception | None = None
        self._conditions = {condition.id: condition for condition in content.conditions()}
        first = next(iter(self._conditions))
        self._group = widgets.ToggleButtons(
            options=[(condition.name, condition.id) for condition in self._conditions.values()],
            value=self._group_id(group) if group else first,
            description="Group:",
            tooltips=[condition.described for condition in self._conditions.values()],
            style={"button_width": "auto"},
        )
        self._filter = widgets.Text(
            description="Filter uses:", placeholder="type part of a name, e.g. Kawasaki", continuous_update=True
        )
        self._details = widgets.HTML()
        self._uses = widgets.HTML()
        self._message = widgets.HTML()
        self._group.observe(self._on_select, names="value")
        self._filter.observe(self._on_filter, names="value")
        super().__init__(
            [widgets.HTML(disclaimer_html()), self._group, self._details, self._filter, self._uses, self._message]
        )
        # CSS classes name the parts for the browser tests and for anyone restyling the explorer.
        self.add_class("ivig-explorer")
        for part, name in [(self._details, "details"), (self._uses, "uses"), (self._message, "message")]:
            part.add_class(f"ivig-{name}")
        self._show()

    def __repr__(self) -> str:
        return f"ConditionExplorer(group={self.group!r}, filter={self._filter.value!r})"

    @property
    def group(self) -> str:
        """The name of the group shown."""
        return self._conditions[self._group.value].name

    @property
    def shown_uses(self) -> tuple[str, ...]:
        """The names of the uses listed for the chosen group, after the filter."""
        return tuple(use.name for use, _ in self._matching_uses(self._conditions[self._group.value]))

    def _group_id(self, name_or_id: str) -> str:
        for condition in self._conditions.values():
            if name_or_id in (condition.id, condition.name):
                return condition.id
        raise ValueError(f'no group "{name_or_id}"; choose one of: {", ".join(self.group_names())}')

    def group_names(self) -> list[str]:
        return [condition.name for condition in self._conditions.values()]

    @_shows_errors
    def _on_select(self, change: dict) -> None:
        self._show()

    @_shows_errors
    def _on_filter(self, change: dict) -> None:
        self._show_uses(self._conditions[self._group.value])

    def _show(self) -> None:
        self._message.value = ""
        condition = self._conditions[self._group.value]
        reasons = "".join(_fact_item_html(fact) for fact in condition.how_ivig_helps)
        caveat = f" <b>A closer look:</b> {escape(condition.caveat)}" if condition.caveat else ""
        shown = " ".join(
            [condition.described]
            + [fact.statement for fact in condition.how_ivig_helps]
            + [use.name + " " + use.us_status + " " + use.detail for use in condition.uses + condition.also_fitting_uses]
        )
        self._details.value = (
            f"<h3>{escape(condition.name)}</h3>"
            f"<p>{escape(condition.description)}{caveat}<br><small>Source: {escape(condition.source)}</small></p>"
            f"<h4>How IVIG helps here</h4><ul>{reasons}</ul>"
            f"{glossary_html(shown)}"
        )
        self._show_uses(condition)

    def _matching_uses(self, condition: Condition) -> list[tuple[Use, bool]]:
        """(use, primary?) for the group's uses, primary ones first, kept when the filter text matches."""
        wanted = self._filter.value.strip().lower()
        listed = [(use, True) for use in condition.uses] + [(use, False) for use in condition.also_fitting_uses]
        return [(use, primary) for use, primary in listed if not wanted or wanted in use.name.lower()]

    def _show_uses(self, condition: Condition) -> None:
        matching = self._matching_uses(condition)
        names = {group.id: group.name for group in self._conditions.values()}
        rows = "".join(
            "<tr>"
            f"<td>{escape(use.name)}{'' if primary else ' <i>(also fits here; main group: ' + escape(names[use.condition]) + ')</i>'}</td>"
            f"<td>{escape(use.us_status)}</td>"
            f"<td>{escape(use.detail)}</td>"
            f"<td><small>{escape(use.source)}</small></td>"
            "</tr>"
            for use, primary in matching
        )
        if matching:
            table = (
                f"<table><caption>Specific uses: {escape(condition.name)}</caption>"
                "<thead><tr><th scope='col'>Use</th><th scope='col'>US status</th><th scope='col'>Detail</th>"
                f"<th scope='col'>Source</th></tr></thead><tbody>{rows}</tbody></table>"
            )
        else:
            table = f"<p>No use in this group matches \u201c{escape(self._filter.value.strip())}\u201d.</p>"
        elsewhere = self._matches_elsewhere(condition)
        if elsewhere:
            table += f"<p>Matches in other groups: {escape('; '.join(elsewhere))}.</p>"
        self._uses.value = table

    def _matches_elsewhere(self, condition: Condition) -> list[str]:
        wanted = self._filter.value.strip().lower()
        if not wanted:
            return []
        shown = {use.id for use in condition.uses + condition.also_fitting_uses}
        names = {group.id: group.name for group in self._conditions.values()}
        return [
            f"{use.name} ({names[use.condition]})"
            for use in content.uses()
            if use.id not in shown and wanted in use.name.lower()
        ]


# --- Quiz --------------------------------------------------------------------------------------------


class QuizWidget(widgets.VBox):
    """A quiz, one question at a time: check an answer, see feedback with its source, move back and forth,
    then see a summary with a per-topic chart, review missed questions, start over, and download results.

    ``questions`` defaults to the built-in bank's core quiz (12-15 questions, one class period); with
    ``core=False``, the whole built-in bank. From the core quiz's summary, "Practise all questions" starts the
    whole bank. ``seed`` fixes the order of questions and choices; ``keep_question_order`` keeps the questions
    in the order given (a case scenario's questions follow its story) and shuffles only their choices.
    """

    def __init__(
        self,
        questions: Iterable[Question] | None = None,
        seed: int | None = None,
        core: bool = True,
        keep_question_order: bool = False,
    ):
        self.last_error: Exception | None = None
        self._seed = seed
        self._can_practise_all = questions is None and core
        bank = quiz.builtin_bank(core=core) if questions is None else questions
        self._main = quiz.QuizSession(bank, seed=seed, keep_question_order=keep_question_order)
        self._session = self._main
        self._index = 0
        self._on_summary = False
        self._inputs: list[widgets.Widget] = []

        self._heading = widgets.HTML()
        self._progress = widgets.IntProgress(
            min=0, max=len(self._main.questions), description="Answered:", layout=widgets.Layout(width="50%")
        )
        self._prompt = widgets.HTML()
        self._answer_area = widgets.VBox(layout=_WIDE)
        self._check = widgets.Button(description="Check answer", button_style="primary", tooltip="Check your answer")
        self._back = widgets.Button(description="Back", tooltip="Go to the previous question")
        self._next = widgets.Button(description="Next", tooltip="Go to the next question")
        self._feedback = widgets.HTML()
        self._message = widgets.HTML()
        self._question_view = widgets.VBox(
            [self._prompt, self._answer_area, widgets.HBox([self._check, self._back, self._next]), self._feedback]
        )

        self._summary_text = widgets.HTML()
        self._chart = widgets.HTML()
        self._name = widgets.Text(description="Your name:", placeholder="optional, goes into your results file")
        self._download = widgets.HTML()
        self._review = widgets.Button(description="Review missed questions", tooltip="Answer the missed ones again")
        self._restart = widgets.Button(description="Start over", tooltip="Start the quiz again from the beginning")
        self._summary_back = widgets.Button(description="Back to questions", tooltip="Look at the questions again")
        self._practise_all = widgets.Button(
            description=f"Practise all {len(quiz.builtin_bank())} questions",
            tooltip="Go on with every question of the built-in bank; your answers so far are kept",
            layout=widgets.Layout(display="" if self._can_practise_all else "none"),
        )
        self._summary_view = widgets.VBox(
            [
                self._summary_text,
                self._chart,
                self._name,
                self._download,
                widgets.HBox([self._review, self._restart, self._summary_back, self._practise_all]),
            ]
        )

        self._check.on_click(self._on_check)
        self._back.on_click(self._on_back)
        self._next.on_click(self._on_next)
        self._review.on_click(self._on_review)
        self._restart.on_click(self._on_restart)
        self._summary_back.on_click(self._on_summary_back)
        self._practise_all.on_click(self._on_practise_all)
        self._name.observe(self._on_name, names="value")

        self._top = (widgets.HTML(disclaimer_html()), self._heading, self._progress, self._message)
        super().__init__(self._top + (self._question_view,))
        # CSS classes name the parts for the browser tests and for anyone restyling the quiz.
        self.add_class("ivig-quiz")
        for part, name in [
            (self._heading, "heading"), (self._message, "message"), (self._prompt, "prompt"),
            (self._answer_area, "answers"), (self._feedback, "feedback"), (self._summary_text, "summary"),
            (self._chart, "chart"), (self._download, "download"),
        ]:
            part.add_class(f"ivig-{name}")
        self._show_question()

    def __repr__(self) -> str:
        progress = self._main.progress
        mode = "summary" if self._on_summary else ("review" if self.reviewing else "quiz")
        return (
            f"QuizWidget(mode={mode!r}, question={self._index + 1} of {len(self._session.questions)}, "
            f"answered={progress.answered} of {progress.total}, score={self._main.score})"
        )

    # What tests and instructors may read.
    @property
    def session(self) -> quiz.QuizSession:
        """The main session: its first-attempt score is the score, whatever is reviewed later."""
        return self._main

    @property
    def reviewing(self) -> bool:
        return self._session is not self._main

    @property
    def current_question(self) -> Question:
        return self._session.questions[self._index]

    # --- callbacks ---

    @_shows_errors
    def _on_check(self, button: widgets.Button) -> None:
        question = self.current_question
        try:
            result = self._session.answer(question.id, self._response())
        except quiz.NoAnswerError as gentle:
            self._message.value = f'<p role="status">{escape(str(gentle))}</p>'
            return
        if self.reviewing:
            self._main.answer(question.id, self._response())  # counts only if it was never answered before
        self._message.value = ""
        self._show_result(result)
        self._update_heading()

    @_shows_errors
    def _on_back(self, button: widgets.Button) -> None:
        if self._index > 0:
            self._index -= 1
        self._show_question()

    @_shows_errors
    def _on_next(self, button: widgets.Button) -> None:
        if self._index + 1 < len(self._session.questions):
            self._index += 1
            self._show_question()
        else:
            self._show_summary()

    @_shows_errors
    def _on_review(self, button: widgets.Button) -> None:
        try:
            self._session = self._session.missed()
        except ValueError:
            self._message.value = '<p role="status">No missed questions: well done.</p>'
            return
        self._index = 0
        self._show_question()

    @_shows_errors
    def _on_restart(self, button: widgets.Button) -> None:
        self._main = self._main.restart()
        self._session = self._main
        self._index = 0
        self._show_question()

    @_shows_errors
    def _on_summary_back(self, button: widgets.Button) -> None:
        self._show_question()

    @_shows_errors
    def _on_practise_all(self, button: widgets.Button) -> None:
        # The whole bank, keeping the core quiz's answers: they still count, and they are in the download.
        self._main = self._main.widened(quiz.builtin_bank())
        self._session = self._main
        self._index = 0
        self._can_practise_all = False
        self._practise_all.layout.display = "none"
        self._show_question()

    @_shows_errors
    def _on_name(self, change: dict) -> None:
        self._download.value = self._download_link()

    # --- drawing ---

    def _show_question(self) -> None:
        self._on_summary = False
        self._message.value = ""
        self.children = self._top + (self._question_view,)
        question = self.current_question
        self._prompt.value = f"<p style='white-space:pre-wrap'><b>{escape(question.prompt)}</b></p>"
        self._answer_area.children = self._inputs_for(question)
        self._back.disabled = self._index == 0
        last = self._index + 1 == len(self._session.questions)
        self._next.description = "See my results" if last else "Next"
        self._next.tooltip = "See your score and review" if last else "Go to the next question"
        latest = self._session.latest(question.id)
        if latest is None:
            self._feedback.value = ""
        else:
            self._restore(question, latest[0])
            self._show_result(latest[1])
        self._update_heading()

    def _update_heading(self) -> None:
        total = len(self._session.questions)
        label = "Reviewing missed questions: " if self.reviewing else ""
        progress = self._main.progress
        self._heading.value = (
            f"<h3>{label}Question {self._index + 1} of {total}</h3>"
            f"<p>Answered {progress.answered} of {progress.total}; right at the first try: {self._main.score}.</p>"
        )
        self._progress.max = progress.total
        self._progress.value = progress.answered

    def _inputs_for(self, question: Question) -> tuple[widgets.Widget, ...]:
        if question.kind == "single":
            self._inputs = [
                widgets.RadioButtons(
                    options=[(choice.text, choice.id) for choice in question.choices],
                    value=None,
                    description="Your answer:",
                    layout=_WIDE,
                    style={"description_width": "initial"},
                )
            ]
        elif question.kind == "multiple":
            self._inputs = [
                widgets.Checkbox(value=False, description=choice.text, indent=False, layout=_WIDE)
                for choice in question.choices
            ]
        else:
            options = [("Choose\u2026", "")] + [(choice.text, choice.id) for choice in question.choices]
            self._inputs = [
                # wide enough to read whole answers, which are often sentences
                widgets.Dropdown(
                    options=options,
                    value="",
                    description=item.text,
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="90%", max_width="900px"),
                )
                for item in question.items
            ]
        return tuple(self._inputs)

    def _response(self) -> Any:
        question = self.current_question
        if question.kind == "single":
            return self._inputs[0].value
        if question.kind == "multiple":
            return [choice.id for choice, box in zip(question.choices, self._inputs) if box.value]
        return {item.id: box.value for item, box in zip(question.items, self._inputs)}

    def _restore(self, question: Question, response: Any) -> None:
        if question.kind == "single":
            self._inputs[0].value = response
        elif question.kind == "multiple":
            for choice, box in zip(question.choices, self._inputs):
                box.value = choice.id in set(response)
        else:
            for item, box in zip(question.items, self._inputs):
                box.value = response[item.id]

    def _show_result(self, result: Result) -> None:
        question = self.current_question
        if result.correct:
            verdict = f"<b>{RIGHT_MARK} Correct.</b>"
        else:
            verdict = f"<b>{WRONG_MARK} Not quite.</b>"
        if not result.counted:
            verdict += " <i>(Another try: your first answer is the one that counts for the score.)</i>"
        lines = []
        for entry in result.feedback:
            if question.kind == "matching":
                mark = RIGHT_MARK if entry.correct else WRONG_MARK
                words = "right" if entry.correct else "not right"
                lines.append(f"<li>{mark} {escape(entry.text)} ({words})</li>")
            elif entry.chosen:
                mark = RIGHT_MARK if entry.correct else WRONG_MARK
                text = f"{escape(entry.text)}: {escape(entry.feedback)}" if entry.feedback else escape(entry.text)
                lines.append(f"<li>{mark} {text}</li>")
        if question.kind == "multiple":
            left_out = sum(1 for entry in result.feedback if entry.correct and not entry.chosen)
            if left_out:
                lines.append(f"<li>You left out {left_out} right answer{'s' if left_out > 1 else ''}.</li>")
        if not result.correct and result.right_answer:
            several = question.kind == "matching" or sum(choice.correct for choice in question.choices) > 1
            label = {"matching": "The right pairs:"}.get(question.kind, "The right answers:" if several else "The right answer:")
            lines.append(f"<li><b>{label}</b> {escape(result.right_answer)}</li>")
        why = f"<p><b>Why:</b> {escape(result.explanation)}</p>" if result.explanation else ""
        source = f"<p><small>Source: {escape(result.source)}</small></p>" if result.source else ""
        self._feedback.value = f'<div role="status">{verdict}<ul>{"".join(lines)}</ul>{why}{source}</div>'

    def _show_summary(self) -> None:
        self._on_summary = True
        self._message.value = ""
        self.children = self._top + (self._summary_view,)
        main = self._main
        progress = main.progress
        percent = round(100 * main.score / progress.total)
        text = (
            f"<h3>Your results</h3><p>You answered {progress.answered} of {progress.total} questions; "
            f"<b>{main.score} of {progress.total} ({percent}%)</b> were right at the first try.</p>"
        )
        if self.reviewing:
            review = self._session
            text += (
                f"<p>In this review you got {review.score} of {len(review.questions)} right at the first try. "
                "Your main score above stays as it was.</p>"
            )
        self._summary_text.value = text
        self._chart.value = topic_chart_html(main)
        self._download.value = self._download_link()
        missed = any(
            (result := self._session.first_result(question.id)) is not None and not result.correct
            for question in self._session.questions
        )
        self._review.disabled = not missed

    def _download_link(self) -> str:
        name = self._name.value
        frame = self._main.to_frame(learner=name)
        data = base64.b64encode(quiz.results_text(frame, ".csv").encode("utf-8")).decode("ascii")
        return (
            f'<p><a download="{escape(results_file_name(name))}" href="data:text/csv;charset=utf-8;base64,{data}" '
            'style="font-weight:bold">Download results (CSV file)</a> '
            "- saves your answers to your own device, to hand in or keep.</p>"
        )


def results_file_name(learner: str | None, now: datetime | None = None) -> str:
    """A results file name that 30 learners' downloads never share: name, time, and a random part."""
    slug = re.sub(r"[^a-z0-9]+", "-", quiz.clean_learner_name(learner).lower()).strip("-")[:40] or "learner"
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")
    return f"ivig-quiz-results-{slug}-{stamp}-{secrets.token_hex(3)}.csv"


def topic_chart_html(session: quiz.QuizSession) -> str:
    """A bar per topic (right at first try, out of the topic's questions), with the numbers as text."""
    rows = []
    alt = []
    for topic, questions, answered, correct, percent in session.by_topic().itertuples(index=False):
        width = round(200 * correct / questions)
        words = f"{correct} of {questions} right"
        title = content.topic_title(topic)
        alt.append(f"{title}: {words}")
        rows.append(
            "<div style='display:flex;align-items:center;gap:8px;margin:2px 0'>"
            f"<span style='width:170px'>{escape(title)}</span>"
            f"<span aria-hidden='true' style='display:inline-block;width:200px;height:12px;background:#e5e7eb'>"
            f"<span style='display:inline-block;width:{width}px;height:12px;background:#1d4ed8'></span></span>"
            f"<span>{escape(words)}</span></div>"
        )
    caption = "Right at the first try, by topic. " + "; ".join(alt) + "."
    return (
        f"<figure style='margin:8px 0'>{''.join(rows)}"
        f"<figcaption><small>{escape(caption)}</small></figcaption></figure>"
    )
