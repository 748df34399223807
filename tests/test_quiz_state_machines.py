"""Any sequence of learner actions keeps the quiz consistent (hypothesis stateful tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ivig_content import quiz, records
from ivig_content.quiz import NoAnswerError, QuizSession
from ivig_content.widgets import QuizWidget

from .conftest import matching_question, multiple_question, single_question

QUESTIONS = [single_question(), multiple_question(), matching_question(), single_question("route-2", "safety")]
SETTINGS = settings(max_examples=60, stateful_step_count=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def a_response(data, question: records.Question):
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
    """The kernel side of the quiz widget, fed any sequence of the messages a browser sends (and some it never
    would): it never raises, and its session stays consistent."""

    @initialize(seed=st.integers(0, 1000))
    def start(self, seed):
        self.widget = QuizWidget(QUESTIONS, seed=seed)
        self.receipts: list[dict] = []
        self.widget.send = lambda content, buffers=None: self.receipts.append(content)

    def say(self, message):
        self.widget.last_error = None
        self.widget._handle_custom_msg(message, [])

    @rule(index=st.integers(0, len(QUESTIONS) - 1), review=st.booleans(), data=st.data())
    def answer(self, index, review, data):
        question = self.widget.session.questions[index]
        response = a_response(data, question)
        before = self.widget.session.progress.answered
        self.say({"kind": "answer", "question_id": question.id, "response": response, "review": review, "number": 1})
        receipt = self.receipts[-1]
        try:
            correct = quiz.check_answer(question, response)[0]
        except NoAnswerError:
            assert "error" in receipt and self.widget.session.progress.answered == before
        else:
            assert receipt["correct"] == correct and self.widget.last_error is None

    @rule(data=st.data())
    def review(self, data):
        ids = data.draw(st.lists(st.sampled_from([q.id for q in QUESTIONS]), unique=True, min_size=1))
        self.say({"kind": "review", "question_ids": ids})
        assert self.widget.reviewing and self.widget.last_error is None

    @rule()
    def start_over(self):
        self.say({"kind": "restart"})
        assert self.widget.session.progress.answered == 0 and not self.widget.reviewing

    @rule(message=st.one_of(st.none(), st.integers(), st.text(max_size=5), st.dictionaries(st.text(max_size=5), st.text(max_size=5))))
    def nonsense(self, message):
        self.say(message)
        assert self.widget.last_error is not None or message == {}  # refused, never raised

    @invariant()
    def the_counts_agree(self):
        widget = self.widget
        progress = widget.session.progress
        assert 0 <= widget.session.score <= progress.answered <= progress.total
        frame = widget.session.to_frame()
        assert int(frame["answered"].sum()) == progress.answered
        repr(widget)


TestSessionMachine = SessionMachine.TestCase
TestSessionMachine.settings = SETTINGS
TestWidgetMachine = WidgetMachine.TestCase
TestWidgetMachine.settings = SETTINGS
