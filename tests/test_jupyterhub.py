"""A class on a real JupyterHub (deploy/jupyterhub), on 127.0.0.1, with configurable-http-proxy from npm.

Two learners log in with the password, open the link that `python -m ivig_content hub-link` prints (pointing at a
local clone of this repository), get their own copy of the lesson through nbgitpuller, and run the quiz notebook
through the kernel API. Then the hub is stopped, and no process it started may be left.

Needs Node.js: without it these tests fail in CI (CI=true) and skip with a one-line reason elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivig_content.__main__ import main as command_line

from .hub import Hub, Learner, published_lesson, require_hub, run_notebook_from_sync_code
from .servers import REPO, process_tree

LEARNERS = ("ada", "ben")
QUIZ = "notebooks/04-quiz.ipynb"


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[Hub]:
    require_hub()
    running = Hub(tmp_path_factory.mktemp("hub"))
    yield running
    running.stop()


def test_two_learners_pull_the_lesson_and_run_the_quiz(hub: Hub, tmp_path, capsys):
    clone, branch = published_lesson(tmp_path)
    assert command_line(["hub-link", "--hub", hub.url, "--repo", clone.as_uri(), "--branch", branch]) == 0
    link = capsys.readouterr().out.strip()
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    for name in LEARNERS:
        learner = Learner(hub, name)
        wrong = Learner(hub, name).log_in("not-the-password")
        assert wrong.status_code == 403, "a wrong password must not log in"
        answer = learner.log_in(hub.password)
        assert answer.status_code == 200 and answer.url == f"{hub.url}/hub/spawn-pending/{name}", answer.url
        hub.wait_until_ready(name)

        landing = learner.open_link(link)
        assert landing == f"/user/{name}/lab/tree/ivig-teaching/notebooks/00-start-here.ipynb"
        copy = hub.folder / "homes" / name / "ivig-teaching"
        assert (copy / QUIZ).is_file()
        pulled = subprocess.run(["git", "-C", str(copy), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        assert pulled == head, "the learner's copy is the published lesson"
        # The landing page is the learner's own JupyterLab, not a login page
        page = learner.browser.get(f"{hub.url}{landing}", timeout=120)
        assert page.status_code == 200 and page.url == f"{hub.url}{landing}"

        ran = run_notebook_from_sync_code(hub.url, name, hub.learner_token(name), f"ivig-teaching/{QUIZ}")
        assert ran["error"] == [] and ran["stderr"] == [], ran
        assert len(ran["cells"]) >= 1
        assert len(ran["widgets"]) == 1 and ran["widgets"][0].startswith("QuizWidget(mode='quiz', question=1 of ")

    users = {user["name"]: user for user in hub.api("GET", "/users").json()}
    assert {name for name in LEARNERS} <= set(users)
    for name in LEARNERS:
        assert users[name]["servers"][""]["ready"]


def test_the_hub_stops_its_proxy_servers_and_kernels(hub: Hub):
    # Runs after the learners' test: their two servers and kernels are still up.
    running = process_tree(hub.pid)
    commands = " ".join(command for _, command in running.values())
    assert commands.count("jupyterhub-singleuser") == len(LEARNERS), commands
    assert commands.count("ipykernel") == len(LEARNERS), commands
    assert "configurable-http-proxy" in commands
    left = hub.stop()
    assert left == {}, f"still running after the hub stopped: {left}"


def test_a_missing_node_fails_in_ci_and_skips_elsewhere():
    # With only this Python's tools on PATH there is no node: the hub fixture decides before starting anything.
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PATH"] = str(Path(sys.executable).parent)
    test = "tests/test_jupyterhub.py::test_the_hub_stops_its_proxy_servers_and_kernels"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", test]
    elsewhere = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    in_ci = subprocess.run(command, cwd=REPO, env={**env, "CI": "true"}, capture_output=True, text=True,
                           timeout=300)
    assert elsewhere.returncode == 0 and "1 skipped" in elsewhere.stdout, elsewhere.stdout
    assert "no Node.js, which the JupyterHub tests need: install Node.js and npm" in elsewhere.stdout
    assert in_ci.returncode == 1, in_ci.stdout
    assert "Node.js is missing, so the JupyterHub tests cannot run" in in_ci.stdout
