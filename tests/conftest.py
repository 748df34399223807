from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ivig_content
from ivig_content.content import _packaged_data_dir

REPO = Path(__file__).resolve().parents[1]
PACKAGED_DATA = _packaged_data_dir()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the packaged data folder that a test may break."""
    folder = tmp_path / "data"
    shutil.copytree(PACKAGED_DATA, folder)
    return folder


def edit(path: Path, old: str, new: str, *, after: str = "") -> None:
    """Replace the first ``old`` that follows ``after`` in ``path``; fail loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


@pytest.fixture(scope="session")
def facts_by_id() -> dict[str, ivig_content.Fact]:
    return {fact.id: fact for fact in ivig_content.facts()}
