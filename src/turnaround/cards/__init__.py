"""Printable cards: step cards, the one-card checklist and role-play cards as PDFs.

`model` takes what goes on each card from the knowledge base, `layout` places
the faces on each paper, `typeset` lays the faces out with Typst, each on a
page of its own, in parts of a few cards, and each deck's sheet frames,
`assemble` draws a deck's faces on its sheets (pikepdf, form XObjects; each
library imported only when a PDF must be made), `typeset.calibration` is the
duplex calibration sheet, `cache` keeps parts and PDFs by content, `pdfs.build`
makes every product and `manifest` lists them in cards.json; `page` is the
/cards/ page and `site` what the MkDocs hook publishes. `packs` makes the
session packs (a setting or failure type with 3 stories or more) and `guides`
their facilitator guides and handouts (Typst, templates/guides.typ).
"""

from __future__ import annotations

from .cache import Cache, default_dir
from .errors import CardError
from .pdfs import Built, Product, Result, build, created_from_environment, products, write
from .site import NO_SITE_URL, failure, site_files

__all__ = [
    "NO_SITE_URL",
    "Built",
    "Cache",
    "CardError",
    "Product",
    "Result",
    "build",
    "created_from_environment",
    "default_dir",
    "failure",
    "products",
    "site_files",
    "write",
]
