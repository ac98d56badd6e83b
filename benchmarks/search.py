"""Search on a phone: Pagefind (the site's search) against Material's lunr search, at N and 10N stories.

    python -m benchmarks.search [--stories N] [--keep]     (or: python -m benchmarks --only search)

For each size it builds the project (its hooks index the site with Pagefind) and,
as the reference, the project's export with Material's own search plugin and
header (lunr). Both are served from 127.0.0.1 with gzip on the types the
deployment's nginx example compresses. Chromium then opens the home page in a
fresh phone profile (no cache, no service worker), with its CPU throttled 4x
(a mid-range phone), and searches once. Reported per site:

- the bytes transferred for search (Pagefind's files; lunr's index and worker),
  from Playwright's network log (headers and encoded body, as they came over the
  wire; requests from Pagefind's worker included);
- the time from the query's entry to the first result on screen (the site's
  search waits 120 ms for typing to pause, and that is counted);
- the total size of the search files on disk, and the offline precache (which holds Pagefind's library and
  the index files a search for a step's words needs);
- the build time of Pagefind's indexing, as a ratio to the rest of the build.

Targets at 10N (issue 12): first search at most 300 KB; first result within 1 s.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from turnaround import offline, search

# Targets (issue 12) at the larger size.
MAX_FIRST_SEARCH = 300 * 1000
MAX_FIRST_RESULT = 1.0
CPU_THROTTLE = 4
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
CHROMIUM = "/usr/bin/chromium"
# What the deployment's nginx example compresses (deploy/nginx.conf, gzip_types), by file ending.
GZIP_TYPES = {".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".json": "application/json"}
# Each search's own files, by the start of their path under the site.
SEARCH_PATHS = {"pagefind": ("pagefind/",), "lunr": ("search/", "assets/javascripts/workers/")}


@dataclass(frozen=True)
class Found:
    """One first search: bytes over the wire for search, seconds to the first result, results shown."""

    transferred: int
    seconds: float
    results: int


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static host with nginx's `gzip on` for text types; Pagefind's own files are compressed already."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = GZIP_TYPES.get(path.suffix)
        if not kind or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    # What send_head returns: a file-like object copyfile reads.
    def __init__(self, data: bytes):
        self.data, self.read_at = data, 0

    def read(self, size=-1):
        chunk = self.data[self.read_at :] if size < 0 else self.data[self.read_at : self.read_at + size]
        self.read_at += len(chunk)
        return chunk

    def close(self):
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def first_search(site: Path, kind: str, query: str) -> Found:
    """Open the home page on a fresh throttled phone and search once; what it cost."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            context = browser.new_context(service_workers="block", **PHONE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})
            # Every finished request of the context, its workers' included (Pagefind searches in a worker).
            finished = []
            context.on("requestfinished", lambda request: finished.append(request))
            page.goto(url, wait_until="networkidle")
            if kind == "pagefind":
                page.click(".ta-search__open")
                field, result = "#ta-search-input", ".ta-search__result"
            else:
                page.click("label[for='__search']")
                field, result = ".md-search__input", ".md-search-result__item"
            # The whole query at once, from which the clock runs; Material's search listens for a key, so it gets one.
            start = time.perf_counter()
            page.fill(field, query)
            if kind == "lunr":
                page.press(field, "End")
            page.wait_for_selector(result, timeout=120_000)
            seconds = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            results = page.locator(result).count()
            prefixes = tuple(url + p for p in SEARCH_PATHS[kind])
            transferred = 0
            for request in finished:
                if request.url.startswith(prefixes):
                    sizes = request.sizes()
                    transferred += sizes["responseHeadersSize"] + sizes["responseBodySize"]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return Found(transferred, seconds, results)


def files_size(site: Path, kind: str) -> tuple[int, int]:
    """The search files on disk: bytes, and bytes as a host sends them (gzip for text, Pagefind's as they are)."""
    paths = [site / search.BUNDLE] if kind == "pagefind" else [site / "search"]
    total = sent = 0
    for folder in paths:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                total += len(data)
                sent += len(gzip.compress(data, 6)) if path.suffix in GZIP_TYPES else len(data)
    return total, sent


def lunr_site(bench, project: Path, count: int) -> Path:
    """The project's export built with Material's own search plugin and header: the reference."""
    from benchmarks.site import build, make_plain

    plain = make_plain(bench, project, "same")
    lunr = bench.work / f"lunr-{count}"
    if not lunr.exists():
        shutil.copytree(plain, lunr)
        for name in ("header.html", "search.html"):
            (lunr / "overrides" / "partials" / name).unlink(missing_ok=True)
        config = (lunr / "mkdocs.yml").read_text("utf-8").replace("plugins:\n", "plugins:\n  - search\n", 1)
        (lunr / "mkdocs.yml").write_text(config, "utf-8")
    site = bench.work / f"site-lunr-{count}"
    if not (site / "search" / "search_index.json").is_file():
        build(lunr, site)
    return site


def indexing_cpu(site: Path) -> float:
    """Pagefind's indexing of a built site, run again alone: its child process's CPU seconds."""
    start = os.times()
    search.write(site)
    end = os.times()
    return end.children_user + end.children_system - start.children_user - start.children_system


def section(bench, query: str = "refund") -> list[str]:
    """Pagefind and lunr at N and 10N stories: first search bytes and time, files, indexing cost."""
    from benchmarks.site import build, make_project

    lines = [
        "## Search on a phone: Pagefind against lunr",
        "",
        f"A fresh phone profile (no cache, no service worker), CPU throttled {CPU_THROTTLE}x, opens the home page and"
        f" searches for `{query}`; served with gzip as the nginx example does. Bytes are those of the search's own"
        " files over the wire; lunr loads its whole index when the page opens, Pagefind only on the first search.",
        "",
        "| stories | search | first search KB | first result s | results | search files KB (as sent) |"
        " precache KB | build CPU s | indexing CPU s | indexing / rest of build |",
        "|" + " --- |" * 10,
    ]
    summary = []
    for count in (bench.stories, 10 * bench.stories):
        project = make_project(bench, count)
        site = bench.work / f"site-project-{count}"
        built = build(project, site) if not (site / search.BUNDLE).is_dir() else None
        index_cpu = indexing_cpu(site)
        build_cpu = built.cpu if built else float("nan")
        rest = build_cpu - index_cpu
        ours = first_search(site, "pagefind", query)
        size, sent = files_size(site, "pagefind")
        kept = sum((site / f).stat().st_size for f in offline.precache(site))
        lines.append(
            f"| {count} | Pagefind | {ours.transferred / 1000:.0f} | {ours.seconds:.2f} | {ours.results} |"
            f" {size / 1000:.0f} ({sent / 1000:.0f}) | {kept / 1000:.0f} | {build_cpu:.1f} | {index_cpu:.1f} |"
            f" {index_cpu / rest:.3f} |"
        )
        lunr = lunr_site(bench, project, count)
        theirs = first_search(lunr, "lunr", query)
        size, sent = files_size(lunr, "lunr")
        lines.append(
            f"| {count} | lunr (Material) | {theirs.transferred / 1000:.0f} | {theirs.seconds:.2f} |"
            f" {theirs.results} | {size / 1000:.0f} ({sent / 1000:.0f}) | | | | |"
        )
        if count == 10 * bench.stories:
            summary.append(
                bench.target(
                    ours.transferred <= MAX_FIRST_SEARCH,
                    f"{count} stories: first search {ours.transferred / 1000:.0f} KB, target at most"
                    f" {MAX_FIRST_SEARCH / 1000:.0f} KB",
                )
            )
            summary.append(
                bench.target(
                    ours.seconds <= MAX_FIRST_RESULT,
                    f"{count} stories: first result in {ours.seconds:.2f} s at {CPU_THROTTLE}x throttle, target"
                    f" within {MAX_FIRST_RESULT:.0f} s",
                )
            )
    return [*lines, "", *(f"- {line}" for line in summary), ""]


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.search [--stories N] [--keep]`: the site bench with this section alone."""
    from benchmarks.site import main as bench_main

    return bench_main(["--only", "search", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
