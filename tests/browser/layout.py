"""What every screen a learner sees must hold, measured in the browser: at 360 px as on a desktop, light or dark.

Each check returns a list of problems (empty when all is well), so a failing test says what is wrong where.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SERIOUS = {"serious", "critical"}
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def serious_violations(page: Page, context: str) -> list[str]:
    """axe-core's serious and critical findings inside ``context`` (colour contrast included)."""
    results = Axe().run(page, context=context)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


LAYOUT = """(root) => {
  const problems = [];
  const view = document.documentElement.clientWidth;
  const visible = (e) => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden';
  const box = (e) => e.getBoundingClientRect();
  const name = (e) => (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 40);
  for (const e of root.querySelectorAll('*')) {
    if (!visible(e)) continue;
    const r = box(e);
    if (r.width > 0 && (r.right > view + 1 || r.left < -1)) problems.push(`wider than the screen: ${e.tagName}.${e.className} "${name(e)}" (${Math.round(r.left)}..${Math.round(r.right)} of ${view})`);
    if (e.scrollWidth > e.clientWidth + 1 && !['HTML', 'BODY', 'SELECT', 'INPUT', 'PROGRESS'].includes(e.tagName)
        && getComputedStyle(e).overflowX !== 'visible') problems.push(`text cut: ${e.tagName} "${name(e)}"`);
  }
  // tap targets: every control at least 44 px high (the box a finger hits: the label around a radio counts)
  for (const e of root.querySelectorAll('button, select, input[type=text], input[type=search], label.ivig-choice, summary')) {
    if (!visible(e)) continue;
    const r = box(e);
    if (r.height < 43.5) problems.push(`tap target ${Math.round(r.height)} px high: ${e.tagName} "${name(e)}"`);
  }
  // choices never overlap each other (in a column or in a row)
  const choices = [...root.querySelectorAll('.ivig-choice, .ivig-match')].filter(visible).map(box);
  for (let i = 0; i < choices.length; i++) {
    for (let j = i + 1; j < choices.length; j++) {
      const a = choices[i], b = choices[j];
      const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (across > 1 && down > 1) problems.push(`choices ${i + 1} and ${j + 1} overlap`);
    }
  }
  // radios and checkboxes sit inside their own label's box
  for (const input of root.querySelectorAll('.ivig-choice input')) {
    if (!visible(input)) continue;
    const r = box(input), l = box(input.closest('label'));
    if (r.top < l.top - 1 || r.bottom > l.bottom + 1 || r.left < l.left - 1 || r.right > l.right + 1) problems.push(`a control outside its label: "${name(input.closest('label'))}"`);
  }
  return problems;
}"""

SMALL_TEXT = """(root) => [...root.querySelectorAll('legend, label, p, li, button, .ivig-feedback, span')]
  .filter((e) => e.offsetParent !== null && (e.innerText || '').trim())
  .map((e) => [parseFloat(getComputedStyle(e).fontSize), (e.innerText || '').trim().slice(0, 40)])
  .filter(([size]) => size < 16)
  .map(([size, text]) => `${size} px: "${text}"`)"""


def layout_problems(page: Page, selector: str, *, phone: bool) -> list[str]:
    root = page.locator(selector).first
    problems = root.evaluate(LAYOUT)
    if phone:  # body text at least 16 px on small screens (sources and footnotes in <small> may be smaller)
        problems += [p for p in root.evaluate(SMALL_TEXT) if "Source:" not in p]
    return problems


def focus_is_not_lost(page: Page) -> bool:
    return page.evaluate("() => document.activeElement !== null && document.activeElement !== document.body")
