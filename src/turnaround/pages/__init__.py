"""Pages generated from the metadata: checklists, story indexes, crosswalks.

`generated_pages` returns Markdown by docs-tree path, so the site build
checks their links like any written page; `decorate` adds the generated
parts of step, source and story pages.
"""

from __future__ import annotations

from .. import index
from ..cards import page as cards_page  # the /cards/ page lives beside the cards it shows
from ..problems import Problem
from . import checklists, contribute, crosswalks, entry_parts, evidence, review, snippets, stories
from .templating import TemplateFailure

# Each collection's template and the function that fills it in for one entry.
ENTRY_PARTS = {
    "stories": ("story-parts.md.j2", entry_parts.story_parts),
    "steps": ("step-parts.md.j2", entry_parts.step_parts),
    "sources": ("source-parts.md.j2", entry_parts.source_parts),
}
# Nav placeholders in mkdocs.yml that are filled with a collection's pages, in order.
NAV_COLLECTIONS = {"steps/": "steps", "sources/": "sources"}


def fill_nav(nav, kb):
    """Replace a nav entry `Title: steps/` by the collection's pages in order."""
    if not isinstance(nav, list):
        return nav
    filled = []
    for item in nav:
        if isinstance(item, dict):
            item = {title: _fill(value, kb) for title, value in item.items()}
        filled.append(item)
    return filled


def _fill(value, kb):
    if isinstance(value, str) and value in NAV_COLLECTIONS:
        return [entry.src_uri for entry in getattr(kb, NAV_COLLECTIONS[value])]
    if isinstance(value, list):
        return fill_nav(value, kb)
    return value


def builders() -> list:
    """The page builders: each takes the knowledge base and returns {docs path: Markdown}."""
    return [
        checklists.build,
        stories.build,
        crosswalks.build,
        evidence.build,
        review.build,
        cards_page.build,
        contribute.build,
    ]


def generated_pages(kb) -> dict[str, str]:
    """Markdown of every generated page, by its path in the docs tree (made once per knowledge base)."""
    memo = index.index_of(kb).memo
    if "pages" not in memo:
        pages: dict[str, str] = {}
        try:
            for build in builders():
                pages.update(build(kb))
            _try_entry_templates(kb)
        except TemplateFailure as err:
            memo["template failure"] = err.problem
            raise
        memo["pages"] = pages
    return memo["pages"]


def _try_entry_templates(kb) -> None:
    """A site's own step, source or story template, tried on every entry (raises TemplateFailure).

    The entry pages are decorated one by one later, during the build; tried here, a broken override
    is one located problem before any of them, as a broken page template is.
    """
    override = kb.settings.templates_dir
    if override is None:
        return
    found = index.index_of(kb)
    for collection, (name, part) in ENTRY_PARTS.items():
        if (override / name).is_file():
            for entry in getattr(kb, collection):
                part(found, entry, "")


def template_problems(kb) -> list[Problem]:
    """What a site's own templates break when the pages are rendered (none without overrides: nothing to render)."""
    if kb.settings.templates_dir is None:
        return []
    try:
        generated_pages(kb)
    except TemplateFailure as err:
        return [err.problem]
    return []


def decorate(kb, src_uri: str, markdown: str) -> tuple[dict, str]:
    """Extra page meta and the Markdown with generated parts, for an entry's page."""
    found = index.index_of(kb)
    entry = found.by_uri.get(src_uri)
    if entry is None:
        return {}, snippets.fill(kb, src_uri, markdown)
    try:
        return ENTRY_PARTS[entry.collection][1](found, entry, markdown)
    except TemplateFailure:
        if "template failure" in found.memo:
            # Reported already, by generated_pages: the build stops before it writes a page, the preview shows it.
            return {}, markdown
        raise
