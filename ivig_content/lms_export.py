"""A question bank for a learning management system: QTI 1.2 (Canvas, Blackboard), Moodle XML and GIFT.

``python -m ivig_content export --format qti|moodle|gift [BANK] --out FILE`` calls these pure functions; each
takes the bank's questions and returns the file's content, and writes nothing:

- :func:`qti_package` -> bytes: a QTI 1.2 ``.zip`` in Canvas's flavour (the shape Canvas itself exports and
  text2qti writes): ``imsmanifest.xml``, the assessment ``<ID>/<ID>.xml`` (``questestinterop``) and Canvas's
  ``<ID>/assessment_meta.xml``. "single" questions are ``multiple_choice_question``, "multiple" ones
  ``multiple_answers_question`` (full marks only for exactly the right choices), "matching" ones
  ``matching_question`` (one ``response_lid`` per item, the answers and distractors as its labels). Each choice's
  feedback is an ``itemfeedback`` shown when it is chosen (for a matching item: when it is paired wrongly, as
  Canvas does); the explanation and the source are the general feedback (``general_fb``).
- :func:`moodle_xml` -> str: Moodle XML (``<quiz>``): ``multichoice`` questions (``<single>``; a right choice of a
  "multiple" question has the fraction 100/number of right choices, a wrong one minus 100/number of wrong
  choices, so ticking everything scores nothing) with each answer's ``<feedback>``, and ``matching`` questions
  (``<subquestion>`` per item; a distractor is a subquestion with an empty text, as Moodle writes them). The
  explanation, then "Source: ..." is ``<generalfeedback>``; the bank's question id is ``<name>`` and
  ``<idnumber>``, its topic and level are ``<tags>``.
- :func:`gift_text` -> str: GIFT, as Moodle's importer reads it: ``::id::[html]prompt{ ... ####general feedback}``,
  ``=right``/``~wrong`` (``~%50%``/``~%-100%`` in "multiple"), ``#feedback`` after each choice,
  ``=item -> answer`` for matching (``= -> distractor``).

Texts in a bank are plain text, written by anyone: they can hold ``<``, ``&``, ``]]>``, line breaks and GIFT's
``~ = # { } :``. Every text is written as HTML (``&``, ``<``, ``>`` escaped; a line break as ``<br>``; a code
choice in ``<pre><code>``) and then escaped for its container: XML escaping (ElementTree) in QTI and Moodle XML;
in GIFT, a backslash before ``\\ ~ = # { } :`` (as Moodle's own GIFT export does), and a first ``[`` or ``%`` as
an HTML character reference, so that Moodle never reads it as a ``[format]`` or a ``%weight%``. The right-hand
answers of a matching question are plain text in every format (Canvas and Moodle show them in a drop-down).

Moodle's matching questions have no per-pair feedback: a bank's pair feedback is "item → answer", which Moodle
shows itself as the right answer, so Moodle XML and GIFT leave it out.

Errors (``ValueError``, one line, naming the question): an unknown format; a text with a character XML cannot
hold (U+FFFE, U+FFFF, control characters; banks already refuse most); for Moodle XML and GIFT, a "multiple"
question whose right choices Moodle cannot share 100% among (Moodle accepts only its fixed list of grades:
1 to 10 or 20 right choices); for GIFT, a single-choice question (from jupyterquiz) whose every choice is right.

Why no library: text2qti (maintained; 0.8.0 in 2026) reads its own Markdown text format and builds its quiz
objects from that text only, so our questions would first be written as Markdown (another escaping layer) and it
has no matching questions; qti-package-maker writes no feedback at all. Neither has Moodle XML. For GIFT there is
no maintained writer that escapes (gift-wrapper builds GIFT from its own YAML; pygiftparser, from 2017, only
reads). So the standard library (``xml.etree``, ``zipfile``) writes all three, following the shapes of Canvas's
own QTI exporter, text2qti's templates and Moodle's ``qformat_xml``/``qformat_gift``.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from collections.abc import Sequence
from xml.etree import ElementTree

from .records import Choice, Question

__all__ = ["FORMATS", "SUFFIXES", "export_bank", "gift_text", "moodle_xml", "qti_package"]

FORMATS = ("qti", "moodle", "gift")
SUFFIXES = {"qti": ".zip", "moodle": ".xml", "gift": ".txt"}

# XML 1.0 cannot hold these at all (banks refuse the control characters already; U+FFFE/U+FFFF get through).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def export_bank(questions: Sequence[Question], file_format: str, title: str, description: str = "") -> bytes:
    """The export of ``questions`` in ``file_format`` ("qti", "moodle" or "gift") as the bytes of the file.

    ``title`` names the quiz (QTI's assessment); ``description`` is shown above it in Canvas (QTI only).
    Raises ``ValueError`` (one line) for an unknown format and for what the format's docstring names.
    """
    if file_format == "qti":
        return qti_package(questions, title, description)
    if file_format == "moodle":
        return moodle_xml(questions).encode("utf-8")
    if file_format == "gift":
        return gift_text(questions).encode("utf-8")
    raise ValueError(f'"{file_format}" is not an export format: use one of {", ".join(FORMATS)}')


# --- Texts ---------------------------------------------------------------------------------------------


def _texts(question: Question) -> list[tuple[str, str]]:
    """(field, text) for every text of a question that an export writes."""
    texts = [("prompt", question.prompt), ("explanation", question.explanation), ("source", question.source)]
    texts += [(f"choice {choice.id}", choice.text) for choice in question.choices]
    texts += [(f"choice {choice.id} feedback", choice.feedback) for choice in question.choices]
    texts += [(f"item {item.id}", item.text) for item in question.items]
    texts += [(f"item {item.id} feedback", item.feedback) for item in question.items]
    return texts


def _check_characters(questions: Sequence[Question]) -> None:
    for question in questions:
        for field, text in _texts(question):
            found = _NOT_IN_XML.search(text)
            if found:
                raise ValueError(
                    f'question "{question.id}": the {field} holds the character U+{ord(found.group()):04X}, which '
                    "an LMS file cannot hold; remove it"
                )


def _html(text: str, code: bool = False) -> str:
    """Plain text as an HTML fragment that shows exactly that text."""
    fragment = _LINE_BREAK.sub("<br>", html.escape(text, quote=False))
    return f"<pre><code>{fragment}</code></pre>" if code else fragment


def _general_feedback(question: Question) -> str:
    """The explanation, then the source, as HTML paragraphs ("" when the question has neither)."""
    parts = [f"<p>{_html(question.explanation)}</p>"] if question.explanation else []
    if question.source:
        parts.append(f"<p>Source: {_html(question.source)}</p>")
    return "".join(parts)


def _plain(text: str) -> str:
    """A plain-text field (a matching answer) with its line breaks as "\\n"."""
    return _LINE_BREAK.sub("\n", text)


def _answer_text(question: Question, answer_id: str) -> str:
    return question.choice(answer_id).text


# --- QTI 1.2 (Canvas's flavour) ------------------------------------------------------------------------

_QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
_MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
_QTI_TYPES = {
    "single": "multiple_choice_question", "multiple": "multiple_answers_question", "matching": "matching_question",
}


def qti_package(questions: Sequence[Question], title: str, description: str = "") -> bytes:
    """A QTI 1.2 content package (``.zip``) that Canvas imports ("QTI .zip file"), as bytes.

    The package is the same for the same questions (fixed ids and file times), so exporting twice gives one file.
    Raises ``ValueError`` for a text with a character XML cannot hold.
    """
    _check_characters(questions)
    digest = hashlib.sha256(repr((title, tuple(questions))).encode("utf-8")).hexdigest()[:16]
    assessment_id = f"ivig_{digest}"
    files = {
        "imsmanifest.xml": _qti_manifest(assessment_id, title),
        f"{assessment_id}/{assessment_id}.xml": _qti_assessment(questions, assessment_id, title),
        f"{assessment_id}/assessment_meta.xml": _canvas_meta(assessment_id, title, description, len(questions)),
    }
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, document in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, document)
    return stream.getvalue()


def _xml_bytes(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root, space=" ")
    # <text></text>, never <text />: Moodle's own files write empty texts that way
    body = ElementTree.tostring(root, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _sub(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _qti_manifest(assessment_id: str, title: str) -> bytes:
    manifest = ElementTree.Element("manifest", {"identifier": f"{assessment_id}_manifest", "xmlns": _MANIFEST_NS})
    metadata = _sub(manifest, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    _sub(manifest, "organizations")
    resources = _sub(manifest, "resources")
    resource = _sub(resources, "resource", identifier=assessment_id, type="imsqti_xmlv1p2")
    _sub(resource, "file", href=f"{assessment_id}/{assessment_id}.xml")
    _sub(resource, "dependency", identifierref=f"{assessment_id}_meta")
    meta = _sub(resources, "resource", identifier=f"{assessment_id}_meta",
                type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                href=f"{assessment_id}/assessment_meta.xml")
    _sub(meta, "file", href=f"{assessment_id}/assessment_meta.xml")
    return _xml_bytes(manifest)


def _canvas_meta(assessment_id: str, title: str, description: str, count: int) -> bytes:
    quiz = ElementTree.Element("quiz", {"identifier": assessment_id, "xmlns": _CANVAS_NS})
    _sub(quiz, "title", title)
    _sub(quiz, "description", f"<p>{_html(description)}</p>" if description else "")
    for tag, value in (("shuffle_answers", "true"), ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                       ("points_possible", f"{count:.1f}"), ("show_correct_answers", "true"),
                       ("allowed_attempts", "1"), ("one_question_at_a_time", "false"), ("cant_go_back", "false"),
                       ("available", "false")):
        _sub(quiz, tag, value)
    return _xml_bytes(quiz)


def _qti_assessment(questions: Sequence[Question], assessment_id: str, title: str) -> bytes:
    root = ElementTree.Element("questestinterop", {"xmlns": _QTI_NS})
    assessment = _sub(root, "assessment", ident=assessment_id, title=title)
    section = _sub(assessment, "section", ident="root_section")
    for question in questions:
        _qti_item(section, question, assessment_id)
    return _xml_bytes(root)


def _mattext(parent: ElementTree.Element, fragment: str, texttype: str = "text/html") -> None:
    _sub(_sub(parent, "material"), "mattext", fragment, texttype=texttype)


def _choice_ident(choice: Choice) -> str:
    return f"c_{choice.id}"  # never "general", "correct" or "general_incorrect" (Canvas's own feedback ids)


def _qti_item(section: ElementTree.Element, question: Question, assessment_id: str) -> None:
    item = _sub(section, "item", ident=f"{assessment_id}_{question.id}", title=question.id)
    matching = question.kind == "matching"
    answer_ids = [f"i_{it.id}" for it in question.items] if matching else [_choice_ident(c) for c in question.choices]
    fields = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", _QTI_TYPES[question.kind]), ("points_possible", "1.0"),
                         ("original_answer_ids", ",".join(answer_ids))):
        field = _sub(fields, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)

    presentation = _sub(item, "presentation")
    _mattext(presentation, f"<div>{_html(question.prompt)}</div>")
    if matching:
        for match_item in question.items:
            response = _sub(presentation, "response_lid", ident=f"response_i_{match_item.id}")
            _mattext(response, _html(match_item.text))
            choices = _sub(response, "render_choice")
            for choice in question.choices:
                label = _sub(choices, "response_label", ident=_choice_ident(choice))
                _mattext(label, _plain(choice.text), "text/plain")
    else:
        response = _sub(presentation, "response_lid", ident="response1",
                        rcardinality="Multiple" if question.kind == "multiple" else "Single")
        choices = _sub(response, "render_choice")
        for choice in question.choices:
            _mattext(_sub(choices, "response_label", ident=_choice_ident(choice)), _html(choice.text, choice.code))

    processing = _sub(item, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    general = _general_feedback(question)
    if general:
        condition = _sub(processing, "respcondition", **{"continue": "Yes"})
        _sub(_sub(condition, "conditionvar"), "other")
        _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    if matching:
        share = f"{100 / len(question.items):.2f}"
        for match_item in question.items:
            respident = f"response_i_{match_item.id}"
            right = _choice_ident(question.choice(match_item.answer))
            condition = _sub(processing, "respcondition")
            _sub(_sub(condition, "conditionvar"), "varequal", right, respident=respident)
            _sub(condition, "setvar", share, varname="SCORE", action="Add")
            if match_item.feedback:  # shown when this item is paired wrongly, as Canvas exports it
                condition = _sub(processing, "respcondition")
                _sub(_sub(_sub(condition, "conditionvar"), "not"), "varequal", right, respident=respident)
                _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"i_{match_item.id}_fb")
    else:
        for choice in question.choices:
            if choice.feedback:
                condition = _sub(processing, "respcondition", **{"continue": "Yes"})
                _sub(_sub(condition, "conditionvar"), "varequal", _choice_ident(choice), respident="response1")
                _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{_choice_ident(choice)}_fb")
        if question.kind == "multiple":
            condition = _sub(processing, "respcondition", **{"continue": "No"})
            every = _sub(_sub(condition, "conditionvar"), "and")
            for choice in question.choices:
                parent = every if choice.correct else _sub(every, "not")
                _sub(parent, "varequal", _choice_ident(choice), respident="response1")
            _sub(condition, "setvar", "100", action="Set", varname="SCORE")
        else:  # one condition per right choice (a jupyterquiz single-choice question may have several)
            for choice in question.choices:
                if choice.correct:
                    condition = _sub(processing, "respcondition", **{"continue": "No"})
                    _sub(_sub(condition, "conditionvar"), "varequal", _choice_ident(choice), respident="response1")
                    _sub(condition, "setvar", "100", action="Set", varname="SCORE")

    if general:
        _item_feedback(item, "general_fb", general)
    for choice in () if matching else question.choices:
        if choice.feedback:
            _item_feedback(item, f"{_choice_ident(choice)}_fb", _html(choice.feedback))
    for match_item in question.items:
        if match_item.feedback:
            _item_feedback(item, f"i_{match_item.id}_fb", _html(match_item.feedback))


def _item_feedback(item: ElementTree.Element, ident: str, fragment: str) -> None:
    _mattext(_sub(_sub(item, "itemfeedback", ident=ident), "flow_mat"), fragment)


# --- Moodle XML ----------------------------------------------------------------------------------------

# The only grades Moodle's import accepts (question_bank::fraction_options_full()), as fractions.
_MOODLE_GRADES = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                  0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".")


def _moodle_fractions(question: Question) -> list[str]:
    """Each choice's grade in percent, as Moodle writes it ("100", "33.33333", "-50", "0")."""
    if question.kind == "single":
        return ["100" if choice.correct else "0" for choice in question.choices]
    right = sum(choice.correct for choice in question.choices)
    wrong = len(question.choices) - right
    share = next((grade for grade in _MOODLE_GRADES if abs(grade - 1 / right) < 1e-5), None)
    if share is None:
        raise ValueError(
            f'question "{question.id}" has {right} right choices: Moodle can share the marks only among 1 to 10 or '
            "20 right choices; split it into smaller questions"
        )
    # Each wrong choice takes away 1/wrong of the marks (or the nearest grade below that Moodle has).
    penalty = next((grade for grade in _MOODLE_GRADES if grade <= 1 / wrong + 1e-7), 0.05) if wrong else 0.0
    return [_percent(share) if choice.correct else _percent(-penalty) for choice in question.choices]


def moodle_xml(questions: Sequence[Question]) -> str:
    """The questions as Moodle XML (``<quiz>``), for Moodle's question bank: Import, "Moodle XML format".

    Raises ``ValueError`` for a text with a character XML cannot hold, or a "multiple" question whose marks
    Moodle cannot share among its right choices.
    """
    _check_characters(questions)
    quiz = ElementTree.Element("quiz")
    for question in questions:
        kind = "matching" if question.kind == "matching" else "multichoice"
        element = _sub(quiz, "question", type=kind)
        _sub(_sub(element, "name"), "text", question.id)
        _moodle_text(element, "questiontext", _html(question.prompt))
        _moodle_text(element, "generalfeedback", _general_feedback(question))
        _sub(element, "defaultgrade", "1")
        _sub(element, "penalty", "0.3333333")
        _sub(element, "hidden", "0")
        _sub(element, "idnumber", question.id)
        if kind == "multichoice":
            _sub(element, "single", "true" if question.kind == "single" else "false")
        _sub(element, "shuffleanswers", "true")
        if kind == "multichoice":
            _sub(element, "answernumbering", "abc")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _moodle_text(element, tag, "")
        if kind == "multichoice":
            _sub(element, "shownumcorrect")
            for choice, fraction in zip(question.choices, _moodle_fractions(question), strict=True):
                answer = _sub(element, "answer", fraction=fraction, format="html")
                _sub(answer, "text", _html(choice.text, choice.code))
                _moodle_text(answer, "feedback", _html(choice.feedback))
        else:
            paired = {item.answer for item in question.items}
            for item in question.items:
                subquestion = _sub(element, "subquestion", format="html")
                _sub(subquestion, "text", _html(item.text))
                _sub(_sub(subquestion, "answer"), "text", _plain(_answer_text(question, item.answer)))
            for choice in question.choices:
                if choice.id not in paired:  # a distractor: an answer without an item
                    subquestion = _sub(element, "subquestion", format="html")
                    _sub(subquestion, "text", "")
                    _sub(_sub(subquestion, "answer"), "text", _plain(choice.text))
        tags = _sub(element, "tags")
        for tag in dict.fromkeys(filter(None, (question.topic, question.level))):
            _sub(_sub(tags, "tag"), "text", tag)
    return _xml_bytes(quiz).decode("utf-8")


def _moodle_text(parent: ElementTree.Element, tag: str, fragment: str) -> None:
    _sub(_sub(parent, tag, format="html"), "text", fragment)


# --- GIFT ----------------------------------------------------------------------------------------------

_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def _gift(fragment: str) -> str:
    """An HTML fragment (or plain text) escaped for GIFT: a backslash before ``\\ ~ = # { } :``, and a first
    ``[`` or ``%`` as a character reference (Moodle would read ``[plain]`` as a format, ``%50%`` as a weight)."""
    stripped = fragment.lstrip()
    if stripped[:1] in ("[", "%"):
        fragment = fragment[: len(fragment) - len(stripped)] + f"&#{ord(stripped[0])};" + stripped[1:]
    return _GIFT_SPECIAL.sub(r"\\\1", fragment)


def _gift_plain(text: str) -> str:
    """A plain-text field (a matching answer) for GIFT: escaped as Moodle's export does, a line break as ``\\n``."""
    return _GIFT_SPECIAL.sub(r"\\\1", _plain(text)).replace("\n", "\\n")


def gift_text(questions: Sequence[Question]) -> str:
    """The questions in GIFT, for Moodle's question bank: Import, "GIFT format". One question per paragraph.

    Raises ``ValueError`` for a text with a character an LMS file cannot hold, a "multiple" question whose marks
    Moodle cannot share among its right choices, or a single-choice question whose every choice is right (it would
    read as a short-answer question).
    """
    _check_characters(questions)
    blocks = []
    for question in questions:
        lines = [f"// question: {_plain(question.id)}".replace("\n", " "),
                 f"::{_gift(question.id)}::[html]{_gift(_html(question.prompt))} {{"]
        if question.kind == "matching":
            paired = {item.answer for item in question.items}
            for item in question.items:
                lines.append(f"\t={_gift(_html(item.text))} -> {_gift_plain(_answer_text(question, item.answer))}")
            for choice in question.choices:
                if choice.id not in paired:
                    lines.append(f"\t= -> {_gift_plain(choice.text)}")
        else:
            if question.kind == "single" and all(choice.correct for choice in question.choices):
                raise ValueError(
                    f'question "{question.id}": every choice is right, which GIFT cannot say (Moodle would read a '
                    "short-answer question); export it as Moodle XML"
                )
            for choice, fraction in zip(question.choices, _moodle_fractions(question), strict=True):
                if question.kind == "single":
                    mark = "=" if choice.correct else "~"
                else:
                    mark = f"~%{fraction}%"
                feedback = f"#{_gift(_html(choice.feedback))}" if choice.feedback else ""
                lines.append(f"\t{mark}{_gift(_html(choice.text, choice.code))}{feedback}")
        general = _general_feedback(question)
        if general:
            lines.append(f"\t####{_gift(general)}")
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
