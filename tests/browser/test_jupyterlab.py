"""Every notebook in JupyterLab, in a real browser: runs clean, widgets render, the explorer and the quiz work."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page

import ivig_content
from ivig_content.quiz import builtin_bank

from .conftest import summary_of
from .quiz_driver import answer_by_mouse, next_by_mouse, shown_question

# notebook -> CSS selectors of what must be drawn in its outputs
NOTEBOOKS = {
    "00-start-here.ipynb": [".jp-RenderedHTMLCommon table"],
    "01-what-is-ivig.ipynb": [".jp-RenderedSVG, .jp-RenderedImage"],
    "02-conditions.ipynb": [".ivig-explorer .widget-toggle-buttons", ".jp-RenderedSVG, .jp-RenderedImage"],
    "03-giving-ivig-safely.ipynb": [".jp-RenderedHTMLCommon table"],
    "04-quiz.ipynb": [".ivig-quiz .ivig-prompt"],
    "05-make-your-own-quiz.ipynb": [".ivig-quiz .ivig-prompt"],
}


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab_without_errors_and_draws_its_outputs(lab, page: Page, network, page_problems,
                                                                         notebook):
    lab.open(page, f"notebooks/{notebook}")
    lab.run_all(page)
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output .ansi-red-fg')
    assert errors.count() == 0, errors.all_inner_texts()
    for selector in NOTEBOOKS[notebook]:
        page.locator(selector).first.wait_for(timeout=30_000)
    text = page.locator(".jp-Notebook").first.inner_text()
    assert "Error displaying widget" not in text and "Failed to display" not in text
    assert page_problems == []


def open_and_run(lab, page: Page, notebook: str):
    lab.open(page, f"notebooks/{notebook}")
    lab.run_all(page)


def test_explorer_shows_each_group_when_chosen(lab, page: Page, network, page_problems):
    open_and_run(lab, page, "02-conditions.ipynb")
    explorer = page.locator(".ivig-explorer")
    for condition in ivig_content.conditions():
        explorer.get_by_role("button", name=condition.name, exact=True).click()
        details = explorer.locator(".ivig-details")
        details.filter(has_text=condition.description).wait_for(timeout=10_000)
        assert condition.name in details.inner_text()
        for use in condition.uses:
            assert use.name in explorer.locator(".ivig-uses").inner_text()
    explorer.get_by_label("Filter uses:").fill("kawasaki")
    explorer.locator(".ivig-uses").filter(has_text="Kawasaki disease").wait_for(timeout=10_000)
    assert page_problems == []


def test_quiz_can_be_finished_reviewed_and_downloaded_by_clicking(lab, page: Page, network, page_problems, capsys):
    open_and_run(lab, page, "04-quiz.ipynb")
    quiz = page.locator(".ivig-quiz")
    total = len(builtin_bank(core=True))  # the quiz notebook asks the core quiz
    wrong, timings = [], []
    for number in range(1, total + 1):
        quiz.locator(".ivig-heading").filter(has_text=f"Question {number} of {total}").wait_for(timeout=10_000)
        right = number % 4 != 0  # every fourth answer wrong on purpose
        if not right:
            wrong.append(shown_question(quiz).id)
        timings.append(answer_by_mouse(quiz, right))
        mark = "\u2713 Correct." if right else "\u2717 Not quite."
        assert mark in quiz.locator(".ivig-feedback").inner_text()
        next_by_mouse(quiz)

    score = total - len(wrong)
    summary = quiz.locator(".ivig-summary")
    summary.wait_for(timeout=10_000)
    assert f"{score} of {total} ({round(100 * score / total)}%) were right at the first try" in summary.inner_text()
    # the chart and the download link follow the score (the first summary also imports pandas in the kernel)
    quiz.locator(".ivig-chart").filter(has_text="Right at the first try, by topic.").wait_for(timeout=10_000)

    quiz.get_by_label("Your name:").fill("Ada Lovelace")
    link = quiz.locator('.ivig-download a[download*="ada-lovelace"]')  # the link is remade for the name
    link.wait_for(timeout=10_000)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert re.fullmatch(r"ivig-quiz-results-ada-lovelace-\d{8}-\d{6}-[0-9a-f]{6}\.csv", download.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert len(rows) == total
    assert {row["learner"] for row in rows} == {"Ada Lovelace"}
    assert sum(row["correct"] == "True" for row in rows) == score
    assert sorted(row["question_id"] for row in rows if row["correct"] == "False") == sorted(wrong)

    quiz.get_by_role("button", name="Review missed questions").click()
    for number in range(1, len(wrong) + 1):
        quiz.locator(".ivig-heading").filter(
            has_text=f"Reviewing missed questions: Question {number} of {len(wrong)}"
        ).wait_for(timeout=10_000)
        assert shown_question(quiz).id in wrong
        timings.append(answer_by_mouse(quiz, right=True))
        next_by_mouse(quiz)
    summary.filter(has_text=f"In this review you got {len(wrong)} of {len(wrong)} right").wait_for(timeout=10_000)
    assert f"{score} of {total}" in summary.inner_text()  # the main score stays the first-try score
    assert page_problems == []
    with capsys.disabled():
        print(f"\n[latency] JupyterLab click-to-feedback: {summary_of(timings)}")
