"""Every notebook in JupyterLab, in a real browser: runs clean, widgets render, the explorer and the quiz work."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import nbformat

import pytest
from playwright.sync_api import Page

import ivig_content
from ivig_content.banks import builtin_bank
from ivig_content.quiz import percent_of

from .conftest import summary_of
from .layout import SIZES, layout_problems, serious_violations
from .quiz_driver import answer_by_keyboard, answer_by_mouse, next_by_keyboard, next_by_mouse, shown_question

# notebook -> CSS selectors of what must be drawn in its outputs
NOTEBOOKS = {
    "00-start-here.ipynb": [".jp-RenderedHTMLCommon table"],
    "01-what-is-ivig.ipynb": [".jp-RenderedHTMLCommon svg[role=img]"],
    "02-conditions.ipynb": [".ivig-explorer .ivig-groups", ".jp-RenderedHTMLCommon svg[role=img]"],
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
    # every picture has a text alternative: our diagrams are inline SVG with a title and a description
    assert page.locator(".jp-OutputArea-output img:not([alt])").count() == 0
    assert serious_violations(page, ".jp-OutputArea-output") == []
    assert page_problems == []


def open_and_run(lab, page: Page, notebook: str):
    lab.open(page, f"notebooks/{notebook}")
    lab.run_all(page)


def test_explorer_shows_each_group_when_chosen(lab, page: Page, network, page_problems):
    open_and_run(lab, page, "02-conditions.ipynb")
    explorer = page.locator(".ivig-explorer")
    for condition in ivig_content.conditions():
        explorer.get_by_label(condition.name, exact=True).check()
        details = explorer.locator(".ivig-details")
        details.filter(has_text=condition.description).wait_for(timeout=10_000)
        assert condition.name in details.inner_text()
        for use in condition.uses:
            assert use.name in explorer.locator(".ivig-uses").inner_text()
    explorer.get_by_label("Filter the uses by name").fill("kawasaki")
    explorer.locator(".ivig-uses").filter(has_text="Kawasaki disease").wait_for(timeout=10_000)
    assert page_problems == []


PARITY = [
    "from ivig_content.widgets import QuizWidget\n\nquiz = QuizWidget(seed=5)\nquiz",
    'from ivig_content.results import results_text\n\nprint(results_text(quiz.session.to_frame(learner="Ada Lovelace"), ".csv"), end="")',
]


def write_parity_notebook(folder: Path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in PARITY])
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(notebook, folder / "parity.ipynb")


def test_quiz_can_be_finished_reviewed_and_downloaded_and_the_kernel_recorded_the_same(lab, page: Page, network,
                                                                                       page_problems, capsys):
    write_parity_notebook(lab.root / "notebooks")
    open_and_run(lab, page, "parity.ipynb")
    quiz = page.locator(".ivig-quiz")
    total = len(builtin_bank(core=True))
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
    assert f"{score} of {total} ({percent_of(score, total)}%) were right at the first try" in summary.inner_text()
    assert not quiz.locator(".ivig-heading").is_visible()  # no "Question 15 of 15" above "Your results"
    quiz.locator(".ivig-chart").filter(has_text="Right at the first try, by topic:").wait_for(timeout=10_000)

    quiz.get_by_label("Your name (optional; it goes into your results file)").fill("Ada Lovelace")
    link = quiz.locator('.ivig-download a[download*="ada-lovelace"]')
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert re.fullmatch(r"ivig-quiz-results-ada-lovelace-\d{8}-\d{6}-[0-9a-f]{6}\.csv", download.suggested_filename)
    downloaded = open(download.path(), encoding="utf-8").read()
    assert downloaded.startswith("\ufeff")  # a byte-order mark, so spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(downloaded.removeprefix("\ufeff"))))
    assert len(rows) == total and {row["learner"] for row in rows} == {"Ada Lovelace"}
    assert sum(row["correct"] == "True" for row in rows) == score
    assert sorted(row["question_id"] for row in rows if row["correct"] == "False") == sorted(wrong)

    # The kernel recorded every answer the page checked: its CSV is the page's, byte for byte.
    page.locator(".jp-CodeCell").nth(1).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    output = page.locator(".jp-CodeCell").nth(1).locator(".jp-OutputArea-output")
    output.filter(has_text="Ada Lovelace").first.wait_for(timeout=30_000)
    assert output.first.inner_text().strip() == downloaded.strip()

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


def test_quiz_in_jupyterlab_dark_on_a_phone_sized_screen(lab, page: Page, network, page_problems):
    page.set_viewport_size(SIZES["phone"])
    open_and_run(lab, page, "04-quiz.ipynb")
    # JupyterLab keeps its file browser open at any width; a learner on a phone closes it first
    page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="filebrowser"]').click()
    page.locator(".jp-FileBrowser").wait_for(state="hidden", timeout=10_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Theme").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Dark").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    quiz = page.locator(".ivig-quiz")
    quiz.scroll_into_view_if_needed()
    problems = layout_problems(page, ".ivig-quiz", phone=True) + serious_violations(page, ".ivig-quiz")
    answer_by_mouse(quiz, right=False)
    problems += layout_problems(page, ".ivig-quiz", phone=True) + serious_violations(page, ".ivig-quiz")
    # text on the quiz's own background reads at 4.5:1 or more (axe checks contrast); the background is dark
    assert quiz.evaluate("q => getComputedStyle(q).color") != "rgb(31, 41, 55)"
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Theme").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Light").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'", timeout=30_000)
    assert problems == []
    assert page_problems == []


def test_keyboard_alone_in_jupyterlab_the_arrow_keys_choose_and_never_move_the_notebook(lab, page: Page, network,
                                                                                     page_problems):
    open_and_run(lab, page, "04-quiz.ipynb")
    quiz = page.locator(".ivig-quiz")
    active_cell = page.locator(".jp-Notebook .jp-Cell.jp-mod-active")
    quiz.locator(".ivig-prompt").click()  # a learner clicks into the quiz once, then uses the keyboard
    cell_before = active_cell.evaluate("cell => cell.innerText.slice(0, 60)")
    total = len(builtin_bank(core=True))
    for number in range(1, 5):
        quiz.locator(".ivig-heading").filter(has_text=f"Question {number} of {total}").wait_for(timeout=10_000)
        answer_by_keyboard(page, quiz, right=True)
        assert "\u2713 Correct." in quiz.locator(".ivig-feedback").inner_text()
        next_by_keyboard(page)
    assert active_cell.evaluate("cell => cell.innerText.slice(0, 60)") == cell_before
    assert page.locator(".jp-Notebook .jp-Cell").count() == len(nbformat.read(lab.root / "notebooks" / "04-quiz.ipynb", as_version=4).cells)
    assert page_problems == []


def test_the_explorers_groups_by_arrow_keys_in_jupyterlab(lab, page: Page, network, page_problems):
    open_and_run(lab, page, "02-conditions.ipynb")
    explorer = page.locator(".ivig-explorer")
    explorer.get_by_label("Immunodeficiency states", exact=True).focus()
    page.keyboard.press("ArrowDown")
    explorer.locator(".ivig-details h3").filter(has_text="Autoimmune diseases").wait_for(timeout=10_000)
    assert explorer.get_by_label("Autoimmune diseases", exact=True).is_checked()
    assert page_problems == []
