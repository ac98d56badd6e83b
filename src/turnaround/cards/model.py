"""What goes on each card, taken from the knowledge base (nothing is typed twice).

A card is plain data here: the faces' HTML is made by `faces`, the sheets by
`layout`. Every card knows the file it comes from, so an overflowing card is
reported where a contributor can shorten it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from functools import lru_cache

from .. import content, markdown_text
from ..index import index_of
from ..model import KnowledgeBase, Step, Story
from .qr import Link, page_link

# The decks, in the order they are built and listed.
DECKS = ("steps", "checklist", "roleplay")
# The page the checklist card's QR code opens.
CHECKLIST_PAGE = "checklists/"
# The story section on a role-play card's front; the others go on its back.
FRONT_ROLES = ("situation",)


@dataclass(frozen=True)
class StepRef:
    """A step as other cards name it: its number and title."""

    number: int
    title: str
    phase: int  # position of its phase in the vocabulary, for the colour


@dataclass(frozen=True)
class Phase:
    id: str
    label: str
    index: int  # 0, 1, 2... in vocabulary order: picks the band colour


@dataclass
class Card:
    """One card of a deck; `kind` picks its templates."""

    kind: str  # step | checklist | roleplay
    name: str  # how errors name the card, e.g. "step card 3 `Apologize`"
    source: str  # the file to edit when it does not fit, relative to the repository
    link: Link
    data: dict = field(default_factory=dict)
    # For each side: (line, front-matter field or None for the body, what to shorten), for overflow messages.
    where: dict[str, tuple[int, str | None, str]] = field(default_factory=dict)


@dataclass
class Deck:
    name: str  # steps | checklist | roleplay
    cards: list[Card]


def decks(kb: KnowledgeBase, site_url: str | None) -> list[Deck]:
    """The three decks of the knowledge base, in `DECKS` order."""
    return [
        Deck("steps", [step_card(kb, step, site_url) for step in kb.steps]),
        Deck("checklist", [checklist_card(kb, site_url)] if kb.steps else []),
        Deck("roleplay", [roleplay_card(kb, story, number, site_url) for number, story in enumerate(kb.stories, 1)]),
    ]


def phase_of(kb: KnowledgeBase, step: Step) -> Phase:
    phases = list(kb.vocab["phases"])
    index = phases.index(step.phase) if step.phase in phases else 0
    return Phase(step.phase, kb.vocab.label("phases", step.phase), index)


def step_ref(kb: KnowledgeBase, step: Step) -> StepRef:
    return StepRef(index_of(kb).numbers[step.id], step.title, phase_of(kb, step).index)


def step_card(kb: KnowledgeBase, step: Step, site_url: str | None) -> Card:
    """READ-DO: what to do on the front; why, what to say and avoid on the back."""
    number = index_of(kb).numbers[step.id]
    story = story_for(kb, step.id)
    return Card(
        kind="step",
        name=f"step card {number} `{step.title}`",
        source=step.rel,
        link=page_link(site_url, step.url),
        data={
            "number": number,
            "total": len(kb.steps),
            "phase": phase_of(kb, step),
            "title": step.title,
            "when": step.when,
            "do": list(step.do),
            "why": step.why,
            "say": list(step.say),
            "avoid": list(step.avoid),
            "story": story.title if story else "",
            "reviewed": _date(step.reviewed),
        },
        where={
            "front": (step.doc.line(("do",)), "do", "`when` or the `do` items"),
            "back": (step.doc.line(("say",)), "say", "`why`, the `say` phrases or the `avoid` items"),
        },
    )


def checklist_card(kb: KnowledgeBase, site_url: str | None) -> Card:
    """DO-CONFIRM: every step in order, one line each, grouped by phase."""
    numbers = index_of(kb).numbers
    groups: list[tuple[Phase, list[dict]]] = []
    for step in kb.steps:
        phase = phase_of(kb, step)
        if not groups or groups[-1][0] != phase:
            groups.append((phase, []))
        first = next(iter(step.do), "")
        groups[-1][1].append({"number": numbers[step.id], "title": step.title, "first": first})
    reviewed = max((s.reviewed for s in kb.steps if s.reviewed), default=None)
    return Card(
        kind="checklist",
        name="the checklist card",
        source=kb.steps[0].rel if kb.steps else "docs/steps",
        link=page_link(site_url, CHECKLIST_PAGE),
        data={"groups": groups, "total": len(kb.steps), "reviewed": _date(reviewed)},
        where={side: (1, "title", "the step titles or each step's first `do` item") for side in ("front", "back")},
    )


def roleplay_card(kb: KnowledgeBase, story: Story, number: int, site_url: str | None) -> Card:
    """The Situation on the front (no outcome); what happened and the better way on the back."""
    found, _ = story.sections
    sections = {section.title: _paragraphs(section.text) for section in found}
    lines = {section.title: section.line for section in found}
    index = index_of(kb)
    front = [s for s in content.STORY_SECTIONS if s.role in FRONT_ROLES]
    back = [s for s in content.STORY_SECTIONS if s.role not in FRONT_ROLES]
    return Card(
        kind="roleplay",
        name=f"role-play card {number} `{story.title}`",
        source=story.rel,
        link=page_link(site_url, story.url),
        data={
            "number": number,
            "title": story.title,
            "setting": index.label("setting", story.setting),
            "failure": index.label("failure", story.failure),
            "severity": index.label("severity", story.severity),
            "provenance": index.label("provenance", story.provenance),
            **{s.role: sections.get(s.title, []) for s in content.STORY_SECTIONS},
            "outcome_label": index.label("outcome", story.outcome),
            "steps": [step_ref(kb, step) for step in named_steps(kb, story)],
            "reviewed": _date(story.reviewed),
        },
        where={
            "front": (lines.get(front[0].title, story.doc.body_line), None, _titles(front)),
            "back": (lines.get(back[0].title, story.doc.body_line), None, _titles(back)),
        },
    )


def _titles(sections: list[content.Section]) -> str:
    """The sections' headings as a message names them: `## A`, `## B` or `## C`."""
    names = [f"`## {s.title}`" for s in sections]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def story_for(kb: KnowledgeBase, step_id: str) -> Story | None:
    """A story in which staff took the step, preferring a documented one where the customer was won back."""
    index = index_of(kb)
    taking = [*index.taken.get(step_id, []), *index.taken_illustrative.get(step_id, [])]
    # A documented case before one written for training, then a customer won back.
    return min(
        taking, key=lambda s: (s.provenance == content.ILLUSTRATIVE, s.outcome != content.WON, s.id), default=None
    )


def named_steps(kb: KnowledgeBase, story: Story) -> list[Step]:
    """The steps a story's Better recovery links to; else the steps it lists; in checklist order."""
    found, _ = story.sections
    # The section's links are the body's links on its lines: the body is scanned once, when it is read.
    lines = next(
        (
            (section.line, found[n + 1].line if n + 1 < len(found) else None)
            for n, section in enumerate(found)
            if section.title == "Better recovery"
        ),
        None,
    )
    ids: set[str] = set()
    better = [] if lines is None else [link for link in story.links if _within(link.line, *lines)]
    for link in better:
        target = posixpath.normpath(posixpath.join("stories", link.url.partition("#")[0]))
        if target.startswith("steps/") and target.endswith(".md"):
            ids.add(target[len("steps/") : -len(".md")])
    if not ids:
        ids = {*story.steps_missed, *story.steps_taken}
    return [step for step in kb.steps if step.id in ids]


def _within(line: int, heading: int, next_heading: int | None) -> bool:
    """A line after a section's heading and before the next one."""
    return heading < line and (next_heading is None or line < next_heading)


def _paragraphs(markdown: str) -> list[str]:
    """A section as plain-text paragraphs."""
    return list(_plain_paragraphs(markdown))


@lru_cache(maxsize=1 << 16)
def _plain_paragraphs(markdown: str) -> tuple[str, ...]:
    # Made once per text in a process: the cards and the packs read the same sections, and `mkdocs serve`
    # builds again with most stories unchanged.
    return tuple(text for text in (markdown_text.plain_text(block) for block in markdown.split("\n\n")) if text)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
