"""What the site build publishes under cards/: the PDFs, cards.json, and the stylesheet and fonts of the preview."""

from __future__ import annotations

from .pdfs import Result
from .layout import FONTS, STYLESHEET
from .manifest import NAME, manifest_json

# Said once per build when mkdocs.yml has no site_url.
NO_SITE_URL = "cards: site_url is not set in mkdocs.yml; QR codes on the cards carry the page path only"
FOLDER = "cards"


def site_files(result: Result) -> list[tuple[str, dict]]:
    """(path in the site, File.generated keyword arguments) for every file under cards/."""
    files = []
    for built in result.built:
        source = {"abs_src_path": str(built.path)} if built.path else {"content": built.data or b""}
        files.append((f"{FOLDER}/{built.product.file}", source))
    files.append((f"{FOLDER}/{NAME}", {"content": manifest_json(result.manifest)}))
    files.append((f"{FOLDER}/{STYLESHEET.name}", {"abs_src_path": str(STYLESHEET)}))
    for font in sorted(FONTS.iterdir()):
        files.append((f"{FOLDER}/fonts/{font.name}", {"abs_src_path": str(font)}))
    return files
