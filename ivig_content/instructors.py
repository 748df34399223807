"""Documents for instructors and reviewers: an answer key, a content review sheet, and a class summary.

Pure functions that return Markdown text or DataFrames; ``python -m ivig_content`` writes them to files.
Every text that comes from a bank or the content is escaped, so a Markdown viewer shows it as written.
"""

from __future__ import annotations

import base64
import html
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import content
from .diagrams import Diagram, bar_chart
from .quiz import percent_of, right_answer_text
from .files import TEXT_DIRECTION_CONTROLS, write_bytes_file, write_text_file
from .results import BOM, read_results_file, spreadsheet_safe
from .records import Question

# pandas is imported inside the functions that make tables: checking answers and the command line do not need
# its half-second import.
if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ClassSummary",
    "answer_key_markdown",
    "class_summary",
    "class_summary_markdown",
    "review_sheet_markdown",
]

KIND_NAMES = {"single": "single choice", "multiple": "select all that apply", "matching": "matching"}
CHECKBOX = "\u2610"  # an empty box for the reviewer to tick on paper


# Markdown's own punctuation, shown as itself with a backslash (CommonMark lets any ASCII punctuation be escaped):
# links and images ([ ]: without them "(...)" and "!" are plain text), emphasis (* ~, and _ at a word's
# edge: inside a word it is no emphasis), code (`), table cells (|),
# the backslash itself, and a heading or list marker (# + -) at the start.
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*\[\]|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|^[#+\-]")  # snake_case stays
# Bare web and mail addresses that GitHub's and JupyterLab's Markdown turn into links: the ":" of "https://", the
# dot of "www." and the "@" of an address as character references, which show the same but no longer read as one.
_BARE_ADDRESS = re.compile(r"(?<=[A-Za-z0-9]):(?=//)|(?<=www)\.|(?<=[\w.+-])@(?=[\w-])", re.IGNORECASE)
_REFERENCE = {":": "&#58;", ".": "&#46;", "@": "&#64;"}
# Every way text can break a line (a table row or list item must stay one line): shown as <br>
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def md(text: str) -> str:
    """Text for a Markdown table cell or list item that shows exactly as written and can never act as markup: no
    link, image, emphasis, code span, HTML or table break, whatever a learner's file holds; line breaks as
    ``<br>``."""
    # a text-direction control in a learner's file would show the rest of the line backwards: shown as \ufffd
    text = TEXT_DIRECTION_CONTROLS.sub("\ufffd", text)
    escaped = _MARKDOWN_PUNCTUATION.sub(lambda found: "\\" + found.group(), html.escape(text, quote=False))
    return _LINE_BREAK.sub("<br>", _BARE_ADDRESS.sub(lambda found: _REFERENCE[found.group()], escaped))


# --- Answer key --------------------------------------------------------------------------------------


def answer_key_markdown(
    questions: Sequence[Question], title: str = "the built-in quiz", core: Sequence[str] = ()
) -> str:
    """Every question in bank order, its choices with the right ones marked, feedback, explanation, source.

    ``core`` holds the ids of the core quiz, whose questions are marked "core quiz".
    """
    in_core = set(core)
    lines = [
        f"# Answer key: {md(title)}",
        "",
        f"For instructors. {md(content.DISCLAIMER)}",
        "",
        f"{len(questions)} questions. Right answers are marked **[x]**. Learners see the questions and choices in "
        "a shuffled order.",
        "",
    ]
    if in_core:
        lines += [
            f"The {len(in_core)} question{'s' if len(in_core) != 1 else ''} marked *core quiz* "
            f"{'make' if len(in_core) != 1 else 'makes'} up the short quiz for one class period (the default in the "
            "quiz notebook and the quiz app); the rest are for practising all.",
            "",
        ]
    for number, question in enumerate(questions, start=1):
        lines += [
            f"## {number}. {md(question.prompt)}",
            "",
            f"*id `{question.id}`, {KIND_NAMES[question.kind]}, topic: {md(content.topic_title(question.topic))}"
            + (f", level: {question.level}" if question.level else "")
            + (", core quiz" if question.id in in_core else "")
            + "*",
            "",
        ]
        if question.kind == "matching":
            for item in question.items:
                lines.append(f"- {md(item.text)} \u2192 **{md(question.choice(item.answer).text)}**")
            extras = [c.text for c in question.choices if c.id not in {item.answer for item in question.items}]
            if extras:
                lines.append(f"- (wrong options offered too: {md('; '.join(extras))})")
        else:
            for choice in question.choices:
                box = "**[x]**" if choice.correct else "[ ]"
                text = f"**{md(choice.text)}**" if choice.correct else md(choice.text)
                feedback = f" \u2014 {md(choice.feedback)}" if choice.feedback else ""
                lines.append(f"- {box} {text}{feedback}")
        lines += ["", f"**Answer:** {md(right_answer_text(question))}", ""]
        if question.explanation:
            lines += [f"**Why:** {md(question.explanation)}", ""]
        if question.source:
            lines += [f"**Source:** {md(question.source)}", ""]
        if question.fact_ids:
            lines += ["**Facts:** " + ", ".join(f"`{fact_id}`" for fact_id in question.fact_ids), ""]
    return "\n".join(lines)


# --- Content review sheet ----------------------------------------------------------------------------


def review_sheet_markdown(questions: Sequence[Question], core: Sequence[str] = ()) -> str:
    """Every source, fact, definition, bedside check, case and question beside its sources, with boxes and a
    sign-off block for a clinical reviewer. ``core`` holds the ids of the core quiz's questions."""
    review = content.content_review()
    lines = [
        "# Content review sheet: ivig-teaching",
        "",
        f"**{md(str(review))}**",
        "",
        "For a qualified clinical reviewer. Check each fact against its source(s) and tick the box, or write what "
        "is wrong in the notes column. Then check each question: its right answer, every choice's feedback and its "
        "explanation must follow from the facts it lists. When every line is ticked, sign below; the maintainers then "
        "record the date and your name in `ivig_content/data/review.toml`.",
        "",
        f"Disclaimer shown to learners: {md(content.DISCLAIMER)}",
        "",
        "What the automated tests check: that every seed quote is a sentence, bullet or table row of the seed text, "
        "and that every fact, definition and question names a source from the list below. They cannot check that a "
        "statement is medically right or that a source says it: that is this review.",
        "",
        "## Sources",
        "",
        "Check that each source is current. Where a note says what to confirm, confirm it.",
        "",
        "| OK | key | citation | confirm | notes |",
        "|---|---|---|---|---|",
    ]
    for source in content.sources():
        lines.append(f"| {CHECKBOX} | `{source.key}` | {md(source.citation)} | {md(source.review_note)} | |")
    lines += ["", "## Facts", ""]
    by_topic: dict[str, list] = {}
    for fact in content.facts():
        by_topic.setdefault(fact.topic, []).append(fact)
    for topic in content.TOPICS:
        if topic not in by_topic:
            continue
        lines += [
            f"### {content.topic_title(topic)}",
            "",
            "| OK | id | level | statement | the closer look shown beside it | source(s) | seed text it comes from "
            "| notes |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for fact in by_topic[topic]:
            quote = md(fact.seed_quote) if fact.seed_quote else ""
            closer = " ".join(f"{md(c.statement)} (`{c.id}`)" for c in content.closer_looks_for(fact.id))
            lines.append(
                f"| {CHECKBOX} | `{fact.id}` | {fact.level} | {md(fact.statement)} | {closer} | {md(fact.source)} | "
                f"{quote} | |"
            )
        lines.append("")
    lines += [
        "### Group descriptions and their caveats",
        "",
        "| OK | group | description (the seed's) | caveat shown with it | source(s) | notes |",
        "|---|---|---|---|---|---|",
    ]
    for condition in content.conditions():
        lines.append(
            f"| {CHECKBOX} | {md(condition.name)} | {md(condition.description)} | {md(condition.caveat)} | "
            f"{md(condition.source)} | |"
        )
    lines += [
        "",
        "## Glossary",
        "",
        "| OK | term | definition | source(s) | notes |",
        "|---|---|---|---|---|",
    ]
    for term in content.glossary():
        lines.append(f"| {CHECKBOX} | {md(term.term)} | {md(term.definition)} | {md(term.source)} | |")
    lines += [
        "",
        "## Bedside checks",
        "",
        "| OK | stage | check | guards against | facts | notes |",
        "|---|---|---|---|---|---|",
    ]
    for check in content.bedside_checks():
        facts = ", ".join(f"`{fact.id}`" for fact in check.facts)
        lines.append(
            f"| {CHECKBOX} | {check.stage} | {md(check.check)} | {md(check.guards_against)} | {facts} | |"
        )
    lines += ["", "## Case scenarios", ""]
    for case in content.cases():
        ids = ", ".join(f"`{question_id}`" for question_id in case.question_ids)
        lines += [f"- {CHECKBOX} **{md(case.title)}.** {md(case.scenario)} Questions: {ids}.", ""]
        if case.review_note:
            lines += [f"  *To decide:* {md(case.review_note)}", ""]
    in_core = set(core)
    lines += [
        "## Questions",
        "",
        f"Questions marked **core** ({len(in_core)}) make up the short quiz for one class period." if in_core else "",
        "",
        "| OK | id | question | right answer | other choices and their feedback | explanation | facts | source | notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for question in questions:
        others = "<br>".join(
            f"{md(choice.text)}: {md(choice.feedback)}" if choice.feedback else md(choice.text)
            for choice in question.choices
            if not choice.correct
        )
        facts = ", ".join(f"`{fact_id}`" for fact_id in question.fact_ids)
        marker = " **core**" if question.id in in_core else ""
        lines.append(
            f"| {CHECKBOX} | `{question.id}`{marker} | {md(question.prompt)} | {md(right_answer_text(question))} | {others} | "
            f"{md(question.explanation)} | {facts} | {md(question.source)} | |"
        )
    lines += [
        "",
        "## Sign-off",
        "",
        "I have checked every fact and question above against the cited sources.",
        "",
        "| | |",
        "|---|---|",
        "| Reviewer's name | |",
        "| Role and registration | |",
        "| Date (YYYY-MM-DD) | |",
        "| Signature | |",
        "",
    ]
    return "\n".join(lines)


# --- Class summary -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassSummary:
    """What a class got right, from the learners' results files.

    ``files`` counts the files that were counted; ``skipped`` says, one line each, what was not counted and why
    (the same file given twice, a second file from the same learner and quiz, rows that repeat a question);
    ``notes`` names each file read as Windows-1252, whose names the instructor should check.
    """

    files: int
    learners: tuple[str, ...]
    per_question: pd.DataFrame
    per_topic: pd.DataFrame
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # files read with a guess to check (a legacy Windows encoding)

    def chart(self) -> Diagram:
        """A bar per topic that someone answered: the share right at the first try."""
        answered = self.per_topic[self.per_topic["answered"] > 0]
        return bar_chart(
            [content.topic_title(topic) for topic in answered["topic"]],
            [int(percent) for percent in answered["percent_right"]],
            "Right at the first try, by topic",
            unit="%",
            maximum=100,
        )


PER_QUESTION_COLUMNS = ("question_id", "prompt", "topic", "answered", "right", "percent_right")
PER_TOPIC_COLUMNS = ("topic", "answered", "right", "percent_right")


def class_summary(paths: Iterable[str | os.PathLike[str]]) -> ClassSummary:
    """Read results files (CSV or JSON, as the quiz saves or downloads them, or as a spreadsheet saves them again)
    and count first-try answers, each learner once.

    ``per_question`` has one row per question, hardest first (lowest share right); columns ``question_id``,
    ``prompt``, ``topic`` (text), ``answered``, ``right`` (learners), ``percent_right`` (0-100, of those who
    answered; empty, pandas' NA, where nobody answered, and such questions come last). ``per_topic`` has one row per topic, with ``topic``, ``answered``, ``right``, ``percent_right``.

    Counted once, and named in ``skipped``: the same file given twice (by name, or the same bytes under another
    name), a question a named learner's earlier file already counted (the first file given counts: the learner's
    first try; a download after "Practise all" repeats the core quiz's answers), and rows of a file that repeat a
    question (the first row counts). Names are compared without regard to capitals, spacing or how an accent was
    typed; files without a learner's name are never taken for one another. Raises :class:`~ivig_content.results.ResultsError` naming the first file
    that cannot be read for certain (see :func:`~ivig_content.results.load_results`), and ``ValueError`` when no
    file is given.
    """
    import pandas as pd

    frames, skipped, notes = [], [], []
    by_digest: dict[str, Path] = {}
    # a named learner's questions already counted, and from which file: "Practise all" keeps the core quiz's
    # answers, so a learner's second download holds the first one's rows again
    counted: dict[str, dict[str, Path]] = {}
    for given in paths:
        read = read_results_file(given)
        same_bytes = by_digest.get(read.digest)
        if same_bytes is not None:
            how = "given twice" if same_bytes.resolve() == read.path.resolve() else f"the same file as {same_bytes}"
            skipped.append(f"{read.path}: {how}; counted once")
            continue
        by_digest[read.digest] = read.path
        frame = read.frame
        names = {_same_learner(name) for name in frame["learner"]}
        learner = names.pop() if len(names) == 1 else ""
        if learner:  # files without a name are never taken for one another
            earlier = counted.setdefault(learner, {})
            again = frame["question_id"].isin(list(earlier))
            if again.any():
                first_files = ", ".join(sorted({str(earlier[q]) for q in frame.loc[again, "question_id"]}))
                shown = frame["learner"].iloc[0]
                if again.all():
                    skipped.append(f'{read.path}: every question in it was already counted for "{shown}" from '
                                   f"{first_files}; the first file given counts")
                    continue
                skipped.append(f'{read.path}: {int(again.sum())} of its {len(frame)} questions were already counted '
                               f'for "{shown}" from {first_files}; only its other questions count')
                frame = frame[~again]
            earlier.update(dict.fromkeys(frame["question_id"], read.path))
        if read.repeated_rows:
            skipped.append(f"{read.path}: {read.repeated_rows} row{'s' if read.repeated_rows != 1 else ''} repeating "
                           "a question already in the file; the first row of each question counts")
        if read.encoding == "Windows-1252":
            notes.append(f"{read.path}: not UTF-8, so read as Windows-1252 (Western European); if its names look "
                         "wrong here, save it again as CSV UTF-8")
        frames.append(frame.assign(file=str(read.path)))
    if not frames:
        raise ValueError("no results files given")
    results = pd.concat(frames, ignore_index=True)
    answered = results[results["answered"]]

    per_question = (
        results.groupby("question_id", sort=False)
        .agg(prompt=("prompt", "first"), topic=("topic", "first"))
        .join(answered.groupby("question_id").agg(answered=("answered", "size"), right=("correct", "sum")))
        .fillna({"answered": 0, "right": 0})
        .reset_index()
    )
    per_topic = (
        results.groupby("topic", sort=False)
        .size()
        .rename("rows")
        .to_frame()
        .join(answered.groupby("topic").agg(answered=("answered", "size"), right=("correct", "sum")))
        .fillna({"answered": 0, "right": 0})
        .reset_index()
    )
    for frame in (per_question, per_topic):
        frame["answered"] = frame["answered"].astype("int64")
        frame["right"] = frame["right"].astype("int64")
        # no answers is not 0% right: empty (pandas' NA), and listed after the questions that were answered
        frame["percent_right"] = pd.array(
            [percent_of(right, answered) if answered else None for right, answered in zip(frame["right"], frame["answered"])],
            dtype="Int64",
        )
    per_question = per_question.sort_values(
        ["percent_right", "question_id"], kind="stable", na_position="last"
    ).reset_index(drop=True)
    order = {topic: index for index, topic in enumerate(content.TOPICS)}
    per_topic = per_topic.sort_values("topic", key=lambda column: column.map(lambda t: order.get(t, len(order))))
    learners: dict[str, str] = {}  # each person once, as they first wrote their name
    for name in results["learner"]:
        if name:
            learners.setdefault(_same_learner(name), name)
    return ClassSummary(
        len(frames),
        tuple(learners.values()),
        per_question[list(PER_QUESTION_COLUMNS)],
        per_topic[list(PER_TOPIC_COLUMNS)].reset_index(drop=True),
        tuple(skipped),
        tuple(notes),
    )


def _holds(path: Path, text: str) -> bool:
    """Whether ``path`` is a file that holds exactly ``text``."""
    try:
        return path.is_file() and not path.is_symlink() and path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _percent(value: object) -> str:
    """A share right for the summary's tables: "40%", or "no answers" where nobody answered."""
    import pandas as pd  # already imported: the summary is made of DataFrames

    return "no answers" if pd.isna(value) else f"{value}%"


def _same_learner(name: str) -> str:
    """A learner's name as compared between files: "José" typed with one accented letter or two (NFC), capitals
    and spacing aside."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def class_summary_markdown(summary: ClassSummary, chart_file: str = "by-topic.svg") -> str:
    names = ", ".join(summary.learners) if summary.learners else "no names given"
    lines = [
        "# Class summary: IVIG quiz",
        "",
        f"{summary.files} results file{'s' if summary.files != 1 else ''} ({md(names)}). "
        "Counts are of first tries, the ones that score."
        + (f" {len(summary.skipped)} not counted, to count no one twice: see the end." if summary.skipped else ""),
        "",
        "## Questions to revisit first",
        "",
        "Hardest first: the share of learners who answered and got it right at the first try.",
        "",
        "| % right | right | answered | topic | question | id |",
        "|---:|---:|---:|---|---|---|",
    ]
    for row in summary.per_question.itertuples(index=False):
        lines.append(
            f"| {_percent(row.percent_right)} | {row.right} | {row.answered} | {md(content.topic_title(row.topic))} | "
            f"{md(row.prompt)} | "
            f"<code>{md(row.question_id)}</code> |"
        )
    lines += ["", "## By topic", "", "| topic | answered | right | % right |", "|---|---:|---:|---:|"]
    for row in summary.per_topic.itertuples(index=False):
        lines.append(f"| {md(content.topic_title(row.topic))} | {row.answered} | {row.right} | {_percent(row.percent_right)} |")
    chart = summary.chart()
    lines += ["", f"![{md(chart.title)}: {md(chart.alt)}]({chart_file})", "", f"Chart in words: {md(chart.alt)}", ""]
    if summary.skipped:
        lines += ["## Not counted", "", "Counted once only, so no learner and no answer counts twice:", ""]
        lines += [f"- {md(line)}" for line in summary.skipped]
        lines.append("")
    if summary.notes:
        lines += ["## Check these files", ""]
        lines += [f"- {md(line)}" for line in summary.notes]
        lines.append("")
    return "\n".join(lines)


SUMMARY_FORMS = ("md", "csv", "html", "pdf")


def write_class_summary(
    summary: ClassSummary, folder: Path, form: str | bool = "md", overwrite: bool = False, paper: str = "a4"
) -> list[Path]:
    """Write the summary's files into ``folder`` (made if missing), by ``form``: "md" (class-summary.md), "csv"
    (two tables, UTF-8 with a byte-order mark, no cell that can act as a formula), "html" or "pdf"
    (class-summary.html or .pdf, the chart inside, printed on ``paper``: see :mod:`ivig_content.printable`); and
    the chart as SVG (by-topic.svg). ``True`` and ``False`` mean "md" and "csv".

    Everything is made and checked before the first file is written, and each file is written whole, so a
    refusal leaves nothing half done. Raises ``FileExistsError`` naming the files that exist (unless
    ``overwrite``), ``NotADirectoryError`` when ``folder`` is a file, ``IsADirectoryError`` when a target is a
    folder."""
    if isinstance(form, bool):
        form = "md" if form else "csv"
    if form not in SUMMARY_FORMS:
        raise ValueError(f"format: {form!r} is not one of {', '.join(SUMMARY_FORMS)}")
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder}: is a file, not a folder; give --out a folder for the summary")
    names = ["per-question.csv", "per-topic.csv"] if form == "csv" else [f"class-summary.{form}"]
    targets = [folder / name for name in [*names, "by-topic.svg"]]
    folders = [str(path) for path in targets if path.is_dir()]
    if folders:
        raise IsADirectoryError(f"{', '.join(folders)}: {'is a folder' if len(folders) == 1 else 'are folders'}, "
                                "not a file I can replace; move it away")
    chart = summary.chart()
    # the chart already there, the same (a summary written before in another format), is no conflict
    same_chart = _holds(folder / "by-topic.svg", chart.svg)
    existing = [str(path) for path in targets
                if os.path.lexists(path) and not (path.name == "by-topic.svg" and same_chart)]
    if existing and not overwrite:
        verb = "already exists" if len(existing) == 1 else "already exist"
        raise FileExistsError(f"{', '.join(existing)}: {verb}; use --overwrite to replace "
                              f"{'it' if len(existing) == 1 else 'them'}")
    made: dict[str, str | bytes]
    if form == "csv":
        made = {  # cells come from learners' files: none may act as a formula where the table is opened
            name: BOM + frame.map(spreadsheet_safe).to_csv(index=False, lineterminator="\n")
            for name, frame in (("per-question.csv", summary.per_question), ("per-topic.csv", summary.per_topic))
        }
    elif form == "md":
        made = {"class-summary.md": class_summary_markdown(summary)}
    else:
        from .printable import render

        inline_chart = "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
        made = {f"class-summary.{form}": render(class_summary_markdown(summary, inline_chart), form, "class-summary",
                                                "Class summary: IVIG quiz", paper)}
    made["by-topic.svg"] = chart.svg
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as problem:  # a file where a folder on the way should be, no permission, ...
        raise OSError(f"{folder}: cannot make this folder ({problem.strerror})") from None
    for target in targets:
        if target.name == "by-topic.svg" and same_chart and not overwrite:
            continue
        data = made[target.name]
        write = write_bytes_file if isinstance(data, bytes) else write_text_file
        write(target, data, overwrite=overwrite, how_to_replace="use --overwrite")  # type: ignore[arg-type]
    return targets
