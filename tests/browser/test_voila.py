"""The quiz and the explorer as Voila web apps, in a real browser: no code, keyboard only, kernels reclaimed."""

from __future__ import annotations

import csv
import io
import time

import pytest
from playwright.sync_api import Page

from ivig_content.banks import builtin_bank
from ivig_content.quiz import percent_of

from ..servers import start_voila
from .conftest import summary_of, wait_until
from .quiz_driver import answer_by_keyboard, button, next_by_keyboard, shown_question, tab_to

WIDGET = ".ivig-quiz .ivig-prompt"


@pytest.fixture
def quiz_app(tmp_path, chromium):
    server = start_voila(tmp_path, "notebooks/04-quiz.ipynb")
    yield server
    server.stop()


def test_quiz_app_shows_no_code(quiz_app, page: Page, network, page_problems):
    page.goto(quiz_app.url)
    page.locator(WIDGET).wait_for(timeout=60_000)
    text = page.locator("body").inner_text()
    assert "QuizWidget" not in text and "import" not in text
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").count() == 0
    assert page_problems == []


def test_quiz_app_can_be_finished_by_keyboard_alone(quiz_app, page: Page, network, page_problems, capsys):
    page.goto(quiz_app.url)
    page.locator(WIDGET).wait_for(timeout=60_000)
    quiz = page.locator(".ivig-quiz")
    total = len(builtin_bank(core=True))  # the quiz notebook asks the core quiz
    heading = quiz.locator(".ivig-heading")
    wrong, timings = [], []
    for number in range(1, total + 1):
        heading.filter(has_text=f"Question {number} of {total}").wait_for(timeout=10_000)
        right = number % 5 != 0
        if not right:
            wrong.append(shown_question(quiz).id)
        question = shown_question(quiz)
        timings.append(answer_by_keyboard(page, quiz, right))
        mark = "\u2713 Correct." if right else "\u2717 Not quite."
        assert mark in quiz.locator(".ivig-feedback").inner_text(), (question.id, question.kind)
        if number == 2:  # Shift+Tab back to "Back", to the first question, and forward again
            tab_to(page, button("Back"), backwards=True)
            page.keyboard.press("Enter")
            heading.filter(has_text=f"Question 1 of {total}").wait_for(timeout=10_000)
            next_by_keyboard(page)
            heading.filter(has_text=f"Question 2 of {total}").wait_for(timeout=10_000)
        next_by_keyboard(page)

    score = total - len(wrong)
    summary = quiz.locator(".ivig-summary")
    summary.wait_for(timeout=10_000)
    assert f"{score} of {total} ({percent_of(score, total)}%) were right" in summary.inner_text()

    tab_to(page, lambda e: e.get("tag") == "INPUT" and e.get("type") == "text")
    page.keyboard.type("Grace Hopper")
    quiz.locator('.ivig-download a[download*="grace-hopper"]').wait_for(timeout=10_000)  # remade for the name
    tab_to(page, lambda e: e.get("download"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.startswith("ivig-quiz-results-grace-hopper-")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert len(rows) == total and sum(row["correct"] == "True" for row in rows) == score

    tab_to(page, button("Review missed questions"))
    page.keyboard.press("Enter")
    heading.filter(has_text=f"Reviewing missed questions: Question 1 of {len(wrong)}").wait_for(timeout=10_000)
    assert page_problems == []
    with capsys.disabled():
        print(f"\n[latency] Voila keypress-to-feedback: {summary_of(timings)}")


def test_a_closed_quiz_page_gives_its_kernel_back_within_a_minute(quiz_app, page: Page, network, capsys):
    page.goto(quiz_app.url)
    page.locator(WIDGET).wait_for(timeout=60_000)
    assert len(quiz_app.kernel_pids()) == 1
    page.close(run_before_unload=True)  # as a tab closes: the page sends its shutdown request
    closed = time.monotonic()
    wait_until(lambda: quiz_app.kernel_pids() == [], 60, "the learner's kernel to be shut down")
    with capsys.disabled():
        print(f"\n[kernel] Voila kernel gone {time.monotonic() - closed:.0f} s after the page closed")


def test_explorer_app_works_and_shows_no_code(tmp_path, page: Page, network, page_problems, chromium):
    server = start_voila(tmp_path, "apps/explorer.ipynb")
    try:
        page.goto(server.url)
        explorer = page.locator(".ivig-explorer")
        explorer.wait_for(timeout=60_000)
        explorer.get_by_label("Inflammatory states", exact=True).check()
        explorer.locator(".ivig-uses").filter(has_text="Kawasaki disease").wait_for(timeout=10_000)
        assert "ConditionExplorer" not in page.locator("body").inner_text()
        assert page_problems == []
    finally:
        server.stop()


def test_losing_the_kernel_mid_quiz_loses_nothing(quiz_app, page: Page, network, page_problems):
    """The kernel dies (culled, crashed, wifi gone): the quiz goes on in the page, says so calmly, and the
    results download still holds every answer."""
    import os
    import signal

    from .quiz_driver import answer_by_mouse, next_by_mouse

    page.set_viewport_size({"width": 360, "height": 740})  # a phone, where a note at the top would go unseen
    page.goto(quiz_app.url)
    page.locator(WIDGET).wait_for(timeout=60_000)
    quiz = page.locator(".ivig-quiz")
    total = len(builtin_bank(core=True))
    answered = []
    for number in range(1, total + 1):
        if number == 4:
            for pid in quiz_app.kernel_pids():
                os.kill(pid, signal.SIGKILL)
        answered.append((shown_question(quiz).id, number % 2 == 1))
        answer_by_mouse(quiz, right=number % 2 == 1)
        if number == 4:  # the answer is checked at once all the same, and the page says what happened
            note = page.locator(".ivig-connection")
            note.wait_for(timeout=15_000)
            assert "Nothing is lost" in note.inner_text() and "download your results" in note.inner_text()
            box = note.bounding_box()
            assert 0 <= box["y"] and box["y"] + box["height"] <= 740, box  # in sight, wherever the page is scrolled
            ok = note.get_by_role("button", name="OK")
            assert ok.bounding_box()["height"] <= 46  # "OK" on one line, not "O" above "K"
            ok.click()  # read: out of the way
            assert not note.is_visible()
        next_by_mouse(quiz)
    summary = quiz.locator(".ivig-summary")
    summary.wait_for(timeout=10_000)
    right = sum(ok for _, ok in answered)
    assert f"{right} of {total}" in summary.inner_text()
    with page.expect_download() as info:
        quiz.locator(".ivig-download a").click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8-sig").read())))
    assert {row["question_id"]: row["correct"] == "True" for row in rows} == dict(answered)
    assert [e for e in page_problems if "Error" in e] == []
