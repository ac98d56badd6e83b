"""The story index at /stories/, one page per value of every facet, and one per step."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from .. import content
from ..index import FACETS, Index, index_of
from ..model import Step, Story
from . import markdown as md
from . import templating

INDEX, TAGS = content.STORIES, content.TAGS
NO_STORIES = "No stories yet."
# Lists of stories longer than this are folded, so a source page stays short on a phone.
FOLD_AFTER = 12
# Step and checklist pages list this many stories, the most recently reviewed, and link the full list: the pages
# a phone keeps offline stay the same size however many stories there are.
NEWEST = 10


def build(kb) -> dict[str, str]:
    """The index, the tags page, and a page for every vocabulary value of every facet (even with 0 stories)."""
    index = index_of(kb)
    pages = {INDEX: index_page(index), TAGS: templating.render(kb, "tags.md.j2", here=TAGS)}
    for name in FACETS:
        for value in index.vocabulary(name):
            uri = index.facet_uri(name, value)
            pages[uri] = facet_page(index, name, value, uri)
    for step in index.steps:
        uri = content.step_stories_uri(step.id)
        pages[uri] = templating.render(
            kb,
            "by-step.md.j2",
            here=uri,
            step=step,
            newest=NEWEST,
            index_uri=INDEX,
            groups=[Markup(group) for group in step_groups(index, step, uri, capped=False)],
        )
    return pages


def index_page(index: Index) -> str:
    stories = index.stories
    table = story_table(index, INDEX, stories, full=True) if stories else ""
    browsing = browse(index, INDEX)
    return templating.render(
        index.kb, "stories.md.j2", here=INDEX, stories=stories, browse=Markup(browsing), table=Markup(table)
    )


def browse(index: Index, here: str) -> str:
    """One line per facet linking to every value's page, with its count."""
    lines = []
    for name, (_folder, title) in FACETS.items():
        links = [
            f"{md.link(term.label, here, index.facet_uri(name, value))} ({len(index.facets[name].get(value, []))})"
            for value, term in index.vocabulary(name).items()
        ]
        lines.append(f"- **{md.text(title)}:** " + " · ".join(links))
    steps = [md.link(step.title, here, content.step_stories_uri(step.id)) for step in index.steps]
    lines.append("- **Step taken or missed:** " + " · ".join(steps))
    lines.append(f"- **Tags:** {md.link('all tags', here, TAGS)}")
    return "\n".join(lines)


def facet_page(index: Index, name: str, value: str, uri: str) -> str:
    stories = index.facets[name].get(value, [])
    return templating.render(
        index.kb,
        "facet.md.j2",
        here=uri,
        facet=FACETS[name][1],
        term=index.vocabulary(name)[value],
        stories=stories,
        index_uri=INDEX,
        table=Markup(story_table(index, uri, stories, full=False) if stories else ""),
    )


def step_groups(index: Index, step: Step, here: str, capped: bool) -> list[str]:
    """Taken and missed, each with its illustrative stories apart; capped, the newest of each list only."""
    shown = []
    for label, stories, illustrative in (
        ("Taken", index.taken.get(step.id, []), index.taken_illustrative.get(step.id, [])),
        ("Missed", index.missed.get(step.id, []), index.missed_illustrative.get(step.id, [])),
    ):
        shown.append(
            f"**{label} in {md.plural(len(stories), 'story', 'stories')}**"
            + (":\n\n" + listed(index, here, stories, capped) if stories else ".")
        )
        # Stories written for training are listed for reading, apart, and not counted.
        if illustrative:
            shown.append(
                f"*{label} in {md.plural(len(illustrative), 'illustrative story', 'illustrative stories')} as "
                f"well, written for training and not counted:*\n\n" + listed(index, here, illustrative, capped)
            )
    return shown


def listed(index: Index, here: str, stories: list[Story], capped: bool) -> str:
    """A story list, or (capped) the newest of it with a line saying how many there are in all."""
    if not capped or len(stories) <= NEWEST:
        return story_list(index, here, stories, fold=capped)
    return story_list(index, here, newest(stories)) + f"\n\n*The {NEWEST} most recently reviewed of {len(stories)}.*"


def newest(stories: list[Story]) -> list[Story]:
    """The NEWEST most recently reviewed stories, in that order (ties and never-reviewed ones by title)."""
    return sorted(stories, key=lambda story: story.reviewed or dt.date.min, reverse=True)[:NEWEST]


def story_table(index: Index, here: str, stories: list[Story], full: bool) -> str:
    """Two narrow columns that fit a phone: the story with its facts (and, when full, its steps), and the outcome.

    An XHTML block, since it grows with the stories; it is left out of the search index.
    """
    prefix = md.href(here, "stories/x.md")[:-4]  # from this page to the stories' folder
    rows = []
    for story in stories:
        title, facts, steps, outcome = _texts(index, story)
        cell = f'<a href="{prefix}{story.id}.md">{title}</a><br/><small>{facts}</small>' + (
            f"<br/><small>{steps}</small>" if full else ""
        )
        rows.append(f"<tr><td>{cell}</td><td>{outcome}</td></tr>")
    body = "\n".join(rows)
    return md.xhtml(
        f"<table "
        f'data-search-exclude="true"><thead><tr><th>Story</th><th>Outcome</th></tr></thead><tbody>\n{body}\n</tbody></table>'
    )


def story_list(index: Index, here: str, stories: list[Story], fold: bool = True) -> str:
    """One line per story, its title then how it ended; a long list folded away. Left out of the search index."""
    prefix = md.href(here, "stories/x.md")[:-4]
    items = "\n".join(
        f'<li><a href="{prefix}{story.id}.md">{title}</a>: {outcome}</li>'
        for story in stories
        for title, _f, _s, outcome in [_texts(index, story)]
    )
    listing = f"<ul>\n{items}\n</ul>"
    if fold and len(stories) > FOLD_AFTER:
        listing = f'<details class="abstract"><summary>Show all {len(stories)} stories</summary>\n{listing}\n</details>'
    return md.xhtml(f'<div data-search-exclude="true">{listing}</div>')


def _texts(index: Index, story: Story) -> tuple[str, str, str, str]:
    """A story's escaped title, `setting · failure · fault · provenance`, `Taken: ... Missed: ...` and outcome.

    Made once per build.
    """
    memo = index.memo.setdefault("story texts", {})
    if story.id not in memo:
        facts = " · ".join(_label(index, story, name) for name in ("setting", "failure", "fault", "provenance"))
        steps = (
            f"Taken: {_step_titles(index, story, 'steps_taken')}. Missed: {_step_titles(index, story, 'steps_missed')}."
        )
        memo[story.id] = (md.esc(story.title), md.esc(facts), md.esc(steps), md.esc(_label(index, story, "outcome")))
    return memo[story.id]


def _label(index: Index, story: Story, name: str) -> str:
    values = index.values(story, name)
    return ", ".join(index.label(name, v) for v in values) or "?"


def _step_titles(index: Index, story: Story, story_field: str) -> str:
    return md.join([step.title for step in index.steps_of(story, story_field)], "none")
