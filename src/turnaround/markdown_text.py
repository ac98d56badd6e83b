"""Reading a Markdown body as text: sections, headings, links and their lines.

A CommonMark parser (markdown-it-py) finds the structure; its token maps give
the line a contributor must edit. Anchors are made as the site's toc extension
makes them (Python-Markdown's own `slugify` and `unique`, attr_list's `{#id}`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.extensions.toc import slugify, unique
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Word patterns, not structure: inline code is blanked within a line, and validate.py and plain_text
# reduce a link to its words.
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Possessive quantifiers (*+): backtracking into the text or URL can never help a match, and
# without them an unclosed `[a](` repeated along one line takes minutes instead of milliseconds.
INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*+\])*+)\]\(\s*+(<[^>]*+>|[^)\s]*+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}):[^\s<>]*)>")


@dataclass(frozen=True)
class Line:
    number: int  # line in the file
    text: str  # with inline code blanked out


@dataclass(frozen=True)
class Link:
    line: int
    url: str
    image: bool


@dataclass(frozen=True)
class Section:
    title: str
    line: int
    text: str  # the section's own text, without its heading


@dataclass(frozen=True)
class _Heading:
    level: int
    title: str  # as written, closing hashes and spaces dropped
    line: int  # 0-based, in the body
    end: int  # the line after the heading
    top: bool  # a block of the document itself, not inside a list, quote or HTML element
    atx: bool  # `## Title`, not a line underlined with `---`
    inline: Token


# ---------------------------------------------------------------- the parser


def _hide_references(state) -> None:
    # Reference uses (`[text][label]`) are not reported as links, only their definitions are.
    state.env.pop("references", None)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table")
    # Destinations as written: no percent-encoding, and no scheme refused (the guards judge every one).
    md.normalizeLink = lambda url: url
    md.validateLink = lambda url: True
    md.core.ruler.after("block", "hide_references", _hide_references)
    return md


@lru_cache(maxsize=256)
def _tokens(body: str) -> tuple[Token, ...]:
    return tuple(_parse(body.split("\n"), 0, True))


def _parse(lines: list[str], offset: int, top: bool) -> Iterator[Token]:
    """The tokens of `lines`, their maps moved by `offset`; HTML blocks with `markdown` are read inside."""
    depth = 0
    for token in _parser().parse("\n".join(lines), {}):
        if token.map:
            token.map = [token.map[0] + offset, token.map[1] + offset]
            token.meta["top"] = top and depth == 0
        depth += token.nesting
        yield token
        # md_in_html: the site renders the Markdown inside `<div markdown>`, so its headings and links count.
        if token.type == "html_block" and _has_markdown_attribute(token.content):
            start, end = token.map[0] - offset + 1, token.map[1] - offset
            yield from _parse(lines[start:end], token.map[0] + 1, False)


class _FirstTag(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs: list | None = None

    def handle_starttag(self, tag, attrs):
        if self.attrs is None:
            self.attrs = attrs


def _has_markdown_attribute(block: str) -> bool:
    first = _FirstTag()
    first.feed(block.split("\n", 1)[0])
    return any(name == "markdown" for name, _ in first.attrs or ())


def _headings(body: str) -> list[_Heading]:
    tokens = _tokens(body)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            found.append(
                _Heading(
                    int(token.tag[1]),
                    inline.content,
                    token.map[0],
                    token.map[1],
                    token.meta["top"],
                    token.markup[0] == "#",
                    inline,
                )
            )
    return found


def _children(inline: Token) -> Iterator[tuple[Token, int]]:
    """Each inline token with its line offset in the block (images' alt text included)."""
    line = 0
    stack = list(reversed(inline.children or []))
    while stack:
        child = stack.pop()
        yield child, line
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "html_inline":
            line += child.content.count("\n")
        if child.type == "image":
            stack.extend(reversed(child.children or []))


# ---------------------------------------------------------------- what others read


def fenced_lines(body: str) -> frozenset[int]:
    """The offsets (from 0) of the body's lines inside fenced code."""
    return frozenset(n for token in _tokens(body) if token.type == "fence" for n in range(*token.map))


def prose_lines(
    body: str, first_line: int, fenced: frozenset[int] | None = None, after: int = 0, before: int = 10**9
) -> list[Line]:
    """The body's lines outside fenced code (`fenced`, when known already), with inline code blanked; only those
    numbered between `after` and `before` (both excluded), when given."""
    code = fenced_lines(body) if fenced is None else fenced
    lines = body.split("\n")
    start, stop = max(0, after + 1 - first_line), max(0, min(len(lines), before - first_line))
    return [
        Line(first_line + offset, INLINE_CODE.sub(lambda m: " " * len(m.group(0)), lines[offset]))
        for offset in range(start, stop)
        if offset not in code
    ]


def headings(body: str, first_line: int) -> list[tuple[int, str, int]]:
    """(level, title, line) of every heading outside code."""
    return [(h.level, h.title, first_line + h.line) for h in _headings(body)]


def anchors(body: str) -> set[str]:
    """The anchor ids the toc extension gives the body's headings."""
    found = _headings(body)
    explicit = [_explicit_id(h.title) for h in found]
    # As toc does: ids set by attr_list are taken first, then each heading gets the next free slug.
    ids = {i for i in explicit if i}
    for heading, given in zip(found, explicit, strict=True):
        if not given:
            unique(slugify(html.unescape(_heading_text(heading.inline)), "-"), ids)
    return ids


def sections(body: str, first_line: int, level: int = 2) -> tuple[list[Section], list[Line]]:
    """The body cut at headings of `level`, and the non-blank lines before the first one."""
    lines = body.split("\n")
    # Sections are the template's `## Title` lines; a line underlined by `---` is a heading for toc only.
    cuts = [h for h in _headings(body) if h.level == level and h.top and h.atx]
    found = []
    ends = [h.line for h in cuts[1:]] + [len(lines)] * bool(cuts)
    for heading, end in zip(cuts, ends, strict=True):
        text = "\n".join(lines[heading.end : end]).strip()
        found.append(Section(heading.title, first_line + heading.line, text))
    before = cuts[0].line if cuts else len(lines)
    preamble = [Line(first_line + i, text) for i, text in enumerate(lines[:before]) if text.strip()]
    return found, preamble


def links(body: str, first_line: int) -> list[Link]:
    """Every inline link or image, reference definition and autolink, with its line."""
    found: list[tuple[int, int, Link]] = []
    for token in _tokens(body):
        if token.type == "definition":
            found.append((token.map[0], 1, Link(first_line + token.map[0], token.meta["url"], False)))
        if token.type != "inline":
            continue
        for child, offset in _children(token):
            line = token.map[0] + offset
            if child.type == "image":
                found.append((line, 0, Link(first_line + line, child.attrs["src"], True)))
            elif child.type == "link_open" and child.info == "auto":
                url = child.attrs["href"]
                if ":" in (child.content or _autolink_text(child, token)):
                    found.append((line, 2, Link(first_line + line, url, False)))
            elif child.type == "link_open":
                found.append((line, 0, Link(first_line + line, child.attrs["href"], False)))
    # By line; on one line inline links and images come first, then definitions, then autolinks.
    return [link for _line, _kind, link in sorted(found, key=lambda item: item[:2])]


def plain_text(markdown: str) -> str:
    """The text a reader sees: links reduced to their words, markup dropped."""
    text = INLINE_LINK.sub(lambda m: m.group(2), markdown)
    text = re.sub(r"[*_`]+", "", text)
    # [ \t]* not \s*: a class that also eats newlines makes many blank lines quadratic.
    text = re.sub(r"^[ \t]*([-+*]|\d+\.)\s+", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- helpers


def _explicit_id(title: str) -> str | None:
    # attr_list reads `{#id}` (or `{: #id .class}`) at the end of a heading.
    match = AttrListTreeprocessor.HEADER_RE.search(title)
    if not match:
        return None
    attrs, _ = get_attrs_and_remainder(match.group(1) + "}")
    return next((value for key, value in attrs if key == "id"), None)


def _heading_text(inline: Token) -> str:
    """The words a heading shows (what toc slugs): text and code, without markup, tags, images or `{#id}`."""
    words = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append("\n")
    text = "".join(words)
    match = AttrListTreeprocessor.HEADER_RE.search(text)
    return text[: match.start()] if match else text


def _autolink_text(link_open: Token, inline: Token) -> str:
    children = inline.children or []
    index = children.index(link_open)
    return children[index + 1].content if index + 1 < len(children) else ""
