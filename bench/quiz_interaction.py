"""How long a learner waits inside the kernel: one "Check answer", and building each widget.

    python bench/quiz_interaction.py [--repeat 1000]

Measures in-process handling only (no browser, no websocket): the time from the button's click handler
starting to the feedback being set, over every kind of question in the built-in bank. Prints medians and p99.
A benchmark, not a test: the machines are noisy, so nothing here is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ivig_content import quiz
from ivig_content.widgets import ConditionExplorer, QuizWidget


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def choose_right_answer(widget: QuizWidget) -> None:
    question = widget.current_question
    right = quiz._right_answer(question)
    widget._restore(question, right)


def time_check_answer(repeat: int) -> list[float]:
    widget = QuizWidget(seed=1)
    total = len(widget._session.questions)
    timings = []
    for attempt in range(repeat):
        widget._index = attempt % total
        widget._show_question()
        choose_right_answer(widget)
        start = time.perf_counter()
        widget._check.click()
        timings.append(time.perf_counter() - start)
        assert widget.last_error is None and widget._feedback.value
    return timings


def time_build(make, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        make()
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1000, help="clicks to time (default 1000)")
    args = parser.parse_args()

    QuizWidget(seed=0)  # load the content and the bank once, as the first cell of a notebook does
    rows = [
        ("Check answer (click to feedback)", time_check_answer(args.repeat)),
        ("build QuizWidget (built-in bank)", time_build(lambda: QuizWidget(seed=1), max(5, args.repeat // 20))),
        ("build ConditionExplorer", time_build(ConditionExplorer, max(5, args.repeat // 20))),
    ]
    print(f"{'what':38} {'runs':>6} {'median ms':>10} {'p99 ms':>10}")
    for name, timings in rows:
        median = statistics.median(timings) * 1000
        p99 = percentile(timings, 0.99) * 1000
        print(f"{name:38} {len(timings):>6} {median:>10.3f} {p99:>10.3f}")


if __name__ == "__main__":
    main()
