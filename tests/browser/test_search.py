"""Site search on a phone and a desktop: Pagefind in Material's header, results with a story's facts, filters,
guides first, keyboard use, and no request to another host."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import pagefind_filters
from test_deployment import needs_nginx, served  # noqa: F401  (served: nginx and the sign-on, a fixture)

from turnaround import offline
from turnaround import search as site_search

from .browsing import ROOT, screenshot
from .searching import INPUT, OPEN, RESULT, count, search

pytestmark = pytest.mark.slow


def test_a_search_from_the_header_finds_the_checklist_first_and_stories_with_their_facts(phone, site_url):
    page, traffic = phone
    page.goto(site_url + "steps/listen/")
    found = search(page, "rude waiter", site_url)
    assert found[0].kind == "Checklist" and found[0].path == "checklists/staff-behaviour/"
    stories = [r for r in found if r.kind == "Story"]
    assert stories, found
    # A story's result names its setting, failure type and outcome.
    assert all(len(r.facts) == 3 for r in stories), stories
    assert "Rude or careless staff" in stories[0].facts
    page.click(f"{RESULT} a >> nth=0")
    page.wait_for_url(site_url + "checklists/staff-behaviour/")
    traffic.assert_clean()


def test_checklists_and_steps_rank_above_stories_for_the_same_words(phone, site_url):
    page, traffic = phone
    page.goto(site_url)
    # Words that stories use as much as guides do (a refund in a story's title, an apology in its text).
    for query in ("apology", "refund", "voucher"):
        kinds = [r.kind for r in search(page, query, site_url)]
        guides = [i for i, kind in enumerate(kinds) if kind in ("Checklist", "Step")]
        stories = [i for i, kind in enumerate(kinds) if kind == "Story"]
        assert guides and stories, (query, kinds)
        assert guides[0] < stories[0], (query, kinds)
    traffic.assert_clean()


def test_a_filter_keeps_only_the_pages_of_its_value(phone, site_url):
    page, traffic = phone
    page.goto(site_url)
    everything = search(page, "customer", site_url)
    total = count(page)
    assert {r.kind for r in everything} != {"Story"}
    page.click(".ta-search__filters summary")
    page.select_option("select[name='Kind']", "Story")
    stories = search(page, "customer", site_url)
    assert stories and {r.kind for r in stories} == {"Story"}
    assert 0 < count(page) < total
    page.select_option("select[name='Setting']", "Hotel")
    hotels = search(page, "customer", site_url)
    assert hotels and all("Hotel" in r.facts for r in hotels), hotels
    traffic.assert_clean()


def test_the_search_is_keyboard_usable_and_its_dialog_is_named(phone, site_url):
    page, traffic = phone
    page.goto(site_url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "ta-search-input"
    dialog = page.locator("dialog.ta-search__dialog")
    assert dialog.get_attribute("aria-labelledby") == "ta-search-title"
    assert page.locator("#ta-search-title").text_content() == "Search Turnaround"
    assert page.locator(f"label[for='{INPUT[1:]}']").count() == 1
    page.keyboard.type("say sorry")
    page.wait_for_selector(RESULT)
    # Enter opens the first result; Escape on the next page closes its dialog again.
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "steps/apologize/")
    page.keyboard.press("/")
    page.keyboard.press("Escape")
    assert not page.locator("dialog.ta-search__dialog").evaluate("d => d.open")
    traffic.assert_clean()


def test_the_search_button_is_in_the_header_on_a_desktop_too(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site_url)
    button = page.locator(f".md-header {OPEN}")
    assert button.is_visible()
    assert "Search" in button.inner_text()
    button.click()
    assert page.locator(INPUT).is_visible()
    context.close()


def test_the_site_ships_one_index_pagefinds_and_not_lunrs(built_site):
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert not (built_site / "search" / "search_index.json").exists()
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    # Every story page is indexed, the story lists (search: exclude) are not.
    stories = len(list((ROOT / "stories").glob("*.md")))
    assert entry["languages"]["en"]["page_count"] >= stories + 8
    listing = (built_site / "stories" / "by-setting" / "hotel" / "index.html").read_text("utf-8")
    assert "data-pagefind-body" not in listing
    # The bundle phones keep holds the kept pages, each of them and no other.
    kept = json.loads((built_site / "pagefind-offline" / "pagefind-entry.json").read_text("utf-8"))
    assert kept["languages"]["en"]["page_count"] == len(offline.pages_to_keep(built_site))


def test_each_bundle_tells_the_search_the_filters_and_guides_its_pages_carry(built_site):
    for bundle in ("pagefind", "pagefind-offline"):
        told = json.loads((built_site / bundle / site_search.UI_SETTINGS).read_text("utf-8"))
        assert told == site_search.ui_settings()
        # Every filter the search offers, and every guide kind, is one the pages of the bundle carry.
        carried = dict(pagefind_filters(built_site, bundle))
        assert set(told["filters"]) <= set(carried) or bundle == "pagefind-offline"
        kinds = {value for value, _pages in carried[told["kind"]]}
        assert set(told["guides"]) <= kinds, (bundle, kinds)


def test_the_open_search_with_results_has_no_serious_accessibility_violation(phone, site_url):
    page, traffic = phone
    page.goto(site_url)
    search(page, "refund", site_url)
    violations = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    screenshot(page, "search-refund")
    assert [f"{v['impact']} {v['id']}" for v in violations if v["impact"] in ("serious", "critical")] == []
    traffic.assert_clean()


@needs_nginx
def test_behind_the_nginx_example_and_its_sign_on_the_search_works(phone, served):  # noqa: F811
    page, traffic = phone
    page.context.add_cookies([{"name": "session", "value": "signed-in", "url": served}])
    page.goto(served + "/")
    found = search(page, "apologize", served + "/")
    assert found and found[0].path == "steps/apologize/", found
    assert any(url.startswith(served + "/pagefind/") and url.endswith(".pf_index") for url in traffic.requests)
    traffic.assert_clean()
