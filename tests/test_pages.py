"""Generated pages as Markdown: checklists, story indexes, crosswalks, evidence, review, decorations.

These read the repository's real content (or a private copy a test changes)
without building the site; test_pages_site.py checks the built HTML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import posixpath
import re

import pytest
from conftest import EPOCH, ROOT, copy_repo

from benchmarks import site as bench
from turnaround import loader, markdown_text, options, pages
from turnaround.model import build_date
from turnaround.pages import checklists, crosswalks, evidence, review, stories
from turnaround.pages import index as index_mod
from turnaround.pages import markdown as md


@pytest.fixture(scope="module")
def kb():
    return loader.load(ROOT)


@pytest.fixture(scope="module")
def generated(kb):
    return pages.generated_pages(kb)


def _targets(uri: str, markdown: str) -> list[str]:
    """The docs paths a generated page links to (Markdown links and XHTML hrefs), resolved from its place."""
    here = posixpath.dirname(uri)
    urls = [link.url for link in markdown_text.links(markdown, 1)] + [
        html.unescape(h) for h in re.findall(r'<a href="([^"]*)"', markdown)
    ]
    found = []
    for url in urls:
        target = url.partition("#")[0]
        if target and "://" not in target:
            found.append(posixpath.normpath(posixpath.join(here, target)))
    return found


def test_every_link_in_a_generated_page_reaches_a_page(kb):
    known = loader.known_pages(kb)
    mine = {}
    for build in (checklists.build, stories.build, crosswalks.build, evidence.build, review.build):
        mine.update(build(kb))
    for uri, markdown in mine.items():
        for target in _targets(uri, markdown):
            assert target in known, f"{uri} links to {target}, which is no page"


def test_master_checklist_lists_every_step_in_order_with_ticking_boxes(kb, generated):
    page = generated[checklists.MASTER]
    step_links = [t for t in _targets(checklists.MASTER, page) if t.startswith("steps/")]
    assert step_links == [step.src_uri for step in kb.steps]
    assert page.count("- [ ] ") == len(kb.steps)
    for phase in kb.vocab["phases"].values():
        assert f"### {phase.label}" in page


def test_master_checklist_links_every_failure_checklist(kb, generated):
    linked = set(_targets(checklists.MASTER, generated[checklists.MASTER]))
    assert {checklists.failure_uri(f) for f in kb.vocab["failures"]} <= linked


@pytest.mark.parametrize("failure", ["product-defect", "billing-error", "policy-friction"])
def test_failure_checklist_puts_its_remedy_under_resolve_and_compensate(kb, generated, failure):
    page = generated[checklists.failure_uri(failure)]
    remedy = md.text(kb.vocab["failures"][failure].remedy)
    items = page.split("- [ ] ")[1:]
    tailored = [item.split("]")[0].split("[")[-1] for item in items if f"**In kind:** {remedy}" in item]
    assert tailored == [kb.step("resolve").title, kb.step("compensate").title]


def test_every_failure_type_has_a_checklist_listing_its_stories(kb, generated):
    for failure in kb.vocab["failures"]:
        uri = checklists.failure_uri(failure)
        expected = {s.src_uri for s in kb.stories if s.get("failure") == failure}
        listed = {t for t in _targets(uri, generated[uri]) if t.startswith("stories/") and t.count("/") == 1}
        assert listed == expected, uri
        if not expected:
            assert stories.NO_STORIES in generated[uri]


def test_story_index_links_every_story_in_one_table(kb, generated):
    page = generated[stories.INDEX]
    table = page.split("## All stories", 1)[1]
    linked = [t for t in _targets(stories.INDEX, table) if t.count("/") == 1]
    assert sorted(linked) == sorted(s.src_uri for s in kb.stories)
    story = kb.story("iced-tea-refund-no-apology")
    row = html.unescape(next(line for line in table.splitlines() if story.id in line))
    for word in (
        "Café",
        "Food or product was bad",
        "Our fault",
        "Lost",
        "Source article",
        "Taken: Resolve.",
        "Missed: Empathize, Apologize, Compensate",
    ):
        assert word in row


def test_every_vocabulary_value_has_a_facet_page_even_with_no_stories(kb, generated):
    for name, (folder, _title) in index_mod.FACETS.items():
        vocabulary = kb.vocab[index_mod.STORY_FIELDS[name]]
        for value in vocabulary:
            uri = f"stories/{folder}/{value}.md"
            assert uri in generated, uri
            linked = {t for t in _targets(uri, generated[uri]) if t.count("/") == 1 and t != stories.INDEX}
            if not linked:
                assert stories.NO_STORIES in generated[uri]
    assert "No stories yet." in generated["stories/by-setting/bar.md"]


def test_facet_pages_file_each_story_under_its_values(kb, generated):
    story = kb.story("airline-hotel-voucher-never-sent")
    for name in index_mod.FACETS:
        values = story.get(name) if isinstance(story.get(name), list) else [story.get(name)]
        for value in values:
            uri = f"stories/{index_mod.FACETS[name][0]}/{value}.md"
            assert story.src_uri in _targets(uri, generated[uri]), uri


def test_story_without_compensation_is_filed_under_none(kb):
    index = index_mod.index_of(kb)
    story = dataclasses.replace(kb.stories[0], compensation=())
    assert index.values(story, "compensation") == ["none"]


def test_tags_page_holds_the_material_tags_marker(generated):
    assert "<!-- material/tags -->" in generated[stories.TAGS]


def test_crosswalk_crosses_every_source_with_every_step(kb, generated):
    page = generated[crosswalks.CROSSWALKS]
    table = page.split("## Sources and steps", 1)[1].split("## Frameworks and steps")[0]
    rows = [line for line in table.splitlines() if line.startswith("| [")]
    assert len(rows) == len(kb.steps)
    for step, row in zip(kb.steps, rows, strict=True):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert step.src_uri.split("/")[1] in cells[0]
        assert len(cells) == len(kb.sources) + 2
        for source, cell in zip(kb.sources, cells[1:-1], strict=True):
            recommends = any(step.id in (item.get("steps") or []) for item in source.get("recommends"))
            assert (cell == crosswalks.YES) == recommends, (step.id, source.id)


def test_framework_crosswalk_gives_each_framework_word_for_the_step(kb, generated):
    page = generated[crosswalks.CROSSWALKS].split("## Frameworks and steps", 1)[1]
    header = next(line for line in page.splitlines() if line.startswith("| Step |"))
    assert [c.strip() for c in header.strip("|").split("|")][1:-1] == [md.text(f.name) for f in kb.frameworks]
    listen = next(line for line in page.splitlines() if "(steps/listen.md)" in line)
    assert "| Hear |" in listen and "5 of 6" in listen


def test_evidence_counts_outcomes_and_says_when_the_sample_is_too_small(kb, generated):
    page = generated[evidence.EVIDENCE]
    index = index_mod.index_of(kb)
    resolve = next(line for line in page.splitlines() if "(steps/resolve.md)" in line)
    taken = evidence.outcomes(index.taken["resolve"])
    assert f"{taken['won-back']} won back, {taken['lost']} lost, {taken['unknown']} unknown" in resolve
    total = len(index.taken["resolve"]) + len(index.missed["resolve"])
    assert f"{total} stories: too few to draw conclusions." in resolve


def test_evidence_gives_percentages_only_for_a_large_sample(kb):
    won = next(s for s in kb.stories if s.get("outcome") == "won-back")
    lost = next(s for s in kb.stories if s.get("outcome") == "lost")
    assert "too few" in evidence.reading([won] * 29, [lost] * 40)
    reading = evidence.reading([won] * 30 + [lost] * 10, [lost] * 30)
    assert (
        reading == "70 stories. Of those with a known outcome, 75% were won back when the step was taken (40 stories)"
        " and 0% when it was missed (30)."
    )


def test_build_date_comes_from_source_date_epoch():
    assert build_date({"SOURCE_DATE_EPOCH": "1790000000"}) == dt.date(2026, 9, 21)
    assert build_date({}) == dt.datetime.now(dt.UTC).date()
    assert build_date({"SOURCE_DATE_EPOCH": "soon"}) == dt.datetime.now(dt.UTC).date()


def test_an_overdue_page_is_flagged_and_listed_for_review(repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    story = repo / "stories" / "iced-tea-refund-no-apology.md"
    story.write_text(re.sub(r"^reviewed: .*$", "reviewed: 2024-01-31", story.read_text("utf-8"), flags=re.M), "utf-8")
    kb = loader.load(repo)
    _meta, markdown = pages.decorate(
        kb, "stories/iced-tea-refund-no-apology.md", kb.story("iced-tea-refund-no-apology").body
    )
    assert '!!! warning "Review due"' in markdown and "2024-01-31" in markdown
    listing = pages.generated_pages(kb)[review.REVIEW]
    assert (
        "stories/iced-tea-refund-no-apology.md" in _targets(review.REVIEW, listing) and "<td>2025-01-30</td>" in listing
    )
    _meta, fresh = pages.decorate(kb, "steps/listen.md", kb.step("listen").body)
    assert "Review due" not in fresh and "Last reviewed 2026-11-22" in fresh
    assert kb.problems == []


def test_review_interval_is_read_from_mkdocs_yml(repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("TURNAROUND_REVIEW_INTERVAL_DAYS", raising=False)
    settings = options.load(repo / "mkdocs.yml")
    assert "No page is due for review." in pages.generated_pages(loader.load(repo, settings=settings))[review.REVIEW]
    config = repo / "mkdocs.yml"
    config.write_text(
        re.sub(r"review_interval_days: .*", "review_interval_days: 1", config.read_text("utf-8")), "utf-8"
    )
    kb = loader.load(repo, settings=options.load(config))
    index = index_mod.index_of(kb)
    assert index.due_on(kb.step("listen")) == dt.date(2026, 11, 23)
    listing = pages.generated_pages(kb)[review.REVIEW]
    assert "steps/listen.md" in _targets(review.REVIEW, listing) and "<td>2026-11-23</td>" in listing


def test_story_page_gets_facts_and_tags(kb):
    story = kb.story("iced-tea-refund-no-apology")
    meta, markdown = pages.decorate(kb, story.src_uri, story.body)
    assert meta["tags"][:4] == [
        "Setting: Café",
        "Failure type: Food or product was bad",
        "Outcome: Lost",
        "Provenance: Source article",
    ]
    assert meta["tags"][4:] == story.get("tags")
    facts = markdown.split("## Situation")[0]
    for target in (
        "steps/resolve.md",
        "steps/compensate.md",
        "steps/empathize.md",
        "steps/apologize.md",
        "sources/bad-service-to-loyalty.md",
        "checklists/product-defect.md",
    ):
        assert target in _targets(story.src_uri, facts)
    assert (
        f"<strong>Reviewed:</strong> {story.reviewed.isoformat()}" in facts
        and "<strong>Severity:</strong> Minor" in facts
    )
    assert "<strong>Provenance:</strong> Source article: <a" in facts


def test_step_page_shows_its_stories_sources_and_frameworks(kb):
    step = kb.step("apologize")
    _meta, markdown = pages.decorate(kb, step.src_uri, step.body)
    generated = markdown.split("## Stories that show it", 1)[1]
    taken = generated.split("**Missed")[0]
    missed = generated.split("**Missed")[1].split("## What the sources say")[0]
    # The newest stories of each list only (the counted ones, then the illustrative ones), as listed on the step page.
    index = index_mod.index_of(kb)
    assert {s.src_uri for s in stories.newest(index.taken["apologize"])} | {
        s.src_uri for s in stories.newest(index.taken_illustrative["apologize"])
    } == {t for t in _targets(step.src_uri, taken) if t.startswith("stories/") and "/by-step/" not in t}
    assert {s.src_uri for s in stories.newest(index.missed["apologize"])} | {
        s.src_uri for s in stories.newest(index.missed_illustrative["apologize"])
    } == {t for t in _targets(step.src_uri, missed) if t.startswith("stories/") and "/by-step/" not in t}
    advice = [
        item["text"] for source in kb.sources for item in source.get("recommends") if "apologize" in item["steps"]
    ]
    for text in advice:
        assert md.text(text) in markdown
    assert "**HEARD** (commonly attributed to the Disney Institute): Apologize" in markdown
    assert "## Do" in markdown and markdown.count("- [ ] ") == len(step.get("do"))


def test_source_page_lists_its_recommendations_with_step_links(kb):
    source = kb.source("can-you-fix-it")
    _meta, markdown = pages.decorate(kb, source.src_uri, source.body)
    part = markdown.split("## What it recommends", 1)[1]
    assert part.count("\n1. ") == len(source.get("recommends"))
    assert "steps/follow-up.md" in _targets(source.src_uri, part)


def test_other_pages_are_left_alone(kb):
    assert pages.decorate(kb, "index.md", "# Home\n") == ({}, "# Home\n")


def test_pages_are_generated_once_per_knowledge_base(kb):
    assert pages.generated_pages(kb) is pages.generated_pages(kb)
    assert index_mod.index_of(kb) is index_mod.index_of(kb)
    assert index_mod.index_of(loader.load(ROOT)) is not index_mod.index_of(kb)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a | b", r"a \| b"),
        ("[x](y)", r"\[x\]\(y\)"),
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("*not* _em_", r"\*not\* \_em\_"),
        ("two\nlines", "two lines"),
    ],
)
def test_text_is_escaped_for_markdown_and_table_cells(raw, shown):
    assert md.text(raw) == shown


def test_links_are_relative_to_the_page():
    assert md.href("checklists/product-defect.md", "steps/resolve.md") == "../steps/resolve.md"
    assert md.href("crosswalks.md", "steps/resolve.md") == "steps/resolve.md"
    assert md.href("stories/index.md", "stories/by-failure/x.md#top") == "by-failure/x.md#top"


def test_home_page_failure_grid_and_steps_come_from_the_metadata():
    from pathlib import Path

    from turnaround.loader import load
    from turnaround.pages import decorate

    root = Path(__file__).resolve().parent.parent
    kb = load(root)
    _meta, markdown = decorate(kb, "index.md", (root / "docs/index.md").read_text("utf-8"))
    assert "<!-- turnaround:" not in markdown
    for term in kb.vocab["failures"].values():
        assert f"**[{term.label}](checklists/{term.id}.md)**" in markdown
    positions = [markdown.index(f"](steps/{step.id}.md)") for step in kb.steps]
    assert positions == sorted(positions) and len(positions) == len(kb.steps) > 0


def test_evidence_leaves_illustrative_stories_out_and_says_how_many(kb, generated):
    index = index_mod.index_of(kb)
    illustrative = [s for s in kb.stories if s.get("provenance") == "illustrative"]
    assert illustrative
    counted = [s for s in kb.stories if s.get("provenance") != "illustrative"]
    for step in kb.steps:
        for taken_or_missed, apart in (
            (index.taken, index.taken_illustrative),
            (index.missed, index.missed_illustrative),
        ):
            assert not any(s in illustrative for s in taken_or_missed.get(step.id, []))
            assert all(s in illustrative for s in apart.get(step.id, []))
    resolve = [s for s in counted if "resolve" in s.get("steps_taken")]
    row = next(line for line in generated[evidence.EVIDENCE].splitlines() if "(steps/resolve.md)" in line)
    assert evidence.tally(resolve) in row
    intro = generated[evidence.EVIDENCE].split("!!!")[0]
    assert f"{len(counted)} stories from source articles" in intro
    assert f"{len(illustrative)} illustrative stories, written for training" in intro
    assert "stories/by-provenance/illustrative.md" in _targets(evidence.EVIDENCE, intro)


def test_a_step_page_lists_illustrative_stories_apart_and_leaves_them_out_of_its_count(kb):
    step = kb.step("resolve")
    _meta, markdown = pages.decorate(kb, step.src_uri, step.body)
    taken = [s for s in kb.stories if "resolve" in s.get("steps_taken")]
    real = [s for s in taken if s.get("provenance") != "illustrative"]
    assert f"**Taken in {md.plural(len(real), 'story', 'stories')}**" in markdown
    assert (
        f"*Taken in {len(taken) - len(real)} illustrative stories as well, written for training and not counted:*"
        in markdown
    )
    listed_apart = markdown.split("illustrative stories as well", 1)[1].split("**Missed")[0]
    assert sorted(t for t in _targets(step.src_uri, listed_apart) if t.startswith("stories/")) == sorted(
        s.src_uri for s in taken if s not in real
    )


def test_a_checklist_counts_missed_steps_only_in_stories_that_are_evidence(kb, generated):
    illustrative_seen = False
    for failure in kb.vocab["failures"]:
        page = generated[checklists.failure_uri(failure)]
        stories = [s for s in kb.stories if s.get("failure") == failure]
        counted = [s for s in stories if index_mod.is_evidence(s)]
        for step in kb.steps:
            missed = [s for s in stories if step.id in s.get("steps_missed")]
            real = [s for s in missed if s in counted]
            if not missed:
                continue
            if counted:
                assert f"*Missed in {len(real)} of the {md.plural(len(counted), 'story', 'stories')} below that" in page
            else:
                # Only illustrative stories of this kind: the note counts them apart, none as evidence.
                assert (
                    f"*Missed in {len(missed)} of the "
                    f"{md.plural(len(stories), 'illustrative story', 'illustrative stories')} below, none counted "
                    f"as evidence.*"
                ) in page
            illustrative_seen |= len(real) < len(missed)
    # The content has illustrative stories that miss steps, so the "apart" count is exercised.
    assert illustrative_seen


def test_a_story_page_shows_its_provenance_and_its_reports(repo):
    story = repo / "stories" / "iced-tea-refund-no-apology.md"
    text = story.read_text("utf-8").replace(
        "provenance: source-article\nsource: bad-service-to-loyalty\n",
        (
            "provenance: public-report\ncitations:\n  - publisher: The Daily Example\n"
            '    title: Tea & sympathy, "none"\n'
            "    date: 2026-11-02\n    url: https://news.example.com/tea?a=1&b=2\n"
        ),
    )
    story.write_text(text, "utf-8")
    kb = loader.load(repo)
    assert [p for p in kb.problems if p.path == "stories/iced-tea-refund-no-apology.md"] == []
    _meta, markdown = pages.decorate(
        kb, "stories/iced-tea-refund-no-apology.md", kb.story("iced-tea-refund-no-apology").body
    )
    assert '<strong>Provenance:</strong> Public report: see <a href="#reports">the reports</a>' in markdown
    reports = markdown.split("## Reports {#reports}", 1)[1]
    assert (
        '<li>The Daily Example, “<a href="https://news.example.com/tea?a=1&amp;b=2">Tea &amp; sympathy, '
        "&quot;none&quot;</a>”, 2026-11-02.</li>"
    ) in reports


def _story_links(uri: str, markdown: str) -> list[str]:
    """The story pages a generated page links to (the full lists under stories/by-step/ left out)."""
    return [t for t in _targets(uri, markdown) if re.fullmatch(r"stories/[^/]+\.md", t) and t != stories.INDEX]


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """The knowledge base with 60 synthetic stories as well: more than a step or checklist page lists."""
    repo = copy_repo(tmp_path_factory.mktemp("many") / "repo")
    bench.write_stories(loader.load(repo), repo / "stories", 60)
    return loader.load(repo)


def test_a_step_page_lists_only_the_newest_stories_and_links_the_page_that_lists_them_all(many):
    index = index_mod.index_of(many)
    step = many.step("resolve")
    _meta, markdown = pages.decorate(many, step.src_uri, step.body)
    part = markdown.split("## Stories that show it", 1)[1].split("## What the sources say")[0]
    taken = index.taken["resolve"]
    assert len(taken) > stories.NEWEST
    listed = _story_links(step.src_uri, part.split("**Missed")[0].split("illustrative stories as well")[0])
    assert sorted(listed) == sorted(s.src_uri for s in stories.newest(taken)) and len(listed) == stories.NEWEST
    assert f"*The {stories.NEWEST} most recently reviewed of {len(taken)}.*" in part
    assert "stories/by-step/resolve.md" in _targets(step.src_uri, part)
    # The full list page has every story that took or missed the step, each once.
    full = pages.generated_pages(many)["stories/by-step/resolve.md"]
    everyone = {s.src_uri for s in many.stories if "resolve" in s.steps_taken + s.steps_missed}
    assert sorted(_story_links("stories/by-step/resolve.md", full)) == sorted(everyone)
    assert "steps/resolve.md" in _targets("stories/by-step/resolve.md", full)


def test_a_checklist_lists_only_the_newest_stories_of_its_kind(many):
    index = index_mod.index_of(many)
    failure = max(index.facets["failure"], key=lambda f: len(index.facets["failure"][f]))
    of_kind = index.facets["failure"][failure]
    assert len(of_kind) > stories.NEWEST
    page = pages.generated_pages(many)[checklists.failure_uri(failure)]
    listed = _story_links(checklists.failure_uri(failure), page.split("## Stories of this kind")[1])
    assert sorted(listed) == sorted(s.src_uri for s in stories.newest(of_kind))
    assert len(listed) == stories.NEWEST
    assert index.facet_uri("failure", failure) in _targets(checklists.failure_uri(failure), page)


def test_the_newest_stories_are_the_most_recently_reviewed_ones_then_by_title(kb):
    index = index_mod.index_of(kb)
    order = stories.newest(index.stories)
    assert [s.reviewed for s in order] == sorted((s.reviewed for s in order), reverse=True)
    same_day = [s for s in order if s.reviewed == order[0].reviewed]
    assert [s.title.casefold() for s in same_day] == sorted(s.title.casefold() for s in same_day)


def test_the_story_index_links_every_steps_full_list(kb, generated):
    targets = _targets(stories.INDEX, generated[stories.INDEX])
    assert all(f"stories/by-step/{step.id}.md" in targets for step in kb.steps)
