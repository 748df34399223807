"""The Markdown documents: every relative link points at a file that exists, and every #anchor at a heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .servers import REPO

DOCUMENTS = sorted([REPO / "README.md", *REPO.glob("docs/*.md"), *REPO.glob("instructors/*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)")


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", document.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {github_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def test_github_anchors_are_made_as_github_makes_them():
    assert github_anchor(" A class on one machine: JupyterHub (tested, with test-only login)") == (
        "a-class-on-one-machine-jupyterhub-tested-with-test-only-login"
    )


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_relative_links_and_anchors_resolve(document: Path):
    text = re.sub(r"```.*?```", "", document.read_text(encoding="utf-8"), flags=re.DOTALL)
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):  # https:, mailto: ... not checked offline
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading with that anchor")
    assert broken == []


REPOSITORY_FILE = re.compile(
    r"https://(?:github\.com/ivig-teaching/ivig-teaching/blob|raw\.githubusercontent\.com/ivig-teaching/ivig-teaching)"
    r"/main/([^)\s\"#?]+)"
)


def test_readme_reads_well_on_pypi_with_absolute_links_to_files_that_exist():
    """PyPI shows the README without the repository around it: every link and image is absolute, and each one into
    the repository names a file that is there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", readme, flags=re.DOTALL)
    relative = [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]
    relative += re.findall(r'<img src="(?![a-z]+:)([^"]+)"', text)
    assert relative == []
    linked = REPOSITORY_FILE.findall(text)
    assert len(linked) >= 10
    assert [path for path in linked if not (REPO / path).is_file()] == []


def test_readme_has_a_binder_link_that_opens_start_here():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "https://mybinder.org/v2/gh/ivig-teaching/ivig-teaching/main?urlpath=lab/tree/notebooks/00-start-here.ipynb" in (
        readme
    )
    assert (REPO / "notebooks" / "00-start-here.ipynb").is_file()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_absolute_links_into_the_repository_name_files_that_exist(document: Path):
    """The shipped guides link to docs/ absolutely (a lesson copied from the wheel has no docs/ beside it)."""
    text = document.read_text(encoding="utf-8")
    assert [path for path in REPOSITORY_FILE.findall(text) if not (REPO / path).is_file()] == []
