"""The loaded knowledge base: steps, sources and stories as frozen, typed records.

`record` makes a `Step`, `Source` or `Story` from a file's front matter once it
has been read; the pages, the cards, the index and the scaffold read their
attributes, never the front matter. `in_checklist_order` is the one step order.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import markdown_text
from .frontmatter import Document
from .problems import Problem
from .repository import Settings
from .vocabulary import Framework, Vocabularies


def build_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The date a build is made on: SOURCE_DATE_EPOCH (UTC) when set, so builds repeat; else today.

    A value that is not a whole number of seconds is ignored, as if unset.
    """
    moment = source_date_epoch(environ)
    return (moment or dt.datetime.now(dt.UTC)).date()


def source_date_epoch(environ: Mapping[str, str] | None = None) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC moment, or None when it is unset or not whole seconds."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else None


def as_list(value) -> list:
    """A front-matter value that should be a list: itself when it is one, else empty (the check reports it)."""
    return value if isinstance(value, list) else []


def unique_ids(value) -> list[str]:
    """The text items of a list of ids, each once, in order."""
    return list(dict.fromkeys(v for v in as_list(value) if isinstance(v, str)))


@dataclass(frozen=True, eq=False)
class Entry:
    """One step, source or story as read: its id, file, front matter and body.

    `meta` is the front matter as written, for the checks (and tests) that judge
    it; everything else reads the typed attributes of `Step`, `Source` and `Story`.
    """

    collection: str  # steps | sources | stories
    id: str
    path: Path  # absolute path of the Markdown file
    doc: Document
    title: str = field(default="", kw_only=True)
    reviewed: dt.date | None = field(default=None, kw_only=True)

    @property
    def rel(self) -> str:
        return self.doc.rel

    @property
    def meta(self) -> dict:
        return self.doc.meta

    @property
    def body(self) -> str:
        return self.doc.body

    @property
    def src_uri(self) -> str:
        """Where the page stands in the site's docs tree, e.g. `stories/iced-tea.md`."""
        return f"{self.collection}/{self.id}.md"

    @property
    def url(self) -> str:
        """The page's path in the built site, e.g. `stories/iced-tea/`."""
        return f"{self.collection}/{self.id}/"

    def get(self, name: str, default=None):
        """A front-matter value as written (the checks' reading; pages and cards read the attributes)."""
        return self.meta.get(name, default)

    # Scans of the body, made once and shared by the checks, the pages and the cards (and stored with them).
    @cached_property
    def sections(self) -> tuple[list[markdown_text.Section], list[markdown_text.Line]]:
        """The body cut at `##` headings, and the non-blank lines before the first one."""
        return markdown_text.sections(self.body, self.doc.body_line)

    @cached_property
    def anchors(self) -> set[str]:
        """The anchor ids of the body's headings."""
        return markdown_text.anchors(self.body)

    @cached_property
    def links(self) -> list[markdown_text.Link]:
        """Every link in the body, with its line."""
        return markdown_text.links(self.body, self.doc.body_line)

    @cached_property
    def fenced(self) -> frozenset[int]:
        """Which lines of the body are fenced code (offsets from the body's first line)."""
        return markdown_text.fenced_lines(self.body)

    def prose(self, after: int = 0, before: int = 10**9) -> list[markdown_text.Line]:
        """The body's lines outside fenced code, with inline code blanked (those numbered between `after` and
        `before`, when given)."""
        return markdown_text.prose_lines(self.body, self.doc.body_line, self.fenced, after, before)


@dataclass(frozen=True, eq=False, kw_only=True)
class Step(Entry):
    """A canonical recovery step: its place in the checklist and what a card says of it."""

    order: int | None  # None when the front matter gives no whole number (the check says so)
    phase: str
    summary: str
    when: str
    why: str
    do: tuple[str, ...]
    say: tuple[str, ...]
    avoid: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # the words staff type for it: search finds the step by them


@dataclass(frozen=True)
class Recommendation:
    """One piece of a source's advice and the steps it maps to."""

    text: str
    steps: tuple[str, ...]


@dataclass(frozen=True, eq=False, kw_only=True)
class Source(Entry):
    """A curated source article and its advice."""

    summary: str
    author: str
    published: dt.date | None
    publisher: str
    seed: str
    address: str  # the front matter's `url`: where the original can be read (`url` is the page's own path)
    recommends: tuple[Recommendation, ...]


@dataclass(frozen=True)
class Citation:
    """A public report a story's facts come from."""

    publisher: str
    title: str
    date: str  # as written, YYYY-MM-DD
    url: str


@dataclass(frozen=True, eq=False, kw_only=True)
class Story(Entry):
    """A case story: its facets, the steps taken and missed, and where it comes from."""

    summary: str
    setting: str
    failure: str
    severity: str
    fault: str
    steps_taken: tuple[str, ...]  # step ids, each once, as written (unknown ones too: the check names them)
    steps_missed: tuple[str, ...]
    compensation: tuple[str, ...]
    outcome: str
    provenance: str
    source: str  # a source id, or "" for none
    citations: tuple[Citation, ...]
    tags: tuple[str, ...]
    keeps_personal_data: str


def record(collection: str, path: Path, doc: Document) -> Step | Source | Story:
    """The typed record of a file whose front matter could be read.

    A value of the wrong kind reads as empty ("" or no items): the check reports
    it, and a preview still shows the rest of the entry.
    """
    meta = doc.meta
    common = {
        "collection": collection,
        "id": path.stem,
        "path": path,
        "doc": doc,
        "title": str(meta.get("title", path.stem)),
        "reviewed": _date(meta.get("reviewed")),
    }
    text = {name: _text(value) for name, value in meta.items()}
    if collection == "steps":
        return Step(
            **common,
            order=_whole(meta.get("order")),
            phase=text.get("phase", ""),
            summary=text.get("summary", ""),
            when=text.get("when", ""),
            why=text.get("why", ""),
            do=_texts(meta.get("do")),
            say=_texts(meta.get("say")),
            avoid=_texts(meta.get("avoid")),
            aliases=_texts(meta.get("aliases")),
        )
    if collection == "sources":
        return Source(
            **common,
            summary=text.get("summary", ""),
            author=text.get("author", ""),
            published=_date(meta.get("published")),
            publisher=text.get("publisher", ""),
            seed=text.get("seed", ""),
            address=text.get("url", ""),
            recommends=tuple(
                Recommendation(_text(item.get("text")), tuple(unique_ids(item.get("steps"))))
                for item in as_list(meta.get("recommends"))
                if isinstance(item, dict)
            ),
        )
    return Story(
        **common,
        summary=text.get("summary", ""),
        setting=text.get("setting", ""),
        failure=text.get("failure", ""),
        severity=text.get("severity", ""),
        fault=text.get("fault", ""),
        steps_taken=tuple(unique_ids(meta.get("steps_taken"))),
        steps_missed=tuple(unique_ids(meta.get("steps_missed"))),
        compensation=tuple(unique_ids(meta.get("compensation"))),
        outcome=text.get("outcome", ""),
        provenance=text.get("provenance", ""),
        source=text.get("source", ""),
        citations=tuple(
            Citation(
                str(item.get("publisher", "")),
                str(item.get("title", "")),
                _iso(item.get("date")),
                str(item.get("url", "")),
            )
            for item in as_list(meta.get("citations"))
            if isinstance(item, dict)
        ),
        tags=_texts(meta.get("tags")),
        keeps_personal_data=text.get("keeps_personal_data", ""),
    )


def in_checklist_order(steps):
    """The steps in checklist order: by `order`, then id (a step without a whole-number order last)."""
    return sorted(steps, key=lambda step: (step.order if step.order is not None else 999, step.id))


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _texts(value) -> tuple[str, ...]:
    return tuple(item for item in as_list(value) if isinstance(item, str))


def _whole(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


@dataclass
class KnowledgeBase:
    """Everything the site, the cards and the check are made from."""

    root: Path
    settings: Settings
    vocab: Vocabularies
    frameworks: list[Framework] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)  # in checklist order
    sources: list[Source] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files whose front matter could not be read
    site_url: str | None = None  # the address the site is served from (mkdocs.yml's site_url): QR codes point there
    # Its `turnaround.index.Index`, made on first use by `index.index_of` and shared by the pages and the cards.
    index: object = field(default=None, repr=False, compare=False)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def story(self, story_id: str) -> Story | None:
        return next((s for s in self.stories if s.id == story_id), None)

    def entries(self) -> list[Entry]:
        return [*self.steps, *self.sources, *self.stories]
