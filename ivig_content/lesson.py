"""The lesson beyond the repository: copy it into a folder, open it in JupyterLab, serve the quiz as a web app.

The notebooks, the explorer app, Voila's settings (``apps/voila.py``) and the instructor guides ship inside the
package, as ``ivig_content/lesson/notebooks/...``, ``.../apps/...`` and ``.../instructors/...`` (pyproject.toml maps
the repository's folders there when it builds a wheel: one copy in git). In a source checkout they are the
repository's own folders. A lesson folder has the same layout, so the notebooks' links (``../instructors/guide.md``)
work in both.

- :func:`copy_lesson` copies the lesson into a folder, keeping every file a learner changed unless told otherwise.
- :func:`open_lab` opens a lesson folder in JupyterLab on ``notebooks/00-start-here.ipynb``, with the lesson's own
  JupyterLab settings (no news pop-up) kept in the folder's hidden ``.jupyter/``.
- :func:`serve_quiz_app` serves the quiz (the built-in one, or an instructor's bank) with Voila and the lesson's
  ``apps/voila.py``, for this computer or for a room.

JupyterLab and Voila are the optional extra ``[lab]``: without them, these say how to install it.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import shlex
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from . import serve
from .banks import bank_title, load_bank
from .files import one_line, read_limited, write_text_file

__all__ = [
    "DEFAULT_FOLDER",
    "LAB_EXTRA",
    "LAB_SETTINGS",
    "LESSON_FILES",
    "START_NOTEBOOK",
    "LessonCopy",
    "LessonError",
    "copy_lesson",
    "copy_report",
    "lab_command",
    "lesson_files",
    "lesson_source",
    "next_step",
    "open_lab",
    "quiz_app_command",
    "serve_quiz_app",
]

# What a lesson folder holds, as patterns relative to it (and to the repository, and to ivig_content/lesson/).
LESSON_FILES = ("notebooks/*.ipynb", "apps/explorer.ipynb", "apps/voila.py", "instructors/*.md")
START_NOTEBOOK = "notebooks/00-start-here.ipynb"
QUIZ_NOTEBOOK = "notebooks/04-quiz.ipynb"
DEFAULT_FOLDER = "ivig-lesson"
LAB_EXTRA = "pip install 'ivig-teaching[lab]'"

# JupyterLab's settings for the lesson, kept in the lesson folder (hidden from its file browser): the learner's own
# changes (a theme, a font size) are kept there too, and never touch their JupyterLab elsewhere. No news pop-up
# and no update check (both would also ask the internet).
LAB_SETTINGS_FOLDER = ".jupyter/lab/user-settings"
LAB_WORKSPACES_FOLDER = ".jupyter/lab/workspaces"
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

_MAX_LESSON_FILE = 16 * 1024 * 1024


class LessonError(ValueError):
    """A lesson cannot be copied, opened or served; the message is one line that says what to do."""


def lesson_source() -> Path:
    """The folder that holds the lesson's files: ``ivig_content/lesson/`` in an installed wheel, or the repository
    in a source checkout. Raises :class:`LessonError` if neither has ``notebooks/00-start-here.ipynb``."""
    package = Path(__file__).resolve().parent
    for folder in (package / "lesson", package.parent):
        if (folder / START_NOTEBOOK).is_file():
            return folder
    raise LessonError(f"{package}: this installation has no lesson files (reinstall ivig-teaching from its wheel)")


def lesson_files(source: Path | None = None) -> list[str]:
    """The lesson's files, as sorted paths relative to ``source`` (default: :func:`lesson_source`) with ``/``."""
    source = lesson_source() if source is None else source
    found = {path.relative_to(source).as_posix() for pattern in LESSON_FILES for path in source.glob(pattern)}
    return sorted(found)


@dataclass(frozen=True, slots=True)
class LessonCopy:
    """What :func:`copy_lesson` did, each as paths relative to ``folder``."""

    folder: Path
    copied: tuple[str, ...]  # were missing, now copied
    unchanged: tuple[str, ...]  # already there, the same as the lesson's
    kept: tuple[str, ...]  # already there and different (a learner's edits): left as they are
    replaced: tuple[str, ...]  # were different, replaced with the lesson's (only with overwrite=True)


def copy_lesson(folder: str | os.PathLike[str], overwrite: bool = False) -> LessonCopy:
    """Copy the lesson into ``folder`` (made if missing), keeping the layout: notebooks/, apps/, instructors/.

    A file that is already there and differs from the lesson's (a learner's edited notebook; for a notebook, in its
    cells, not in metadata or outputs, which opening and running it change) is kept, unless ``overwrite``; each file is written whole or not at all (:func:`ivig_content.files.write_text_file`). JupyterLab's
    settings for the lesson (:data:`LAB_SETTINGS`) are written into ``folder/.jupyter/`` when missing, and never
    replaced (they hold the learner's own choices too).

    Raises :class:`LessonError` for a ``folder`` that is a file or cannot be made, and ``OSError`` (one line,
    naming the file) for a file that cannot be written.
    """
    source = lesson_source()
    target = Path(folder)
    if target.resolve() == source.resolve():
        raise LessonError(one_line(f"{target}: is where the lesson comes from; choose another folder"))
    _make_folder(target, target)
    copied, unchanged, kept, replaced = [], [], [], []
    for name in lesson_files(source):
        shipped = read_limited(source / name, _MAX_LESSON_FILE, LessonError, "lesson file")
        path = target / name
        _make_folder(path.parent, target)
        existed = os.path.lexists(path)
        if existed:
            try:
                same = path.is_file() and _same_content(name, path.read_bytes(), shipped)
            except OSError:
                same = False
            if same:
                unchanged.append(name)
                continue
            if not overwrite:
                kept.append(name)
                continue
        try:
            write_text_file(path, shipped.decode("utf-8"), overwrite=overwrite, how_to_replace="use --overwrite")
        except FileExistsError:  # made since we looked: it is someone's, keep it
            kept.append(name)
            continue
        (replaced if existed else copied).append(name)
    for plugin, values in LAB_SETTINGS.items():
        path = target / LAB_SETTINGS_FOLDER / f"{plugin}.jupyterlab-settings"
        if not os.path.lexists(path):
            _make_folder(path.parent, target)
            write_text_file(path, json.dumps(values, indent=2) + "\n")
    return LessonCopy(target, tuple(copied), tuple(unchanged), tuple(kept), tuple(replaced))


def _same_content(name: str, here: bytes, shipped: bytes) -> bool:
    """Whether a file already in the lesson folder says what the lesson's says. For a notebook that is its cells'
    kinds and text: opening it in JupyterLab rewrites its metadata (the Python version) and running it adds
    outputs, and neither is a learner's edit to keep."""
    if here == shipped:
        return True
    if not name.endswith(".ipynb"):
        return False
    try:
        return _cells(here) == _cells(shipped)
    except (ValueError, KeyError, TypeError):  # not a notebook any more: a learner's file, keep it
        return False


def _cells(data: bytes) -> list[tuple[str, str]]:
    cells = json.loads(data.decode("utf-8"))["cells"]
    return [(cell["cell_type"], "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
            for cell in cells]


def _make_folder(folder: Path, lesson: Path) -> None:
    """Make ``folder`` (and its parents) for the lesson ``lesson``; :class:`LessonError` naming what is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        in_the_way = next((part for part in (folder, *folder.parents) if part.is_file()), folder)
        raise LessonError(one_line(f"{in_the_way}: is a file, not a folder (to copy the lesson into {lesson})")) from None
    except OSError as problem:
        raise LessonError(one_line(f"{folder}: cannot be made ({problem.strerror})")) from None


def _has_lab() -> bool:
    return importlib.util.find_spec("jupyterlab") is not None


def _has_voila() -> bool:
    return importlib.util.find_spec("voila") is not None


def lab_command(folder: str | os.PathLike[str], port: int | None = None, open_browser: bool = True) -> list[str]:
    """The command that opens the lesson ``folder`` in JupyterLab (this Python's), on ``notebooks/00-start-here``.

    JupyterLab serves ``folder`` only (not the folders around it); the address it prints and the browser it opens
    lead to the first notebook; its settings and layout are kept in ``folder/.jupyter/``. As root (a container),
    ``--allow-root``, without which JupyterLab refuses to start.
    """
    root = Path(folder).absolute()
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}",
        f"--LabApp.user_settings_dir={root / LAB_SETTINGS_FOLDER}",
        f"--LabApp.workspaces_dir={root / LAB_WORKSPACES_FOLDER}",
    ]
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def open_lab(
    folder: str | os.PathLike[str], port: int | None = None, open_browser: bool = True, program: str = "ivig-teaching"
) -> int:
    """Copy the lesson into ``folder`` where files are missing (never replacing any), say what was done, then run
    JupyterLab on it until it stops; JupyterLab's exit code. ``program`` is how the user runs this package's
    commands (for the hints printed).

    Raises :class:`LessonError` when JupyterLab is not installed (saying ``pip install 'ivig-teaching[lab]'``),
    and what :func:`copy_lesson` raises.
    """
    if not _has_lab():
        raise LessonError(f"JupyterLab is not installed in this Python ({sys.executable}); {LAB_EXTRA}")
    copy = copy_lesson(folder)
    for line in copy_report(copy, program):
        print(line)
    print(f"Opening {Path(folder) / START_NOTEBOOK} in JupyterLab; stop it with Ctrl + C.", flush=True)
    return serve.run(lab_command(folder, port, open_browser))


def copy_report(copy: LessonCopy, program: str = "ivig-teaching") -> list[str]:
    """What :func:`copy_lesson` did, as lines to print: copied, replaced, kept (with how to replace them)."""
    lines = []
    if copy.copied:
        lines.append(f"copied {_count(copy.copied)} into {copy.folder}")
    if copy.replaced:
        lines.append(f"replaced {_count(copy.replaced)} you had changed: {', '.join(copy.replaced)}")
    if copy.kept:
        how = f"{program} lesson {shlex.quote(str(copy.folder))} --overwrite"
        lines.append(f"kept {_count(copy.kept)} you changed: {', '.join(copy.kept)} (`{how}` replaces them)")
    if not copy.copied and not copy.replaced and not copy.kept:
        lines.append(f"{copy.folder} has the whole lesson already")
    return [one_line(line, 2000) for line in lines]


def next_step(copy: LessonCopy, program: str = "ivig-teaching") -> str:
    """The line that says how to open the copied lesson."""
    return one_line(f"Next: {program} lab {shlex.quote(str(copy.folder))}    (JupyterLab on {START_NOTEBOOK}; "
                    f"it needs JupyterLab: {LAB_EXTRA})", 2000)


def _count(names: tuple[str, ...]) -> str:
    return f"{len(names)} file{'s' if len(names) != 1 else ''}"


# --- The quiz as a web app ------------------------------------------------------------------------------------


def quiz_app_command(notebook: Path, port: int | None = None, open_browser: bool = True) -> list[str]:
    """The Voila command that serves ``notebook`` with the lesson's settings (``apps/voila.py``: loopback, no code
    shown, idle kernels culled; a room's token from the environment), as ``make quiz-app`` does."""
    command = [sys.executable, "-m", "voila", f"--Voila.config_file_paths={lesson_source() / 'apps'}"]
    if port is not None:
        command.append(f"--Voila.port={port}")
    if not open_browser:
        command.append("--no-browser")
    return [*command, str(notebook)]


def bank_notebook(bank_file: str, title: str, core: bool) -> str:
    """A notebook (as JSON text) that shows the quiz of the bank ``bank_file`` (a path relative to the notebook):
    a heading, the quiz (which shows the disclaimer at its top), and how it works. What ``quiz-app --bank``
    serves."""
    load = f"load_bank({bank_file!r}{', core=True' if core else ''})"
    cells = [
        _markdown(f"# {html.escape(title)}"),
        {
            "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": f"from ivig_content.banks import load_bank\nfrom ivig_content.widgets import QuizWidget\n\n"
                      f"QuizWidget({load})",
        },
        _markdown(
            "## How the quiz works\n"
            "- One question at a time. Choose your answer and press **Check answer**: you see whether it is right, "
            "why, and where that comes from. **Back** and **Next** move between questions.\n"
            "- Your **first** answer to each question is the one that counts for your score. You may try again to "
            "learn.\n"
            "- At the end, type your name (optional) and use **Download results** to save a CSV file to your own "
            "device."
        ),
    ]
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for number, cell in enumerate(cells):
        cell["id"] = f"quiz-{number}"
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def serve_quiz_app(
    bank: str | None = None,
    room: bool = False,
    port: int | None = None,
    open_browser: bool = True,
    all_questions: bool = False,
    other_port_hint: str = "--port 8900",
) -> int:
    """Serve the quiz as a web app until it is stopped; Voila's exit code.

    Without ``bank``: ``notebooks/04-quiz.ipynb`` as shipped (the core quiz, then "Practise all"). With ``bank``: the
    bank is checked first, then a copy of it is served by a small notebook made for the run (its core quiz if it
    has a ``core`` list and not ``all_questions``, else every question), in a private temporary folder removed
    afterwards. ``room``: listens on the network with a token, and prints the link to share
    (:func:`ivig_content.serve.serve_room`; a port in use is refused with ``other_port_hint``).

    Raises :class:`LessonError` when Voila is not installed (saying ``pip install 'ivig-teaching[lab]'``), and
    :class:`ivig_content.banks.BankError` for a bank that does not load.
    """
    if not _has_voila():
        raise LessonError(f"the quiz app needs Voila, which is not installed in this Python ({sys.executable}); "
                          f"{LAB_EXTRA}")
    if bank is None:
        return _serve(quiz_app_command(lesson_source() / QUIZ_NOTEBOOK, port, open_browser), room, port,
                      other_port_hint)
    core = _checked_bank(bank, all_questions)
    given = Path(bank)
    data = read_limited(given, _MAX_LESSON_FILE, LessonError, "question bank")
    with tempfile.TemporaryDirectory(prefix="ivig-quiz-app-") as folder:
        copy = Path(folder) / f"bank{given.suffix.lower()}"
        copy.write_bytes(data)  # the bank as checked, whatever happens to the file during the class
        notebook = Path(folder) / "quiz.ipynb"
        title = bank_title(given) or f"Quiz: {given.stem}"
        notebook.write_text(bank_notebook(copy.name, title, core), encoding="utf-8")
        return _serve(quiz_app_command(notebook, port, open_browser), room, port, other_port_hint)


def _checked_bank(bank: str, all_questions: bool) -> bool:
    """Load ``bank`` (raising :class:`BankError` for any problem) and print its warnings now, before the app runs;
    whether the app asks its core quiz (it has a ``core`` list, and not ``all_questions``)."""
    from .banks import BankError, BankWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BankWarning)
        load_bank(bank)
    for note in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, BankWarning)):
        print(f"WARN  {one_line(note)}", file=sys.stderr)
    if all_questions:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BankWarning)
        try:
            load_bank(bank, core=True)
        except BankError:  # no core list: the whole bank is the quiz
            return False
    return True


def _serve(command: list[str], room: bool, port: int | None, other_port_hint: str) -> int:
    if room:
        return serve.serve_room(command, serve.DEFAULT_VOILA_PORT if port is None else port, other_port_hint)
    return serve.run(command)
