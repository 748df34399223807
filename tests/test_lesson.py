"""The lesson from the package: `ivig-teaching lesson`, `lab` and `quiz-app`, and `make lab` (the same lab).

The commands are run as a user runs them (in-process for what prints and copies; as real servers on loopback for
JupyterLab and Voila). tests/test_packaging.py runs the same commands from a wheel in a fresh virtual environment.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ivig_content import lesson
from ivig_content.__main__ import main

from .servers import LAB_SETTINGS as VERIFIED_LAB_SETTINGS
from .servers import REPO, Server, free_port, private_jupyter_env
from .test_bank_errors import GOOD
from .test_voila_apps import get

LESSON = lesson.lesson_files(REPO)
NOTIFICATION = "@jupyterlab/apputils-extension/notification"
SETTINGS_FILE = f"{lesson.LAB_SETTINGS_FOLDER}/{NOTIFICATION}.jupyterlab-settings"


@pytest.fixture(autouse=True)
def as_the_console_script(monkeypatch):
    """Messages name the program as the user ran it: here, the console script."""
    monkeypatch.setattr(sys, "argv", ["/somewhere/bin/ivig-teaching"])


def test_the_lesson_is_the_notebooks_the_apps_and_the_guides():
    assert lesson.lesson_source() == REPO  # a source checkout: the repository's own folders
    assert LESSON == sorted(
        [f"notebooks/{path.name}" for path in (REPO / "notebooks").glob("*.ipynb")]
        + ["apps/explorer.ipynb", "apps/voila.py"]
        + [f"instructors/{path.name}" for path in (REPO / "instructors").glob("*.md")]
    )
    assert lesson.START_NOTEBOOK in LESSON and lesson.QUIZ_NOTEBOOK in LESSON


def test_lesson_copies_the_lesson_and_says_what_to_do_next(tmp_path: Path, capsys):
    folder = tmp_path / "my lesson"
    assert main(["lesson", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"copied {len(LESSON)} files into {folder}",
        f"Next: ivig-teaching lab '{folder}'    (JupyterLab on notebooks/00-start-here.ipynb; it needs JupyterLab: "
        "pip install 'ivig-teaching[lab]')",
    ]
    for name in LESSON:
        assert (folder / name).read_bytes() == (REPO / name).read_bytes(), name
    assert json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8")) == lesson.LAB_SETTINGS[NOTIFICATION]
    assert sorted(path.name for path in folder.iterdir()) == [".jupyter", "apps", "instructors", "notebooks"]


def test_lab_settings_are_the_ones_verified_in_a_browser():
    """No news pop-up and no update check: the keys and values tests/browser verified in JupyterLab."""
    assert lesson.LAB_SETTINGS[NOTIFICATION] == VERIFIED_LAB_SETTINGS[NOTIFICATION]


def test_lesson_keeps_a_learners_edited_notebook_unless_told_to_overwrite(tmp_path: Path, capsys):
    folder = tmp_path / "lesson"
    assert main(["lesson", str(folder)]) == 0
    edited = folder / "notebooks" / "02-conditions.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("# Your code here", "counts.max()"), encoding="utf-8")
    mine = edited.read_bytes()
    (folder / "notebooks" / "04-quiz.ipynb").unlink()
    settings = folder / SETTINGS_FILE
    settings.write_text('{"fetchNews": "true"}', encoding="utf-8")  # the learner's own choice, always kept
    capsys.readouterr()

    assert main(["lesson", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"copied 1 file into {folder}",
        f"kept 1 file you changed: notebooks/02-conditions.ipynb (`ivig-teaching lesson {folder} --overwrite` "
        "replaces them)",
    ]
    assert edited.read_bytes() == mine
    assert (folder / "notebooks" / "04-quiz.ipynb").read_bytes() == (REPO / "notebooks" / "04-quiz.ipynb").read_bytes()

    assert main(["lesson", str(folder), "--overwrite"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "replaced 1 file you had changed: notebooks/02-conditions.ipynb"
    assert edited.read_bytes() == (REPO / "notebooks" / "02-conditions.ipynb").read_bytes()
    assert settings.read_text(encoding="utf-8") == '{"fetchNews": "true"}'

    assert main(["lesson", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{folder} has the whole lesson already"


@pytest.mark.parametrize("where", ["a file", "inside a file", "the repository"])
def test_lesson_refuses_a_folder_it_cannot_use_in_one_line(tmp_path: Path, capsys, where: str):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    folder = {"a file": tmp_path / "notes.txt", "inside a file": tmp_path / "notes.txt" / "lesson",
              "the repository": REPO}[where]
    assert main(["lesson", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL  ") and out.count("\n") == 1, out
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_without_jupyterlab_lab_says_how_to_get_it_in_one_line_and_copies_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(lesson, "_has_lab", lambda: False)
    assert main(["lab", str(tmp_path / "lesson")]) == 1
    assert capsys.readouterr().out == (
        f"FAIL  JupyterLab is not installed in this Python ({sys.executable}); pip install 'ivig-teaching[lab]'\n"
    )
    assert not (tmp_path / "lesson").exists()


def test_without_voila_quiz_app_says_how_to_get_it_in_one_line(capsys, monkeypatch):
    monkeypatch.setattr(lesson, "_has_voila", lambda: False)
    assert main(["quiz-app"]) == 1
    assert capsys.readouterr().out == (
        f"FAIL  the quiz app needs Voila, which is not installed in this Python ({sys.executable}); "
        "pip install 'ivig-teaching[lab]'\n"
    )


def test_quiz_app_checks_the_bank_before_serving_anything(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setattr(lesson.serve, "run", lambda *args, **kwargs: pytest.fail("served a broken bank"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("    answer: A\n", "    answer: E\n", 1), encoding="utf-8")
    assert main(["quiz-app", "--bank", str(bad)]) == 1
    assert capsys.readouterr().out == f'FAIL  {bad}: question 1 (id "q-route"): "answer" names "E", which is not a choice\n'
    assert main(["quiz-app", "--all"]) == 1
    assert capsys.readouterr().out.startswith("FAIL  --all goes with --bank")


def test_the_lab_command_serves_the_lesson_folder_with_the_lessons_settings(tmp_path: Path):
    command = lesson.lab_command(tmp_path / "lesson", port=9999, open_browser=False)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path / 'lesson'}" in command
    assert "--LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb" in command  # the printed address too
    assert f"--LabApp.user_settings_dir={tmp_path / 'lesson' / '.jupyter/lab/user-settings'}" in command
    assert {"--ServerApp.port=9999", "--no-browser"} <= set(command)


def _printed_lab_address(log: Path, deadline: float) -> str:
    """The first address JupyterLab prints (the one a user clicks), once it is printed."""
    while not (found := re.search(r"http://(?:localhost|127\.0\.0\.1):\d+/\S+", log.read_text(encoding="utf-8"))):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.3)
    return found.group().replace("localhost", "127.0.0.1")


def _check_lesson_lab(address: str, lesson_names: set[str]) -> None:
    """The printed address opens 00-start-here; the file browser's root holds the lesson and nothing else; the
    news pop-up is off (the lesson's settings)."""
    assert "/lab/tree/notebooks/00-start-here.ipynb?token=" in address, address
    base, token = address.split("/lab/")[0], address.split("token=")[1]
    status, page = get(address)
    assert status == 200 and "JupyterLab" in page
    with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=30) as response:
        root = json.load(response)
    assert {item["name"] for item in root["content"]} == lesson_names
    with urllib.request.urlopen(f"{base}/api/contents/notebooks?token={token}", timeout=30) as response:
        assert "00-start-here.ipynb" in {item["name"] for item in json.load(response)["content"]}
    plugin = ":".join(NOTIFICATION.rsplit("/", 1))  # @jupyterlab/apputils-extension:notification
    with urllib.request.urlopen(f"{base}/lab/api/settings/{plugin}?token={token}", timeout=30) as response:
        settings = json.load(response)["settings"]
    assert (settings["fetchNews"], settings["checkForUpdates"]) == ("false", False)


def test_lab_opens_the_lesson_on_start_here_without_the_news_pop_up(tmp_path: Path):
    folder = tmp_path / "lesson"
    port = free_port()
    log = tmp_path / "lab.log"
    command = [sys.executable, "-m", "ivig_content", "lab", str(folder), "--port", str(port), "--no-browser"]
    server = Server(command, tmp_path, private_jupyter_env(tmp_path), port, log)
    try:
        address = _printed_lab_address(log, time.monotonic() + 90)
        _check_lesson_lab(address, {"notebooks", "apps", "instructors"})
        assert log.read_text(encoding="utf-8").startswith(f"copied {len(LESSON)} files into {folder}\n")
    finally:
        server.stop()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_opens_the_same_lab_on_the_repositorys_own_notebooks(tmp_path: Path):
    """`make lab`, as the README's quick start runs it: JupyterLab shows notebooks/, apps/ and instructors/ (links
    to the repository's, so edits land there), not tests/ or bench/; the address it prints opens 00-start-here."""
    port = free_port()
    log = tmp_path / "make.log"
    # JupyterLab's own settings from the environment: this port, and a "browser" that opens nothing
    env = {**private_jupyter_env(tmp_path), "JUPYTER_PORT": str(port), "BROWSER": "true"}
    server = Server(["make", "--no-print-directory", "lab"], REPO, env, port, log)
    try:
        address = _printed_lab_address(log, time.monotonic() + 120)
        _check_lesson_lab(address, {"notebooks", "apps", "instructors"})
        assert (REPO / "build" / "lesson" / "notebooks").resolve() == REPO / "notebooks"
    finally:
        server.stop()


def test_bank_notebook_asks_the_banks_questions(tmp_path: Path):
    from nbclient import NotebookClient
    import nbformat

    (tmp_path / "bank.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "quiz.ipynb").write_text(lesson.bank_notebook("bank.yaml", "Quiz: <my bank>", core=False),
                                         encoding="utf-8")
    notebook = nbformat.read(tmp_path / "quiz.ipynb", as_version=4)
    nbformat.validate(notebook)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    heading, code, _ = notebook.cells
    assert heading.source == "# Quiz: &lt;my bank&gt;"
    assert "question=1 of 3" in code.outputs[0]["data"]["text/plain"]  # the widget shows the disclaimer itself


def test_quiz_app_serves_an_instructors_bank_with_the_apps_settings(tmp_path: Path):
    bank = tmp_path / "my-bank.yaml"
    bank.write_text(GOOD, encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "ivig_content", "quiz-app", "--bank", str(bank), "--port", str(port),
               "--no-browser"]
    server = Server(command, tmp_path, private_jupyter_env(tmp_path), port, tmp_path / "quiz-app.log")
    try:
        bank.write_text("not a bank any more", encoding="utf-8")  # the app serves the bank as it was checked
        status, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "Quiz: my-bank" in page and "How the quiz works" in page
        assert "application/vnd.jupyter.widget-view+json" in page
        assert "load_bank" not in page and "Traceback" not in page  # no code (apps/voila.py's settings)
        assert get(f"http://127.0.0.1:{port}/voila/files/bank.yaml")[0] in (403, 404)  # the bank is not served
    finally:
        server.stop()
    assert not list((tmp_path / "tmp").glob("ivig-quiz-app-*"))  # its folder is removed when it stops


def test_quiz_app_in_room_mode_refuses_a_port_in_use_with_its_own_hint(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "ivig_content", "quiz-app", "--room", "--port", str(port)],
                                cwd=tmp_path, env=private_jupyter_env(tmp_path), capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 1
    assert result.stderr == (
        f"Port {port} is already in use (another app?). Stop it, or choose another: --port 8900\n"
    )
    assert "token=" not in result.stdout


def test_help_names_the_program_as_it_was_run():
    script = Path(sys.executable).with_name("ivig-teaching")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("usage: ivig-teaching ")
    for command in ("lesson", "lab", "quiz-app", "validate", "answer-key", "review-sheet", "class-summary",
                    "quiz-page", "hub-link"):
        assert re.search(rf"^    {command}( |$)", result.stdout, re.MULTILINE), command
    result = subprocess.run([sys.executable, "-m", "ivig_content", "lesson", "--help"], capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.startswith("usage: python -m ivig_content lesson ")


def test_a_notebook_opened_or_run_but_not_edited_is_not_called_changed(tmp_path):
    """A fresh-eyes trial: JupyterLab rewrites a notebook's metadata on opening, and `lesson` then said the learner
    had changed it (and would never update it). Only its cells' text counts as the learner's edit."""
    import json

    from ivig_content.lesson import copy_lesson

    copy_lesson(tmp_path)
    start = tmp_path / "notebooks" / "00-start-here.ipynb"
    notebook = json.loads(start.read_text(encoding="utf-8"))
    notebook["metadata"]["language_info"] = {"name": "python", "version": "3.12.1", "mimetype": "text/x-python"}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], 7
    start.write_text(json.dumps(notebook), encoding="utf-8")
    again = copy_lesson(tmp_path)
    assert "notebooks/00-start-here.ipynb" in again.unchanged and again.kept == ()
    notebook["cells"][0]["source"] = "My own notes"
    start.write_text(json.dumps(notebook), encoding="utf-8")
    assert copy_lesson(tmp_path).kept == ("notebooks/00-start-here.ipynb",)
