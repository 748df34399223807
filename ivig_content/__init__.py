"""ivig-teaching: what intravenous immunoglobulin (IVIG) is, how it works, what it is used for and how it
is given safely, as sourced facts, tables, widgets and a quiz.

For education only: IVIG must only be used under the guidance of a healthcare provider (see ``DISCLAIMER``).

>>> import ivig_content
>>> ivig_content.conditions_frame()["condition"].tolist()
['Immunodeficiency states', 'Autoimmune diseases', 'Infectious states', 'Inflammatory states']

The widgets live in ``ivig_content.widgets`` so that importing this package does not import ipywidgets.
"""

from .content import (
    DISCLAIMER,
    ContentError,
    bedside_checks,
    bedside_frame,
    cases,
    closer_looks_for,
    closer_looks_frame,
    conditions,
    conditions_frame,
    content_review,
    facts,
    facts_frame,
    glossary,
    glossary_frame,
    glossary_terms_in,
    seed_parts,
    sources,
    topic_title,
    uses,
    uses_frame,
)
from .records import BedsideCheck, Case, Condition, ContentReview, Fact, GlossaryTerm, SeedPart, Source, Use

__version__ = "0.1.0"

__all__ = [
    "BedsideCheck",
    "Case",
    "Condition",
    "ContentError",
    "ContentReview",
    "DISCLAIMER",
    "Fact",
    "GlossaryTerm",
    "SeedPart",
    "Source",
    "Use",
    "__version__",
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
    "seed_parts",
    "sources",
    "topic_title",
    "uses",
    "uses_frame",
]
