"""The generated parts of step, source and story pages, added by `decorate`.

What each part says is in `pages/templates/{step,source,story}-parts.md.j2`
(a site overrides them as it does the generated pages); the functions here
gather the values, escaped already where a template puts them into XHTML.

Each part is a function of the cached index and one entry, so decorating a
page costs the same however many stories there are (a step page lists the
newest stories that show it, and links the page that lists them all).
"""

from __future__ import annotations

import html

from markupsafe import Markup

from .. import search
from ..content import step_stories_uri
from ..index import FACETS, ILLUSTRATIVE, Index
from ..model import Source, Step, Story
from . import markdown as md
from . import templating
from .checklists import failure_uri
from .review import notice, reviewed_line
from .stories import NEWEST, step_groups, story_list


def story_parts(index: Index, story: Story, markdown: str) -> tuple[dict, str]:
    """Tags, what search knows of it, its facts at the top (story-parts.md.j2), the reports below."""
    meta = {"tags": story_tags(index, story), "pagefind": search.story_facts(index, story)}
    return meta, story_page(index, story, markdown)


def story_tags(index: Index, story: Story) -> list[str]:
    """`Setting: Café`, `Failure type: ...`, `Outcome: Lost`, `Provenance: ...`, then the story's own tags."""
    tags = [
        f"{FACETS[name][1]}: {index.label(name, value)}"
        for name in ("setting", "failure", "outcome", "provenance")
        for value in index.values(story, name)
    ]
    return tags + list(story.tags)


def story_page(index: Index, story: Story, markdown: str) -> str:
    """Setting, failure, severity, fault, compensation, outcome, steps, provenance, review date, then the story.

    The facts are an XHTML block, so every value is escaped here as XHTML text. Only the
    steps, the failure's checklist and the source are links: every link costs time on
    every one of thousands of story pages, and the facet pages are a tap away on the
    story index.
    """

    def facet(name: str) -> Markup:
        return Markup(md.esc(md.join([index.label(name, v) for v in index.values(story, name)], "")))

    failures = index.values(story, "failure")
    source = index.source_of(story)
    value = story.provenance
    return templating.render(
        index.kb,
        "story-parts.md.j2",
        here=story.src_uri,
        notice=Markup(notice(index, story)),
        facts={
            "setting": facet("setting"),
            "failure": facet("failure"),
            "severity": Markup(md.esc(index.label("severity", story.severity))) if story.severity else "",
            "fault": facet("fault"),
            "compensation": facet("compensation"),
            "outcome": facet("outcome"),
        },
        checklist_uri=failure_uri(failures[0]) if failures else None,
        steps_taken=index.steps_of(story, "steps_taken"),
        steps_missed=index.steps_of(story, "steps_missed"),
        provenance={
            "label": Markup(md.esc(index.label("provenance", value))) if value else "",
            "source": source,
            "illustrative": value == ILLUSTRATIVE,
            "reported": value == "public-report",
        },
        reviewed=story.reviewed.isoformat() if story.reviewed else "",
        body=Markup(markdown.rstrip("\n")),
        citations=[
            {
                "publisher": Markup(md.esc(item.publisher)),
                "title": Markup(md.esc(item.title)),
                "url": Markup(html.escape(item.url)) if item.url.startswith(("https://", "http://")) else None,
                "date": Markup(md.esc(item.date)),
            }
            for item in story.citations
        ],
    )


def step_parts(index: Index, step: Step, markdown: str) -> tuple[dict, str]:
    """The step's essentials, the stories that show it, the sources' advice on it, the frameworks that name it."""
    return {"pagefind": search.step_facts(step)}, templating.render(
        index.kb,
        "step-parts.md.j2",
        here=step.src_uri,
        notice=Markup(notice(index, step)),
        step=step,
        body=Markup(markdown.rstrip("\n")),
        groups=[Markup(group) for group in step_groups(index, step, step.src_uri, capped=True)],
        newest=NEWEST,
        stories_uri=step_stories_uri(step.id),
        advice=index.advice.get(step.id, []),
        named=index.named_by.get(step.id, []),
        reviewed=Markup(reviewed_line(index, step)),
    )


def source_parts(index: Index, source: Source, markdown: str) -> tuple[dict, str]:
    """The source's recommendations with links to their steps, and the stories it tells."""
    here = source.src_uri
    steps = {step.id: step for step in index.steps}
    stories = index.by_source.get(source.id, [])
    return {"pagefind": search.source_facts(source)}, templating.render(
        index.kb,
        "source-parts.md.j2",
        here=here,
        notice=Markup(notice(index, source)),
        body=Markup(markdown.rstrip("\n")),
        recommends=[
            {"text": item.text, "steps": [steps[i] for i in item.steps if i in steps]} for item in source.recommends
        ],
        stories=Markup(story_list(index, here, stories)) if stories else "",
        reviewed=Markup(reviewed_line(index, source)),
    )
