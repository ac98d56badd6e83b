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


# The kinds of value a field takes; schema.py writes each as JSON Schema, the reference page in words.
TEXT, TEXTS, TERM, TERMS, ID, IDS, DATE, URL, NUMBER, RECORDS = (
    "text", "texts", "term", "terms", "id", "ids", "date", "url", "number", "records"
)  # fmt: skip
# What an id looks like: lowercase words joined by hyphens.
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
# The longest story title, in characters; validate.py also keeps wide titles within the room of one this long.
TITLE_LIMIT = 90


@dataclass(frozen=True)
class Field:
    """One front-matter field of a collection: what it holds, the values it takes, and where it is used."""

    name: str
    kind: str  # one of the kinds above
    description: str  # the editors' tooltip and the reference page's "What it holds"
    required: bool = True
    vocabulary: str | None = None  # TERM, TERMS: the vocabulary its values come from
    refers: str | None = None  # ID, IDS: the collection whose ids it names (resolved after loading)
    length: tuple[int, int] | None = None  # TEXT, TEXTS: the fewest and most characters (of each item)
    count: tuple[int | None, int | None] = (None, None)  # a list's fewest and most items
    bounds: tuple[int, int] | None = None  # NUMBER: lowest and highest
    record: str | None = None  # RECORDS: what one record is called
    fields: tuple[Field, ...] = ()  # RECORDS: a record's own fields
    default: object = None  # what a contributor who leaves it out gets (None: it must be given)
    facet: Facet | None = None  # readers browse stories by it
    scaffold: bool = True  # written into every new story file

    @property
    def many(self) -> bool:
        """A list of values."""
        return self.kind in (TEXTS, TERMS, IDS, RECORDS)


# A story's fields, in the order every story file gives them.
STORY_FIELDS = (
    Field("title", TEXT, f"Plain text, at most {TITLE_LIMIT} characters: what happened, in a few words.",
          length=(1, TITLE_LIMIT)),
    Field("summary", TEXT, "One or two sentences, at most 200 characters, outcome included.", length=(1, 200)),
    Field("setting", TERM, "Where it happened.", vocabulary="settings", facet=Facet("by-setting", "Setting")),
    Field("failure", TERM, "What kind of failure it was.", vocabulary="failures",
          facet=Facet("by-failure", "Failure type")),
    Field("severity", TERM, "How bad it was for the customer.", vocabulary="severity"),
    Field("fault", TERM, "Whose fault it was.", vocabulary="fault", default="unknown",
          facet=Facet("by-fault", "Fault")),
    Field("steps_taken", IDS, "The recovery steps staff took (step ids; may be empty).", refers="steps",
          count=(None, 8), default=()),
    Field("steps_missed", IDS, "The recovery steps staff missed (step ids; may be empty).", refers="steps",
          count=(None, 8), default=()),
    Field(
        "compensation",
        TERMS,
        "Everything the customer was given, the fix included (a replacement, a redo, a refund); [none] when nothing "
        "was. List `compensate` in `steps_taken` only when something beyond the fix was given: a refund that only "
        "undoes a wrong charge is the fix, not compensation.",
        vocabulary="compensation",
        count=(None, 5),
        default=(),
        facet=Facet("by-compensation", "Compensation"),
    ),
    Field("outcome", TERM, "How it ended, as far as the story tells.", vocabulary="outcomes", default="unknown",
          facet=Facet("by-outcome", "Outcome")),
    Field(
        "provenance",
        TERM,
        "Where the story comes from: a source article, a public report, a first-hand account, or written for "
        "training.",
        vocabulary="provenance",
        facet=Facet("by-provenance", "Provenance"),
    ),
    Field("source", ID, "The source article this story comes from (a source id); only with "
          "`provenance: source-article`.", required=False, refers="sources"),
    Field(
        "citations",
        RECORDS,
        "The public reports the story's facts come from, each with publisher, title, date and url; needed with "
        "`provenance: public-report`.",
        required=False,
        count=(None, 6),
        record="Citation",
        fields=(
            Field("publisher", TEXT, "The publication, or the person who reported it.", length=(1, 120)),
            Field("title", TEXT, "The report's title, as published.", length=(1, 200)),
            Field("date", DATE, "When it was published, YYYY-MM-DD."),
            Field("url", URL, "Where the report can be read."),
        ),
    ),
    Field("tags", IDS, "Free keywords: lowercase words joined by hyphens.", required=False, count=(None, 8),
          default=()),
    Field("reviewed", DATE, "The date the story was last checked, YYYY-MM-DD."),
    Field("keeps_personal_data", TEXT, "Only when a story must keep an e-mail address or phone number: who "
          "reviewed it and why.", required=False, length=(1, 200), scaffold=False),
)  # fmt: skip

# The words staff type for a step or a vocabulary value (search finds its pages by them), and their limits.
ALIASES_HELP = "Words staff use for it, such as refund, voucher, on the house: search finds the page by them."
ALIAS_LENGTH = (1, 40)
ALIAS_COUNT = 16

# A step's fields; their limits keep every card within its box.
STEP_FIELDS = (
    Field("title", TEXT, "The step's name, at most 16 characters (role-play cards name the steps in a narrow "
          "column).", length=(1, 16)),
    Field("order", NUMBER, "Position in the checklist, 1 to N, unique; the checklist card holds at most 10 steps.",
          bounds=(1, 10)),
    Field("phase", TERM, "When the step happens.", vocabulary="phases"),
    Field("summary", TEXT, "One sentence: what the step is and why it matters.", length=(1, 200)),
    Field("when", TEXT, "When to use it, one sentence (card front).", length=(1, 140)),
    Field("why", TEXT, "Why it matters, one or two sentences (card back).", length=(1, 260)),
    Field("do", TEXTS, "3 to 5 short imperative items (card front, checklist).", length=(1, 70), count=(3, 5)),
    Field("say", TEXTS, "1 to 3 example phrases staff can use.", length=(1, 110), count=(1, 3)),
    Field("avoid", TEXTS, "2 to 4 short items to avoid (card back).", length=(1, 70), count=(2, 4)),
    Field("aliases", TEXTS, ALIASES_HELP, required=False, length=ALIAS_LENGTH, count=(None, ALIAS_COUNT), default=()),
    Field("reviewed", DATE, "The date the step was last checked, YYYY-MM-DD."),
)  # fmt: skip

# A curated source article's fields.
SOURCE_FIELDS = (
    Field("title", TEXT, "The article's original title.", length=(1, 120)),
    Field("summary", TEXT, "One sentence on what the article argues.", length=(1, 200)),
    Field("author", TEXT, "The author as the source names them; leave out if unnamed.", required=False,
          length=(1, 80)),
    Field("published", DATE, "When the source was published, if it says.", required=False),
    Field("publisher", TEXT, "Blog, radio programme or site.", required=False, length=(1, 120)),
    Field("seed", TEXT, "The source file this page was curated from.", length=(1, 120)),
    Field("url", URL, "Where the original can be read, if public.", required=False),
    Field(
        "recommends",
        RECORDS,
        "The source's own advice, in order, in our words, mapped to steps.",
        count=(1, 10),
        record="Recommendation",
        fields=(
            Field("text", TEXT, "The advice, in our words.", length=(1, 160)),
            Field("steps", IDS, "The canonical steps it maps to.", refers="steps", count=(1, 8)),
        ),
    ),
    Field("reviewed", DATE, "The date the page was last checked, YYYY-MM-DD."),
)  # fmt: skip

# Each collection's fields, and what one entry of it is called.
FIELDS = {"stories": STORY_FIELDS, "steps": STEP_FIELDS, "sources": SOURCE_FIELDS}
TITLES = {"stories": "Story", "steps": "Step", "sources": "Source"}
# The facets in the order the story pages list them.
FACET_ORDER = ("failure", "setting", "outcome", "fault", "compensation", "provenance")
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
