"""A content-keyed store of rendered PDFs, so `mkdocs serve` re-renders only what changed.

The key hashes everything a PDF is made from: the product's fingerprint (its
cards' data, the URL of each QR code, the paper and the date), every file of
this package (code, templates, stylesheets, fonts) and the versions of the
libraries that shape the output. It lives outside docs/ (default
`.cache/cards/` in the repository, which git ignores).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import lru_cache
from pathlib import Path

from ..storage import code_digest, write_atomic
from .layout import HERE

# Bump to drop every cached PDF at once.
FORMAT = "3"
# The libraries whose versions change the bytes of a PDF.
LIBRARIES = ("typst", "pikepdf", "segno")
# A cached PDF no build has used for this long is deleted.
KEEP_DAYS = 30
# What may be kept beside a cached PDF: a deck part made ready to be put together (`assemble.fragment`).
EXTRAS = (".frag",)


def default_dir(root: Path, folder: Path | None = None) -> Path:
    """The cache folder: the `cache_dir` option when set (`!ENV TURNAROUND_CARDS_CACHE`), else .cache/cards."""
    return folder or root / ".cache" / "cards"


def key(fingerprint: str) -> str:
    digest = hashlib.sha256(_package_digest().encode())
    digest.update(fingerprint.encode("utf-8"))
    return digest.hexdigest()[:40]


@lru_cache(maxsize=1)
def _package_digest() -> str:
    # This package's files and the libraries' versions: the same for every PDF of a run.
    files = [p for p in HERE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return code_digest(HERE, files, LIBRARIES, FORMAT)


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
            os.utime(record)  # used now: `prune` keeps it
        except (OSError, ValueError, KeyError):
            return None
        return (pdf, pages) if pdf.is_file() else None

    def put(self, name: str, pdf: bytes, pages: int) -> Path | None:
        if self.folder is None:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.pdf"
        write_atomic(path, pdf)
        write_atomic(self.folder / f"{name}.json", json.dumps({"pages": pages}).encode())
        return path

    def get_extra(self, name: str, suffix: str) -> bytes | None:
        """What was kept beside a PDF (such as a deck part made ready, `.frag`), when its PDF is cached."""
        if self.folder is None:
            return None
        try:
            return (self.folder / f"{name}{suffix}").read_bytes()
        except OSError:
            return None

    def put_extra(self, name: str, suffix: str, data: bytes) -> None:
        """Keep `data` beside the cached PDF `name`; pruned with it."""
        if self.folder is not None:
            write_atomic(self.folder / f"{name}{suffix}", data)

    def prune(self, now: float | None = None) -> int:
        """Delete the PDFs no build has used for KEEP_DAYS; the number deleted."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        cutoff = (now or time.time()) - KEEP_DAYS * 86400
        gone = 0
        for record in self.folder.glob("*.json"):
            try:
                if record.stat().st_mtime < cutoff:
                    record.with_suffix(".pdf").unlink(missing_ok=True)
                    for extra in EXTRAS:
                        record.with_suffix(extra).unlink(missing_ok=True)
                    record.unlink()
                    gone += 1
            except OSError:
                continue  # another build may be pruning the same folder
        return gone
