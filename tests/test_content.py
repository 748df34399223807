"""The packaged content: the frames' exact shape, and the facts checked against the reference list."""

from __future__ import annotations

import pandas as pd
import pytest

import ivig_content
from ivig_content.content import (
    BEDSIDE_COLUMNS,
    CONDITION_COLUMNS,
    FACT_COLUMNS,
    GLOSSARY_COLUMNS,
    TOPICS,
    USE_COLUMNS,
)

GROUPS = ("Immunodeficiency states", "Autoimmune diseases", "Infectious states", "Inflammatory states")

# The references content authors may cite (shared/REFERENCE.md), plus the seed overview itself.
REFERENCE_KEYS = {
    "seed",
    "StatPearls",
    "IDF",
    "FDA-label",
    "ASCIA",
    "NHS-NBT",
    "AAN-GBS",
    "ACIP-measles",
    "Perez-2017",
    "SSC-2021",
    "ACIP-timing",
    "EAN-PNS-GBS",
    "IDF-nurses",
    "Younger-2013",
}
# Beyond the reference list, three US FDA documents: two pages cited only by the glossary, for what
# "off-label" and "boxed warning" mean, and the safety communication on maltose and glucose meters.
DEFINITION_KEYS = {"FDA-off-label", "FDA-labeling-FAQ"}
MALTOSE_KEY = "FDA-maltose"

# The reference list's table of established uses: (use, primary group, groups that also fit, US status).
ESTABLISHED_USES = [
    (
        "Primary humoral immunodeficiency",
        "Immunodeficiency states",
        "Infectious states",
        "FDA-approved (most IVIG products)",
    ),
    (
        "Secondary antibody deficiency in B-cell chronic lymphocytic leukaemia",
        "Immunodeficiency states",
        "Infectious states",
        "FDA-approved (some products)",
    ),
    ("Chronic immune thrombocytopenia (ITP)", "Autoimmune diseases", "", "FDA-approved (some products)"),
    (
        "Chronic inflammatory demyelinating polyneuropathy (CIDP)",
        "Autoimmune diseases",
        "Inflammatory states",
        "FDA-approved (some products)",
    ),
    ("Multifocal motor neuropathy", "Autoimmune diseases", "", "FDA-approved (some products)"),
    (
        "Guillain-Barré syndrome",
        "Autoimmune diseases",
        "Inflammatory states",
        "Recommended by neurology guidelines (AAN; EAN/PNS 2023); on no US IVIG label, so off-label in the US",
    ),
    ("Adult dermatomyositis", "Autoimmune diseases", "Inflammatory states", "FDA-approved (Octagam 10%, 2021)"),
    ("Kawasaki disease", "Inflammatory states", "", "FDA-approved (some products)"),
    (
        "Measles post-exposure prophylaxis",
        "Infectious states",
        "Immunodeficiency states",
        "Recommended by the US CDC ACIP, given within 6 days of exposure",
    ),
]

# Where the seed simplifies, a "closer look" fact refines it (shared/REFERENCE.md, accuracy notes).
CLOSER_LOOKS = [
    ("closer-look-antibody-deficiencies", "seed-main-treatment", {"Perez-2017", "ASCIA"}),
    ("closer-look-infusion-not-a-shot", "seed-main-treatment", {"NHS-NBT"}),
    ("closer-look-thousands-of-donors", "seed-pooled-antibodies", {"StatPearls", "IDF"}),
    ("closer-look-who-prescribes", "seed-prescribed-by-doctor", {"StatPearls"}),
    ("closer-look-infections", "condition-infectious-states", {"SSC-2021", "ACIP-measles"}),
    ("closer-look-monitoring-every-infusion", "seed-monitored-for-reactions", {"FDA-label"}),
]


@pytest.mark.parametrize(
    ("make_frame", "columns"),
    [
        (
            ivig_content.facts_frame,
            ("id", "topic", "level", "statement", "source", "closer_look", "closer_look_source"),
        ),
        (
            ivig_content.conditions_frame,
            ("condition", "description", "caveat", "example_uses", "also_fitting_uses", "source"),
        ),
        (ivig_content.uses_frame, ("use", "condition", "also_fits", "us_status", "detail", "source")),
        (ivig_content.closer_looks_frame, ("the_seed_says", "a_closer_look", "source")),
        (ivig_content.glossary_frame, ("term", "definition", "source")),
        (ivig_content.bedside_frame, ("stage", "check", "guards_against", "source")),
    ],
)
def test_frame_has_exactly_the_documented_text_columns(make_frame, columns):
    frame = make_frame()
    assert tuple(frame.columns) == columns
    assert all(str(dtype) == "str" for dtype in frame.dtypes)
    assert isinstance(frame.index, pd.RangeIndex)
    for column in columns:
        assert f"``{column}``" in make_frame.__doc__, f"{column} is not described in the docstring"


def test_column_constants_match_the_frames():
    assert tuple(ivig_content.facts_frame().columns) == FACT_COLUMNS
    assert tuple(ivig_content.conditions_frame().columns) == CONDITION_COLUMNS
    assert tuple(ivig_content.uses_frame().columns) == USE_COLUMNS
    assert tuple(ivig_content.glossary_frame().columns) == GLOSSARY_COLUMNS
    assert tuple(ivig_content.bedside_frame().columns) == BEDSIDE_COLUMNS


@pytest.mark.parametrize(
    "make_frame",
    [
        ivig_content.facts_frame,
        ivig_content.conditions_frame,
        ivig_content.uses_frame,
        ivig_content.closer_looks_frame,
        ivig_content.glossary_frame,
        ivig_content.bedside_frame,
    ],
)
def test_each_call_returns_a_fresh_frame(make_frame):
    first = make_frame()
    expected = first.copy()
    first.iloc[0, 0] = "changed by a caller"
    del first[first.columns[-1]]
    pd.testing.assert_frame_equal(make_frame(), expected)


def test_conditions_are_the_four_groups_in_the_seed_order():
    frame = ivig_content.conditions_frame()
    assert tuple(frame["condition"]) == GROUPS
    seed_rows = [part.text.split(" | ")[0] for part in ivig_content.seed_parts() if part.kind == "table row"]
    assert tuple(seed_rows) == GROUPS


def test_every_group_has_uses_and_sourced_reasons_how_ivig_helps():
    for condition in ivig_content.conditions():
        assert condition.uses, condition.name
        assert condition.how_ivig_helps, condition.name
        for fact in condition.how_ivig_helps:
            assert fact.statement and fact.sources


def test_infectious_states_always_come_with_the_closer_look_on_infections(facts_by_id):
    # The seed's "to combat severe infections" is not a routine use (SSC-2021): never show it without the caveat.
    infectious = next(c for c in ivig_content.conditions() if c.name == "Infectious states")
    assert facts_by_id["closer-look-infections"] in infectious.how_ivig_helps


def test_every_fact_has_a_statement_a_source_and_a_known_topic_and_level():
    frame = ivig_content.facts_frame()
    assert frame["id"].is_unique
    assert (frame["statement"].str.strip() != "").all()
    assert (frame["source"].str.strip() != "").all()
    assert set(frame["topic"]) <= set(TOPICS)
    assert set(frame["level"]) == {"seed", "extended"}


# Every seed fact and what it cites (shared/REFERENCE.md): StatPearls only where it says the same thing; the
# seed's own simplifications cite the seed alone, so no reference lends authority to what the lesson corrects.
SEED_FACT_SOURCES = {
    "seed-main-treatment": ["seed"],
    "seed-pooled-antibodies": ["seed", "StatPearls"],
    "seed-boost-and-normalise": ["seed", "StatPearls"],
    "seed-not-one-size-fits-all": ["seed"],
    "seed-biological-agent": ["seed", "StatPearls"],
    "seed-boosts-immunity": ["seed", "StatPearls"],
    "seed-normalises-immune-response": ["seed", "StatPearls"],
    "seed-variety-of-conditions": ["seed", "StatPearls"],
    "seed-four-groups": ["seed", "StatPearls"],
    "condition-immunodeficiency-states": ["seed", "StatPearls"],
    "condition-autoimmune-diseases": ["seed", "StatPearls"],
    "condition-infectious-states": ["seed"],  # corrected by a closer look: the seed alone
    "condition-inflammatory-states": ["seed", "StatPearls"],
    "seed-given-intravenously": ["seed", "StatPearls"],
    "seed-prescribed-by-doctor": ["seed"],
    "seed-monitored-for-reactions": ["seed"],
    "seed-example-primary-immunodeficiency": ["seed", "StatPearls"],
    "seed-example-autoimmune-condition": ["seed", "StatPearls"],
    "seed-healthcare-provider-guidance": ["seed"],
}


def test_seed_facts_cite_the_seed_and_statpearls_only_where_statpearls_says_it():
    cited = {
        fact.id: [source.key for source in fact.sources] for fact in ivig_content.facts() if fact.level == "seed"
    }
    assert cited == SEED_FACT_SOURCES
    assert all(fact.seed_quote for fact in ivig_content.facts() if fact.level == "seed")


def test_extended_facts_cite_only_the_reference_list():
    for fact in ivig_content.facts():
        if fact.level == "extended":
            keys = {source.key for source in fact.sources}
            # the FDA definition pages are not here; the maltose communication backs one bedside fact only
            allowed = REFERENCE_KEYS - {"seed"} | ({MALTOSE_KEY} if fact.id == "bedside-maltose-what-to-do" else set())
            assert keys and keys <= allowed, fact.id
            assert fact.seed_quote is None, fact.id


def test_sources_are_exactly_the_reference_list_and_the_two_fda_definition_pages():
    assert {source.key for source in ivig_content.sources()} == REFERENCE_KEYS | DEFINITION_KEYS | {MALTOSE_KEY}
    cited_by_glossary = {source.key for term in ivig_content.glossary() for source in term.sources}
    assert DEFINITION_KEYS <= cited_by_glossary


def test_uses_match_the_reference_table():
    frame = ivig_content.uses_frame()
    assert list(frame[["use", "condition", "also_fits", "us_status"]].itertuples(index=False, name=None)) == (
        ESTABLISHED_USES
    )


@pytest.mark.parametrize(("use", "sources"), [
    ("Guillain-Barré syndrome", "American Academy of Neurology"),
    ("Guillain-Barré syndrome", "European Academy of Neurology/Peripheral Nerve Society"),
    ("Guillain-Barré syndrome", "US prescribing information"),  # "on no US label" cites the labels
    ("Measles post-exposure prophylaxis", "ACIP"),
    ("Kawasaki disease", "US prescribing information"),
])
def test_a_use_cites_the_body_behind_its_status(use, sources):
    frame = ivig_content.uses_frame().set_index("use")
    assert sources in frame.loc[use, "source"]


def test_every_use_is_also_a_fact_with_its_status(facts_by_id):
    for use in ivig_content.uses():
        fact = facts_by_id["use-" + use.id]
        assert use.name in fact.statement and use.us_status in fact.statement
        assert fact.sources == use.sources


@pytest.mark.parametrize(("closer_look", "seed_fact", "source_keys"), CLOSER_LOOKS)
def test_closer_look_refines_the_seed_fact_it_corrects(facts_by_id, closer_look, seed_fact, source_keys):
    fact = facts_by_id[closer_look]
    assert fact.topic == "closer-look" and fact.level == "extended"
    assert seed_fact in fact.refines
    assert {source.key for source in fact.sources} == source_keys


def test_disclaimer_says_use_only_under_a_healthcare_providers_guidance():
    assert "only be used under the guidance of a healthcare provider" in ivig_content.DISCLAIMER
    assert "not medical advice" in ivig_content.DISCLAIMER


def test_closer_looks_frame_sets_each_seed_simplification_beside_its_correction(facts_by_id):
    frame = ivig_content.closer_looks_frame()
    assert len(frame) == len(CLOSER_LOOKS)
    row = frame[frame["a_closer_look"] == facts_by_id["closer-look-infections"].statement].iloc[0]
    assert row["the_seed_says"] == facts_by_id["condition-infectious-states"].statement
    assert "Surviving Sepsis Campaign" in row["source"]


def test_content_is_not_claimed_to_be_clinically_reviewed_until_it_is():
    review = ivig_content.content_review()
    assert (review.last_reviewed, review.reviewer) == (None, "")
    assert str(review) == "Content last reviewed: not yet reviewed by a clinician."
