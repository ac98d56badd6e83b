"""The /cards/ page: how to print, a link to every PDF, and each card as it prints.

The preview is the cards' HTML with the cards' stylesheet (the faces that
templates/cards.typ prints, drawn the same way), shown at the size of the A4
product's cards. Only a
few role-play cards are previewed, so the page stays light with many stories;
all of them are in the PDFs. Nothing here renders a PDF: the page is built
whenever the knowledge base loads, even by `turnaround check`.

What the page says is `pages/templates/cards.md.j2` (a site overrides it by
`overrides/turnaround/cards.md.j2`); this module gathers its values: the
files, their pages, the packs and the previewed faces.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from .. import content
from ..model import KnowledgeBase
from ..pages import templating
from .layout import DECK_TITLES, OUTPUT_CONDITION, PAPERS, PDFX, Paper, preview_html
from .model import DECKS, checklist_card, roleplay_card, step_card
from .packs import KINDS, packs
from .pdfs import planned
from .site import HOW_TO_SET

PAGE = content.CARDS
TEMPLATE = "cards.md.j2"
# Role-play cards shown on the page; the PDFs hold them all.
ROLEPLAY_PREVIEWS = 3


def build(kb: KnowledgeBase) -> dict[str, str]:
    """The page builder (see turnaround.pages.builders)."""
    return {PAGE: markdown(kb, kb.site_url)}


def markdown(kb: KnowledgeBase, site_url: str | None) -> str:
    """The page, from `pages/templates/cards.md.j2`; it makes only the cards it previews, however many stories."""
    counts = {"steps": len(kb.steps), "checklist": 1 if kb.steps else 0, "roleplay": len(kb.stories)}
    shown = {
        "steps": [step_card(kb, step, site_url) for step in kb.steps],
        "checklist": [checklist_card(kb, site_url)] if kb.steps else [],
        "roleplay": [
            roleplay_card(kb, story, n, site_url) for n, story in enumerate(kb.stories[:ROLEPLAY_PREVIEWS], 1)
        ],
    }
    return templating.render(
        kb,
        TEMPLATE,
        here=PAGE,
        site_url=site_url,
        how_to_set=Markup(HOW_TO_SET),
        papers=[
            {"name": paper.name, "title": Markup(paper.title), "label": paper_label(paper.name)}
            for paper in PAPERS.values()
        ],
        shop=print_shop(PAPERS["a6"]),
        downloads=downloads(counts),
        pack_groups=pack_groups(kb),
        previews=previews(shown, counts),
    )


def paper_label(name: str) -> str:
    """How a table names a paper: A6, A4, Letter."""
    return "Letter" if name == "letter" else name.upper()


def print_shop(paper: Paper) -> dict[str, str]:
    """The facts a print shop asks for, from the paper the a6 deck is made on."""
    width, height = (f"{v:g}" for v in paper.card)
    return {
        "name": paper.name,
        "label": paper.name.upper(),
        "width": width,
        "height": height,
        "full": " x ".join(f"{v + 2 * paper.bleed:g}" for v in paper.card),
        "bleed": f"{paper.bleed:g}",
        "pdfx": PDFX,
        "output_condition": OUTPUT_CONDITION,
    }


def downloads(counts: dict[str, int]) -> list[dict]:
    """A row per deck made (and the calibration sheet): each paper's file and pages, or None."""
    made = {(deck, paper): (file, pages) for file, deck, paper, pages in planned(counts)}
    rows = []
    for deck in [*(d for d in DECKS if counts[d]), "calibration"]:
        cells = []
        for paper in PAPERS:
            entry = made.get((deck, paper))
            cells.append({"file": Markup(entry[0]), "pages": entry[1]} if entry else None)
        rows.append({"title": DECK_TITLES[deck].capitalize(), "cells": cells})
    return rows


def pack_groups(kb: KnowledgeBase) -> list[dict]:
    """The session packs, by setting then by failure type: each guide's first page, and every file by paper."""
    from .guides import PAPERS as GUIDE_PAPERS
    from .guides import file_name, roleplay_file

    found = packs(kb)
    groups = []
    for kind, called in KINDS.items():
        group = [
            {
                "label_html": Markup(escape(pack.label)),
                "label_md": Markup(md_text(pack.label)),
                "handout_md": Markup(md_text(pack.handout_label.lower())),
                "stories": len(pack.stories),
                "preview": Markup(file_name(pack, "guide", GUIDE_PAPERS[0], "png")),
                "guide_pdf": Markup(file_name(pack, "guide", GUIDE_PAPERS[0])),
                "guide": _by_paper(GUIDE_PAPERS, lambda paper, pack=pack: file_name(pack, "guide", paper)),
                "handout": _by_paper(GUIDE_PAPERS, lambda paper, pack=pack: file_name(pack, "handout", paper)),
                "roleplay": _by_paper(PAPERS, lambda paper, pack=pack: roleplay_file(pack, paper)),
            }
            for pack in found
            if pack.kind == kind
        ]
        if group:
            groups.append({"called": called, "packs": group})
    return groups


def _by_paper(papers, path) -> list[tuple[str, Markup]]:
    return [(paper_label(paper), Markup(path(paper))) for paper in papers]


def previews(shown: dict[str, list], counts: dict[str, int]) -> list[dict]:
    """Each deck with cards to show: its title, how many it has, and each card's two faces and name."""
    return [
        {
            "title": DECK_TITLES[deck].capitalize(),
            "total": counts[deck],
            "cards": [
                {
                    "faces": [
                        Markup(_one_line(preview_html(card, side, f"p-{deck}-{number}-{side}")))
                        for side in ("front", "back")
                    ],
                    "name": Markup(escape(_name(card))),
                }
                for number, card in enumerate(cards, 1)
            ],
        }
        for deck, cards in shown.items()
        if cards
    ]


def md_text(text: str) -> str:
    """Text in a Markdown table cell: HTML escaped, pipes and Markdown's marks kept literal."""
    return escape(text).replace("|", "&#124;").replace("*", "&#42;").replace("_", "&#95;").replace("[", "&#91;")


def _name(card) -> str:
    name = card.name.replace("`", "")
    return f"{name[0].upper()}{name[1:]}"


def _one_line(html: str) -> str:
    # Raw HTML on one line: Markdown leaves it alone, blank lines cannot end the block.
    return " ".join(line.strip() for line in html.splitlines() if line.strip())
