"""The notebooks' shape: objectives, key points, navigation, disclaimer, working links, clean stored outputs.

nbval (run by the same pytest command) re-executes every notebook and compares its outputs; these tests check
what nbval does not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

import ivig_content

from .conftest import REPO

LESSONS = [
    "00-start-here", "01-what-is-ivig", "02-conditions", "03-giving-ivig-safely", "04-quiz", "05-make-your-own-quiz"
]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ALL_NOTEBOOKS = NOTEBOOKS + sorted((REPO / "apps").glob("*.ipynb"))
DISCLAIMER_WORDS = "only be used under the guidance of a healthcare provider"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def markdown(notebook) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def anchor(heading: str) -> str:
    return heading.strip().replace(" ", "-")


def test_the_lessons_are_the_numbered_notebooks():
    assert [path.stem for path in NOTEBOOKS] == LESSONS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_has_title_disclaimer_objectives_key_points_and_navigation(path: Path):
    notebook = read(path)
    first, intro, *_, last = notebook.cells
    for nav in (first, last):
        assert nav.metadata.get("tags") == ["notebook-navigation"]
        assert "[Contents](00-start-here.ipynb#Contents)" in nav.source
    assert first.source == last.source
    assert intro.source.startswith("# ")
    assert DISCLAIMER_WORDS in intro.source
    assert "## Learning objectives" in intro.source
    assert "## Key points" in notebook.cells[-2].source
    assert DISCLAIMER_WORDS in notebook.cells[-2].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_navigation_points_to_the_neighbours(path: Path):
    index = LESSONS.index(path.stem)
    nav = read(path).cells[0].source
    links = LINK.findall(nav)
    expected = ([f"{LESSONS[index - 1]}.ipynb"] if index else []) + ["00-start-here.ipynb#Contents"]
    expected += [f"{LESSONS[index + 1]}.ipynb"] if index + 1 < len(LESSONS) else []
    assert links == expected


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_link_resolves_and_none_leaves_the_machine(path: Path):
    for target in LINK.findall(markdown(read(path))):
        assert not re.match(r"[a-z]+:", target), f"{path.name}: link to {target} needs a network"
        file, _, fragment = target.partition("#")
        resolved = (path.parent / file).resolve()
        assert resolved.exists(), f"{path.name}: link to {target} does not resolve"
        if fragment and resolved.suffix == ".ipynb":
            headings = re.findall(r"^#+ (.+)$", markdown(read(resolved)), flags=re.MULTILINE)
            assert fragment in {anchor(heading) for heading in headings}, f"{path.name}: no #{fragment} in {file}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_are_complete_and_clean(path: Path):
    notebook = read(path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), "run all cells, in order"
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}: error output in {cell.source[:40]!r}"
            assert output.get("name") != "stderr", f"{path.name}: stderr output in {cell.source[:40]!r}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stray_metadata_or_personal_paths(path: Path):
    notebook = read(path)
    assert set(notebook.metadata) == {"kernelspec", "language_info"}
    assert "signature" not in notebook.metadata
    for cell in notebook.cells:
        assert set(cell.metadata) <= {"tags"}, f"{path.name}: cell metadata {dict(cell.metadata)}"
    text = path.read_text(encoding="utf-8")
    for personal in ("/root", "/home/", "/tmp/", "/Users/", "C:\\\\Users"):
        assert personal not in text, f"{path.name}: holds the path {personal}"
    nbformat.validate(notebook)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_diagram_has_a_caption_in_words(path: Path):
    cells = read(path).cells
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and any("image/svg+xml" in output.get("data", {}) for output in cell.outputs):
            caption = cells[index + 1]
            assert caption.cell_type == "markdown" and caption.source.startswith("*Figure"), path.name


def test_the_uses_chart_caption_matches_the_data():
    cells = read(REPO / "notebooks" / "02-conditions.ipynb").cells
    caption = next(cell.source for cell in cells if cell.source.startswith("*Figure 2"))
    counts = ivig_content.uses_frame().groupby("condition").size()
    for condition in ivig_content.conditions():
        assert f"{condition.name.lower()} {counts.get(condition.name, 0)}" in caption


def test_instructor_notebook_says_so_in_its_title():
    assert read(REPO / "notebooks" / "05-make-your-own-quiz.ipynb").cells[1].source.startswith(
        "# 5. For instructors:"
    )


def test_apps_hold_no_navigation_and_only_the_widget_code():
    explorer = read(REPO / "apps" / "explorer.ipynb")
    code = [cell.source for cell in explorer.cells if cell.cell_type == "code"]
    assert code == ["from ivig_content.widgets import ConditionExplorer\n\nConditionExplorer()"]
    assert "notebook-navigation" not in json.dumps(explorer)
