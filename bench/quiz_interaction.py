"""How long the kernel spends on a learner: recording one checked answer, and building each widget.

    python bench/quiz_interaction.py [--repeat 1000]

The browser checks answers itself and shows the feedback at once; each checked answer then reaches the kernel
as one custom widget message ``{"kind": "answer", ...}``, which the widget records and answers with one
``{"kind": "recorded", ...}`` message. This times that in a real kernel (a new ipykernel, started here with
jupyter_client, so the receipt really goes out through the kernel's comm and iopub socket): from the message
handler starting to the receipt sent, over every question of the built-in bank in turn, right answers and wrong
ones. Building a widget in that kernel includes sending its state (the questions) to the front end.
No browser and no websocket: see bench/frontend_latency.py for those. Prints medians and p99.
A benchmark, not a test: the machines are noisy, so nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def wrong_answer(question):
    """A response that is not right: another choice, or the matching answers rotated by one."""
    if question.kind == "matching":
        answers = [item.answer for item in question.items]
        return {item.id: answer for item, answer in zip(question.items, answers[1:] + answers[:1])}
    wrong = next(c.id for c in question.choices if not c.correct)
    return wrong if question.kind == "single" else [wrong]


def time_answers(repeat: int) -> list[float]:
    """Seconds from the answer message's handler starting to the receipt sent, ``repeat`` times."""
    from ivig_content import quiz
    from ivig_content.widgets import QuizWidget

    widget = QuizWidget(core=False, seed=1)  # the whole bank: every kind of question
    questions = widget.session.questions
    receipts: list[dict] = []
    send = widget.send
    widget.send = lambda content, buffers=None: (receipts.append(content), send(content, buffers))
    timings = []
    for number in range(1, repeat + 1):
        question = questions[(number - 1) % len(questions)]
        right = number % 4 != 0
        response = quiz._right_answer(question) if right else wrong_answer(question)
        message = {"kind": "answer", "question_id": question.id, "response": response, "review": False,
                   "number": number}
        start = time.perf_counter()
        widget._on_browser_message(widget, message, [])
        timings.append(time.perf_counter() - start)
        receipt = receipts[-1]
        assert widget.last_error is None and receipt["number"] == number and receipt["correct"] == right, receipt
    return timings


def time_build(make, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        widget = make()
        timings.append(time.perf_counter() - start)
        widget.close()
    return timings


def measure(repeat: int) -> list[tuple[str, list[float]]]:
    """The measurements, run where this is called (the kernel)."""
    from ivig_content.widgets import ConditionExplorer, QuizWidget

    QuizWidget(seed=0).close()  # load the content and the bank once, as the first cell of a notebook does
    builds = max(5, repeat // 20)
    return [
        ("answer message (handler to receipt)", time_answers(repeat)),
        ("build QuizWidget (built-in bank)", time_build(lambda: QuizWidget(seed=1), builds)),
        ("build ConditionExplorer", time_build(ConditionExplorer, builds)),
    ]


def measure_in_kernel(repeat: int) -> list[tuple[str, list[float]]]:
    from jupyter_client.manager import start_new_kernel

    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import quiz_interaction\n"
            f"print('RESULT' + json.dumps(quiz_interaction.measure({repeat})))")
    # the kernel's own warnings (e.g. about TCP on loopback) are not ours to print; its errors come as messages
    manager, client = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)
    printed: list[str] = []
    errors: list[str] = []

    def output(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            errors.append("\n".join(message["content"]["traceback"]))

    try:
        reply = client.execute_interactive(code, output_hook=output, timeout=600)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    text = "".join(printed)
    if reply["content"]["status"] != "ok" or "RESULT" not in text:
        sys.exit(f"the measurement failed in the kernel:\n{text}\n" + "\n".join(errors))
    return [tuple(row) for row in json.loads(text.split("RESULT", 1)[1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1000, help="answers to time (default 1000)")
    args = parser.parse_args()
    rows = measure_in_kernel(args.repeat)
    print(f"{'what':38} {'runs':>6} {'median ms':>10} {'p99 ms':>10}")
    for name, timings in rows:
        median = statistics.median(timings) * 1000
        p99 = percentile(timings, 0.99) * 1000
        print(f"{name:38} {len(timings):>6} {median:>10.3f} {p99:>10.3f}")


if __name__ == "__main__":
    main()
