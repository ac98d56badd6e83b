"""What the site build publishes under cards/: the PDFs, cards.json, and the stylesheet and fonts of the preview."""

from __future__ import annotations

from pathlib import Path

from ..problems import FILE, Problem
from .errors import CardError
from .layout import FONTS, STYLESHEET
from .manifest import NAME, manifest_json
from .pdfs import Result

# How to set the site's address: said by the build, the cards command and the cards page when it is missing.
HOW_TO_SET = "`SITE_URL=https://kb.example.org/ make site`, or `site_url:` in mkdocs.yml"
# Said once per build when the site has no address (INFO: a preview or a test build may well have none).
NO_SITE_URL = (
    f"cards: the site's address is not set, so the cards carry each page's path as text and no QR code; set it "
    f"with {HOW_TO_SET}"
)
FOLDER = "cards"
# Where a build reports cards that cannot be made at all (the error names no content file).
PACKAGE = "src/turnaround/cards"


def site_files(result: Result) -> list[tuple[str, Path | bytes]]:
    """(path in the site, the file on disk or its bytes) for every file under cards/."""
    files: list[tuple[str, Path | bytes]] = []
    for built in result.built:
        files.append((f"{FOLDER}/{built.product.file}", built.path or built.data or b""))
    manifest = manifest_json(result.manifest)
    files.append((f"{FOLDER}/{NAME}", manifest if isinstance(manifest, bytes) else manifest.encode("utf-8")))
    files.append((f"{FOLDER}/{STYLESHEET.name}", STYLESHEET))
    for font in sorted(FONTS.iterdir()):
        files.append((f"{FOLDER}/fonts/{font.name}", font))
    return files


def failure(err: CardError) -> Problem:
    """A failure to make the PDFs at all, as a problem of the build: the site is not published without its cards."""
    return Problem(
        PACKAGE, 1, FILE, f"the card PDFs cannot be made: {str(err).removeprefix('cards: ')}", "cards-failed"
    )
