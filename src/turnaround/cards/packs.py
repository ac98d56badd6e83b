"""Session packs: for a setting or a failure type with enough stories, what a trainer needs for one session.

A pack holds its stories (those with the most steps missed first), the step
cards to hand out (the steps its stories miss most), a 30-minute and a
60-minute plan, a role-play pair for each story, two or three debrief
questions per story drawn from its steps missed, the story's Better recovery
as the answer key, and a closing drill on one failure type's checklist (the
handout). Plain data, made from the knowledge base alone: `guides` lays it
out, `pdfs` renders it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import content
from ..index import Index, index_of
from ..model import KnowledgeBase, Step, Story
from .model import StepRef, _paragraphs, step_ref

# A setting or failure type gets a pack once it has this many stories.
MIN_STORIES = 3
# The story fields packs are made for, in the order the cards page lists them: field -> what a pack of it is called.
KINDS = {"setting": "setting", "failure": "failure type"}
# Step cards handed out per pack: the steps its stories miss most.
HANDOUT_STEPS = 3
# Debrief questions per story: at least, at most.
QUESTIONS = (2, 3)
# Role-play rounds (play, then debrief) in each plan, and the minutes of each part.
PLAN_MINUTES = (30, 60)
BETTER = "Better recovery"
# What the debrief asks of the first, second and third step missed.
MISSED = (
    "At what moment in the story should it have come, and what would you have said?",
    "What would you have said or done instead, and how would the customer have felt?",
    "How would taking it have changed the ending?",
)


@dataclass(frozen=True)
class Slot:
    """One part of a session plan: from and to (minutes into the session), what happens, and its detail."""

    start: int
    end: int
    what: str
    detail: str


@dataclass(frozen=True)
class Round:
    """One story of a pack as the guide runs it."""

    number: int  # its card's number, the same as in the full role-play deck
    story: Story
    title: str
    watch: tuple[StepRef, ...]  # the steps staff missed: what the observer watches for
    questions: tuple[str, ...]
    answer: tuple[str, ...]  # the Better recovery, as paragraphs


@dataclass
class Pack:
    """A session pack for one setting or failure type."""

    kind: str  # setting | failure
    value: str  # the vocabulary id, e.g. hotel
    label: str  # e.g. Hotel
    stories: list[Story]  # most steps missed first
    handout: str  # the failure type whose checklist is the handout and the closing drill
    handout_label: str
    remedy: str  # the handout failure type's in-kind remedy
    hand_out: list[StepRef]  # step cards to hand out, most missed first
    rounds: list[Round] = field(default_factory=list)
    plans: dict[int, list[Slot]] = field(default_factory=dict)  # minutes -> the plan
    drill: list[StepRef] = field(default_factory=list)  # the checklist, in order

    @property
    def id(self) -> str:
        """How `turnaround cards --pack` names it, and its folder under packs/: `setting/hotel`."""
        return f"{self.kind}/{self.value}"

    @property
    def title(self) -> str:
        return f"{self.label} ({KINDS[self.kind]})"

    @property
    def folder(self) -> str:
        return f"packs/{self.id}"


def packs(kb: KnowledgeBase) -> list[Pack]:
    """Every pack: each setting, then each failure type, in vocabulary order, with at least MIN_STORIES stories."""
    index = index_of(kb)
    # Made once per build: the cards page lists them and the card PDFs are made from them.
    if "packs" not in index.memo:
        index.memo["packs"] = _packs(kb, index)
    return list(index.memo["packs"])


def _packs(kb: KnowledgeBase, index) -> list[Pack]:
    found = []
    for kind in KINDS:
        for value in index.vocabulary(kind):
            stories = index.facets[kind].get(value, [])
            if len(stories) >= MIN_STORIES:
                found.append(pack(kb, kind, value, stories))
    return found


def pack_ids(kb: KnowledgeBase) -> list[str]:
    return [p.id for p in packs(kb)]


def pack(kb: KnowledgeBase, kind: str, value: str, stories: list[Story]) -> Pack:
    """One pack of the given stories."""
    index = index_of(kb)
    ordered = sorted(stories, key=lambda s: (-len(index.steps_of(s, "steps_missed")), s.title.casefold(), s.id))
    handout = value if kind == "failure" else most_common_failure(index, ordered)
    terms = index.vocabulary("failure")
    found = Pack(
        kind=kind,
        value=value,
        label=index.label(kind, value),
        stories=ordered,
        handout=handout,
        handout_label=terms[handout].label if handout in terms else handout,
        remedy=terms[handout].remedy if handout in terms else "",
        hand_out=[step_ref(kb, step) for step in most_missed(index, ordered)],
        drill=[step_ref(kb, step) for step in kb.steps],
    )
    # A story's card keeps its full deck's number in the pack: the pack's deck is drawn from the full deck's faces.
    numbers = {story.id: number for number, story in enumerate(kb.stories, 1)}
    found.rounds = [make_round(kb, index, story, numbers[story.id], found.remedy) for story in ordered]
    found.plans = {minutes: plan(found, minutes) for minutes in PLAN_MINUTES}
    return found


def most_common_failure(index: Index, stories: list[Story]) -> str:
    """The failure type most of the stories have; a tie goes to the first in the vocabulary."""
    counts = Counter(s.failure for s in stories)
    order = list(index.vocabulary("failure"))
    known = [f for f in counts if f in order]
    return min(known, key=lambda f: (-counts[f], order.index(f))) if known else ""


def most_missed(index: Index, stories: list[Story]) -> list[Step]:
    """The HANDOUT_STEPS steps the stories miss most (ties in checklist order); taken ones when none is missed."""
    for story_field in ("steps_missed", "steps_taken"):
        counts = Counter(step.id for story in stories for step in index.steps_of(story, story_field))
        if counts:
            ranked = sorted(index.steps, key=lambda step: (-counts[step.id], index.numbers[step.id]))
            return [step for step in ranked if counts[step.id]][:HANDOUT_STEPS]
    return list(index.steps[:HANDOUT_STEPS])


def make_round(kb: KnowledgeBase, index: Index, story: Story, number: int, remedy: str) -> Round:
    missed = index.steps_of(story, "steps_missed")
    found, _ = story.sections
    better = next((s.text for s in found if s.title == BETTER), "")
    return Round(
        number=number,
        story=story,
        title=story.title,
        watch=tuple(step_ref(kb, step) for step in missed),
        questions=tuple(questions(index, story, remedy)),
        answer=tuple(_paragraphs(better)),
    )


def questions(index: Index, story: Story, remedy: str) -> list[str]:
    """Two or three debrief questions: one per step missed first, then the steps taken, then the remedy."""
    low, high = QUESTIONS
    asked = []
    for step, ask in zip(index.steps_of(story, "steps_missed")[:high], MISSED, strict=False):
        what = f" ({_first_sentence(step.summary)})" if step.summary else ""
        asked.append(f"Staff missed step {index.numbers[step.id]}, {step.title}{what}. {ask}")
    for step in index.steps_of(story, "steps_taken"):
        if len(asked) >= low:
            break
        asked.append(
            f"Staff took step {index.numbers[step.id]}, {step.title}. What made it work, and what would you keep?"
        )
    # A story that names no step at all still gets its two questions.
    fallback = [
        f"How would you put this right in kind? ({remedy})" if remedy else "How would you put this right in kind?",
        "What would the customer tell a friend the next day, and what would you want them to say?",
    ]
    for question in fallback:
        if len(asked) >= low:
            break
        asked.append(question)
    return asked


def plan(found: Pack, minutes: int) -> list[Slot]:
    """A session of `minutes`: open, step cards, role-play rounds (play and debrief), the closing checklist drill.

    The parts add up to the minutes exactly; rounds that do not fit are left for
    another session (the guide says so), and spare minutes replay the first story with roles swapped.
    """
    opening, cards, each, drill = (3, 4, 9, 5) if minutes <= 30 else (5, 7, 10, 8)
    room = minutes - opening - cards - drill
    rounds = found.rounds[: max(1, room // each)]
    slots = []
    at = 0

    def add(length: int, what: str, detail: str) -> None:
        nonlocal at
        slots.append(Slot(at, at + length, what, detail))
        at += length

    handed = ", ".join(f"{s.number} {s.title}" for s in found.hand_out)
    add(
        opening,
        "Open",
        f"Why this session: {found.label} stories. Put it right in kind: {found.remedy}"
        if found.remedy
        else f"Why this session: {found.label} stories.",
    )
    add(cards, "Step cards", f"Hand out step cards {handed}; each person reads one card's front aloud.")
    for item in rounds:
        play = each // 2
        add(play, f"Role-play, card {item.number}", f"{item.title}: the customer reads the Situation and plays it.")
        add(each - play, f"Debrief, card {item.number}", "The questions below, then read the answer key aloud.")
    spare = minutes - drill - at
    if spare > 0:
        add(spare, "Swap roles", f"Replay card {rounds[0].number} with roles swapped, using what the debrief found.")
    add(drill, "Checklist drill", f"The {found.handout_label.lower()} checklist on the handout, step by step.")
    return slots


def unplayed(found: Pack, minutes: int) -> list[Round]:
    """The rounds a plan leaves for another session."""
    played = {s.what.rsplit(" ", 1)[-1] for s in found.plans[minutes] if s.what.startswith("Role-play")}
    return [r for r in found.rounds if str(r.number) not in played]


def failure_page(found: Pack) -> str:
    """The site path of the handout's checklist page (its QR code opens it)."""
    return content.failure_uri(found.handout).removesuffix(".md") + "/"


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return (head + dot).strip().rstrip(".")
