"""The records the lesson is made of: one frozen dataclass per concept.

Records are built only by :mod:`ivig_content.content`, which validates the data files first, so a record
always holds checked content. DataFrames are derived from these records, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "BedsideCheck",
    "Case",
    "Choice",
    "ChoiceFeedback",
    "Condition",
    "ContentReview",
    "Fact",
    "GlossaryTerm",
    "MatchItem",
    "Progress",
    "Question",
    "Result",
    "SeedPart",
    "Source",
    "Use",
]


@dataclass(frozen=True, slots=True)
class Source:
    """A reference that facts cite, e.g. StatPearls or a US prescribing label.

    ``review_note`` says what a clinical reviewer must confirm about it (e.g. that a newer edition keeps a point).
    """

    key: str
    citation: str
    review_note: str = ""


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
class ContentReview:
    """When a clinical reviewer last signed off the content, and who; ``None`` and "" until that happens."""

    last_reviewed: date | None
    reviewer: str

    def __str__(self) -> str:
        if self.last_reviewed is None:
            return "Content last reviewed: not yet reviewed by a clinician."
        return f"Content last reviewed: {self.last_reviewed.isoformat()} by {self.reviewer}."


@dataclass(frozen=True, slots=True)
class Use:
    """A specific condition IVIG is used for, such as Kawasaki disease.

    ``condition`` is the id of its primary group; ``also_fits`` the ids of other groups it fits as well;
    ``arguable_groups`` groups a learner could fairly argue for (never offered as wrong in "which group?");
    ``which_group_question`` is false when the use's name answers "which group?" by itself.
    """

    id: str
    name: str
    condition: str
    also_fits: tuple[str, ...]
    us_status: str
    detail: str
    sources: tuple[Source, ...]
    arguable_groups: tuple[str, ...] = ()
    which_group_question: bool = True

    @property
    def source(self) -> str:
        return "; ".join(source.citation for source in self.sources)


@dataclass(frozen=True, slots=True)
class Condition:
    """One of the seed's four groups of conditions treated with IVIG.

    ``how_ivig_helps`` holds the facts (each with its own sources) that say how IVIG helps in this group;
    ``uses`` the specific uses whose primary group this is, and ``also_fitting_uses`` those that fit here too.
    ``caveat`` is the short correction that must follow the seed's ``description`` wherever it is shown ("" when
    the seed needs none); ``sources`` cover the description and the caveat.
    """

    id: str
    name: str
    description: str
    seed_quote: str
    sources: tuple[Source, ...]
    how_ivig_helps: tuple[Fact, ...]
    uses: tuple[Use, ...]
    also_fitting_uses: tuple[Use, ...]
    caveat: str = ""

    @property
    def source(self) -> str:
        return "; ".join(source.citation for source in self.sources)

    @property
    def described(self) -> str:
        """The description with its caveat, as learners always see it."""
        return f"{self.description} A closer look: {self.caveat}" if self.caveat else self.description


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A word a learner may not know (e.g. "thrombosis"), with a short sourced definition.

    ``also`` lists other forms of the word (plurals, US spellings) that count when finding it in a text.
    """

    id: str
    term: str
    also: tuple[str, ...]
    definition: str
    sources: tuple[Source, ...]

    @property
    def source(self) -> str:
        return "; ".join(source.citation for source in self.sources)


@dataclass(frozen=True, slots=True)
class BedsideCheck:
    """One check when giving IVIG (or one sign the person reports at home), tied to the risk it guards against.

    ``stage`` is "before", "during" or "after" the infusion; ``facts`` back both the check and the risk.
    """

    id: str
    stage: str
    check: str
    guards_against: str
    facts: tuple[Fact, ...]

    @property
    def source(self) -> str:
        cited = dict.fromkeys(source for fact in self.facts for source in fact.sources)
        return "; ".join(source.citation for source in cited)


@dataclass(frozen=True, slots=True)
class Case:
    """A case scenario: a short story and the ids of its decision questions in the built-in bank.

    ``review_note`` says what the clinical reviewer must decide about it (shown on the review sheet only).
    """

    id: str
    title: str
    scenario: str
    question_ids: tuple[str, ...]
    review_note: str = ""


# --- The quiz ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer a learner can pick, with the feedback that says why it is right or wrong.

    ``code`` is true when the text is program code (a jupyterquiz answer given as ``code``): it is shown in a
    monospaced font, with its line breaks and indentation."""

    id: str
    text: str
    correct: bool
    feedback: str = ""
    code: bool = False


@dataclass(frozen=True, slots=True)
class MatchItem:
    """One item of a matching question; ``answer`` is the id of the choice that belongs with it."""

    id: str
    text: str
    answer: str
    feedback: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """One quiz question.

    ``kind`` is "single" (pick one; true/false included), "multiple" (select all that apply: right only when
    exactly the correct choices are chosen) or "matching" (pair each of ``items`` with one of ``choices``).
    ``fact_ids`` are the facts that back the answer, the explanation and every choice's feedback; ``source``
    cites them.
    """

    id: str
    kind: str
    topic: str
    level: str
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str = ""
    source: str = ""
    fact_ids: tuple[str, ...] = ()
    items: tuple[MatchItem, ...] = ()

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(f'question "{self.id}" has no choice "{choice_id}"')


@dataclass(frozen=True, slots=True)
class ChoiceFeedback:
    """What a learner is told about one choice (or, in matching, one item) after checking an answer."""

    text: str
    chosen: bool
    correct: bool  # this choice is a right one; in matching, the item was paired rightly
    feedback: str


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of checking one answer. ``counted`` is true for the first attempt, the one that scores.

    ``right_answer`` is the right answer in words, shown with the feedback whenever the answer was wrong.
    """

    question_id: str
    correct: bool
    counted: bool
    feedback: tuple[ChoiceFeedback, ...]
    explanation: str
    source: str
    right_answer: str = ""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a learner is: questions answered at least once, out of all."""

    answered: int
    total: int

    @property
    def finished(self) -> bool:
        return self.answered == self.total
