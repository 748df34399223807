"""Without Chromium the browser tests fail in CI (never a silent skip) and skip with a reason elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .servers import REPO

ONE_BROWSER_TEST = "tests/browser/test_voila.py::test_quiz_app_shows_no_code"


def run_without_chromium(ci: bool) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("CI", "IVIG_CHROMIUM")}
    env["PATH"] = str(Path(sys.executable).parent)  # this Python's tools only: no chromium on it
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", ONE_BROWSER_TEST],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="checks the Linux set-up used in CI")
def test_missing_chromium_fails_in_ci():
    result = run_without_chromium(ci=True)
    assert result.returncode == 1, result.stdout
    assert "Chromium is missing, so the browser tests cannot run" in result.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="checks the Linux set-up used in CI")
def test_missing_chromium_skips_with_a_reason_elsewhere():
    result = run_without_chromium(ci=False)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "no Chromium: install Debian's chromium (sudo apt-get install chromium)" in result.stdout
