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


# --- Small questions for quiz tests ------------------------------------------------------------------

from ivig_content.records import Choice, MatchItem, Question  # noqa: E402


def single_question(question_id: str = "route", topic: str = "administration") -> Question:
    return Question(
        question_id, "single", topic, "seed", "How is IVIG given?",
        (Choice("A", "Into a vein", True, "Yes."), Choice("B", "As a tablet", False, "No: into a vein."),
         Choice("C", "As a cream", False, "No: into a vein.")),
        explanation="Given intravenously.", source="Seed",
    )


def multiple_question(question_id: str = "reactions", topic: str = "safety") -> Question:
    return Question(
        question_id, "multiple", topic, "extended", "Common mild reactions?",
        (Choice("A", "Headache", True, "Common."), Choice("B", "Chills", True, "Common."),
         Choice("C", "Thrombosis", False, "Serious.")),
        explanation="Headache and chills are common.", source="FDA",
    )


def matching_question(question_id: str = "groups", topic: str = "conditions") -> Question:
    return Question(
        question_id, "matching", topic, "seed", "Match them.",
        (Choice("A", "Immune system attacks the body", True), Choice("B", "Too much inflammation", True)),
        explanation="Two groups.", source="Seed",
        items=(MatchItem("1", "Autoimmune diseases", "A"), MatchItem("2", "Inflammatory states", "B")),
    )


@pytest.fixture
def three_questions() -> list[Question]:
    return [single_question(), multiple_question(), matching_question()]
