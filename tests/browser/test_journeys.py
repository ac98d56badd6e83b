"""A member of staff on a phone: the journeys the site exists for, in Debian's Chromium.

Each journey ends with the phone's traffic checked (only 127.0.0.1, no failed
request, no console error) and leaves screenshots in test-artifacts/.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from turnaround.loader import load
from turnaround.markdown_text import plain_text

from .browsing import ARTIFACTS, ROOT, screenshot
from .searching import INPUT, OPEN, RESULT, STATUS

FAILURE = "product-defect"  # the journey's failure type: the first on the home page


class VisibleText(HTMLParser):
    """A page's text as a reader (and the search index) sees it: no scripts, styles or SVG."""

    SKIP = frozenset({"script", "style", "svg", "template"})

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        self._skipping += tag in self.SKIP

    def handle_endtag(self, tag):
        self._skipping -= tag in self.SKIP and self._skipping > 0

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = VisibleText()
    parser.feed(path.read_text("utf-8"))
    return " ".join(parser.parts).lower()


def word_only_in_one_story(site: Path):
    """A word from one story's body that no other page of the built site contains (even as a stem)."""
    kb = load(ROOT)
    texts = {path: page_text(path) for path in sorted(site.rglob("*.html"))}
    for story in kb.stories:
        own = site / "stories" / story.id / "index.html"
        for word in sorted(set(re.findall(r"\b[a-z]{7,}\b", plain_text(story.body).lower()))):
            stem = word[:-2]  # search stems words: a shared stem would match other pages too
            if not any(stem in text for path, text in texts.items() if path != own):
                return word, story
    raise AssertionError("no story has a word of its own; the search journey needs one")


def test_staff_reach_the_checklist_for_a_failure_type_from_home_in_two_taps(phone, site_url):
    page, traffic = phone
    kb = load(ROOT)
    label = kb.vocab.label("failures", FAILURE)
    page.goto(site_url)
    screenshot(page, "journey-1-home")
    taps = 0
    # Tap 1: the failure type on the home page.
    page.locator(f'article a[href$="checklists/{FAILURE}/"]').first.tap()
    taps += 1
    page.wait_for_url(re.compile(rf"/checklists/{FAILURE}/$"))
    screenshot(page, "journey-1-checklist-landed")
    assert taps <= 2
    expect(page.locator("article h1")).to_contain_text(label)
    items = page.locator("article li.task-list-item")
    assert items.count() >= len(kb.steps)
    for step in kb.steps:
        expect(items.filter(has_text=step.title).first).to_be_visible()
    # Tap 2: tick the first step, as staff do while they work through it.
    first_box = items.first.locator("input[type=checkbox]")
    expect(first_box).not_to_be_checked()
    # The tick box is drawn where the (transparent) checkbox lies: tap that spot, as a thumb would.
    box = first_box.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    taps += 1
    expect(first_box).to_be_checked()
    screenshot(page, "journey-1-checklist")
    traffic.assert_clean()


def test_staff_search_a_word_found_in_one_story_and_open_it(phone, site_url, built_site):
    page, traffic = phone
    word, story = word_only_in_one_story(built_site)
    page.goto(site_url)
    # On a phone the search opens from the magnifier in the header.
    page.locator(OPEN).tap()
    field = page.locator(INPUT)
    expect(field).to_be_visible()
    field.press_sequentially(word, delay=40)
    expect(page.locator(STATUS)).to_have_text("1 result", timeout=15_000)
    screenshot(page, "journey-2-search-results")
    page.locator(f"{RESULT} a").first.tap()
    page.wait_for_url(re.compile(rf"/stories/{story.id}/(#.*)?$"))
    expect(page.locator("article h1")).to_have_text(story.title)
    expect(page.locator("article")).to_contain_text(word, ignore_case=True)
    assert any("/pagefind/" in url and url.endswith(".pf_index") for url in traffic.requests), (
        "the search index was not loaded from the site"
    )
    screenshot(page, "journey-2-story")
    traffic.assert_clean()


def test_staff_follow_a_step_link_from_a_story_to_the_step(phone, site_url):
    page, traffic = phone
    kb = load(ROOT)
    story = kb.stories[0]
    page.goto(f"{site_url}stories/{story.id}/")
    expect(page.locator("article h1")).to_have_text(story.title)
    link = page.locator('article a[href*="steps/"]').first
    step_id = re.search(r"steps/([a-z0-9-]+)/", link.get_attribute("href")).group(1)
    link.scroll_into_view_if_needed()
    screenshot(page, "journey-3-story-with-step-link")
    link.tap()
    page.wait_for_url(re.compile(rf"/steps/{step_id}/(#.*)?$"))
    expect(page.locator("article h1")).to_have_text(kb.step(step_id).title)
    screenshot(page, "journey-3-step")
    traffic.assert_clean()


def test_the_cards_page_prints_each_card_whole_on_one_page(phone, site_url, tmp_path):
    page, traffic = phone
    page.goto(f"{site_url}cards/")
    page.emulate_media(media="print")
    page.locator(".ta-preview").first.scroll_into_view_if_needed()
    screenshot(page, "journey-4-cards-print")
    # Each card face of the preview is one printed region: it may not be cut by a page break.
    faces = page.locator(".ta-preview .ta-slot")
    assert faces.count() >= 2 * 3
    breaks = faces.evaluate_all("faces => faces.map(f => getComputedStyle(f).breakInside)")
    assert set(breaks) <= {"avoid", "avoid-page"}, (
        f"card faces that a page break may cut: {breaks.count('auto')} of {len(breaks)}"
    )
    pdf = tmp_path / "cards-page.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    # The printout itself, for a person to look at: the page prints, on more than one sheet.
    assert len(PdfReader(pdf).pages) >= 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf.replace(ARTIFACTS / "journey-4-cards-page.pdf")
    traffic.assert_clean()
