"""Offline and installable, in Chromium on a phone: after one visit the staff's pages open with no signal.

The service worker and manifest written after the build (src/turnaround/offline.py): every checklist
and step page opens offline after one visit to the home page, a page never opened says so, a rebuilt
site is picked up after the update notice, and the manifest is one Chromium accepts. Every request
stays on 127.0.0.1 (the phone fixture checks it on teardown).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import ROOT, build_site, copy_repo
from playwright.sync_api import expect

from .browsing import forget_offline_noise, recorded, screenshot, serve
from .searching import search

STEPS = sorted(p.stem for p in (ROOT / "docs" / "steps").glob("*.md"))


def kept_pages(site) -> list[str]:
    """The pages the worker must keep, as site paths: home, how to use, the checklists, the steps."""
    checklists = sorted(p.parent.name for p in (site / "checklists").glob("*/index.html"))
    return [
        "",
        "how-to-use/",
        "checklists/",
        *(f"checklists/{c}/" for c in checklists),
        *(f"steps/{s}/" for s in STEPS),
    ]


def wait_until_kept(page) -> str:
    """Wait until the page's worker is active and controls it (its precache is then full); its cache's name."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    return page.evaluate(
        "navigator.serviceWorker.ready.then(() => caches.keys())"
        ".then(keys => keys.filter(k => k.startsWith('turnaround-')))"
    )


def test_after_one_visit_the_home_page_every_checklist_and_step_open_offline(phone, site_url, built_site):
    page, traffic = phone
    page.goto(site_url)
    caches = wait_until_kept(page)
    assert len(caches) == 1
    page.goto(site_url + "stories/")  # a page that is kept because it was opened
    since = recorded(traffic)
    page.context.set_offline(True)
    try:
        for path in [*kept_pages(built_site), "stories/"]:
            response = page.goto(site_url + path)
            assert response.ok and response.from_service_worker, path
            expect(page.locator("article h1").first).to_be_visible()
            # The theme's stylesheet came from the phone too: the header has its colour, not the default.
            colour = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
            assert colour == "rgb(0, 121, 107)", path
        screenshot(page, "offline-step-page")
        # A query does not make another page: Pagefind, for one, asks for its entry file with ?ts=....
        response = page.goto(site_url + "steps/listen/?from=home")
        assert response.ok and response.from_service_worker
        # A page never opened with a signal says so, with the way home.
        traffic.expected_status.add(f"503 {site_url}sources/")
        response = page.goto(site_url + "sources/")
        assert response.status == 503
        expect(page.get_by_role("heading", name="Not saved on this phone")).to_be_visible()
        screenshot(page, "offline-page-not-saved")
        assert page.get_by_role("link", name="open the home page").get_attribute("href") == site_url
    finally:
        page.context.set_offline(False)
        forget_offline_noise(traffic, since)


def test_after_one_visit_a_search_for_each_steps_name_finds_its_step_offline(phone, site_url):
    page, traffic = phone
    page.goto(site_url)
    wait_until_kept(page)
    since = recorded(traffic)
    page.context.set_offline(True)
    try:
        page.goto(site_url + "checklists/")
        for step in STEPS:
            word = step.split("-")[0]
            found = search(page, word, site_url)
            assert f"steps/{step}/" in [r.path for r in found[:3]], (word, found)
        screenshot(page, "offline-search")
    finally:
        page.context.set_offline(False)
        forget_offline_noise(traffic, since)


def test_the_manifest_is_valid_with_its_icons_at_their_sizes(phone, site_url):
    page, _traffic = phone
    page.goto(site_url)
    cdp = page.context.new_cdp_session(page)
    found = cdp.send("Page.getAppManifest")
    assert found["url"] == site_url + "manifest.webmanifest"
    assert found["errors"] == []
    manifest = json.loads(found["data"])
    assert manifest["name"] == "Turnaround" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"
    for icon in manifest["icons"]:
        size = page.evaluate(
            "src => new Promise((ok, fail) => { const i = new Image(); i.onload = () => ok(`${i.naturalWidth}x"
            "${i.naturalHeight}`); i.onerror = fail; i.src = new URL(src, location.href).href; })",
            icon["src"],
        )
        if icon["sizes"] != "any":
            assert size == icon["sizes"], icon["src"]
    # Chromium finds the site installable: a manifest with a name, icons, start URL and display, and a worker.
    wait_until_kept(page)
    # (Playwright's contexts are private windows, which Chromium never installs from: that is the only error.)
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert errors in ([], ["in-incognito"])
    # Material sets the title bar's colour from the header: the manifest's is the same.
    colours = page.eval_on_selector_all('meta[name="theme-color"]', "metas => metas.map(m => m.content)")
    assert colours == [manifest["theme_color"]]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, built_site):
    """The built site and a rebuild of a copy whose How to use page says one thing more."""
    repo = copy_repo(tmp_path_factory.mktemp("changed") / "repo")
    page = repo / "docs" / "how-to-use.md"
    page.write_text(page.read_text("utf-8") + "\nA sentence added after the first deployment.\n", "utf-8")
    changed = tmp_path_factory.mktemp("changed-site")
    result = build_site(repo, changed)
    assert result.returncode == 0, result.stderr[-3000:]
    return built_site, changed


def test_a_rebuilt_site_is_picked_up_after_the_update_notice(phone, two_builds, tmp_path):
    first, second = two_builds
    www = tmp_path / "www"
    shutil.copytree(first, www)
    server = serve(www)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    page, traffic = phone
    try:
        page.goto(base + "how-to-use/")
        [old] = wait_until_kept(page)
        # The new deployment: the files replaced on the server, the page open on the phone.
        shutil.rmtree(www)
        shutil.copytree(second, www)
        page.reload()
        # Pages come from the network first: the new sentence shows at once, before any notice.
        expect(page.get_by_text("A sentence added after the first deployment.")).to_be_visible()
        notice = page.get_by_role("status").filter(has_text="A newer version is ready")
        expect(notice).to_be_visible(timeout=60_000)
        screenshot(page, "offline-update-notice")
        with page.expect_navigation():
            notice.get_by_role("button").click()
        page.wait_for_function(
            "navigator.serviceWorker.controller && caches.keys().then(k => k.length)", timeout=30_000
        )
        caches = wait_until_kept(page)
        page.wait_for_function(f"caches.has({json.dumps(old)}).then(has => !has)", timeout=30_000)
        assert len(caches) == 1 and caches != [old]
        new_version = re.search(r'const VERSION = "(\w+)"', (second / "sw.js").read_text("utf-8")).group(1)
        assert caches == [f"turnaround-{new_version}"]
        # Offline, the phone has the new version.
        since = recorded(traffic)
        page.context.set_offline(True)
        try:
            response = page.goto(base + "how-to-use/")
            assert response.from_service_worker
            expect(page.get_by_text("A sentence added after the first deployment.")).to_be_visible()
            expect(page.get_by_role("status").filter(has_text="A newer version is ready")).to_have_count(0)
        finally:
            page.context.set_offline(False)
            forget_offline_noise(traffic, since)
    finally:
        server.shutdown()
        server.server_close()
