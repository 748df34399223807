"""Every part of the seed text is in the package, faithfully, and traceable to its sentence."""

from __future__ import annotations

import os

import pytest

import ivig_content
from ivig_content.content import parse_seed

from .conftest import PACKAGED_DATA, REPO

SHARED_SEED = REPO.parent / "shared" / "seed" / "ivig_seed.txt"


def test_packaged_seed_is_the_shared_seed_verbatim():
    if not SHARED_SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared seed beside the clone: {SHARED_SEED}")
        pytest.skip(f"no shared seed at {SHARED_SEED} (only CI and the team's machines have it)")
    assert (PACKAGED_DATA / "seed.txt").read_bytes() == SHARED_SEED.read_bytes()


def test_seed_has_nine_sentences_five_bullets_and_four_table_rows():
    kinds = [part.kind for part in ivig_content.seed_parts()]
    assert (kinds.count("sentence"), kinds.count("bullet"), kinds.count("table row")) == (9, 5, 4)
    assert [part.number for part in ivig_content.seed_parts()] == list(range(1, 19))


def test_every_part_of_the_seed_has_at_least_one_fact():
    quoted = {fact.seed_quote for fact in ivig_content.facts()}
    missing = [part.text for part in ivig_content.seed_parts() if part.text not in quoted]
    assert missing == []


def test_every_seed_fact_quotes_a_part_of_the_seed():
    parts = {part.text for part in ivig_content.seed_parts()}
    for fact in ivig_content.facts():
        assert (fact.seed_quote in parts) == (fact.level == "seed"), fact.id


def test_seed_facts_keep_the_seeds_order():
    numbers = {part.text: part.number for part in ivig_content.seed_parts()}
    seed_facts = [fact for fact in ivig_content.facts() if fact.level == "seed"]
    assert [numbers[f.seed_quote] for f in seed_facts] == sorted(numbers[f.seed_quote] for f in seed_facts)
    assert ivig_content.facts()[: len(seed_facts)] == tuple(seed_facts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!", [("Introduction", "sentence", "One."), ("Introduction", "sentence", "Two!")]),
        ("Heading\n- A bullet.", [("Heading", "bullet", "A bullet.")]),
        (
            "Table\nName | Meaning |\n---|---|\nA | first |\nB | second |",
            [("Table", "table row", "A | first"), ("Table", "table row", "B | second")],
        ),
        ("Lead-in:\n\n  \nAfter a blank line.", [
            ("Introduction", "sentence", "Lead-in:"),
            ("Introduction", "sentence", "After a blank line."),
        ]),
        ("e.g. lower-case after a full stop stays one sentence.", [
            ("Introduction", "sentence", "e.g. lower-case after a full stop stays one sentence."),
        ]),
    ],
)
def test_parse_seed_splits_sentences_bullets_and_table_rows(text, expected):
    assert [(p.section, p.kind, p.text) for p in parse_seed(text)] == expected


def test_sections_follow_the_seeds_headings():
    sections = {part.section for part in ivig_content.seed_parts()}
    assert sections == {
        "Introduction",
        "Understanding Intravenous Immunoglobulin (IVIG)",
        "How IVIG Works",
        "Conditions Treated with IVIG",
        "Important Considerations",
        "Example of IVIG's Use",
    }
