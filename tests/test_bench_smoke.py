"""The benchmark scripts still run (tiny sizes; the figures themselves are not asserted: see docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util
import os
import shutil
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


def chromium_or_skip() -> None:
    """As the browser tests: without Chromium, a skip on a developer's machine and a failure in CI."""
    from .browser.conftest import INSTALL_HINT, find_chromium

    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing, so the browser benchmarks cannot run: {INSTALL_HINT}")
        pytest.skip(f"no Chromium: {INSTALL_HINT}")


def test_quiz_interaction_benchmark_runs():
    lines = run_bench("bench/quiz_interaction.py", "--repeat", "5")
    assert lines[0].split() == ["what", "runs", "median", "ms", "p99", "ms"]
    assert [line.split("  ")[0] for line in lines[1:]] == [
        "answer message (handler to receipt)",
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


def test_frontend_latency_benchmark_runs_every_target():
    chromium_or_skip()
    have_jupyterquiz = importlib.util.find_spec("jupyterquiz") is not None  # installed for the benchmark only
    lines = run_bench("bench/frontend_latency.py", "--rounds", "1", "--questions", "2",
                      *([] if have_jupyterquiz else ["--no-jupyterquiz"]))
    header = next(index for index, line in enumerate(lines) if line.startswith("target"))
    rows = {line.split()[0]: line.split() for line in lines[header + 1:] if line and not line.startswith((" ", "ratio"))}
    targets = ["jupyterlab", "voila", "static-file", "static-http"]
    if have_jupyterquiz:
        targets += ["jq-jupyterlab", "jq-voila", "jq-static-file", "jq-static-http"]
    assert list(rows) == targets, lines
    assert all(row[1] == "2" for row in rows.values()), lines  # two answers timed everywhere
    # the last four columns: frames sent and received per answer, then the two ratios to jupyterquiz
    for target in ("jupyterlab", "voila"):  # each answer went to the kernel and came back
        assert float(rows[target][-4]) >= 1 and float(rows[target][-3]) >= 1, lines
    assert float(rows["static-file"][-4]) == 0 == float(rows["static-file"][-3]), lines


def test_frontend_latency_benchmark_says_when_jupyterquiz_is_missing():
    """Without jupyterquiz (hidden from the script here), one line saying what to do, and exit status 2."""
    hide = ("import runpy, sys; sys.modules['jupyterquiz'] = None; "
            "sys.argv = ['bench/frontend_latency.py', '--targets', 'jq-static-file']; "
            "runpy.run_path('bench/frontend_latency.py', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", hide], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "jupyterquiz is not installed: pip install jupyterquiz (for this benchmark only), or pass --no-jupyterquiz"
    ]


def test_static_page_class_benchmark_runs():
    chromium_or_skip()
    lines = run_bench("bench/static_page_class.py", "--clients", "5", "--rounds", "1")
    assert lines[0].startswith("page: ") and "5 clients at once" in lines[0], lines
    rows = {line.split()[0]: line.split() for line in lines[2:] if line and not line.startswith(" ")}
    assert rows["http.server"][1:3] == ["5", "0"], lines  # five page loads, no errors
    if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
        assert rows["nginx"][1:3] == ["5", "0"], lines
    else:
        assert "nginx:" in rows and "skipped:" in rows["nginx:"], lines


def test_big_inputs_benchmark_runs_and_every_input_is_loaded_or_refused():
    lines = run_bench("bench/big_inputs.py", "--runs", "1")
    outcomes = {line[:45].strip(): line.rsplit(")  ", 1)[1] for line in lines[1:]}
    assert [what for what, outcome in outcomes.items() if outcome in ("loaded", "summarised")] == [
        "YAML bank at the limit (loads)", "JSON bank at the limit (loads)", "results CSV at the limit (loads)",
        "class-summary of 30 learners (51 questions)", "class-summary of 300 learners (51 questions)",
    ]
    assert outcomes["YAML alias bomb (refused)"].startswith("laughs.yaml: is not valid YAML: aliases (*name)")
    assert outcomes["JSON bank of 100 MB (refused: too big)"] == (
        "huge.json: is 95.4 MiB; a JSON question bank may be at most 2 MiB"
    )


def test_voila_kernel_lifetime_benchmark_runs():
    lines = run_bench("bench/voila_kernel_lifetime.py", "--pages", "1", "--no-browser", "--cull", "3")
    assert lines[0].startswith("one kernel after the quiz notebook ran: ")
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["closed without the beacon", "never connected"]
