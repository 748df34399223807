"""The learner's views: a condition explorer and a quiz, as anywidget widgets.

The front end is plain ES modules and CSS shipped with the package (``ivig_content/frontend/``): no build step,
no CDN. Python prepares the data (the shuffled questions with their feedback; the groups with their facts and
uses), the browser draws it and checks answers at once, and every checked answer comes back to the kernel in
one message, where :class:`~ivig_content.quiz.QuizSession` records it by the same rules. The browser sets bank
text with ``textContent`` only, so a prompt such as ``<img src=x onerror=alert(1)>`` or ``$50 to $70`` shows
those characters, and nothing is typeset or run.

Saved notebooks, nbviewer and GitHub cannot run the widgets; each widget's output also carries a plain HTML
form for them (:meth:`QuizWidget._repr_mimebundle_`).
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from . import banks, content, quiz
from .records import Fact, Question

__all__ = ["ConditionExplorer", "QuizWidget", "explorer_data", "quiz_data"]

FRONTEND = Path(__file__).parent / "frontend"


def escape(text: str) -> str:
    return html.escape(text, quote=True)


# --- What the browser is given ---------------------------------------------------------------------------


def question_data(question: Question) -> dict[str, Any]:
    """One question as the front end needs it: choices with which are right and their feedback, the right answer
    in words, the explanation and the source. (So the page carries the answer key: right for practice.)"""
    return {
        "id": question.id,
        "kind": question.kind,
        "topic": question.topic,
        "level": question.level,
        "prompt": question.prompt,
        "choices": [
            {"id": c.id, "text": c.text, "correct": c.correct, "feedback": c.feedback, "code": c.code}
            for c in question.choices
        ],
        "items": [{"id": i.id, "text": i.text, "answer": i.answer, "feedback": i.feedback} for i in question.items],
        "explanation": question.explanation,
        "source": question.source,
        "right_answer": quiz.right_answer_text(question),
    }


def quiz_data(
    session: quiz.QuizSession, *, exam: bool = False, wider: quiz.QuizSession | None = None
) -> dict[str, Any]:
    """Everything the quiz's front end shows, as JSON-ready data: the questions in ``session``'s order, the
    disclaimer, topic titles and order, and (``wider``) the larger quiz that "Practise all" moves on to."""
    topics = dict.fromkeys(q.topic for q in session.questions + (wider.questions if wider else ()))
    return {
        "disclaimer": content.DISCLAIMER,
        "exam": exam,
        "questions": [question_data(q) for q in session.questions],
        "topic_order": list(content.TOPICS),
        "topic_titles": {topic: content.topic_title(topic) for topic in topics},
        "wider": (
            {"label": f"Practise all {len(wider.questions)} questions", "questions": [question_data(q) for q in wider.questions]}
            if wider
            else None
        ),
    }


def _fact_data(fact: Fact, facts_by_id: dict[str, Fact]) -> dict[str, Any]:
    """A fact with its source and every "closer look" that corrects it, so the two are always read together.
    A closer-look fact listed on its own quotes (``said``) the simplification it corrects."""
    if fact.refines:
        corrections = dict.fromkeys(c for target in fact.refines for c in content.closer_looks_for(target))
        return {
            "said": " / ".join(facts_by_id[target].statement for target in fact.refines),
            "text": " ".join(c.statement for c in corrections),
            "source": "; ".join(dict.fromkeys(c.source for c in corrections)),
            "closer_looks": [],
        }
    return {
        "said": "",
        "text": fact.statement,
        "source": fact.source,
        "closer_looks": [{"text": c.statement, "source": c.source} for c in content.closer_looks_for(fact.id)],
    }


def explorer_data() -> dict[str, Any]:
    """Everything the explorer shows, as JSON-ready data: per group its description (and caveat), the facts on
    how IVIG helps (with sources and closer looks), the glossary words it uses, and its uses (own, then also
    fitting, each with US status, detail and source); and every use with its group, for the filter."""
    facts_by_id = {fact.id: fact for fact in content.facts()}
    conditions = content.conditions()
    names = {condition.id: condition.name for condition in conditions}
    groups = []
    for condition in conditions:
        listed = [(use, True) for use in condition.uses] + [(use, False) for use in condition.also_fitting_uses]
        shown = " ".join(
            [condition.described]
            + [fact.statement for fact in condition.how_ivig_helps]
            + [f"{use.name} {use.us_status} {use.detail}" for use, _ in listed]
        )
        groups.append(
            {
                "id": condition.id,
                "name": condition.name,
                "description": condition.description,
                "caveat": condition.caveat,
                "described": condition.described,
                "source": condition.source,
                "helps": [_fact_data(fact, facts_by_id) for fact in condition.how_ivig_helps],
                "glossary": [
                    {"term": t.term, "definition": t.definition, "source": t.source}
                    for t in content.glossary_terms_in(shown)
                ],
                "uses": [
                    {
                        "id": use.id,
                        "name": use.name,
                        "us_status": use.us_status,
                        "detail": use.detail,
                        "source": use.source,
                        "main_group": "" if primary else names[use.condition],
                    }
                    for use, primary in listed
                ],
            }
        )
    return {
        "disclaimer": content.DISCLAIMER,
        "groups": groups,
        "all_uses": [{"id": use.id, "name": use.name, "group": names[use.condition]} for use in content.uses()],
    }


def disclaimer_html() -> str:
    return f'<div role="note"><b>Important:</b> {escape(content.DISCLAIMER)}</div>'


# --- Condition explorer ------------------------------------------------------------------------------


class ConditionExplorer(anywidget.AnyWidget):
    """Choose one of the four groups of conditions: see its description, how IVIG helps there (each fact with
    its source), and its specific uses with their US status and source; filter the uses by name.

    ``chosen_group`` (a group id) and ``filter`` (text) are shared with the browser: set them to change what is
    shown, or read them to see what the learner chose. Raises ``ValueError`` for an unknown group.
    """

    _esm = FRONTEND / "explorer.js"
    _css = FRONTEND / "ivig.css"
    data = traitlets.Dict().tag(sync=True)  # the groups, as explorer_data() gives them
    chosen_group = traitlets.Unicode().tag(sync=True)
    filter = traitlets.Unicode("").tag(sync=True)

    def __init__(self, group: str | None = None):
        data = explorer_data()
        self._groups = {group["id"]: group for group in data["groups"]}
        first = next(iter(self._groups))
        super().__init__(data=data, chosen_group=self._group_id(group) if group else first)

    @traitlets.validate("chosen_group")
    def _valid_group(self, proposal: dict) -> str:
        return self._group_id(proposal["value"])

    def __repr__(self) -> str:
        return f"ConditionExplorer(group={self.group!r}, filter={self.filter!r})"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict]:
        data, metadata = super()._repr_mimebundle_(**kwargs)
        return {**data, "text/html": self.static_html()}, metadata

    @property
    def group(self) -> str:
        """The name of the group shown."""
        return self._groups[self.chosen_group]["name"]

    def group_names(self) -> list[str]:
        return [group["name"] for group in self._groups.values()]

    @property
    def shown_uses(self) -> tuple[str, ...]:
        """The names of the uses listed for the chosen group, after the filter (the browser's rule)."""
        wanted = self.filter.strip().lower()
        return tuple(
            use["name"] for use in self._groups[self.chosen_group]["uses"] if not wanted or wanted in use["name"].lower()
        )

    def _group_id(self, name_or_id: str) -> str:
        for group in self._groups.values():
            if name_or_id in (group["id"], group["name"]):
                return group["id"]
        raise ValueError(f'no group "{name_or_id}"; choose one of: {", ".join(self.group_names())}')

    def static_html(self) -> str:
        """The explorer's content as plain HTML, for places that cannot run it (saved notebooks, nbviewer)."""
        parts = [disclaimer_html(), "<p><i>The condition explorer runs when this cell is run. Its content:</i></p>"]
        for group in self._groups.values():
            uses = "".join(
                f"<li><b>{escape(use['name'])}</b>"
                + (f" <i>(also fits here; main group: {escape(use['main_group'])})</i>" if use["main_group"] else "")
                + f": {escape(use['us_status'])}. {escape(use['detail'])} <small>(Source: {escape(use['source'])})</small></li>"
                for use in group["uses"]
            )
            helps = "".join(
                f"<li>{escape(fact['said'] and chr(0x201C) + fact['said'] + chr(0x201D) + ' ')}{escape(fact['text'])}"
                f" <small>(Source: {escape(fact['source'])})</small>"
                + "".join(f" <b>A closer look:</b> {escape(c['text'])} <small>(Source: {escape(c['source'])})</small>" for c in fact["closer_looks"])
                + "</li>"
                for fact in group["helps"]
            )
            parts.append(
                f"<h4>{escape(group['name'])}</h4><p>{escape(group['described'])} <small>(Source: {escape(group['source'])})</small></p>"
                f"<p>How IVIG helps here:</p><ul>{helps}</ul><p>Specific uses:</p><ul>{uses}</ul>"
            )
        return "".join(parts)


# --- Quiz --------------------------------------------------------------------------------------------


class QuizWidget(anywidget.AnyWidget):
    """A quiz, one question at a time: check an answer and see its feedback with its source at once, move back
    and forth, then see a summary with a bar per topic, review missed questions, start over, and download the
    results (the same CSV as :meth:`QuizSession.save`).

    ``questions`` defaults to the built-in bank's core quiz (one class period); with ``core=False``, the whole
    built-in bank. From the core quiz's summary, "Practise all questions" moves on to the whole bank, keeping
    the answers so far. ``seed`` fixes the order of questions and choices (without one, a random seed is drawn
    once, so the browser and the kernel agree); ``keep_question_order`` keeps the questions in the order given
    (a case scenario follows its story) and shuffles only their choices. ``exam=True`` gives no feedback until
    the learner submits the whole quiz; then the summary and review work as usual.

    The page holds the answer key (it checks answers itself): right for practice; a graded test belongs in the
    learning management system.
    """

    _esm = FRONTEND / "quiz.js"
    _css = FRONTEND / "ivig.css"
    data = traitlets.Dict().tag(sync=True)  # the questions, as quiz_data() gives them
    view = traitlets.Unicode("quiz").tag(sync=True)  # "quiz", "review" or "summary": what the browser shows
    position = traitlets.Int(0).tag(sync=True)  # the question shown, counted from 0

    def __init__(
        self,
        questions: Iterable[Question] | None = None,
        seed: int | None = None,
        core: bool = True,
        keep_question_order: bool = False,
        exam: bool = False,
    ):
        self.last_error: Exception | None = None
        self._seed = secrets.randbelow(2**32) if seed is None else seed
        self._practise_all = questions is None and core
        self._builtin = questions is None
        bank = banks.builtin_bank(core=core) if questions is None else tuple(questions)
        self._main = quiz.QuizSession(bank, seed=self._seed, keep_question_order=keep_question_order)
        self._review: quiz.QuizSession | None = None
        wider = self._main.widened(banks.builtin_bank()) if self._practise_all else None
        self.exam = exam
        super().__init__(data=quiz_data(self._main, exam=exam, wider=wider))
        self.on_msg(self._on_browser_message)

    def __repr__(self) -> str:
        progress = self._main.progress
        shown = self._review or self._main
        return (
            f"QuizWidget(mode={self.view!r}, question={self.position + 1} of {len(shown.questions)}, "
            f"answered={progress.answered} of {progress.total}, score={self._main.score})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict]:
        data, metadata = super()._repr_mimebundle_(**kwargs)
        return {**data, "text/html": self.static_html()}, metadata

    def static_html(self) -> str:
        """What a saved notebook (nbviewer, GitHub) shows in place of the quiz: what it is and how to run it."""
        total = len(self._main.questions)
        command = (
            "python -m ivig_content quiz-page --out quiz.html"
            if self._builtin
            else "python -m ivig_content quiz-page YOUR-BANK.yaml --out quiz.html (with the bank this quiz was made from)"
        )
        return (
            f"{disclaimer_html()}<p><b>A quiz of {total} question{'s' if total != 1 else ''}</b> runs here when this "
            "cell is run in Jupyter (JupyterLab, Notebook or Voila). Without Jupyter, an instructor can make the same "
            f"quiz as one web page that needs no Python: <code>{command}</code>.</p>"
        )

    # What tests and instructors may read.
    @property
    def session(self) -> quiz.QuizSession:
        """The main session: its first-attempt score is the score, whatever is reviewed later."""
        return self._main

    @property
    def reviewing(self) -> bool:
        return self._review is not None

    @property
    def current_question(self) -> Question:
        return (self._review or self._main).questions[self.position]

    # --- what the browser tells the kernel ---

    def _on_browser_message(self, widget: Any, message: Any, buffers: Any) -> None:
        """Record what the learner did in the browser; answer each answer with a receipt, never a traceback."""
        kind = message.get("kind") if isinstance(message, dict) else None
        try:
            if kind == "answer":
                self._record(message)
            elif kind == "review":
                wanted = set(message["question_ids"])
                missed = [q for q in self._main.questions if q.id in wanted]
                self._review = quiz.QuizSession(missed, shuffle=False)
            elif kind == "restart":
                self._main = self._main.restart()
                self._review = None
            elif kind == "practise_all":
                self._main = self._main.widened(banks.builtin_bank())
                self._review = None
            else:
                raise ValueError(f"unknown message {kind!r}")
        except Exception as error:  # noqa: BLE001 - a learner must never see a traceback; the page keeps the answer
            self.last_error = error
            if kind == "answer":
                self.send({"kind": "recorded", "number": message.get("number"), "error": f"{type(error).__name__}: {str(error)[:200]}"})

    def _record(self, message: dict) -> None:
        question_id, response = message["question_id"], message["response"]
        if message.get("review") and self._review is not None and question_id in self._review._by_id:
            self._review.answer(question_id, response)
        result = self._main.answer(question_id, response)
        self.send({"kind": "recorded", "number": message.get("number"), "question_id": question_id, "correct": result.correct})

