"""MkDocs hooks: the thin layer between the build and the Turnaround core.

The build in progress lives on one object, `state` (a `Build`); each MkDocs
event below is one of its methods, which hands the build's data to
plain-Python functions in the `turnaround` package and puts their results
back. No logic lives here.

Problems. Every problem the build finds is a `turnaround.problems.Problem` on
`state.problems`: the check's (on_config), the cards' (on_files) and the
allow-list's over each page's rendered HTML (on_page_content). An event that
finds more while pages render adds them the same way (`self.problems.extend`).
In `on_env`, after every page is rendered and before MkDocs writes any file,
they are raised together as one PluginError, one `path:LINE: ...` line each as
`turnaround check` prints them. So a build with a problem never publishes,
whatever the log level (`-q`, `-v`) and strict or not: what check rejects, no
build publishes. MkDocs' own warnings (its link checks) stay MkDocs' business.
A problem added after on_env (on_page_context, on_post_page...) comes too late.

`mkdocs serve` is a preview for the contributor, not a publication: there the
problems do not stop the server. They are logged, and each page shows them at
its top (a page with a problem of its own shows only them), so the contributor
sees what to fix, and the page comes back as soon as the file is saved again.
"""

from __future__ import annotations

import gc
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from turnaround import build_problems, cards, loader, offline, options, pages, safe_html, search
from turnaround.problems import Problem
from turnaround.repository import Settings


class Build:
    """The build in progress: its command, its address, its knowledge base and every problem found."""

    log = get_plugin_logger("turnaround")

    def __init__(self):
        self.command = "build"
        self.settings = Settings()  # extra.turnaround in mkdocs.yml, validated (turnaround.options)
        self.kb = None
        self.verdicts = safe_html.Verdicts(None)  # the allow-list's verdicts on built pages, kept by their HTML
        self.problems: list[Problem] = []

    # Once per `mkdocs` command (serve keeps this object for every rebuild).
    def on_startup(self, command, dirty):
        self.command = command

    # Load and validate everything once per build (each file's own checks kept by content in .cache/checks/).
    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        try:
            self.settings = options.settings(config)
            # `mkdocs serve` put its own address in site_url: the cards keep the one mkdocs.yml (or SITE_URL) sets.
            if options.serving_address(config) and self.settings.site_url == config.site_url:
                self.settings = options.load(Path(config.config_file_path))
        except options.BadOptions as err:
            raise PluginError(f"turnaround: {err}") from None
        # The last build's knowledge base (`mkdocs serve`) may be collected again.
        gc.unfreeze()
        try:
            self.kb = loader.load(root, cache=True, settings=self.settings)
        except OSError as err:
            raise PluginError(f"turnaround: cannot read the content: {err}") from None
        self.problems = list(self.kb.problems)
        self.verdicts = safe_html.Verdicts.open(root)
        # The knowledge base lives for the whole build: frozen, the garbage collector stops walking it again.
        gc.freeze()
        config.nav = pages.fill_nav(config.nav, self.kb)
        # Edit links only into a deployment's own repository (REPO_URL): never a relative or placeholder one.
        if not config.repo_url:
            config.edit_uri = None
        return config

    # Bring the stories and the generated pages into the build; nothing is written into docs/.
    def on_files(self, files, config):
        for story in self.kb.stories:
            file = File.generated(
                config, story.src_uri, abs_src_path=str(story.path), inclusion=InclusionLevel.NOT_IN_NAV
            )
            file.edit_uri = f"../{story.rel}"
            files.append(file)
        try:
            generated = pages.generated_pages(self.kb)
        except pages.TemplateFailure as err:
            self.problems.append(err.problem)
            generated = {}
        for uri, markdown in generated.items():
            files.append(File.generated(config, uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV))
        self._add_cards(files, config)
        # So do the generated pages and the cards' records.
        gc.freeze()
        return files

    # The card PDFs (unchanged ones from the content-keyed cache), cards.json and the preview's assets, under cards/.
    def _add_cards(self, files, config):
        if not self.kb.site_url:
            self.log.info(cards.NO_SITE_URL)
        cache = cards.Cache(cards.default_dir(self.kb.root, self.settings.cache_dir))
        try:
            result = cards.build(self.kb, self.kb.site_url, cache, cards.created_from_environment())
        except cards.CardError as err:
            self.problems.append(cards.failure(err))
            return
        self.problems.extend(result.problems)
        for uri, source in cards.site_files(result):
            where = {"abs_src_path": str(source)} if isinstance(source, Path) else {"content": source}
            files.append(File.generated(config, uri, inclusion=InclusionLevel.NOT_IN_NAV, **where))

    # Add the generated parts of step, source and story pages (before Material's tags plugin reads the meta).
    @event_priority(0)
    def on_page_markdown(self, markdown, page, config, files):
        entry_meta, markdown = pages.decorate(self.kb, page.file.src_uri, markdown)
        page.meta.update(entry_meta)
        return markdown

    # What the browser really gets: a story's, step's or source's rendered HTML must pass the allow-list (a page
    # whose HTML is unchanged since the last build keeps its verdict).
    def on_page_content(self, html, page, config, files):
        self.problems.extend(safe_html.check_built(self.kb, page.file.src_uri, html, self.verdicts))
        return html

    # Every page is rendered, no file is written yet: a build with problems stops here. First of the on_env
    # events, as Material's tags plugin writes tags.json in its own (priority 100).
    @event_priority(1000)
    def on_env(self, env, config, files):
        self.verdicts.save()
        if self.problems and not self.serving:
            raise PluginError(build_problems.report(self.problems, build_problems.NOT_PUBLISHED))
        # INFO, not WARNING: MkDocs' strict mode would stop the preview on a warning, and the pages show them.
        if self.problems:
            self.log.info(build_problems.report(self.problems, build_problems.IN_PREVIEW))
        return env

    # The preview only (no build gets here with a problem): the problems at the top of each page.
    def on_page_context(self, context, page, config, nav):
        if self.problems:
            page.content = build_problems.preview_content(
                self.problems, self.kb.root, page.file.abs_src_path, page.content or ""
            )
        return context

    # Every page is written: the search index (Pagefind), then the manifest and the service worker that keeps
    # the staff's pages and their search offline.
    def on_post_build(self, config):
        try:
            indexed = search.write(Path(config.site_dir))
        except search.SearchError as err:
            raise PluginError(f"turnaround: {err}") from None
        self.log.debug(f"search: {indexed.pages} pages indexed, {indexed.size} bytes")
        try:
            done = offline.write(Path(config.site_dir), config.site_name, config.site_description or "")
        except offline.OfflineError as err:
            raise PluginError(f"turnaround: {err}") from None
        self.log.debug(f"offline: {len(done.files)} files precached, {done.size} bytes, version {done.version}")

    @property
    def serving(self) -> bool:
        return self.command == "serve"


# MkDocs calls the module's on_* functions: they are the methods of the one state object.
state = Build()
on_startup = state.on_startup
on_config = state.on_config
on_files = state.on_files
on_page_markdown = state.on_page_markdown
on_page_content = state.on_page_content
on_env = state.on_env
on_page_context = state.on_page_context
on_post_build = state.on_post_build
