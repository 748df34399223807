"""Every finding of the clinical review of the first edition (issue 11), each with the right value written out,
and the rules for the second edition's content and quiz that came out of it (shared/REFERENCE.md)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import ivig_content
from ivig_content import banks, content, quiz
from ivig_content.__main__ import main
from ivig_content.instructors import answer_key_markdown, review_sheet_markdown
from ivig_content.widgets import ConditionExplorer, QuizWidget

from .conftest import REPO

BANK = banks.builtin_bank()
CORE = banks.builtin_bank(core=True)
BY_ID = {question.id: question for question in BANK}
LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))


def choice_texts(question_id: str) -> list[str]:
    return [choice.text for choice in BY_ID[question_id].choices]


def question_text(question) -> str:
    """Everything a learner can read in a question: prompt, choices, items, feedback, explanation."""
    parts = [question.prompt, question.explanation]
    parts += [text for choice in question.choices for text in (choice.text, choice.feedback)]
    parts += [text for item in question.items for text in (item.text, item.feedback)]
    return " ".join(parts)


# --- 1. Wrong -------------------------------------------------------------------------------------------


def test_gbs_which_group_question_never_offers_inflammatory_states_as_wrong():
    assert choice_texts("which-group-guillain-barre-syndrome") == [
        "Immunodeficiency states",
        "Autoimmune diseases",
        "Infectious states",
    ]
    assert [c.text for c in BY_ID["which-group-guillain-barre-syndrome"].choices if c.correct] == [
        "Autoimmune diseases"
    ]


# --- 2. Misleading ---------------------------------------------------------------------------------------

# Each simplification of the seed, and words of its correction that must stand beside it wherever it is shown.
SIMPLIFICATIONS = {
    "primary injection": "antibody (humoral) deficiencies",
    "always prescribed by a doctor": "licensed prescriber",
    "often monitored": "every infusion",
    "severe infections when": "not a routine treatment for severe infection",
}


def assert_never_alone(text: str, where: str) -> None:
    text = " ".join(text.split())  # a line break in Markdown is a space
    for simplified, correction in SIMPLIFICATIONS.items():
        if simplified in text.lower():
            assert correction in text, f'{where}: "{simplified}" is shown without its closer look'


def test_infectious_states_description_always_carries_its_caveat():
    infectious = next(c for c in ivig_content.conditions() if c.id == "infectious-states")
    assert infectious.caveat == (
        "IVIG is not a routine treatment for severe infection or sepsis: its infection-related uses are specific, "
        "such as preventing infections in antibody deficiency and post-exposure prophylaxis for some high-risk people."
    )
    row = ivig_content.conditions_frame().set_index("condition").loc["Infectious states"]
    assert row["caveat"] == infectious.caveat
    assert "Surviving Sepsis Campaign" in row["source"] and "ACIP" in row["source"]
    facts = ivig_content.facts_frame().set_index("id")
    assert "Surviving Sepsis Campaign suggests against" in facts.loc["condition-infectious-states", "closer_look"]
    # the explorer, the matching question and every "which group?" feedback that shows the description
    explorer = ConditionExplorer("Infectious states")
    assert next(g for g in explorer.data["groups"] if g["name"] == "Infectious states")["caveat"] == infectious.caveat
    assert infectious.caveat in explorer.static_html()
    for question in BANK:
        assert_never_alone(question_text(question), question.id)


@pytest.mark.parametrize(
    ("use_id", "also_fits"),
    [
        ("primary-humoral-immunodeficiency", ("infectious-states",)),
        ("cll-secondary-antibody-deficiency", ("infectious-states",)),
        ("measles-post-exposure-prophylaxis", ("immunodeficiency-states",)),
        ("guillain-barre-syndrome", ("inflammatory-states",)),
    ],
)
def test_uses_that_fit_two_groups_say_so(use_id, also_fits):
    use = next(use for use in ivig_content.uses() if use.id == use_id)
    assert use.also_fits == also_fits


def test_uses_whose_name_answers_which_group_make_no_such_question():
    # Primary immunodeficiency and CLL fit two groups and their names give the group away; measles post-exposure
    # prophylaxis also fits two groups, and "measles" names an infection.
    assert "which-group-primary-humoral-immunodeficiency" not in BY_ID
    assert "which-group-cll-secondary-antibody-deficiency" not in BY_ID
    assert "which-group-measles-post-exposure-prophylaxis" not in BY_ID


@pytest.mark.parametrize(
    ("question_id", "offered"),
    [
        # multifocal motor neuropathy is often grouped with CIDP among immune-mediated (inflammatory) neuropathies
        ("which-group-multifocal-motor-neuropathy", ["Immunodeficiency states", "Autoimmune diseases", "Infectious states"]),
        # Kawasaki disease is a vasculitis whose cause is not settled: "autoimmune" is arguable
        ("which-group-kawasaki-disease", ["Immunodeficiency states", "Infectious states", "Inflammatory states"]),
    ],
)
def test_which_group_never_offers_an_arguable_group_as_wrong(question_id, offered):
    assert choice_texts(question_id) == offered


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_notebook_shows_a_simplification_without_its_closer_look(path: Path):
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
        texts = [cell.source] if cell.cell_type == "markdown" else []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            texts.append(" ".join([output.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")]))
        for text in texts:
            assert_never_alone(text, f"{path.name} cell {number}")


def test_the_seeds_simplifications_are_stated_as_the_overviews_words_with_the_correction_beside_them():
    facts = ivig_content.facts_frame().set_index("id")
    expected = {
        "seed-main-treatment": (
            'The overview calls intravenous immunoglobulin (IVIG) "the primary injection" used to address a weak '
            "immune system.",
            "More precisely, immunoglobulin replacement is the main treatment for antibody (humoral) deficiencies",
        ),
        "seed-prescribed-by-doctor": (
            'The overview says that IVIG "is always prescribed by a doctor".',
            "More precisely, IVIG is a prescription-only medicine ordered by a licensed prescriber",
        ),
        "seed-monitored-for-reactions": (
            'The overview says that people receiving IVIG are "often monitored" for any side effects or reactions.',
            'Monitoring is not just "often": monitoring during every infusion is routine.',
        ),
    }
    for fact_id, (statement, closer_look) in expected.items():
        assert facts.loc[fact_id, "statement"] == statement
        assert facts.loc[fact_id, "closer_look"].startswith(closer_look)


def test_every_question_that_uses_a_simplified_fact_also_cites_its_closer_look():
    for question in BANK:
        for fact_id in question.fact_ids:
            corrections = {fact.id for fact in ivig_content.closer_looks_for(fact_id)}
            if corrections:
                assert corrections & set(question.fact_ids), f"{question.id}: {fact_id} without its closer look"


def test_the_explorer_shows_each_closer_look_beside_what_it_corrects():
    explorer = ConditionExplorer("Immunodeficiency states")
    helps = next(g for g in explorer.data["groups"] if g["name"] == "Immunodeficiency states")["helps"]
    closer = next(fact for fact in helps if fact["said"])
    assert closer["said"] == (
        'The overview calls intravenous immunoglobulin (IVIG) "the primary injection" used to address a weak '
        "immune system."
    )
    assert closer["text"].startswith(
        "More precisely, immunoglobulin replacement is the main treatment for antibody (humoral) deficiencies"
    )
    # one sentence, two simplifications ("primary", "injection"): both closer looks stand with it
    assert "IVIG is not a quick injection (a shot)" in closer["text"]
    saved = explorer.static_html()
    assert "\u201cThe overview calls intravenous immunoglobulin (IVIG) &quot;the primary injection&quot;" in saved


def test_high_dose_mechanism_question_has_a_clearly_false_distractor():
    question = BY_ID["high-dose-mechanisms"]
    assert choice_texts("high-dose-mechanisms") == [
        "Neutralising harmful autoantibodies",
        "Blocking Fc receptors on cells that clear antibody-coated cells",
        "Blocking complement",
        "Replacing the platelets that the body has destroyed",
    ]
    assert [choice.id for choice in question.choices if choice.correct] == ["A", "B", "C"]
    assert "autoantibodies" not in question.choice("D").text


def test_gbs_status_says_for_whom_and_when_and_that_no_us_label_lists_it():
    gbs = next(use for use in ivig_content.uses() if use.id == "guillain-barre-syndrome")
    assert gbs.us_status == (
        "Recommended by neurology guidelines (AAN; EAN/PNS 2023); on no US IVIG label, so off-label in the US"
    )
    assert gbs.detail == (
        "GBS is an acute inflammatory neuropathy. The guidelines recommend IVIG for people who cannot walk unaided, "
        "started within 2 (possibly up to 4) weeks of onset; it is as effective as plasma exchange."
    )
    assert [source.key for source in gbs.sources] == ["AAN-GBS", "EAN-PNS-GBS", "FDA-label"]


def test_primary_humoral_immunodeficiency_is_approved_for_most_products_not_all():
    use = next(use for use in ivig_content.uses() if use.id == "primary-humoral-immunodeficiency")
    assert use.us_status == "FDA-approved (most IVIG products)"


def test_start_here_says_exactly_what_the_tests_check_and_that_review_is_pending():
    notebook = nbformat.read(REPO / "notebooks" / "00-start-here.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "against its sources' wording" not in text
    flat = " ".join(text.split())
    assert (
        "Automated tests check two things: that every quote from the source overview really is in it, and that "
        "every fact, definition and question names a source from the reference list. They do not check that a "
        "statement is medically right, or that its source says it." in flat
    )
    assert "the clinical review is pending" in flat and "`ivig_content/data/review.toml`" in flat


# --- 3. Unsupported ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fact_id",
    [
        "seed-main-treatment",
        "seed-prescribed-by-doctor",
        "seed-monitored-for-reactions",
        "seed-not-one-size-fits-all",
        "condition-infectious-states",  # the seed's description of the group, corrected by its caveat
    ],
)
def test_the_seeds_own_simplifications_cite_the_seed_alone(fact_id, facts_by_id):
    assert [source.key for source in facts_by_id[fact_id].sources] == ["seed"]


# --- 4. Dated ---------------------------------------------------------------------------------------------


def test_the_2023_ean_pns_guideline_stands_beside_the_aan_one():
    by_key = {source.key: source for source in ivig_content.sources()}
    assert by_key["EAN-PNS-GBS"].citation.startswith("van Doorn PA et al., \"European Academy of Neurology")
    assert "2023" in by_key["EAN-PNS-GBS"].citation


def test_the_review_sheet_asks_the_reviewer_to_confirm_newer_editions():
    sheet = review_sheet_markdown(BANK, [question.id for question in CORE])
    ssc = next(line for line in sheet.splitlines() if line.startswith("| \u2610 | `SSC-2021` |"))
    assert "Confirm that any newer edition still suggests against IV immunoglobulin" in ssc
    aan = next(line for line in sheet.splitlines() if line.startswith("| \u2610 | `AAN-GBS` |"))
    assert "EAN-PNS-GBS" in aan


# --- 5-7. The bedside lesson, the cases, the glossary ---------------------------------------------------


def test_notebook_03_teaches_before_during_after_with_reactions_and_the_risk_table():
    notebook = nbformat.read(REPO / "notebooks" / "03-giving-ivig-safely.ipynb", as_version=4)
    headings = re.findall(r"^#+ (.+)$", "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown"), re.M)
    assert headings == [
        "3. Giving IVIG safely",
        "Learning objectives",
        "How IVIG is given",
        "Side effects and serious risks",
        "Before the infusion",
        "During the infusion",
        "If a reaction starts",
        "After the infusion: what the person reports at home",
        "Each check and the risk it guards against",
        "Case scenarios",
        "A closer look, in one place",
        "Key points",
    ]
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "ivig_content.bedside_frame()" in code
    assert code.count("case_questions(") == 2


def test_every_stage_ties_checks_to_risks_with_sources():
    frame = ivig_content.bedside_frame()
    assert frame.groupby("stage", sort=False).size().to_dict() == {"before": 5, "during": 5, "after": 5}
    assert (frame["guards_against"] != "").all() and (frame["source"] != "").all()
    after = frame[frame["stage"] == "after"]["guards_against"].tolist()
    assert after == [
        "Aseptic meningitis",
        "Kidney problems",
        "Thrombosis (a blood clot)",
        "Haemolysis",
        "Transfusion-related acute lung injury (TRALI)",
    ]


def test_two_case_scenarios_with_decision_questions_whose_every_option_says_why_with_a_source():
    cases = ivig_content.cases()
    assert [(case.id, case.question_ids) for case in cases] == [
        ("first-infusion", ("case-first-infusion-first-step", "case-first-infusion-why", "case-first-infusion-next-time")),
        ("phone-call", ("case-phone-call-headache", "case-phone-call-calf")),
    ]
    assert "chills" in BY_ID["case-first-infusion-first-step"].prompt
    assert "after you increased the rate" in BY_ID["case-first-infusion-first-step"].prompt
    assert "stiff neck" in BY_ID["case-phone-call-headache"].prompt
    assert "calf is painful, swollen and warm" in BY_ID["case-phone-call-calf"].prompt
    for case in cases:
        for question in banks.case_questions(case.id):
            assert question.topic == "cases" and question.source
            assert question.prompt.endswith("What do you do first?") or "?" in question.prompt
            for choice in question.choices:
                verdict = "Right:" if choice.correct else "No:"
                assert choice.feedback.startswith(verdict) and len(choice.feedback.split()) >= 8


def test_case_questions_name_an_unknown_case_or_question():
    with pytest.raises(KeyError, match='no case "nope"; the cases are: first-infusion, phone-call'):
        banks.case_questions("nope")


GLOSSARY_TERMS = [
    "humoral (antibody) deficiency", "IgG", "plasma", "pooled", "Fc receptor", "complement", "autoantibody",
    "passive and active immunity", "off-label", "boxed warning", "haemolysis", "thrombosis", "aseptic meningitis",
    "TRALI", "hyperprolinaemia", "post-exposure prophylaxis",
]


def test_the_glossary_explains_every_word_on_the_reference_list_with_a_source():
    assert [term.term for term in ivig_content.glossary()] == GLOSSARY_TERMS
    assert all(term.definition and term.sources for term in ivig_content.glossary())
    assert [t.term for t in ivig_content.glossary_terms_in("Hemolysis and Fc receptors; thromboses")] == [
        "Fc receptor",
        "haemolysis",
    ]


def test_each_word_is_explained_in_bold_where_the_lesson_first_uses_it():
    first_use: dict[str, str] = {}
    for path in LESSONS[:4]:  # the learners' lessons, in order, before the quiz
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
            if cell.cell_type != "markdown" or "notebook-navigation" in cell.metadata.get("tags", []):
                continue
            bold = {t.term for span in re.findall(r"\*\*(.+?)\*\*", cell.source) for t in content.glossary_terms_in(span)}
            for term in content.glossary_terms_in(cell.source):
                if term.term not in first_use:
                    assert term.term in bold, f"{path.name} cell {number}: first use of {term.term!r} is not explained"
                    first_use[term.term] = path.stem
    assert set(first_use) == set(GLOSSARY_TERMS)


def test_the_explorer_explains_the_words_it_uses():
    explorer = ConditionExplorer("Autoimmune diseases")
    words = next(g for g in explorer.data["groups"] if g["name"] == "Autoimmune diseases")["glossary"]
    for term in ("autoantibody", "Fc receptor", "complement"):
        entry = next(w for w in words if w["term"] == term)
        assert entry["definition"] and entry["source"]


# --- 8-9. A better quiz ---------------------------------------------------------------------------------

CORE_IDS = [
    "made-from", "boost-and-normalise", "main-treatment-closer-look", "match-groups-with-descriptions",
    "sepsis-closer-look", "how-given", "who-prescribes", "why-monitored", "common-reactions", "boxed-warning",
    "report-at-home", "case-first-infusion-first-step", "case-phone-call-headache",
    "example-primary-immunodeficiency", "example-autoimmune",
]


def test_the_core_quiz_is_fifteen_questions_with_the_key_safety_points():
    assert [question.id for question in CORE] == CORE_IDS
    safety = [q.id for q in CORE if q.topic in ("safety", "bedside", "cases")]
    assert safety == [
        "why-monitored", "common-reactions", "boxed-warning", "report-at-home",
        "case-first-infusion-first-step", "case-phone-call-headache",
    ]


def test_every_seed_part_is_covered_by_the_core_quiz(facts_by_id):
    covered = {facts_by_id[fact_id].seed_quote for question in CORE for fact_id in question.fact_ids}
    missing = [part.text for part in ivig_content.seed_parts() if part.text not in covered]
    assert missing == []


def test_the_quiz_notebook_and_the_quiz_app_use_the_core_quiz_and_offer_all():
    notebook = nbformat.read(REPO / "notebooks" / "04-quiz.ipynb", as_version=4)
    widget_cell = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert widget_cell.source.endswith("QuizWidget()")
    assert widget_cell.outputs[0].data["text/plain"] == "QuizWidget(mode='quiz', question=1 of 15, answered=0 of 15, score=0)"
    how = next(cell.source for cell in notebook.cells if cell.source.startswith("## How the quiz works"))
    assert f"**core quiz**: {len(CORE)} questions" in how and f"**Practise all {len(BANK)} questions**" in how


def test_practise_all_goes_on_with_the_whole_bank_keeping_the_core_answers():
    widget = QuizWidget(seed=1)
    assert widget.data["wider"]["label"] == f"Practise all {len(BANK)} questions"
    first, second = widget.session.questions[:2]
    answers = []
    widget.send = lambda content, buffers=None: answers.append(content)
    wrong = next(choice.id for choice in second.choices if not choice.correct) if second.kind != "matching" else None
    for question, response in ((first, quiz._right_answer(first)),
                               (second, wrong if second.kind == "single" else quiz._right_answer(second))):
        widget._handle_custom_msg({"kind": "answer", "question_id": question.id, "response": response}, [])
    widget._handle_custom_msg({"kind": "practise_all"}, [])
    score = 1 + (second.kind != "single")
    assert repr(widget) == (
        f"QuizWidget(mode='quiz', question=1 of {len(BANK)}, answered=2 of {len(BANK)}, score={score})"
    )
    rows = widget.session.to_frame().set_index("question_id")
    assert len(rows) == len(BANK) and rows.loc[first.id, "correct"] and rows.loc[second.id, "answered"]
    assert QuizWidget([BY_ID["made-from"]]).data["wider"] is None


def test_the_instructor_guides_plan_gives_the_core_quizs_size_and_time():
    guide = (REPO / "instructors" / "guide.md").read_text(encoding="utf-8")
    assert f"core quiz ({len(CORE)} questions" in guide
    assert "Practise all" in guide and f"all {len(BANK)} questions" in guide


def test_at_most_five_two_option_questions_and_those_are_misconceptions():
    two = [q.id for q in BANK if q.kind == "single" and len(q.choices) == 2]
    assert two == ["not-a-vaccine", "lifelong"]
    assert all(BY_ID[question_id].topic == "misconceptions" for question_id in two)


APPLIED = [
    "bedside-before", "bedside-product-switch", "bedside-start-rate", "bedside-maltose", "bedside-premedication",
    "case-first-infusion-first-step", "case-first-infusion-why", "case-first-infusion-next-time",
    "case-phone-call-headache", "case-phone-call-calf",
]


def test_at_least_twelve_questions_on_safety_and_giving_ivig_six_of_them_applied():
    on_giving = [q.id for q in BANK if q.topic in ("administration", "safety", "bedside", "cases")]
    assert len(on_giving) == 26
    assert set(APPLIED) <= set(on_giving)
    # applied: a situation at the bedside or on the phone, and what to do or what it means
    assert all(BY_ID[question_id].topic in ("bedside", "cases") for question_id in APPLIED)


def test_no_question_is_answerable_from_its_own_words():
    for question in BANK:
        right = [choice.text for choice in question.choices if choice.correct]
        if question.id.startswith("which-group-"):
            use = next(use for use in ivig_content.uses() if question.id == f"which-group-{use.id}")
            assert not banks.gives_itself_away(use.name, right[0]), question.id


@pytest.mark.parametrize("question", [q for q in BANK if q.kind != "matching"], ids=lambda q: q.id)
def test_every_wrong_option_gives_a_reason_and_the_right_answer_in_words(question):
    # The browser shows each chosen wrong option's feedback and, under "The right answer(s):", right_answer.
    for wrong in (choice for choice in question.choices if not choice.correct):
        assert wrong.feedback.startswith("No"), wrong.feedback
        assert len(wrong.feedback.split()) >= 6, f"{question.id} {wrong.id}: no reason given"
    widget = QuizWidget([question], seed=1)
    sent = widget.data["questions"][0]
    assert sent["right_answer"] == quiz.right_answer_text(widget.session.questions[0])
    assert sent["right_answer"] and all(c["feedback"] for c in sent["choices"] if not c["correct"])


def test_learners_see_topic_titles_never_ids():
    assert content.topic_title("closer-look") == "A closer look"
    assert content.topic_title("first-aid") == "First aid" and content.topic_title("general") == "General"
    assert [content.topic_title(topic) for topic in content.TOPICS] == [
        "What IVIG is", "How IVIG works", "Conditions treated", "How IVIG is given", "Safety and monitoring",
        "At the bedside", "Case scenarios", "Examples", "Common misconceptions", "A closer look",
    ]
    titles = QuizWidget(seed=1).data["topic_titles"]
    for topic in {question.topic for question in BANK}:
        assert titles[topic] == content.topic_title(topic) != topic


# --- 10. Regenerated documents ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "command"),
    [("answer-key.md", "answer-key"), ("review-sheet.md", "review-sheet")],
)
def test_the_committed_answer_key_and_review_sheet_are_current(name, command, tmp_path, capsys):
    out = tmp_path / name
    assert main([command, "--out", str(out)]) == 0
    assert (REPO / "instructors" / name).read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_the_answer_key_marks_the_core_quiz_and_shows_topic_titles():
    key = answer_key_markdown(BANK, core=[question.id for question in CORE])
    assert f"The {len(CORE)} questions marked *core quiz* make up the short quiz" in key
    assert "topic: A closer look, level: seed, core quiz*" in key
    assert "topic: closer-look" not in key


def test_an_instructors_bank_can_have_a_core_quiz_too(tmp_path, capsys):
    bank = tmp_path / "bank.yaml"
    bank.write_text(
        "core: [route]\nquestions:\n"
        "  - {id: route, prompt: 'How is IVIG given?', choices: {A: Into a vein, B: As a tablet}, answer: A}\n"
        "  - {id: spare, prompt: 'Is IVIG a vaccine?', choices: {A: 'No', B: 'Yes'}, answer: A}\n",
        encoding="utf-8",
    )
    assert [q.id for q in banks.load_bank(bank)] == ["route", "spare"]
    assert [q.id for q in banks.load_bank(bank, core=True)] == ["route"]
    bank.write_text(bank.read_text(encoding="utf-8").replace("core: [route]", "core: [route, rout]"), encoding="utf-8")
    for core in (False, True):  # a wrong id is refused whether or not the core quiz is asked for
        with pytest.raises(banks.BankError) as raised:
            banks.load_bank(bank, core=core)
        assert str(raised.value) == f'{bank}: "core" names "rout", which is not a question of the bank'
    bank.write_text(bank.read_text(encoding="utf-8").replace("core: [route, rout]", "core: [route]"), encoding="utf-8")
    assert main(["answer-key", str(bank)]) == 0
    key = capsys.readouterr().out
    assert "The 1 question marked *core quiz* makes up the short quiz" in key and "topic: General, core quiz*" in key
    bank.write_text(bank.read_text(encoding="utf-8").replace("core: [route]", "core: [route, rout]"), encoding="utf-8")
    assert main(["validate", str(bank)]) == 1
    assert capsys.readouterr().out == f'FAIL  {bank}: "core" names "rout", which is not a question of the bank\n'
    bank.write_text(bank.read_text(encoding="utf-8").replace("core: [route, rout]\n", ""), encoding="utf-8")
    with pytest.raises(banks.BankError, match='has no "core" list of question ids, so it has no core quiz'):
        banks.load_bank(bank, core=True)


def test_the_readme_gives_the_quizs_sizes():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"the core quiz ({len(CORE)} questions, one class period)" in readme
    assert f'"Practise all" ({len(BANK)} questions)' in readme
    assert f"every built-in question ({len(BANK)})" in readme


def test_a_wider_quiz_must_hold_every_answered_question():
    session = quiz.QuizSession([BY_ID["made-from"], BY_ID["how-given"]], seed=1)
    session.answer("made-from", "A")
    with pytest.raises(ValueError, match="the wider quiz lacks answered questions: made-from"):
        session.widened([BY_ID["how-given"]])


def test_in_the_core_quiz_the_right_answer_is_seldom_the_longest():
    # a test-wise learner must not score by picking the longest, most hedged option
    singles = [q for q in CORE if q.kind == "single"]
    longest = [q.id for q in singles if max(q.choices, key=lambda c: len(c.text)).correct]
    assert len(singles) == 10 and longest == ["case-phone-call-headache"]
