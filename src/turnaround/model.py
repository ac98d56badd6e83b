"""The loaded knowledge base: steps, sources and stories with their metadata."""

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


@dataclass
class Entry:
    """One step, source or story: its id, file, front matter and body."""

    collection: str  # steps | sources | stories
    id: str
    path: Path  # absolute path of the Markdown file
    doc: Document

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
    def title(self) -> str:
        return str(self.meta.get("title", self.id))

    @property
    def src_uri(self) -> str:
        """Where the page stands in the site's docs tree, e.g. `stories/iced-tea.md`."""
        return f"{self.collection}/{self.id}.md"

    @property
    def url(self) -> str:
        """The page's path in the built site, e.g. `stories/iced-tea/`."""
        return f"{self.collection}/{self.id}/"

    @property
    def reviewed(self) -> dt.date | None:
        value = self.meta.get("reviewed")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None

    def get(self, name: str, default=None):
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


@dataclass
class KnowledgeBase:
    """Everything the site, the cards and the check are made from."""

    root: Path
    settings: Settings
    vocab: Vocabularies
    frameworks: list[Framework] = field(default_factory=list)
    steps: list[Entry] = field(default_factory=list)  # in checklist order
    sources: list[Entry] = field(default_factory=list)
    stories: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files whose front matter could not be read
    site_url: str | None = None  # the address the site is served from (mkdocs.yml's site_url): QR codes point there

    def step(self, step_id: str) -> Entry | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def source(self, source_id: str) -> Entry | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def story(self, story_id: str) -> Entry | None:
        return next((s for s in self.stories if s.id == story_id), None)

    def entries(self) -> list[Entry]:
        return [*self.steps, *self.sources, *self.stories]
