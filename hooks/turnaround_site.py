"""MkDocs hooks: the thin layer between the build and the Turnaround core.

Each event hands the build's data to plain-Python functions in the
`turnaround` package and puts their results back; no logic lives here.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from turnaround import cards, loader, pages, safe_html

log = get_plugin_logger("turnaround")

# The knowledge base of the build in progress; reset in on_config because `serve` reuses the process.
kb = None


# Load and validate everything once per build (each file's own checks kept by content in .cache/checks/);
# every problem fails a strict build with check's message.
def on_config(config):
    global kb
    root = Path(config.config_file_path).resolve().parent
    try:
        kb = loader.load(root, cache=True)
    except OSError as err:
        raise PluginError(f"turnaround: cannot read the content: {err}") from None
    for problem in kb.problems:
        log.warning(str(problem))
    config.nav = pages.fill_nav(config.nav, kb)
    return config


# Bring the stories and the generated pages into the build; nothing is written into docs/.
def on_files(files, config):
    for story in kb.stories:
        file = File.generated(config, story.src_uri, abs_src_path=str(story.path), inclusion=InclusionLevel.NOT_IN_NAV)
        file.edit_uri = f"../{story.rel}"
        files.append(file)
    for uri, markdown in pages.generated_pages(kb).items():
        files.append(File.generated(config, uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV))
    _add_cards(files, config)
    return files


# The card PDFs (unchanged ones from the content-keyed cache), cards.json and the preview's assets, under cards/.
def _add_cards(files, config):
    root = Path(config.config_file_path).resolve().parent
    site_url = cards.configured_site_url(root)
    if not site_url:
        log.info(cards.NO_SITE_URL)
    try:
        result = cards.build(kb, site_url, cards.Cache(cards.default_dir(root)), cards.created_from_environment())
    except cards.CardError as err:
        raise PluginError(f"turnaround: {err}") from None
    for problem in result.problems:
        log.warning(str(problem))
    for uri, source in cards.site_files(result):
        files.append(File.generated(config, uri, inclusion=InclusionLevel.NOT_IN_NAV, **source))


# Add the generated parts of step, source and story pages (before Material's tags plugin reads the meta).
@event_priority(0)
def on_page_markdown(markdown, page, config, files):
    entry_meta, markdown = pages.decorate(kb, page.file.src_uri, markdown)
    page.meta.update(entry_meta)
    return markdown


# What the browser really gets: a story's, step's or source's rendered HTML must pass the allow-list.
def on_page_content(html, page, config, files):
    for problem in safe_html.check_built(kb, page.file.src_uri, html):
        log.warning(str(problem))
    return html
