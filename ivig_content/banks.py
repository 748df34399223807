"""Question banks: reading and validating them, the built-in bank, and questions made from the content tables.

Banks come in two formats:

- our own (YAML or JSON), documented in ``instructors/writing-a-question-bank.md``::

      questions:
        - id: q-route
          kind: single            # single (default), multiple or matching
          topic: administration
          prompt: How is IVIG given?
          choices: {A: Into a vein, B: As a tablet}
          answer: A               # multiple: a list, e.g. [A, C]
          feedback: {A: "Yes: ...", B: "No: ..."}
          explanation: ...
          source: ...             # or fact_ids: [seed-given-intravenously]

- jupyterquiz JSON files (``multiple_choice`` and ``many_choice`` questions).

A bank loads with exactly the text its author wrote, or is refused with a :class:`BankError` whose message is one
line naming the file, the question (number and id) and the field.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from . import content
from .files import TEXT_DIRECTION_CONTROLS, one_line, read_limited
from .records import Choice, MatchItem, Question

__all__ = [
    "BankError",
    "BankWarning",
    "KINDS",
    "MAX_BANK_BYTES",
    "MAX_YAML_BANK_BYTES",
    "bank_title",
    "builtin_bank",
    "case_questions",
    "generated_questions",
    "gives_itself_away",
    "load_bank",
    "parse_bank",
    "plain_text",
]

KINDS = ("single", "multiple", "matching")
MAX_BANK_BYTES = 2 * 1024 * 1024  # JSON; far above any real bank (the built-in one is about 50 KB of YAML)
MAX_YAML_BANK_BYTES = 512 * 1024  # ten times the built-in bank; libyaml reads it in under a second here
MAX_YAML_VALUES = 150_000  # a bank of 512 KiB has about 50,000; a file of bare values would take seconds to build
BUILTIN_BANK_FILE = "questions.yaml"


class BankError(ValueError):
    """A question bank cannot be used; the message names the file, the question (number and id) and the field.

    The message is always one line: control characters and line separators in it (from a file name or a value
    quoted from the bank) are shown escaped (``\\n``), and a message longer than 500 characters is cut, so a bank
    can never print a second line such as a forged ``OK  other.yaml``.
    """

    def __init__(self, message: str):
        super().__init__(one_line(message))


class BankWarning(UserWarning):
    """A bank loads, but may not say what its author meant (e.g. a YAML comment may have cut a text short).
    ``validate`` prints these as ``WARN`` lines; ``validate --strict`` makes them failures."""


# --- Reading a bank -----------------------------------------------------------------------------------


def load_bank(path: str | os.PathLike[str], core: bool = False) -> tuple[Question, ...]:
    """Read a question bank: our own format as ``.yaml``/``.yml``/``.json``, or a jupyterquiz ``.json`` list.

    With ``core=True``, only the questions that the bank's ``core`` list names (a shorter quiz for a class
    period), in the bank's order. Raises :class:`BankError`, naming the file, the question (number and id) and
    the field, for anything that would stop a learner from taking the quiz, for a ``core`` list that names a
    question the bank does not have, and (with ``core=True``) for a bank with no ``core`` list.
    """
    given = os.fspath(path)
    if isinstance(given, str) and _not_a_path_hint(given) and not os.path.lexists(given):
        # a web address or a bank's own text, given where a file's path belongs
        raise BankError(f"{one_line(given, 80)}: no such file{_not_a_path_hint(given)}")
    path = Path(path)
    document = _read_document(path)
    try:
        questions = parse_bank(document, str(path))
    except RecursionError:
        raise BankError(f"{path}: is nested too deeply to be a question bank") from None
    return _core_quiz(document, questions, str(path)) if core else _checked_core(document, questions, str(path))


def bank_title(path: str | os.PathLike[str]) -> str | None:
    """The ``title`` a bank of our format gives itself (e.g. "IVIG basics"), or None when it has none; for a bank
    that :func:`load_bank` has read. Raises :class:`BankError` as :func:`load_bank` does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BankWarning)  # load_bank has said them
        document = _read_document(Path(path))
    title = document.get("title") if isinstance(document, dict) else None
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else None


def _checked_core(document: Any, questions: tuple[Question, ...], name: str) -> tuple[Question, ...]:
    """``questions`` unchanged, once every id in the bank's ``core`` list (if any) is known to be among them."""
    ids = {question.id for question in questions}
    for question_id in document.get("core", []) if isinstance(document, dict) else []:
        if question_id not in ids:
            raise BankError(f'{name}: "core" names "{question_id}", which is not a question of the bank')
    return questions


def _core_quiz(document: Any, questions: tuple[Question, ...], name: str) -> tuple[Question, ...]:
    if not isinstance(document, dict) or "core" not in document:
        raise BankError(f'{name}: has no "core" list of question ids, so it has no core quiz')
    wanted = set(document["core"])
    return tuple(question for question in _checked_core(document, questions, name) if question.id in wanted)


def parse_bank(document: Any, name: str = "bank", *, require_facts: bool = False) -> tuple[Question, ...]:
    """Turn an already-parsed bank (our format as a mapping, or jupyterquiz as a list) into questions.

    ``name`` is used in error messages. With ``require_facts`` (the built-in bank), every question must
    list ``fact_ids`` and every choice must have feedback.
    """
    if isinstance(document, list):
        return _parse_jupyterquiz(document, name)
    if isinstance(document, dict):
        return _parse_our_bank(document, name, require_facts)
    raise BankError(
        f"{name}: must hold a mapping with a \"questions\" list (or a jupyterquiz list of questions), "
        f"not {_json_type(document)}"
    )


def _not_a_path_hint(given: str) -> str:
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", given):
        return " (a web address: download the bank and give the path of the file)"
    if given.lstrip()[:1] in ("{", "[") or "\n" in given:
        return " (this looks like the bank's text: save it in a file and give the file's path)"
    return ""


def _read_document(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        if not path.exists() and _not_a_path_hint(str(path)):
            raise BankError(f"{one_line(str(path), 80)}: no such file{_not_a_path_hint(str(path))}")
        raise BankError(f'{path}: a question bank is a ".yaml", ".yml" or ".json" file, not "{path.suffix}"')
    # YAML is read by a pure-Python parser: a smaller limit keeps any file within about a second and little memory
    limit = MAX_BANK_BYTES if suffix == ".json" else MAX_YAML_BANK_BYTES
    data = read_limited(path, limit, BankError, "question bank", _not_a_path_hint(str(path)), suffix.lstrip(".").upper())
    if not data.strip():
        raise BankError(f"{path}: is empty")
    if b"\x00" in data:
        raise BankError(f"{path}: holds binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BankError(f"{path}: is not UTF-8 text (line {line}: bad byte at position {exc.start})") from None

    if suffix == ".json":
        try:
            document = json.loads(text, object_pairs_hook=_refuse_repeated_keys)
        except RecursionError:
            raise BankError(f"{path}: is nested too deeply to be a question bank") from None
        except _RepeatedKey as repeated:
            document, found = _find_repeated_key(text)
            where, field = _where_in(document, str(path), found)
            place = f'"{field}": ' if field else ""
            raise BankError(f'{where}: {place}the key "{repeated.key}" appears twice in one mapping (JSON would keep '
                            "only the last)") from None
        except json.JSONDecodeError as exc:
            raise BankError(f"{path}: is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
        except ValueError as exc:  # e.g. an integer of 100,000 digits
            raise BankError(f"{path}: holds a value that cannot be read ({exc})") from None
        return _without_unpaired_surrogates(document, str(path))
    import yaml  # only YAML banks need it

    # A flood of tiny values ("[a,a,a,...]") takes seconds to build even within the size limit: count the marks
    # that can separate values first (a real bank of 512 KiB has about 50,000).
    separators = text.count(",") + text.count(":") + text.count("\n")
    if separators > MAX_YAML_VALUES:
        raise BankError(f"{path}: has about {separators:,} values (counted by their commas, colons and line "
                        f"breaks), far more than a question bank holds (at most {MAX_YAML_VALUES:,})")
    loader = _bank_yaml_loader()(text)
    try:
        node = loader.get_single_node()
        cut = _cut_by_comments(node, text, str(path))  # and refuses aliases and a flood of values, before building
        document = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = exc.problem or exc.context or "syntax error"
        if "nesting depth" in problem:  # libyaml's own limit
            raise BankError(f"{path}: is nested too deeply to be a question bank") from None
        if mark and text[mark.index : mark.index + 1] == "\t":
            problem += " (a tab: YAML is indented with spaces)"
        raise BankError(f"{path}: is not valid YAML: {problem}{where}") from None
    except yaml.YAMLError as exc:
        raise BankError(f"{path}: is not valid YAML: {exc}") from None
    except RecursionError:
        raise BankError(f"{path}: is nested too deeply to be a question bank") from None
    except BankError:
        raise
    except ValueError as exc:  # e.g. an integer of 100,000 digits
        raise BankError(f"{path}: holds a value that cannot be read ({exc})") from None
    finally:
        loader.dispose()
    for field_path, shown, comment in cut:
        where, field = _where_in(document, str(path), field_path)
        warnings.warn(
            BankWarning(one_line(
                f'{where}: "{field}" is followed by {comment}, which YAML reads as the start of a comment, so '
                f'the text may have been cut to "{shown}": put the whole text in quotes'
            )),
            stacklevel=3,
        )
    return document


# Fields whose values are ids or names from a fixed list, where "A  # the right one" is an author's real comment
_NOT_SHOWN_TEXT = {"id", "kind", "topic", "level", "answer", "fact_ids", "core"}


def _cut_by_comments(root: Any, text: str, name: str) -> list[tuple[list, str, str]]:
    """(path, text, where the comment is) of every unquoted YAML text that a comment may have cut: followed on
    its line by " #", or followed (after any blank lines) by a line that starts with "#" and is indented deeper
    than the key the text belongs to, where a continuation of the text would be. YAML drops both as comments,
    which an author who wrote "lot #5", or wrapped a long prompt before "# of doses", did not mean. Fields that
    hold ids (``answer: A  # the right one``) are not texts a learner reads, and are left alone.

    The same walk refuses aliases (``*name``): one node reached twice. A bank is text to be read as written, and
    an alias repeats a part of it out of sight (or, nested, makes a "billion laughs" of a small file)."""
    import yaml

    line_ends = [found.start() for found in re.finditer("\n", text)]  # once, not once per text
    found, seen = [], set()
    # (node, the path of its parent, its key or index, the indentation of that key or "-"); paths are only
    # joined for a text that gets a warning, so a bank of 100,000 texts costs one tuple each
    stack: list[tuple[Any, tuple, Any, int]] = [(root, (), None, -1)]
    while stack:
        node, parent, key, indent = stack.pop()
        if id(node) in seen:
            _refuse_alias(text)
        seen.add(id(node))
        if len(seen) > MAX_YAML_VALUES:
            raise BankError(f"{name}: has more than {MAX_YAML_VALUES:,} values (texts, keys, lists), far more than a question "
                            "bank holds")
        kind = type(node)
        if kind is yaml.ScalarNode:
            shown = key not in _NOT_SHOWN_TEXT and not (parent and parent[-1] in _NOT_SHOWN_TEXT)
            if shown and not node.style and node.tag.endswith(":str"):  # plain: None (PyYAML) or "" (libyaml)
                comment = _comment_follows(text, line_ends, node.end_mark.index, indent)
                if comment:
                    found.append(([*parent, key][1:], node.value, comment))
            continue
        path = (*parent, key)
        if kind is yaml.MappingNode:
            for key_node, value in reversed(node.value):
                if id(key_node) in seen:  # a key is never a text to check, but may be an alias too
                    _refuse_alias(text)
                seen.add(id(key_node))
                key_name = key_node.value if type(key_node) is yaml.ScalarNode else None  # "? [a]" is refused later
                stack.append((value, path, key_name, key_node.start_mark.column))
        elif kind is yaml.SequenceNode:
            column = node.start_mark.column  # the "-" of a block list
            stack.extend((value, path, index, column) for index, value in reversed(list(enumerate(node.value))))
    return found


def _refuse_alias(text: str) -> None:
    """Raise at the first alias: libyaml's nodes do not say where it was written, so find it among the parser's
    events (only now, for a bank that is refused anyway)."""
    import yaml

    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a question bank", event.start_mark
            )


_HASH_AFTER_SPACE = re.compile(r"[ \t]+#")
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
_LEADING_SPACES = re.compile(" *")


def _comment_follows(text: str, line_ends: list[int], end: int, indent: int) -> str:
    """Where a comment that may have cut the plain text ending at ``end`` is, in words; "" when there is none."""
    if _HASH_AFTER_SPACE.match(text, end):
        return '" #" on its line'
    line = bisect.bisect_left(line_ends, end)
    if line == len(line_ends):
        return ""
    start = _BLANK_LINES.match(text, line_ends[line] + 1).end()  # the next line that is not blank
    spaces = _LEADING_SPACES.match(text, start).end() - start
    if text.startswith("#", start + spaces) and spaces > indent:
        return 'a more indented line that starts with "#"'
    return ""


def _where_in(document: Any, name: str, path: list) -> tuple[str, str]:
    """The bank's words for a place in it: (where, field), e.g. ('bank.yaml: question 1 (id "q1")', 'choices.A')."""
    if len(path) >= 2 and path[0] == "questions" and isinstance(document, dict) and isinstance(path[1], int):
        return _where(name, path[1] + 1, document["questions"][path[1]]), _field_name(path[2:])
    if path and isinstance(document, list) and isinstance(path[0], int):  # jupyterquiz: a list of questions
        return _where(name, path[0] + 1, document[path[0]]), _field_name(path[1:])
    return name, _field_name(path)


def _without_unpaired_surrogates(document: Any, name: str) -> Any:
    """``document``, once no text in it holds half a character: JSON's "\\ud800" escape gives one, which no file
    can hold, so saving results or an answer key would fail later, far from the bank."""
    stack: list[tuple[Any, list]] = [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((value, path + [key]) for key, value in node.items())
            stack.extend((key, path) for key in node if isinstance(key, str))
        elif isinstance(node, list):
            stack.extend((value, path + [index]) for index, value in enumerate(node))
        elif isinstance(node, str):
            half = re.search("[\ud800-\udfff]", node)
            if half:
                where, field = _where_in(document, name, path)
                place = f'"{field}" ' if field else ""
                raise BankError(f"{where}: {place}holds {half.group()!r}, half of a character (an unpaired surrogate), "
                                "which no file can hold; remove it")
    return document


class _RepeatedKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


_REPEATED = "\x00repeated"  # a key no bank can have (JSON text never holds a raw NUL: we refuse those)


def _find_repeated_key(text: str) -> tuple[Any, list]:
    """(document, path) of the first mapping with a repeated key, for the error message: the text is read again,
    marking such mappings instead of stopping, which only happens for a bank that is refused anyway."""

    def mark(pairs: list[tuple[str, Any]]) -> dict:
        mapping: dict = {}
        for key, value in pairs:
            if key in mapping:
                mapping[_REPEATED] = True
            mapping[key] = value
        return mapping

    document = json.loads(text, object_pairs_hook=mark)
    stack: list[tuple[Any, list]] = [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if _REPEATED in node:
                return document, path
            stack.extend((value, path + [key]) for key, value in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((value, path + [index]) for index, value in reversed(list(enumerate(node))))
    return document, []


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict:
    """json.loads keeps the last of two equal keys without a word (the right answer could change): refuse."""
    mapping: dict = {}
    for key, value in pairs:
        if key in mapping:
            raise _RepeatedKey(key)
        mapping[key] = value
    return mapping


@functools.cache
def _bank_yaml_loader() -> type:
    """A safe YAML loader that refuses repeated keys (a silent overwrite hides typos). It parses with libyaml when
    PyYAML has it (its wheels do): about three times faster than the pure-Python parser, so the largest bank
    allowed loads within a second. Aliases are refused after composing (:func:`_cut_by_comments`)."""
    import yaml

    class BankLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (list, dict, set)):  # "? [x, y]": a key must be text, never a list or mapping
                    raise yaml.constructor.ConstructorError(
                        None, None, f"a key must be text, not {_json_type(key)}", key_node.start_mark
                    )
                if isinstance(key, (str, int, float, bool)) and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f'the key "{key}" appears twice in one mapping', key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return BankLoader


# JSON Schemas: shapes and types are checked by fastjsonschema; what a schema cannot say (an answer that names
# no choice, duplicate ids) is checked by hand below.
_TEXT = {"type": "string", "pattern": r"\S", "maxLength": 10_000}
_KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$"
_OUR_QUESTION = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": _KEY_PATTERN},
        "kind": {"enum": list(KINDS)},
        "topic": _TEXT,
        "level": {"enum": list(content.LEVELS)},
        "prompt": _TEXT,
        "choices": {
            "type": "object",
            "minProperties": 2,
            "propertyNames": {"pattern": _KEY_PATTERN},
            "additionalProperties": _TEXT,
        },
        "answer": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "feedback": {"type": "object", "additionalProperties": _TEXT},
        "pairs": {"type": "object", "minProperties": 2, "additionalProperties": _TEXT},
        "distractors": {"type": "array", "items": _TEXT},
        "explanation": _TEXT,
        "source": _TEXT,
        "fact_ids": {"type": "array", "minItems": 1, "items": {"type": "string"}},
    },
    "required": ["prompt"],
    "additionalProperties": False,
}
_OUR_BANK = {
    "type": "object",
    "properties": {
        "title": _TEXT,
        # The ids of a shorter "core" quiz, for a class period (used by the built-in bank).
        "core": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": _KEY_PATTERN}},
        "questions": {"type": "array", "minItems": 1, "items": _OUR_QUESTION},
    },
    "required": ["questions"],
    "additionalProperties": False,
}
_JUPYTERQUIZ_ANSWER = {
    "type": "object",
    "properties": {
        "answer": {"type": "string"},
        "code": {"type": "string"},
        "correct": {"type": "boolean"},
        "feedback": {"type": "string"},
        "answer_cols": {"type": "number"},
    },
    "required": ["correct"],  # and "answer" or "code" (or both): checked when the answers are read
    "additionalProperties": False,
}
_JUPYTERQUIZ_BANK = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "question": {"type": "string"},
            "type": {"enum": ["multiple_choice", "many_choice"]},
            "answers": {"type": "array", "minItems": 1, "items": _JUPYTERQUIZ_ANSWER},
            "code": {"type": "string"},
            "answer_cols": {"type": "number"},
        },
        "required": ["question", "type", "answers"],
        "additionalProperties": False,
    },
}
_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping (key: value)",
    "boolean": "true or false",
    "number": "a number",
    "integer": "a whole number",
    "null": "empty",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    return type(value).__name__


def _where(name: str, number: int | None, question: Any, noun: str = "question") -> str:
    if number is None:
        return name
    label = f"{name}: {noun} {number}"
    if isinstance(question, dict) and isinstance(question.get("id"), str) and question["id"].strip():
        label += f' (id "{question["id"]}")'
    return label


@functools.cache
def _validator(schema_name: str):
    """The schema compiled to Python by fastjsonschema (comes with Jupyter, via nbformat). jsonschema would
    do too, but importing it loads its optional format checkers, which took 2 to 4 s here: a learner's quiz must
    not wait for that."""
    import fastjsonschema

    return fastjsonschema.compile({"our": _OUR_BANK, "jupyterquiz": _JUPYTERQUIZ_BANK}[schema_name])


def _schema_error(document: Any, schema_name: str, name: str, list_key: str | None) -> BankError | None:
    """The first schema violation (in document order) as a BankError in our words, or None."""
    import fastjsonschema

    try:
        _validator(schema_name)(document)
        return None
    except fastjsonschema.JsonSchemaValueException as error:
        # fastjsonschema's path starts with "data" and spells list indexes as text
        path = [int(part) if part.isdigit() else part for part in error.path[1:]]
        rule, expected, instance, definition = error.rule, error.rule_definition, error.value, error.definition
        message = error.message  # `error` itself is gone once this block ends

    # Where: the question (if the path goes into one) and the field within it.
    number = question = None
    if list_key is None and path and isinstance(path[0], int):
        number, question, path = path[0] + 1, document[path[0]], path[1:]
    elif list_key is not None and len(path) >= 2 and path[0] == list_key and isinstance(path[1], int):
        number, question, path = path[1] + 1, document[list_key][path[1]], path[2:]
    where = _where(name, number, question)

    if rule == "required":
        missing = next(field for field in expected if field not in instance)
        field, problem = path + [missing], "is missing"
    elif rule == "additionalProperties":
        import difflib

        known = definition.get("properties", {})
        unknown = sorted(set(instance) - set(known))[0]
        close = difflib.get_close_matches(unknown, known, n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        field, problem = path + [unknown], f"is not a known field{hint}"
    elif rule == "type":
        field, problem = path, f"must be {_TYPE_NAMES[expected]}, not {_json_type(instance)}"
    elif rule == "pattern" and expected == r"\S":
        field, problem = path, "is empty"
    elif rule in ("pattern", "propertyNames"):
        field = path
        problem = "must be short and made of letters, digits, '-', '_' or '.'"
        if rule == "propertyNames":
            problem = f"has a key that {problem}"
    elif rule in ("minItems", "minProperties"):
        if number is None and path in ([], [list_key]):
            return BankError(f"{where}: has no questions")
        field, problem = path, f"needs at least {expected} entries"
        if not instance:
            problem = "is empty"
    elif rule == "maxLength":
        field, problem = path, f"is longer than {expected} characters"
    elif rule == "enum":
        allowed = ", ".join(str(value) for value in expected)
        field, problem = path, f'is "{instance}", which is not one of: {allowed}'
    elif rule == "anyOf" and path and path[-1] == "answer":
        field, problem = path, f"must be a choice key or a list of choice keys, not {_json_type(instance)}"
    else:  # a rule this translation does not know yet: still say where
        field, problem = path, message
    dotted = _field_name(field)
    return BankError(f'{where}: "{dotted}" {problem}' if dotted else f"{where}: {problem}")


def _field_name(path: Sequence[Any]) -> str:
    """A path inside a question as a person reads it: ``choices.B``, ``answers[2].correct`` (1-based)."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _non_text_key(document: dict, name: str) -> BankError | None:
    """The first key, anywhere in the bank and in the file's order, that is not text. YAML reads unquoted keys
    such as yes, no, on, off, ~ or 1 as true/false, empty or numbers; say so plainly."""
    stack: list[tuple[Any, list]] = [(document, [])]
    while stack:  # a loop, not recursion: a deeply nested file must not exhaust Python's stack
        node, path = stack.pop()
        if isinstance(node, dict):
            for key in node:
                if not isinstance(key, str):
                    return _non_text_key_error(document, name, path, key)
            stack.extend((value, path + [key]) for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((value, path + [index]) for index, value in reversed(list(enumerate(node))))
    return None


def _non_text_key_error(document: dict, name: str, path: list, key: Any) -> BankError:
    number = question = None
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        number, question, path = path[1] + 1, document["questions"][path[1]], path[2:]
    field = _field_name(path)
    where = _where(name, number, question) + (f': "{field}"' if field else ":")
    shown = "~" if key is None else repr(key)
    return BankError(f"{where} has the key {shown}, which YAML reads as {_json_type(key)}, not text: put it in quotes")


def _non_text_value(document: dict, name: str) -> BankError | None:
    """The first choice, feedback or pair (in the file's order) whose text is not text, e.g. ``A: 1``. Checked
    before the schema, whose own report would name any one of several such fields, not always the same."""
    questions = document.get("questions")
    for number, raw in enumerate(questions if isinstance(questions, list) else [], start=1):
        for field in ("choices", "feedback", "pairs") if isinstance(raw, dict) else ():
            mapping = raw.get(field)
            for key, value in mapping.items() if isinstance(mapping, dict) else ():
                if not isinstance(value, str):
                    return BankError(f'{_where(name, number, raw)}: "{field}.{key}" must be text, not {_json_type(value)}')
    return None


# Characters that show nothing: zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen,
# Mongolian vowel separator, and the invisible direction marks. Kept in the text; ignored when asking whether
# a text is empty or the same as another.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Control characters that have no place in a question (newline, tab and carriage return do).
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _seen_as(text: str) -> str:
    """A text as a learner tells texts apart: without invisible characters, letter case or extra spacing."""
    return " ".join(_INVISIBLE.sub("", text).casefold().split())


def _check_texts(question: Question, where: str, choice_field, item_field) -> None:  # noqa: ANN001
    """Every text a learner sees is visible and free of control characters, and choices (and matching items)
    can be told apart. ``choice_field`` and ``item_field`` name a choice's or an item's field in the bank."""

    def check(text: str, field: str, required: bool = True) -> None:
        control = _CONTROL_IN_TEXT.search(text)
        if control:
            raise BankError(f'{where}: "{field}" holds the control character {control.group()!r}; remove it')
        direction = TEXT_DIRECTION_CONTROLS.search(text)
        if direction:  # "Dose \u202e01 ml" shows as "Dose lm 10": right-to-left text reads right without them
            raise BankError(f'{where}: "{field}" holds {direction.group()!r}, which changes the order letters show '
                            "in (a text-direction control); remove it")
        if (required or text) and not _seen_as(text):
            raise BankError(f'{where}: "{field}" is empty once invisible characters are removed')

    check(question.prompt, "prompt")
    check(question.explanation, "explanation", required=False)
    check(question.source, "source", required=False)
    if len(question.choices) < 2:
        raise BankError(f'{where}: "{choice_field(question.choices[0], 1)}" is the only choice: a question needs at least two')
    for group, field_of in ((question.choices, choice_field), (question.items, item_field)):
        seen: dict[str, tuple[int, str]] = {}
        for position, part in enumerate(group, start=1):
            field = field_of(part, position)
            check(part.text, field)
            check(part.feedback, f"{field} feedback", required=False)
            first, earlier = seen.setdefault(_seen_as(part.text), (position, field))
            if first != position:
                raise BankError(
                    f'{where}: "{field}" looks the same as "{earlier}" (they differ only by invisible characters, '
                    "letter case or spacing): a learner could not tell them apart"
                )


def _parse_our_bank(document: dict, name: str, require_facts: bool) -> tuple[Question, ...]:
    error = _non_text_key(document, name) or _non_text_value(document, name) or _schema_error(
        document, "our", name, "questions"
    )
    if error:
        raise error
    facts_by_id = {fact.id: fact for fact in content.facts()}
    questions = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(document["questions"], start=1):
        where = _where(name, number, raw)

        def fail(field: str, problem: str) -> BankError:
            return BankError(f'{where}: "{field}" {problem}')

        question_id = raw.get("id", f"q{number}")
        if question_id in seen:
            raise fail("id", f"is already used by question {seen[question_id]}")
        seen[question_id] = number
        kind = raw.get("kind", "single")

        fact_ids = tuple(raw.get("fact_ids", ()))
        for fact_id in fact_ids:
            if fact_id not in facts_by_id:
                raise fail("fact_ids", f'names "{fact_id}", which is not a fact of ivig_content')
        if require_facts and not fact_ids:
            raise fail("fact_ids", "is missing: every built-in question names the facts that back it")
        source = raw.get("source", "") or _citations(fact_ids, facts_by_id)

        if kind == "matching":
            for field in ("choices", "answer", "feedback"):
                if field in raw:
                    raise fail(field, 'is not used by a matching question (use "pairs" and "distractors")')
            if "pairs" not in raw:
                raise fail("pairs", "is missing")
            choices, items = _matching_parts(raw["pairs"], raw.get("distractors", []), fail)
        else:
            for field in ("pairs", "distractors"):
                if field in raw:
                    raise fail(field, f'is only for matching questions (this one is "{kind}")')
            for field in ("choices", "answer"):
                if field not in raw:
                    raise fail(field, "is missing")
            choices, items = _choice_parts(raw, kind, require_facts, fail), ()

        question = Question(
            id=question_id,
            kind=kind,
            topic=raw.get("topic", "general").strip(),
            level=raw.get("level", ""),
            prompt=raw["prompt"].strip(),
            choices=choices,
            explanation=raw.get("explanation", "").strip(),
            source=source.strip(),
            fact_ids=fact_ids,
            items=items,
        )
        if kind == "matching":
            answers = sum(choice.correct for choice in choices)  # the pairs' answers come first, then distractors
            _check_texts(
                question, where,
                lambda c, n: f"pairs answer {n}" if n <= answers else f"distractors[{n - answers}]",
                lambda i, n: f"pairs item {n}",
            )
        else:
            _check_texts(question, where, lambda c, n: f"choices.{c.id}", lambda i, n: "")
        questions.append(question)
    return tuple(questions)


def _choice_parts(raw: dict, kind: str, require_feedback: bool, fail) -> tuple[Choice, ...]:  # noqa: ANN001
    answer = raw["answer"]
    if kind == "single" and isinstance(answer, list):
        if len(answer) != 1:
            raise fail("answer", f"names {len(answer)} choices, but a single-choice question has exactly one")
        answer = answer[0]
    if kind == "multiple" and isinstance(answer, str):
        answer = [answer]
    answers = [answer] if isinstance(answer, str) else list(answer)
    if not answers:
        raise fail("answer", "is empty: a question needs at least one correct answer")
    for key in answers:
        if key not in raw["choices"]:
            raise fail("answer", f'names "{key}", which is not a choice')
    if len(set(answers)) != len(answers):
        raise fail("answer", "names the same choice twice")
    feedback = raw.get("feedback", {})
    for key in feedback:
        if key not in raw["choices"]:
            raise fail("feedback", f'has feedback for "{key}", which is not a choice')
    texts = [text.strip() for text in raw["choices"].values()]
    if len(set(texts)) != len(texts):
        raise fail("choices", "has the same text twice")
    if require_feedback:
        for key in raw["choices"]:
            if key not in feedback:
                raise fail("feedback", f'is missing for choice "{key}": every built-in choice says why')
    return tuple(
        Choice(key, text.strip(), key in answers, feedback.get(key, "").strip()) for key, text in raw["choices"].items()
    )


def _matching_parts(pairs: dict, distractors: list, fail) -> tuple[tuple[Choice, ...], tuple[MatchItem, ...]]:  # noqa: ANN001
    answers = list(dict.fromkeys(text.strip() for text in pairs.values()))
    for extra in distractors:
        if extra.strip() in answers:
            raise fail("distractors", f'repeats the answer "{extra.strip()}"')
    options = answers + [extra.strip() for extra in distractors]
    choice_ids = {text: chr(ord("A") + index) if index < 26 else f"c{index + 1}" for index, text in enumerate(options)}
    choices = tuple(Choice(choice_ids[text], text, text in answers) for text in options)
    items = tuple(
        MatchItem(str(number), item.strip(), choice_ids[answer.strip()], f"{item.strip()} \u2192 {answer.strip()}")
        for number, (item, answer) in enumerate(pairs.items(), start=1)
    )
    return choices, items


@functools.cache
def _text_only_parser() -> type:
    """An HTML parser that keeps only text (made on first use: only jupyterquiz files need it)."""
    from html.parser import HTMLParser

    class _TextOnly(HTMLParser):
        """Collects the text of an HTML fragment; drops tags, scripts and styles, keeps line breaks."""

        _BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self._skipping = 0
            self._preformatted = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag in ("script", "style"):
                self._skipping += 1
            elif tag == "pre":
                self._preformatted += 1
                self.parts.append("\n")
            elif tag in self._BREAKS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style") and self._skipping:
                self._skipping -= 1
            elif tag == "pre" and self._preformatted:
                self._preformatted -= 1
                self.parts.append("\n")
            elif tag in self._BREAKS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if self._skipping:
                return
            if self._preformatted:  # <pre> keeps its layout: mark its breaks and spaces so nothing folds them
                data = data.replace("\n", _PRE_BREAK).replace(" ", _PRE_SPACE)
            self.parts.append(data)

    return _TextOnly


def plain_text(fragment: str) -> str:
    """Reduce an HTML fragment (as jupyterquiz allows) to plain text; LaTeX such as ``$x^2$`` stays as written.

    Python's HTML parser may raise (e.g. ``AssertionError`` for ``<![foo]>``); bank reading turns that into a
    :class:`BankError` that names the question and field."""
    parser = _text_only_parser()()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = "\n".join(line for line in lines if line)
    return text.replace(_PRE_BREAK, "\n").replace(_PRE_SPACE, " ")


# Stand-ins for a <pre> block's line breaks and spaces while the rest of the text is folded (private-use
# characters: never in a bank's own text).
_PRE_BREAK, _PRE_SPACE = "\ue000", "\ue001"


def _parse_jupyterquiz(document: list, name: str) -> tuple[Question, ...]:
    for number, raw in enumerate(document, start=1):
        if isinstance(raw, dict) and raw.get("type") in ("numeric", "string"):
            raise BankError(
                f'{_where(name, number, raw)}: "type" is "{raw["type"]}": only multiple_choice and many_choice '
                "questions can be imported; rewrite it as a choice question"
            )
    error = _schema_error(document, "jupyterquiz", name, None)
    if error:
        raise error
    pictures = [  # said once the file has loaded: a refused file needs no warnings
        f'{_where(name, number, raw)}: "{field}" shows a picture (<img>) that the quiz cannot show: describe it in '
        "words, or the question may make no sense without it"
        for number, raw in enumerate(document, start=1)
        for field, fragment in [("question", raw["question"])]
        + [(f"answers[{index}].answer", answer.get("answer", "")) for index, answer in enumerate(raw["answers"], start=1)]
        if re.search(r"<img\b", fragment, re.IGNORECASE)
    ]
    questions = []
    for number, raw in enumerate(document, start=1):
        where = _where(name, number, raw)

        def text_of(fragment: str, field: str, where: str = where) -> str:
            try:
                return plain_text(fragment)
            except Exception as problem:  # noqa: BLE001 - Python's HTML parser asserts on odd markup (<![foo]>)
                raise BankError(f'{where}: "{field}" has HTML that cannot be read ({problem})') from None

        prompt = text_of(raw["question"], "question")
        control = _CONTROL_IN_TEXT.search(raw.get("code", ""))
        if control:
            raise BankError(f'{where}: "code" holds the control character {control.group()!r}; remove it')
        if raw.get("code", "").strip():
            prompt += "\n\n" + raw["code"].strip()
        if not prompt:
            raise BankError(f'{where}: "question" is empty')
        choices = []
        for index, answer in enumerate(raw["answers"]):
            if "answer" not in answer and "code" not in answer:
                raise BankError(f'{where}: "answers[{index + 1}].answer" is missing (give "answer", "code" or both)')
            text = text_of(answer.get("answer", ""), f"answers[{index + 1}].answer")
            code = answer.get("code", "").strip("\n").rstrip()  # code keeps its indentation and line breaks
            control = _CONTROL_IN_TEXT.search(code)
            if control:
                raise BankError(f'{where}: "answers[{index + 1}].code" holds the control character {control.group()!r}; remove it')
            text = "\n".join(part for part in (text, code) if part)
            if not text:
                raise BankError(f'{where}: "answers[{index + 1}].answer" is empty')
            choice_id = chr(ord("A") + index) if index < 26 else f"c{index + 1}"
            feedback = text_of(answer.get("feedback", ""), f"answers[{index + 1}].feedback")
            choices.append(Choice(choice_id, text, answer["correct"], feedback, code=bool(code)))
        if not any(choice.correct for choice in choices):
            raise BankError(f'{where}: "answers" has no correct answer, so the question cannot be scored')
        kind = "single" if raw["type"] == "multiple_choice" else "multiple"
        question = Question(f"q{number}", kind, "general", "", prompt, tuple(choices))
        position = {choice.id: index for index, choice in enumerate(choices, start=1)}
        _check_texts(question, where, lambda c, n: f"answers[{position[c.id]}].answer", lambda i, n: "")
        questions.append(question)
    for picture in pictures:
        warnings.warn(BankWarning(one_line(picture)), stacklevel=3)
    return tuple(questions)


# --- The built-in bank -------------------------------------------------------------------------------


@functools.cache
def builtin_bank(core: bool = False) -> tuple[Question, ...]:
    """The built-in questions: the hand-written bank, then questions generated from the content tables.

    With ``core=True``, only the short core quiz for one class period (12-15 questions: every part of the
    seed overview and the key safety points), in the bank's order. Raises :class:`BankError` if the bank's
    ``core`` list names a question that does not exist.
    """
    document, path = _builtin_document()
    if core:  # a selection of the whole bank, which is parsed once and cached
        return _core_quiz(document, builtin_bank(), str(path))
    everything = parse_bank(document, str(path), require_facts=True) + generated_questions()
    return _checked_core(document, everything, str(path))


@functools.cache
def _builtin_document() -> tuple[dict, Path]:
    path = content._packaged_data_dir() / BUILTIN_BANK_FILE
    import yaml

    # Our own file, checked with the strict loader by the tests: read it with libyaml when there is one,
    # since every learner's kernel reads it (the pure-Python loader took about 90 ms here, libyaml about 10).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader), path


def case_questions(case_id: str) -> tuple[Question, ...]:
    """The decision questions of one case scenario (``ivig_content.content.cases()``), in the case's order.

    Raises ``KeyError`` for an unknown case, and :class:`BankError` if the case names a question that the
    built-in bank does not have.
    """
    by_id = {question.id: question for question in builtin_bank()}
    for case in content.cases():
        if case.id == case_id:
            missing = [question_id for question_id in case.question_ids if question_id not in by_id]
            if missing:
                raise BankError(f'{content.CASES_FILE}: case "{case_id}" names "{missing[0]}", which is not a question')
            return tuple(by_id[question_id] for question_id in case.question_ids)
    raise KeyError(f'no case "{case_id}"; the cases are: {", ".join(case.id for case in content.cases())}')


def gives_itself_away(use_name: str, group_name: str) -> bool:
    """True when a use's name contains a word of its group's name, so "which group?" would answer itself.

    A word counts when it is a whole word of the group's name ("inflammatory") or, from 8 letters up, a part of
    one ("deficiency" in "Immunodeficiency"); short words such as "immune" do not count.
    """
    group_words = [word.lower() for word in re.findall(r"[A-Za-z]+", group_name)]
    for word in (word.lower() for word in re.findall(r"[A-Za-z]+", use_name)):
        if word in group_words or (len(word) >= 8 and any(word in group_word for group_word in group_words)):
            return True
    return False


def generated_questions() -> tuple[Question, ...]:
    """Questions made from the content tables, so their answers always equal the tables.

    For each specific use: "Which group does it belong to?" Groups it also fits (or that are arguable) are never
    offered as wrong answers, and a use whose name gives its group away (:func:`gives_itself_away`, or
    ``which_group_question = false``) gets no question.
    """
    groups = content.conditions()
    names = {group.id: group.name for group in groups}
    facts_by_id = {fact.id: fact for fact in content.facts()}
    questions = []
    for use in content.uses():
        if not use.which_group_question or gives_itself_away(use.name, names[use.condition]):
            continue
        not_wrong = set(use.also_fits) | set(use.arguable_groups)
        offered = [group for group in groups if group.id == use.condition or group.id not in not_wrong]
        use_fact = facts_by_id["use-" + use.id]
        right = names[use.condition]
        choices = []
        for group in offered:
            if group.id == use.condition:
                feedback = f'Right: {use.name} belongs to the group "{group.name}".'
            else:
                examples = "; ".join(example.name for example in group.uses)
                feedback = (
                    f'No: {use.name} belongs to the group "{right}". The group "{group.name}" is for this: '
                    f"{group.described} Examples: {examples}."
                )
            choices.append(Choice(group.id, group.name, group.id == use.condition, feedback))
        fact_ids = (use_fact.id,) + tuple("condition-" + group.id for group in offered)
        fact_ids += tuple(
            fact.id for group in offered for fact in content.closer_looks_for("condition-" + group.id)
        )
        also = [names[group] for group in use.also_fits]
        explanation = use_fact.statement
        if also:
            quoted = " and ".join(f'"{name}"' for name in also)
            explanation += f" That is why {quoted} was not offered as a wrong answer."
        if use.arguable_groups:
            quoted = " and ".join(f'"{names[group]}"' for group in use.arguable_groups)
            explanation += f" {quoted} was not offered either: a case can be made for it."
        questions.append(
            Question(
                id=f"which-group-{use.id}",
                kind="single",
                topic="conditions",
                level="extended",
                prompt=f"Which group of conditions does {use.name} belong to?",
                choices=tuple(choices),
                explanation=explanation,
                source=_citations(fact_ids, facts_by_id),
                fact_ids=fact_ids,
            )
        )

    return tuple(questions)


def _citations(fact_ids: Sequence[str], facts_by_id: Mapping[str, Any]) -> str:
    cited = dict.fromkeys(source for fact_id in fact_ids for source in facts_by_id[fact_id].sources)
    return "; ".join(source.citation for source in cited)
