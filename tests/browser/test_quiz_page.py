"""The quiz page that needs no Python (``python -m ivig_content quiz-page``), opened from disk in a real browser.

It runs the widget's own ES module, so these tests also prove the browser's rules against Python's: the parity
test answers every built-in question right and wrong and compares each verdict, the score and the results CSV
with what :class:`~ivig_content.quiz.QuizSession` gives for the same answers.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

from ivig_content import banks, quiz, results
from ivig_content.__main__ import main
from ivig_content.content import topic_title
from ivig_content.records import Question
from ivig_content.quiz import percent_of

from ..servers import free_port
from .layout import SIZES, focus_is_not_lost, layout_problems, serious_violations
from .quiz_driver import (
    BANK, RIGHT, WRONG, answer_by_keyboard, answer_by_mouse, button, focused, next_by_keyboard, next_by_mouse,
    planned_choices, shown_question, tab_to,
)

WHOLE_BANK = banks.builtin_bank()
LEARNER = 'Jos\u00e9 "Pepe", =1+2'


@pytest.fixture(scope="module")
def pages(tmp_path_factory, chromium) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("quiz-pages")
    made = {}
    for name, args in {
        "core": [],
        "all": ["--all", "--seed", "11"],
        "exam": ["--exam"],
    }.items():
        made[name] = folder / f"{name}.html"
        assert main(["quiz-page", *args, "--out", str(made[name])]) == 0
    return made


@pytest.fixture
def requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def offline(requests: list[str]) -> list[str]:
    """Requests that would leave the page's own file: none are allowed."""
    return [url for url in requests if not url.startswith(("file://", "data:", "blob:"))]


def open_page(page: Page, path: Path):
    page.goto(path.as_uri())
    quiz_box = page.locator(".ivig-quiz")
    quiz_box.locator(".ivig-prompt").wait_for(timeout=10_000)
    return quiz_box


def response_ids(question: Question, right: bool):
    """The response (choice ids) that quiz_driver.planned_choices makes, for QuizSession.answer."""
    planned = planned_choices(BANK[question.prompt], right)  # the driver plans from the bank's own order
    by_text = {choice.text: choice.id for choice in question.choices}
    if question.kind == "matching":
        items = {item.text: item.id for item in question.items}
        return {items[item]: by_text[answer] for item, answer in planned.items()}
    if question.kind == "single":
        return by_text[next(iter(planned))]
    return [choice.id for choice in question.choices if choice.text in planned]


def downloaded_text(page: Page, quiz_box) -> tuple[str, str]:
    with page.expect_download() as info:
        quiz_box.locator(".ivig-download a").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


# --- the browser's rules are Python's rules ---------------------------------------------------------------


def test_every_built_in_question_right_and_wrong_gives_pythons_verdicts_score_and_csv(pages, page: Page, requests,
                                                                                     page_problems):
    quiz_box = open_page(page, pages["all"])
    session = quiz.QuizSession(WHOLE_BANK, seed=11)
    total = len(session.questions)
    for number, expected in enumerate(session.questions, start=1):
        quiz_box.locator(".ivig-position").filter(has_text=f"Question {number} of {total}").wait_for(timeout=5_000)
        question = shown_question(quiz_box)
        assert question.id == expected.id  # the same order as QuizSession(seed=11)
        right = number % 2 == 1
        for attempt, right_now in enumerate([right, not right] if number % 3 == 0 else [right]):
            answer_by_mouse(quiz_box, right_now)
            shown = quiz_box.locator(".ivig-feedback").inner_text()
            result = session.answer(expected.id, response_ids(expected, right_now))
            assert (RIGHT in shown, WRONG in shown) == (result.correct, not result.correct), expected.id
            assert ("your first answer is the one that counts" in shown) == (attempt == 1)
            if not result.correct:  # the right answer in words, and each wrong choice's reason
                assert result.right_answer in shown, expected.id
                for entry in result.feedback:
                    if entry.chosen and entry.feedback and expected.kind != "matching":
                        assert entry.feedback in shown, (expected.id, entry.text)
            if expected.explanation:
                assert f"Why: {expected.explanation}" in shown
        next_by_mouse(quiz_box)

    summary = quiz_box.locator(".ivig-summary")
    summary.wait_for(timeout=5_000)
    percent = percent_of(session.score, total)
    assert f"{session.score} of {total} ({percent}%) were right at the first try" in summary.inner_text()
    chart = [line for line in summary.locator(".ivig-chart li").all_inner_texts()]
    expected_chart = [f"{title}\n{correct} of {questions} right" for title, correct, questions in (
        (topic_title(row.topic), row.correct, row.questions) for row in session.by_topic().itertuples()
    )]
    assert [re.sub(r"\s*\n\s*", "\n", line.strip()) for line in chart] == expected_chart

    quiz_box.get_by_label("Your name (optional; it goes into your results file)").fill(LEARNER)
    name, text = downloaded_text(page, quiz_box)
    assert re.fullmatch(r"ivig-quiz-results-jos\u00e9-pepe-1-2-\d{8}-\d{6}-[0-9a-f]{6}\.csv", name), name
    assert text == results.results_text(session.to_frame(learner=LEARNER), ".csv")

    # a review of the missed questions: each right now; the main score stays, attempts grow, as in Python
    quiz_box.get_by_role("button", name="Review missed questions").click()
    missed = [q for q in session.questions if not session.first_result(q.id).correct]
    review = quiz.QuizSession(missed, shuffle=False)
    for number, expected in enumerate(missed, start=1):
        quiz_box.locator(".ivig-position").filter(
            has_text=f"Reviewing missed questions: Question {number} of {len(missed)}").wait_for(timeout=5_000)
        assert shown_question(quiz_box).id == expected.id
        answer_by_mouse(quiz_box, right=True)
        review.answer(expected.id, response_ids(expected, True))
        session.answer(expected.id, response_ids(expected, True))
        next_by_mouse(quiz_box)
    summary.filter(has_text=f"In this review you got {review.score} of {len(missed)} right").wait_for(timeout=5_000)
    _, text = downloaded_text(page, quiz_box)
    assert text == results.results_text(session.to_frame(learner=LEARNER), ".csv")
    assert offline(requests) == [] and page_problems == []


def test_a_double_click_on_check_answer_counts_once(pages, page: Page, page_problems):
    quiz_box = open_page(page, pages["core"])
    question = shown_question(quiz_box)
    for label, value in planned_choices(question, right=False).items():
        control = quiz_box.locator(".ivig-answers").get_by_label(label, exact=True)
        control.select_option(label=value) if question.kind == "matching" else control.check()
    quiz_box.get_by_role("button", name="Check answer").dblclick()
    quiz_box.get_by_role("button", name="Check answer").click()
    assert "your first answer is the one that counts" not in quiz_box.locator(".ivig-feedback").inner_text()
    for _ in range(len(banks.builtin_bank(core=True))):
        next_by_mouse(quiz_box)
        if quiz_box.locator(".ivig-summary").is_visible():
            break
    _, text = downloaded_text(page, quiz_box)
    row = next(line for line in text.splitlines() if f",{question.id}," in line)
    assert ",True,False,1," in row  # answered, not right, one attempt
    assert page_problems == []


# --- keyboard and focus --------------------------------------------------------------------------------


def test_the_whole_quiz_by_keyboard_alone_with_focus_where_the_learner_needs_it(pages, page: Page, page_problems):
    quiz_box = open_page(page, pages["core"])
    total = len(banks.builtin_bank(core=True))
    page.keyboard.press("Tab")  # from the top of the page into the quiz
    for number in range(1, total + 1):
        quiz_box.locator(".ivig-position").filter(has_text=f"Question {number} of {total}").wait_for(timeout=5_000)
        answer_by_keyboard(page, quiz_box, right=number % 4 != 0)
        assert page.evaluate("() => document.activeElement.classList.contains('ivig-feedback')"), focused(page)
        page.keyboard.press("Tab")  # the feedback comes before the buttons: one Tab on, "Check answer" again
        assert focused(page).get("text") == "Check answer"
        if number == 2:
            tab_to(page, button("Back"), backwards=True)
            page.keyboard.press("Enter")
            assert page.evaluate("() => document.activeElement.classList.contains('ivig-prompt')")
            assert quiz_box.locator(".ivig-feedback").inner_text()  # the earlier answer and its feedback are kept
            next_by_keyboard(page)
        next_by_keyboard(page)
        assert focus_is_not_lost(page)
        if number < total:
            assert page.evaluate("() => document.activeElement.classList.contains('ivig-prompt')"), focused(page)
    assert page.evaluate("() => document.activeElement.textContent") == "Your results"
    tab_to(page, lambda e: e.get("tag") == "INPUT")
    page.keyboard.type("Grace Hopper")
    tab_to(page, lambda e: e.get("download"))
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.startswith("ivig-quiz-results-grace-hopper-")
    tab_to(page, button("Back to questions"))
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.classList.contains('ivig-prompt')")
    assert page_problems == []


# --- phones, desktops, light and dark ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_question_fits_and_can_be_tapped_with_no_serious_accessibility_finding(pages, page: Page, size,
                                                                                     scheme, page_problems):
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme=scheme)
    quiz_box = open_page(page, pages["all"])
    phone = size == "phone"
    assert quiz_box.locator(".ivig-choice, .ivig-match").first.bounding_box()["y"] < SIZES[size]["height"]  # first screen
    problems = []
    for number in range(1, len(WHOLE_BANK) + 1):
        question = shown_question(quiz_box)
        problems += [f"{question.id}: {p}" for p in layout_problems(page, ".ivig-quiz", phone=phone)]
        if question.kind != "matching":  # a tap on any part of a choice's box chooses it
            for label in quiz_box.locator(".ivig-choice").all():
                label.click(position={"x": 5, "y": 5})
                assert label.locator("input").is_checked(), (question.id, label.inner_text())
            if question.kind == "multiple":
                for label in quiz_box.locator(".ivig-choice").all():
                    label.click()
        if number in (1, 5) or question.kind == "matching":
            answer_by_mouse(quiz_box, right=False)
            for match in quiz_box.locator(".ivig-match").all():  # a long chosen answer is shown whole
                chosen = match.locator("select").evaluate("s => s.selectedOptions[0].textContent")
                assert match.locator(".ivig-chosen").inner_text() == chosen
            problems += [f"{question.id} feedback: {p}" for p in layout_problems(page, ".ivig-quiz", phone=phone)]
        if number == 5:
            problems += serious_violations(page, ".ivig-quiz")
        next_by_mouse(quiz_box)
    quiz_box.locator(".ivig-summary").wait_for(timeout=5_000)
    assert "Question" not in quiz_box.locator(".ivig-heading").inner_text() or not quiz_box.locator(".ivig-heading").is_visible()
    problems += [f"summary: {p}" for p in layout_problems(page, ".ivig-quiz", phone=phone)]
    problems += serious_violations(page, ".ivig-quiz")
    page.screenshot(path=str(Path(pages["all"]).parent / f"summary-{size}-{scheme}.png"), full_page=True)
    assert problems == []
    assert page_problems == []


def test_checking_with_nothing_chosen_says_so_where_the_learner_is_looking(pages, page: Page):
    page.set_viewport_size(SIZES["phone"])
    quiz_box = open_page(page, pages["all"])
    for _ in range(len(WHOLE_BANK)):  # a matching question: the longest, so the top of the quiz is off-screen
        if shown_question(quiz_box).kind == "matching":
            break
        next_by_mouse(quiz_box)
    quiz_box.get_by_role("button", name="Check answer").click()
    message = quiz_box.locator(".ivig-message")
    assert message.inner_text() == "Pair every item with an answer, then check."
    box = message.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= SIZES["phone"]["height"], box


def test_right_to_left_text_reads_the_right_way_round(tmp_path, page: Page):
    bank = tmp_path / "rtl.yaml"
    bank.write_text(
        "questions:\n  - id: rtl\n    prompt: \"\u0645\u0627 \u0647\u0648 IVIG\u061f\"\n"
        "    choices: {A: \"\u05d1\u05d5\u05e8\u05d9\u05d3\", B: \"Into a vein\"}\n    answer: A\n",
        encoding="utf-8",
    )
    assert main(["quiz-page", str(bank), "--out", str(tmp_path / "rtl.html")]) == 0
    quiz_box = open_page(page, tmp_path / "rtl.html")
    assert quiz_box.locator(".ivig-prompt").evaluate("e => getComputedStyle(e).direction") == "rtl"
    directions = quiz_box.locator(".ivig-choice span").evaluate_all("spans => spans.map(s => getComputedStyle(s).direction)")
    assert sorted(directions) == ["ltr", "rtl"]


def test_the_page_follows_the_devices_dark_theme(pages, page: Page):
    colours = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        quiz_box = open_page(page, pages["core"])
        colours[scheme] = quiz_box.evaluate(
            "q => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(q).color]")
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(31, 41, 55)"]
    assert colours["dark"] == ["rgb(17, 24, 39)", "rgb(229, 231, 235)"]


# --- exam mode, offline, any web server ---------------------------------------------------------------


def test_exam_mode_gives_no_feedback_until_the_whole_quiz_is_submitted(pages, page: Page, requests, page_problems):
    quiz_box = open_page(page, pages["exam"])
    core = banks.builtin_bank(core=True)
    session = quiz.QuizSession(core, seed=0)
    assert quiz_box.get_by_role("button", name="Check answer").count() == 0 or not quiz_box.get_by_role(
        "button", name="Check answer").is_visible()
    for number, expected in enumerate(session.questions, start=1):
        question = shown_question(quiz_box)
        assert question.id == expected.id
        right = number % 3 != 0
        area = quiz_box.locator(".ivig-answers")
        for label, value in planned_choices(question, right).items():
            control = area.get_by_label(label, exact=True)
            control.select_option(label=value) if question.kind == "matching" else control.check()
        session.answer(expected.id, response_ids(expected, right))
        assert quiz_box.locator(".ivig-feedback").inner_text() == ""
        last = number == len(core)
        quiz_box.get_by_role("button", name="Submit my answers" if last else "Next").click()
    summary = quiz_box.locator(".ivig-summary")
    summary.wait_for(timeout=5_000)
    assert f"{session.score} of {len(core)}" in summary.inner_text()
    _, text = downloaded_text(page, quiz_box)
    assert text == results.results_text(session.to_frame(), ".csv")
    # after submitting, the exam is closed: its questions show their feedback, read-only; the missed ones can be
    # tried again in a review, which never changes the score
    quiz_box.get_by_role("button", name="Back to questions").click()
    last = session.questions[-1]  # "Back to questions" returns to where the learner was
    verdict = RIGHT if session.first_result(last.id).correct else WRONG
    quiz_box.locator(".ivig-feedback").filter(has_text=verdict).wait_for(timeout=5_000)
    assert not quiz_box.get_by_role("button", name="Check answer").is_visible()
    assert quiz_box.locator(".ivig-answers input:not(:disabled), .ivig-answers select:not(:disabled)").count() == 0
    for _ in range(len(core)):
        next_by_mouse(quiz_box)
        if quiz_box.locator(".ivig-summary").is_visible():
            break
    quiz_box.get_by_role("button", name="Review missed questions").click()
    quiz_box.locator(".ivig-position").filter(has_text="Reviewing missed questions: Question 1 of").wait_for(timeout=5_000)
    answer_by_mouse(quiz_box, right=True)
    assert RIGHT in quiz_box.locator(".ivig-feedback").inner_text()
    assert offline(requests) == [] and page_problems == []


def test_an_exam_submitted_with_questions_unanswered_asks_once_first(pages, page: Page, page_problems):
    quiz_box = open_page(page, pages["exam"])
    total = len(banks.builtin_bank(core=True))
    question = shown_question(quiz_box)  # answer only the first, rightly
    for label, value in planned_choices(question, right=True).items():
        control = quiz_box.locator(".ivig-answers").get_by_label(label, exact=True)
        control.select_option(label=value) if question.kind == "matching" else control.check()
    assert f"Answered 1 of {total}" in quiz_box.locator(".ivig-heading").inner_text()  # follows the choices
    for _ in range(total - 1):
        quiz_box.get_by_role("button", name="Next").click()
    quiz_box.get_by_role("button", name="Submit my answers").click()
    asked = quiz_box.locator(".ivig-message").inner_text()
    assert f"{total - 1} questions have no answer yet" in asked and "count as not right" in asked
    assert not quiz_box.locator(".ivig-summary").is_visible()
    quiz_box.get_by_role("button", name="Submit my answers").click()
    summary = quiz_box.locator(".ivig-summary")
    summary.wait_for(timeout=5_000)
    assert f"You answered 1 of {total} questions; 1 of {total}" in summary.inner_text()
    # a question left unanswered cannot be answered after submitting: the score stays
    quiz_box.get_by_role("button", name="Back to questions").click()
    assert "Not answered before you submitted." in quiz_box.locator(".ivig-feedback").inner_text()
    assert not quiz_box.get_by_role("button", name="Check answer").is_visible()
    for _ in range(total):
        next_by_mouse(quiz_box)
        if summary.is_visible():
            break
    assert f"You answered 1 of {total} questions; 1 of {total}" in summary.inner_text()
    assert page_problems == []


def test_the_page_asks_nothing_of_the_network_and_says_so(pages, page: Page, requests):
    source = pages["core"].read_text(encoding="utf-8")
    assert "Content-Security-Policy" in source and "default-src 'none'" in source
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", source)
    quiz_box = open_page(page, pages["core"])
    answer_by_mouse(quiz_box, right=True)
    assert offline(requests) == []
    assert "only be used under the guidance of a healthcare provider" in quiz_box.inner_text()


def test_the_page_works_from_a_stock_web_server(pages, page: Page, requests, page_problems):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(pages["core"].parent)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                page.goto(f"http://127.0.0.1:{port}/core.html")
                break
            except Exception:  # noqa: BLE001 - the server is still starting
                time.sleep(0.1)
        quiz_box = page.locator(".ivig-quiz")
        quiz_box.locator(".ivig-prompt").wait_for(timeout=10_000)
        answer_by_mouse(quiz_box, right=True)
        assert RIGHT in quiz_box.locator(".ivig-feedback").inner_text()
        assert [url for url in requests if not url.startswith(f"http://127.0.0.1:{port}/")] == []
        assert page_problems == []
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- cases from ../shared/cases/banks (copied to tests/cases/banks), expected values written out ---------

CASES = Path(__file__).parent.parent / "cases" / "banks"


def test_case_dollar_signs_yaml_shows_every_dollar_as_written(tmp_path, page: Page):
    """dollar-signs.yaml: "$50 to $70" was typeset as maths in the browser; now the text is the text."""
    out = tmp_path / "dollars.html"
    assert main(["quiz-page", str(CASES / "dollar-signs.yaml"), "--all", "--out", str(out)]) == 0
    quiz_box = open_page(page, out)
    seen = {}
    for _ in range(3):
        prompt = quiz_box.locator(".ivig-prompt").inner_text()
        seen[prompt] = sorted(quiz_box.locator(".ivig-answers label").all_inner_texts())
        next_by_mouse(quiz_box)
    assert seen == {
        "A vial costs $50 to $70 per gram. Which statements are true?": ["It costs $50 to $70 per gram", "It is free"],
        "Pick the price range: $50 to $70?": ["From $50 to $70 per gram", "Nothing"],
        "Match each item with its price.": ["Pump", "Vial at $50 or $70"],
    }
    assert quiz_box.locator("math, mjx-container, .MathJax, .katex").count() == 0


def test_case_double_click_yaml_counts_one_attempt(tmp_path, page: Page):
    """double-click.yaml: a double click on "Check answer" recorded two attempts; now it is one."""
    out = tmp_path / "double.html"
    assert main(["quiz-page", str(CASES / "double-click.yaml"), "--seed", "0", "--out", str(out)]) == 0
    quiz_box = open_page(page, out)
    for _ in range(2):
        prompt = quiz_box.locator(".ivig-prompt").inner_text()
        wrong = {"How is IVIG given?": "As a tablet", "Is IVIG a vaccine?": "Yes"}[prompt]
        quiz_box.locator(".ivig-answers").get_by_label(wrong, exact=True).check()
        quiz_box.get_by_role("button", name="Check answer").dblclick()
        next_by_mouse(quiz_box)
    _, text = downloaded_text(page, quiz_box)
    rows = sorted(line.split(",")[3:] for line in text.splitlines()[1:])
    assert rows == [
        ["q-route", "general", "", "single", "How is IVIG given?", "True", "False", "1", "As a tablet", "Into a vein"],
        ["q-vaccine", "general", "", "single", "Is IVIG a vaccine?", "True", "False", "1", "Yes", "No"],
    ]


def test_case_jq_code_answers_json_shows_code_as_code(tmp_path, page: Page):
    """jq-code-answers.json (and jq-pre-indentation.json): code keeps its font, line breaks and indentation."""
    out = tmp_path / "code.html"
    assert main(["quiz-page", str(CASES / "jq-code-answers.json"), "--out", str(out)]) == 0
    quiz_box = open_page(page, out)
    code = quiz_box.locator(".ivig-choice .ivig-code")
    assert sorted(code.all_inner_texts()) == ["dose_g = 0.4 * 70", "dose_g = 0.4 / 70"]
    style = code.first.evaluate("c => [getComputedStyle(c).whiteSpace, getComputedStyle(c).fontFamily]")
    assert style[0] == "pre-wrap" and "mono" in style[1].lower()
    out = tmp_path / "pre.html"
    assert main(["quiz-page", str(CASES / "jq-pre-indentation.json"), "--out", str(out)]) == 0
    quiz_box = open_page(page, out)
    assert quiz_box.locator(".ivig-prompt").inner_text() == (
        "What does this print?\nfor dose in [1, 2]:\n    if dose > 1:\n        print(dose)"
    )


def test_the_pages_learner_name_rule_is_pythons(pages, page: Page):
    """The name the page writes into the results file is cleaned exactly as clean_learner_name does it, and the
    file is named as results_file_name names it (a fresh-eyes trial found Hindi's vowel signs cut out)."""
    import csv
    import io

    quiz_box = open_page(page, pages["core"])
    for _ in range(len(banks.builtin_bank(core=True))):
        next_by_mouse(quiz_box)
    names = ['= =HYPERLINK("http://x","y")', "- -1+2 @ @x", " \t@Ada Bee ", "\u0141ukasz \u017b\u00f3\u0142w", "x" * 200,
             "\ufeff=1+1", "\x85=x", "\u0928\u093f\u0916\u093f\u0932 \u0936\u0930\u094d\u092e\u093e", "\u0130lker",
             "Jose\u0301"]
    # (a name with a text-direction control, "Zo\u00eb\u202eevil", is cleaned by the same rule in both, but in CI the
    # download for it never started, twice, while it passed here; clean_learner_name's unit test covers the rule)
    for name in names:
        quiz_box.get_by_label("Your name (optional; it goes into your results file)").fill(name)
        # the link is made again as the name changes: click it once it carries this name (under load, a click on
        # the link being replaced started no download)
        expected = results.results_file_name(name).rsplit("-", 3)[0]
        quiz_box.locator(f'.ivig-download a[download^="{expected}-"]').wait_for(timeout=10_000)
        file_name, text = downloaded_text(page, quiz_box)
        learner = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))["learner"]
        assert learner == results.clean_learner_name(name), name
        # the file's name too: the same letters, digits and marks as results_file_name keeps
        assert file_name.rsplit("-", 3)[0] == expected, (name, file_name)


def test_cells_that_could_be_formulas_are_written_as_python_writes_them(tmp_path, page: Page):
    """The page's download follows spreadsheet_safe (OWASP) exactly: a byte-order mark, an apostrophe before
    "=1+1?", "@SUM(A1)" or "-5 mg", none before "-5" or "+1.5e3", and each row's question count."""
    bank = tmp_path / "formulas.yaml"
    bank.write_text(
        "questions:\n"
        "  - {id: q1, prompt: \"=1+1?\", choices: {A: \"-5 mg\", B: \"@SUM(A1)\"}, answer: A}\n"
        "  - {id: q2, prompt: \"Dose?\", choices: {A: \"+1.5e3\", B: \"-5\"}, answer: A}\n",
        encoding="utf-8",
    )
    out = tmp_path / "formulas.html"
    assert main(["quiz-page", str(bank), "--seed", "3", "--out", str(out)]) == 0
    session = quiz.QuizSession(banks.load_bank(bank), seed=3)
    quiz_box = open_page(page, out)
    for question in session.questions:
        wrong = next(choice for choice in question.choices if not choice.correct)
        quiz_box.locator(".ivig-answers").get_by_label(wrong.text, exact=True).check()
        quiz_box.get_by_role("button", name="Check answer").click()
        session.answer(question.id, wrong.id)
        next_by_mouse(quiz_box)
    quiz_box.get_by_label("Your name (optional; it goes into your results file)").fill("@Ada")
    _, text = downloaded_text(page, quiz_box)
    assert text == results.results_text(session.to_frame(learner="@Ada"), ".csv")
    assert [q.id for q in session.questions] == ["q2", "q1"]  # seed 3's order, on the page and in Python
    assert text.splitlines()[1:] == [
        "Ada,1,2,q2,general,,single,Dose?,True,False,1,-5,+1.5e3",
        "Ada,2,2,q1,general,,single,'=1+1?,True,False,1,'@SUM(A1),'-5 mg",
    ]
    assert text.startswith("\ufeff")
