"""Accessibility: axe-core finds no serious or critical violation on the pages staff use most.

axe-core's script ships inside the axe-playwright-python wheel and is injected
into the page: nothing is fetched. Every page's full result is written to
test-artifacts/axe-<page>.json, minor and moderate findings included.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from turnaround.loader import load

from .browsing import ARTIFACTS, ROOT, screenshot

KB = load(ROOT)
PAGES = {
    "home": "",
    "step": f"steps/{KB.steps[0].id}/",
    "story": f"stories/{KB.stories[0].id}/",
    "checklist": f"checklists/{next(iter(KB.vocab['failures']))}/",
    "cards": "cards/",
    "story-index": "stories/",
}
BLOCKING = {"serious", "critical"}


def test_axe_core_is_bundled_not_fetched():
    script = Axe().axe_script
    assert script.startswith("/*! axe v4.") and len(script) > 100_000


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_accessibility_violation(phone, site_url, name):
    page, traffic = phone
    page.goto(site_url + PAGES[name])
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(violations, indent=1), "utf-8")
    screenshot(page, f"axe-{name}")
    blocking = [
        f"{v['impact']} {v['id']}: {v['help']} at {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
    traffic.assert_clean()
