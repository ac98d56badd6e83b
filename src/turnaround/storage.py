"""What the build keeps on disk between runs: files written whole, and the digest that keys them.

The check store (`file_checks.py`) and the card PDF cache (`cards/cache.py`) both
write their records here and key them by the code and library versions that made them.
"""

from __future__ import annotations

import hashlib
import os
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
