"""The benchmark scripts still run (tiny sizes; the figures themselves are not asserted: see docs/benchmarks.md)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import REPO


def run_bench(*args: str, timeout: int = 300) -> list[str]:
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_quiz_interaction_benchmark_runs():
    lines = run_bench("bench/quiz_interaction.py", "--repeat", "5")
    assert lines[0].split() == ["what", "runs", "median", "ms", "p99", "ms"]
    assert [line.split("  ")[0] for line in lines[1:]] == [
        "Check answer (click to feedback)",
        "build QuizWidget (built-in bank)",
        "build ConditionExplorer",
    ]


def test_import_cost_benchmark_runs():
    lines = run_bench("bench/import_cost.py", "--runs", "1")
    assert lines[1].startswith("import ivig_content; facts_frame()")
    assert lines[2].startswith("import ivig_content.widgets")
    assert lines[-1].startswith("target: ratio <= 1.05")


def test_notebook_cost_benchmark_runs():
    lines = run_bench("bench/notebook_cost.py", "--runs", "1", "apps/explorer.ipynb")
    assert lines[0].startswith("floor (a notebook that only imports pandas and ipywidgets):")
    assert lines[2].split()[0] == "explorer.ipynb"


def test_class_benchmark_runs_one_learner():
    lines = run_bench(
        "bench/class_on_voila.py", "--learners", "1", "--questions", "1", "--configurations", "plain",
        "--cull-idle-timeout", "3",
    )
    row = lines[1].split()
    assert row[:3] == ["plain", "1", "0"], lines  # one learner, no errors


def test_hub_benchmark_runs_one_learner():
    from .hub import missing_for_hub

    missing = missing_for_hub()
    if missing and not os.environ.get("CI"):
        pytest.skip(missing)
    lines = run_bench("bench/class_on_jupyterhub.py", "--learners", "1")
    assert lines[0].split()[:4] == ["learners", "errors", "all", "ready"]
    row = lines[1].split()
    assert row[:2] == ["1", "0"], lines  # one learner, no errors
    assert row[-1] == "0", lines  # nothing left running after the hub stopped
