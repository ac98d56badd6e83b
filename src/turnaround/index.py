"""Lookups over the knowledge base, made once per build and shared by the generated pages and the cards.

One `Index` per knowledge base (`index_of`): the stories that took and missed
each step, the stories under every facet value and source, the steps in
checklist order under their phases, each step's number, and the advice and
frameworks that name each step. A build with N stories does O(N) work to
index them, not O(N) per page or per card.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from . import content
from .model import Entry, KnowledgeBase, Source, Step, Story, build_date
from .vocabulary import STORY_FIELDS, Framework

# The story fields readers browse by: field -> (folder under stories/, what a value is called).
FACETS = {name: (facet.folder, facet.title) for name, facet in content.facets().items()}
# The outcomes counted on the evidence page, in the order they are shown.
WON, LOST, UNKNOWN = content.WON, content.LOST, content.UNKNOWN
ILLUSTRATIVE = content.ILLUSTRATIVE
# The label of the steps whose phase is not in the vocabulary.
OTHER_STEPS = "Other steps"


def is_evidence(story: Story) -> bool:
    """Whether a story counts in the evidence: every provenance but `illustrative`."""
    return story.provenance != ILLUSTRATIVE


@dataclass
class Index:
    """Who links to whom: stories by step, facet and source; advice and frameworks by step; steps by phase."""

    kb: KnowledgeBase
    today: dt.date
    stories: list[Story]  # by title
    by_uri: dict[str, Entry]
    numbers: dict[str, int]  # step id -> its number on the checklist (its `order`, else its place)
    taken: dict[str, list[Story]]  # step id -> stories that count as evidence
    missed: dict[str, list[Story]]
    taken_illustrative: dict[str, list[Story]]  # step id -> illustrative stories, counted apart
    missed_illustrative: dict[str, list[Story]]
    facets: dict[str, dict[str, list[Story]]]  # field -> value -> stories
    by_source: dict[str, list[Story]]
    advice: dict[str, list[tuple[Source, str]]]  # step id -> (source, recommendation text)
    named_by: dict[str, list[tuple[Framework, str]]]  # step id -> (framework, element name)
    phases: list[tuple[str, str, list[Step]]] = field(default_factory=list)  # (phase, label, steps in order)
    memo: dict = field(default_factory=dict)  # results derived from the index, such as the generated pages

    @property
    def steps(self) -> list[Step]:
        """Every step, in checklist order."""
        return self.kb.steps

    def vocabulary(self, story_field: str) -> dict:
        """The terms of the vocabulary a story field draws on."""
        return self.kb.vocab[STORY_FIELDS[story_field]]

    def label(self, story_field: str, value: str) -> str:
        return self.kb.vocab.label(STORY_FIELDS[story_field], value)

    def values(self, story: Story, story_field: str) -> list[str]:
        """The story's known vocabulary values for a field (compensation may hold several)."""
        raw = getattr(story, story_field)
        values = raw if isinstance(raw, tuple) else (raw,)
        terms = self.vocabulary(story_field)
        # A story without compensation (an empty list) is filed under `none`.
        if story_field == "compensation" and not values and "none" in terms:
            return ["none"]
        return [value for value in values if value in terms]

    def steps_of(self, story: Story, story_field: str) -> list[Step]:
        """The steps a story lists as taken or missed, in checklist order; unknown ids left out."""
        wanted = set(getattr(story, story_field))
        return [step for step in self.steps if step.id in wanted]

    def source_of(self, story: Story) -> Source | None:
        return self.kb.source(story.source) if story.source else None

    def facet_uri(self, story_field: str, value: str) -> str:
        """The docs path of the page listing the stories with this value."""
        return content.facet_uri(story_field, value)

    def due_on(self, entry: Entry) -> dt.date | None:
        """When the entry's next review falls due (None when it has no review date)."""
        reviewed = entry.reviewed
        return reviewed + dt.timedelta(days=self.kb.settings.review_interval_days) if reviewed else None

    def review_due(self, entry: Entry) -> bool:
        """Overdue for review on the build date, or never reviewed."""
        due = self.due_on(entry)
        return due is None or due < self.today


def index_of(kb: KnowledgeBase) -> Index:
    """The knowledge base's one index, built on first use and kept on it (a new load brings a new one)."""
    if kb.index is None:
        kb.index = build_index(kb)
    return kb.index


def build_index(kb: KnowledgeBase) -> Index:
    """One pass over the steps, stories, sources and frameworks."""
    step_ids = {step.id for step in kb.steps}
    index = Index(
        kb=kb,
        today=build_date(),
        stories=sorted(kb.stories, key=lambda s: (s.title.casefold(), s.id)),
        by_uri={entry.src_uri: entry for entry in kb.entries()},
        numbers={step.id: place if step.order is None else step.order for place, step in enumerate(kb.steps, 1)},
        taken=defaultdict(list),
        missed=defaultdict(list),
        taken_illustrative=defaultdict(list),
        missed_illustrative=defaultdict(list),
        facets={name: defaultdict(list) for name in FACETS},
        by_source=defaultdict(list),
        advice=defaultdict(list),
        named_by=defaultdict(list),
    )
    # The steps under their phase, in checklist order: each phase that has steps, unknown phases last.
    terms = kb.vocab["phases"]
    groups: dict[str, list[Step]] = {phase: [] for phase in terms}
    for step in kb.steps:
        groups.setdefault(step.phase, []).append(step)
    index.phases = [
        (phase, terms[phase].label if phase in terms else OTHER_STEPS, steps)
        for phase, steps in groups.items()
        if steps
    ]
    # Stories, in title order, under every step, facet value and source they name.
    for story in index.stories:
        evidence = is_evidence(story)
        for step_id in story.steps_taken:
            if step_id in step_ids:
                (index.taken if evidence else index.taken_illustrative)[step_id].append(story)
        for step_id in story.steps_missed:
            if step_id in step_ids:
                (index.missed if evidence else index.missed_illustrative)[step_id].append(story)
        for name in FACETS:
            for value in index.values(story, name):
                index.facets[name][value].append(story)
        source = index.source_of(story)
        if source:
            index.by_source[source.id].append(story)
    # Each source's advice under the steps it maps to.
    for source in kb.sources:
        for item in source.recommends:
            if item.text:
                for step_id in item.steps:
                    if step_id in step_ids:
                        index.advice[step_id].append((source, item.text))
    # Each framework's elements under the steps they name.
    for framework in kb.frameworks:
        for element, step_id in framework.elements:
            if step_id in step_ids:
                index.named_by[step_id].append((framework, element))
    return index
