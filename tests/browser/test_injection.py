"""A question bank full of HTML and script: shown as text, never run, in JupyterLab and in Voila."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page

from ivig_content.__main__ import main

from ..servers import start_voila

BANK = r"""
questions:
  - id: inject-single
    prompt: "Which is safe? <img src=x onerror=\"window.__pwned='prompt'\"><script>window.__pwned='script'</script>"
    choices:
      A: "<img src=x onerror=\"window.__pwned='choice'\">Into a vein"
      B: "<a href=\"javascript:window.__pwned='link'\">As a tablet</a>"
    answer: A
    feedback:
      A: "<b onmouseover=\"window.__pwned='feedback'\">Right</b><img src=x onerror=\"alert('feedback')\">"
      B: "<a href=\"javascript:alert('link')\">No</a>"
    explanation: "<script>alert('explanation')</script>Because."
    source: "<iframe src=\"javascript:alert('source')\"></iframe>Somewhere"
  - id: inject-multiple
    kind: multiple
    prompt: "<svg onload=\"alert('svg')\">Select all</svg>"
    choices: {A: "<img src=x onerror=\"alert('checkbox')\">One", B: "Two", C: "Costs $50 to $70 a gram"}
    answer: [A]
  - id: inject-matching
    kind: matching
    prompt: "<style>body {display: none}</style>Match"
    pairs:
      "<img src=x onerror=\"alert('item')\">Item": "<script>alert('answer')</script>Answer"
      "Other": "Else"
      "Priced $5 and $6, or \\(x^2\\)": "From $$1$$ up"
"""
PROMPT = "Which is safe? <img src=x onerror=\"window.__pwned='prompt'\"><script>window.__pwned='script'</script>"
# nothing active inside the quiz: no element a bank wrote, and no typeset maths (MathJax draws mjx-container)
ACTIVE = (
    ".ivig-quiz :is(img, script, iframe, style, svg, math, mjx-container, .MathJax, [onerror], [onload], "
    "[onmouseover], a[href^='javascript'])"
)


def write_injection_lesson(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "injection.yaml").write_text(BANK, encoding="utf-8")
    code = (
        "from ivig_content.banks import load_bank\nfrom ivig_content.widgets import QuizWidget\n\n"
        'QuizWidget(load_bank("injection.yaml"), seed=1)'
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(notebook, folder / "injection.ipynb")


def exercise_every_text(page: Page) -> None:
    """Show every prompt, choice, feedback, explanation and source of the bank, and check they read as text."""
    quiz = page.locator(".ivig-quiz")
    seen_single = False
    for number in range(1, 4):
        quiz.locator(".ivig-heading").filter(has_text=f"Question {number} of 3").wait_for(timeout=10_000)
        prompt = quiz.locator(".ivig-prompt").inner_text().strip()
        area = quiz.locator(".ivig-answers")
        if prompt == PROMPT:
            seen_single = True
            for label, verdict in [("<a href=\"javascript:window.__pwned='link'\">As a tablet</a>", "Not quite"),
                                   ("<img src=x onerror=\"window.__pwned='choice'\">Into a vein", "Correct")]:
                area.get_by_label(label, exact=True).check()
                quiz.get_by_role("button", name="Check answer").click()
                quiz.locator(".ivig-feedback").filter(has_text=verdict).wait_for(timeout=10_000)
            feedback = quiz.locator(".ivig-feedback").inner_text()
            assert "<b onmouseover=\"window.__pwned='feedback'\">Right</b>" in feedback
            assert "<script>alert('explanation')</script>Because." in feedback
            assert "<iframe src=\"javascript:alert('source')\"></iframe>Somewhere" in feedback
        elif "Select all" in prompt:
            assert prompt == "<svg onload=\"alert('svg')\">Select all</svg>"
            area.get_by_label("<img src=x onerror=\"alert('checkbox')\">One", exact=True).check()
            assert area.get_by_label("Costs $50 to $70 a gram", exact=True).is_visible()  # dollars as written
            quiz.get_by_role("button", name="Check answer").click()
            quiz.locator(".ivig-feedback").filter(has_text="Correct").wait_for(timeout=10_000)
        else:
            assert prompt == "<style>body {display: none}</style>Match"
            select = area.get_by_label("<img src=x onerror=\"alert('item')\">Item", exact=True)
            select.select_option(label="<script>alert('answer')</script>Answer")
            area.get_by_label("Other", exact=True).select_option(label="Else")
            area.get_by_label("Priced $5 and $6, or \\(x^2\\)", exact=True).select_option(label="From $$1$$ up")
            quiz.get_by_role("button", name="Check answer").click()
            quiz.locator(".ivig-feedback").filter(has_text="Correct").wait_for(timeout=10_000)
        quiz.get_by_role("button", name="Next").or_(quiz.get_by_role("button", name="See my results")).click()
    assert seen_single


def assert_nothing_ran(page: Page, console: list[str], requests: list[str], problems: list[str]) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert problems == []  # no alert() dialog, no page error
    assert page.locator(ACTIVE).count() == 0
    assert [text for text in console if "alert" in text or "pwned" in text] == []
    assert [url for url in requests if url.rstrip("/").endswith("/x")] == []  # no <img src=x> was loaded
    # the <style> in a prompt did not become a style sheet: the page and the quiz are still shown
    assert page.evaluate("() => getComputedStyle(document.body).display") != "none"
    assert page.locator(".ivig-quiz").is_visible()


@pytest.fixture
def listen(page: Page):
    console: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("request", lambda request: requests.append(request.url))
    return console, requests


def test_injected_bank_shows_as_text_in_jupyterlab(lab, page: Page, network, page_problems, listen):
    write_injection_lesson(lab.root / "injection")
    lab.open(page, "injection/injection.ipynb")
    lab.run_all(page)
    page.locator(".ivig-quiz .ivig-prompt").wait_for(timeout=30_000)
    exercise_every_text(page)
    assert_nothing_ran(page, *listen, page_problems)


def test_injected_bank_shows_as_text_in_voila(tmp_path, page: Page, network, page_problems, listen, chromium):
    write_injection_lesson(tmp_path / "lesson")
    server = start_voila(tmp_path, "injection.ipynb", cwd=tmp_path / "lesson")
    try:
        page.goto(server.url)
        page.locator(".ivig-quiz .ivig-prompt").wait_for(timeout=60_000)
        exercise_every_text(page)
        assert_nothing_ran(page, *listen, page_problems)
    finally:
        server.stop()


def test_injected_bank_shows_as_text_on_the_quiz_page(tmp_path, page: Page, page_problems, listen, chromium):
    write_injection_lesson(tmp_path)
    assert main(["quiz-page", str(tmp_path / "injection.yaml"), "--all", "--seed", "1", "--out", str(tmp_path / "q.html")]) == 0
    page.goto((tmp_path / "q.html").as_uri())
    page.locator(".ivig-quiz .ivig-prompt").wait_for(timeout=10_000)
    exercise_every_text(page)
    assert_nothing_ran(page, *listen, page_problems)
