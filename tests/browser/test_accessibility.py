"""axe-core scans of the Voila quiz and explorer: no serious or critical violations inside our widgets."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from ..servers import start_voila
from .quiz_driver import answer_by_mouse

SERIOUS = {"serious", "critical"}


def serious_violations(page: Page, widget: str) -> list[str]:
    results = Axe().run(page, context=widget)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


@pytest.fixture
def app(tmp_path, chromium):
    servers = []

    def start(notebook: str):
        server = start_voila(tmp_path, notebook)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_quiz_has_no_serious_accessibility_violations(app, page: Page, network):
    page.goto(app("notebooks/04-quiz.ipynb").url)
    quiz = page.locator(".ivig-quiz")
    quiz.locator(".ivig-prompt").wait_for(timeout=60_000)
    assert serious_violations(page, ".ivig-quiz") == []
    answer_by_mouse(quiz, right=False)  # with feedback on screen
    assert serious_violations(page, ".ivig-quiz") == []


def test_explorer_has_no_serious_accessibility_violations(app, page: Page, network):
    page.goto(app("apps/explorer.ipynb").url)
    page.locator(".ivig-explorer .ivig-uses table").wait_for(timeout=60_000)
    assert serious_violations(page, ".ivig-explorer") == []
