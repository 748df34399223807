"""Any sequence of learner actions keeps the quiz consistent (hypothesis stateful tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ivig_content import quiz
from ivig_content.quiz import NoAnswerError, QuizSession
from ivig_content.widgets import QuizWidget

from .conftest import matching_question, multiple_question, single_question

QUESTIONS = [single_question(), multiple_question(), matching_question(), single_question("route-2", "safety")]
SETTINGS = settings(max_examples=60, stateful_step_count=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def a_response(data, question: quiz.Question):
    """Any response a learner could give, including none at all."""
    ids = [choice.id for choice in question.choices]
    if question.kind == "single":
        return data.draw(st.one_of(st.none(), st.sampled_from(ids)))
    if question.kind == "multiple":
        return data.draw(st.lists(st.sampled_from(ids), unique=True))
    return {item.id: data.draw(st.sampled_from(ids + [""])) for item in question.items}


class SessionMachine(RuleBasedStateMachine):
    @initialize(seed=st.integers(0, 1000), shuffle=st.booleans())
    def start(self, seed, shuffle):
        self.session = QuizSession(QUESTIONS, seed=seed, shuffle=shuffle)
        self.first_correct: dict[str, bool] = {}

    @rule(index=st.integers(0, len(QUESTIONS) - 1), data=st.data())
    def answer(self, index, data):
        question = self.session.questions[index]
        response = a_response(data, question)
        try:
            result = self.session.answer(question.id, response)
        except NoAnswerError:
            return
        assert result.counted == (question.id not in self.first_correct)
        self.first_correct.setdefault(question.id, result.correct)
        assert result.correct == quiz.check_answer(question, response)[0]

    @precondition(lambda self: any(not ok for ok in self.first_correct.values()))
    @rule(data=st.data())
    def review_missed(self, data):
        review = self.session.missed()
        assert {q.id for q in review.questions} == {i for i, ok in self.first_correct.items() if not ok}
        question = data.draw(st.sampled_from(review.questions))
        try:
            review.answer(question.id, a_response(data, question))
        except NoAnswerError:
            pass
        assert self.session.score == sum(self.first_correct.values())  # the main score never moves

    @rule()
    def start_over(self):
        self.session = self.session.restart()
        self.first_correct = {}

    @invariant()
    def score_answered_and_total_agree(self):
        progress = self.session.progress
        assert 0 <= self.session.score <= progress.answered <= progress.total == len(QUESTIONS)
        assert progress.answered == len(self.first_correct)
        assert self.session.score == sum(self.first_correct.values())

    @invariant()
    def tables_agree_with_the_score(self):
        frame = self.session.to_frame()
        assert int(frame["answered"].sum()) == self.session.progress.answered
        assert int(frame["correct"].sum()) == self.session.score
        by_topic = self.session.by_topic()
        assert int(by_topic["correct"].sum()) == self.session.score
        assert int(by_topic["questions"].sum()) == len(QUESTIONS)


class WidgetMachine(RuleBasedStateMachine):
    @initialize(seed=st.integers(0, 1000))
    def start(self, seed):
        self.widget = QuizWidget(QUESTIONS, seed=seed)

    def on_questions(self):
        return self.widget._question_view in self.widget.children

    @precondition(on_questions)
    @rule(data=st.data())
    def choose(self, data):
        question = self.widget.current_question
        response = a_response(data, question)
        if question.kind == "single":
            self.widget._inputs[0].value = response
        elif question.kind == "multiple":
            for choice, box in zip(question.choices, self.widget._inputs):
                box.value = choice.id in response
        else:
            for item, box in zip(question.items, self.widget._inputs):
                box.value = response[item.id]

    @precondition(on_questions)
    @rule()
    def check(self):
        self.widget._check.click()

    @precondition(on_questions)
    @rule()
    def next(self):
        self.widget._next.click()

    @precondition(on_questions)
    @rule()
    def back(self):
        self.widget._back.click()

    @precondition(lambda self: not self.on_questions())
    @rule()
    def review_missed(self):
        self.widget._review.click()

    @precondition(lambda self: not self.on_questions())
    @rule()
    def back_to_questions(self):
        self.widget._summary_back.click()

    @rule()
    def start_over(self):
        self.widget._restart.click()

    @rule(name=st.text(max_size=20))
    def type_name(self, name):
        self.widget._name.value = name

    @invariant()
    def never_an_error_and_the_counts_agree(self):
        widget = self.widget
        assert widget.last_error is None
        progress = widget.session.progress
        assert 0 <= widget.session.score <= progress.answered <= progress.total
        assert widget._progress.value == progress.answered
        assert 0 <= widget._index < len(widget._session.questions)
        assert f"Question {widget._index + 1} of {len(widget._session.questions)}" in widget._heading.value
        repr(widget)


TestSessionMachine = SessionMachine.TestCase
TestSessionMachine.settings = SETTINGS
TestWidgetMachine = WidgetMachine.TestCase
TestWidgetMachine.settings = SETTINGS
