"""Where things live in a Turnaround repository, and its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The collections: name -> folder holding one Markdown file per entry.
COLLECTIONS = {"steps": "docs/steps", "sources": "docs/sources", "stories": "stories"}
VOCABULARIES = "data/vocabularies.yml"
FRAMEWORKS = "data/frameworks.yml"
# The folder MkDocs builds from, unless mkdocs.yml's docs_dir says otherwise.
DOCS = "docs"
# A site's overrides of the generated pages' templates: this folder under its theme's custom_dir.
TEMPLATE_OVERRIDES = "turnaround"
# What marks a repository's root.
CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class Settings:
    """The project's options (`extra: turnaround:` in mkdocs.yml, read by `turnaround.options`), as plain data.

    Only the first two change what a file's own checks find (`repr` keys the checks' cache).
    """

    review_interval_days: int = 365
    phone_region: str = "US"
    docs_dir: str = field(default=DOCS, repr=False)  # mkdocs.yml's docs_dir, relative to the root
    site_url: str | None = field(default=None, repr=False)  # the address the cards' QR codes point to
    cache_dir: Path | None = field(default=None, repr=False)  # the card PDFs' cache; None: .cache/cards
    repo_url: str | None = field(default=None, repr=False)  # mkdocs.yml's repo_url: edit links only with one
    # A site's own templates of generated pages (<theme.custom_dir>/turnaround/); None: the package's only.
    templates_dir: Path | None = field(default=None, repr=False)


class NotARepository(Exception):
    """Raised when no Turnaround repository encloses a folder."""


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds a Turnaround mkdocs.yml (one with the Turnaround hooks)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_root(folder):
            return folder
    raise NotARepository(f"{here} is not inside a Turnaround repository (no {CONFIG} with the Turnaround hooks)")


def _is_root(folder: Path) -> bool:
    config = folder / CONFIG
    try:
        return config.is_file() and "turnaround_site.py" in config.read_text("utf-8")
    except OSError:
        return False


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
