"""A content-keyed store of rendered PDFs, so `mkdocs serve` re-renders only what changed.

The key hashes everything that reaches the PDF: the document's HTML (card
text, QR codes, paper, date), the stylesheets, the font files and the
versions of WeasyPrint and pydyf. It lives outside docs/ (default
`.cache/cards/` in the repository, which git ignores).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .layout import FONTS, HERE

# Bump when the rendering code changes in a way the inputs do not show.
FORMAT = "1"
# Overrides the cache folder (tests share one between copies of the repository).
ENV = "TURNAROUND_CARDS_CACHE"


def default_dir(root: Path) -> Path:
    return Path(os.environ[ENV]) if os.environ.get(ENV) else root / ".cache" / "cards"


def key(html: str) -> str:
    digest = hashlib.sha256(_assets_digest().encode())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()[:40]


@lru_cache(maxsize=1)
def _assets_digest() -> str:
    # Stylesheets, fonts and the renderer's versions: the same for every PDF of a run.
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted([*HERE.glob("*.css"), *FONTS.glob("*.ttf")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in ("weasyprint", "pydyf"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


class Cache:
    """PDFs by key, each with a small JSON record of its page count."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, name: str) -> tuple[Path, int] | None:
        if self.folder is None:
            return None
        pdf, record = self.folder / f"{name}.pdf", self.folder / f"{name}.json"
        try:
            pages = json.loads(record.read_text("utf-8"))["pages"]
        except (OSError, ValueError, KeyError):
            return None
        return (pdf, pages) if pdf.is_file() else None

    def put(self, name: str, pdf: bytes, pages: int) -> Path | None:
        if self.folder is None:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.pdf"
        _write_atomic(path, pdf)
        _write_atomic(self.folder / f"{name}.json", json.dumps({"pages": pages}).encode())
        return path


def _write_atomic(path: Path, data: bytes) -> None:
    # Write beside the target, then rename: a concurrent reader never sees half a file.
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temp, path)
