"""Screenshots of the explorer and the quiz as learners see them (the Voila apps, 1280 pixels wide).

Every test run makes them, so the command cannot rot; `make screenshots` writes them to docs/screenshots/ (set
IVIG_SCREENSHOTS to choose another folder) for the README.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

from ..servers import REPO, start_voila
from .quiz_driver import answer_by_mouse


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
        explorer.locator(".ivig-uses table").wait_for(timeout=60_000)
        explorer.get_by_role("button", name="Inflammatory states", exact=True).click()
        explorer.locator(".ivig-uses").filter(has_text="Kawasaki disease").wait_for(timeout=10_000)
        page.screenshot(path=folder / "explorer.png")

        page.goto(quiz_app.url)
        quiz = page.locator(".ivig-quiz")
        quiz.locator(".ivig-prompt").wait_for(timeout=60_000)
        answer_by_mouse(quiz, right=False)  # feedback for a wrong answer shows the most
        page.locator(".ivig-quiz").evaluate("quiz => quiz.scrollIntoView()")
        page.screenshot(path=folder / "quiz.png")
    finally:
        explorer_app.stop()
        quiz_app.stop()
    for name in ("explorer.png", "quiz.png"):
        png = (folder / name).read_bytes()
        assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == 1280
