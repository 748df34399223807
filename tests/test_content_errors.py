"""Broken data files: each mistake gets a ContentError naming the file, the item and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig_content import ContentError
from ivig_content.content import load_content

from .conftest import edit

TOPICS = "overview, mechanism, conditions, administration, safety, bedside, cases, examples, misconceptions, closer-look"
GROUP_IDS = "immunodeficiency-states, autoimmune-diseases, infectious-states, inflammatory-states"
FIRST = 'id = "seed-main-treatment"'
KAWASAKI = 'id = "kawasaki-disease"'

# (file, text to find after this anchor, its replacement, the anchor, the message after "<folder>/")
BROKEN = {
    "duplicate fact id": (
        "facts.toml", 'id = "seed-pooled-antibodies"', 'id = "seed-main-treatment"', "",
        'facts.toml: fact 2 (id "seed-main-treatment"): "id" is already used by '
        '{folder}/facts.toml: fact 1 (id "seed-main-treatment")',
    ),
    "id that clashes with a derived use fact": (
        "facts.toml", 'id = "seed-main-treatment"', 'id = "use-cidp"', "",
        'uses.toml: use 4 (id "cidp"): "id" is already used by {folder}/facts.toml: fact 1 (id "use-cidp")',
    ),
    "id with capitals and spaces": (
        "facts.toml", 'id = "seed-main-treatment"', 'id = "Seed main"', "",
        'facts.toml: fact 1 (id "Seed main"): "id" must be lower-case letters and digits joined by single hyphens',
    ),
    "unknown topic": (
        "facts.toml", 'topic = "overview"', 'topic = "overveiw"', FIRST,
        f'facts.toml: fact 1 (id "seed-main-treatment"): "topic" is "overveiw", which is not one of: {TOPICS}',
    ),
    "unknown level": (
        "facts.toml", 'level = "seed"', 'level = "basic"', FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "level" is "basic", which is not one of: seed, extended',
    ),
    "empty statement": (
        "facts.toml", 'statement = "The overview calls', 'statement = "" #', FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "statement" is empty',
    ),
    "blank statement": (
        "facts.toml", 'statement = "The overview calls', 'statement = "   " #', FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "statement" is empty',
    ),
    "no sources": (
        "facts.toml", 'sources = ["seed"]', "sources = []", FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "sources" is empty: every fact needs a source',
    ),
    "empty source": (
        "facts.toml", 'sources = ["IDF"]', 'sources = ["IDF", ""]', 'id = "ext-mostly-igg"',
        'facts.toml: fact 17 (id "ext-mostly-igg"): "sources" has an empty entry',
    ),
    "unknown source": (
        "facts.toml", 'sources = ["IDF"]', 'sources = ["Wikipedia"]', 'id = "ext-mostly-igg"',
        'facts.toml: fact 17 (id "ext-mostly-igg"): "sources" names "Wikipedia", which is not in sources.toml',
    ),
    "extended fact citing the seed": (
        "facts.toml", 'sources = ["IDF"]', 'sources = ["seed", "IDF"]', 'id = "ext-mostly-igg"',
        'facts.toml: fact 17 (id "ext-mostly-igg"): "sources" cites "seed", but the fact is not seed level',
    ),
    "seed fact not citing the seed": (
        "facts.toml", 'sources = ["seed"]', 'sources = ["StatPearls"]', FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "sources" must include "seed" for a seed fact',
    ),
    "misspelt field": (
        "facts.toml", "statement =", "statment =", FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "statment" is not a known field (did you mean "statement"?)',
    ),
    "missing field": (
        "facts.toml", 'topic = "overview"\n', "", FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "topic" is missing',
    ),
    "wrong type": (
        "facts.toml", 'level = "seed"', "level = 1", FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "level" must be text, not int',
    ),
    "sources as one text": (
        "facts.toml", 'sources = ["IDF"]', 'sources = "IDF"', 'id = "ext-mostly-igg"',
        'facts.toml: fact 17 (id "ext-mostly-igg"): "sources" must be a list of texts',
    ),
    "seed quote not in the seed": (
        "facts.toml", "The primary injection", "The main injection", FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "seed_quote" is not a sentence, bullet or table row '
        "of seed.txt",
    ),
    "seed fact without a quote": (
        "facts.toml", 'seed_quote = "The primary injection', '# seed_quote = "The primary injection', FIRST,
        'facts.toml: fact 1 (id "seed-main-treatment"): "seed_quote" is missing: a seed fact must quote the part '
        "of the seed it comes from",
    ),
    "extended fact with a seed quote": (
        "facts.toml", 'sources = ["IDF"]', 'sources = ["IDF"]\nseed_quote = "Prescription: It is always prescribed by a doctor."',
        'id = "ext-mostly-igg"',
        'facts.toml: fact 17 (id "ext-mostly-igg"): "seed_quote" is only for seed facts',
    ),
    "closer look refining an unknown fact": (
        "facts.toml", 'refines = ["seed-main-treatment"]', 'refines = ["seed-main-treatmen"]',
        'id = "closer-look-antibody-deficiencies"',
        'facts.toml: fact 40 (id "closer-look-antibody-deficiencies"): "refines" names "seed-main-treatmen", '
        "which is not a fact",
    ),
    "closer look refining an extended fact": (
        "facts.toml", 'refines = ["seed-main-treatment"]', 'refines = ["ext-mostly-igg"]',
        'id = "closer-look-antibody-deficiencies"',
        'facts.toml: fact 40 (id "closer-look-antibody-deficiencies"): "refines" names "ext-mostly-igg", '
        "which is not a seed fact",
    ),
    "use naming an unknown group": (
        "uses.toml", 'condition = "inflammatory-states"', 'condition = "inflammation"', KAWASAKI,
        f'uses.toml: use 8 (id "kawasaki-disease"): "condition" is "inflammation", which is not one of: {GROUP_IDS}',
    ),
    "use also fitting an unknown group": (
        "uses.toml", 'also_fits = ["inflammatory-states"]', 'also_fits = ["inflamatory-states"]', 'id = "cidp"',
        f'uses.toml: use 4 (id "cidp"): "also_fits" is "inflamatory-states", which is not one of: {GROUP_IDS}',
    ),
    "use also fitting its own group": (
        "uses.toml", 'also_fits = ["inflammatory-states"]', 'also_fits = ["autoimmune-diseases"]', 'id = "cidp"',
        'uses.toml: use 4 (id "cidp"): "also_fits" repeats the primary group "autoimmune-diseases"',
    ),
    "duplicate use id": (
        "uses.toml", KAWASAKI, 'id = "cidp"', "",
        'uses.toml: use 8 (id "cidp"): "id" is already used by {folder}/uses.toml: use 4 (id "cidp")',
    ),
    "empty US status": (
        "uses.toml", 'us_status = "FDA-approved (some products)"', 'us_status = ""', KAWASAKI,
        'uses.toml: use 8 (id "kawasaki-disease"): "us_status" is empty',
    ),
    "group helped by an unknown fact": (
        "conditions.toml", '"closer-look-infections"', '"closer-look-infection"', "",
        'conditions.toml: condition 3 (id "infectious-states"): "how_ivig_helps" names "closer-look-infection", '
        "which is not a fact",
    ),
    "group description quoting a changed seed row": (
        "conditions.toml", "harmful inflammation.", "harmful inflammations.", "",
        'conditions.toml: condition 4 (id "inflammatory-states"): "seed_quote" is not a sentence, bullet or table '
        "row of seed.txt",
    ),
    "duplicate source key": (
        "sources.toml", 'key = "IDF"', 'key = "StatPearls"', "",
        'sources.toml: source 3 (id "StatPearls"): "key" is already used by another source',
    ),
    "empty citation": (
        "sources.toml", 'citation = "Immune', 'citation = "" #', 'key = "IDF"',
        'sources.toml: source 3 (id "IDF"): "citation" is empty',
    ),
    "group description corrected by a closer look but shown without a caveat": (
        "conditions.toml", "caveat = ", "# caveat = ", 'id = "infectious-states"',
        'conditions.toml: condition 3 (id "infectious-states"): "caveat" is missing: "closer-look-infections" '
        "corrects this group's description",
    ),
    "caveat that no closer look backs": (
        "conditions.toml", "how_ivig_helps = [", 'caveat = "Not quite."\nhow_ivig_helps = [', "",
        'conditions.toml: condition 1 (id "immunodeficiency-states"): "caveat" is given, but no closer-look fact '
        "refines this group",
    ),
    "glossary word defined twice": (
        "glossary.toml", 'also = ["hemolysis"]', 'also = ["thrombosis"]', "",
        'glossary.toml: term 12 (id "thrombosis"): "term" repeats "thrombosis" of '
        '{folder}/glossary.toml: term 11 (id "haemolysis")',
    ),
    "glossary definition without a source": (
        "glossary.toml", 'sources = ["IDF"]', "sources = []", 'id = "igg"',
        'glossary.toml: term 2 (id "igg"): "sources" is empty: every fact needs a source',
    ),
    "bedside check with an unknown stage": (
        "bedside.toml", 'stage = "before"', 'stage = "beforehand"', "",
        'bedside.toml: check 1 (id "product-matches-order"): "stage" is "beforehand", which is not one of: '
        "before, during, after",
    ),
    "bedside checks out of order": (
        "bedside.toml", 'stage = "after"', 'stage = "during"', 'id = "report-less-urine"',
        'bedside.toml: check 12 (id "report-less-urine"): "stage" is "during" after a later stage: keep the '
        "checks in order",
    ),
    "bedside check backed by no known fact": (
        "bedside.toml", 'facts = ["bedside-check-product"]', 'facts = ["bedside-check-the-product"]', "",
        'bedside.toml: check 1 (id "product-matches-order"): "facts" names "bedside-check-the-product", which is '
        "not a fact",
    ),
    "case with no questions": (
        "cases.toml", 'questions = ["case-phone-call-headache", "case-phone-call-calf"]', "questions = []", "",
        'cases.toml: case 2 (id "phone-call"): "questions" is empty: a case needs at least one decision question',
    ),
    "arguable group that the use already fits": (
        "uses.toml", 'arguable_groups = ["inflammatory-states"]', 'arguable_groups = ["autoimmune-diseases"]', "",
        'uses.toml: use 5 (id "multifocal-motor-neuropathy"): "arguable_groups" names "autoimmune-diseases", which '
        "the use already fits",
    ),
    "which_group_question that is not true or false": (
        "uses.toml", "which_group_question = false", 'which_group_question = "no"', "",
        'uses.toml: use 9 (id "measles-post-exposure-prophylaxis"): "which_group_question" must be true or false, '
        "not str",
    ),
    "unknown top-level key": (
        "uses.toml", "[[use]]", "title = 'uses'\n[[use]]", "",
        'uses.toml: unknown top-level key "title" (expected only [[use]] tables)',
    ),
    "no tables": (
        "uses.toml", "[[use]]", "[[usage]]", "",
        'uses.toml: unknown top-level key "usage" (expected only [[use]] tables)',
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_broken_data_file_names_the_file_item_and_field(data_copy: Path, case):
    file, old, new, after, message = case
    edit(data_copy / file, old, new, after=after)
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == f"{data_copy}/" + message.format(folder=data_copy)


def test_invalid_toml_names_the_line(data_copy: Path):
    edit(data_copy / "facts.toml", 'topic = "overview"', 'topic = "overview', after=FIRST)
    with pytest.raises(ContentError, match=r"facts\.toml: is not valid TOML: .*\(at line 26, column \d+\)$"):
        load_content(data_copy)


def test_missing_file_is_named(data_copy: Path):
    (data_copy / "uses.toml").unlink()
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == f"{data_copy}/uses.toml: the file is missing"


def test_folder_instead_of_file_is_named(data_copy: Path):
    (data_copy / "uses.toml").unlink()
    (data_copy / "uses.toml").mkdir()
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == f"{data_copy}/uses.toml: is a folder, not a file"


def test_text_that_is_not_utf8_is_named(data_copy: Path):
    (data_copy / "facts.toml").write_bytes(b'[[fact]]\nid = "caf\xe9"\n')
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == f"{data_copy}/facts.toml: is not UTF-8 text (bad byte at position 18)"


def test_empty_file_is_named(data_copy: Path):
    (data_copy / "facts.toml").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == f"{data_copy}/facts.toml: has no [[fact]] tables"


def test_empty_seed_is_named(data_copy: Path):
    (data_copy / "seed.txt").write_text("Only A Heading\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == f"{data_copy}/seed.txt: has no sentences, bullets or table rows"


def test_closer_look_needs_refines(data_copy: Path):
    edit(data_copy / "facts.toml", 'refines = ["seed-main-treatment"]\n', "",
         after='id = "closer-look-antibody-deficiencies"')
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == (
        f'{data_copy}/facts.toml: fact 40 (id "closer-look-antibody-deficiencies"): "refines" is required for, '
        'and only for, "closer-look" facts'
    )


def test_content_error_is_a_value_error():
    assert issubclass(ContentError, ValueError)


def test_an_unbroken_copy_loads_like_the_package(data_copy: Path):
    import ivig_content

    assert load_content(data_copy).facts == ivig_content.facts()



@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('last_reviewed = "2026-11-31"\nreviewer = "A. Smith, pharmacist"\n',
         '"last_reviewed" is "2026-11-31", which is not a date written YYYY-MM-DD'),
        ('last_reviewed = "2026-11-25"\nreviewer = ""\n',
         '"last_reviewed" and "reviewer" go together: give both, or neither'),
        ('last_reviewed = ""\n', '"reviewer" is missing'),
        ('last_reviewed = ""\nreviewer = ""\nreviewd_by = "x"\n',
         '"reviewd_by" is not a known field (expected last_reviewed and reviewer)'),
        ("last_reviewed = 2026-11-25\nreviewer = \"A\"\n", '"last_reviewed" must be text, not date'),
    ],
)
def test_broken_review_file_is_named(data_copy: Path, text: str, message: str):
    (data_copy / "review.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(data_copy)
    assert str(raised.value) == f"{data_copy}/review.toml: {message}"


def test_a_signed_review_is_reported(data_copy: Path):
    (data_copy / "review.toml").write_text(
        'last_reviewed = "2026-12-01"\nreviewer = "A. Smith, clinical pharmacist"\n', encoding="utf-8"
    )
    review = load_content(data_copy).review
    assert str(review) == "Content last reviewed: 2026-12-01 by A. Smith, clinical pharmacist."
