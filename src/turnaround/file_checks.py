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
import pickle
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .frontmatter import Document
from .model import Entry
from .problems import Problem
from .repository import FRAMEWORKS, VOCABULARIES, Settings
from .storage import code_digest, write_atomic

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
    """Checked files by the hash of their path and bytes, in one pickle per set of rules."""

    def __init__(self, folder: Path | None, rules: str):
        self.folder = folder
        self.path = folder / f"{rules}.pickle" if folder else None
        self.old: dict[str, Checked] = self._read()
        self.new: dict[str, Checked] = {}

    @classmethod
    def open(cls, root: Path, settings: Settings) -> Store:
        return cls(root / ".cache" / "checks", rules_digest(root, settings))

    def get(self, rel: str, raw: bytes, path: Path) -> Checked | None:
        """The stored record of these bytes at this path, pointed at where the file is now."""
        key = _key(rel, raw)
        found = self.old.get(key)
        if found is None:
            return None
        self.new[key] = found
        # The repository may have moved since: the record is made again at the new place (its scans are redone).
        if found.entry is not None and found.entry.path != path:
            return Checked(found.doc, dataclasses.replace(found.entry, path=path), found.problems)
        return found

    def put(self, rel: str, raw: bytes, checked: Checked) -> Checked:
        self.new[_key(rel, raw)] = checked
        return checked

    def save(self) -> None:
        """Keep the records this build used, and drop stores made under other rules."""
        if self.path is None or self.new.keys() == self.old.keys():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, pickle.dumps(self.new, protocol=pickle.HIGHEST_PROTOCOL))
            for other in self.folder.glob("*.pickle"):
                if other != self.path:
                    other.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only checkout builds as well, only slower next time

    def _read(self) -> dict[str, Checked]:
        # A missing, truncated or foreign store is an empty one: everything is checked again.
        try:
            found = pickle.loads(self.path.read_bytes()) if self.path else {}
        except Exception:
            return {}
        return found if isinstance(found, dict) else {}


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
