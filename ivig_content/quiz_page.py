"""A quiz as one self-contained web page that needs no Python: ``python -m ivig_content quiz-page``.

The page inlines the widget's own ES module and style sheet (``frontend/quiz.js``, ``frontend/ivig.css``) and the
bank as JSON, so it works opened from disk (``file://``) or from any web server, and asks nothing of the network:
its Content-Security-Policy allows only its own inline script and style (by hash) and no connections at all.
It checks answers in the browser, so it carries its answer key: right for practice; a graded test belongs in the
learning management system.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from collections.abc import Iterable
from pathlib import Path

from . import __version__, content, quiz
from .files import write_text_file
from .records import Question
from .widgets import FRONTEND, quiz_data

__all__ = ["quiz_page_html", "write_quiz_page"]

# The static page has no JupyterLab theme: give the widget's variables light values, and dark ones when the
# learner's device asks for dark. Contrast of text on background is above 4.5:1 in both.
_PAGE_CSS = """
:root { color-scheme: light dark;
  --jp-ui-font-color0: #1f2937; --jp-ui-font-color1: #374151; --jp-layout-color0: #ffffff; --jp-layout-color2: #f3f4f6;
  --jp-border-color1: #6b7280; --jp-brand-color1: #1d4ed8; --jp-success-color1: #15803d; --jp-error-color1: #b91c1c;
  --jp-warn-color1: #b45309; --jp-content-link-color: #1d4ed8; }
@media (prefers-color-scheme: dark) { :root {
  --jp-ui-font-color0: #e5e7eb; --jp-ui-font-color1: #d1d5db; --jp-layout-color0: #111827; --jp-layout-color2: #1f2937;
  --jp-border-color1: #9ca3af; --jp-brand-color1: #2563eb; --jp-success-color1: #4ade80; --jp-error-color1: #f87171;
  --jp-warn-color1: #fbbf24; --jp-content-link-color: #93c5fd; } }
html { background: var(--jp-layout-color0); color: var(--jp-ui-font-color0); }
body { margin: 0 auto; padding: 8px 12px 32px; max-width: 62rem; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.ivig-page-header h1 { font-size: 1.4rem; margin: 8px 0 4px; }
.ivig-page-header p, .ivig-page-footer { font-size: 0.95rem; }
"""

# A minimal stand-in for anywidget's model: the module asks it for the quiz's data; nothing goes anywhere.
_BOOT = """
const ivigData = JSON.parse(document.getElementById("ivig-quiz-data").textContent);
const ivigModel = { standalone: true, get: (name) => (name === "data" ? ivigData : undefined),
  set() {}, save_changes() {}, send() {}, on() {}, off() {} };
render({ model: ivigModel, el: document.getElementById("ivig-quiz") });
"""


def _json_in_html(value: object) -> str:
    # Inside <script type="application/json">, "<" could close the element: write it as \\u003c.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def quiz_page_html(
    questions: Iterable[Question], *, seed: int = 0, exam: bool = False, title: str = "IVIG quiz"
) -> str:
    """The page's HTML text: ``questions`` in the order a :class:`~ivig_content.quiz.QuizSession` with ``seed``
    gives them (choices shuffled too), ``exam`` for no feedback until the learner submits the whole quiz."""
    session = quiz.QuizSession(questions, seed=seed)
    data = quiz_data(session, exam=exam)
    module = (FRONTEND / "quiz.js").read_text(encoding="utf-8")
    script = f"{module}\n{_BOOT}"
    style = (FRONTEND / "ivig.css").read_text(encoding="utf-8") + _PAGE_CSS
    policy = (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    mode = "Exam: your answers are checked when you submit the whole quiz." if exam else "Practice: each answer is checked at once."
    total = len(session.questions)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy, quote=False)}">
<meta name="generator" content="ivig-teaching {html.escape(__version__)}">
<title>{html.escape(title)}</title>
<style>{style}</style>
</head>
<body>
<header class="ivig-page-header ivig-root"><h1>{html.escape(title)}</h1>
<p>{total} question{"s" if total != 1 else ""}. {html.escape(mode)}</p></header>
<main id="ivig-quiz"><div class="ivig-root"><div class="ivig-notice" role="note"><strong>Important:</strong> {html.escape(content.DISCLAIMER)}</div>
<noscript><p>This quiz needs JavaScript, which is switched off in this browser.</p></noscript></div></main>
<footer class="ivig-page-footer ivig-root"><p><small>Made with ivig-teaching {html.escape(__version__)}. This page works without a network and sends nothing anywhere;
your results stay on this device until you download them.</small></p></footer>
<script type="application/json" id="ivig-quiz-data">{_json_in_html(data)}</script>
<script type="module">{script}</script>
</body>
</html>
"""


def write_quiz_page(
    path: str | os.PathLike[str],
    questions: Iterable[Question],
    *,
    seed: int = 0,
    exam: bool = False,
    title: str = "IVIG quiz",
    overwrite: bool = False,
) -> Path:
    """Write :func:`quiz_page_html` to ``path`` whole or not at all; an existing file is kept unless ``overwrite``
    (the errors of :func:`ivig_content.files.write_text_file`)."""
    if Path(path).is_dir():
        raise IsADirectoryError(f"{path}: is a folder; give the name of the page to write, e.g. {Path(path) / 'quiz.html'}")
    text = quiz_page_html(questions, seed=seed, exam=exam, title=title)
    return write_text_file(path, text, overwrite=overwrite, how_to_replace="use --overwrite")
