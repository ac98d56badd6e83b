"""Which characters the printed cards can show, read from the very font files the cards use.

The cards are set by Typst in the committed fonts alone, the faces that
`cards/cards.css` declares with @font-face for the cards page's preview: a
character none of them has would print as a box (.notdef). So the check asks
the same files (their cmap tables, through fontTools) and reports each such
character at its line, with what to do, before any build.

Besides the characters some face maps, the shaper (Typst's, a port of HarfBuzz) never draws the
default-ignorable format characters (zero-width joiner and non-joiner,
variation selectors, emoji tags, bidi marks, soft hyphen...): they steer
joining, emoji presentation or direction and are invisible, so they need no
glyph. Private-use characters are refused even where a face maps one: they
mean something only on the writer's computer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from .model import Entry
from .problems import Problem

CARDS = Path(__file__).resolve().parent / "cards"
STYLESHEET = CARDS / "cards.css"
FONT_SOURCE = re.compile(r"@font-face\s*\{[^}]*?src:\s*url\(\"([^\"]+)\"\)")
# The front-matter fields each collection prints on its cards (cards/model.py); stories also print their body.
PRINTED = {"stories": ("title",), "steps": ("title", "when", "do", "why", "say", "avoid")}
PRINTED_BODY = ("stories",)
# Unicode's default-ignorable code points (DerivedCoreProperties.txt) that the shaper hides when no face has them.
IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Format characters a renderer may draw as a box although a face maps them: the interlinear annotation marks.
BOXED = {0xFFF9, 0xFFFA, 0xFFFB}
# Spaces and line breaks the layout turns into spacing.
LAYOUT = {0x09, 0x0A, 0x0D, 0x20}


@lru_cache(maxsize=1)
def fonts() -> tuple[Path, ...]:
    """The font files of the cards, in the order cards.css declares them."""
    return tuple(CARDS / url for url in FONT_SOURCE.findall(STYLESHEET.read_text("utf-8")))


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # read only when a character needs it

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(char: str) -> bool:
    """Whether the cards can print this character (fonts are opened one by one, as far as needed)."""
    code = ord(char)
    if code in LAYOUT or _ignorable(code):
        return True
    if code in BOXED or unicodedata.category(char) in ("Co", "Cc", "Zl", "Zp"):
        return False
    return any(code in _cmap(path) for path in fonts())


def _ignorable(code: int) -> bool:
    return any(low <= code <= high for low, high in IGNORABLE)


def describe(char: str) -> str:
    """A character as a contributor can look it up: code point and Unicode name."""
    code = ord(char)
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Co": "a private-use character", "Cn": "not an assigned character", "Cc": "a control character"}.get(
            category, "no name"
        )
    shown = f"`{char}` " if char.isprintable() else ""
    return f"{shown}U+{code:04X} {name}"


def advice(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Co":
        return "it is a private-use character that means something only on the computer it was typed on; remove it"
    if category in ("Cn", "Cc", "Cs"):
        return "it is not a character that can be printed (often pasted by accident); remove it or type the text again"
    return "none of the card fonts has it; write it in words or with a similar character, or remove it"


def check(entry: Entry) -> list[Problem]:
    """Each character of the printed text that no card font has, once per line it is on."""
    problems = []
    for line, field, text in _printed_texts(entry):
        seen: set[str] = set()
        for char in text:
            if char in seen or (char.isascii() and char.isprintable()):
                continue
            seen.add(char)
            if not printable(char):
                message = f"{describe(char)} cannot be printed on the cards; {advice(char)}"
                problems.append(Problem(entry.rel, line, field, message, "unprintable"))
    return problems


def _printed_texts(entry: Entry) -> Iterator[tuple[int, str | None, str]]:
    """(line, field or None for the body, text) for all that goes on the entry's cards."""
    for name in PRINTED.get(entry.collection, ()):
        value = entry.meta.get(name)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, str):
                path = (name, index) if isinstance(value, list) else (name,)
                yield entry.doc.line(path), name if path == (name,) else f"{name}[{index}]", item
    if entry.collection in PRINTED_BODY:
        for offset, text in enumerate(entry.body.split("\n")):
            yield entry.doc.body_line + offset, None, text
