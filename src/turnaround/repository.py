"""Where things live in a Turnaround repository, and its settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

# The collections: name -> folder holding one Markdown file per entry.
COLLECTIONS = {"steps": "docs/steps", "sources": "docs/sources", "stories": "stories"}
VOCABULARIES = "data/vocabularies.yml"
FRAMEWORKS = "data/frameworks.yml"
DOCS = "docs"


@dataclass(frozen=True)
class Settings:
    """Project settings from `[tool.turnaround]` in pyproject.toml."""

    review_interval_days: int = 365
    phone_region: str = "US"


class NotARepository(Exception):
    """Raised when no Turnaround repository encloses a folder."""


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds a Turnaround pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_root(folder):
            return folder
    raise NotARepository(f"{here} is not inside a Turnaround repository (no pyproject.toml with [tool.turnaround])")


def _is_root(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    try:
        return pyproject.is_file() and "[tool.turnaround]" in pyproject.read_text("utf-8")
    except OSError:
        return False


def load_settings(root: Path) -> Settings:
    """Read the settings; a missing table or key keeps the default."""
    with open(root / "pyproject.toml", "rb") as handle:
        table = tomllib.load(handle).get("tool", {}).get("turnaround", {})
    known = Settings.__dataclass_fields__
    return Settings(**{key: value for key, value in table.items() if key in known})


def entry_files(root: Path, collection: str) -> list[Path]:
    """Every Markdown file of a collection, sorted by name."""
    folder = root / COLLECTIONS[collection]
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def stray_files(root: Path, collection: str) -> list[Path]:
    """Files under a collection's folder that can never become one of its pages
    (not `*.md`, or in a sub-folder); hidden files such as `.gitkeep` are not content."""
    folder = root / COLLECTIONS[collection]
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and not (path.parent == folder and path.suffix == ".md")
    )


def rel(root: Path, path: Path) -> str:
    """A path relative to the repository, with forward slashes."""
    # The usual case, a path made from the root, needs no look at the disk.
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
