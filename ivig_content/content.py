"""Load the lesson's facts from the data files, check them, and serve them as records and DataFrames.

Data flows one way: data files -> :func:`load_content` (validates, builds records) -> the DataFrame
functions. The packaged content is loaded once and cached; every DataFrame is built fresh on each call, so a
caller may change its copy freely.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .records import BedsideCheck, Case, Condition, ContentReview, Fact, GlossaryTerm, SeedPart, Source, Use

# pandas is imported inside the functions that make tables: checking answers and the command line do not need
# its half-second import.
if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BEDSIDE_COLUMNS",
    "CLOSER_LOOK_COLUMNS",
    "CONDITION_COLUMNS",
    "ContentError",
    "DISCLAIMER",
    "FACT_COLUMNS",
    "GLOSSARY_COLUMNS",
    "LEVELS",
    "LessonContent",
    "STAGES",
    "TOPICS",
    "TOPIC_TITLES",
    "USE_COLUMNS",
    "bedside_checks",
    "bedside_frame",
    "cases",
    "closer_looks_for",
    "closer_looks_frame",
    "conditions",
    "conditions_frame",
    "content_review",
    "facts",
    "facts_frame",
    "glossary",
    "glossary_frame",
    "glossary_terms_in",
    "load_content",
    "seed_parts",
    "sources",
    "topic_title",
    "uses",
    "uses_frame",
]

DISCLAIMER = (
    "For education only, not medical advice. IVIG must only be used under the guidance of a "
    "healthcare provider, who can assess the specific needs of each person."
)

# Topic ids, in the lesson's order, with the titles learners see (a learner never reads "closer-look").
TOPIC_TITLES = {
    "overview": "What IVIG is",
    "mechanism": "How IVIG works",
    "conditions": "Conditions treated",
    "administration": "How IVIG is given",
    "safety": "Safety and monitoring",
    "bedside": "At the bedside",
    "cases": "Case scenarios",
    "examples": "Examples",
    "misconceptions": "Common misconceptions",
    "closer-look": "A closer look",
}
TOPICS = tuple(TOPIC_TITLES)
LEVELS = ("seed", "extended")
STAGES = ("before", "during", "after")

FACT_COLUMNS = ("id", "topic", "level", "statement", "source", "closer_look", "closer_look_source")
CONDITION_COLUMNS = ("condition", "description", "caveat", "example_uses", "also_fitting_uses", "source")
USE_COLUMNS = ("use", "condition", "also_fits", "us_status", "detail", "source")
CLOSER_LOOK_COLUMNS = ("the_seed_says", "a_closer_look", "source")
GLOSSARY_COLUMNS = ("term", "definition", "source")
BEDSIDE_COLUMNS = ("stage", "check", "guards_against", "source")

SEED_FILE = "seed.txt"
SOURCES_FILE = "sources.toml"
FACTS_FILE = "facts.toml"
CONDITIONS_FILE = "conditions.toml"
USES_FILE = "uses.toml"
REVIEW_FILE = "review.toml"
GLOSSARY_FILE = "glossary.toml"
BEDSIDE_FILE = "bedside.toml"
CASES_FILE = "cases.toml"

_ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SEED_SOURCE = "seed"


class ContentError(ValueError):
    """A data file of the lesson content is missing or wrong; the message names the file, item and field."""


@dataclass(frozen=True, slots=True)
class LessonContent:
    """Everything loaded from one data folder, checked and cross-linked."""

    sources: tuple[Source, ...]
    seed_parts: tuple[SeedPart, ...]
    facts: tuple[Fact, ...]
    conditions: tuple[Condition, ...]
    uses: tuple[Use, ...]
    review: ContentReview
    glossary: tuple[GlossaryTerm, ...]
    bedside_checks: tuple[BedsideCheck, ...]
    cases: tuple[Case, ...]


# --- Reading and checking the data files -------------------------------------------------------------

_TEXT = "text"  # a non-empty string
_TEXT_LIST = "list of texts"  # a list of non-empty strings
_BOOL = "true or false"


@dataclass(frozen=True, slots=True)
class _Item:
    """One [[table]] of a data file, remembered with where it came from so errors can say so."""

    file: str
    kind: str
    number: int  # 1-based, as a person counts
    fields: dict[str, Any]

    def where(self) -> str:
        item_id = self.fields.get("id") or self.fields.get("key")
        name = f' (id "{item_id}")' if isinstance(item_id, str) and item_id else ""
        return f"{self.file}: {self.kind} {self.number}{name}"

    def error(self, field: str, problem: str) -> ContentError:
        return ContentError(f'{self.where()}: "{field}" {problem}')


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(f"{path}: the file is missing") from None
    except IsADirectoryError:
        raise ContentError(f"{path}: is a folder, not a file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: is not UTF-8 text (bad byte at position {exc.start})") from None


def _read_items(
    path: Path, kind: str, required: dict[str, str], optional: dict[str, str]
) -> list[_Item]:
    """Parse a TOML file of ``[[kind]]`` tables and check each table's keys and value types.

    ``required`` and ``optional`` map field names to one of three types: this is already a schema, in 30 lines,
    and its messages say "is empty" or 'did you mean "sources"?'. The JSON Schema used for question banks
    (:mod:`ivig_content.banks`) would need the same lines again to turn its errors into these messages, so the
    content's own files keep this shorter form."""
    try:
        document = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: is not valid TOML: {exc}") from None
    extra = sorted(set(document) - {kind})
    if extra:
        raise ContentError(f'{path}: unknown top-level key "{extra[0]}" (expected only [[{kind}]] tables)')
    tables = document.get(kind)
    if not isinstance(tables, list) or not tables:
        raise ContentError(f"{path}: has no [[{kind}]] tables")

    items = []
    known = {**required, **optional}
    for number, fields in enumerate(tables, start=1):
        item = _Item(str(path), kind, number, fields)
        for key in fields:
            if key not in known:
                import difflib  # only a mistake needs it: keep it out of every import

                close = difflib.get_close_matches(key, known, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise item.error(key, f"is not a known field{hint}")
        for key in required:
            if key not in fields:
                raise item.error(key, "is missing")
        for key, value in fields.items():
            _check_type(item, key, value, known[key])
        items.append(item)
    return items


def _check_type(item: _Item, field: str, value: Any, expected: str) -> None:
    if expected == _TEXT:
        if not isinstance(value, str):
            raise item.error(field, f"must be text, not {type(value).__name__}")
        if not value.strip():
            raise item.error(field, "is empty")
    elif expected == _BOOL:
        if not isinstance(value, bool):
            raise item.error(field, f"must be true or false, not {type(value).__name__}")
    elif expected == _TEXT_LIST:
        if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
            raise item.error(field, "must be a list of texts")
        if any(not entry.strip() for entry in value):
            raise item.error(field, "has an empty entry")
        if len(set(value)) != len(value):
            raise item.error(field, "names the same entry twice")


def _check_id(item: _Item, seen: dict[str, str], id_: str) -> None:
    """Ids are shared by all facts (hand-written and derived), so a clash anywhere is an error."""
    if not _ID_PATTERN.match(id_):
        raise item.error("id", "must be lower-case letters and digits joined by single hyphens")
    if id_ in seen:
        raise item.error("id", f"is already used by {seen[id_]}")
    seen[id_] = item.where()


def _check_choice(item: _Item, field: str, value: str, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise item.error(field, f'is "{value}", which is not one of: {", ".join(allowed)}')


def _resolve_sources(item: _Item, by_key: dict[str, Source]) -> tuple[Source, ...]:
    keys = item.fields["sources"]
    if not keys:
        raise item.error("sources", "is empty: every fact needs a source")
    for key in keys:
        if key not in by_key:
            raise item.error("sources", f'names "{key}", which is not in {SOURCES_FILE}')
    return tuple(by_key[key] for key in keys)


def _check_seed_quote(item: _Item, level: str, part_texts: set[str]) -> str | None:
    quote = item.fields.get("seed_quote")
    if level == "seed" and quote is None:
        raise item.error("seed_quote", "is missing: a seed fact must quote the part of the seed it comes from")
    if level != "seed" and quote is not None:
        raise item.error("seed_quote", "is only for seed facts")
    if quote is not None and quote not in part_texts:
        raise item.error("seed_quote", f"is not a sentence, bullet or table row of {SEED_FILE}")
    return quote


def _check_level_sources(item: _Item, level: str, cited: tuple[Source, ...]) -> None:
    cites_seed = any(source.key == _SEED_SOURCE for source in cited)
    if level == "seed" and not cites_seed:
        raise item.error("sources", f'must include "{_SEED_SOURCE}" for a seed fact')
    if level != "seed" and cites_seed:
        raise item.error("sources", f'cites "{_SEED_SOURCE}", but the fact is not seed level')


# --- The seed text -----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def parse_seed(text: str) -> tuple[SeedPart, ...]:
    """Split the seed text into its parts: each sentence of a paragraph, each bullet, each table row.

    A line with no closing punctuation is a heading: it names the section of the parts below it. A table's
    first line is its header and its second the separator; neither is a fact.
    """
    parts: list[SeedPart] = []
    section = "Introduction"
    table_line = 0
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        if "|" in line:
            table_line += 1
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if table_line > 2:  # skip the header row and the ---|--- separator
                parts.append(SeedPart(len(parts) + 1, section, "table row", " | ".join(cells)))
            continue
        table_line = 0
        if line.startswith("- "):
            parts.append(SeedPart(len(parts) + 1, section, "bullet", line[2:].strip()))
        elif line[-1] in ".:!?":
            for sentence in _SENTENCE_END.split(line):
                parts.append(SeedPart(len(parts) + 1, section, "sentence", sentence))
        else:
            section = line
    return tuple(parts)


# --- Loading -----------------------------------------------------------------------------------------


def load_content(data_dir: Path | str | None = None) -> LessonContent:
    """Load and check the content data files in ``data_dir`` (the packaged data by default).

    Raises :class:`ContentError`, naming the file, the item (number and id) and the field, for: a missing
    or unreadable file, invalid TOML, an unknown or missing field, a value of the wrong type, an empty
    statement or source, a duplicate id, an unknown topic, level, source or group, and a seed quote that is
    not in the seed text.
    """
    folder = Path(data_dir) if data_dir is not None else _packaged_data_dir()

    source_items = _read_items(
        folder / SOURCES_FILE, "source", {"key": _TEXT, "citation": _TEXT}, {"review_note": _TEXT}
    )
    by_key: dict[str, Source] = {}
    for item in source_items:
        key = item.fields["key"]
        if key in by_key:
            raise item.error("key", "is already used by another source")
        by_key[key] = Source(key, item.fields["citation"].strip(), item.fields.get("review_note", "").strip())

    seed_path = folder / SEED_FILE
    parts = parse_seed(_read_text(seed_path))
    if not parts:
        raise ContentError(f"{seed_path}: has no sentences, bullets or table rows")
    part_texts = {part.text for part in parts}

    seen_ids: dict[str, str] = {}
    fact_items = _read_items(
        folder / FACTS_FILE,
        "fact",
        {"id": _TEXT, "topic": _TEXT, "level": _TEXT, "statement": _TEXT, "sources": _TEXT_LIST},
        {"seed_quote": _TEXT, "refines": _TEXT_LIST},
    )
    hand_facts = []
    for item in fact_items:
        fields = item.fields
        _check_id(item, seen_ids, fields["id"])
        _check_choice(item, "topic", fields["topic"], TOPICS)
        _check_choice(item, "level", fields["level"], LEVELS)
        cited = _resolve_sources(item, by_key)
        _check_level_sources(item, fields["level"], cited)
        quote = _check_seed_quote(item, fields["level"], part_texts)
        refines = tuple(fields.get("refines", ()))
        if (fields["topic"] == "closer-look") != bool(refines):
            raise item.error("refines", 'is required for, and only for, "closer-look" facts')
        hand_facts.append(
            Fact(fields["id"], fields["topic"], fields["level"], fields["statement"].strip(), cited, quote, refines)
        )

    condition_items = _read_items(
        folder / CONDITIONS_FILE,
        "condition",
        {
            "id": _TEXT,
            "name": _TEXT,
            "description": _TEXT,
            "sources": _TEXT_LIST,
            "seed_quote": _TEXT,
            "how_ivig_helps": _TEXT_LIST,
        },
        {"caveat": _TEXT},
    )
    use_items = _read_items(
        folder / USES_FILE,
        "use",
        {
            "id": _TEXT,
            "name": _TEXT,
            "condition": _TEXT,
            "also_fits": _TEXT_LIST,
            "us_status": _TEXT,
            "sources": _TEXT_LIST,
        },
        {"detail": _TEXT, "arguable_groups": _TEXT_LIST, "which_group_question": _BOOL},
    )

    group_names = {}
    group_ids_seen: dict[str, str] = {}
    condition_facts = []
    for item in condition_items:
        fields = item.fields
        _check_id(item, group_ids_seen, fields["id"])
        _check_id(item, seen_ids, "condition-" + fields["id"])
        cited = _resolve_sources(item, by_key)
        _check_level_sources(item, "seed", cited)
        quote = _check_seed_quote(item, "seed", part_texts)
        group_names[fields["id"]] = fields["name"].strip()
        statement = f"{fields['name'].strip()}: {fields['description'].strip()}"
        condition_facts.append(Fact("condition-" + fields["id"], "conditions", "seed", statement, cited, quote))

    use_ids_seen: dict[str, str] = {}
    all_uses = []
    use_facts = []
    for item in use_items:
        fields = item.fields
        _check_id(item, use_ids_seen, fields["id"])
        _check_id(item, seen_ids, "use-" + fields["id"])
        _check_choice(item, "condition", fields["condition"], group_names)
        for other in fields["also_fits"]:
            _check_choice(item, "also_fits", other, group_names)
            if other == fields["condition"]:
                raise item.error("also_fits", f'repeats the primary group "{other}"')
        for other in fields.get("arguable_groups", []):
            _check_choice(item, "arguable_groups", other, group_names)
            if other == fields["condition"] or other in fields["also_fits"]:
                raise item.error("arguable_groups", f'names "{other}", which the use already fits')
        cited = _resolve_sources(item, by_key)
        _check_level_sources(item, "extended", cited)
        use = Use(
            fields["id"],
            fields["name"].strip(),
            fields["condition"],
            tuple(fields["also_fits"]),
            fields["us_status"].strip(),
            fields.get("detail", "").strip(),
            cited,
            tuple(fields.get("arguable_groups", ())),
            fields.get("which_group_question", True),
        )
        all_uses.append(use)
        use_facts.append(Fact("use-" + use.id, "conditions", "extended", _use_statement(use, group_names), cited))

    # Seed facts in the order of the seed text (the group facts land at the seed's table), then the rest.
    part_numbers = {part.text: part.number for part in parts}
    seed_facts = sorted(
        (fact for fact in hand_facts + condition_facts if fact.level == "seed"),
        key=lambda fact: part_numbers[fact.seed_quote],
    )
    extended_facts = [fact for fact in hand_facts if fact.level != "seed"] + use_facts
    all_facts = tuple(seed_facts + extended_facts)
    facts_by_id = {fact.id: fact for fact in all_facts}

    for item, fact in zip(fact_items, hand_facts):
        for target in fact.refines:
            if target not in facts_by_id:
                raise item.error("refines", f'names "{target}", which is not a fact')
            if facts_by_id[target].level != "seed":
                raise item.error("refines", f'names "{target}", which is not a seed fact')

    all_conditions = []
    for item in condition_items:
        fields = item.fields
        for fact_id in fields["how_ivig_helps"]:
            if fact_id not in facts_by_id:
                raise item.error("how_ivig_helps", f'names "{fact_id}", which is not a fact')
        # A seed description that a closer look corrects must never be shown alone: it carries a caveat.
        corrections = [fact for fact in all_facts if "condition-" + fields["id"] in fact.refines]
        caveat = fields.get("caveat", "").strip()
        if corrections and not caveat:
            raise item.error("caveat", f'is missing: "{corrections[0].id}" corrects this group\'s description')
        if caveat and not corrections:
            raise item.error("caveat", "is given, but no closer-look fact refines this group")
        cited = facts_by_id["condition-" + fields["id"]].sources
        cited += tuple(source for fact in corrections for source in fact.sources if source not in cited)
        all_conditions.append(
            Condition(
                fields["id"],
                group_names[fields["id"]],
                fields["description"].strip(),
                fields["seed_quote"],
                cited,
                tuple(facts_by_id[fact_id] for fact_id in fields["how_ivig_helps"]),
                tuple(use for use in all_uses if use.condition == fields["id"]),
                tuple(use for use in all_uses if fields["id"] in use.also_fits),
                caveat,
            )
        )

    review = _read_review(folder / REVIEW_FILE)
    glossary_terms = _read_glossary(folder / GLOSSARY_FILE, by_key)
    checks = _read_bedside_checks(folder / BEDSIDE_FILE, facts_by_id)
    case_list = _read_cases(folder / CASES_FILE)
    return LessonContent(
        tuple(by_key.values()),
        parts,
        all_facts,
        tuple(all_conditions),
        tuple(all_uses),
        review,
        glossary_terms,
        checks,
        case_list,
    )


def _read_glossary(path: Path, by_key: dict[str, Source]) -> tuple[GlossaryTerm, ...]:
    items = _read_items(
        path,
        "term",
        {"id": _TEXT, "term": _TEXT, "also": _TEXT_LIST, "definition": _TEXT, "sources": _TEXT_LIST},
        {},
    )
    seen: dict[str, str] = {}
    words: dict[str, str] = {}
    terms = []
    for item in items:
        fields = item.fields
        _check_id(item, seen, fields["id"])
        for word in [fields["term"], *fields["also"]]:
            key = word.strip().lower()
            if key in words:
                raise item.error("also" if word in fields["also"] else "term", f'repeats "{word}" of {words[key]}')
            words[key] = item.where()
        cited = _resolve_sources(item, by_key)
        if any(source.key == _SEED_SOURCE for source in cited):
            raise item.error("sources", "cites the seed, which defines no words")
        terms.append(
            GlossaryTerm(
                fields["id"],
                fields["term"].strip(),
                tuple(word.strip() for word in fields["also"]),
                fields["definition"].strip(),
                cited,
            )
        )
    return tuple(terms)


def _read_bedside_checks(path: Path, facts_by_id: dict[str, Fact]) -> tuple[BedsideCheck, ...]:
    items = _read_items(
        path,
        "check",
        {"id": _TEXT, "stage": _TEXT, "check": _TEXT, "guards_against": _TEXT, "facts": _TEXT_LIST},
        {},
    )
    seen: dict[str, str] = {}
    checks = []
    last_stage = 0
    for item in items:
        fields = item.fields
        _check_id(item, seen, fields["id"])
        _check_choice(item, "stage", fields["stage"], STAGES)
        stage = STAGES.index(fields["stage"])
        if stage < last_stage:
            raise item.error("stage", f'is "{fields["stage"]}" after a later stage: keep the checks in order')
        last_stage = stage
        if not fields["facts"]:
            raise item.error("facts", "is empty: every check names the facts that back it")
        for fact_id in fields["facts"]:
            if fact_id not in facts_by_id:
                raise item.error("facts", f'names "{fact_id}", which is not a fact')
        checks.append(
            BedsideCheck(
                fields["id"],
                fields["stage"],
                fields["check"].strip(),
                fields["guards_against"].strip(),
                tuple(facts_by_id[fact_id] for fact_id in fields["facts"]),
            )
        )
    return tuple(checks)


def _read_cases(path: Path) -> tuple[Case, ...]:
    # The question ids are checked against the built-in bank by ivig_content.banks.case_questions, since the
    # bank is read after the content.
    items = _read_items(
        path,
        "case",
        {"id": _TEXT, "title": _TEXT, "scenario": _TEXT, "questions": _TEXT_LIST},
        {"review_note": _TEXT},
    )
    seen: dict[str, str] = {}
    found = []
    for item in items:
        fields = item.fields
        _check_id(item, seen, fields["id"])
        if not fields["questions"]:
            raise item.error("questions", "is empty: a case needs at least one decision question")
        found.append(
            Case(
                fields["id"],
                fields["title"].strip(),
                fields["scenario"].strip(),
                tuple(fields["questions"]),
                fields.get("review_note", "").strip(),
            )
        )
    return tuple(found)


def _read_review(path: Path) -> ContentReview:
    try:
        fields = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: is not valid TOML: {exc}") from None
    for key in fields:
        if key not in ("last_reviewed", "reviewer"):
            raise ContentError(f'{path}: "{key}" is not a known field (expected last_reviewed and reviewer)')
    for key in ("last_reviewed", "reviewer"):
        if key not in fields:
            raise ContentError(f'{path}: "{key}" is missing')
        if not isinstance(fields[key], str):
            raise ContentError(f'{path}: "{key}" must be text, not {type(fields[key]).__name__}')
    when, reviewer = fields["last_reviewed"].strip(), fields["reviewer"].strip()
    if bool(when) != bool(reviewer):
        raise ContentError(f'{path}: "last_reviewed" and "reviewer" go together: give both, or neither')
    if not when:
        return ContentReview(None, "")
    try:
        reviewed = date.fromisoformat(when)
    except ValueError:
        raise ContentError(f'{path}: "last_reviewed" is "{when}", which is not a date written YYYY-MM-DD') from None
    return ContentReview(reviewed, reviewer)


def _use_statement(use: Use, group_names: dict[str, str]) -> str:
    statement = f'{use.name} is an established use of IVIG, in the group "{group_names[use.condition]}"'
    if use.also_fits:
        also = ", ".join(f'"{group_names[group]}"' for group in use.also_fits)
        statement += f" (it also fits {also})"
    statement += f". US status: {use.us_status}."
    if use.detail:
        statement += f" {use.detail}"
    return statement


def _packaged_data_dir() -> Path:
    # The package is installed as plain files (wheel or editable), so its data folder is a real path.
    return Path(str(resources.files(__package__) / "data"))


@functools.cache
def _packaged_content() -> LessonContent:
    return load_content()


# --- The public view of the packaged content ---------------------------------------------------------


def sources() -> tuple[Source, ...]:
    """The references that the facts cite."""
    return _packaged_content().sources


def seed_parts() -> tuple[SeedPart, ...]:
    """The sentences, bullets and table rows of the seed text, in order."""
    return _packaged_content().seed_parts


def facts() -> tuple[Fact, ...]:
    """Every fact: the seed facts in the order of the seed text, then the extended facts, then one per use."""
    return _packaged_content().facts


def conditions() -> tuple[Condition, ...]:
    """The four groups of conditions treated with IVIG, in the seed's order."""
    return _packaged_content().conditions


def uses() -> tuple[Use, ...]:
    """The specific established uses of IVIG, each with its primary group."""
    return _packaged_content().uses


def content_review() -> ContentReview:
    """When the content was last signed off by a clinical reviewer, and by whom (not yet, until it is)."""
    return _packaged_content().review


def glossary() -> tuple[GlossaryTerm, ...]:
    """The words a learner may not know, with short sourced definitions, in the lesson's order."""
    return _packaged_content().glossary


def bedside_checks() -> tuple[BedsideCheck, ...]:
    """The checks before and during an infusion, then the signs to report after it, each with its risk."""
    return _packaged_content().bedside_checks


def cases() -> tuple[Case, ...]:
    """The case scenarios of notebook 03; their questions come from ``ivig_content.banks.case_questions``."""
    return _packaged_content().cases


def topic_title(topic: str) -> str:
    """The title learners see for a topic id (``"closer-look"`` -> ``"A closer look"``); another bank's topic
    with its first letter capitalised and hyphens as spaces (``"first-aid"`` -> ``"First aid"``)."""
    if topic in TOPIC_TITLES:
        return TOPIC_TITLES[topic]
    words = topic.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else topic


def closer_looks_for(fact_id: str) -> tuple[Fact, ...]:
    """The "closer look" facts that make the seed fact ``fact_id`` more precise (empty when there are none)."""
    return _closer_looks_by_target().get(fact_id, ())


@functools.cache
def _closer_looks_by_target() -> dict[str, tuple[Fact, ...]]:
    # Built once: the explorer asks on every redraw, and facts_frame() once per fact.
    found: dict[str, tuple[Fact, ...]] = {}
    for fact in facts():
        for target in fact.refines:
            found[target] = found.get(target, ()) + (fact,)
    return found


@functools.cache
def _glossary_patterns() -> tuple[tuple[GlossaryTerm, re.Pattern[str]], ...]:
    patterns = []
    for term in glossary():
        words = sorted([term.term, *term.also], key=len, reverse=True)
        alternatives = "|".join(re.escape(word) for word in words)
        patterns.append((term, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)))
    return tuple(patterns)


def glossary_terms_in(text: str) -> tuple[GlossaryTerm, ...]:
    """The glossary terms that ``text`` uses (as whole words, any case), in the glossary's order."""
    return tuple(term for term, pattern in _glossary_patterns() if pattern.search(text))


def facts_frame() -> pd.DataFrame:
    """One row per fact the lesson teaches.

    Columns (all text):

    - ``id``: the fact's stable id, e.g. ``seed-given-intravenously``.
    - ``topic``: one of overview, mechanism, conditions, administration, safety, examples,
      misconceptions, closer-look.
    - ``level``: ``seed`` (from the seed overview) or ``extended`` (going further).
    - ``statement``: the fact in plain English.
    - ``source``: the full citation of each source, joined with "; ".
    - ``closer_look``: where the seed overview simplifies, the more precise statement ("a closer look"), set
      beside the simplification so that a learner never reads it alone; empty otherwise.
    - ``closer_look_source``: the full citations of the closer look's sources; empty when there is none.

    Topics: overview, mechanism, conditions, administration, safety, bedside, examples, misconceptions,
    closer-look (``TOPIC_TITLES`` gives the title learners see for each).
    """
    import pandas as pd

    rows = []
    for fact in facts():
        corrections = closer_looks_for(fact.id)
        rows.append(
            (
                fact.id,
                fact.topic,
                fact.level,
                fact.statement,
                fact.source,
                " ".join(correction.statement for correction in corrections),
                "; ".join(dict.fromkeys(correction.source for correction in corrections)),
            )
        )
    return pd.DataFrame(rows, columns=list(FACT_COLUMNS))


def conditions_frame() -> pd.DataFrame:
    """The four groups of conditions treated with IVIG, one row each, in the seed's order.

    Columns (all text):

    - ``condition``: the group's name, e.g. ``Autoimmune diseases``.
    - ``description``: what kind of condition belongs in the group, as the seed overview says it.
    - ``caveat``: where the seed's description simplifies, the short correction that always goes with it
      (for "Infectious states": IVIG is not a routine treatment for severe infection or sepsis); else empty.
    - ``example_uses``: the specific uses whose primary group this is, joined with "; ".
    - ``also_fitting_uses``: uses from another group that fit this one too, joined with "; " (may be empty).
    - ``source``: the full citation of each source of the description and the caveat, joined with "; ".
    """
    import pandas as pd

    rows = [
        (
            condition.name,
            condition.description,
            condition.caveat,
            "; ".join(use.name for use in condition.uses),
            "; ".join(use.name for use in condition.also_fitting_uses),
            condition.source,
        )
        for condition in conditions()
    ]
    return pd.DataFrame(rows, columns=list(CONDITION_COLUMNS))


def uses_frame() -> pd.DataFrame:
    """One row per specific established use of IVIG.

    Columns (all text):

    - ``use``: the specific condition, e.g. ``Kawasaki disease``.
    - ``condition``: the name of its primary group (as in ``conditions_frame()["condition"]``).
    - ``also_fits``: other groups it fits as well, joined with "; " (empty when none).
    - ``us_status``: its status in the US, e.g. ``FDA-approved (some products)``.
    - ``detail``: one more sourced sentence about the use (may be empty).
    - ``source``: the full citation of each source, joined with "; ".
    """
    import pandas as pd

    names = {condition.id: condition.name for condition in conditions()}
    rows = [
        (
            use.name,
            names[use.condition],
            "; ".join(names[group] for group in use.also_fits),
            use.us_status,
            use.detail,
            use.source,
        )
        for use in uses()
    ]
    return pd.DataFrame(rows, columns=list(USE_COLUMNS))


def closer_looks_frame() -> pd.DataFrame:
    """Where the seed overview simplifies, what is more precise: one row per "closer look" fact.

    Columns (all text):

    - ``the_seed_says``: the seed fact(s) that the closer look refines, joined with " / ".
    - ``a_closer_look``: the more precise statement.
    - ``source``: the full citation of each source of the closer look, joined with "; ".
    """
    import pandas as pd

    by_id = {fact.id: fact for fact in facts()}
    rows = [
        (" / ".join(by_id[target].statement for target in fact.refines), fact.statement, fact.source)
        for fact in facts()
        if fact.topic == "closer-look"
    ]
    return pd.DataFrame(rows, columns=list(CLOSER_LOOK_COLUMNS))


def glossary_frame() -> pd.DataFrame:
    """The glossary: one row per word a learner may not know, in the lesson's order.

    Columns (all text):

    - ``term``: the word, e.g. ``thrombosis``.
    - ``definition``: a short plain-English definition.
    - ``source``: the full citation of each source of the definition, joined with "; ".
    """
    import pandas as pd

    rows = [(term.term, term.definition, term.source) for term in glossary()]
    return pd.DataFrame(rows, columns=list(GLOSSARY_COLUMNS))


def bedside_frame() -> pd.DataFrame:
    """Giving IVIG safely: one row per check before or during an infusion, then per sign to report after it.

    Columns (all text):

    - ``stage``: ``before``, ``during`` or ``after`` the infusion.
    - ``check``: what the nurse does (before, during) or what the person reports at home (after).
    - ``guards_against``: the risk the check is for.
    - ``source``: the full citations of the facts that back the row, joined with "; ".
    """
    import pandas as pd

    rows = [(check.stage, check.check, check.guards_against, check.source) for check in bedside_checks()]
    return pd.DataFrame(rows, columns=list(BEDSIDE_COLUMNS))
