"""Reading a Markdown body as text: sections, headings, links and their lines.

These are line scanners, not a Markdown renderer: they skip fenced code and
inline code and see what a reader of the source sees, so every finding has
the line a contributor must edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HEADING_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Possessive quantifiers (*+): backtracking into the text or URL can never help a match, and
# without them an unclosed `[a](` repeated along one line takes minutes instead of milliseconds.
INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*+\])*+)\]\(\s*+(<[^>]*+>|[^)\s]*+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
REFERENCE_DEF = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
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


def prose_lines(body: str, first_line: int) -> list[Line]:
    """The body's lines outside fenced code, with inline code blanked."""
    lines = []
    fence = None
    for offset, text in enumerate(body.split("\n")):
        match = FENCE.match(text)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        blanked = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
        lines.append(Line(first_line + offset, blanked))
    return lines


def headings(body: str, first_line: int) -> list[tuple[int, str, int]]:
    """(level, title, line) of every ATX heading outside code."""
    found = []
    for line in prose_lines(body, first_line):
        match = HEADING.match(line.text)
        if match:
            found.append((len(match.group(1)), match.group(2), line.number))
    return found


def anchors(body: str) -> set[str]:
    """The anchor ids the toc extension gives the body's headings."""
    ids: set[str] = set()
    for _level, title, _line in headings(body, 1):
        explicit = HEADING_ID.search(title)
        if explicit:
            ids.add(explicit.group(1))
            continue
        base = slugify(_plain(title), "-")
        slug, n = base, 0
        while slug in ids:
            n += 1
            slug = f"{base}_{n}"
        ids.add(slug)
    return ids


def sections(body: str, first_line: int, level: int = 2) -> tuple[list[Section], list[Line]]:
    """The body cut at headings of `level`, and the non-blank lines before the first one."""
    found: list[Section] = []
    preamble: list[Line] = []
    current: tuple[str, int] | None = None
    collected: list[str] = []
    for line in _all_lines(body, first_line):
        match = HEADING.match(line.text)
        if match and len(match.group(1)) == level:
            if current:
                found.append(Section(current[0], current[1], "\n".join(collected).strip()))
            current, collected = (match.group(2), line.number), []
        elif current:
            collected.append(line.text)
        elif line.text.strip():
            preamble.append(line)
    if current:
        found.append(Section(current[0], current[1], "\n".join(collected).strip()))
    return found, preamble


def links(body: str, first_line: int) -> list[Link]:
    """Every inline link or image, reference definition and autolink, with its line."""
    found = []
    for line in prose_lines(body, first_line):
        for match in INLINE_LINK.finditer(line.text):
            found.append(Link(line.number, match.group(3).strip("<>"), match.group(1) == "!"))
        match = REFERENCE_DEF.match(line.text)
        if match:
            found.append(Link(line.number, match.group(2).strip("<>"), False))
        for match in AUTOLINK.finditer(line.text):
            found.append(Link(line.number, match.group(1), False))
    return found


def plain_text(markdown: str) -> str:
    """The text a reader sees: links reduced to their words, markup dropped."""
    text = INLINE_LINK.sub(lambda m: m.group(2), markdown)
    text = re.sub(r"[*_`]+", "", text)
    # [ \t]* not \s*: a class that also eats newlines makes many blank lines quadratic.
    text = re.sub(r"^[ \t]*([-+*]|\d+\.)\s+", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


def _plain(title: str) -> str:
    return plain_text(HEADING_ID.sub("", title))


def _all_lines(body: str, first_line: int) -> list[Line]:
    # Sections keep code blocks as text, but headings inside code do not count.
    inside = {line.number for line in prose_lines(body, first_line)}
    return [
        Line(first_line + i, text if (first_line + i) in inside else (text if not HEADING.match(text) else " " + text))
        for i, text in enumerate(body.split("\n"))
    ]
