"""Every deck on every paper, plus the calibration sheets: rendered (or taken from the cache) and listed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..model import KnowledgeBase
from ..problems import Problem
from .cache import Cache, key
from .layout import CALIBRATED, PAPERS, Document, calibration_document, deck_document
from .manifest import Entry, write_manifest
from .model import Card, decks
from .render import render


@dataclass
class Product:
    """One PDF to make: what it holds; its HTML is made when asked for."""

    file: str
    deck: str  # steps | checklist | roleplay | calibration
    paper: str  # a6 | a4 | letter
    cards: list[Card]
    created: str | None = None

    def document(self) -> Document:
        paper = PAPERS[self.paper]
        if self.deck == "calibration":
            return calibration_document(paper, self.created)
        return deck_document(self.deck, self.cards, paper, self.created)

    @property
    def pages(self) -> int:
        """Pages of the PDF, from the layout: fronts and backs of every sheet."""
        if self.deck == "calibration" or self.deck == "checklist" and self.paper != "a6":
            return 2
        return 2 * -(-len(self.cards) // PAPERS[self.paper].per_sheet)


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
        return [Entry(b.product.file, b.product.deck, b.product.paper, len(b.product.cards), b.pages) for b in self.built]


def products(kb: KnowledgeBase, site_url: str | None, created: str | None = None) -> list[Product]:
    """The PDFs, in manifest order: each deck on each paper, then the calibration sheets."""
    found = []
    for deck in decks(kb, site_url):
        if deck.cards:
            found += [Product(f"{deck.name}-{paper}.pdf", deck.name, paper, deck.cards, created) for paper in PAPERS]
    found += [Product(f"calibration-{paper}.pdf", "calibration", paper, [], created) for paper in CALIBRATED]
    return found


def build(kb: KnowledgeBase, site_url: str | None, cache: Cache, created: str | None = None) -> Result:
    """Render every product that is not in the cache; the cached file is the result's path.

    A product with an overflowing card is still rendered (to look at) but never
    cached, so the problem is reported again until the text is shortened.
    """
    result = Result()
    for product in products(kb, site_url, created):
        document = product.document()
        name = key(document.html)
        hit = cache.get(name)
        if hit:
            result.built.append(Built(product, hit[1], cached=True, path=hit[0]))
            continue
        rendered = render(document, PAPERS[product.paper])
        result.problems += rendered.problems
        path = None if rendered.problems else cache.put(name, rendered.pdf, rendered.pages)
        result.built.append(Built(product, rendered.pages, cached=False, path=path, data=None if path else rendered.pdf))
    return result


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


def created_from_environment() -> str | None:
    """The PDFs' creation date: SOURCE_DATE_EPOCH when set (reproducible builds), else none at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
