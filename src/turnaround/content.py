"""The content model, declared once: each collection's fields, a story's sections, facets and vocabularies.

The validator, the JSON Schemas, the scaffold, the field reference page, the
indexes and the cards all read these declarations; none keeps its own list.
This module imports nothing from the project, so anything may import it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One `##` section of a story: its title, what it is for, and where it goes on the role-play card."""

    title: str
    limit: int  # the most characters that fit on its card
    purpose: str  # the scaffold's `TODO:` line and the reference page say this
    role: str  # the role-play card's slot: situation (front), staff, outcome, better (back)


# A story's sections, in the order the body must give them.
STORY_SECTIONS = (
    Section(
        "Situation",
        650,
        "What happened, from the customer's side, up to the moment staff had to act. "
        "Do not say how it ended: this is the front of a role-play card.",
        "situation",
    ),
    Section("What staff did", 420, "What staff said and did, in order, including what they offered.", "staff"),
    Section(
        "Outcome", 250, "How it ended: did the customer stay, come back, complain again or say nothing?", "outcome"
    ),
    Section(
        "Better recovery",
        450,
        "What would have turned it around, naming the steps with links such as [apologize](../steps/apologize.md).",
        "better",
    ),
)


def section(role: str) -> Section:
    """The story section that fills a card role."""
    return next(s for s in STORY_SECTIONS if s.role == role)


@dataclass(frozen=True)
class Vocabulary:
    """A controlled vocabulary of data/vocabularies.yml and the title it has on the reference page."""

    name: str
    title: str


# Every vocabulary the data file must define, in the reference page's order.
VOCABULARIES = (
    Vocabulary("settings", "Settings"),
    Vocabulary("failures", "Failure types"),
    Vocabulary("severity", "Severity"),
    Vocabulary("fault", "Fault"),
    Vocabulary("compensation", "Compensation"),
    Vocabulary("outcomes", "Outcomes"),
    Vocabulary("provenance", "Provenance"),
    Vocabulary("phases", "Phases"),
)


@dataclass(frozen=True)
class Facet:
    """A story field readers browse by: the folder of its pages and what one value is called."""

    folder: str
    title: str


@dataclass(frozen=True)
class Field:
    """One front-matter field of a story."""

    name: str
    vocabulary: str | None = None  # the vocabulary its values come from
    many: bool = False  # a list of values
    default: object = None  # what a contributor who leaves it out gets (None: it must be given)
    facet: Facet | None = None  # readers browse stories by it


# A story's fields, in the order every story file gives them.
STORY_FIELDS = (
    Field("title"),
    Field("summary"),
    Field("setting", "settings", facet=Facet("by-setting", "Setting")),
    Field("failure", "failures", facet=Facet("by-failure", "Failure type")),
    Field("severity", "severity"),
    Field("fault", "fault", default="unknown", facet=Facet("by-fault", "Fault")),
    Field("steps_taken", many=True, default=()),
    Field("steps_missed", many=True, default=()),
    Field("compensation", "compensation", many=True, default=(), facet=Facet("by-compensation", "Compensation")),
    Field("outcome", "outcomes", default="unknown", facet=Facet("by-outcome", "Outcome")),
    Field("provenance", "provenance", facet=Facet("by-provenance", "Provenance")),
    Field("source"),
    Field("citations"),
    Field("tags", many=True, default=()),
    Field("reviewed"),
)
# The facets in the order the story pages list them.
FACET_ORDER = ("failure", "setting", "outcome", "fault", "compensation", "provenance")
# A step's field that draws on a vocabulary.
STEP_VOCABULARIES = {"phase": "phases"}
# Stories written for training: shown and used for role-play, never counted as evidence.
ILLUSTRATIVE = "illustrative"
# The outcomes counted on the evidence page, in the order they are shown.
WON, LOST, UNKNOWN = "won-back", "lost", "unknown"


def story_field(name: str) -> Field:
    return next(f for f in STORY_FIELDS if f.name == name)


def field_vocabularies() -> dict[str, str]:
    """Story field -> the vocabulary it draws on."""
    return {f.name: f.vocabulary for f in STORY_FIELDS if f.vocabulary}


def facets() -> dict[str, Facet]:
    """Story field -> its facet, in the story pages' order."""
    return {name: story_field(name).facet for name in FACET_ORDER}


# The pages the site generates, by their path in the docs tree: known from the model alone, before any is rendered.
CHECKLISTS = "checklists/index.md"
STORIES = "stories/index.md"
TAGS = "stories/tags.md"
CROSSWALKS = "crosswalks.md"
EVIDENCE = "evidence.md"
REVIEW = "review.md"
CARDS = "cards/index.md"
REFERENCE = "contribute/reference.md"
ERRORS = "contribute/errors.md"


def failure_uri(failure: str) -> str:
    """The checklist page of one failure type."""
    return f"checklists/{failure}.md"


def facet_uri(story_field: str, value: str) -> str:
    """The page listing the stories with one value of a facet."""
    return f"stories/{facets()[story_field].folder}/{value}.md"


# The folder of the per-step story lists, beside the facets' folders under stories/.
STEP_STORIES_FOLDER = "by-step"


def step_stories_uri(step_id: str) -> str:
    """The page listing every story that took or missed one step (its step page lists only the newest)."""
    return f"stories/{STEP_STORIES_FOLDER}/{step_id}.md"


def page_paths(vocab, step_ids=()) -> list[str]:
    """Every generated page's docs-tree path, given the vocabularies (name -> values) and the steps' ids."""
    drawn_on = field_vocabularies()
    paths = [CHECKLISTS, *(failure_uri(value) for value in vocab[drawn_on["failure"]])]
    paths += [STORIES, TAGS]
    for name in facets():
        paths += [facet_uri(name, value) for value in vocab[drawn_on[name]]]
    paths += [step_stories_uri(step_id) for step_id in step_ids]
    return [*paths, CROSSWALKS, EVIDENCE, REVIEW, CARDS, REFERENCE, ERRORS]
