"""The site works from a sub-path: built with `site_url` http://127.0.0.1:PORT/kb/ and served there.

A copy of the repository is built with that site_url into www/kb/, and www/ is
served, so the site sits at /kb/ as it would behind an intranet's path. Pages,
assets, links, search and the 404 page must all resolve under /kb/.
"""

from __future__ import annotations

import re
import socket

import pytest
from conftest import build_site, copy_repo
from playwright.sync_api import expect

from turnaround.linkcheck import scan

from .browsing import forget_offline_noise, recorded, screenshot, serve
from .searching import INPUT, OPEN, RESULT

PAGES = ["", "steps/listen/", "stories/", "checklists/", "cards/", "deployment/"]


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory):
    """(base URL, site folder) of a build served under /kb/ on a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = tmp_path_factory.mktemp("sub-path")
    repo = copy_repo(root / "repo")
    config = repo / "mkdocs.yml"
    text, count = re.subn(
        r"^#?\s*site_url:.*$", f"site_url: http://127.0.0.1:{port}/kb/", config.read_text("utf-8"), count=1, flags=re.M
    )
    config.write_text(text if count else f"site_url: http://127.0.0.1:{port}/kb/\n{text}", "utf-8")
    site = root / "www" / "kb"
    result = build_site(repo, site)
    assert result.returncode == 0, result.stderr[-3000:]
    server = serve(root / "www", port=port, not_found=site / "404.html")
    yield f"http://127.0.0.1:{port}/kb/", site
    server.shutdown()
    server.server_close()


def test_every_internal_link_of_the_sub_path_build_resolves_under_kb(sub_path_site):
    _, site = sub_path_site
    report = scan(site, base="/kb/")
    assert [str(b) for b in report.broken] == []
    assert report.checked > 1000


def test_pages_load_with_their_assets_and_links_from_the_sub_path(phone, sub_path_site):
    page, traffic = phone
    base, _ = sub_path_site
    links: set[str] = set()
    for path in PAGES:
        response = page.goto(base + path)
        assert response.status == 200, path
        # The theme's stylesheet applied: the header has its colour, not the browser's default.
        assert page.locator("header.md-header").evaluate("e => getComputedStyle(e).backgroundColor") not in (
            "rgba(0, 0, 0, 0)",
            "transparent",
        )
        links |= set(page.locator("a[href]").evaluate_all("links => links.map(a => a.href.split('#')[0])"))
    screenshot(page, "sub-path-deployment-page")
    internal = sorted(url for url in links if url.startswith("http://127.0.0.1"))
    assert internal and all(url.startswith(base) for url in internal), [u for u in internal if not u.startswith(base)]
    for url in internal:
        assert page.request.head(url).status == 200, url
    assert len(traffic.documents) == len(PAGES)
    traffic.assert_clean()


def test_a_missing_page_under_the_sub_path_shows_the_styled_404_page(phone, sub_path_site):
    page, traffic = phone
    base, _ = sub_path_site
    missing = base + "no/such/page/"
    traffic.expected_status.add(f"404 {missing}")
    response = page.goto(missing)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("404 - Not found")
    assert page.locator("header.md-header").evaluate("e => getComputedStyle(e).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    screenshot(page, "sub-path-404")
    # Its links are site-absolute (the 404 page is served at any depth): they must point under /kb/.
    home = page.locator("a.md-header__button.md-logo").evaluate("a => a.href")
    assert home == base and page.request.get(home).status == 200
    traffic.assert_clean()


def test_search_works_from_the_sub_path(phone, sub_path_site):
    page, traffic = phone
    base, _ = sub_path_site
    page.goto(base + "steps/listen/")
    page.locator(OPEN).tap()
    page.locator(INPUT).press_sequentially("apologize", delay=30)
    first = page.locator(f"{RESULT} a").first
    expect(first).to_be_visible(timeout=15_000)
    # The result links under the sub-path, and the page it names loads from there; so does Pagefind's bundle.
    target = first.evaluate("a => a.href")
    assert target.startswith(base)
    page.goto(target)
    assert any(url == base + "pagefind/pagefind.js" for url in traffic.requests)
    traffic.assert_clean()


def test_under_the_sub_path_the_service_worker_looks_after_kb_only_and_keeps_the_steps_offline(phone, sub_path_site):
    page, traffic = phone
    base, site = sub_path_site
    page.goto(base)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == base
    steps = sorted(p.parent.name for p in (site / "steps").glob("*/index.html"))
    since = recorded(traffic)
    page.context.set_offline(True)
    try:
        for path in ["", "checklists/", *(f"steps/{step}/" for step in steps)]:
            response = page.goto(base + path)
            assert response.ok and response.from_service_worker, path
            expect(page.locator("article h1").first).to_be_visible()
    finally:
        page.context.set_offline(False)
        forget_offline_noise(traffic, since)
    traffic.assert_clean()
