"""Paper products: where each card face sits on each printed page.

- a6: one card per page for a print shop, 3 mm bleed, crop marks, TrimBox A6;
  pages run front, back, front, back... Its faces are the a4 cards' at 105%
  (100 x 140 mm to 105 x 147, centred), so a card is laid out once for both;
- a4: four 100 x 140 mm cards per portrait sheet (four true A6 would fill the
  sheet edge to edge, and office printers clip the edges);
- letter: two 4 x 6 in cards per landscape sheet (3 x 5 in is too small for a
  story's back at a legible size);
for a4 and letter each front sheet is followed by its back sheet, columns
mirrored, so that two-sided printing puts every back behind its front. The
grid is centred with symmetric margins, cut marks sit in the margins of the
front sheets only, and backs keep their text well inside the trim.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .model import Card

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STYLESHEET = HERE / "cards.css"
FONTS = HERE / "fonts"
MM_PER_IN = 25.4


@dataclass(frozen=True)
class Paper:
    name: str  # a6 | a4 | letter
    title: str  # how the cards page names it
    page: tuple[float, float]  # sheet width, height in mm (without bleed)
    card: tuple[float, float]  # card width, height in mm
    cols: int = 1
    rows: int = 1
    bleed: float = 0.0  # mm on every side (print shop)
    flip: str = ""  # the duplex setting that puts backs behind fronts; "" for one card per page
    faces: str = ""  # the paper whose faces it prints, scaled to its card's width (a6: a4's); "" for its own

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def margins(self) -> tuple[float, float]:
        """Left and top margin: the grid is centred, so margins are symmetric."""
        return (self.page[0] - self.cols * self.card[0]) / 2, (self.page[1] - self.rows * self.card[1]) / 2

    def slot(self, index: int, back: bool = False) -> tuple[float, float]:
        """Top-left corner (mm) of slot `index`; on a back sheet the columns are mirrored."""
        col, row = index % self.cols, index // self.cols
        if back:
            col = self.cols - 1 - col
        left, top = self.margins
        return left + col * self.card[0], top + row * self.card[1]


PAPERS = {
    "a6": Paper(
        "a6",
        "A6 for a print shop: one card per page, 3 mm bleed, crop marks",
        (105.0, 148.0),
        (105.0, 148.0),
        bleed=3.0,
        faces="a4",
    ),
    "a4": Paper(
        "a4", "A4: four 100 x 140 mm cards per sheet", (210.0, 297.0), (100.0, 140.0), cols=2, rows=2, flip="long edge"
    ),
    "letter": Paper(
        "letter",
        "US Letter: two 4 x 6 in cards per sheet (landscape)",
        (11 * MM_PER_IN, 8.5 * MM_PER_IN),
        (4 * MM_PER_IN, 6 * MM_PER_IN),
        cols=2,
        rows=1,
        flip="short edge",
    ),
}
# The print-shop deck's standard and the colour space of its output intent (assemble.py writes both; the
# cards page tells the print shop).
PDFX = "PDF/X-4"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
# The papers that get a duplex calibration sheet.
CALIBRATED = ("a4", "letter")
# Cut marks: a gap from the card corner, and at most this long.
CUT_GAP, CUT_LENGTH = 1.0, 6.0

DECK_TITLES = {
    "steps": "step cards",
    "checklist": "checklist card",
    "roleplay": "role-play cards",
    "calibration": "duplex calibration sheet",
}


@dataclass(frozen=True)
class Face:
    """One face placed on a page, as the overflow check names it."""

    id: str
    card: Card
    side: str  # front | back


def sheets(deck: str, cards: int, paper: Paper) -> int:
    """Sheets of a deck on a paper (one checklist card fills a sheet)."""
    return 1 if deck == "checklist" else -(-cards // paper.per_sheet)


def pages(deck: str, cards: int, paper: Paper) -> int:
    """Pages of a deck's PDF: a front and a back for every sheet."""
    return 2 * sheets(deck, cards, paper)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["dir"] = direction
    return env


def direction(text: str) -> Markup:
    """` dir="rtl"` for a text whose first strong character is right-to-left (Arabic, Hebrew), as a browser's
    dir="auto" would decide (Unicode's rule P2): the cards page's preview and Typst's paragraphs (`rtl`) take it."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return Markup(' dir="rtl"')
        if kind == "L":
            break
    return Markup("")


def document_title(deck: str, paper: Paper) -> str:
    """A PDF's title: the deck and the paper."""
    return f"Turnaround {DECK_TITLES[deck]}, {paper.name}"


def preview_html(card: Card, side: str, fid: str) -> str:
    """One face on its own, for the web preview on the cards page."""
    return environment().get_template("preview.html.j2").render(card=card, side=side, fid=fid).strip()


def cut_ticks(paper: Paper, cards: int) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) in mm of each cut tick in the margins, on every line a cut follows."""
    if paper.per_sheet == 1:
        return []  # the print-shop product has crop marks in its bleed (templates/cards.typ)
    left, top = paper.margins
    cols = min(paper.cols, cards)
    rows = -(-cards // paper.cols)
    marks = []
    horizontal = min(CUT_LENGTH, left - CUT_GAP - 0.5)
    vertical = min(CUT_LENGTH, top - CUT_GAP - 0.5)
    bottom = top + rows * paper.card[1]
    right = left + cols * paper.card[0]
    for col in range(cols + 1):
        x = left + col * paper.card[0]
        marks.append(_tick(x, top - CUT_GAP - vertical, 0, vertical))
        marks.append(_tick(x, bottom + CUT_GAP, 0, vertical))
    for row in range(rows + 1):
        y = top + row * paper.card[1]
        marks.append(_tick(left - CUT_GAP - horizontal, y, horizontal, 0))
        marks.append(_tick(right + CUT_GAP, y, horizontal, 0))
    return marks


def _tick(x: float, y: float, width: float, height: float) -> tuple[float, float, float, float]:
    # A hairline as a thin box: 0.2 mm wide, centred on the cut line (rounded to 0.01 mm).
    if width:
        return round(x, 2), round(y - 0.1, 2), round(width, 2), 0.2
    return round(x - 0.1, 2), round(y, 2), 0.2, round(height, 2)
