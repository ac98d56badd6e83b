"""The built site: three new stories, and nothing else changed, show up on every page they belong to.

One strict build of a private copy with three stories added; every test reads
the links of the built HTML, resolved to site paths like `stories/x/`.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_repo

from turnaround.loader import load

pytestmark = pytest.mark.slow

NEW_STORIES = {
    "late-pizza-slice-on-the-house": """---
title: A pizza forty minutes late, and a slice on the house
summary: A family waits forty minutes for a pizza; the owner apologises, brings garlic bread and takes it off the bill.
setting: restaurant
failure: slow-service
severity: moderate
fault: at-fault
steps_taken: [apologize, resolve, compensate]
steps_missed: [thank]
compensation: [free-item, price-adjustment]
outcome: won-back
provenance: first-hand
tags: [pizza, family-dinner]
reviewed: 2026-10-01
---

## Situation

A family of four orders two pizzas on a busy Saturday. Forty minutes later
nothing has come, and the children are getting restless.

## What staff did

The owner came over, said sorry for the wait, brought garlic bread at once
and took one pizza off the bill.

## Outcome

The family finished their meal in good spirits and came back the next month.

## Better recovery

A word of [thanks](../steps/thank.md) for raising it would have closed it well.
""",
    "pharmacy-refill-not-ready": """---
title: A prescription refill not ready, and nobody called
summary: A pharmacy promises to call when a refill is ready and never does; the customer waits a day without medicine.
setting: healthcare
failure: broken-promise
severity: major
fault: at-fault
steps_taken: [listen]
steps_missed: [apologize, follow-up, prevent]
compensation: []
outcome: unknown
provenance: first-hand
reviewed: 2024-03-01
---

## Situation

A customer drops off a repeat prescription and is told the pharmacy will call
when it is ready. No call comes.

## What staff did

When the customer came back the next day, the assistant listened, found the
order on a shelf and handed it over without comment.

## Outcome

The customer left with the medicine. The story does not say whether they came
back.

## Better recovery

[Apologize](../steps/apologize.md) for the broken promise, make the call that
was promised ([follow up](../steps/follow-up.md)), and fix the callback list
([prevent](../steps/prevent.md)).
""",
    "hardware-store-wrong-paint": """---
title: The wrong paint colour, mixed again while the customer waited
summary: A shop mixes the wrong paint colour; staff listen, apologise and remix it on the spot, with a free brush.
setting: retail
failure: wrong-order
severity: minor
fault: at-fault
steps_taken: [listen, empathize, apologize, resolve]
steps_missed: []
compensation: [redo, free-item]
outcome: won-back
provenance: first-hand
tags: [paint]
reviewed: 2026-09-01
---

## Situation

A customer opens a tin at home and finds the paint is the wrong shade for the
room she has already taped up.

## What staff did

The assistant listened, said he could see how annoying a wasted afternoon was,
apologised and remixed the tin while she waited, adding a free brush.

## Outcome

She finished the room that weekend and bought her next tins at the same shop.

## Better recovery

Little to change: keep doing as the assistant did, and [resolve](../steps/resolve.md) it at once.
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real site built strictly from a copy with the three new stories."""
    repo = copy_repo(tmp_path_factory.mktemp("repo"))
    for name, text in NEW_STORIES.items():
        (repo / "stories" / f"{name}.md").write_text(text, "utf-8")
    site = tmp_path_factory.mktemp("site")
    result = build_site(repo, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


def links(site: Path, url: str) -> set[str]:
    """Site paths (`stories/x/`) that the page at `url` links to."""
    text = (site / url / "index.html").read_text("utf-8")
    found = set()
    for href in re.findall(r'href="([^"#]*)', text):
        href = html.unescape(href)
        if not href or "://" in href or href.startswith(("mailto:", "data:")):
            continue
        path = posixpath.normpath(posixpath.join(url, href))
        found.add("" if path == "." else path.removesuffix("index.html").rstrip("/") + "/")
    return found


def page_text(site: Path, url: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", (site / url / "index.html").read_text("utf-8")))


@pytest.mark.parametrize("story", NEW_STORIES)
def test_new_story_is_linked_from_the_story_index(site, story):
    assert f"stories/{story}/" in links(site, "stories/")


@pytest.mark.parametrize("story", NEW_STORIES)
def test_new_story_is_linked_from_every_step_page_it_names(site, story):
    front = NEW_STORIES[story].split("---")[1]
    named = re.findall(r"steps_(?:taken|missed): \[(.*)\]", front)
    steps = [s.strip() for group in named for s in group.split(",") if s.strip()]
    assert steps
    # A step page lists the newest of its stories and links the page that lists them all.
    for step in steps:
        assert f"stories/{story}/" in links(site, f"stories/by-step/{step}/"), step
        assert f"stories/by-step/{step}/" in links(site, f"steps/{step}/"), step
    for step in {"listen", "empathize", "apologize", "resolve", "compensate", "thank", "follow-up", "prevent"} - set(
        steps
    ):
        assert f"stories/{story}/" not in links(site, f"steps/{step}/"), step
        assert f"stories/{story}/" not in links(site, f"stories/by-step/{step}/"), step


@pytest.mark.parametrize("story", NEW_STORIES)
def test_new_story_is_linked_from_the_checklist_of_its_failure_type(site, story):
    failure = re.search(r"^failure: (\S+)", NEW_STORIES[story], re.M).group(1)
    assert f"stories/{story}/" in links(site, f"checklists/{failure}/")
    assert f"stories/{story}/" in links(site, f"stories/by-failure/{failure}/")


@pytest.mark.parametrize(
    ("story", "facet"),
    [
        ("late-pizza-slice-on-the-house", "by-setting/restaurant"),
        ("pharmacy-refill-not-ready", "by-outcome/unknown"),
        ("pharmacy-refill-not-ready", "by-compensation/none"),
        ("hardware-store-wrong-paint", "by-compensation/redo"),
        ("hardware-store-wrong-paint", "by-fault/at-fault"),
    ],
)
def test_new_story_is_filed_under_its_facet_values(site, story, facet):
    assert f"stories/{story}/" in links(site, f"stories/{facet}/")


def test_empty_facet_values_still_have_a_page(site):
    assert "No stories yet." in page_text(site, "stories/by-setting/bar/")


def test_master_checklist_lists_every_step_in_order(site):
    text = (site / "checklists" / "index.html").read_text("utf-8")
    order = re.findall(r'href="\.\./steps/([a-z-]+)/"', text.split('class="ta-checklist"')[1].split("</div>")[0])
    steps = [step.id for step in load(ROOT).steps]
    assert order == steps != []
    assert text.count('class="task-list-item"') >= len(steps) and 'type="checkbox"' in text


def test_every_failure_checklist_gives_each_step_its_own_box(site):
    steps = len(load(ROOT).steps)
    for page in (site / "checklists").iterdir():
        if page.is_dir():
            text = (page / "index.html").read_text("utf-8")
            assert text.count('class="task-list-item"') == steps, page.name
            assert "[ ]" not in text, page.name


def test_every_failure_checklist_is_linked_from_the_master(site):
    assert {f"checklists/{p.name}/" for p in (site / "checklists").iterdir() if p.is_dir()} <= links(
        site, "checklists/"
    )


def test_crosswalk_crosses_every_source_with_every_step(site):
    text = (site / "crosswalks" / "index.html").read_text("utf-8")
    table = text.split('id="sources-and-steps"')[1].split("<table>")[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    header, body = rows[0], rows[1:]
    # A row per step, a column per source besides the step and the total, as many as the repository holds.
    kb = load(ROOT)
    assert len(re.findall(r"<th", header)) == len(kb.sources) + 2
    assert len(body) == len(kb.steps) and all(len(re.findall(r"<td", row)) == len(kb.sources) + 2 for row in body)


def test_story_page_shows_its_facts_and_tags(site):
    url = "stories/late-pizza-slice-on-the-house/"
    linked = links(site, url)
    assert {
        "steps/apologize/",
        "steps/resolve/",
        "steps/compensate/",
        "steps/thank/",
        "checklists/slow-service/",
    } <= linked
    text = page_text(site, url)
    assert "Reviewed: 2026-10-01" in " ".join(text.split())
    assert "stories/tags/" in linked and "Setting: Restaurant" in text


def test_tags_index_lists_the_new_story_under_its_own_tag(site):
    text = (site / "stories" / "tags" / "index.html").read_text("utf-8")
    section = text.split('id="tag:paint"')[1].split("<h2")[0]
    assert "hardware-store-wrong-paint/" in section


def test_overdue_story_is_flagged_and_listed_for_review(site):
    assert "Review due" in page_text(site, "stories/pharmacy-refill-not-ready/")
    assert "stories/pharmacy-refill-not-ready/" in links(site, "review/")
    assert "stories/hardware-store-wrong-paint/" not in links(site, "review/")


def test_step_page_shows_sources_and_frameworks(site):
    text = " ".join(page_text(site, "steps/apologize/").split())
    assert "What the sources say" in text and "HEARD (commonly attributed to the Disney Institute): Apologize" in text
    assert "Last reviewed" in text


def test_evidence_counts_the_new_stories(site):
    text = " ".join(page_text(site, "evidence/").split())
    assert "too few to draw conclusions" in text
