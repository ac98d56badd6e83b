"""A Markdown extension: XHTML blocks in generated pages become elements, so MkDocs checks their links.

The generated indexes hold a link per story per index. Through Python-Markdown's
inline parser each link costs about a tenth of a millisecond, which at
thousands of stories is most of a build. A block written between
`<!-- turnaround:xhtml -->` and `<!-- /turnaround:xhtml -->` is instead parsed
by xml.etree's C parser and added to the document as elements. Its text is
final (no Markdown inside it), and MkDocs validates and rewrites its `href`s
to `.md` pages like those of Markdown links, so a strict build still fails on
a broken one. Without this extension the block would pass through as raw HTML
with unchecked links, so mkdocs.yml must list it.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

OPEN, CLOSE = "<!-- turnaround:xhtml -->", "<!-- /turnaround:xhtml -->"
BLOCK = re.compile(re.escape(OPEN) + r"\n(.*?)\n" + re.escape(CLOSE), re.S)
# Stands in for a parsed block between the preprocessor and the block parser (STX/ETX never reach here from a source).
PLACEHOLDER = re.compile(r"^\x02turnaround-xhtml:(\d+)\x03$")

log = logging.getLogger("mkdocs.plugins.turnaround")


def block(inner: str) -> str:
    """Wrap well-formed XHTML for this extension."""
    return f"{OPEN}\n{inner}\n{CLOSE}"


class _Parse(Preprocessor):
    """Before raw HTML is stashed: parse each block, keep its elements, leave a placeholder."""

    def __init__(self, md, parsed: list):
        super().__init__(md)
        self.parsed = parsed

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if OPEN not in text:
            return lines
        return BLOCK.sub(self._replace, text).split("\n")

    def _replace(self, match: re.Match) -> str:
        try:
            wrapper = etree.fromstring(f"<div>{match.group(1)}</div>")
        except etree.ParseError as err:
            log.warning(f"turnaround: a generated XHTML block is not well-formed ({err}); it is left as raw HTML")
            return match.group(1)
        for element in wrapper.iter():
            # Final text: the inline parser must not read Markdown into it.
            if element.text:
                element.text = AtomicString(element.text)
            if element.tail:
                element.tail = AtomicString(element.tail)
        self.parsed.append(list(wrapper))
        return f"\n\n\x02turnaround-xhtml:{len(self.parsed) - 1}\x03\n\n"


class _Insert(BlockProcessor):
    """Put a parsed block's elements where its placeholder stands."""

    def __init__(self, parser, parsed: list):
        super().__init__(parser)
        self.parsed = parsed

    def test(self, parent, block: str) -> bool:
        return bool(PLACEHOLDER.match(block.strip()))

    def run(self, parent, blocks: list[str]) -> None:
        number = int(PLACEHOLDER.match(blocks.pop(0).strip()).group(1))
        parent.extend(self.parsed[number])


class XhtmlExtension(Extension):
    def extendMarkdown(self, md) -> None:
        parsed: list = []
        md.preprocessors.register(
            _Parse(md, parsed), "turnaround_xhtml", 25
        )  # after normalize_whitespace, before html_block
        md.parser.blockprocessors.register(_Insert(md.parser, parsed), "turnaround_xhtml", 99)


def makeExtension(**kwargs) -> XhtmlExtension:
    return XhtmlExtension(**kwargs)
