"""The master DO-CONFIRM checklist and one checklist per failure type (checklist.md.j2, failure-checklist.md.j2)."""

from __future__ import annotations

from markupsafe import Markup

from .. import content, search
from ..index import Index, index_of, is_evidence
from ..model import Step
from . import markdown as md
from . import templating
from .stories import NEWEST, newest, story_table

MASTER = content.CHECKLISTS
# The steps that carry a failure type's in-kind remedy.
IN_KIND = ("resolve", "compensate")


failure_uri = content.failure_uri


def build(kb) -> dict[str, str]:
    index = index_of(kb)
    pages = {MASTER: master_page(index)}
    for failure in index.vocabulary("failure"):
        pages[failure_uri(failure)] = failure_page(index, failure)
    return pages


def master_page(index: Index) -> str:
    checklist = steps_checklist(index, MASTER, lambda step: [])
    page = templating.render(
        index.kb,
        "checklist.md.j2",
        here=MASTER,
        checklist=Markup(checklist),
        revision=Markup(revision(index)),
        failures=Markup(failure_table(index)),
    )
    return md.with_meta({"pagefind": search.checklist_facts()}, page)


def failure_table(index: Index) -> str:
    rows = []
    for failure, term in index.vocabulary("failure").items():
        count = len(index.facets["failure"].get(failure, []))
        rows.append([md.link(term.label, MASTER, failure_uri(failure)), md.text(term.remedy), str(count)])
    return md.table(["What went wrong", "Put it right in kind", "Stories"], rows)


def failure_page(index: Index, failure: str) -> str:
    term = index.vocabulary("failure")[failure]
    here = failure_uri(failure)
    stories = index.facets["failure"].get(failure, [])
    # Illustrative stories are listed below but counted apart: they are not evidence.
    counted = [story for story in stories if is_evidence(story)]
    missed = {step.id: [0, 0] for step in index.kb.steps}
    for story in stories:
        for step in index.steps_of(story, "steps_missed"):
            missed[step.id][0 if is_evidence(story) else 1] += 1

    def notes(step: Step) -> list[str]:
        found = []
        if step.id in IN_KIND:
            found.append(f"**In kind:** {md.text(term.remedy)}")
        real, illustrative = missed[step.id]
        if real or illustrative:
            others = len(stories) - len(counted)
            aside = (
                f", and in {illustrative} of the {others} illustrative {'one' if others == 1 else 'ones'} (not counted)"
                if illustrative
                else ""
            )
            verb = "counts" if len(counted) == 1 else "count"
            where = "below" if len(stories) <= NEWEST else "of this kind"
            # With no story that counts, say only what the illustrative ones show.
            if counted:
                note = (
                    f"Missed in {real} of the {md.plural(len(counted), 'story', 'stories')} {where} that {verb} as "
                    f"evidence{aside}."
                )
            else:
                note = (
                    f"Missed in {illustrative} of the "
                    f"{md.plural(others, 'illustrative story', 'illustrative stories')} {where}, none counted as "
                    f"evidence."
                )
            found.append(f"*{note}*{{: .ta-noprint }}")
        return found

    # The newest stories only: the checklist is kept offline on phones, and must not grow with the stories.
    listed = story_table(index, here, newest(stories), full=False) if stories else ""
    page = templating.render(
        index.kb,
        "failure-checklist.md.j2",
        here=here,
        term=term,
        checklist=Markup(steps_checklist(index, here, notes)),
        revision=Markup(revision(index)),
        stories=stories,
        listed=Markup(listed),
        shown=NEWEST,
        checklists_uri=MASTER,
        facet_uri=index.facet_uri("failure", failure),
    )
    return md.with_meta({"pagefind": search.checklist_facts(term)}, page)


def steps_checklist(index: Index, here: str, notes) -> str:
    """Every step in order under its phase, one ticking box each, with optional notes below."""
    blocks = []
    for _phase, label, steps in phases(index):
        items = []
        for step in steps:
            item = (
                f"- [ ] **{index.numbers[step.id]}. {md.link(step.title, here, step.src_uri)}:** "
                f"{md.text(step.summary)}"
            )
            for note in notes(step):
                item += f"\n\n    {note}"
            items.append(item)
        # An item with a note below it needs blank lines between items, or the next item runs on.
        separator = "\n\n" if any("\n\n" in item for item in items) else "\n"
        blocks.append(f"### {md.text(label)}\n\n" + separator.join(items))
    return "\n\n".join(blocks)


def phases(index: Index) -> list[tuple[str, str, list[Step]]]:
    """(phase, label, steps in order) for each phase that has steps; unknown phases last."""
    return index.phases


def revision(index: Index) -> str:
    dates = [step.reviewed for step in index.kb.steps if step.reviewed]
    return f"<small>Revised {max(dates).isoformat()}.</small>" if dates else ""
