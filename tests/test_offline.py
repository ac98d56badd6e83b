"""Offline: no page, stylesheet or script of the built site loads anything from another host.

A static scan of every file a browser would load; the browser journeys
(tests/browser/) record the requests actually made and check the same thing live.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Attributes that make a browser fetch something as soon as the page loads.
FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# <link> relations that are only names for the page, not resources the browser loads.
LINK_NOT_LOADED = {"canonical", "alternate", "author", "license", "help", "next", "prev", "search"}

# Hosts named in the theme's JavaScript that it would fetch while a page is read, each with the
# markup that triggers the fetch; none of these triggers may appear on any page.
RUNTIME_FETCHES = {
    "api.github.com": (
        'data-md-component="source"',
        "repository stars and forks, fetched by the header's source component",
    ),
    "${": ('data-md-component="source"', "a self-hosted forge's API (GitLab, Gitea), fetched by the same component"),
    "unpkg.com/mermaid": ('class="mermaid"', "the Mermaid library, fetched when a page has a diagram"),
    "unpkg.com/resize-observer-polyfill": (None, "fetched only by browsers without ResizeObserver (none we support)"),
}
# Hosts that appear in the theme's JavaScript only in licence headers, comments and error texts; never requested.
INERT_HOSTS = {
    "www.mozilla.org",
    "github.com",
    "snowball.tartarus.org",
    "code.google.com",
    "developer.mozilla.org",
    "clipboardjs.com",
    "bit.ly",
    "wiki.ecmascript.org",
    "wiki.commonjs.org",
    "underscorejs.org",
    "tartarus.org",
    "people.mozilla.org",
    "narwhaljs.org",
    "msdn.microsoft.com",
    "lunrjs.com",
    "en.wikipedia.org",
    "docs.python.org",
    "chasen.org",
    "www.w3.org",
    "example.com",  # Pagefind's pagefind.js and worker: a dummy base to parse a page's own path with `new URL`
}
URL_IN_TEXT = re.compile(r"\bhttps?://[^\s\"'`)<>\\]*", re.I)
# `@import "x.css"`; the `@import url(x.css)` form is found with every other url().
CSS_IMPORT = re.compile(r"@import\s+(['\"])([^'\"]+)\1", re.I)


def is_remote(url: str) -> bool:
    """Whether a URL leaves the site: a scheme that fetches over the network, or a protocol-relative host."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme.lower() in ("http", "https", "ftp", "ws", "wss")


def css_urls(css: str) -> list[str]:
    """Every url(...) and @import target of a stylesheet, data URIs read as one value."""
    urls = [m.group(2) for m in CSS_IMPORT.finditer(css)]
    for match in re.finditer(r"url\(\s*", css, re.I):
        rest = css[match.end() :]
        if rest[:1] in ("'", '"'):
            end = rest.find(rest[0], 1)
            urls.append(rest[1:end])
        else:
            urls.append(rest[: rest.find(")")].strip())
    return urls


class Loads(HTMLParser):
    """Everything a page makes the browser load, plus its inline styles and scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._inline_tag = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in FETCHING.get(tag, ()):
            value = attributes.get(name)
            if value:
                self.urls += (
                    [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
                )
        if tag == "link" and attributes.get("href"):
            relations = set((attributes.get("rel") or "").lower().split())
            if relations - LINK_NOT_LOADED or not relations:
                self.urls.append(attributes["href"])
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.urls.append((attributes.get("content") or "").partition("url=")[2])
        if attributes.get("style"):
            self.urls += css_urls(attributes["style"])
        if tag in ("style", "script") and not attributes.get("src"):
            self._inline_tag = tag

    def handle_endtag(self, tag):
        self._inline_tag = None

    def handle_data(self, data):
        if self._inline_tag == "style":
            self.urls += css_urls(data)
        elif self._inline_tag == "script":
            self.inline.append(data)


def files(site: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in suffixes)


@pytest.mark.slow
def test_no_page_loads_anything_from_another_host(built_site):
    remote = []
    pages = files(built_site, ".html")
    for page in pages:
        loads = Loads()
        loads.feed(page.read_text("utf-8"))
        remote += [f"{page.relative_to(built_site)}: {url}" for url in loads.urls if is_remote(url)]
        # Inline scripts carry configuration only; a URL there would be fetched by the theme.
        remote += [
            f"{page.relative_to(built_site)}: inline script {url}"
            for text in loads.inline
            for url in URL_IN_TEXT.findall(text)
        ]
    assert len(pages) >= 25
    assert remote == []


@pytest.mark.slow
def test_no_stylesheet_imports_or_references_another_host(built_site):
    sheets = files(built_site, ".css")
    assert sheets, "the theme's stylesheets are missing"
    remote = [
        f"{sheet.relative_to(built_site)}: {url[:80]}"
        for sheet in sheets
        for url in css_urls(sheet.read_text("utf-8"))
        if is_remote(url)
    ]
    assert remote == []


def test_no_web_fonts_are_configured():
    config = (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text("utf-8")
    assert re.search(r"^\s*font:\s*false\b", config, re.M), (
        "theme.font must stay false: Material would load Google Fonts"
    )


@pytest.mark.slow
def test_every_host_named_in_the_sites_javascript_is_inert_or_never_triggered(built_site):
    pages = {p: p.read_text("utf-8") for p in files(built_site, ".html")}
    unknown, triggered = [], []
    for script in files(built_site, ".js"):
        for url in URL_IN_TEXT.findall(script.read_text("utf-8", errors="replace")):
            host_and_path = url.split("://", 1)[1]
            # The host ends where its path, query or a template's `${...}` begins.
            host = re.split(r"[/?#$]", host_and_path, maxsplit=1)[0]
            fetch = next((key for key in RUNTIME_FETCHES if host_and_path.startswith(key)), None)
            if fetch:
                trigger = RUNTIME_FETCHES[fetch][0]
                triggered += [
                    f"{page.relative_to(built_site)} has `{trigger}`, which makes the theme fetch {url}"
                    for page, text in pages.items()
                    if trigger and trigger in text
                ]
            elif host and host not in INERT_HOSTS:
                unknown.append(f"{script.relative_to(built_site)}: {url}")
    assert triggered == []
    # A new host here comes with a theme upgrade: find out whether it is fetched, then list it above.
    assert sorted(set(unknown)) == []


@pytest.mark.parametrize(
    "url, remote",
    [
        ("https://fonts.googleapis.com/css", True),
        ("//cdn.example/x.js", True),
        ("../assets/x.css", False),
        ("data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'/>", False),
        ("#top", False),
    ],
)
def test_the_scanner_tells_remote_from_local(url, remote):
    assert is_remote(url) is remote


def test_the_scanner_sees_a_planted_remote_script_font_and_import():
    loads = Loads()
    loads.feed(
        '<script src="https://cdn.example/a.js"></script><link rel="stylesheet" href="//fonts.example/f.css">'
        '<link rel="canonical" href="https://kb.example/"><style>@import url("https://x.example/y.css");</style>'
        '<div style="background:url(https://img.example/b.png)"></div>'
    )
    assert [u for u in loads.urls if is_remote(u)] == [
        "https://cdn.example/a.js",
        "//fonts.example/f.css",
        "https://x.example/y.css",
        "https://img.example/b.png",
    ]
