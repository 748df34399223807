"""The benchmark scripts still run (a tiny repeat count; the figures themselves are not asserted)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_quiz_interaction_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "quiz_interaction.py"), "--repeat", "5"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["what", "runs", "median", "ms", "p99", "ms"]
    assert [line.split("  ")[0] for line in lines[1:]] == [
        "Check answer (click to feedback)",
        "build QuizWidget (built-in bank)",
        "build ConditionExplorer",
    ]
