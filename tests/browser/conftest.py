"""Real-browser fixtures: the built site on 127.0.0.1, Debian's Chromium, and a phone that records everything.

Every test here is marked `browser`. Nothing is skipped: without Chromium the
fixtures fail (`make test` installs it first). Everything the phone does is
recorded: each request (Chromium resolves no host name but 127.0.0.1, so a
request elsewhere fails rather than leaves), each failed or 4xx/5xx response,
each console error; a test ends with `traffic.assert_clean()`, and the fixture
checks again on teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .browsing import CHROMIUM, CHROMIUM_ARGS, PHONE, Traffic, is_local, serve


def pytest_collection_modifyitems(items):
    # Everything under tests/browser/ drives the browser.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    """The shared strict build, served at the root of a free loopback port."""
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser) -> Iterator[tuple[Page, Traffic]]:
    """A phone-sized, touch-screen page that records its traffic and console."""
    context = browser.new_context(**PHONE)
    traffic = Traffic()
    context.on("request", lambda request: traffic.requests.append(request.url))
    # ERR_ABORTED is the browser cancelling a request it no longer needs (a prefetch when the page moves on).
    context.on(
        "requestfailed",
        lambda request: (
            traffic.failed.append(f"{request.url}: {request.failure}")
            if is_local(request.url) and "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    context.on(
        "response",
        lambda response: (
            traffic.bad_status.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            traffic.console_errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: traffic.console_errors.append(f"{page.url}: {error}"))
    page.on("framenavigated", lambda frame: traffic.documents.append(frame.url) if frame == page.main_frame else None)
    yield page, traffic
    # Close the page before its context: closing a context with a navigation still under way can hang under load.
    page.close(run_before_unload=False)
    context.close()
    traffic.assert_clean()
