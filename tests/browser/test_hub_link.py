"""The class link on a real JupyterHub, in a real browser: log in, nbgitpuller's page pulls, JupyterLab opens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from ivig_content.hub import hub_link

from ..hub import Hub, published_lesson, require_hub


@pytest.fixture
def hub(tmp_path, chromium) -> Iterator[Hub]:
    require_hub()
    running = Hub(tmp_path / "hub")
    yield running
    running.stop()


def test_a_learner_follows_the_class_link_to_the_first_notebook(hub: Hub, tmp_path, page: Page, network,
                                                                 page_problems):
    clone, branch = published_lesson(tmp_path)
    page.goto(hub_link(hub.url, clone.as_uri(), branch))
    # Not logged in yet: the hub's own login page, which then sends the learner on to the link.
    page.fill("#username_input", "cleo")
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    # The hub starts cleo's server, nbgitpuller's page pulls the lesson (its own script), then JupyterLab opens.
    page.wait_for_url("**/user/cleo/lab/tree/ivig-teaching/notebooks/00-start-here.ipynb*", timeout=180_000)
    page.locator(".jp-Notebook h1", has_text="Start here: intravenous immunoglobulin (IVIG)").wait_for(
        timeout=120_000)
    assert (hub.folder / "homes" / "cleo" / "ivig-teaching" / "notebooks" / "04-quiz.ipynb").is_file()
    assert page_problems == []
