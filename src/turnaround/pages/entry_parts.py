"""The generated parts of step, source and story pages, added by `decorate`.

Each part is a function of the cached index and one entry, so decorating a
page costs the same however many stories there are (a step page lists the
newest stories that show it, and links the page that lists them all).
"""

from __future__ import annotations

import html

from ..content import step_stories_uri
from ..index import FACETS, ILLUSTRATIVE, Index
from ..model import Source, Step, Story
from . import markdown as md
from .checklists import failure_uri
from .review import notice, reviewed_line
from .stories import NEWEST, step_groups, story_list


def story_parts(index: Index, story: Story, markdown: str) -> tuple[dict, str]:
    """Tags for Material's tags plugin, and a block of facts at the top."""
    parts = (notice(index, story), story_facts(index, story), markdown.rstrip("\n"), citations(story))
    return {"tags": story_tags(index, story)}, "\n\n".join(p for p in parts if p) + "\n"


def story_tags(index: Index, story: Story) -> list[str]:
    """`Setting: Café`, `Failure type: ...`, `Outcome: Lost`, `Provenance: ...`, then the story's own tags."""
    tags = [
        f"{FACETS[name][1]}: {index.label(name, value)}"
        for name in ("setting", "failure", "outcome", "provenance")
        for value in index.values(story, name)
    ]
    return tags + list(story.tags)


def story_facts(index: Index, story: Story) -> str:
    """Setting, failure, severity, fault, compensation, outcome, steps, provenance, review date: an XHTML block.

    Only the steps, the failure's checklist and the source are links: every link costs
    time on every one of thousands of story pages, and the facet pages are a tap away
    on the story index.
    """
    here = story.src_uri

    def facet(name: str) -> str:
        return md.esc(md.join([index.label(name, v) for v in index.values(story, name)], "?"))

    def steps(story_field: str) -> str:
        return md.join([md.a(s.title, here, s.src_uri) for s in index.steps_of(story, story_field)], "none")

    failures = index.values(story, "failure")
    checklist = f" ({md.a('checklist', here, failure_uri(failures[0]))})" if failures else ""
    source = index.source_of(story)
    rows = [
        ("Setting", facet("setting")),
        ("Failure", facet("failure") + checklist),
        ("Severity", md.esc(index.label("severity", story.severity)) if story.severity else "?"),
        ("Fault", facet("fault")),
        ("Compensation", facet("compensation")),
        ("Outcome", facet("outcome")),
        ("Steps taken", steps("steps_taken")),
        ("Steps missed", steps("steps_missed")),
        ("Provenance", provenance(index, story, source)),
        ("Reviewed", story.reviewed.isoformat() if story.reviewed else "never"),
    ]
    items = "\n".join(f"<li><strong>{name}:</strong> {value}</li>" for name, value in rows)
    return md.xhtml(f'<ul class="ta-facts">\n{items}\n</ul>')


def provenance(index: Index, story: Story, source: Source | None) -> str:
    """Where the story comes from, in words, with its source article or the note that it is not evidence."""
    value = story.provenance
    label = md.esc(index.label("provenance", value)) if value else "?"
    if source:
        return f"{label}: {md.a(source.title, story.src_uri, source.src_uri)}"
    if value == ILLUSTRATIVE:
        return f"{label}: written for training, not counted as evidence"
    if value == "public-report":
        return f'{label}: see <a href="#reports">the reports</a>'
    return label


def citations(story: Story) -> str:
    """The reports a story's facts come from, as a reference list below the story (empty when it has none)."""
    if not story.citations:
        return ""
    items = []
    for item in story.citations:
        title = md.esc(item.title)
        url = item.url
        linked = f'<a href="{html.escape(url)}">{title}</a>' if url.startswith(("https://", "http://")) else title
        items.append(f"<li>{md.esc(item.publisher)}, “{linked}”, {md.esc(item.date)}.</li>")
    return "## Reports {#reports}\n\n" + md.xhtml('<ol class="ta-citations">\n' + "\n".join(items) + "\n</ol>")


def step_parts(index: Index, step: Step, markdown: str) -> tuple[dict, str]:
    """The stories that show the step, the sources' advice on it, the frameworks that name it."""
    here = step.src_uri
    parts = [notice(index, step), step_essentials(step), markdown.rstrip("\n")]
    shown = step_groups(index, step, here, capped=True)
    # The full lists live on a page of their own, so the step page (kept offline) does not grow with the stories.
    full = md.link("every story that shows this step", here, step_stories_uri(step.id))
    shown.append(f"Each list shows at most the {NEWEST} most recently reviewed: see {full}.")
    parts.append("## Stories that show it\n\n" + "\n\n".join(shown))
    advice = index.advice.get(step.id, [])
    parts.append(
        "## What the sources say\n\n"
        + (
            "\n".join(f"- {md.text(text)} ({md.link(source.title, here, source.src_uri)})" for source, text in advice)
            if advice
            else "No source recommends it yet."
        )
    )
    named = index.named_by.get(step.id, [])
    parts.append(
        "## In the named frameworks\n\n"
        + (
            "\n".join(
                f"- **{md.text(framework.name)}** ({md.text(framework.origin)}): {md.text(element)}"
                for framework, element in named
            )
            if named
            else "No named framework has it."
        )
    )
    parts.append(reviewed_line(index, step))
    return {}, "\n\n".join(p for p in parts if p) + "\n"


def step_essentials(step: Step) -> str:
    """The step's own front matter as staff use it: what, when, do (ticking boxes), say, avoid, why."""

    def items(values: tuple[str, ...], form: str) -> list[str]:
        return [form.format(md.text(v)) for v in values]

    blocks = [md.text(step.summary), f"**When:** {md.text(step.when)}"]
    blocks.append("## Do\n\n" + "\n".join(items(step.do, "- [ ] {}")))
    blocks.append("## Say\n\n" + "\n".join(items(step.say, "- “{}”")))
    blocks.append("## Avoid\n\n" + "\n".join(items(step.avoid, "- {}")))
    blocks.append(f"## Why it matters\n\n{md.text(step.why)}")
    return "\n\n".join(blocks)


def source_parts(index: Index, source: Source, markdown: str) -> tuple[dict, str]:
    """The source's recommendations with links to their steps, and the stories it tells."""
    here = source.src_uri
    steps = {step.id: step for step in index.steps}
    items = []
    for item in source.recommends:
        linked = [md.link(steps[i].title, here, steps[i].src_uri) for i in item.steps if i in steps]
        items.append(f"1. {md.text(item.text)} ({md.join(linked)})")
    parts = [notice(index, source), markdown.rstrip("\n")]
    parts.append("## What it recommends\n\n" + ("\n".join(items) if items else "Nothing yet."))
    stories = index.by_source.get(source.id, [])
    if stories:
        parts.append("## Stories from this source\n\n" + story_list(index, here, stories))
    parts.append(reviewed_line(index, source))
    return {}, "\n\n".join(p for p in parts if p) + "\n"
