"""The built-in question bank: enough questions, every seed fact covered, every answer backed by facts."""

from __future__ import annotations

import pytest

import ivig_content
from ivig_content import banks

BANK = banks.builtin_bank()
GENERATED = banks.generated_questions()
HAND_WRITTEN = BANK[: len(BANK) - len(GENERATED)]


def test_bank_has_at_least_thirty_questions_with_unique_ids():
    ids = [question.id for question in BANK]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


def test_bank_uses_every_kind():
    assert {question.kind for question in BANK} == set(banks.KINDS)


def test_every_seed_fact_is_covered_by_a_question():
    covered = {fact_id for question in BANK for fact_id in question.fact_ids}
    seed_facts = [fact.id for fact in ivig_content.facts() if fact.level == "seed"]
    assert [fact_id for fact_id in seed_facts if fact_id not in covered] == []


@pytest.mark.parametrize("question", BANK, ids=lambda question: question.id)
def test_question_is_backed_by_existing_facts_and_cites_their_sources(question, facts_by_id):
    assert question.fact_ids
    for fact_id in question.fact_ids:
        fact = facts_by_id[fact_id]
        for source in fact.sources:
            assert source.citation in question.source
    assert question.topic in ivig_content.content.TOPICS
    assert question.level in ("seed", "extended")
    assert question.explanation


@pytest.mark.parametrize(
    "question", [q for q in HAND_WRITTEN if q.kind != "matching"], ids=lambda question: question.id
)
def test_hand_written_question_has_feedback_for_every_choice(question):
    assert all(choice.feedback for choice in question.choices)
    right = [choice for choice in question.choices if choice.correct]
    assert len(right) == 1 if question.kind == "single" else len(right) >= 1
    # feedback opens with the verdict, so a learner is never told "Right" for a wrong choice
    for choice in question.choices:
        assert choice.feedback.startswith("Right" if choice.correct else "No")


# Uses whose name gives their group away ("Primary humoral immunodeficiency", "...antibody deficiency...",
# "Measles ...") make no "which group?" question.
WHICH_GROUP_USES = [
    "chronic-itp",
    "cidp",
    "multifocal-motor-neuropathy",
    "guillain-barre-syndrome",
    "adult-dermatomyositis",
    "kawasaki-disease",
]


def test_which_group_questions_are_made_only_for_uses_whose_name_does_not_give_the_group_away():
    made = [q.id.removeprefix("which-group-") for q in GENERATED if q.id.startswith("which-group-")]
    assert made == WHICH_GROUP_USES


@pytest.mark.parametrize(
    ("use_name", "group", "gives_away"),
    [
        ("Primary humoral immunodeficiency", "Immunodeficiency states", True),
        ("Secondary antibody deficiency in B-cell chronic lymphocytic leukaemia", "Immunodeficiency states", True),
        ("Chronic inflammatory demyelinating polyneuropathy (CIDP)", "Inflammatory states", True),
        ("Chronic inflammatory demyelinating polyneuropathy (CIDP)", "Autoimmune diseases", False),
        ("Chronic immune thrombocytopenia (ITP)", "Autoimmune diseases", False),
        ("Measles post-exposure prophylaxis", "Infectious states", False),
    ],
)
def test_a_name_gives_its_group_away_when_it_shares_a_word(use_name, group, gives_away):
    assert banks.gives_itself_away(use_name, group) is gives_away


@pytest.mark.parametrize("use", [u for u in ivig_content.uses() if u.id in WHICH_GROUP_USES], ids=lambda use: use.id)
def test_which_group_question_answers_with_the_table_and_never_offers_an_also_fitting_group(use):
    question = next(q for q in GENERATED if q.id == f"which-group-{use.id}")
    right = [choice.id for choice in question.choices if choice.correct]
    assert right == [use.condition]
    offered = {choice.id for choice in question.choices}
    assert not offered & (set(use.also_fits) | set(use.arguable_groups))
    groups = {condition.id for condition in ivig_content.conditions()}
    assert offered == groups - set(use.also_fits) - set(use.arguable_groups)
    assert f"use-{use.id}" in question.fact_ids


def test_cidp_and_dermatomyositis_questions_leave_out_inflammatory_states():
    for use_id in ("cidp", "adult-dermatomyositis"):
        question = next(q for q in GENERATED if q.id == f"which-group-{use_id}")
        assert "Inflammatory states" not in [choice.text for choice in question.choices]


def test_matching_question_pairs_each_group_with_its_description():
    question = next(q for q in BANK if q.id == "match-groups-with-descriptions")
    pairs = {item.text: question.choice(item.answer).text for item in question.items}
    # hand-written, so checked against the content tables: each group with its description and caveat
    assert pairs == {condition.name: condition.described for condition in ivig_content.conditions()}
    assert pairs == {
        "Immunodeficiency states": "Conditions in which the immune system does not work properly.",
        "Autoimmune diseases": "Diseases in which the immune system attacks the body's own tissues.",
        "Infectious states": (
            "Used to fight severe infections when the body's own defences are weak. A closer look: IVIG is not a "
            "routine treatment for severe infection or sepsis: its infection-related uses are specific, such as "
            "preventing infections in antibody deficiency and post-exposure prophylaxis for some high-risk people."
        ),
        "Inflammatory states": "Conditions marked by too much, or harmful, inflammation.",
    }


def test_builtin_bank_file_is_valid_for_the_command_line(capsys):
    from ivig_content.__main__ import main

    path = ivig_content.content._packaged_data_dir() / banks.BUILTIN_BANK_FILE
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"OK  {path}: {len(HAND_WRITTEN)} questions\n"


def test_builtin_bank_file_passes_the_strict_loader_too():
    # builtin_bank() reads the file with libyaml for speed; the strict loader (no repeated keys, no aliases)
    # must find the same questions.
    path = ivig_content.content._packaged_data_dir() / banks.BUILTIN_BANK_FILE
    assert banks.load_bank(path) == HAND_WRITTEN
