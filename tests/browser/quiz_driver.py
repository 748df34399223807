"""Answer the built-in quiz in a browser as a learner would: by mouse, or by keyboard alone.

The quiz shuffles its questions, so the driver reads the prompt on screen and looks up the question in the
built-in bank to know which choices are right (every built-in prompt is unique).
"""

from __future__ import annotations

import time

from playwright.sync_api import Locator, Page

from ivig_content.banks import builtin_bank
from ivig_content.records import Question

BANK = {question.prompt: question for question in builtin_bank()}
RIGHT, WRONG = "\u2713 Correct.", "\u2717 Not quite."


def shown_question(quiz: Locator) -> Question:
    return BANK[quiz.locator(".ivig-prompt").inner_text().strip()]


def planned_choices(question: Question, right: bool) -> dict[str, str | bool]:
    """What to choose: {choice text: True} for single and multiple, {item text: choice text} for matching."""
    if question.kind == "matching":
        items = question.items
        answers = [question.choice(item.answer).text for item in items]
        if not right:
            answers = answers[1:] + answers[:1]
        return {item.text: answer for item, answer in zip(items, answers)}
    if question.kind == "single":
        choice = next(c for c in question.choices if c.correct == right)
        return {choice.text: True}
    return {c.text: True for c in question.choices if c.correct == right}


def check_and_wait(quiz: Locator, press) -> float:
    """Press "Check answer" (by the given action) and return the seconds until the feedback shows."""
    feedback = quiz.locator(".ivig-feedback")
    start = time.perf_counter()
    press()
    feedback.filter(has_text=RIGHT).or_(feedback.filter(has_text=WRONG)).wait_for(timeout=30_000)
    return time.perf_counter() - start


# --- by mouse ---

def answer_by_mouse(quiz: Locator, right: bool) -> float:
    question = shown_question(quiz)
    area = quiz.locator(".ivig-answers")
    planned = planned_choices(question, right)
    if question.kind == "multiple":  # exactly the planned boxes: an earlier try may have ticked others
        for choice in question.choices:
            area.get_by_label(choice.text, exact=True).set_checked(choice.text in planned)
    for label, value in planned.items():
        control = area.get_by_label(label, exact=True)
        if question.kind == "matching":
            control.select_option(label=value)
        else:
            control.check()
    return check_and_wait(quiz, quiz.get_by_role("button", name="Check answer").click)


def next_by_mouse(quiz: Locator) -> None:
    quiz.get_by_role("button", name="Next").or_(quiz.get_by_role("button", name="See my results")).click()


# --- by keyboard alone ---

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e) return {};
  const label = e.closest('label') || (e.id && document.querySelector('label[for="' + e.id + '"]'));
  return {tag: e.tagName, type: e.type || '', text: (e.innerText || '').trim(),
          label: label ? label.innerText.trim() : '', download: e.hasAttribute('download')};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, wanted, *, backwards: bool = False, limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until the focused element is the wanted one; the test only reads the focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the wanted control; last focus: {focused(page)}")


def button(text: str):
    return lambda e: e.get("tag") == "BUTTON" and e.get("text") == text


def answer_by_keyboard(page: Page, quiz: Locator, right: bool) -> float:
    question = shown_question(quiz)
    for label, value in planned_choices(question, right).items():
        if question.kind == "matching":
            tab_to(page, lambda e, label=label: e.get("tag") == "SELECT" and e.get("label") == label)
            choose_with_arrows(page, quiz.get_by_label(label, exact=True), value)
        elif question.kind == "single":
            # Tab reaches a radio group once; the arrow keys move within it, choosing as they go
            tab_to(page, lambda e: e.get("type") == "radio")
            for _ in range(len(question.choices)):
                if focused(page).get("label") == label:
                    break
                page.keyboard.press("ArrowDown")
            assert focused(page).get("label") == label, f"the arrow keys never reached {label!r}"
            page.keyboard.press("Space")
        else:
            tab_to(page, lambda e, label=label: e.get("type") == "checkbox" and e.get("label") == label)
            page.keyboard.press("Space")
    tab_to(page, button("Check answer"))
    return check_and_wait(quiz, lambda: page.keyboard.press("Enter"))


def choose_with_arrows(page: Page, select: Locator, wanted: str) -> None:
    """Arrow keys on a focused drop-down until it shows ``wanted``."""
    texts = select.evaluate("s => Array.from(s.options, o => o.text)")
    for _ in range(2 * len(texts)):
        current = select.evaluate("s => s.selectedIndex")
        if texts[current] == wanted:
            return
        page.keyboard.press("ArrowDown" if texts.index(wanted) > current else "ArrowUp")
    raise AssertionError(f"the arrow keys never settled on {wanted!r}")


def next_by_keyboard(page: Page) -> None:
    tab_to(page, lambda e: e.get("tag") == "BUTTON" and e.get("text") in ("Next", "See my results"))
    page.keyboard.press("Enter")
