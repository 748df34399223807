"""How long a learner waits for feedback in a real browser, against jupyterquiz in the same run.

    pip install jupyterquiz        # for this benchmark only; it is not one of the package's dependencies
    python bench/frontend_latency.py [--rounds 3] [--questions 15] [--targets ...] [--no-jupyterquiz]
                                     [--without-focus] [--json FILE]

One headless Chromium (Debian's /usr/bin/chromium, or IVIG_CHROMIUM; never a browser Playwright downloads) answers
the core quiz (every fourth answer wrong on purpose) by mouse in:
- JupyterLab (notebooks/04-quiz.ipynb, run in a fresh kernel), Voila (the quiz app), and the static quiz page
  (``python -m ivig_content quiz-page``) opened from file:// and from ``python -m http.server``;
- jupyterquiz 2.x showing the same core questions (those it can ask: single and multiple choice; it has no
  matching) in JupyterLab, in Voila, and as a static page made of exactly what ``display_quiz`` outputs (what
  Jupyter Book publishes), from file:// and http.

Click to feedback is measured **inside the page**, on the page's own clock (``performance.now()``): from the
click event's ``timeStamp`` to the first animation frame after the feedback text is in the DOM ("frame"; for us
"✓ Correct." or "✗ Not quite.", for jupyterquiz any new text in its feedback box). "DOM" is the time the text was
in the DOM. "wall" is ``time.perf_counter()`` around Playwright's click and the wait for that frame, so it adds
Playwright's own round trips. Targets run in turn, a new page each, and the order rotates every round, so every
target sees the same machine load; compare the ratios, not the milliseconds.

Kernel messages per answer: Playwright's ``page.on("websocket")`` counts the kernel websocket's frames (sent and
received) from just before "Check answer" until the page is quiet after "Next". "receipt" is when the kernel's
``{"kind": "recorded"}`` reply reached the page (a listener on the page's kernel websocket, same clock as the
click).

--without-focus makes ``focus()`` and ``scrollIntoView()`` do nothing in the pages (a diagnosis: our check handler
moves the focus to the feedback and scrolls to it, which makes the browser lay the page out at once).

Prints one line per target; exits 2 with a one-line message if jupyterquiz is not installed (or pass
--no-jupyterquiz).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from ivig_content.banks import builtin_bank  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, INSTALL_HINT, find_chromium  # noqa: E402
from tests.browser.quiz_driver import planned_choices, shown_question  # noqa: E402
from tests.servers import Server, free_port, lesson_copy, start_jupyterlab, start_voila  # noqa: E402

OURS = ["jupyterlab", "voila", "static-file", "static-http"]
THEIRS = ["jq-jupyterlab", "jq-voila", "jq-static-file", "jq-static-http"]
SAME_HOST = dict(zip(OURS, THEIRS))
VERDICTS = ["\u2713 Correct.", "\u2717 Not quite."]
QUIET_S = 0.4  # a page is quiet when no kernel frame came for this long
STEP_TIMEOUT_MS = 30_000

# On the page, before its own scripts: note when each kernel reply {"kind": "recorded"} arrives (same clock as
# the click). The frames themselves are counted by Playwright, outside the page.
RECEIPTS = """(() => {
  const Native = window.WebSocket;
  window.__receipts = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).includes("/channels")) return;
      this.addEventListener("message", (event) => {
        let text = event.data;
        if (typeof text !== "string") {
          if (!(text instanceof ArrayBuffer) || text.byteLength > 8192) return;
          text = new TextDecoder().decode(text);
        }
        if (text.includes('"recorded"')) window.__receipts.push(performance.now());
      });
    }
  };
})();"""

# --without-focus (a diagnosis, not how learners use the quiz): what moving the focus and scrolling costs.
WITHOUT_FOCUS = "HTMLElement.prototype.focus = function () {}; Element.prototype.scrollIntoView = function () {};"

# Armed just before a click: a promise (wrapped, or Playwright would wait for it here) of the click's time, the
# time the feedback text was in the DOM, and the first animation frame after that. ``needles`` null: any new,
# non-empty text counts (jupyterquiz).
ARM = """([root, needles]) => ({ done: new Promise((resolve) => {
  const out = {};
  const before = root.textContent;
  const shown = () => {
    const text = root.textContent;
    return needles ? needles.some((n) => text.includes(n)) : text.trim() !== "" && text !== before;
  };
  document.addEventListener("click", (event) => { if (out.click === undefined) out.click = event.timeStamp; },
                            { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (out.dom !== undefined || out.click === undefined || !shown()) return;
    out.dom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { out.frame = performance.now(); resolve(out); });
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  setTimeout(() => { observer.disconnect(); resolve(out); }, %d);
}) })""" % STEP_TIMEOUT_MS


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- jupyterquiz: the same questions, as it asks them ---------------------------------------------------


def jupyterquiz_questions(count: int) -> list[tuple[dict, object]]:
    """(jupyterquiz question, our question) for the core questions jupyterquiz can ask, in bank order."""
    pairs = []
    for question in builtin_bank(core=True):
        if question.kind == "matching":
            continue
        answers = []
        for choice in question.choices:
            answer = {"answer": choice.text, "correct": choice.correct}
            if choice.feedback:
                answer["feedback"] = choice.feedback
            answers.append(answer)
        kind = "multiple_choice" if question.kind == "single" else "many_choice"
        pairs.append(({"question": question.prompt, "type": kind, "answers": answers}, question))
    return pairs[:count]


JQ_CALL = "display_quiz(QUESTIONS, shuffle_answers=False)"


def jupyterquiz_notebook(path: Path, questions: list[dict]) -> None:
    import nbformat

    code = f"import json\nfrom jupyterquiz import display_quiz\n\nQUESTIONS = json.loads({json.dumps(json.dumps(questions))})\n{JQ_CALL}"
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)], metadata=metadata), path)


def jupyterquiz_page(path: Path, questions: list[dict]) -> None:
    """What display_quiz outputs (its HTML and its script), as one page: what Jupyter Book publishes."""
    from jupyterquiz.dynamic import display as jq_display

    shown: list = []
    original = jq_display.display
    jq_display.display = lambda obj: shown.append(obj)
    try:
        jq_display.display_quiz(questions, shuffle_answers=False)
    finally:
        jq_display.display = original
    html, script = shown[0].data, shown[1].data
    path.write_text(f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>jupyterquiz</title></head>'
                    f"<body>{html}</div>\n<script>{script}</script></body></html>\n", encoding="utf-8")


# --- one browser page answering questions -----------------------------------------------------------------


class FrameCounter:
    """Frames on the page's kernel websockets: (time, "sent"/"received", msg_type)."""

    def __init__(self, page):
        self.frames: list[tuple[float, str, str]] = []
        page.on("websocket", self._socket)

    def _socket(self, socket) -> None:
        if "/channels" not in socket.url:
            return
        socket.on("framesent", lambda payload: self._add("sent", payload))
        socket.on("framereceived", lambda payload: self._add("received", payload))

    def _add(self, direction: str, payload) -> None:
        head = payload[:4096] if isinstance(payload, str) else payload[:4096].decode("utf-8", "replace")
        kind = head.split('"msg_type"', 1)[1].split('"')[1] if '"msg_type"' in head else "?"
        self.frames.append((time.perf_counter(), direction, kind))

    def settle(self, page, timeout: float = 10.0) -> None:
        """Wait until no frame came for QUIET_S (Playwright delivers events while the page is waited on)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            last = self.frames[-1][0] if self.frames else 0.0
            page.wait_for_timeout(QUIET_S * 1000)
            if (self.frames[-1][0] if self.frames else 0.0) == last:
                return


def timed_click(page, target, root, needles) -> dict:
    """Click ``target`` and return the in-page times (ms) from the click to the feedback, and the wall time."""
    pending = page.evaluate_handle(ARM, [root.element_handle(), needles])
    start = time.perf_counter()
    target.click()
    times = page.evaluate("(armed) => armed.done", pending)
    wall = (time.perf_counter() - start) * 1000
    if "frame" not in times:
        raise TimeoutError(f"no feedback within {STEP_TIMEOUT_MS} ms")
    return {"frame": times["frame"] - times["click"], "dom": times["dom"] - times["click"], "wall": wall,
            "click_at": times["click"]}


def answer_ours(page, count: int, frames: FrameCounter, with_kernel: bool) -> list[dict]:
    quiz = page.locator(".ivig-quiz")
    total = None
    samples = []
    for number in range(1, count + 1):
        heading = quiz.locator(".ivig-heading")
        heading.filter(has_text=f"Question {number} of").wait_for(timeout=STEP_TIMEOUT_MS)
        total = total or int(heading.inner_text().split(" of ")[1].split()[0])
        question = shown_question(quiz)
        right = number % 4 != 0
        area = quiz.locator(".ivig-answers")
        for label, value in planned_choices(question, right).items():
            control = area.get_by_label(label, exact=True)
            if question.kind == "matching":
                control.select_option(label=value)
            else:
                control.check()
        if with_kernel:
            frames.settle(page)
        mark = len(frames.frames)
        sample = timed_click(page, quiz.get_by_role("button", name="Check answer"), quiz.locator(".ivig-feedback"), VERDICTS)
        shown = quiz.locator(".ivig-feedback").inner_text()
        if VERDICTS[0 if right else 1] not in shown:
            raise AssertionError(f"{question.id}: expected {VERDICTS[0 if right else 1]!r}, the page shows {shown[:80]!r}")
        if with_kernel:
            page.wait_for_function(f"window.__receipts.length >= {number}", timeout=STEP_TIMEOUT_MS)
            sample["receipt"] = page.evaluate(f"window.__receipts[{number - 1}]") - sample["click_at"]
            frames.settle(page)
        after_check = len(frames.frames)
        if number < total:
            quiz.get_by_role("button", name="Next").click()
            heading.filter(has_text=f"Question {number + 1} of").wait_for(timeout=STEP_TIMEOUT_MS)
        else:
            quiz.get_by_role("button", name="See my results").click()
            quiz.locator(".ivig-summary").wait_for(timeout=STEP_TIMEOUT_MS)
        if with_kernel:
            frames.settle(page)
        sample["check_frames"] = frames.frames[mark:after_check]
        sample["next_frames"] = frames.frames[after_check:]
        samples.append(sample)
        if number == total:
            break
    return samples


def answer_jupyterquiz(page, pairs, count: int) -> list[dict]:
    wrappers = page.locator("div.Quiz")
    wrappers.nth(len(pairs) - 1).locator(".MCButton").first.wait_for(timeout=STEP_TIMEOUT_MS)
    samples = []
    for number, (jq, question) in enumerate(pairs[:count], start=1):
        right = number % 4 != 0
        index = next(i for i, answer in enumerate(jq["answers"]) if answer["correct"] == right)
        wrapper = wrappers.nth(number - 1)
        label = wrapper.locator(".MCButton").nth(index)
        if label.inner_text().strip() != question.choices[index].text.strip():
            raise AssertionError(f"jupyterquiz shows {label.inner_text()!r} where {question.choices[index].text!r} was expected")
        sample = timed_click(page, label, wrapper.locator(".Feedback"), None)
        sample["check_frames"], sample["next_frames"] = [], []
        samples.append(sample)
    return samples


# --- the targets ---------------------------------------------------------------------------------------


class Setup:
    """The servers and files every target needs, started once."""

    def __init__(self, folder: Path, targets: list[str], pairs):
        self.servers: list[Server] = []
        self.folder = folder
        self.pairs = pairs
        self.root = lesson_copy(folder)
        site = folder / "site"
        site.mkdir()
        subprocess.run([sys.executable, "-m", "ivig_content", "quiz-page", "--out", str(site / "quiz.html")],
                       check=True, capture_output=True, cwd=REPO)
        self.page_bytes = (site / "quiz.html").stat().st_size
        self.urls: dict[str, str] = {"static-file": (site / "quiz.html").as_uri()}
        if pairs:
            jupyterquiz_page(site / "jupyterquiz.html", [jq for jq, _ in pairs])
            jupyterquiz_notebook(self.root / "notebooks" / "jupyterquiz.ipynb", [jq for jq, _ in pairs])
            self.urls["jq-static-file"] = (site / "jupyterquiz.html").as_uri()
        try:
            if {"static-http", "jq-static-http"} & set(targets):
                port = free_port()
                self.servers.append(Server([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                            "--directory", str(site)], site, None, port, folder / "http.log"))
                self.urls["static-http"] = f"http://127.0.0.1:{port}/quiz.html"
                self.urls["jq-static-http"] = f"http://127.0.0.1:{port}/jupyterquiz.html"
            if {"jupyterlab", "jq-jupyterlab"} & set(targets):
                self.lab, self.lab_base, self.lab_token = start_jupyterlab(folder / "lab", self.root)
                self.servers.append(self.lab)
            if "voila" in targets:
                server = start_voila(folder / "voila", "notebooks/04-quiz.ipynb", cwd=self.root)
                self.servers.append(server)
                self.urls["voila"] = server.url
            if "jq-voila" in targets:
                server = start_voila(folder / "jq-voila", "notebooks/jupyterquiz.ipynb", cwd=self.root)
                self.servers.append(server)
                self.urls["jq-voila"] = server.url
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def shut_down_lab_kernels(self) -> None:
        import urllib.request

        headers = {"Authorization": f"token {self.lab_token}"}
        with urllib.request.urlopen(urllib.request.Request(f"{self.lab_base}/api/kernels", headers=headers)) as answer:
            kernels = json.load(answer)
        for kernel in kernels:
            request = urllib.request.Request(f"{self.lab_base}/api/kernels/{kernel['id']}", headers=headers, method="DELETE")
            urllib.request.urlopen(request).close()

    def open_in_lab(self, page, notebook: str) -> None:
        """A fresh kernel and a reset workspace, then Run All Cells (as the browser tests do)."""
        self.shut_down_lab_kernels()
        page.goto(f"{self.lab_base}/lab/tree/notebooks/{notebook}?reset&token={self.lab_token}")
        page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=90_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

    def run(self, browser, target: str, questions: int, without_focus: bool = False) -> tuple[list[dict], list[str]]:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        try:
            page = context.new_page()
            page.add_init_script(RECEIPTS)
            if without_focus:
                page.add_init_script(WITHOUT_FOCUS)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            frames = FrameCounter(page)
            if target == "jupyterlab":
                self.open_in_lab(page, "04-quiz.ipynb")
            elif target == "jq-jupyterlab":
                self.open_in_lab(page, "jupyterquiz.ipynb")
            else:
                page.goto(self.urls[target])
            if target in OURS:
                page.locator(".ivig-quiz .ivig-prompt").wait_for(timeout=120_000)
                samples = answer_ours(page, questions, frames, with_kernel=target in ("jupyterlab", "voila"))
            else:
                samples = answer_jupyterquiz(page, self.pairs, questions)
            return samples, problems
        finally:
            context.close()


def summarize(target: str, samples: list[dict], problems: list[str]) -> dict:
    def stats(key: str) -> dict | None:
        values = [s[key] for s in samples if key in s]
        return {"p50": statistics.median(values), "p95": percentile(values, 0.95)} if values else None

    answers = len(samples)
    frames = [f for s in samples for f in s["check_frames"] + s["next_frames"]]
    kinds: dict[str, int] = {}
    for _, direction, kind in frames:
        kinds[f"{direction} {kind}"] = kinds.get(f"{direction} {kind}", 0) + 1
    return {
        "target": target,
        "answers": answers,
        "frame_ms": stats("frame"),
        "dom_ms": stats("dom"),
        "wall_ms": stats("wall"),
        "receipt_ms": stats("receipt"),
        "sent_per_answer": sum(1 for f in frames if f[1] == "sent") / answers if answers else None,
        "received_per_answer": sum(1 for f in frames if f[1] == "received") / answers if answers else None,
        "check_frames_per_answer": sum(len(s["check_frames"]) for s in samples) / answers if answers else None,
        "frame_kinds_per_answer": {k: v / answers for k, v in sorted(kinds.items())} if answers else {},
        "problems": sorted(set(problems))[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each target answers the quiz (default 3)")
    parser.add_argument("--questions", type=int, default=15, help="questions answered per round (default 15: all)")
    parser.add_argument("--targets", nargs="+", choices=OURS + THEIRS, help="default: all (ours and jupyterquiz's)")
    parser.add_argument("--no-jupyterquiz", action="store_true", help="measure only ours")
    parser.add_argument("--without-focus", action="store_true",
                        help="diagnosis: make focus() and scrollIntoView() do nothing in the pages, to see what they cost")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    targets = args.targets or OURS + ([] if args.no_jupyterquiz else THEIRS)
    if args.no_jupyterquiz:
        targets = [t for t in targets if t in OURS]
    if any(t in THEIRS for t in targets) and importlib.util.find_spec("jupyterquiz") is None:
        print("jupyterquiz is not installed: pip install jupyterquiz (for this benchmark only), or pass --no-jupyterquiz")
        sys.exit(2)
    chromium = find_chromium()
    if chromium is None:
        print(f"no Chromium: {INSTALL_HINT}")
        sys.exit(2)

    from playwright.sync_api import sync_playwright

    pairs = jupyterquiz_questions(args.questions) if any(t in THEIRS for t in targets) else []
    samples: dict[str, list[dict]] = {t: [] for t in targets}
    problems: dict[str, list[str]] = {t: [] for t in targets}
    with tempfile.TemporaryDirectory() as scratch:
        setup = Setup(Path(scratch), targets, pairs)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
                try:
                    for round_number in range(args.rounds):
                        shift = round_number % len(targets)
                        for target in targets[shift:] + targets[:shift]:
                            got, seen = setup.run(browser, target, args.questions, args.without_focus)
                            samples[target] += got
                            problems[target] += seen
                finally:
                    browser.close()
        finally:
            setup.stop()

    rows = [summarize(t, samples[t], problems[t]) for t in targets]
    by_target = {row["target"]: row for row in rows}

    def fmt(value, spec: str) -> str:
        width = spec.lstrip(">").split(".")[0]
        return format(value, spec) if value is not None else format("-", f">{width}")

    print("page clock (performance.now): click -> first frame with the feedback; DOM: feedback in the DOM; "
          "wall: perf_counter around Playwright's click and wait; receipt: the kernel's reply in the page")
    print(f"{'target':15} {'answers':>7} {'frame p50':>9} {'p95':>6} {'DOM p50':>7} {'wall p50':>8} {'p95':>6} "
          f"{'receipt p50':>11} {'p95':>6} {'sent/ans':>8} {'recv/ans':>8} {'ratio':>6} {'DOM ratio':>9}")
    for row in rows:
        other = by_target.get(SAME_HOST.get(row["target"], ""))
        ratio = (row["frame_ms"]["p50"] / other["frame_ms"]["p50"]) if other and row["frame_ms"] and other["frame_ms"] else None
        dom_ratio = (row["dom_ms"]["p50"] / other["dom_ms"]["p50"]) if other and row["dom_ms"] and other["dom_ms"] else None
        row["ratio_to_jupyterquiz_same_host"] = ratio
        row["dom_ratio_to_jupyterquiz_same_host"] = dom_ratio
        f, d, w, r = row["frame_ms"], row["dom_ms"], row["wall_ms"], row["receipt_ms"]
        print(f"{row['target']:15} {row['answers']:>7} {fmt(f and f['p50'], '>9.1f')} {fmt(f and f['p95'], '>6.1f')} "
              f"{fmt(d and d['p50'], '>7.1f')} {fmt(w and w['p50'], '>8.0f')} {fmt(w and w['p95'], '>6.0f')} "
              f"{fmt(r and r['p50'], '>11.0f')} {fmt(r and r['p95'], '>6.0f')} "
              f"{fmt(row['sent_per_answer'], '>8.1f')} {fmt(row['received_per_answer'], '>8.1f')} {fmt(ratio, '>6.2f')} "
              f"{fmt(dom_ratio, '>9.2f')}")
    for row in rows:
        if row["frame_kinds_per_answer"]:
            kinds = ", ".join(f"{k} {v:.1f}" for k, v in row["frame_kinds_per_answer"].items())
            print(f"  {row['target']}: kernel frames per answer (check and next): {kinds}")
        for problem in row["problems"]:
            print(f"  {row['target']}: {problem}")
    print(f"ratio: our median / jupyterquiz's in the same host (frame; DOM ratio: DOM); goal <= 1.0. "
          f"Static page: {setup.page_bytes} bytes")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
