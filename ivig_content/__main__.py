"""The command line: ``ivig-teaching COMMAND``, or ``python -m ivig_content COMMAND``. See ``ivig-teaching --help``.

No command prints a Python traceback: a problem is one line that names the file and what is wrong, and the
exit code is 1 (2 for a command line that is not understood).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from . import __version__
from .banks import BankError, BankWarning, builtin_bank, load_bank
from .files import one_line, write_text_file


def _validate(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BankWarning)
            try:
                questions = load_bank(name)
            except BankError as problem:
                print(f"FAIL  {problem}")
                status = 1
                continue
            except Exception as problem:  # noqa: BLE001 - a command for instructors never shows a traceback
                print(f"FAIL  {one_line(f'{name}: could not be read ({type(problem).__name__}: {problem})')}")
                status = 1
                continue
        notes = [str(warning.message) for warning in caught if issubclass(warning.category, BankWarning)]
        count = len(questions)
        if notes and args.strict:
            print(f"FAIL  {one_line(name)}: {len(notes)} warning{'s' if len(notes) != 1 else ''}, and --strict makes "
                  "warnings failures")
            status = 1
        else:
            print(f"OK  {one_line(name)}: {count} question{'s' if count != 1 else ''}")
        for note in notes:
            print(f"WARN  {note}")
    return status


def _bank(name: str | None):
    return builtin_bank() if name is None else load_bank(name)


def _write(text: str, out: str | None, overwrite: bool) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    print(f"wrote {write_text_file(out, text, overwrite=overwrite, how_to_replace='use --overwrite')}")


def _answer_key(args: argparse.Namespace) -> int:
    from .instructors import answer_key_markdown

    title = "the built-in quiz" if args.bank is None else Path(args.bank).name
    questions = _bank(args.bank)
    _write_document(answer_key_markdown(questions, title, _core_ids(args.bank)), "answer-key", f"Answer key: {title}",
                    args)
    return 0


def _write_document(markdown: str, document: str, title: str, args: argparse.Namespace) -> None:
    """Write ``markdown`` as ``args.format`` (md, html or pdf) to ``args.out``, or print it (not a PDF)."""
    from .files import write_bytes_file
    from .printable import render

    if args.format == "pdf":
        if args.out is None:
            raise ValueError("--format pdf needs --out FILE.pdf (a PDF is not printed to the terminal)")
        if not args.overwrite and os.path.lexists(args.out):  # before the browser's second or two of work
            raise FileExistsError(f"{args.out}: already exists; use --overwrite to replace it")
    made = render(markdown, args.format, document, title, args.paper)
    if isinstance(made, bytes):
        print(f"wrote {write_bytes_file(args.out, made, overwrite=args.overwrite, how_to_replace='use --overwrite')}")
    else:
        _write(made, args.out, args.overwrite)


def _core_ids(name: str | None) -> list[str]:
    """The ids of a bank's core quiz (the built-in one's when ``name`` is None); [] for a bank without one."""
    if name is None:
        return [question.id for question in builtin_bank(core=True)]
    try:
        return [question.id for question in load_bank(name, core=True)]
    except BankError:  # the bank was read already, so the only problem left is that it has no core list
        return []


def _review_sheet(args: argparse.Namespace) -> int:
    from .instructors import review_sheet_markdown

    _write_document(review_sheet_markdown(builtin_bank(), _core_ids(None)), "review-sheet",
                    "Content review sheet: ivig-teaching", args)
    return 0


def _class_summary(args: argparse.Namespace) -> int:
    from .instructors import class_summary, write_class_summary

    summary = class_summary(args.results)
    form = "md" if args.format == "markdown" else args.format
    written = write_class_summary(summary, Path(args.out), form, args.overwrite, args.paper)
    for line in summary.skipped:
        print(f"skipped  {one_line(line)}")
    for line in summary.notes:
        print(f"note  {one_line(line)}")
    print(f"counted  {summary.files} file{'s' if summary.files != 1 else ''}")
    for path in written:
        print(f"wrote {path}")
    return 0


def _handout(args: argparse.Namespace) -> int:
    from .printable import handout_markdown, lesson_notebooks

    notebooks = lesson_notebooks(args.notebooks)
    _write_document(handout_markdown(notebooks, pictures=args.format != "md"), "handout",
                    "The IVIG lesson: handout", args)
    return 0


def _quiz_page(args: argparse.Namespace) -> int:
    from .quiz_page import write_quiz_page

    if args.bank is None:
        questions = builtin_bank(core=not args.all)
    elif args.all or not _core_ids(args.bank):
        questions = load_bank(args.bank)
    else:
        questions = load_bank(args.bank, core=True)
    title = args.title or _quiz_title(args.bank)
    path = write_quiz_page(args.out, questions, seed=args.seed, exam=args.exam, title=title, overwrite=args.overwrite)
    count = len(questions)
    print(f"wrote {path}: {count} question{'s' if count != 1 else ''}{' (exam)' if args.exam else ''}; "
          "open it in any browser, or put it on any web server. It holds the answer key: for practice, not grading.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from . import DISCLAIMER
    from .files import write_bytes_file
    from .lms_export import SUFFIXES, export_bank

    questions = _bank(args.bank)
    title = args.title or _quiz_title(args.bank)
    try:
        data = export_bank(questions, args.format, title, DISCLAIMER if args.bank is None else "")
    except ValueError as problem:  # a question the format cannot hold: say which bank it is in
        raise ValueError(f"{args.bank or 'the built-in bank'}: {problem}") from None
    out = args.out or f"quiz-{args.format}{SUFFIXES[args.format]}"
    path = write_bytes_file(out, data, overwrite=args.overwrite, how_to_replace="use --overwrite")
    count = len(questions)
    print(f"wrote {one_line(str(path))}: {count} question{'s' if count != 1 else ''}, {len(data)} bytes; "
          f"import it in {_IMPORT_WHERE[args.format]}")
    if path.suffix.lower() != SUFFIXES[args.format]:
        print(f"note  {args.format} files are named *{SUFFIXES[args.format]}: an LMS may refuse {one_line(path.name)}")
    return 0


_IMPORT_WHERE = {
    "qti": "Canvas (Settings > Import Course Content > QTI .zip file); see instructors/guide.md for Blackboard",
    "moodle": "Moodle (Question bank > Import > Moodle XML format)",
    "gift": "Moodle (Question bank > Import > GIFT format)",
}


def _quiz_title(bank: str | None) -> str:
    """A quiz's title: the bank's own ``title``, else "Quiz: " and its file name; "IVIG quiz" for the built-in."""
    if bank is None:
        return "IVIG quiz"
    from .banks import bank_title

    return bank_title(bank) or f"Quiz: {Path(bank).stem}"


def _hub_link(args: argparse.Namespace) -> int:
    from .hub import hub_link

    print(hub_link(args.hub, args.repo, args.branch))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_program_name(),
        description="Tools for the IVIG teaching notebooks. For education only: IVIG must only be used under the "
        "guidance of a healthcare provider.",
    )
    parser.add_argument("--version", action="version", version=f"ivig-teaching {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_lesson_commands(commands)

    validate = commands.add_parser(
        "validate",
        help="check question bank files (our YAML/JSON format, or jupyterquiz JSON)",
        description="Check question bank files. Prints one line per file: 'OK  FILE: N questions' or "
        "'FAIL  ' and what is wrong (file, question, field), then a 'WARN  ' line for anything that loads but may not "
        "say what its author meant. Exits 0 when every file is valid, 1 otherwise (with --strict, also for warnings).",
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--strict", action="store_true",
                          help="treat warnings (WARN lines, e.g. a YAML comment that may have cut a text) as failures")
    validate.set_defaults(run=_validate)

    key = commands.add_parser(
        "answer-key",
        help="write the answer key of a bank (the built-in one by default): Markdown, HTML or PDF",
        description="Write an answer key: every question, its choices with the right ones marked, feedback, "
        "explanation and source. Prints it, or writes it to --out; as Markdown, or as a page to print (--format html "
        "or pdf).",
    )
    key.add_argument("bank", nargs="?", metavar="BANK", help="a question bank file (default: the built-in bank)")
    key.set_defaults(run=_answer_key)

    sheet = commands.add_parser(
        "review-sheet",
        help="write the content review sheet (every fact and question beside its sources): Markdown, HTML or PDF",
        description="Write a sheet for a clinical reviewer: every fact and every built-in question beside its "
        "sources, with boxes to tick, a notes column, and a sign-off block (printed on one page). Prints it, or "
        "writes it to --out.",
    )
    sheet.set_defaults(run=_review_sheet)

    handout = commands.add_parser(
        "handout",
        help="write the lesson for print: its text, tables and the diagrams in words, without code",
        description="Write the lesson's notebooks as one document to read or print: their text, their tables, "
        "and each diagram's title and description in words; no code, no navigation links. The interactive parts "
        "(the condition explorer, the quiz) are named where they stand. Prints it, or writes it to --out.",
    )
    handout.add_argument("--notebooks", metavar="FOLDER",
                         help="the folder of the lesson's notebooks (default: the lesson's own, from the wheel or this clone)")
    handout.set_defaults(run=_handout)

    printing = "the paper for --format html and pdf (default: a4)"
    for command in (key, sheet, handout):
        command.add_argument("--format", choices=["md", "html", "pdf"], default="md",
                             help="md: Markdown (the default); html: one page to read or print from any browser; "
                             "pdf: that page printed by Chromium or Chrome (needs --out)")
        command.add_argument("--paper", choices=["a4", "letter"], default="a4", help=printing)
        command.add_argument("--out", metavar="FILE", help="write to this file instead of printing")
        command.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")

    summary = commands.add_parser(
        "class-summary",
        help="summarise learners' results files: per question, per topic, and a chart",
        description="Read the learners' results files (CSV or JSON, as downloaded from the quiz) and write what "
        "the class got right at the first try: per question (hardest first) and per topic, as Markdown "
        "(class-summary.md), a page to print (class-summary.html or .pdf) or CSV (per-question.csv, "
        "per-topic.csv), and a chart (by-topic.svg).",
    )
    summary.add_argument("results", nargs="+", metavar="RESULTS")
    summary.add_argument("--out", default="class-summary", metavar="FOLDER", help="where to write (default: class-summary)")
    summary.add_argument("--format", choices=["md", "markdown", "html", "pdf", "csv"], default="md",
                         help="md (the default; 'markdown' works too), html or pdf to print, or csv tables")
    summary.add_argument("--paper", choices=["a4", "letter"], default="a4", help=printing)
    summary.add_argument("--overwrite", action="store_true", help="replace files written before")
    summary.set_defaults(run=_class_summary)

    page = commands.add_parser(
        "quiz-page",
        help="write a quiz as one web page that needs no Python (works offline, from disk or any web server)",
        description="Write a quiz as one self-contained HTML file: the quiz, the bank and the disclaimer inlined, "
        "no request off the machine. Learners open it in any browser (also from disk), and download their results "
        "as the same CSV as the notebook quiz's. The page checks answers itself, so it holds the answer key: use "
        "it for practice; a graded test belongs in your learning management system.",
    )
    page.add_argument("bank", nargs="?", metavar="BANK", help="a question bank file (default: the built-in bank)")
    page.add_argument("--out", default="quiz.html", metavar="FILE", help="the page to write (default: quiz.html)")
    page.add_argument("--exam", action="store_true", help="no feedback until the learner submits the whole quiz")
    page.add_argument("--all", action="store_true", help="every question of the bank, not only its core quiz")
    page.add_argument("--seed", type=int, default=0, metavar="N", help="fixes the order of questions and choices (default: 0)")
    page.add_argument("--title", metavar="TEXT", help="the page's title (default: the bank's title, or Quiz: and its file name)")
    page.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    page.set_defaults(run=_quiz_page)

    export = commands.add_parser(
        "export",
        help="export a bank (the built-in one by default) for an LMS: QTI 1.2 (Canvas, Blackboard), Moodle XML or GIFT",
        description="Write a question bank as a file that a learning management system imports: --format qti, a "
        "QTI 1.2 .zip for Canvas (and Blackboard); moodle, Moodle XML; gift, GIFT (Moodle). Every question with its "
        "choices, right answers, per-choice feedback, and the explanation and source as general feedback.",
    )
    export.add_argument("bank", nargs="?", metavar="BANK", help="a question bank file (default: the whole built-in bank)")
    export.add_argument("--format", required=True, choices=["qti", "moodle", "gift"], help="the file's format")
    export.add_argument("--out", metavar="FILE",
                        help="the file to write (default: quiz-qti.zip, quiz-moodle.xml or quiz-gift.txt)")
    export.add_argument("--title", metavar="TEXT", help="the quiz's title in QTI (default: IVIG quiz, or Quiz: and the bank's file name)")
    export.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    export.set_defaults(run=_export)

    link = commands.add_parser(
        "hub-link",
        help="print the link that gives each learner their own copy of the lesson on a JupyterHub",
        description="Print the nbgitpuller link for a class on JupyterHub. A learner who opens it logs in, gets "
        "their own copy of the lesson's repository (an earlier copy is brought up to date, keeping their changes) "
        "and lands on notebooks/00-start-here.ipynb. The hub needs nbgitpuller (deploy/jupyterhub does).",
    )
    link.add_argument("--hub", required=True, metavar="URL", help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--repo", metavar="URL",
                      help="the lesson's git repository (default: the Repository URL in pyproject.toml)")
    link.add_argument("--branch", default="main", metavar="NAME", help="the branch to copy (default: main)")
    link.set_defaults(run=_hub_link)
    return parser


def main(argv: list[str] | None = None) -> int:
    # A console that cannot show a character (Windows' cp1252 and "Łukasz") gets \u0141 instead of a crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _run(argv)
    except BrokenPipeError:
        # `validate *.yaml | head`: the reader has gone; stop quietly, as Unix tools do (Python's own recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _run(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "validate":
        return args.run(args)
    # A bank's warnings (validate prints them itself) as WARN lines on stderr, each once, never Python's own
    # warning text: stdout may be the answer key itself.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BankWarning)
        try:
            status = args.run(args)
        except BrokenPipeError:
            raise
        except (BankError, ValueError, OSError) as problem:
            print(f"FAIL  {one_line(str(problem))}")
            status = 1
        except Exception as problem:  # noqa: BLE001 - never a traceback
            print(f"FAIL  {one_line(f'{type(problem).__name__}: {problem}')}")
            status = 1
    for note in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, BankWarning)):
        print(f"WARN  {note}", file=sys.stderr)
    return status


# --- The lesson from the package: lesson, lab, quiz-app (ivig_content/lesson.py) --------------------------------


def _program_name() -> str:
    """How the user ran these commands, for usage lines and hints: ``ivig-teaching`` (the console script, or
    whatever name it has) or ``python -m ivig_content``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if not name or name.endswith(".py") or name == "-c":
        return "python -m ivig_content"
    return name.removesuffix(".exe")


def _lesson(args: argparse.Namespace) -> int:
    from .lesson import copy_lesson, copy_report, next_step

    copy = copy_lesson(args.folder, overwrite=args.overwrite)
    for line in copy_report(copy, _program_name()):
        print(line)
    print(next_step(copy, _program_name()))
    return 0


def _lab(args: argparse.Namespace) -> int:
    from .lesson import open_lab

    return open_lab(args.folder, args.port, open_browser=not args.no_browser, program=_program_name())


def _quiz_app(args: argparse.Namespace) -> int:
    from .lesson import serve_quiz_app

    if args.all and args.bank is None:
        raise ValueError("--all goes with --bank: the built-in quiz offers \"Practise all\" at its end itself")
    return serve_quiz_app(args.bank, room=args.room, port=args.port, open_browser=not args.no_browser,
                          all_questions=args.all)


def _add_lesson_commands(commands) -> None:
    from .lesson import DEFAULT_FOLDER, LAB_EXTRA, START_NOTEBOOK

    lesson = commands.add_parser(
        "lesson",
        help=f"copy the lesson (notebooks, explorer app, instructor guides) into a folder (default: {DEFAULT_FOLDER})",
        description="Copy the lesson into FOLDER: notebooks/, apps/ (the explorer app and the web apps' settings) and "
        "instructors/ (the guides, the answer key, the review sheet). Files already there are kept if they differ "
        "(a learner's edited notebook), and the command says which; --overwrite replaces them with the lesson's.",
    )
    lesson.add_argument("folder", nargs="?", default=DEFAULT_FOLDER, metavar="FOLDER",
                        help=f"where to copy the lesson (default: {DEFAULT_FOLDER}, made if missing)")
    lesson.add_argument("--overwrite", action="store_true", help="replace files you changed with the lesson's")
    lesson.set_defaults(run=_lesson)

    lab = commands.add_parser(
        "lab",
        help=f"open the lesson in JupyterLab on {START_NOTEBOOK} (copying it first if needed)",
        description=f"Copy the lesson into FOLDER where files are missing (never replacing yours), then open it in "
        f"JupyterLab on {START_NOTEBOOK}, showing FOLDER only, without JupyterLab's news pop-up (its settings "
        f"are kept in FOLDER/.jupyter). Stop it with Ctrl + C. Needs JupyterLab: {LAB_EXTRA}",
    )
    lab.add_argument("folder", nargs="?", default=DEFAULT_FOLDER, metavar="FOLDER",
                     help=f"the lesson folder (default: {DEFAULT_FOLDER})")
    quiz = commands.add_parser(
        "quiz-app",
        help="serve the quiz (the built-in one, or your bank) as a web app with no code, as `make quiz-app` does",
        description="Serve the quiz as a web app (Voila) that shows no code: the built-in quiz, or a question bank "
        "of yours (checked first; its core quiz if it has one). Only this computer can open it, at "
        "http://127.0.0.1:8866, unless --room. Stop it with Ctrl + C. Needs Voila: " + LAB_EXTRA,
    )
    quiz.add_argument("--bank", metavar="FILE", help="a question bank file (default: the built-in quiz)")
    quiz.add_argument("--all", action="store_true", help="with --bank: every question of it, not only its core quiz")
    quiz.add_argument("--room", action="store_true",
                      help="for a classroom: listen on the network, with a new token, and print the link to share")
    lab.add_argument("--port", type=int, metavar="N", help="the port (default: 8888, or the next free one)")
    quiz.add_argument("--port", type=int, metavar="N", help="the port (default: 8866)")
    for command in (lab, quiz):
        command.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.set_defaults(run=_lab)
    quiz.set_defaults(run=_quiz_app)


if __name__ == "__main__":
    sys.exit(main())
