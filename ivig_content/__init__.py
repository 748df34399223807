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
    conditions,
    conditions_frame,
    facts,
    facts_frame,
    seed_parts,
    sources,
    uses,
    uses_frame,
)
from .records import Condition, Fact, SeedPart, Source, Use

__version__ = "0.1.0"

__all__ = [
    "Condition",
    "ContentError",
    "DISCLAIMER",
    "Fact",
    "SeedPart",
    "Source",
    "Use",
    "__version__",
    "conditions",
    "conditions_frame",
    "facts",
    "facts_frame",
    "seed_parts",
    "sources",
    "uses",
    "uses_frame",
]
