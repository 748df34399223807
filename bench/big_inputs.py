"""The biggest and the most hostile inputs: each is loaded or refused within 2 s and 200 MB (issue 13).

    python bench/big_inputs.py [--runs 3]

Each input is read in a new Python process (``load_bank``, ``load_results`` or ``class-summary``), and the
script prints the median wall time and the process's peak memory (maximum resident set size), beside the same
for a process that only imports what it needs, as the floor. The machines are noisy: compare with the floor in
the same run. Nothing is asserted; the figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LOAD_BANK = "import sys; from ivig_content.banks import load_bank, BankError\ntry: load_bank(sys.argv[1])\nexcept BankError as e: print(e)"
LOAD_RESULTS = ("import sys; from ivig_content.results import load_results, ResultsError\n"
                "try: load_results(sys.argv[1])\nexcept ResultsError as e: print(e)")
FLOOR_BANK = "import sys; from ivig_content.banks import load_bank; import yaml, fastjsonschema"
FLOOR_RESULTS = "import sys; from ivig_content.results import load_results; import pandas"


def yaml_bank(target_bytes: int) -> str:
    head, parts, size, number = "questions:\n", [], 0, 0
    while size < target_bytes:
        part = (f"  - id: q{number}\n    prompt: What is the answer to question {number} of this bank?\n"
                f"    choices: {{A: Yes it is right, B: No it is not}}\n    answer: A\n")
        parts.append(part)
        size += len(part)
        number += 1
    return head + "".join(parts)


def json_bank(target_bytes: int) -> str:
    questions, size, number = [], 0, 0
    while size < target_bytes - 200:
        question = {"id": f"q{number}", "prompt": f"What is the answer to question {number} of this bank?",
                    "choices": {"A": "Yes it is right", "B": "No it is not"}, "answer": "A"}
        size += len(json.dumps(question)) + 2
        questions.append(question)
        number += 1
    return json.dumps({"questions": questions})


def results_csv(target_bytes: int) -> str:
    header = ("learner,number,questions_in_quiz,question_id,topic,level,kind,prompt,answered,correct,attempts,"
              "your_answer,right_answer\n")
    row = "Ada,{n},{total},q{n},general,seed,single,What is the answer to question {n}?,True,False,1,No it is not,Yes it is\n"
    total = target_bytes // len(row.format(n=99999, total=99999))
    return "\ufeff" + header + "".join(row.format(n=n, total=total) for n in range(1, total + 1))


def inputs(folder: Path) -> list[tuple[str, str, Path, list[str]]]:
    """(what, floor code, file, command) for each input."""
    from ivig_content.banks import MAX_BANK_BYTES, MAX_YAML_BANK_BYTES
    from ivig_content.results import MAX_RESULTS_BYTES

    def write(name: str, text: str | bytes) -> Path:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    made = [
        ("YAML bank at the limit (loads)", FLOOR_BANK, write("limit.yaml", yaml_bank(MAX_YAML_BANK_BYTES - 200))),
        ("YAML flow list at the limit (refused)", FLOOR_BANK,
         write("flow.yaml", "[" + ",".join(["a"] * (MAX_YAML_BANK_BYTES // 2 - 2)) + "]")),
        ("YAML flow mapping at the limit (refused)", FLOOR_BANK, write("flow-map.yaml", "{" + ", ".join(
            f"k{n}: a" for n in range(MAX_YAML_BANK_BYTES // 11)) + "}")),
        ("YAML bank of 2 MB (refused: too big)", FLOOR_BANK, write("two-mb.yaml", yaml_bank(2_000_000))),
        ("JSON bank at the limit (loads)", FLOOR_BANK, write("limit.json", json_bank(MAX_BANK_BYTES))),
        ("JSON bank of 100 MB (refused: too big)", FLOOR_BANK, write("huge.json", b" " * 100_000_000)),
        ("YAML nested 200,000 deep (refused)", FLOOR_BANK, write("deep.yaml", "[" * 200_000 + "]" * 200_000)),
        ("JSON nested 500,000 deep (refused)", FLOOR_BANK, write("deep.json", "[" * 500_000 + "]" * 500_000)),
        ("YAML alias bomb (refused)", FLOOR_BANK, write("laughs.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
            f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)))),
        ("JSON integer of 1,000,000 digits (refused)", FLOOR_BANK, write("bigint.json", '{"questions": ' + "9" * 1_000_000 + "}")),
        ("results CSV at the limit (loads)", FLOOR_RESULTS, write("limit.csv", results_csv(MAX_RESULTS_BYTES - 200))),
        ("results CSV of 100 MB (refused: too big)", FLOOR_RESULTS, write("huge.csv", b"learner," + b"x" * 100_000_000)),
    ]
    return [(what, floor, path, [sys.executable, "-c", LOAD_RESULTS if floor == FLOOR_RESULTS else LOAD_BANK, str(path)])
            for what, floor, path in made]


def class_of(folder: Path, learners: int) -> list[str]:
    """``learners`` results files of the whole built-in quiz, as the quiz saves them."""
    from ivig_content.banks import builtin_bank
    from ivig_content.quiz import QuizSession

    names = []
    for number in range(learners):
        session = QuizSession(builtin_bank(), seed=number)
        for index, question in enumerate(session.questions):
            right = [choice.id for choice in question.choices if choice.correct]
            if question.kind == "single":
                session.answer(question.id, right[0] if index % 3 else question.choices[-1].id)
            elif question.kind == "multiple":
                session.answer(question.id, right)
            else:
                session.answer(question.id, {item.id: item.answer for item in question.items})
        names.append(str(session.save(folder / f"learner-{number:03}.csv", learner=f"Learner {number}")))
    return names


def measure(command: list[str], runs: int) -> tuple[float, float, str]:
    """Median wall seconds, the largest peak memory (MiB) over the runs, and what the command printed."""
    times, peaks, printed = [], [], ""
    for _ in range(runs):
        start = time.perf_counter()
        # a fresh process per run, and its own peak memory: read from a wrapper that reports its child's
        wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(r.stdout[:150].strip())")
        out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
        peak_kib, _, printed = out.stdout.partition("\n")
        peaks.append(int(peak_kib) / 1024)
    return statistics.median(times), max(peaks), printed.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        floors = {
            code: measure([sys.executable, "-c", code], args.runs) for code in (FLOOR_BANK, FLOOR_RESULTS)
        }
        print(f"{'input':45} {'size':>10} {'wall s':>7} {'peak MiB':>9}  (floor: wall s / MiB)  outcome")
        for what, floor, path, command in inputs(folder):
            wall, peak, printed = measure(command, args.runs)
            size = os.path.getsize(path)
            outcome = "loaded" if not printed else printed.replace(str(path), path.name)[:90]
            print(f"{what:45} {size / 1e6:>8.2f}MB {wall:7.2f} {peak:9.0f}  ({floors[floor][0]:.2f} / "
                  f"{floors[floor][1]:.0f})  {outcome}")
        for learners in (30, 300):
            class_folder = folder / f"class-{learners}"
            class_folder.mkdir()
            names = class_of(class_folder, learners)
            command = [sys.executable, "-m", "ivig_content", "class-summary", *names, "--out",
                       str(class_folder / "summary"), "--overwrite"]
            wall, peak, _ = measure(command, args.runs)
            size = sum(os.path.getsize(name) for name in names)
            print(f"{f'class-summary of {learners} learners (51 questions)':45} {size / 1e6:>8.2f}MB {wall:7.2f} "
                  f"{peak:9.0f}  ({floors[FLOOR_RESULTS][0]:.2f} / {floors[FLOOR_RESULTS][1]:.0f})  summarised")
    return 0


if __name__ == "__main__":
    sys.exit(main())
