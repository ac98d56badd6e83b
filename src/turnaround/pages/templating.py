"""The generated pages' Markdown, from Jinja templates a site can override.

Each generated page has a template in `pages/templates/` (`crosswalks.md.j2`
...). A site replaces one by a file of the same name in
`<theme.custom_dir>/turnaround/` (`overrides/turnaround/crosswalks.md.j2`
here), as Material's own templates are overridden. The Python beside each
template works out what the page says; the template says it. The generated
parts of a step's, a source's and a story's page have theirs too
(`step-parts.md.j2`, `source-parts.md.j2`, `story-parts.md.j2`), and so has
the Printable cards page (`cards.md.j2`).

Every `{{ value }}` is escaped as Markdown text unless it is already Markdown
(`Markup`, as the filters and the prepared blocks are), so an overriding
template cannot turn a story's title into markup by accident. Inside an
XHTML block (`{% filter xhtml %}`, Markdown does not read it) the values are
prepared XHTML already, and `a(label, uri)` writes a link.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..problems import FILE, Problem
from . import markdown as md


class TemplateFailure(Exception):
    """A template (a site's override, mostly) cannot be rendered: the problem names its file and line."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def render(kb, name: str, **context) -> str:
    """The Markdown of template `name` with `context` (`here`, the page's docs path, for relative links)."""
    env = environment(kb.settings.templates_dir)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as err:
        raise TemplateFailure(_problem(kb.root, env, name, err)) from None


def _problem(root: Path, env: jinja2.Environment, name: str, err: jinja2.TemplateError) -> Problem:
    # The file that failed (the override when there is one) and the template line Jinja points at.
    filename = getattr(err, "filename", None) or env.get_template(name).filename
    line = getattr(err, "lineno", None) or _traceback_line(err, filename) or 1
    path = Path(filename).resolve()
    shown = path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else name
    return Problem(shown, line, FILE, f"template `{name}`: {err.message or err}", "page-template")


def _traceback_line(err: Exception, filename: str) -> int | None:
    # A runtime error (an undefined value) carries its template line in the traceback Jinja rewrote.
    line = None
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@lru_cache(maxsize=4)
def environment(override: Path | None) -> jinja2.Environment:
    """The package's templates, behind a site's overrides when it has any."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("turnaround.pages", "templates")]
    if override is not None:
        loaders.insert(0, jinja2.FileSystemLoader(override))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # Markdown, not HTML: `_escaped` escapes a value as Markdown text first, and its Markup passes autoescape;
        # autoescape keeps what macros return as Markup.
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,  # a misspelt name in an override fails the build, named
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(text=lambda value: Markup(md.text(value)), plural=_plural, xhtml=_xhtml)
    env.globals.update(link=_link, a=_a, admonition=_admonition, anchor=_anchor)
    return env


def _escaped(value: object) -> Markup:
    # Prepared Markdown passes; anything else is text.
    if isinstance(value, Markup):
        return value
    return Markup(md.text(value))


def _plural(count: int, one: str, many: str | None = None) -> Markup:
    return Markup(md.text(md.plural(count, one, many)))


@jinja2.pass_context
def _link(context, label: str, to_uri: str) -> Markup:
    # A Markdown link from the page being rendered (`here`) to another docs page.
    return Markup(md.link(label, context["here"], to_uri))


@jinja2.pass_context
def _a(context, label: str, to_uri: str) -> Markup:
    # An XHTML link from the page being rendered to another docs page, for an XHTML block.
    return Markup(md.a(label, context["here"], to_uri))


def _xhtml(body: str) -> Markup:
    # `{% filter xhtml %}...{% endfilter %}`: the block's XHTML, wrapped for turnaround.pages.xhtml (its links checked).
    return Markup(md.xhtml(str(body).removesuffix("\n")) + "\n")


def _anchor(name: str) -> Markup:
    # attr_list's `{#id}` after a heading (written by hand, `{#` would open a Jinja comment).
    return Markup(f"{{#{name}}}")


def _admonition(kind: str, title: str, body: str) -> Markup:
    return Markup(md.admonition(kind, title, str(body)))
