"""The quiz: checking a learner's answers, and their session (order, score, review, results).

Pure logic: nothing here reads a file, draws anything or imports ipywidgets or IPython, so all of it is tested
without a browser. :mod:`ivig_content.banks` reads question banks, :mod:`ivig_content.results` reads and writes
results files, and :mod:`ivig_content.widgets` shows the quiz to learners.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import TOPICS
from .records import ChoiceFeedback, Progress, Question, Result
from .results import RESULT_COLUMNS, RESULT_DTYPES, clean_learner_name, save_results

# pandas is imported inside the functions that make tables: checking answers and the command line do not need
# its half-second import.
if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "NoAnswerError",
    "QuizSession",
    "check_answer",
    "percent_of",
    "right_answer_text",
]


class NoAnswerError(ValueError):
    """The learner checked an answer without choosing one (or, in matching, without pairing every item)."""


# --- Checking one answer -----------------------------------------------------------------------------


def check_answer(question: Question, response: Any) -> tuple[bool, tuple[ChoiceFeedback, ...]]:
    """Check ``response`` against ``question``: is it right, and what feedback goes with each choice.

    The response is a choice id for "single", a collection of choice ids for "multiple", and a mapping of
    item id to choice id for "matching". Raises :class:`NoAnswerError` when nothing was chosen (or an item is
    left unpaired), and ``ValueError`` for an id the question does not have.
    """
    if question.kind == "single":
        if response is None or response == "":
            raise NoAnswerError("Choose an answer, then check it.")
        chosen = question.choice(response)
        feedback = tuple(
            ChoiceFeedback(choice.text, choice.id == chosen.id, choice.correct, choice.feedback)
            for choice in question.choices
        )
        return chosen.correct, feedback

    if question.kind == "multiple":
        chosen_ids = set(response or ())
        if not chosen_ids:
            raise NoAnswerError("Select at least one answer, then check it.")
        for choice_id in chosen_ids:
            question.choice(choice_id)  # raises for an unknown id
        right = {choice.id for choice in question.choices if choice.correct}
        feedback = tuple(
            ChoiceFeedback(choice.text, choice.id in chosen_ids, choice.correct, choice.feedback)
            for choice in question.choices
        )
        return chosen_ids == right, feedback

    pairs = dict(response or {})
    if any(not pairs.get(item.id) for item in question.items):
        raise NoAnswerError("Pair every item with an answer, then check.")
    feedback = []
    for item in question.items:
        chosen = question.choice(pairs[item.id])
        feedback.append(ChoiceFeedback(f"{item.text} \u2192 {chosen.text}", True, chosen.id == item.answer, item.feedback))
    return all(entry.correct for entry in feedback), tuple(feedback)


def _answer_text(question: Question, response: Any) -> str:
    """A response in words, for results files: choice texts, or "item → answer" pairs."""
    if response is None:
        return ""
    if question.kind == "single":
        return question.choice(response).text
    if question.kind == "multiple":
        return "; ".join(choice.text for choice in question.choices if choice.id in set(response))
    return "; ".join(f"{item.text} \u2192 {question.choice(response[item.id]).text}" for item in question.items)


def _right_answer(question: Question) -> Any:
    if question.kind == "single":
        return next(choice.id for choice in question.choices if choice.correct)
    if question.kind == "multiple":
        return [choice.id for choice in question.choices if choice.correct]
    return {item.id: item.answer for item in question.items}


def right_answer_text(question: Question) -> str:
    """The right answer in words (for "single" questions with several right choices, all of them)."""
    if question.kind == "single":
        return " / ".join(choice.text for choice in question.choices if choice.correct)
    return _answer_text(question, _right_answer(question))


def percent_of(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, halves rounded up as people expect (1 of 8 is 13%, 3 of 8 is
    38%; Python's round() would give 12%); 0 when ``whole`` is 0. The page computes it the same way."""
    return math.floor(100 * part / whole + 0.5) if whole else 0


# --- A learner's session -----------------------------------------------------------------------------


class QuizSession:
    """One learner's pass through a list of questions.

    Questions and their choices are shuffled with ``seed`` (the same seed gives the same order; true/false
    choices keep their order). With ``keep_question_order`` the questions stay in the given order (a case
    scenario's questions follow its story) and only their choices are shuffled. The first answer to a
    question is the one that counts for the score; a learner may answer again to learn, and the latest answer
    is kept for showing.
    """

    def __init__(
        self,
        questions: Iterable[Question],
        seed: int | None = None,
        shuffle: bool = True,
        keep_question_order: bool = False,
    ):
        questions = tuple(questions)
        if not questions:
            raise ValueError("a quiz needs at least one question")
        ids = [question.id for question in questions]
        duplicates = sorted({question_id for question_id in ids if ids.count(question_id) > 1})
        if duplicates:
            raise ValueError(f'question ids must be unique; repeated: {", ".join(duplicates)}')
        self.seed = seed
        self.shuffle = shuffle
        self.keep_question_order = keep_question_order
        self._source_questions = questions
        if shuffle:
            rng = random.Random(seed)
            order = list(questions)
            if not keep_question_order:
                rng.shuffle(order)
            questions = tuple(_shuffled_choices(question, rng) for question in order)
        self.questions: tuple[Question, ...] = questions
        self._by_id = {question.id: question for question in questions}
        self._first: dict[str, Result] = {}
        self._latest: dict[str, tuple[Any, Result]] = {}
        self._first_response: dict[str, Any] = {}
        self._attempts: dict[str, int] = {}

    def __repr__(self) -> str:
        progress = self.progress
        return (
            f"QuizSession({progress.total} questions, seed={self.seed!r}, answered={progress.answered}, "
            f"score={self.score})"
        )

    def question(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise KeyError(f'this quiz has no question "{question_id}"') from None

    def answer(self, question_id: str, response: Any) -> Result:
        """Check the learner's response to one question and remember it. See :func:`check_answer`."""
        question = self.question(question_id)
        correct, feedback = check_answer(question, response)
        counted = question_id not in self._first
        result = Result(
            question_id, correct, counted, feedback, question.explanation, question.source, right_answer_text(question)
        )
        if counted:
            self._first[question_id] = result
            self._first_response[question_id] = response
        self._attempts[question_id] = self._attempts.get(question_id, 0) + 1
        self._latest[question_id] = (response, result)
        return result

    def first_result(self, question_id: str) -> Result | None:
        """The result that counts for the score, or None when the question is not answered yet."""
        return self._first.get(question_id)

    def latest(self, question_id: str) -> tuple[Any, Result] | None:
        """The latest (response, result) for a question, or None when it is not answered yet."""
        return self._latest.get(question_id)

    @property
    def progress(self) -> Progress:
        return Progress(len(self._first), len(self.questions))

    @property
    def score(self) -> int:
        """How many questions were right at the first attempt."""
        return sum(result.correct for result in self._first.values())

    def by_topic(self) -> pd.DataFrame:
        """First-attempt results per topic.

        Columns: ``topic`` (text), ``questions``, ``answered``, ``correct`` (whole numbers) and ``percent``
        (correct out of answered, 0-100, rounded; 0 when none answered). Topics come in the order of
        :data:`ivig_content.content.TOPICS`, then any others in order of appearance.
        """
        import pandas as pd

        order = {topic: index for index, topic in enumerate(TOPICS)}
        topics = sorted(
            dict.fromkeys(question.topic for question in self.questions),
            key=lambda topic: order.get(topic, len(order)),
        )
        rows = []
        for topic in topics:
            ids = [question.id for question in self.questions if question.topic == topic]
            answered = [self._first[i] for i in ids if i in self._first]
            correct = sum(result.correct for result in answered)
            percent = percent_of(correct, len(answered))
            rows.append((topic, len(ids), len(answered), correct, percent))
        frame = pd.DataFrame(rows, columns=["topic", "questions", "answered", "correct", "percent"])
        return frame.astype({"questions": "int64", "answered": "int64", "correct": "int64", "percent": "int64"})

    def missed(self) -> QuizSession:
        """A new session over the questions answered wrongly at the first attempt (this session's score stays)."""
        missed = [q for q in self._source_questions if q.id in self._first and not self._first[q.id].correct]
        if not missed:
            raise ValueError("no missed questions to review")
        return QuizSession(missed, seed=self.seed, shuffle=self.shuffle, keep_question_order=self.keep_question_order)

    def widened(self, questions: Iterable[Question]) -> QuizSession:
        """A new session over ``questions`` (a larger bank holding this session's questions) that keeps this
        session's answers: first answers (the ones that score), attempts and latest answers.

        Raises ``ValueError`` if an answered question is not among ``questions``.
        """
        wider = QuizSession(questions, seed=self.seed, shuffle=self.shuffle, keep_question_order=self.keep_question_order)
        missing = sorted(question_id for question_id in self._first if question_id not in wider._by_id)
        if missing:
            raise ValueError(f'the wider quiz lacks answered questions: {", ".join(missing)}')
        wider._first.update(self._first)
        wider._first_response.update(self._first_response)
        wider._attempts.update(self._attempts)
        wider._latest.update(self._latest)
        return wider

    def restart(self) -> QuizSession:
        """A new, empty session over the same questions, in the same order."""
        return QuizSession(
            self._source_questions, seed=self.seed, shuffle=self.shuffle, keep_question_order=self.keep_question_order
        )

    def to_frame(self, learner: str | None = None) -> pd.DataFrame:
        """One row per question, in quiz order, with the first-attempt result.

        Columns (:data:`ivig_content.results.RESULT_COLUMNS`): ``learner`` (text; cleaned so it is safe in a
        spreadsheet), ``number`` (1-based position), ``questions_in_quiz`` (how many questions the quiz has, on
        every row, so a file cut short is detected), ``question_id``, ``topic``, ``level``, ``kind``, ``prompt`` (text), ``answered``, ``correct``
        (true/false), ``attempts`` (whole number), ``your_answer`` (the first answer, in words; empty when not
        answered) and ``right_answer`` (in words).
        """
        import pandas as pd

        name = clean_learner_name(learner)
        rows = []
        for number, question in enumerate(self.questions, start=1):
            first = self._first.get(question.id)
            rows.append(
                (
                    name,
                    number,
                    len(self.questions),
                    question.id,
                    question.topic,
                    question.level,
                    question.kind,
                    question.prompt,
                    first is not None,
                    bool(first and first.correct),
                    self._attempts.get(question.id, 0),
                    _answer_text(question, self._first_response.get(question.id)),
                    right_answer_text(question),
                )
            )
        return pd.DataFrame(rows, columns=list(RESULT_COLUMNS)).astype(RESULT_DTYPES)

    def save(self, path: str | os.PathLike[str], learner: str | None = None, overwrite: bool = False) -> Path:
        """Write the results (:meth:`to_frame`) as CSV or JSON, chosen by the file's suffix; given a folder, as a
        new CSV file in it named with the learner's name and the local time. Returns the path written.

        The file is written whole or not at all, and an existing name is never replaced unless ``overwrite`` is
        true: see :func:`ivig_content.results.save_results` and :func:`ivig_content.files.write_text_file` for
        the errors raised (``FileExistsError``, ``FileNotFoundError`` naming a missing folder, ``ValueError``
        for a suffix other than ``.csv`` or ``.json``).
        """
        return save_results(self.to_frame(learner), path, learner=learner, overwrite=overwrite)


def _shuffled_choices(question: Question, rng: random.Random) -> Question:
    if {choice.text.lower() for choice in question.choices} == {"true", "false"}:
        return question  # "True, False" reads better than "False, True"
    choices = list(question.choices)
    rng.shuffle(choices)
    items = list(question.items)
    rng.shuffle(items)
    return replace(question, choices=tuple(choices), items=tuple(items))
