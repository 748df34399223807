"""LMS exports (QTI 1.2, Moodle XML, GIFT): each is read back and compared with the bank, question by question.

No LMS runs here, so the readers below stand in for the importers: the XML is parsed with ElementTree (a file
that is not well-formed fails), and the GIFT reader follows the steps of Moodle's own importer
(``qformat_gift::readquestion``: placeholders for escaped characters, the first ``{`` and ``}``, ``####``, the
``[format]`` prefix, ``~``/``=``, ``%weight%``, ``#feedback``, ``->``). There is no maintained GIFT parser on PyPI
(pygiftparser's last release is from 2017), and no QTI 1.2 or Moodle XML schema in any package we can install, so
nothing is validated against an XSD.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ivig_content import DISCLAIMER
from ivig_content.__main__ import main
from ivig_content.banks import builtin_bank, load_bank
from ivig_content.lms_export import export_bank, gift_text, moodle_xml, qti_package
from ivig_content.quiz import right_answer_text
from ivig_content.records import Choice, Question

# --- Banks ----------------------------------------------------------------------------------------------

# Every text a bank may hold that means something to XML, HTML or GIFT, or to Moodle's GIFT importer.
NASTY_YAML = r'''
title: Nasty
questions:
  - id: nasty-single
    topic: "t<o>pic & co"
    level: seed
    prompt: "Which is right? <b>bold</b> & ]]> ~ = # { } : a \\ backslash, a \\n that is not a line break, a line\nbreak, a CRLF\r\nhere; -> arrow; 50% ####"
    choices:
      general: "[plain] looks like a format"
      B: "%50% looks like a weight"
      C: "<![CDATA[ x ]]> & &amp; \"double\" 'single'"
      D: "// not a comment\n$CATEGORY: not a category"
    answer: general
    feedback:
      general: "Right: {braces} and ~tilde~ = equals # hash"
      B: "No: \\{escaped already\\}"
      C: "No: </mattext></material> <script>alert(1)</script>"
    explanation: "Explanation with <i>tags</i>, ]]>, #### and a\nnew line"
    source: "Source: a source that says Source: & <cite>"
  - id: nasty.multiple_3-of-5
    kind: multiple
    prompt: "[html]<p>Select all</p> {#1}"
    choices:
      A: "=starts with equals"
      B: "~starts with tilde"
      C: "#starts with hash"
      D: "}closing"
      E: "::colons::"
    answer: [A, C, E]
    feedback: {A: "=", B: "~", C: "#", D: "}", E: "::"}
    explanation: "3 of 5"
  - id: nasty-match
    kind: matching
    prompt: "Match -> these\nplease"
    pairs:
      "[plain] item -> one": "answer -> with arrow } and ~"
      "item = two {x}": "answer\r\nwith a CRLF, a\nline break & <tag>"
      "item three": "answer -> with arrow } and ~"
    distractors: ["%10% distractor", "# hash distractor", "= -> not a pair"]
    explanation: "pairs"
    source: "S"
'''

# jupyterquiz: a code answer (indentation and line breaks kept) and a single-choice question with two right answers.
NASTY_JUPYTERQUIZ = [
    {"question": "Which code prints &lt;b&gt;?", "type": "multiple_choice", "answers": [
        {"code": "if a < b:\n    print('<b> & ]]>')", "correct": True, "feedback": "Right"},
        {"answer": "Also right", "correct": True},
        {"answer": "Wrong {x}", "correct": False, "feedback": "No: {x}"},
    ]},
    {"question": "Select the even numbers", "type": "many_choice", "answers": [
        {"answer": str(number), "correct": number % 2 == 0} for number in range(1, 8)
    ]},
]


@pytest.fixture(scope="module")
def nasty_banks(tmp_path_factory) -> list[tuple[Question, ...]]:
    folder = tmp_path_factory.mktemp("banks")
    (folder / "nasty.yaml").write_text(NASTY_YAML, encoding="utf-8")
    (folder / "quiz.json").write_text(json.dumps(NASTY_JUPYTERQUIZ), encoding="utf-8")
    return [load_bank(folder / "nasty.yaml"), load_bank(folder / "quiz.json")]


def all_banks(nasty_banks) -> list[tuple[Question, ...]]:
    return [builtin_bank(), *nasty_banks]


# --- What a reader should find: the bank, with line breaks as one "\n" ------------------------------------


def _n(text: str) -> str:
    return re.sub(r"\r\n|\r", "\n", text)


def expected(question: Question, pair_feedback: bool = True) -> dict:
    """The question as the readers below return it. Moodle has no per-pair feedback (``pair_feedback``)."""
    found = {"id": question.id, "kind": question.kind, "prompt": _n(question.prompt),
             "explanation": _n(question.explanation), "source": _n(question.source)}
    if question.kind == "matching":
        found["choices"] = [_n(choice.text) for choice in question.choices]
        found["items"] = [(_n(item.text), _n(question.choice(item.answer).text), _n(item.feedback) if pair_feedback else "")
                          for item in question.items]
    else:
        found["choices"] = [(_n(choice.text), choice.correct, _n(choice.feedback)) for choice in question.choices]
    return found


def right_answer_of(found: dict) -> str:
    """The right answer in words from what a reader found, as ``quiz.right_answer_text`` words it."""
    if found["kind"] == "matching":
        return "; ".join(f"{item} \u2192 {answer}" for item, answer, _ in found["items"])
    return (" / " if found["kind"] == "single" else "; ").join(text for text, right, _ in found["choices"] if right)


# --- Reading HTML fragments back -------------------------------------------------------------------------


def text_of(fragment: str | None) -> str:
    """The plain text an exported HTML fragment shows; fails on any markup an export does not write."""
    fragment = fragment or ""
    if fragment.startswith("<pre><code>"):
        assert fragment.endswith("</code></pre>"), fragment
        fragment = fragment[len("<pre><code>"):-len("</code></pre>")]
    assert "<" not in fragment.replace("<br>", ""), f"unexpected markup: {fragment!r}"
    return html.unescape(fragment.replace("<br>", "\n"))


def split_general(fragment: str | None) -> tuple[str, str]:
    found = re.fullmatch(r"(?:<p>(?!Source: )(.*?)</p>)?(?:<p>Source: (.*?)</p>)?", fragment or "", re.S)
    assert found, fragment
    return text_of(found.group(1)), text_of(found.group(2))


# --- QTI 1.2 ---------------------------------------------------------------------------------------------

Q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
MANIFEST = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"
QTI_KINDS = {"multiple_choice_question": "single", "multiple_answers_question": "multiple", "matching_question": "matching"}


def read_qti(data: bytes) -> tuple[ElementTree.Element, list[dict]]:
    """Canvas's meta file and the questions of a QTI package; the manifest must name every file in it."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = set(package.namelist())
        manifest = ElementTree.fromstring(package.read("imsmanifest.xml"))
        listed = {file.get("href") for file in manifest.iter(f"{MANIFEST}file")}
        assert listed == names - {"imsmanifest.xml"}
        (assessment,) = [name for name in listed if not name.endswith("/assessment_meta.xml")]
        (meta,) = [name for name in listed if name.endswith("/assessment_meta.xml")]
        assert assessment.split("/")[0] == meta.split("/")[0]
        root = ElementTree.fromstring(package.read(assessment))
        meta_root = ElementTree.fromstring(package.read(meta))
    assert root.tag == f"{Q}questestinterop"
    return meta_root, [read_qti_item(item) for item in root.iter(f"{Q}item")]


def _mattext(element: ElementTree.Element) -> ElementTree.Element:
    return element.find(f"{Q}material/{Q}mattext")


def read_qti_item(item: ElementTree.Element) -> dict:
    fields = {field.findtext(f"{Q}fieldlabel"): field.findtext(f"{Q}fieldentry") for field in item.iter(f"{Q}qtimetadatafield")}
    kind = QTI_KINDS[fields["question_type"]]
    presentation = item.find(f"{Q}presentation")
    prompt = _mattext(presentation)
    assert prompt.get("texttype") == "text/html" and prompt.text.startswith("<div>") and prompt.text.endswith("</div>")
    feedback = {element.get("ident"): element.find(f".//{Q}mattext").text for element in item.iter(f"{Q}itemfeedback")}
    explanation, source = split_general(feedback.get("general_fb"))
    found = {"id": item.get("title"), "kind": kind, "prompt": text_of(prompt.text[5:-6]),
             "explanation": explanation, "source": source}
    conditions = item.findall(f"{Q}resprocessing/{Q}respcondition")
    if kind == "matching":
        right, shown_when_wrong, points = {}, {}, 0.0
        for condition in conditions:
            variable = condition.find(f"{Q}conditionvar")
            if condition.find(f"{Q}setvar") is not None:
                (equal,) = variable.findall(f"{Q}varequal")
                right[equal.get("respident")] = equal.text
                assert condition.find(f"{Q}setvar").get("action") == "Add"
                points += float(condition.findtext(f"{Q}setvar"))
            elif variable.find(f"{Q}not") is not None:
                equal = variable.find(f"{Q}not/{Q}varequal")
                assert right[equal.get("respident")] == equal.text
                shown_when_wrong[equal.get("respident")] = condition.find(f"{Q}displayfeedback").get("linkrefid")
        assert abs(points - 100) < 0.05
        found["items"], labels_seen = [], []
        for response in presentation.findall(f"{Q}response_lid"):
            labels = {label.get("ident"): _mattext(label) for label in response.iter(f"{Q}response_label")}
            assert all(mattext.get("texttype") == "text/plain" for mattext in labels.values())
            labels_seen.append([mattext.text for mattext in labels.values()])
            ident = response.get("ident")
            found["items"].append((text_of(_mattext(response).text), labels[right[ident]].text,
                                   text_of(feedback.get(shown_when_wrong.get(ident)))))
        assert all(labels == labels_seen[0] for labels in labels_seen)  # every item offers every answer
        found["choices"] = labels_seen[0]
        return found
    (response,) = presentation.findall(f"{Q}response_lid")
    assert response.get("rcardinality") == ("Multiple" if kind == "multiple" else "Single")
    right, wrong, shown_when = set(), set(), {}
    for condition in conditions:
        variable = condition.find(f"{Q}conditionvar")
        if condition.findtext(f"{Q}setvar") == "100":
            every = variable.find(f"{Q}and")
            if kind == "multiple":
                right |= {equal.text for equal in every.findall(f"{Q}varequal")}
                wrong |= {equal.text for equal in every.findall(f"{Q}not/{Q}varequal")}
            else:
                assert every is None
                right |= {equal.text for equal in variable.findall(f"{Q}varequal")}
        elif variable.find(f"{Q}varequal") is not None:
            shown_when[variable.find(f"{Q}varequal").text] = condition.find(f"{Q}displayfeedback").get("linkrefid")
    labels = list(response.iter(f"{Q}response_label"))
    if kind == "multiple":  # full marks for exactly the right choices: every choice is in the condition
        assert right | wrong == {label.get("ident") for label in labels} and not right & wrong
    found["choices"] = [(text_of(_mattext(label).text), label.get("ident") in right,
                         text_of(feedback.get(shown_when.get(label.get("ident"))))) for label in labels]
    return found


# --- Moodle XML ------------------------------------------------------------------------------------------

MOODLE_GRADES = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)


def read_moodle(text: str) -> list[dict]:
    root = ElementTree.fromstring(text.encode("utf-8"))
    assert root.tag == "quiz"
    questions = []
    for question in root.findall("question"):
        name = question.findtext("name/text")
        assert question.findtext("idnumber") == name
        assert question.find("questiontext").get("format") == "html"
        explanation, source = split_general(question.findtext("generalfeedback/text"))
        found = {"id": name, "prompt": text_of(question.findtext("questiontext/text")),
                 "explanation": explanation, "source": source,
                 "tags": [tag.findtext("text") for tag in question.findall("tags/tag")]}
        if question.get("type") == "multichoice":
            found["kind"] = "single" if question.findtext("single") == "true" else "multiple"
            answers = question.findall("answer")
            fractions = [float(answer.get("fraction")) for answer in answers]
            # Moodle's import refuses any grade that is not one of its own
            assert all(any(abs(abs(fraction) / 100 - grade) < 1e-5 for grade in MOODLE_GRADES) for fraction in fractions)
            if found["kind"] == "multiple":
                assert abs(sum(fraction for fraction in fractions if fraction > 0) - 100) < 0.001
            found["choices"] = [(text_of(answer.findtext("text")), fraction > 0, text_of(answer.findtext("feedback/text")))
                                for answer, fraction in zip(answers, fractions, strict=True)]
        else:
            assert question.get("type") == "matching"
            found["kind"] = "matching"
            parts = [(subquestion.findtext("text"), subquestion.findtext("answer/text"))
                     for subquestion in question.findall("subquestion")]
            found["items"] = [(text_of(item), answer, "") for item, answer in parts if item]
            found["choices"] = list(dict.fromkeys(answer for _, answer in parts))
        questions.append(found)
    return questions


# --- GIFT, read as Moodle's importer reads it ------------------------------------------------------------

_GIFT_ESCAPED = ["\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n"]
_GIFT_PLACEHOLDERS = ["&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010"]
_GIFT_CHARACTERS = [":", "#", "=", "{", "}", "~", "\n"]
_PHP_SPACE = " \t\n\r\0\x0b"


def _gift_pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in zip(_GIFT_ESCAPED, _GIFT_PLACEHOLDERS, strict=True):
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _gift_post(text: str) -> str:
    for placeholder, character in zip(_GIFT_PLACEHOLDERS, _GIFT_CHARACTERS, strict=True):
        text = text.replace(placeholder, character)
    return text


def _gift_html(text: str) -> str:
    """Moodle's parse_text_with_format for a field in the question's format (html): no other "[format]" may
    start it; then the placeholders back and the HTML read as text."""
    text = text.strip(_PHP_SPACE)
    assert not re.match(r"\[(moodle|html|plain|markdown)\]", text), text
    return text_of(_gift_post(text).strip(_PHP_SPACE))


def read_gift(text: str) -> list[dict]:
    questions = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
        body = _gift_pre("\n".join(lines).strip(_PHP_SPACE))
        assert body.startswith("::") and not body.startswith("$CATEGORY:")
        name, body = body[2:].split("::", 1)
        body = body.strip(_PHP_SPACE)
        start, finish = body.index("{"), body.index("}")
        assert finish == len(body) - 1, "one answer block, at the end"
        answers = body[start + 1:finish].strip(_PHP_SPACE)
        general = ""
        if "####" in answers:
            cut = answers.rindex("####")
            answers, general = answers[:cut].strip(_PHP_SPACE), answers[cut + 4:]
        prompt = body[:start].strip(_PHP_SPACE)
        assert prompt.startswith("[html]")
        explanation, source = split_general(_gift_post(general.strip(_PHP_SPACE)))
        found = {"id": _gift_post(name), "prompt": text_of(_gift_post(prompt[len("[html]"):]).strip(_PHP_SPACE)),
                 "explanation": explanation, "source": source}
        if "~" in answers:
            found["kind"] = "single" if "=" in answers else "multiple"
            parts = [part.strip(_PHP_SPACE) for part in answers.replace("=", "~=").split("~")]
            found["choices"], weights = [], []
            for part in parts[1:] if not parts[0] else parts:
                if part.startswith("="):
                    weight, part = 1.0, part[1:]
                elif weight_found := re.match(r"%(-*[0-9]{1,2}\.?[0-9]*)%", part):
                    weight, part = float(weight_found.group(1)) / 100, part[weight_found.end():]
                else:
                    weight = 0.0
                choice, _, feedback = part.partition("#")
                found["choices"].append((_gift_html(choice), weight > 0, _gift_html(feedback)))
                weights.append(weight)
            assert all(any(abs(abs(weight) - grade) < 1e-5 for grade in MOODLE_GRADES) for weight in weights)
            if found["kind"] == "multiple":
                assert abs(sum(weight for weight in weights if weight > 0) - 1) < 1e-5
        else:
            assert "=" in answers and "->" in answers, "a matching question"
            found["kind"], pairs = "matching", []
            parts = [part.strip(_PHP_SPACE) for part in answers.split("=")]
            for part in parts[1:] if not parts[0] else parts:
                marker = part.index("->")
                pairs.append((_gift_html(part[:marker]), _gift_post(part[marker + 2:]).strip(_PHP_SPACE)))
            found["items"] = [(item, answer, "") for item, answer in pairs if item]
            found["choices"] = list(dict.fromkeys(answer for _, answer in pairs))
        questions.append(found)
    return questions


# --- Every question back, with the right answers --------------------------------------------------------


def _compare(found: list[dict], questions: tuple[Question, ...], pair_feedback: bool) -> None:
    assert [question["id"] for question in found] == [question.id for question in questions]
    for got, question in zip(found, questions, strict=True):
        got = {key: value for key, value in got.items() if key != "tags"}
        assert got == expected(question, pair_feedback), question.id
        assert right_answer_of(got) == _n(right_answer_text(question))


def test_qti_package_holds_every_question_with_its_answers_and_feedback(nasty_banks):
    for questions in all_banks(nasty_banks):
        meta, found = read_qti(qti_package(questions, "A <quiz> & co", "Say & <mean> it"))
        _compare(found, questions, pair_feedback=True)
        assert meta.tag == f"{CANVAS}quiz" and meta.findtext(f"{CANVAS}title") == "A <quiz> & co"
        assert meta.findtext(f"{CANVAS}description") == "<p>Say &amp; &lt;mean&gt; it</p>"
        assert meta.findtext(f"{CANVAS}points_possible") == f"{len(questions)}.0"


def test_moodle_xml_holds_every_question_with_its_answers_and_feedback(nasty_banks):
    for questions in all_banks(nasty_banks):
        found = read_moodle(moodle_xml(questions))
        _compare(found, questions, pair_feedback=False)
        for got, question in zip(found, questions, strict=True):
            assert got["tags"] == list(dict.fromkeys(filter(None, (question.topic, question.level))))


def test_gift_holds_every_question_with_its_answers_and_feedback(nasty_banks):
    for questions in all_banks(nasty_banks):
        _compare(read_gift(gift_text(questions)), questions, pair_feedback=False)


# --- Expected values, written out -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtin_read_back() -> dict[str, dict[str, dict]]:
    questions = builtin_bank()
    return {
        "qti": {found["id"]: found for found in read_qti(qti_package(questions, "IVIG quiz"))[1]},
        "moodle": {found["id"]: found for found in read_moodle(moodle_xml(questions))},
        "gift": {found["id"]: found for found in read_gift(gift_text(questions))},
    }


@pytest.mark.parametrize("file_format", ["qti", "moodle", "gift"])
def test_one_builtin_question_of_each_kind_reads_back_as_written(builtin_read_back, file_format):
    single = builtin_read_back[file_format]["made-from"]
    assert single["kind"] == "single" and single["prompt"] == "What is IVIG made from?"
    assert [text for text, right, _ in single["choices"] if right] == ["Antibodies pooled from many healthy donors' plasma"]
    assert single["choices"][1] == (
        "Antibodies grown in a lab from the patient's own blood cells", False,
        "No: the antibodies come from healthy donors, pooled together, not from the patient.",
    )
    assert single["explanation"].startswith("IVIG is a biological agent, purified from the pooled blood plasma")
    assert single["source"]

    multiple = builtin_read_back[file_format]["boost-and-normalise"]
    assert multiple["kind"] == "multiple"
    assert [(text, right) for text, right, _ in multiple["choices"]] == [
        ("Boost it, with a concentrated dose of antibodies", True),
        ("Normalise it, bringing an overactive or underactive immune system back to balance", True),
        ("Cure it for good after one dose", False),
        ("Switch it off completely", False),
    ]

    matching = builtin_read_back[file_format]["match-groups-with-descriptions"]
    assert matching["kind"] == "matching"
    assert [(item, answer) for item, answer, _ in matching["items"]][:2] == [
        ("Immunodeficiency states", "Conditions in which the immune system does not work properly."),
        ("Autoimmune diseases", "Diseases in which the immune system attacks the body's own tissues."),
    ]
    pair_feedback = matching["items"][0][2]
    assert pair_feedback == ("Immunodeficiency states \u2192 Conditions in which the immune system does not work "
                             "properly." if file_format == "qti" else "")


def test_nasty_texts_are_escaped_as_each_format_wants(nasty_banks):
    questions = nasty_banks[0]
    gift = gift_text(questions)
    assert (
        "::nasty-single::[html]Which is right? &lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt; \\~ \\= \\# \\{ \\} \\: a \\\\ "
        "backslash, a \\\\n that is not a line break, a line<br>break, a CRLF<br>here; -&gt; arrow; 50% \\#\\#\\#\\# {\n"
        "\t=&\\#91;plain] looks like a format#Right\\: \\{braces\\} and \\~tilde\\~ \\= equals \\# hash\n"
        "\t~&\\#37;50% looks like a weight#No\\: \\\\\\{escaped already\\\\\\}\n"
    ) in gift
    assert "\t~%33.33333%\\=starts with equals#\\=\n\t~%-50%\\~starts with tilde#\\~\n" in gift
    assert "\t=&\\#91;plain] item -&gt; one -> answer -> with arrow \\} and \\~\n" in gift
    assert "\t=item \\= two \\{x\\} -> answer\\nwith a CRLF, a\\nline break & <tag>\n" in gift
    assert "\t= -> \\= -> not a pair\n" in gift
    moodle = moodle_xml(questions)
    assert "<text>Which is right? &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp;amp; ]]&amp;gt; ~ = # { } :" in moodle
    assert '<answer fraction="-50" format="html">' in moodle and '<answer fraction="33.33333" format="html">' in moodle
    assert "<subquestion format=\"html\">\n   <text></text>\n   <answer>\n    <text>%10% distractor</text>" in moodle


def test_exports_are_the_same_every_time():
    questions = builtin_bank()
    for file_format in ("qti", "moodle", "gift"):
        assert export_bank(questions, file_format, "IVIG quiz") == export_bank(questions, file_format, "IVIG quiz")


def test_a_character_no_lms_file_can_hold_is_named_in_one_line():
    question = Question("odd", "single", "t", "", "Broken\ufffftext", (Choice("A", "a", True), Choice("B", "b", False)))
    for file_format in ("qti", "moodle", "gift"):
        with pytest.raises(ValueError) as raised:
            export_bank((question,), file_format, "t")
        assert str(raised.value) == (
            'question "odd": the prompt holds the character U+FFFF, which an LMS file cannot hold; remove it'
        )


def test_moodle_refuses_marks_it_cannot_share_and_says_which_question():
    choices = tuple(Choice(str(number), f"choice {number}", number < 11) for number in range(12))
    question = Question("many-right", "multiple", "t", "", "Which?", choices)
    assert read_qti(qti_package((question,), "t"))[1][0]["choices"][0] == ("choice 0", True, "")
    for export in (moodle_xml, gift_text):
        with pytest.raises(ValueError, match='^question "many-right" has 11 right choices: Moodle can share'):
            export((question,))


def test_gift_refuses_a_single_choice_question_whose_every_choice_is_right():
    question = Question("all-right", "single", "t", "", "Which?", (Choice("A", "a", True), Choice("B", "b", True)))
    assert read_moodle(moodle_xml((question,)))[0]["choices"] == [("a", True, ""), ("b", True, "")]
    with pytest.raises(ValueError, match='^question "all-right": every choice is right, which GIFT cannot say'):
        gift_text((question,))


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match='^"qti2" is not an export format: use one of qti, moodle, gift$'):
        export_bank(builtin_bank(), "qti2", "t")


# --- The command ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_format", "name"), [("qti", "quiz.zip"), ("moodle", "quiz.xml"), ("gift", "quiz.txt")])
def test_export_writes_the_whole_builtin_bank(tmp_path: Path, capsys, file_format, name):
    out = tmp_path / name
    assert main(["export", "--format", file_format, "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data == export_bank(builtin_bank(), file_format, "IVIG quiz", DISCLAIMER)
    assert capsys.readouterr().out.startswith(f"wrote {out}: {len(builtin_bank())} questions, {len(data)} bytes; import it in ")
    assert out.stat().st_mode & 0o644 == 0o644


def test_export_of_an_instructors_bank_and_a_name_an_lms_may_refuse(tmp_path: Path, capsys):
    bank = tmp_path / "my bank.yaml"
    bank.write_text(NASTY_YAML, encoding="utf-8")
    assert main(["export", str(bank), "--format", "gift", "--out", str(tmp_path / "my.gift")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"wrote {tmp_path / 'my.gift'}: 3 questions, ")
    assert lines[1] == "note  gift files are named *.txt: an LMS may refuse my.gift"
    assert (tmp_path / "my.gift").read_text(encoding="utf-8") == gift_text(load_bank(bank))
    assert main(["export", str(bank), "--format", "qti", "--out", str(tmp_path / "my.zip")]) == 0
    meta, _ = read_qti((tmp_path / "my.zip").read_bytes())
    # the bank's own title (a fresh-eyes trial: it was accepted but never used)
    assert meta.findtext(f"{CANVAS}title") == "Nasty" and meta.findtext(f"{CANVAS}description") == ""


def test_export_never_overwrites_without_asking_and_names_a_broken_bank(tmp_path: Path, capsys):
    out = tmp_path / "quiz.xml"
    out.write_text("keep me", encoding="utf-8")
    assert main(["export", "--format", "moodle", "--out", str(out)]) == 1
    assert capsys.readouterr().out == f"FAIL  {out}: already exists; use --overwrite to replace it\n"
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["export", "--format", "moodle", "--out", str(out), "--overwrite"]) == 0
    assert out.read_text(encoding="utf-8") == moodle_xml(builtin_bank())
    broken = tmp_path / "broken.yaml"
    broken.write_text("questions: [oops", encoding="utf-8")
    capsys.readouterr()
    assert main(["export", str(broken), "--format", "qti", "--out", str(tmp_path / "x.zip")]) == 1
    line = capsys.readouterr().out
    assert line.startswith("FAIL  ") and "broken.yaml" in line and line.count("\n") == 1
    assert not (tmp_path / "x.zip").exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no temporary file left
