"""The cards with Typst: pages as JSON, laid out by templates/cards.typ, overflow read from the layout.

Two kinds of document, both read by the same template: the faces of a few
cards, each on a page the card's size (`faces`), and a deck's sheets without
their faces, with the captions and cut marks (`frames`); `assemble` draws the
faces on the sheets. Typst lays out a thousand cards in about the time
WeasyPrint takes for a handful (docs/benchmarks.md), with the same committed
fonts and nothing else: no system font, no embedded Typst font, no file
outside this package. Each face checks where its body ended against the room
above its footer; a body that does not fit stops the compile (`strict`), and
a second, lenient pass measures every face that does not, so the build names
each card and its file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from functools import lru_cache

from ..problems import Problem
from . import qr
from .errors import CardError
from .layout import DECK_TITLES, FONTS, HERE, TEMPLATES, Face, Paper, cut_ticks, direction, document_title, sheets
from .model import Card, Phase, StepRef
from .qr import QUIET_MODULES
from .render import Rendered, overflow_problem

TEMPLATE = TEMPLATES / "cards.typ"
# The card text's language: the document's /Lang.
LANG = "en"
OVERFLOW = "card-overflow "


@dataclasses.dataclass
class Sheets:
    """What one deck PDF (or one part of it) holds: the JSON Typst reads, and the faces to check."""

    data: dict
    faces: list[Face]


def faces(deck: str, cards: list[Card], paper: Paper) -> Sheets:
    """Each card's front and then its back, each on a page of its own the card's size, for decks to place.

    On a paper of several cards to a sheet the checklist fills its sheet with copies: a copy of each face
    follows, drawn as an artifact (read once, `assemble`). Face `2k` is card k's front, `2k + 1` its back.
    """
    placed: list[Face] = []
    out = []
    copies = deck == "checklist" and paper.per_sheet > 1
    for number, card in enumerate(cards):
        made = card_json(card)  # once for both sides
        for side in ("front", "back"):
            fid = f"c{number + 1}-{side[0]}"
            placed.append(Face(fid, card, side))
            out.append(_page(fid, made, side, copy=False))
    if copies:
        out += [_page(f"copy-{side[0]}", card_json(cards[0]), side, copy=True) for side in ("front", "back")]
    return Sheets(
        _document(
            "Turnaround card faces",
            deck,
            out,
            dataclasses.replace(paper, page=paper.card, bleed=0.0, cols=1, rows=1),
        ),
        placed,
    )


def frames(deck: str, paper: Paper) -> Sheets:
    """Every kind of sheet a deck has on a paper, without its faces: the captions, cut marks and crop marks.

    One document serves every deck of that kind on that paper, a session pack's too (`frame_of`): a front
    for each number of cards a sheet can hold (the checklist's sheet is always full), then the back.
    """
    out = [{"side": "front", "faces": [], "marks": cut_ticks(paper, count)} for count in _counts(deck, paper)]
    out.append({"side": "back", "faces": [], "marks": []})
    return Sheets(_document(document_title(deck, paper), deck, out, paper), [])


def frame_of(deck: str, cards: int, paper: Paper) -> list[int]:
    """The frame (page of `frames`) of each page of a deck of `cards` cards: front, then back, of every sheet."""
    counts = _counts(deck, paper)
    pages = []
    for number in range(sheets(deck, cards, paper)):
        count = paper.per_sheet if deck == "checklist" else min(paper.per_sheet, cards - number * paper.per_sheet)
        pages += [counts.index(count), len(counts)]
    return pages


def _counts(deck: str, paper: Paper) -> list[int]:
    return [paper.per_sheet] if deck == "checklist" else list(range(1, paper.per_sheet + 1))


def calibration(paper: Paper) -> Sheets:
    """The duplex calibration sheet: a target in every card's place, front and back (the backs mirrored)."""
    out = []
    for side in ("front", "back"):
        faces = [
            {
                "fid": f"cal-{n + 1}-{side[0]}",
                "slot": paper.slot(n, back=side == "back"),
                "card": {"kind": "calibration", "number": n + 1},
            }
            for n in range(paper.per_sheet)
        ]
        out.append(
            {"side": side, "faces": faces, "marks": cut_ticks(paper, paper.per_sheet) if side == "front" else []}
        )
    return Sheets(_document(document_title("calibration", paper), "calibration", out, paper), [])


def _page(fid: str, card: dict, side: str, copy: bool) -> dict:
    return {
        "side": side,
        "faces": [{"fid": fid, "slot": (0.0, 0.0), "card": card, "copy": copy}],
        "marks": [],
    }


def _document(title: str, deck: str, pages: list[dict], paper: Paper) -> dict:
    return {
        "title": title,
        "deck_title": DECK_TITLES[deck],
        "lang": LANG,
        "paper": {
            "name": paper.name,
            "page": paper.page,
            "card": paper.card,
            "bleed": paper.bleed,
            "per_sheet": paper.per_sheet,
            "flip": paper.flip,
            "margins": paper.margins,
        },
        "sheets": pages,
    }


def card_json(card: Card) -> dict:
    """A card as the template reads it: plain JSON, paragraphs with their direction, the QR code as SVG."""
    data = {key: _plain(value) for key, value in card.data.items()}
    if card.kind == "roleplay":
        data["title"] = _para(card.data["title"])
        for role in ("situation", "staff", "outcome", "better"):
            data[role] = [_para(p) for p in card.data.get(role, [])]
    suit = {"step": f"ph-{card.data['phase'].index}" if card.kind == "step" else "", "checklist": "ph-n"}
    return {
        "kind": card.kind,
        "suit": suit.get(card.kind) or "ph-r",
        "link": {"url": card.link.url, "label": card.link.label, "svg": qr_svg(card.link.url)},
        "data": data,
    }


def _para(text: str) -> dict:
    return {"text": text, "rtl": bool(direction(text))}


def _plain(value):
    if isinstance(value, Phase | StepRef):
        return dict(vars(value))  # plain fields only: `asdict` without its deep copy
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> str | None:
    """The QR code as SVG text (vector, sharp at any resolution); none for a bare path, which no phone opens."""
    if "://" not in url:
        return None
    buffer = io.BytesIO()
    qr.code(url).save(buffer, kind="svg", scale=1, border=QUIET_MODULES, dark="#000", light="#fff", xmldecl=False)
    return buffer.getvalue().decode("ascii")


def render(made: Sheets, paper: Paper, created: str | None = None) -> Rendered:
    """One PDF of the sheets; the faces that do not fit come back as problems naming their cards."""
    try:
        pdf = _compile(made.data, created, strict=True)
        return Rendered(pdf, len(made.data["sheets"]))
    except CardError as err:
        if OVERFLOW not in str(err):
            raise
    # Some face does not fit: lay out again without stopping, to name every one.
    over = {item["fid"]: item["over"] for item in _overflows(made.data, created)}
    problems: list[Problem] = [overflow_problem(f, paper, over[f.id]) for f in made.faces if f.id in over]
    return Rendered(_compile(made.data, created, strict=False), len(made.data["sheets"]), problems)


def _inputs(data: dict, created: str | None, strict: bool) -> dict[str, str]:
    moment = _timestamp(created)
    stamp = list(moment.timetuple()[:6]) if moment else None
    return {"data": json.dumps({**data, "created": stamp, "strict": strict}, ensure_ascii=False)}


def _compile(data: dict, created: str | None, strict: bool) -> bytes:
    import typst

    try:
        pdf, warnings = _compiler().compile_with_warnings(
            format="pdf", sys_inputs=_inputs(data, created, strict), timestamp=_timestamp(created)
        )
    except typst.TypstError as err:
        raise CardError(f"cards: Typst reported: {err.message}") from None
    if warnings:
        raise CardError("cards: Typst reported: " + "; ".join(dict.fromkeys(w.message for w in warnings)))
    return pdf


def _overflows(data: dict, created: str | None) -> list[dict]:
    compiler = _compiler()
    compiler.compile(format="pdf", sys_inputs=_inputs(data, created, strict=False))
    return json.loads(compiler.query("<overflow>", field="value"))


def _timestamp(created: str | None):
    if not created:
        return None
    return dt.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


@lru_cache(maxsize=1)
def _compiler():
    """One compiler per process: the fonts are read once. Only the committed fonts, files inside this package."""
    import typst

    return typst.Compiler(str(TEMPLATE), root=str(HERE), font_paths=fonts(), ignore_system_fonts=True)


@lru_cache(maxsize=1)
def fonts():
    """The committed fonts, read once for every compiler of the process (decks, guides, handouts)."""
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS)])
