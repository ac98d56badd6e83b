"""Helpers for the browser tests: a static loopback server, Chromium's settings, traffic records, screenshots."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No host name resolves but the loopback address: a request elsewhere fails (and is recorded) instead of leaving.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# Schemes that never leave the browser.
LOCAL_SCHEMES = ("data", "blob", "about", "chrome-error")


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as a static host does, answering a missing page with the site's own 404.html."""

    def log_message(self, *args):
        pass

    not_found: Path | None = None  # the page to answer a 404 with (default: 404.html in the folder)
    # The web app manifest's type, as the nginx example serves it (Python's table does not list it).
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".webmanifest": "application/manifest+json",
    }

    def send_error(self, code, message=None, explain=None):
        page = self.not_found or Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(folder: Path, port: int = 0, not_found: Path | None = None) -> http.server.ThreadingHTTPServer:
    """A static server for `folder` on 127.0.0.1 in a daemon thread; call shutdown() when done."""
    handler = type("Handler", (StaticHandler,), {"not_found": not_found})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (
        parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == "127.0.0.1"
    )


@dataclass
class Traffic:
    """What the browser did while a test ran."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # every page the main frame showed
    expected_status: set[str] = field(default_factory=set)  # "404 URL" a test asks for on purpose

    def assert_clean(self) -> None:
        assert self.requests, "the browser made no request at all"
        outside = [url for url in self.requests if not is_local(url)]
        assert outside == [], f"requests left 127.0.0.1: {outside}"
        assert self.failed == [], f"failed requests: {self.failed}"
        unexpected = [status for status in self.bad_status if status not in self.expected_status]
        assert unexpected == [], f"error responses: {unexpected}"
        # The console reports each error response too; those asked for on purpose are not errors of the site.
        errors = [
            e
            for e in self.console_errors
            if not (self.expected_status and "the server responded with a status of" in e)
        ]
        assert errors == [], f"console errors: {errors}"


def screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """Save what the phone shows into test-artifacts/ (git ignores it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# What Chromium reports while the context is offline: the worker's own fetches fail, as they should.
OFFLINE_ERRORS = (
    "ERR_INTERNET_DISCONNECTED",
    "ERR_FAILED",
    "Failed to fetch",
    "Network error",  # Material's search, whose index is not kept offline
    "the server responded with a status of 503",
)


def recorded(traffic) -> tuple[int, int]:
    """How much the record holds, before the context goes offline."""
    return len(traffic.failed), len(traffic.console_errors)


def forget_offline_noise(traffic, since: tuple[int, int]) -> None:
    # What Chromium reported for the requests the worker tried while the context was offline, and only that.
    failed, errors = since
    traffic.failed[failed:] = [f for f in traffic.failed[failed:] if not any(e in f for e in OFFLINE_ERRORS)]
    traffic.console_errors[errors:] = [
        e for e in traffic.console_errors[errors:] if not any(n in e for n in OFFLINE_ERRORS)
    ]
