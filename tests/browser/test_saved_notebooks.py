"""A saved notebook read where nothing runs (GitHub, nbviewer, an HTML export): the widgets' outputs still say
something useful, with the disclaimer, instead of `QuizWidget(...)`."""

from __future__ import annotations

import pytest
from nbconvert import HTMLExporter
from playwright.sync_api import Page

import ivig_content

from ..servers import REPO


@pytest.fixture
def exported(tmp_path, chromium):
    def export(notebook: str):
        # nbviewer renders notebooks with nbconvert's HTML exporter; without saved widget state it falls back to
        # the next output type, as GitHub does
        body, _ = HTMLExporter().from_filename(str(REPO / notebook))
        path = tmp_path / (notebook.replace("/", "-") + ".html")
        path.write_text(body, encoding="utf-8")
        return path.as_uri()

    return export


def test_the_saved_quiz_says_how_to_run_it_and_how_to_get_the_quiz_page(exported, page: Page):
    page.goto(exported("notebooks/04-quiz.ipynb"))
    text = page.locator("body").inner_text()
    assert "A quiz of 15 questions runs here when this cell is run in Jupyter" in text
    assert "python -m ivig_content quiz-page --out quiz.html" in text
    assert "QuizWidget(mode=" not in text
    assert ivig_content.DISCLAIMER in text


def test_the_saved_explorer_shows_every_group_and_use(exported, page: Page):
    page.goto(exported("apps/explorer.ipynb"))
    text = page.locator("body").inner_text()
    assert "ConditionExplorer(group=" not in text
    for condition in ivig_content.conditions():
        assert condition.name in text
        for use in condition.uses:
            assert use.name in text
    assert ivig_content.DISCLAIMER in text
