"""Site search on Pagefind: what each page tells the index, and the index itself, written into a built site.

Pages say what they are in their meta, under `pagefind` (see `facts`): their kind
(checklist, step, story, source), a story's setting, failure type and outcome as
filters, and the words staff use for them (`aliases` of a step or a vocabulary
value) as weighted hidden text. The theme's `main.html` writes these into the
page as Pagefind's `data-pagefind-*` attributes, so the meta travels with an
exported page too. Pages with `search: exclude: true` (the story lists) are not
indexed: their stories have pages of their own.

`write(site)` runs Pagefind from its PyPI package (its binary ships in the wheel,
nothing is downloaded) over a built site, after every page is written: the
hooks' on_post_build, and `turnaround search-index SITE_DIR` for a site built
from the export. The bundle goes to Pagefind's default place, `pagefind/` under
the site root, where the site's search (docs/javascripts/search.js) loads it,
with `turnaround.json` beside it: the filters, and which kinds are guides.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import content, offline

BUNDLE = offline.PAGEFIND
# The kinds of page, as the Kind filter and the results name them; guides rank above stories for the same words.
CHECKLIST, STEP, STORY, SOURCE, PAGE = "Checklist", "Step", "Story", "Source", "Page"
KIND_FILTER = "Kind"
# The story fields staff filter by; their names are the facets' titles (Setting, Failure type, Outcome).
STORY_FILTERS = ("setting", "failure", "outcome")
# Pagefind weights (1 is body text, 7 an h1): the words staff use for a checklist or a step count like its title;
# a story's (its setting's, failure type's, outcome's) like its text.
ALIAS_WEIGHT = {CHECKLIST: 7.0, STEP: 7.0, STORY: 1.0, SOURCE: 1.0, PAGE: 1.0}
# The guides: their results come before stories for the same words, their scores counted this many times.
GUIDES = (CHECKLIST, STEP)
GUIDE_BOOST = 3
# What the site's search (docs/javascripts/search.js) reads from each bundle, written beside Pagefind's files.
UI_SETTINGS = "turnaround.json"


# The master checklist's result line and the words staff use for it.
MASTER_SUMMARY = "Every recovery step in order, one box to tick each, for any kind of failure."
MASTER_ALIASES = ("checklist", "what to do", "steps", "complaint", "unhappy customer")
# What Pagefind writes beside its library for its own search UIs, which the site does not use.
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
# Parts of a page that are no words of its own: the headings' permalink sign.
EXCLUDED = ".headerlink"


class SearchError(Exception):
    """Pagefind could not index the built site: the message names the folder and what Pagefind said."""


@dataclass
class Indexed:
    """What `write` made: the pages indexed and the bundle's size in bytes."""

    pages: int
    size: int


def facts(kind: str, summary: str = "", filters: dict[str, list[str]] | None = None, aliases=()) -> dict:
    """The `pagefind` meta of a page: its filters (its kind first), the summary its result shows and the words staff
    use for it (each once)."""
    words = list(dict.fromkeys(a.strip() for a in aliases if a.strip()))
    found = {"filters": {KIND_FILTER: [kind], **(filters or {})}}
    if summary:
        found["summary"] = summary
    if words:
        found |= {"aliases": words, "alias_weight": ALIAS_WEIGHT[kind]}
    return found


def story_facts(index, story) -> dict:
    """A story's kind, its setting, failure type and outcome as filters, and those values' aliases."""
    filters, words = {}, []
    for name in STORY_FILTERS:
        values = index.values(story, name)
        if values:
            filters[content.story_field(name).facet.title] = [index.label(name, v) for v in values]
    vocabularies = content.field_vocabularies()
    for name in (*STORY_FILTERS, "compensation"):
        terms = index.kb.vocab[vocabularies[name]]
        for value in index.values(story, name):
            words += terms[value].aliases if value in terms else ()
    return facts(STORY, story.summary, filters, words)


def step_facts(step) -> dict:
    return facts(STEP, step.summary, aliases=step.aliases)


def checklist_facts(term=None) -> dict:
    """The master checklist (no term) or a failure type's, with that type's description and aliases."""
    if term is None:
        return facts(CHECKLIST, MASTER_SUMMARY, aliases=MASTER_ALIASES)
    return facts(CHECKLIST, term.description, aliases=term.aliases)


def source_facts(source) -> dict:
    return facts(SOURCE, source.summary)


def write(site: Path) -> Indexed:
    """Index a built site with Pagefind into SITE/pagefind/ and SITE/pagefind-offline/; Pagefind's own complaint
    becomes a SearchError."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise SearchError(f"{site}: no index.html; build the site first")
    # The whole site's bundle, then the kept pages' alone, which phones keep for search with no signal.
    for bundle, pages in ((BUNDLE, None), (offline.OFFLINE_SEARCH, offline.kept_glob())):
        _pagefind(site, bundle, pages)
        (site / bundle / UI_SETTINGS).write_text(json.dumps(ui_settings(), indent=1) + "\n", "utf-8")
    bundle = site / BUNDLE
    files = [p for p in bundle.rglob("*") if p.is_file()]
    pages = len(list((bundle / "fragment").glob("*.pf_fragment")))
    return Indexed(pages, sum(p.stat().st_size for p in files))


def ui_settings() -> dict:
    """The search's filters in the order staff pick them (the kind first), the kinds that are guides and their boost,
    and the kind of a page with none."""
    filters = [KIND_FILTER, *(content.story_field(name).facet.title for name in STORY_FILTERS)]
    return {"filters": filters, "kind": KIND_FILTER, "page": PAGE, "guides": list(GUIDES), "guideBoost": GUIDE_BOOST}


def _pagefind(site: Path, bundle: str, pages: str | None) -> None:
    # One Pagefind run into SITE/bundle (of the pages the glob names, or all); its own complaint is a SearchError.
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", bundle]
    command += ["--exclude-selectors", EXCLUDED, "--silent", *(["--glob", pages] if pages else [])]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as err:
        raise SearchError(f"{site}: cannot run Pagefind: {err}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise SearchError(f"{site}: Pagefind failed ({done.returncode}): {' '.join(said[-3:]) or 'no message'}")
    # Pagefind's own UIs: the site has its own (search.js), and they name hosts a page must not load from.
    for name in UNUSED:
        for path in (site / bundle).glob(name):
            path.unlink()


def register(commands) -> None:
    index = commands.add_parser(
        "search-index", help="write the site search (Pagefind) into a built site (for a site built without hooks)"
    )
    index.add_argument("site", metavar="SITE_DIR", help="the built site, such as site/")
    index.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Index SITE_DIR; a folder that is no built site, or a Pagefind failure, exits 2."""
    try:
        done = write(Path(args.site))
    except SearchError as err:
        print(f"turnaround search-index: {err}", file=sys.stderr)
        return 2
    print(f"Wrote {BUNDLE}/ to {args.site}: {done.pages} pages indexed, {done.size / 1024:.0f} KiB.", file=sys.stderr)
    return 0
