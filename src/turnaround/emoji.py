"""Emoji shortcodes that load nothing from outside the site.

Material's generator inlines its own icons (`:material-check:`) as SVG but
turns every emoji (`:smile:`) into an image from a public CDN: a page with an
emoji would load from another host, which the site promises never to do and
the allow-list of built pages refuses. Here icons stay inline SVG (passed
through the same allow-list) and emoji become the character itself, which
the reader's own fonts draw. Named in mkdocs.yml as pymdownx.emoji's
`emoji_generator`.
"""

from __future__ import annotations

from functools import cache
from xml.etree.ElementTree import Element

from pymdownx import emoji

from . import safe_html


def to_svg_or_text(index, shortname, alias, uc, alt, title, category, options, md):
    """An icon of the theme as inline SVG, an emoji as its character."""
    if uc:
        return emoji.to_alt(index, shortname, alias, uc, alt, title, category, options, md)
    icon = md.inlinePatterns["emoji"].emoji_index["emoji"][shortname]["path"]
    element = Element("span", {"class": options.get("classes", index)})
    element.text = md.htmlStash.store(_svg(icon))
    return element


@cache
def _svg(path: str) -> str:
    # The theme's SVG file, less whatever the allow-list would remove (one icon carries a `style`).
    with open(path, encoding="utf-8") as handle:
        return safe_html.clean(handle.read())
