"""The Voila quiz and explorer as learners meet them: on a 360 px phone and a desktop, in light and dark, every
screen fits, every control can be tapped, and axe-core finds nothing serious or critical inside our widgets."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from ..servers import start_voila
from .layout import SIZES, layout_problems, serious_violations
from .quiz_driver import answer_by_mouse, next_by_mouse


@pytest.fixture(scope="module")
def apps(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("voila-apps")
    servers = {"quiz": start_voila(folder, "notebooks/04-quiz.ipynb"), "explorer": start_voila(folder, "apps/explorer.ipynb")}
    yield servers
    for server in servers.values():
        server.stop()


def themed(url: str, scheme: str) -> str:
    return url + ("?theme=dark" if scheme == "dark" else "")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_quiz_app_fits_every_screen_with_no_serious_accessibility_finding(apps, page: Page, network, page_problems,
                                                                          size, scheme):
    page.set_viewport_size(SIZES[size])
    page.goto(themed(apps["quiz"].url, scheme))
    quiz = page.locator(".ivig-quiz")
    quiz.locator(".ivig-prompt").wait_for(timeout=60_000)
    phone = size == "phone"
    # the first question starts on the first screen: the long "how it works" text comes after the quiz
    assert quiz.locator(".ivig-prompt").bounding_box()["y"] < SIZES[size]["height"] - 60
    problems = layout_problems(page, ".ivig-quiz", phone=phone) + serious_violations(page, ".ivig-quiz")
    answer_by_mouse(quiz, right=False)  # with feedback on screen
    problems += layout_problems(page, ".ivig-quiz", phone=phone) + serious_violations(page, ".ivig-quiz")
    for _ in range(20):
        next_by_mouse(quiz)
        if quiz.locator(".ivig-summary").is_visible():
            break
    problems += layout_problems(page, ".ivig-quiz", phone=phone) + serious_violations(page, ".ivig-quiz")
    assert problems == []
    assert page_problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_explorer_app_fits_every_screen_with_no_serious_accessibility_finding(apps, page: Page, network,
                                                                              page_problems, size, scheme):
    page.set_viewport_size(SIZES[size])
    page.goto(themed(apps["explorer"].url, scheme))
    explorer = page.locator(".ivig-explorer")
    explorer.locator(".ivig-use-list").wait_for(timeout=60_000)
    phone = size == "phone"
    problems = []
    for name in ("Autoimmune diseases", "Inflammatory states"):
        explorer.get_by_label(name, exact=True).check()
        explorer.locator(".ivig-details h3").filter(has_text=name).wait_for(timeout=10_000)
        explorer.locator("summary", has_text="Words used here").click()  # the glossary open as well
        problems += layout_problems(page, ".ivig-explorer", phone=phone) + serious_violations(page, ".ivig-explorer")
    assert problems == []
    assert page_problems == []
