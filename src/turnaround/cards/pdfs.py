"""Every deck on every paper, plus the calibration sheets: rendered (or taken from the cache) and listed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..model import KnowledgeBase, source_date_epoch
from ..problems import Problem
from . import typeset
from .cache import Cache, key
from .layout import CALIBRATED, PAPERS, Document, calibration_document, document_title, pages
from .manifest import Entry, write_manifest
from .model import Card, decks
from .render import Rendered, render

# Cards per cached part of a deck: whole sheets on every paper (4, 2 and 1 to a sheet).
PART_CARDS = 16


@dataclass
class Product:
    """One PDF to make: what it holds; its HTML is made when asked for."""

    file: str
    deck: str  # steps | checklist | roleplay | calibration
    paper: str  # a6 | a4 | letter
    cards: list[Card]
    created: str | None = None
    cards_digest: str = ""  # a hash of what the cards hold, made once for all papers of a deck

    def document(self) -> Document:
        """The HTML of the calibration sheet (WeasyPrint); the decks are laid out by `typeset`."""
        return calibration_document(PAPERS[self.paper], self.created)

    def fingerprint(self) -> str:
        """Everything the HTML is made from, as text: with the package's own files, the cache key.

        Cheaper than the HTML itself (no templates, no QR codes), so a build whose
        PDFs are all cached stays quick with thousands of stories.
        """
        return json.dumps([self.file, self.created, self.cards_digest or _cards_digest(self.cards)])


def _cards_digest(cards: list[Card]) -> str:
    """A hash of what every card holds."""
    text = json.dumps(
        [[c.kind, c.name, c.source, c.link.url, c.data, c.where] for c in cards], sort_keys=True, default=_plain
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_name(deck: str, paper: str) -> str:
    return f"{deck}-{paper}.pdf"


def planned(counts: dict[str, int]) -> list[tuple[str, str, str, int]]:
    """(file, deck, paper, pages) of every product, from the number of cards in each deck alone."""
    found = [
        (file_name(deck, paper), deck, paper, pages(deck, count, PAPERS[paper]))
        for deck, count in counts.items()
        if count
        for paper in PAPERS
    ]
    return found + [(file_name("calibration", paper), "calibration", paper, 2) for paper in CALIBRATED]


@dataclass
class Built:
    """A product made: its PDF (a cached file, or bytes when it could not be cached) and page count."""

    product: Product
    pages: int
    cached: bool
    path: Path | None = None
    data: bytes | None = None


@dataclass
class Result:
    built: list[Built] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def manifest(self) -> list[Entry]:
        return [
            Entry(b.product.file, b.product.deck, b.product.paper, len(b.product.cards), b.pages) for b in self.built
        ]


def products(kb: KnowledgeBase, site_url: str | None, created: str | None = None) -> list[Product]:
    """The PDFs, in manifest order: each deck on each paper, then the calibration sheets."""
    found = []
    for deck in decks(kb, site_url):
        if deck.cards:
            digest = _cards_digest(deck.cards)
            found += [
                Product(file_name(deck.name, paper), deck.name, paper, deck.cards, created, digest) for paper in PAPERS
            ]
    found += [Product(file_name("calibration", paper), "calibration", paper, [], created) for paper in CALIBRATED]
    return found


def build(kb: KnowledgeBase, site_url: str | None, cache: Cache, created: str | None = None) -> Result:
    """Every product, from the cache where it can be; the cached file is the result's path.

    A deck is made of parts of PART_CARDS cards, each cached by its own
    content: a changed story renders its part again on each paper, and the
    deck is put together from the parts. A part with an overflowing card is
    still rendered (to look at) but never cached, so the problem is reported
    again until the text is shortened.
    """
    result = Result()
    for product in products(kb, site_url, created):
        name = key(product.fingerprint())
        hit = cache.get(name)
        if hit:
            result.built.append(Built(product, hit[1], cached=True, path=hit[0]))
            continue
        rendered = make(product, cache)
        result.problems += rendered.problems
        path = None if rendered.problems else cache.put(name, rendered.pdf, rendered.pages)
        result.built.append(
            Built(product, rendered.pages, cached=False, path=path, data=None if path else rendered.pdf)
        )
    cache.prune()
    return result


def make(product: Product, cache: Cache) -> Rendered:
    """One product's PDF: the calibration sheet with WeasyPrint, a deck from its parts."""
    if product.deck == "calibration":
        return render(product.document(), PAPERS[product.paper])
    return deck_pdf(product, cache)


def deck_pdf(product: Product, cache: Cache) -> Rendered:
    """A deck on its paper: each part from the cache or laid out now, then put together."""
    paper = PAPERS[product.paper]
    cards = product.cards
    size = PART_CARDS if product.deck != "checklist" else len(cards)
    groups = [cards[i : i + size] for i in range(0, len(cards), size)]
    total = pages(product.deck, len(cards), paper) // 2
    parts: list[Path | bytes] = []
    problems: list[Problem] = []
    count = 0
    for index, group in enumerate(groups):
        first_sheet = index * (size // paper.per_sheet) + 1
        name = key(json.dumps([product.deck, product.paper, product.created, first_sheet, total, _cards_digest(group)]))
        hit = cache.get(name)
        if hit:
            parts.append(hit[0])
            count += hit[1]
            continue
        rendered = typeset.render(
            typeset.sheets(product.deck, group, paper, first_sheet, total), paper, product.created
        )
        problems += rendered.problems
        path = None if rendered.problems else cache.put(name, rendered.pdf, rendered.pages)
        parts.append(path or rendered.pdf)
        count += rendered.pages
    from .assemble import assemble  # pikepdf: loaded only when a deck is put together

    return Rendered(assemble(parts, document_title(product.deck, paper), paper), count, problems)


def write(result: Result, out: Path) -> list[Path]:
    """Copy the PDFs and write cards.json into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for built in result.built:
        target = out / built.product.file
        if built.path:
            shutil.copyfile(built.path, target)
        else:
            target.write_bytes(built.data or b"")
        written.append(target)
    written.append(write_manifest(result.manifest, out))
    return written


def _plain(value):
    # The card data holds small frozen dataclasses (a phase, a step reference).
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else str(value)


def created_from_environment() -> str | None:
    """The PDFs' creation date: SOURCE_DATE_EPOCH when set (reproducible builds), else none at all."""
    moment = source_date_epoch()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
