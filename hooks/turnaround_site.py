"""MkDocs hooks: the thin layer between the build and the Turnaround core.

The state of the build in progress lives on one object, `site`; each MkDocs
event below is one of its methods, which hands the build's data to
plain-Python functions in the `turnaround` package and puts their results
back. No logic lives here.

Problems. Every problem the build finds is a `turnaround.problems.Problem`
on `site.problems`: the check's (on_config), the cards' (on_files), and any
an event finds while pages render, added with `site.problems.extend(...)`
(for example in an `on_page_content` method). In `on_env`, after every page
is rendered and before MkDocs writes any file, they are raised together as
one PluginError, one `path:LINE: ...` line each as `turnaround check` prints
them. So a build with a problem never publishes, whatever the log level
(`-q`, `-v`) and whether or not it is strict: what check rejects, no build
publishes. MkDocs' own warnings (its link checks) stay MkDocs' business.

`mkdocs serve` is a preview for the contributor, not a publication: there
the problems do not stop the server. They are logged, and each page shows
them at its top, a page with a problem of its own in place of its content,
so the contributor sees what to fix and the page comes back as soon as the
file is saved again.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from turnaround import cards, loader, pages
from turnaround.problems import FILE, Problem, sort_problems

log = get_plugin_logger("turnaround")


class Site:
    """The build in progress: its command, its address, its knowledge base and every problem found."""

    def __init__(self):
        self.command = "build"
        self.site_url: str | None = None  # the address QR codes point to (never `mkdocs serve`'s own)
        self.kb = None
        self.problems: list[Problem] = []

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    # Once per `mkdocs` command (serve reuses this object for every rebuild).
    def on_startup(self, command, dirty):
        self.command = command

    # Load and validate everything once per build (each file's own checks kept by content in .cache/checks/).
    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        self.site_url = _configured_site_url(config, root)
        try:
            self.kb = loader.load(root, cache=True, site_url=self.site_url)
        except OSError as err:
            raise PluginError(f"turnaround: cannot read the content: {err}") from None
        self.problems = list(self.kb.problems)
        config.nav = pages.fill_nav(config.nav, self.kb)
        # Edit links only into a deployment's own repository (REPO_URL): never a relative or placeholder one.
        if not config.repo_url:
            config.edit_uri = None
        return config

    # Bring the stories and the generated pages into the build; nothing is written into docs/.
    def on_files(self, files, config):
        for story in self.kb.stories:
            file = File.generated(config, story.src_uri, abs_src_path=str(story.path), inclusion=InclusionLevel.NOT_IN_NAV)
            file.edit_uri = f"../{story.rel}"
            files.append(file)
        for uri, markdown in pages.generated_pages(self.kb).items():
            files.append(File.generated(config, uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV))
        self._add_cards(files, config)
        return files

    # The card PDFs (unchanged ones from the content-keyed cache), cards.json and the preview's assets, under cards/.
    def _add_cards(self, files, config):
        if not self.site_url:
            log.info(cards.NO_SITE_URL)
        try:
            result = cards.build(self.kb, self.site_url, cards.Cache(cards.default_dir(self.kb.root)), cards.created_from_environment())
        except cards.CardError as err:
            # No PDF to publish; the error is reported with the others (located at the cards' package, as it names no file).
            self.problems.append(Problem("src/turnaround/cards", 1, FILE, f"the card PDFs cannot be made: {str(err).removeprefix('cards: ')}", "cards-failed"))
            return
        self.problems += result.problems
        for uri, source in cards.site_files(result):
            files.append(File.generated(config, uri, inclusion=InclusionLevel.NOT_IN_NAV, **source))

    # Add the generated parts of step, source and story pages (before Material's tags plugin reads the meta).
    @event_priority(0)
    def on_page_markdown(self, markdown, page, config, files):
        entry_meta, markdown = pages.decorate(self.kb, page.file.src_uri, markdown)
        page.meta.update(entry_meta)
        return markdown

    # Every page is rendered, no file is written yet: a build with problems stops here. First of the on_env
    # events, as Material's tags plugin writes tags.json in its own (priority 100).
    @event_priority(1000)
    def on_env(self, env, config, files):
        self.problems = sort_problems(self.problems)
        if self.problems and not self.serving:
            raise PluginError(f"turnaround: {report(self.problems, 'so the site is not published')}")
        if self.problems:
            log.info(report(self.problems, "shown on the preview's pages; `make site` fails until they are fixed"))
        return env

    # The preview only (serve): the problems at the top of each page; a page with its own problems shows only them.
    def on_page_context(self, context, page, config, nav):
        if self.problems:
            own = page.file.abs_src_path and _rel(self.kb.root, page.file.abs_src_path)
            mine = [p for p in self.problems if p.path == own]
            page.content = problems_html(self.problems) + ("" if mine else page.content or "")
        return context


def report(problems: list[Problem], consequence: str) -> str:
    """Every problem as `turnaround check` prints it, one a line, after what follows from them."""
    lines = "\n".join(str(problem) for problem in problems)
    return f"{len(problems)} problem(s), {consequence} (`turnaround check` lists them too):\n{lines}"


def problems_html(problems: list[Problem]) -> str:
    """The preview's notice of the problems, escaped (a problem may quote the content)."""
    items = "".join(f"<li><code>{escape(str(problem))}</code></li>" for problem in problems)
    return f'<div class="admonition failure"><p class="admonition-title">This preview has {len(problems)} problem(s); the site build fails until they are fixed</p><ul>{items}</ul></div>'


def _configured_site_url(config, root: Path) -> str | None:
    """config.site_url, unless `mkdocs serve` put its own address there: then the one mkdocs.yml (or SITE_URL) sets."""
    host, port = config.dev_addr
    if config.site_url and urlsplit(config.site_url).netloc == f"{host}:{port}":
        return cards.configured_site_url(root)
    return config.site_url or None


def _rel(root: Path, path: str) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return ""


# MkDocs calls the module's on_* functions: they are the methods of the one state object.
site = Site()
on_startup = site.on_startup
on_config = site.on_config
on_files = site.on_files
on_page_markdown = site.on_page_markdown
on_env = site.on_env
on_page_context = site.on_page_context
