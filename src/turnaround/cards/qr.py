"""QR codes and short URLs that send a card's reader to its page.

Real QR codes only (`segno.make_qr`; plain `make` may choose Micro QR, which
many phones cannot read), error level M, with the four-module quiet zone.
A QR code always encodes an absolute URL under the site's address (the
`card_site_url` option, by default mkdocs.yml's `site_url` or `SITE_URL`). Without an address there is no
QR code: a phone cannot open a bare path, so the card prints the path as text.

segno picks each code's mask by scoring all eight on every module in Python,
about 10 ms a code (a deck of a thousand stories has a thousand codes).
`best_mask` scores them the same way (ISO/IEC 18004's penalties as segno
counts them, ties to the lower mask) on whole rows and columns at once, and
takes its place in segno's encoder while the cards' codes are made
(`fast_masks`), so segno makes the same symbol, bit for bit, in a tenth of the
time; any other use of segno in the process keeps segno's own scoring.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import segno
import segno.encoder

# The code is printed 25 mm square with its quiet zone (cards.css): the symbol itself is then
# 18 mm (version 1, short paths) to 21 mm wide (version 7, long URLs), read at arm's length.
QUIET_MODULES = 4


@dataclass(frozen=True)
class Link:
    """Where a card points: the encoded URL and the text printed under its QR code."""

    url: str  # what the QR code encodes
    label: str  # the short URL printed under it

    @property
    def image(self) -> str | None:
        """The QR code as a data: URI of an SVG (vector, sharp at any printer resolution); None for a bare path."""
        return _qr(self.url) if "://" in self.url else None


def page_link(site_url: str | None, path: str) -> Link:
    """The link to a page of the site, `path` like `steps/apologize/`."""
    url = absolute_url(site_url, path)
    return Link(url, short_label(url))


def absolute_url(site_url: str | None, path: str) -> str:
    """site_url + path; the path alone (from the site root) when there is no site_url."""
    path = path.lstrip("/")
    if not site_url:
        return "/" + path
    return site_url.rstrip("/") + "/" + path


def short_label(url: str) -> str:
    """The URL as printed: without the scheme."""
    return url.split("://", 1)[-1]


@lru_cache(maxsize=4096)
def _qr(url: str) -> str:
    return code(url).svg_data_uri(scale=1, border=QUIET_MODULES, dark="#000", light="#fff")


def code(url: str) -> segno.QRCode:
    """The card's QR code of `url`: a real QR code at error level M, its mask chosen by `best_mask`."""
    with fast_masks():
        return segno.make_qr(url, error="m", boost_error=False)


@contextmanager
def fast_masks():
    """segno with `best_mask` in its encoder for the codes made meanwhile; its own scoring again after."""
    segno.encoder.find_and_apply_best_mask = best_mask
    try:
        yield
    finally:
        segno.encoder.find_and_apply_best_mask = _segno_best_mask


# ---------------------------------------------------------------- mask selection

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # five or more modules alike in a line (penalty N1)
_FINDER = bytes((1, 0, 1, 1, 1, 0, 1))  # the 1:1:3:1:1 pattern (penalty N3)
_segno_best_mask = segno.encoder.find_and_apply_best_mask


@lru_cache(maxsize=64)
def _masks(width: int) -> tuple[int, ...]:
    """Each mask pattern over the encoding region of a QR code `width` modules wide, as one number.

    Each module is a byte of the number, row after row (the matrix's bytes read as a big-endian number),
    so masking a matrix is one exclusive or.
    """
    function = segno.encoder.make_matrix(width, width)
    segno.encoder.add_finder_patterns(function, width, width)
    segno.encoder.add_alignment_patterns(function, width, width)
    function[-8][8] = 0x1
    found = []
    for pattern in segno.encoder.get_data_mask_functions(False):
        flat = bytes(1 if function[i][j] > 0x1 and pattern(i, j) else 0 for i in range(width) for j in range(width))
        found.append(int.from_bytes(flat, "big"))
    return tuple(found)


def _score(flat: bytes, width: int) -> int:
    """The penalty of a masked matrix (N1 + N2 + N3 + N4), as segno's `evaluate_mask` gives it."""
    rows = [flat[i : i + width] for i in range(0, len(flat), width)]
    columns = [flat[j::width] for j in range(width)]
    # Every row and column, one after the other with a byte between them that is neither colour.
    lines = b"\x02".join(rows + columns)
    runs = _RUN.findall(lines)
    score = sum(map(len, runs)) - 2 * len(runs)  # N1: 3 for five alike, 1 more for each module more
    # N3: the finder-like pattern with four light modules before or after it (or at a line's end), as segno counts.
    step = width + 1
    idx = lines.find(_FINDER)
    while idx != -1:
        start = idx - idx % step
        column, offset = idx - start, idx + 7
        if (
            column in (0, width - 7)
            or not any(lines[max(idx - 4, start) : idx])
            or not any(lines[offset : min(offset + 4, start + width)])
        ):
            score += 40
        else:
            offset = idx + 4
        idx = lines.find(_FINDER, offset)
    # N2: each 2 x 2 block of one colour. Adjacent modules compared a byte apart, rows a row apart.
    number = int.from_bytes(flat, "big")
    above = number >> (8 * width)  # at each module, the one above it
    differs = (number ^ above) | (number ^ (number >> 8)) | (above ^ (above >> 8))
    same = differs.to_bytes(len(flat), "big")
    for i in range(1, width):  # the blocks whose bottom-right corner is on row i, from column 1
        score += 3 * same[i * width + 1 : (i + 1) * width].count(0)
    dark = flat.count(1)
    score += 10 * int(abs(float(dark) / (width * width) * 100 - 50) / 5)  # N4
    return score


def best_mask(matrix, width, height, proposed_mask=None):
    """segno's `find_and_apply_best_mask` for QR codes: the same mask and matrix, scored on whole lines.

    Micro QR codes, and a mask asked for, go to segno's own.
    """
    if proposed_mask is not None or width != height or width < 21:
        return _segno_best_mask(matrix, width, height, proposed_mask)
    unmasked = int.from_bytes(b"".join(matrix), "big")
    size = width * width
    best, best_score, best_flat = 0, None, b""
    for number, mask in enumerate(_masks(width)):
        flat = (unmasked ^ mask).to_bytes(size, "big")
        score = _score(flat, width)
        if best_score is None or score < best_score:
            best, best_score, best_flat = number, score, flat
    return best, tuple(bytearray(best_flat[i : i + width]) for i in range(0, size, width))
