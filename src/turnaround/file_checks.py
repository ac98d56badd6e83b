"""Each content file's own checks, kept by content so a rebuild re-checks only the files that changed.

What one file yields on its own (its front matter and body, the problems found
in it alone, its sections, anchors and links) depends only on its path, its
bytes and the rules. A record's key hashes the path and the bytes; the store's
name hashes the rules: this package's code, the vocabularies and frameworks,
the settings, and the versions of Python and of the libraries that read and
check. Checks between files (references, links to other pages) run on every
build. The store lives in `.cache/checks/` (git ignores `.cache/`); the site
build uses it, `turnaround check` does not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .frontmatter import Document
from .model import Entry
from .problems import Problem
from .repository import FRAMEWORKS, VOCABULARIES, Settings
from .storage import Records, code_digest

# Bump to drop every stored record at once.
FORMAT = "1"
# The libraries whose versions change what a file's checks find.
LIBRARIES = ("PyYAML", "jsonschema", "phonenumbers", "Markdown")
HERE = Path(__file__).resolve().parent


@dataclass
class Checked:
    """One file read and checked on its own: the entry is None when its front matter cannot be read."""

    doc: Document
    entry: Entry | None
    problems: list[Problem]  # the file's own problems, besides those of reading it (doc.problems)


class Store:
    """Checked files by the hash of their path and bytes, in one pickle per set of rules (`storage.Records`)."""

    def __init__(self, folder: Path | None, rules: str):
        self.records = Records(folder, rules)

    @classmethod
    def open(cls, root: Path, settings: Settings) -> Store:
        return cls(root / ".cache" / "checks", rules_digest(root, settings))

    def get(self, rel: str, raw: bytes, path: Path) -> Checked | None:
        """The stored record of these bytes at this path, pointed at where the file is now."""
        found = self.records.get(_key(rel, raw))
        if not isinstance(found, Checked):
            return None
        # The repository may have moved since: the record is made again at the new place (its scans are redone).
        if found.entry is not None and found.entry.path != path:
            return Checked(found.doc, dataclasses.replace(found.entry, path=path), found.problems)
        return found

    def put(self, rel: str, raw: bytes, checked: Checked) -> Checked:
        return self.records.put(_key(rel, raw), checked)

    def save(self) -> None:
        """Keep the records this build used, and drop stores made under other rules."""
        self.records.save()


def rules_digest(root: Path, settings: Settings) -> str:
    """Everything besides a file itself that its own checks depend on."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version} {settings!r}".encode())
    digest.update(_package_digest().encode())
    for name in (VOCABULARIES, FRAMEWORKS):
        try:
            digest.update((root / name).read_bytes())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def _package_digest() -> str:
    # This package's code and the libraries' versions: the same for every build of a process.
    # The card fonts decide which characters can be printed (printable.py).
    fonts = (HERE / "cards" / "fonts").iterdir()
    return code_digest(HERE, [*HERE.rglob("*.py"), *fonts, HERE / "cards" / "cards.css"], LIBRARIES)


def _key(rel: str, raw: bytes) -> str:
    return hashlib.sha256(rel.encode() + b"\0" + raw).hexdigest()
