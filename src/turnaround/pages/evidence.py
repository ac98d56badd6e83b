"""How the stories ended when each step was taken or missed, counted and worded honestly (evidence.md.j2)."""

from __future__ import annotations

from markupsafe import Markup

from .. import content
from ..index import ILLUSTRATIVE, LOST, UNKNOWN, WON, index_of, is_evidence
from ..model import Story
from . import markdown as md
from . import templating

EVIDENCE = content.EVIDENCE
# Below this many stories with a known outcome on each side, percentages would mislead.
MIN_KNOWN = 30


def build(kb) -> dict[str, str]:
    index = index_of(kb)
    rows = []
    for step in index.kb.steps:
        taken, missed = index.taken.get(step.id, []), index.missed.get(step.id, [])
        cell = f"{md.link(step.title, EVIDENCE, step.src_uri)}<br><small>{md.text(reading(taken, missed))}</small>"
        rows.append([cell, md.text(tally(taken)), md.text(tally(missed))])
    table = md.table(["Step", "When taken", "When missed"], rows) if rows else "No steps yet."
    counted = [story for story in index.stories if is_evidence(story)]
    page = templating.render(
        kb,
        "evidence.md.j2",
        here=EVIDENCE,
        counted=len(counted),
        illustrative=len(index.stories) - len(counted),
        illustrative_uri=index.facet_uri("provenance", ILLUSTRATIVE),
        table=Markup(table),
    )
    return {EVIDENCE: page}


def outcomes(stories: list[Story]) -> dict[str, int]:
    counts = {WON: 0, LOST: 0, UNKNOWN: 0}
    for story in stories:
        counts[story.outcome if story.outcome in counts else UNKNOWN] += 1
    return counts


def tally(stories: list[Story]) -> str:
    """`3 won back, 1 lost, 2 unknown`, or `no stories`."""
    if not stories:
        return "no stories"
    counts = outcomes(stories)
    return f"{counts[WON]} won back, {counts[LOST]} lost, {counts[UNKNOWN]} unknown"


def reading(taken: list[Story], missed: list[Story]) -> str:
    """What the counts can honestly support."""
    total = len(taken) + len(missed)
    known_taken = _known(taken)
    known_missed = _known(missed)
    if min(known_taken, known_missed) < MIN_KNOWN:
        return f"{md.plural(total, 'story', 'stories')}: too few to draw conclusions."
    won_taken = round(100 * outcomes(taken)[WON] / known_taken)
    won_missed = round(100 * outcomes(missed)[WON] / known_missed)
    return (
        f"{total} stories. Of those with a known outcome, {won_taken}% were won back when the step was taken "
        f"({known_taken} stories) and {won_missed}% when it was missed ({known_missed})."
    )


def _known(stories: list[Story]) -> int:
    counts = outcomes(stories)
    return counts[WON] + counts[LOST]
