"""The /cards/ page: how to print, a link to every PDF, and each card as it prints.

The preview is the cards' HTML with the cards' stylesheet (the faces that
templates/cards.typ prints, drawn the same way), shown at the size of the A4
product's cards. Only a
few role-play cards are previewed, so the page stays light with many stories;
all of them are in the PDFs. Nothing here renders a PDF: the page is built
whenever the knowledge base loads, even by `turnaround check`.
"""

from __future__ import annotations

from html import escape

from .. import content
from ..model import KnowledgeBase
from .layout import DECK_TITLES, OUTPUT_CONDITION, PAPERS, PDFX, Paper, preview_html
from .model import DECKS, checklist_card, roleplay_card, step_card
from .packs import KINDS, packs
from .pdfs import planned
from .site import HOW_TO_SET

PAGE = content.CARDS
# Role-play cards shown on the page; the PDFs hold them all.
ROLEPLAY_PREVIEWS = 3
# How each paper's PDFs are printed.
PRINTING = {
    "a6": (
        "Send to a print shop as is: each page is one side of a card (front, back, front...), with 3 mm bleed and "
        "crop marks. What to tell the shop is [below](#for-the-print-shop)."
    ),
    "a4": (
        "Print at **actual size (100%)**, two-sided, **flip on long edge**. Cut along the marks in the margins: "
        "each card is 100 x 140 mm."
    ),
    "letter": (
        "The sheets are landscape. Print at **actual size (100%)**, two-sided, **flip on short edge**. Cut along "
        "the marks in the margins: each card is 4 x 6 in."
    ),
}


def build(kb: KnowledgeBase) -> dict[str, str]:
    """The page builder (see turnaround.pages.builders)."""
    return {PAGE: markdown(kb, kb.site_url)}


def markdown(kb: KnowledgeBase, site_url: str | None) -> str:
    """The page; it makes only the cards it previews, however many stories there are."""
    counts = {"steps": len(kb.steps), "checklist": 1 if kb.steps else 0, "roleplay": len(kb.stories)}
    made = planned(counts)
    shown = {
        "steps": [step_card(kb, step, site_url) for step in kb.steps],
        "checklist": [checklist_card(kb, site_url)] if kb.steps else [],
        "roleplay": [
            roleplay_card(kb, story, n, site_url) for n, story in enumerate(kb.stories[:ROLEPLAY_PREVIEWS], 1)
        ],
    }
    lines = [
        "---",
        "title: Printable cards",
        "description: Step cards, the one-card checklist and role-play cards, ready to print at the office or a "
        "print shop.",
        "---",
        "",
        "# Printable cards",
        "",
        "Three decks, made from the same pages as this site: a **step card** for each",
        "recovery step (read-do: what to do on the front; why, what to say and what to",
        "avoid on the back), the **checklist card** (do-confirm: every step on one card),",
        "and a **role-play card** for each story (the situation on the front; what",
        "happened and the better recovery on the back).",
        "",
        "Each QR code has its page's address printed beside it, for a phone that cannot",
        "scan. The A4 and Letter PDFs are tagged for screen readers, which read each",
        "card's front and then its back.",
        "",
    ]
    if not site_url:
        # Without the address a QR code would encode a bare path, which no phone opens: say how to fix it.
        lines += [
            '!!! warning "These cards have no QR codes"',
            "",
            "    This site was built without its address, so each card prints its page's",
            "    path (such as `/checklists/`) instead of a QR code. To print QR codes that",
            f"    open the pages, build with the address: {HOW_TO_SET}.",
            "",
        ]
    lines += [
        "## How to print",
        "",
        "1. Print the **duplex calibration sheet** for your paper first, at actual size",
        "   (100%), two-sided. It shows whether the backs land behind the fronts and",
        "   which flip edge your printer needs.",
        '2. Always print at **actual size (100%)**: never "fit to page" or "shrink".',
        "3. Print two-sided with the flip edge given below, then cut along the marks.",
        "",
        "Each paper:",
        "",
    ]
    for paper in PAPERS.values():
        lines += [f"- **{paper.title}.** {PRINTING[paper.name]}"]
    lines += [
        "",
        "No duplex printer? Print the fronts, put the printed stack back in the tray",
        "(the calibration sheet shows which way round), and print the backs; or glue",
        "the two sides back to back. There is no fold-over version: with front and back",
        "side by side it would halve the cards per sheet, and a folded card needs gluing.",
        "",
        *print_shop(PAPERS["a6"]),
        "",
        "## Download",
        "",
        "| deck | " + " | ".join(PAPERS[p].name.upper() if p != "letter" else "Letter" for p in PAPERS) + " |",
        "| --- | " + " | ".join("---" for _ in PAPERS) + " |",
    ]
    for deck in [*(d for d in DECKS if counts[d]), "calibration"]:
        cells = []
        for paper in PAPERS:
            entry = next((p for p in made if p[1] == deck and p[2] == paper), None)
            cells.append(f"[{entry[0]}]({entry[0]}) ({entry[3]} pages)" if entry else "-")
        lines.append(f"| {DECK_TITLES[deck].capitalize()} | " + " | ".join(cells) + " |")
    lines += ["", *pack_section(kb)]
    lines += [
        "",
        "The list of files is also in [cards.json](cards.json), for scripts.",
        "",
        "## The cards as they print",
        "",
        "The A4 cards (100 x 140 mm), front and back, shown at 85% of their printed size.",
        "",
    ]
    for deck, cards in shown.items():
        if not cards:
            continue
        lines += [f"### {DECK_TITLES[deck].capitalize()}", ""]
        if counts[deck] > len(cards):
            lines += [f"The first {len(cards)} of {counts[deck]}; every one is in the PDFs.", ""]
        lines += ['<div class="ta-preview">']
        for number, card in enumerate(cards, 1):
            faces = "".join(
                f'<div class="ta-slot">{_one_line(preview_html(card, side, f"p-{deck}-{number}-{side}"))}</div>'
                for side in ("front", "back")
            )
            lines.append(f'<figure class="ta-pair">{faces}<figcaption>{_caption(card)}</figcaption></figure>')
        lines += ["</div>", ""]
    lines += ['<link rel="stylesheet" href="cards.css">', ""]
    return "\n".join(lines)


def print_shop(paper: Paper) -> list[str]:
    """The facts a print shop asks for, from the paper the a6 deck is made on."""
    width, height = (f"{v:g}" for v in paper.card)
    full = " x ".join(f"{v + 2 * paper.bleed:g}" for v in paper.card)
    return [
        "## For the print shop",
        "",
        f"Send the {paper.name.upper()} files (those ending in `-{paper.name}.pdf`) and tell the shop:",
        "",
        f"- **Size:** {paper.name.upper()}, {width} x {height} mm trimmed, portrait. Each page is {full} mm:",
        f"  the card and **{paper.bleed:g} mm bleed** on every side, with crop marks in the bleed (TrimBox and",
        "  BleedBox are set on every page).",
        f"- **File:** {PDFX}, every font embedded.",
        f"- **Colours:** sRGB (the output intent is {OUTPUT_CONDITION}). The files hold no CMYK:",
        "  the shop converts to its press, or prints them on a digital press as they are.",
        "- **Two-sided:** the pages run front, back, front, back; pages 1 and 2 are the first card.",
        "  Print duplex with each back behind its front, both sides upright: **flip on the long edge**",
        "  (head to head).",
        "- **Stock and cutting:** card stock, cut at the crop marks.",
    ]


def pack_section(kb: KnowledgeBase) -> list[str]:
    """The session packs, by setting then by failure type: each guide's first page, and a link to every file."""
    from .guides import PAPERS as GUIDE_PAPERS
    from .guides import file_name, roleplay_file

    found = packs(kb)
    if not found:
        return []
    lines = [
        "## Session packs",
        "",
        "A pack for each setting and each failure type with at least three stories: a **facilitator guide**",
        "(a 30- and a 60-minute plan with timings, the step cards to hand out, role-play pairs, debrief",
        "questions and the answer key for each story, and a closing checklist drill), a one-page **handout**",
        "of the checklist, and a **role-play deck** of the pack's stories only, on every paper.",
        "",
    ]
    paper_names = {name: ("Letter" if name == "letter" else name.upper()) for name in PAPERS}
    for kind, called in KINDS.items():
        group = [p for p in found if p.kind == kind]
        if not group:
            continue
        lines += [f"### By {called}", "", "| guide, first page | pack | guide | handout | role-play cards |"]
        lines += ["| --- | --- | --- | --- | --- |"]
        for pack in group:
            preview = file_name(pack, "guide", GUIDE_PAPERS[0], "png")
            label = escape(pack.label)
            # The preview opens the A4 guide; each link's title says which file it is, for screen readers too.
            image = (
                f'<a href="{file_name(pack, "guide", GUIDE_PAPERS[0])}"><img src="{preview}" '
                f'alt="First page of the {label} facilitator guide (A4 PDF)" width="150"></a>'
            )
            files = {
                "facilitator guide": {paper: file_name(pack, "guide", paper) for paper in GUIDE_PAPERS},
                "handout": {paper: file_name(pack, "handout", paper) for paper in GUIDE_PAPERS},
                "role-play cards": {paper: roleplay_file(pack, paper) for paper in PAPERS},
            }
            guide, handout, decks = (
                " · ".join(
                    f'[{paper_names[paper]}]({path} "{label} {what}, {paper_names[paper]}")'
                    for paper, path in by_paper.items()
                )
                for what, by_paper in files.items()
            )
            stories = len(pack.stories)
            name = f"**{md_text(pack.label)}**<br>{stories} stories; handout: {md_text(pack.handout_label.lower())}"
            lines.append(f"| {image} | {name} | {guide} | {handout} | {decks} |")
        lines.append("")
    return lines


def md_text(text: str) -> str:
    """Text in a Markdown table cell: HTML escaped, pipes and Markdown's marks kept literal."""
    return escape(text).replace("|", "&#124;").replace("*", "&#42;").replace("_", "&#95;").replace("[", "&#91;")


def _caption(card) -> str:
    name = card.name.replace("`", "")
    return escape(f"{name[0].upper()}{name[1:]}: front and back")


def _one_line(html: str) -> str:
    # Raw HTML on one line: Markdown leaves it alone, blank lines cannot end the block.
    return " ".join(line.strip() for line in html.splitlines() if line.strip())
