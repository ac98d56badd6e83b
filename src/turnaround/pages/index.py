"""Lookups over the knowledge base, computed once per build for every generated page.

Every builder and `decorate` (which runs once per page) read from one `Index`;
it is cached on the knowledge base it was made from, so a build with N stories
does O(N) work to index them, not O(N) per page.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from .. import content
from ..model import Entry, KnowledgeBase, as_list, build_date, unique_ids
from ..vocabulary import STORY_FIELDS, Framework

# The story fields readers browse by: field -> (folder under stories/, what a value is called).
FACETS = {name: (facet.folder, facet.title) for name, facet in content.facets().items()}
# The outcomes counted on the evidence page, in the order they are shown.
WON, LOST, UNKNOWN = content.WON, content.LOST, content.UNKNOWN
ILLUSTRATIVE = content.ILLUSTRATIVE


def is_evidence(story: Entry) -> bool:
    """Whether a story counts in the evidence: every provenance but `illustrative`."""
    return story.get("provenance") != ILLUSTRATIVE


@dataclass
class Index:
    """Who links to whom: stories by step, facet and source; advice and frameworks by step."""

    kb: KnowledgeBase
    today: dt.date
    stories: list[Entry]  # by title
    by_uri: dict[str, Entry]
    taken: dict[str, list[Entry]]  # step id -> stories that count as evidence
    missed: dict[str, list[Entry]]
    taken_illustrative: dict[str, list[Entry]]  # step id -> illustrative stories, counted apart
    missed_illustrative: dict[str, list[Entry]]
    facets: dict[str, dict[str, list[Entry]]]  # field -> value -> stories
    by_source: dict[str, list[Entry]]
    advice: dict[str, list[tuple[Entry, str]]]  # step id -> (source, recommendation text)
    named_by: dict[str, list[tuple[Framework, str]]]  # step id -> (framework, element name)
    phases: list[tuple[str, str, list[Entry]]] = field(default_factory=list)  # (phase, label, steps in order)
    memo: dict = field(default_factory=dict)  # results derived from the index, such as the generated pages

    def vocabulary(self, story_field: str) -> dict:
        """The terms of the vocabulary a story field draws on."""
        return self.kb.vocab[STORY_FIELDS[story_field]]

    def label(self, story_field: str, value: str) -> str:
        return self.kb.vocab.label(STORY_FIELDS[story_field], value)

    def values(self, story: Entry, story_field: str) -> list[str]:
        """The story's known vocabulary values for a field (compensation may hold several)."""
        return _values(story, story_field, self.vocabulary(story_field))

    def steps_of(self, story: Entry, story_field: str) -> list[Entry]:
        """The steps a story lists as taken or missed, in checklist order; unknown ids left out."""
        wanted = set(unique_ids(story.get(story_field)))
        return [step for step in self.kb.steps if step.id in wanted]

    def source_of(self, story: Entry) -> Entry | None:
        source = story.get("source")
        return self.kb.source(source) if isinstance(source, str) else None

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


# The index of the last knowledge base seen; a new build (or `serve` rebuild) brings a new one.
_last: tuple[weakref.ref, Index] | None = None


def index_of(kb: KnowledgeBase) -> Index:
    """The index of a knowledge base, built on first use and then reused."""
    global _last
    if _last is not None and _last[0]() is kb:
        return _last[1]
    index = build_index(kb)
    _last = (weakref.ref(kb), index)
    return index


def build_index(kb: KnowledgeBase) -> Index:
    """One pass over the stories, sources and frameworks."""
    step_ids = {step.id for step in kb.steps}
    index = Index(
        kb=kb,
        today=build_date(),
        stories=sorted(kb.stories, key=lambda s: (s.title.casefold(), s.id)),
        by_uri={entry.src_uri: entry for entry in kb.entries()},
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
    groups: dict[str, list[Entry]] = {phase: [] for phase in terms}
    for step in kb.steps:
        groups.setdefault(str(step.get("phase")), []).append(step)
    index.phases = [
        (phase, terms[phase].label if phase in terms else "Other steps", steps)
        for phase, steps in groups.items()
        if steps
    ]
    # Stories, in title order, under every step, facet value and source they name.
    for story in index.stories:
        evidence = is_evidence(story)
        for step_id in unique_ids(story.get("steps_taken")):
            if step_id in step_ids:
                (index.taken if evidence else index.taken_illustrative)[step_id].append(story)
        for step_id in unique_ids(story.get("steps_missed")):
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
        for item in as_list(source.get("recommends")):
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                for step_id in unique_ids(item.get("steps")):
                    if step_id in step_ids:
                        index.advice[step_id].append((source, item["text"]))
    # Each framework's elements under the steps they name.
    for framework in kb.frameworks:
        for element, step_id in framework.elements:
            if step_id in step_ids:
                index.named_by[step_id].append((framework, element))
    return index


def _values(story: Entry, story_field: str, terms: dict) -> list[str]:
    # A story without compensation (an empty list) is filed under `none`.
    raw = story.get(story_field)
    values = as_list(raw) if story_field == "compensation" else [raw]
    known = [v for v in dict.fromkeys(v for v in values if isinstance(v, str)) if v in terms]
    if story_field == "compensation" and not known and not values and "none" in terms:
        return ["none"]
    return known
