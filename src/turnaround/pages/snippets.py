"""Generated parts of hand-written pages, placed by a marker `<!-- turnaround:NAME -->`.

A hand-written page keeps its prose; lists that come from the metadata (such
as the failure types on the home page) are filled in here, so they cannot drift
from the vocabulary.
"""

from __future__ import annotations

import re

from ..index import index_of
from . import markdown as md
from .checklists import failure_uri

MARKER = re.compile(r"^<!-- turnaround:([a-z-]+) -->$", re.M)


def failure_grid(kb, here: str) -> str:
    """One card per failure type: its label linking to its checklist, and the in-kind remedy."""
    items = [
        f"-   **{md.link(term.label, here, failure_uri(term.id))}**\n\n    {md.text(term.remedy)}"
        for term in kb.vocab["failures"].values()
    ]
    return '<div class="grid cards" markdown>\n\n' + "\n\n".join(items) + "\n\n</div>"


def step_list(kb, here: str) -> str:
    """The steps in checklist order, each linking to its page, under its phase."""
    lines = []
    index = index_of(kb)
    for phase, label, steps in index.phases:
        if phase in kb.vocab["phases"]:
            lines.append(f"**{md.text(label)}**\n")
            # Bullets carrying the order: a Markdown ordered list would restart at 1 in every phase.
            lines += [f"- **{index.numbers[step.id]}.** {md.link(step.title, here, step.src_uri)}" for step in steps]
            lines.append("")
    return "\n".join(lines).strip()


# The snippets a page may ask for, by marker name.
SNIPPETS = {"failure-types": failure_grid, "steps": step_list}


def fill(kb, here: str, markdown: str) -> str:
    """Replace every known marker in a hand-written page; an unknown one is left for the reader to see."""
    return MARKER.sub(lambda m: SNIPPETS[m.group(1)](kb, here) if m.group(1) in SNIPPETS else m.group(0), markdown)
