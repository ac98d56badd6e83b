"""An independent check of a built site: every internal link and anchor resolves.

MkDocs checks the links it sees in Markdown; this reads the HTML that was
actually written (theme chrome, raw HTML and generated pages included), the way
a browser or a web server would: every internal `href`/`src`/`srcset` must name
a file in the site folder, and every `#anchor` an `id` on the target page.
External URLs are only listed (and fetched on request, never by `make test`).
"""

from __future__ import annotations

import argparse
import json
import posixpath
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# The attributes that make a browser fetch or navigate, by element.
LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
}
# Schemes that name no file of the site and are not fetched over the network.
INERT_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:", "blob:", "about:")
# Classes of theme buttons whose external targets are not content (the "edit this page" button).
CHROME_CLASSES = {"md-content__button"}


@dataclass(frozen=True)
class Link:
    """One reference found on a page."""

    page: str  # the page's path in the site, e.g. `steps/listen/index.html`
    line: int
    url: str
    in_content: bool  # inside the page's <article>, not the theme's chrome


@dataclass(frozen=True)
class Broken:
    link: Link
    reason: str

    def __str__(self) -> str:
        return f"{self.link.page}:{self.link.line}: `{self.link.url}`: {self.reason}"


@dataclass
class Report:
    """What a scan of the site found."""

    pages: int = 0
    checked: int = 0  # internal links and anchors resolved
    broken: list[Broken] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)  # URL -> pages citing it in content

    @property
    def ok(self) -> bool:
        return not self.broken


class _PageParser(HTMLParser):
    """Collects a page's ids and the links it makes, with their lines."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.ids: set[str] = set()
        self.links: list[Link] = []
        self.config: str | None = None  # Material's `__config` JSON
        self.lunr = False  # the page has Material's search box, which loads the worker and index `__config` names
        self._in_config = False
        self._article_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.ids.add(attributes[name])
        if tag == "article":
            self._article_depth += 1
        if tag == "script" and attributes.get("id") == "__config":
            self._in_config = True
        if attributes.get("data-md-component") == "search":
            self.lunr = True
        # The site's own search loads Pagefind's library from the folder it names.
        if "data-ta-search" in attributes and attributes.get("data-bundle"):
            bundle = attributes["data-bundle"]
            self.links.append(Link(self.page, self.getpos()[0], bundle.rstrip("/") + "/pagefind.js", False))
        classes = set((attributes.get("class") or "").split())
        in_content = self._article_depth > 0 and not classes & CHROME_CLASSES
        line = self.getpos()[0]
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            value = attributes.get(attribute)
            if value is None:
                continue
            urls = _srcset(value) if attribute == "srcset" else [value.strip()]
            self.links += [Link(self.page, line, url, in_content) for url in urls]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "article":
            self._article_depth -= 1

    def handle_endtag(self, tag):
        if tag == "article" and self._article_depth:
            self._article_depth -= 1
        if tag == "script":
            self._in_config = False

    def handle_data(self, data):
        if self._in_config:
            self.config = (self.config or "") + data


def _srcset(value: str) -> list[str]:
    # "a.png 1x, b.png 2x": the URL is the first word of each candidate.
    return [part.split()[0] for part in value.split(",") if part.strip()]


def parse(path: Path, page: str) -> _PageParser:
    parser = _PageParser(page)
    parser.feed(path.read_text("utf-8", errors="replace"))
    parser.close()
    return parser


def scan(site: Path, base: str = "/") -> Report:
    """Check every HTML page of a built site; `base` is the URL path the site is served under."""
    site = site.resolve()
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    report = Report()
    parsed: dict[str, _PageParser] = {}
    # Read every page once, so anchors on any page are known before links are resolved.
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        parsed[page] = parse(path, page)
    report.pages = len(parsed)
    for parser in parsed.values():
        for link in parser.links + _config_links(parser):
            reason = _resolve(site, base, link, parsed, report)
            if reason:
                report.broken.append(Broken(link, reason))
    return report


def _config_links(parser: _PageParser) -> list[Link]:
    # Material's JavaScript loads its search worker and the search index from the page's `__config`, when the page
    # has Material's search box (its search plugin is on).
    if not parser.config or not parser.lunr:
        return []
    try:
        config = json.loads(parser.config)
    except ValueError:
        return [Link(parser.page, 1, "__config", False)]
    links = []
    if config.get("search"):
        links.append(Link(parser.page, 1, config["search"], False))
        links.append(Link(parser.page, 1, posixpath.join(config.get("base", "."), "search/search_index.json"), False))
    return links


def _resolve(site: Path, base: str, link: Link, parsed: dict[str, _PageParser], report: Report) -> str | None:
    """Why a link does not resolve, or None; external links are recorded, not checked."""
    url = link.url
    if link.url == "__config":
        return "Material's `__config` is not valid JSON"
    if not url or url.lower().startswith(INERT_SCHEMES):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.scheme in ("http", "https", "") and link.in_content:
            report.external.setdefault(url, [])
            if link.page not in report.external[url]:
                report.external[url].append(link.page)
        return None
    report.checked += 1
    if not parts.path:
        target = link.page
    else:
        here = posixpath.dirname("/" + link.page)
        path = unquote(parts.path)
        if path.startswith("/"):
            # A site-absolute path must lie under the base path the site is served from.
            if not (path + "/").startswith(base):
                return f"points outside the site's base path `{base}`"
            path = "/" + path[len(base) :]
        absolute = posixpath.normpath(posixpath.join(here, path))
        if absolute.startswith("/.."):
            return "climbs above the site's root folder"
        target = absolute.lstrip("/")
        file = site / target if target not in ("", ".") else site
        if file.is_dir() or parts.path.endswith("/"):
            target = posixpath.join(target, "index.html") if target not in ("", ".") else "index.html"
        if not (site / target).is_file():
            return "no such file in the site"
    anchor = unquote(parts.fragment)
    if anchor and target.endswith(".html"):
        if target not in parsed:
            return "anchor on a page that was not scanned"
        if anchor not in parsed[target].ids:
            return f"no element with id `{anchor}` on {target}"
    return None


def fetch(urls: Iterable[str], timeout: float = 15.0) -> dict[str, str]:
    """Request each external URL once; the value is "ok" or what went wrong."""
    results = {}
    for url in urls:
        request = urllib.request.Request(url, method="GET", headers={"User-Agent": "turnaround-linkcheck"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                results[url] = "ok" if response.status < 400 else f"HTTP {response.status}"
        except urllib.error.HTTPError as err:
            results[url] = f"HTTP {err.code}"
        except (urllib.error.URLError, OSError, ValueError) as err:
            results[url] = f"unreachable ({getattr(err, 'reason', err)})"
    return results


def cmd_links(args: argparse.Namespace) -> int:
    """Check the built site's internal links; with --external, list (and --fetch) external ones."""
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"turnaround: {site} holds no built site (no index.html); run `make site` first", file=sys.stderr)
        return 2
    report = scan(site, args.base)
    for broken in report.broken:
        print(broken)
    if args.external:
        results = fetch(sorted(report.external)) if args.fetch else {}
        for url in sorted(report.external):
            status = f"  [{results[url]}]" if url in results else ""
            print(f"{url}{status}  (on {', '.join(report.external[url])})")
        failed = [url for url, status in results.items() if status != "ok"]
        print(
            f"{len(report.external)} external link(s) in the content"
            + (f"; {len(failed)} failed" if args.fetch else ""),
            file=sys.stderr,
        )
        if failed:
            return 1
    print(
        f"{report.checked} internal link(s) and anchor(s) checked on {report.pages} page(s); {len(report.broken)} "
        f"broken.",
        file=sys.stderr,
    )
    return 1 if report.broken else 0


def register(commands) -> None:
    links = commands.add_parser(
        "links", help="check every internal link and anchor of a built site; exit 0 clean, 1 broken"
    )
    links.add_argument("site", nargs="?", default="site", help="the built site folder (default: site)")
    links.add_argument("--base", default="/", help="the URL path the site is served under, e.g. /kb/ (default: /)")
    links.add_argument("--external", action="store_true", help="also list the external links found in the content")
    links.add_argument(
        "--fetch", action="store_true", help="with --external: request each external link and report failures"
    )
    links.set_defaults(run=cmd_links)
