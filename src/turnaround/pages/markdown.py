"""Small writers for generated pages: escaped text, relative links, tables, XHTML rows.

Generated pages are Markdown so that the site build checks their links; every
link is a relative `.md` path from the page's own place in the docs tree. Lists
that grow with the number of stories are written as XHTML blocks (see xhtml.py):
MkDocs checks their links the same way, at a fraction of the cost.
"""

from __future__ import annotations

import html
import re

import yaml

from .xhtml import block as xhtml  # noqa: F401  (re-exported: pages build story lists with md.xhtml)

# Characters that would turn plain text into markup (Python-Markdown's escapable ones); `|` would end a table cell.
_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|])")


def text(value: object) -> str:
    """Plain text made safe to drop into Markdown, table cells included."""
    escaped = _SPECIAL.sub(r"\\\1", str(value))
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.split())


def href(from_uri: str, to_uri: str) -> str:
    """The relative path from one docs-tree page to another, e.g. `../steps/listen.md`.

    Both are normalized docs paths, so plain string work does what posixpath.relpath
    does, at a fraction of its cost (this runs once per generated link).
    """
    target, _, anchor = to_uri.partition("#")
    here, there = from_uri.split("/")[:-1], target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    path = "/".join([".."] * (len(here) - common) + there[common:])
    return f"{path}#{anchor}" if anchor else path


def link(label: str, from_uri: str, to_uri: str) -> str:
    """A Markdown link with escaped label text."""
    return f"[{text(label)}]({href(from_uri, to_uri)})"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A pipe table; cells must already be Markdown (use `text` for plain values)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def join(items: list[str], empty: str = "none") -> str:
    """Items separated by commas, or a word for none."""
    return ", ".join(items) if items else empty


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 story`, `3 stories`."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def admonition(kind: str, title: str, body: str) -> str:
    """A Material admonition block."""
    inner = "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
    return f'!!! {kind} "{title}"\n\n{inner}\n'


def page(title: str, *blocks: str, search: bool = True) -> str:
    """A whole page: its title, then blocks separated by blank lines.

    `search=False` keeps it out of the search index.
    """
    front = "---\nsearch:\n  exclude: true\n---\n\n" if not search else ""
    return front + "\n\n".join([f"# {text(title)}", *[b.strip("\n") for b in blocks if b]]) + "\n"


def with_meta(meta: dict, markdown: str) -> str:
    """A generated page with its meta as front matter (kept by the export like any written page's)."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{markdown}"


def esc(value: object) -> str:
    """Text for an XHTML block."""
    return html.escape(" ".join(str(value).split()))


def a(label: str, from_uri: str, to_uri: str) -> str:
    """An XHTML link to a docs page, relative to the page it stands on."""
    return f'<a href="{html.escape(href(from_uri, to_uri))}">{esc(label)}</a>'
