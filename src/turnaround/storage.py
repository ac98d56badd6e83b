"""What the build keeps on disk between runs: files written whole, records by key, and the digest that keys them.

The check store (`file_checks.py`), the built pages' allow-list verdicts
(`safe_html.py`) and the card PDF cache (`cards/cache.py`) write their records
here and key them by the code and library versions that made them.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a concurrent reader never sees half a file, and no temporary is left."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def code_digest(base: Path, files: Iterable[Path], libraries: Iterable[str], salt: str = "") -> str:
    """A digest of these files (their names under `base` and their bytes) and the installed libraries' versions."""
    digest = hashlib.sha256(salt.encode())
    for path in sorted(files):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())
    for package in libraries:
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


class Records:
    """Records by key, in one pickle per set of rules in `folder`: a build keeps the records it used, and drops
    the stores made under other rules. A missing, truncated or foreign store is an empty one."""

    def __init__(self, folder: Path | None, rules: str):
        self.folder = folder
        self.path = folder / f"{rules}.pickle" if folder else None
        self.old: dict = self._read()
        self.new: dict = {}

    def get(self, key: str):
        """The record kept under `key` (now kept for the next build too), or None."""
        found = self.old.get(key)
        if found is not None:
            self.new[key] = found
        return found

    def put(self, key: str, record):
        self.new[key] = record
        return record

    def save(self) -> None:
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

    def _read(self) -> dict:
        # The collector paused meanwhile: it would walk the growing store again and again while it is read.
        paused = gc.isenabled()
        gc.disable()
        try:
            found = pickle.loads(self.path.read_bytes()) if self.path else {}
        except Exception:
            return {}
        finally:
            if paused:
                gc.enable()
        return found if isinstance(found, dict) else {}
