"""Screenshots of the explorer and the quiz as learners see them (the Voila apps: 1280 pixels wide, a 360-pixel
phone, and the dark theme).

Every test run makes them, so the command cannot rot; `make screenshots` writes them to docs/screenshots/ (set
IVIG_SCREENSHOTS to choose another folder) for the README.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

from ..servers import REPO, start_voila
from .quiz_driver import answer_by_mouse, next_by_mouse


def screenshot_folder(tmp_path: Path) -> Path:
    chosen = os.environ.get("IVIG_SCREENSHOTS")
    folder = (REPO / chosen) if chosen and not Path(chosen).is_absolute() else Path(chosen or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_screenshots_of_the_explorer_and_the_quiz(tmp_path, page: Page, network, chromium):
    folder = screenshot_folder(tmp_path)
    page.set_viewport_size({"width": 1280, "height": 1300})
    explorer_app = start_voila(tmp_path, "apps/explorer.ipynb")
    quiz_app = start_voila(tmp_path, "notebooks/04-quiz.ipynb")
    try:
        page.goto(explorer_app.url)
        explorer = page.locator(".ivig-explorer")
        explorer.locator(".ivig-use-list").wait_for(timeout=60_000)
        explorer.get_by_label("Inflammatory states", exact=True).check()
        explorer.locator(".ivig-uses").filter(has_text="Kawasaki disease").wait_for(timeout=10_000)
        page.screenshot(path=folder / "explorer.png")

        page.goto(quiz_app.url)
        quiz = page.locator(".ivig-quiz")
        quiz.locator(".ivig-prompt").wait_for(timeout=60_000)
        answer_by_mouse(quiz, right=False)  # feedback for a wrong answer shows the most
        page.locator(".ivig-quiz").evaluate("quiz => quiz.scrollIntoView()")
        page.screenshot(path=folder / "quiz.png")

        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(quiz_app.url)
        page.locator(".ivig-quiz .ivig-prompt").wait_for(timeout=60_000)
        page.screenshot(path=folder / "quiz-phone.png")  # the first screen: the first question is on it

        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(quiz_app.url + "?theme=dark")
        quiz = page.locator(".ivig-quiz")
        quiz.locator(".ivig-prompt").wait_for(timeout=60_000)
        for number in range(40):
            answer_by_mouse(quiz, right=number % 3 != 0)
            next_by_mouse(quiz)
            if quiz.locator(".ivig-summary").is_visible():
                break
        quiz.locator(".ivig-summary h3").evaluate("heading => heading.scrollIntoView()")
        page.screenshot(path=folder / "quiz-dark.png")
    finally:
        explorer_app.stop()
        quiz_app.stop()
    for name, width in (("explorer.png", 1280), ("quiz.png", 1280), ("quiz-phone.png", 360), ("quiz-dark.png", 1280)):
        png = (folder / name).read_bytes()
        assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == width
