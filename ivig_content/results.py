"""Results files: what a learner saves or downloads from the quiz, and what ``class-summary`` reads back.

A results file has one row per question of the quiz (:data:`RESULT_COLUMNS`). We write it so that any spreadsheet
opens it right: UTF-8 with a byte-order mark (Excel on Windows otherwise shows "JosÃ©"), and no cell that a
spreadsheet could run as a formula (OWASP's rule). We read it back as spreadsheets save it: UTF-8 with or without
the mark, Windows-1252, UTF-16, comma, semicolon or tab between cells, Windows line ends, TRUE/FALSE; anything we
cannot read for certain is refused with one line naming the file, the row and the column, never guessed.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import TEXT_DIRECTION_CONTROLS, one_line, read_limited, write_text_file

# pandas is imported inside the functions that make tables: the command line does not need its half-second import.
if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_RESULTS_BYTES",
    "RESULT_COLUMNS",
    "ResultsError",
    "ResultsFile",
    "clean_learner_name",
    "load_results",
    "read_results_file",
    "results_file_name",
    "results_text",
    "save_results",
    "spreadsheet_safe",
]

RESULT_COLUMNS = (
    "learner",
    "number",
    "questions_in_quiz",
    "question_id",
    "topic",
    "level",
    "kind",
    "prompt",
    "answered",
    "correct",
    "attempts",
    "your_answer",
    "right_answer",
)
RESULT_DTYPES = {"number": "int64", "questions_in_quiz": "int64", "answered": "bool", "correct": "bool",
                 "attempts": "int64"}
# Files saved before the question count was added lack it; they are read, but cannot be checked for a cut end.
_OPTIONAL_COLUMNS = ("questions_in_quiz",)
MAX_RESULTS_BYTES = 4 * 1024 * 1024  # a quiz of 1,000 questions saves about 400 KB
BOM = "\ufeff"


class ResultsError(ValueError):
    """A results file cannot be read for certain; the message is one line naming the file, the row and the column."""

    def __init__(self, message: str):
        super().__init__(one_line(message))


# --- Names -------------------------------------------------------------------------------------------

# The page (cleanLearnerName in frontend/quiz.js) applies the same rule; a browser test compares the two. Control
# characters (C0 and C1) become spaces first, so Python's and JavaScript's whitespace then mean the same, once
# U+FEFF, which JavaScript counts as a space, is added here.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_FORMULA_START = re.compile(r"^[=+\-@\s\ufeff]+")  # spaces too: "= =HYPERLINK(...)" must lose every "="
_EDGE_SPACE = re.compile(r"^[\s\ufeff]+|[\s\ufeff]+$")


def clean_learner_name(name: str | None) -> str:
    """A learner's name as stored in results: no control characters, no text-direction controls (which would show
    the name and what follows it backwards), no leading "=" "+" "-" "@" (so a spreadsheet never reads it as a
    formula), at most 80 characters."""
    if not name:
        return ""
    spaced = _EDGE_SPACE.sub("", _CONTROL.sub(" ", TEXT_DIRECTION_CONTROLS.sub("", name)))
    return _EDGE_SPACE.sub("", _FORMULA_START.sub("", spaced))[:80]


def results_file_name(learner: str | None, when: datetime.datetime | None = None) -> str:
    """A file name for a learner's results, as the quiz's download names it:
    ``ivig-quiz-results-NAME-YYYYMMDD-HHMMSS-XXXXXX.csv``.

    NAME keeps the letters, digits and marks of any script, lower-cased ("Łukasz Żółw" gives "łukasz-żółw", "Иван"
    gives "иван", "निखिल" stays "निखिल"), at most 40 of them; "learner" when there are none. The time is the learner's local time
    (``when``, default now); XXXXXX is random, so 30 files saved in the same second never clash.
    """
    name = unicodedata.normalize("NFC", clean_learner_name(learner)).lower()
    # letters, digits and marks (the vowel signs of Hindi or Tamil are marks) are kept; anything else is a "-"
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else "-" for c in name)
    slug = re.sub("-+", "-", kept).strip("-")[:40] or "learner"
    stamp = (when or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"ivig-quiz-results-{slug}-{stamp}-{secrets.token_hex(3)}.csv"


# --- Writing -----------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will never run as a formula (OWASP's rule for CSV injection): text that starts with
    =, +, -, @, a tab or a carriage return, and is not a plain number such as -5 or +1.5e3, gets a leading
    apostrophe. The quiz page applies the same rule (``spreadsheetSafe`` in ``frontend/quiz.js``)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _unprotected(text: str) -> str:
    """Undo :func:`spreadsheet_safe` on a cell read back, so a prompt "-5 mg?" reads as written."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def results_text(frame: pd.DataFrame, suffix: str) -> str:
    """Results as the text of a ``.csv`` file (with a byte-order mark, formula-safe cells, ``\\n`` line ends) or
    a ``.json`` file (a list of objects, one per row). Raises ``ValueError`` for another suffix."""
    if suffix.lower() == ".csv":
        return BOM + frame.map(spreadsheet_safe).to_csv(index=False, lineterminator="\n")
    if suffix.lower() == ".json":
        return json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f'results are saved as ".csv" or ".json", not "{suffix}"')


def save_results(frame: pd.DataFrame, path: str | os.PathLike[str], learner: str | None = None,
                 overwrite: bool = False) -> Path:
    """Write ``frame`` (:data:`RESULT_COLUMNS`) to ``path``, as CSV or JSON by its suffix; in an existing folder,
    as a new CSV file named by :func:`results_file_name`. Returns the path written.

    Whole or not at all, flushed to disk, and without ``overwrite`` never replacing anything that has the name
    (checked and done in one step): see :func:`ivig_content.files.write_text_file` for the errors raised.
    """
    given = os.fspath(path)
    path = Path(path)
    if path.is_dir():
        path = path / results_file_name(learner)
    elif given.endswith(("/", os.sep)):
        if path.exists():
            raise NotADirectoryError(one_line(f"{path}: is a file, not a folder (to save results in)"))
        raise FileNotFoundError(one_line(f"{path}: no such folder (to save results in); create it first"))
    return write_text_file(path, results_text(frame, path.suffix), overwrite=overwrite)


# --- Reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsFile:
    """One results file as read: its rows (:data:`RESULT_COLUMNS`), the rows skipped because they repeat a
    question already in the file (the first row counts), and a digest of its bytes (to spot the same file twice)."""

    path: Path
    frame: pd.DataFrame
    repeated_rows: int
    digest: str
    encoding: str = "UTF-8"  # or "UTF-16", or "Windows-1252": a guess the summary should tell the instructor about


def load_results(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a results file (as :meth:`QuizSession.save <ivig_content.quiz.QuizSession.save>` writes it, the quiz
    page downloads it, or a spreadsheet saves it again) into a DataFrame of :data:`RESULT_COLUMNS`, one row per
    question: ``learner``, ``question_id``, ``topic``, ``level``, ``kind``, ``prompt``, ``your_answer``,
    ``right_answer`` (text), ``number``, ``questions_in_quiz``, ``attempts`` (whole numbers; ``questions_in_quiz``
    is 0 in files saved before it existed), ``answered``, ``correct`` (true/false). A row that repeats a question is
    dropped (the first counts; :func:`read_results_file` says how many). Raises :class:`ResultsError`.
    """
    return read_results_file(path).frame


def read_results_file(path: str | os.PathLike[str]) -> ResultsFile:
    """Like :func:`load_results`, with how many repeated rows were skipped and a digest of the file's bytes."""
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ResultsError(f'{path}: results are read from ".csv" or ".json" files, not "{path.suffix}"')
    data = read_limited(path, MAX_RESULTS_BYTES, ResultsError, "results file")
    text, encoding = _decoded(path, data)
    rows = _csv_rows(path, text) if suffix == ".csv" else _json_rows(path, text)
    if not rows:
        raise ResultsError(f"{path}: has no rows of results")
    records, seen, repeated = [], set(), 0
    for where, row in rows:
        record = _checked_row(path, where, row)
        if record["question_id"] in seen:
            repeated += 1
            continue
        seen.add(record["question_id"])
        records.append(record)
    _check_complete(path, records)
    frame = pd.DataFrame(records, columns=list(RESULT_COLUMNS)).astype(RESULT_DTYPES)
    return ResultsFile(path, frame, repeated, hashlib.sha256(data).hexdigest(), encoding)


def _decoded(path: Path, data: bytes) -> tuple[str, str]:
    """The file's text, and the encoding it was read in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16 with a mark
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ResultsError(f"{path}: is not readable UTF-16 text") from None
    if b"\x00" in data:
        raise ResultsError(f"{path}: holds NUL bytes, so it is not UTF-8 text (Excel's \"Unicode text\" without its "
                           "mark?); save it again as CSV UTF-8")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # A spreadsheet on Windows saves "CSV" in the computer's own code page: Windows-1252 in Western Europe and the
    # Americas, but 1250 in Poland, 1251 in Russia, ... The bytes do not say which. Read Windows-1252 only where
    # it gives Western text; a sign of another code page ("£ukasz" for "Łukasz", "Èâàí" for "Иван") is refused.
    # Some signs cannot be seen ("Jiøí" is Danish-looking Czech), so the summary names each file read this way.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    odd = _NOT_WESTERN.search(text) if text is not None else None
    if text is None or odd:
        shown = f' (read as Windows-1252 it says "{odd.group().strip()}")' if odd else ""
        raise ResultsError(f"{path}: is not UTF-8 text, and not Western European Windows text either{shown}; save it "
                           "again as CSV UTF-8 (in Excel: Save As, CSV UTF-8)")
    return text, "Windows-1252"


# In Windows-1252 text, a sign that the bytes were written in another code page: a symbol that names and
# answers do not use, or a word of three or more letters none of which is an ASCII letter.
_NOT_WESTERN = re.compile(
    "[\u00a2\u00a3\u00a4\u00a5\u00a6\u00a8\u00ac\u00af\u00b3\u00b4\u00b8\u00b9\u00bc\u00bd\u00be\u00d7\u00f7"
    "\u0192\u02c6\u02dc\u201a\u2020\u2021\u2030\u2122]"  # ¢£¤¥¦¨¬¯³´¸¹¼½¾×÷ƒˆ˜‚†‡‰™
    "|(?<=[^\\W\\d_])\u00bf"  # ¿ inside a word: "Ró¿a" for "Róża"; Spanish puts it before a word
    "|\\b[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]{3,}\\b"
)


def _csv_rows(path: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    """(where, {column: cell}) for each row that is not blank; the separator is found from the header."""
    header_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""

    def names(separator: str) -> set[str]:  # the header's cells, quoted or not ("learner";"number";...)
        return {cell.strip() for cell in next(csv.reader([header_line], delimiter=separator), [])}

    separator = next((sep for sep in (",", ";", "\t") if {"learner", "question_id"} <= names(sep)), None)
    if separator is None:
        raise ResultsError(f"{path}: not a results file (its first line does not name the columns "
                           f"learner, question_id, ...)")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=separator, strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
        _check_columns(path, header)
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or ";;;;" that a spreadsheet adds
            where = f"row {reader.line_num}"
            if len(cells) != len(header):
                raise ResultsError(f"{path}: {where}: has {len(cells)} cells, but the header has {len(header)}")
            rows.append((where, dict(zip(header, cells))))
    except csv.Error as problem:
        raise ResultsError(f"{path}: row {reader.line_num}: is not valid CSV ({problem})") from None
    return rows


def _json_rows(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        document = json.loads(text, object_pairs_hook=_marking_repeated_keys)
    except (json.JSONDecodeError, RecursionError, ValueError) as problem:
        raise ResultsError(f"{path}: is not valid JSON ({str(problem)[:200]})") from None
    if not isinstance(document, list):
        raise ResultsError(f"{path}: must hold a list of rows (one object per question), not {_kind(document)}")
    rows = []
    for number, row in enumerate(document, start=1):
        if not isinstance(row, dict):
            raise ResultsError(f"{path}: item {number}: is {_kind(row)}, not a row of results (an object with "
                               f"the columns learner, question_id, ...)")
        if _REPEATED in row:  # JSON would keep the last of two "correct" keys: the numbers could change
            raise ResultsError(f'{path}: item {number}: the key "{row[_REPEATED]}" appears twice')
        _check_columns(path, list(row), f"item {number}: ")
        rows.append((f"item {number}", row))
    return rows


_REPEATED = "\x00repeated"  # JSON text cannot hold a raw NUL (refused before), so no row has this key


def _marking_repeated_keys(pairs: list[tuple[str, Any]]) -> dict:
    mapping: dict = {}
    for key, value in pairs:
        if key in mapping:
            mapping.setdefault(_REPEATED, key)
        mapping[key] = value
    return mapping


def _check_columns(path: Path, names: list[str], where: str = "") -> None:
    missing = [column for column in RESULT_COLUMNS if column not in names and column not in _OPTIONAL_COLUMNS]
    if missing:
        raise ResultsError(f"{path}: {where}not a results file (missing columns: {', '.join(missing)})")


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return {dict: "an object", list: "a list", str: "a text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


_BOOLEANS = {"true": True, "false": False}


def _checked_row(path: Path, where: str, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values as their types, read strictly: a value that is not for certain what its column holds is
    an error, never a guess (pandas would read the text "false" as true)."""
    record: dict[str, Any] = {}
    for column in RESULT_COLUMNS:
        value = row.get(column, 0 if column in _OPTIONAL_COLUMNS else None)
        kind = RESULT_DTYPES.get(column, "str")
        if kind == "bool":
            if isinstance(value, bool):
                record[column] = value
            elif isinstance(value, str) and value.strip().lower() in _BOOLEANS:
                record[column] = _BOOLEANS[value.strip().lower()]
            else:
                raise ResultsError(f'{path}: {where}: "{column}" must be true or false, not {_shown(value)}')
        elif kind == "int64":
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
                record[column] = value
            elif isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
                record[column] = int(value)
            else:
                raise ResultsError(f'{path}: {where}: "{column}" must be a whole number, not {_shown(value)}')
        else:
            if not isinstance(value, str):
                raise ResultsError(f'{path}: {where}: "{column}" must be text, not {_shown(value)}')
            half = re.search("[\ud800-\udfff]", value)
            if half:  # JSON's "\ud800": half a character, which no file we write could hold
                raise ResultsError(f'{path}: {where}: "{column}" holds {half.group()!r}, half of a character')
            record[column] = _unprotected(value)
    if record["correct"] and not record["answered"]:
        raise ResultsError(f'{path}: {where}: "correct" is true but "answered" is false')
    if not record["question_id"].strip():
        raise ResultsError(f'{path}: {where}: "question_id" is empty')
    return record


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value[:60]) if value.strip() else "an empty cell"
    return _kind(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else repr(value)


def _check_complete(path: Path, records: list[dict[str, Any]]) -> None:
    """Every row says how many questions the quiz had; a file with fewer was cut short (or mixes quizzes)."""
    counts = {record["questions_in_quiz"] for record in records}
    if counts == {0}:
        return  # saved before the count existed: nothing to check against
    if len(counts) > 1:
        raise ResultsError(f'{path}: rows disagree on "questions_in_quiz" ({", ".join(map(str, sorted(counts)))}): '
                           "rows from different quizzes")
    total = counts.pop()
    if len(records) != total:
        rows = f"{len(records)} question{'s' if len(records) != 1 else ''}"
        raise ResultsError(f"{path}: has rows for {rows}, but the quiz had {total}: the file was cut short or "
                           "edited; ask the learner to download it again")
