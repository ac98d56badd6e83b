"""How much room a text takes on a card, measured with the cards' own fonts.

Counting characters is not enough: a Chinese character or an emoji is about
twice as wide as an average Latin letter, and so are capitals such as W, so
a section within its character limit could still run off its card. Here a
text is wrapped as the card wraps it, greedily at spaces (and anywhere in a
word longer than a line), over the advance widths of the faces cards.css
declares, in its order. Typst has more break opportunities than spaces, so
the count errs on the long side; `SLACK` covers what shaping changes
(ligatures, Arabic joining forms, kerning, bold).

A text fits where ordinary English text at the character limit fits: its
lines (plus the space between its paragraphs) are compared with the lines of
`REFERENCE` cut to the limit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from . import printable

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Place:
    """Where text is set on a card: line width and paragraph gap in ems of its font size, line height."""

    width: float
    line_height: float
    gap: float  # the margin a paragraph after the first adds, in lines

    @classmethod
    def of(cls, width_mm: float, size_pt: float, line_height: float, gap_mm: float = 0.0) -> Place:
        em = size_pt * MM_PER_PT
        return cls(width_mm / em, line_height, gap_mm / (em * line_height))


# The places of cards.css on the narrowest card (A4: 100 mm less 2 x 5 mm padding): the role-play front
# (11pt), its back (8.5pt), a story title on its card's back (10pt bold) and beside the QR code of a step
# card (8.5pt bold, 25 mm in from the left).
FRONT = Place.of(90, 11, 1.32, 1.8)
BACK = Place.of(90, 8.5, 1.21, 0.8)
TITLES = (Place.of(90, 10, 1.2), Place.of(65, 8.5, 1.2))
SLACK = 0.9  # the share of a line's width the count fills
REFERENCE = (
    "On a busy Friday evening a guest ordered the tomato soup, and it arrived lukewarm with the bread "
    "missing. She waved the server over, who listened, said sorry for the wait, took the bowl back to "
    "the kitchen and returned within five minutes with a hot one and fresh bread. "
)


@cache
def _metrics(path: Path) -> tuple[dict[int, float], float, float]:
    """A face's advance widths by code point, its ascent and its descent, all in ems."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        scale = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {code: metrics[name][0] / scale for code, name in font.getBestCmap().items()}
        return widths, font["hhea"].ascent / scale, -font["hhea"].descent / scale


@lru_cache(maxsize=4096)
def _glyph(char: str) -> tuple[float, int]:
    """A character's width in ems and the index of the card face that draws it (0 for what is not drawn)."""
    code = ord(char)
    if printable._ignorable(code) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0, 0
    for index, path in enumerate(printable.fonts()):
        width = _metrics(path)[0].get(code)
        if width is not None:
            return width, index
    return 1.0, 0  # unprintable: reported by printable.check; counted as a wide character meanwhile


def _height(faces: set[int], line_height: float) -> float:
    """A line's height in lines: a fallback face with other ascent and descent than the first makes it taller."""
    fonts = printable.fonts()
    top = bottom = 0.0
    for index in faces | {0}:
        _, ascent, descent = _metrics(fonts[index])
        half_leading = (line_height - ascent - descent) / 2
        top, bottom = max(top, ascent + half_leading), max(bottom, descent + half_leading)
    return (top + bottom) / line_height


def lines(paragraph: str, width_em: float, line_height: float = 1.25, tall: bool = True) -> float:
    """Lines a paragraph takes, wrapped greedily at spaces and after wide characters, each as tall as its faces
    make it (or, not `tall`, each counted as one line)."""
    room = width_em * SLACK
    height = (lambda faces: _height(faces, line_height)) if tall else (lambda faces: 1.0)
    heights, used, faces = [], 0.0, set()
    for word in _words(paragraph):
        glyphs = [_glyph(c) for c in word]
        size = sum(width for width, _ in glyphs[: len(word.rstrip(" "))])
        if used and used + size > room:
            heights.append(height(faces))
            used, faces = 0.0, set()
        faces |= {face for _, face in glyphs}
        while size > room:  # a word longer than a line breaks inside it
            heights.append(height(faces))
            size -= room
        used += sum(width for width, _ in glyphs)
    return sum(heights) + height(faces)


def _words(text: str) -> list[str]:
    """Pieces between break opportunities: after a space, and around a wide (East Asian or emoji) character."""
    words, current = [], ""
    for char in text:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        if wide and current:
            words.append(current)
            current = ""
        current += char
        if char == " " or wide:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return words


def room(paragraphs: list[str], place: Place, tall: bool = True) -> float:
    """Lines the paragraphs take in a place on a card, with the space between them."""
    return sum(lines(p, place.width, place.line_height, tall) for p in paragraphs) + place.gap * max(
        0, len(paragraphs) - 1
    )


@cache
def reference(limit: int, place: Place) -> float:
    """Lines of ordinary text `limit` characters long, in one paragraph."""
    text = (REFERENCE * (limit // len(REFERENCE) + 1))[:limit]
    return room([text], place)


def equivalent(lines_taken: float, place: Place) -> int:
    """About how many characters of ordinary text take as many lines."""
    return round(lines_taken * len(REFERENCE) / room([REFERENCE], place))
