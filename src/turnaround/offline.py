"""Offline and installable: the web app manifest and the service worker, written into a built site.

`write(site, name, description)` runs after every page is written (the hooks' on_post_build, and
`turnaround offline SITE_DIR` for a site built from the export, which runs no hooks). It writes:

- `manifest.webmanifest`: name, start URL and scope (the site's own folder, so a sub-path works),
  standalone display, theme colour and the icons in docs/images/icons/.
- `sw.js`, from the package's template: the precache list (home, how to use, every checklist, every
  step page, the stylesheets, scripts, fonts and images those load, the manifest and its icons, and,
  when the site has one, the offline search bundle: Pagefind's index of those pages alone), and a
  cache name made of a digest of every precached byte. A new deployment changes the digest, so its
  worker fills a new cache and deletes the old ones on activation.

Every URL in sw.js is relative to sw.js itself, which stands at the site's root, so the same files
work at the root of a host and under a sub-path. Identical sites give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import content

SERVICE_WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
# The icons under docs/images/icons/ (an SVG and the two PNG sizes browsers ask for): name, size, type.
ICONS = (
    ("images/icons/icon.svg", "any", "image/svg+xml"),
    ("images/icons/icon-192.png", "192x192", "image/png"),
    ("images/icons/icon-512.png", "512x512", "image/png"),
)
# The primary colour of the site's palette (docs/stylesheets/contrast.css), for the phone's title bar.
THEME_COLOR = "#00796b"
BACKGROUND_COLOR = "#ffffff"
# The pages staff need with no signal, by their folder in the built site ("" is the home page).
PAGE_FOLDERS = ("", "how-to-use", posixpath.dirname(content.CHECKLISTS))
# Folders whose every page is precached: each checklist and each step.
PAGE_COLLECTIONS = (posixpath.dirname(content.CHECKLISTS), "steps")
# Pagefind's bundles: the whole site's, and the kept pages' alone, which the phone keeps for search offline.
PAGEFIND = "pagefind"
OFFLINE_SEARCH = "pagefind-offline"
# <link> relations whose target the browser loads with the page.
LOADED_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload", "modulepreload"}
CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)", re.I)


class OfflineError(Exception):
    """The built site cannot get its service worker: the message names the file."""


@dataclass
class Offline:
    """What `write` made: the precached files (site paths), their bytes, and the cache version."""

    files: list[str] = field(default_factory=list)
    size: int = 0
    version: str = ""


def write(site: Path, name: str, description: str = "") -> Offline:
    """Write the manifest and the service worker into a built site; the result says what is precached."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise OfflineError(f"{site}: no index.html; build the site first")
    # The manifest first: it is precached, so its bytes are part of the version.
    (site / MANIFEST).write_text(manifest(name, description), "utf-8")
    files = precache(site)
    version = digest(site, files)
    (site / SERVICE_WORKER).write_text(service_worker(files, version), "utf-8")
    return Offline(files, sum((site / f).stat().st_size for f in files), version)


def manifest(name: str, description: str = "") -> str:
    """The web app manifest: URLs relative to the manifest, which stands at the site's root."""
    data = {
        "name": name,
        "short_name": name,
        "description": description,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": src, "sizes": sizes, "type": kind, "purpose": "any maskable" if kind == "image/png" else "any"}
            for src, sizes, kind in ICONS
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def precache(site: Path) -> list[str]:
    """The site paths a phone keeps after its first visit, sorted: pages, what they load, search."""
    pages = pages_to_keep(site)
    found = set(pages) | {MANIFEST} | {src for src, _s, _t in ICONS if (site / src).is_file()}
    for page in pages:
        found |= loaded_by(site, page)
    # Stylesheets load fonts and images of their own.
    for sheet in sorted(f for f in found if f.endswith(".css")):
        found |= css_loads(site, sheet)
    if (site / OFFLINE_SEARCH).is_dir():
        found |= search_files(site)
    return sorted(found)


def pages_to_keep(site: Path) -> list[str]:
    """The home page, how to use, the checklists' index, every checklist and every step page."""
    pages = [posixpath.join(folder, "index.html") if folder else "index.html" for folder in PAGE_FOLDERS]
    for folder in PAGE_COLLECTIONS:
        pages += [p.relative_to(site).as_posix() for p in sorted((site / folder).glob("*/index.html"))]
    return sorted({p for p in pages if (site / p).is_file()})


class _Loads(HTMLParser):
    # The URLs a page makes the browser load as it opens: scripts, stylesheets, icons, images.
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        elif tag == "link" and set(attributes.get("rel", "").lower().split()) & LOADED_LINKS:
            self.urls.append(attributes.get("href", ""))
        elif tag in ("img", "source"):
            self.urls.append(attributes.get("src", ""))
            self.urls += [part.split()[0] for part in attributes.get("srcset", "").split(",") if part.strip()]
        if "url(" in attributes.get("style", ""):
            self.urls += [m.group(2) for m in CSS_URL.finditer(attributes["style"])]


def loaded_by(site: Path, page: str) -> set[str]:
    """The site's own files a page loads (another host's, data: and missing files left out)."""
    parser = _Loads()
    parser.feed((site / page).read_text("utf-8", errors="replace"))
    return {path for url in parser.urls if (path := local_file(site, page, url))}


def css_loads(site: Path, sheet: str) -> set[str]:
    """The site's own files a stylesheet loads with url()."""
    text = (site / sheet).read_text("utf-8", errors="replace")
    return {path for m in CSS_URL.finditer(text) if (path := local_file(site, sheet, m.group(2)))}


def local_file(site: Path, base: str, url: str) -> str | None:
    """The site path a URL on `base` points to, when it is a file of this site; else None."""
    parts = urlsplit(url.strip())
    if not parts.path or parts.scheme or parts.netloc or parts.path.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    if path.startswith("../") or path == "..":
        return None
    if (site / path).is_dir():
        path = posixpath.join(path, "index.html")
    return path if (site / path).is_file() else None


# ---------------------------------------------------------------- Pagefind


def search_files(site: Path) -> set[str]:
    """The offline search bundle, whole: Pagefind's library, wasm, metadata, filters, index and fragments of the
    kept pages alone (search.py writes it beside the site's own), so it does not grow with the stories."""
    bundle = site / OFFLINE_SEARCH
    wasm = {f"wasm.{lang}.pagefind" for lang in languages(bundle)}
    return {
        p.relative_to(site).as_posix()
        for p in bundle.rglob("*")
        if p.is_file() and (not p.name.startswith("wasm.") or p.name in wasm)
    }


def kept_glob() -> str:
    """The pages kept offline, as the glob Pagefind indexes the offline search bundle with."""
    pages = [posixpath.join(folder, "index.html") if folder else "index.html" for folder in PAGE_FOLDERS]
    pages += [f"{folder}/*/index.html" for folder in PAGE_COLLECTIONS]
    return "{" + ",".join(pages) + "}"


def languages(bundle: Path) -> list[str]:
    """The wasm languages Pagefind's entry file names (one per language of the site's pages)."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        raise OfflineError(f"{bundle}/pagefind-entry.json: not a Pagefind entry file") from None
    found = entry.get("languages", {}) if isinstance(entry, dict) else {}
    return sorted({str(lang.get("wasm")) for lang in found.values() if isinstance(lang, dict) and lang.get("wasm")})


# ---------------------------------------------------------------- the worker


def url_of(path: str) -> str:
    """A site path as the worker asks for it, relative to sw.js: `steps/listen/` for its index.html."""
    if path == "index.html":
        return "./"
    return path.removesuffix("index.html") if path.endswith("/index.html") else path


def digest(site: Path, files: list[str]) -> str:
    """A digest of every precached file's path and bytes: the cache's version."""
    total = hashlib.sha256()
    for path in files:
        total.update(path.encode("utf-8") + b"\0" + hashlib.sha256((site / path).read_bytes()).digest())
    return total.hexdigest()[:16]


def service_worker(files: list[str], version: str) -> str:
    """sw.js: the package's template with the cache version and the precache list filled in."""
    template = resources.files("turnaround").joinpath("templates", SERVICE_WORKER).read_text("utf-8")
    urls = json.dumps([url_of(f) for f in files], indent=2)
    return template.replace("__VERSION__", version).replace("__PRECACHE__", urls)


# ---------------------------------------------------------------- command line


def register(commands) -> None:
    offline = commands.add_parser(
        "offline",
        help="write the service worker and web app manifest into a built site (for a site built without hooks)",
    )
    offline.add_argument("site", metavar="SITE_DIR", help="the built site, such as site/")
    offline.add_argument(
        "-f", "--config-file", default="mkdocs.yml", help="the mkdocs.yml the site was built from (its name)"
    )
    offline.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write sw.js and manifest.webmanifest into SITE_DIR; a folder that is no built site exits 2."""
    from .options import site_names

    name, description = site_names(Path(args.config_file))
    try:
        done = write(Path(args.site), name, description)
    except OfflineError as err:
        print(f"turnaround offline: {err}", file=sys.stderr)
        return 2
    print(
        f"Wrote {SERVICE_WORKER} and {MANIFEST} to {args.site}: {len(done.files)} files precached, "
        f"{done.size / 1024:.0f} KiB, version {done.version}.",
        file=sys.stderr,
    )
    return 0
