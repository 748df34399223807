"""The records the lesson is made of: one frozen dataclass per concept.

Records are built only by :mod:`ivig_content.content`, which validates the data files first, so a record
always holds checked content. DataFrames are derived from these records, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "SeedPart", "Fact", "Condition", "Use"]


@dataclass(frozen=True, slots=True)
class Source:
    """A reference that facts cite, e.g. StatPearls or a US prescribing label."""

    key: str
    citation: str


@dataclass(frozen=True, slots=True)
class SeedPart:
    """One sentence, bullet or table row of the seed text that the lesson is built from."""

    number: int
    section: str
    kind: str  # "sentence", "bullet" or "table row"
    text: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One sourced statement that the lesson teaches.

    ``seed_quote`` is the exact part of the seed text a seed-level fact comes from (``None`` for extended
    facts). ``refines`` names the seed-level facts that a "closer look" fact makes more precise.
    """

    id: str
    topic: str
    level: str
    statement: str
    sources: tuple[Source, ...]
    seed_quote: str | None = None
    refines: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The full citations of this fact's sources, joined with "; "."""
        return "; ".join(source.citation for source in self.sources)


@dataclass(frozen=True, slots=True)
class Use:
    """A specific condition IVIG is used for, such as Kawasaki disease.

    ``condition`` is the id of its primary group; ``also_fits`` the ids of other groups it fits as well.
    """

    id: str
    name: str
    condition: str
    also_fits: tuple[str, ...]
    us_status: str
    detail: str
    sources: tuple[Source, ...]

    @property
    def source(self) -> str:
        return "; ".join(source.citation for source in self.sources)


@dataclass(frozen=True, slots=True)
class Condition:
    """One of the seed's four groups of conditions treated with IVIG.

    ``how_ivig_helps`` holds the facts (each with its own sources) that say how IVIG helps in this group;
    ``uses`` the specific uses whose primary group this is, and ``also_fitting_uses`` those that fit here too.
    """

    id: str
    name: str
    description: str
    seed_quote: str
    sources: tuple[Source, ...]
    how_ivig_helps: tuple[Fact, ...]
    uses: tuple[Use, ...]
    also_fitting_uses: tuple[Use, ...]

    @property
    def source(self) -> str:
        return "; ".join(source.citation for source in self.sources)
