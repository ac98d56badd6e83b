"""The plain projects `make bench` measures the site build against: mkdocs-material with no hooks.

`same_pages` writes out, as ordinary Markdown files, every page the hooks
would give the build (the hand-written pages with their snippets, the step,
source and story pages with their generated parts and tags, the generated
pages, the card files), with the project's own configuration and filled-in nav
but no hooks: the same site, so the difference between the two builds is what
the hooks cost. `stories_only` is the bare reference: the hand-written pages
and the story files as they are, out of the nav, and nothing generated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from . import cards, pages
from .loader import load
from .repository import COLLECTIONS, DOCS

# Top-level keys of mkdocs.yml the plain builds leave out: the hooks and what only they need
# (edit_uri: the hooks drop it when no REPO_URL is set, and MkDocs warns of an edit_uri without repo_url);
# `same_pages` writes its own nav (filled in as the hooks fill it) and not_in_nav.
HOOK_KEYS = ("hooks", "watch", "nav", "not_in_nav", "edit_uri")
# What a plain project shares with the project besides docs/: the theme's overrides.
SHARED = ["overrides"]
# The keys `stories_only` keeps: the same theme, plugins, Markdown extensions and CSS; no nav.
STORIES_ONLY_KEYS = ("theme", "plugins", "markdown_extensions", "extra_css")


def same_pages(project: Path, folder: Path) -> Path:
    """The project's site as plain Markdown files and a hook-free mkdocs.yml in `folder`.

    The card PDFs are taken from the project's card cache: build the project once first.
    """
    kb = load(project)
    _copy_shared(project, folder)
    docs = folder / DOCS
    entries = {entry.src_uri: entry for entry in kb.entries()}
    # Hand-written pages get their snippets; entry pages their generated parts, their meta kept as front matter.
    for path in sorted((project / DOCS).rglob("*.md")):
        uri = path.relative_to(project / DOCS).as_posix()
        if uri not in entries:
            _write(docs / uri, pages.decorate(kb, uri, path.read_text("utf-8"))[1])
    for uri, entry in entries.items():
        meta, markdown = pages.decorate(kb, uri, entry.body)
        front = yaml.safe_dump({**entry.meta, **meta}, allow_unicode=True, sort_keys=False)
        _write(docs / uri, f"---\n{front}---\n{markdown}")
    for uri, markdown in pages.generated_pages(kb).items():
        _write(docs / uri, markdown)
    result = cards.build(kb, cards.configured_site_url(project), cards.Cache(cards.default_dir(project)), cards.created_from_environment())
    for uri, source in cards.site_files(result):
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if "abs_src_path" in source:
            shutil.copyfile(source["abs_src_path"], target)
        else:
            content = source["content"]
            target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    # The nav as the hooks fill it; every other page out of the nav, as the hooks add them.
    config = (project / "mkdocs.yml").read_text("utf-8")
    nav = pages.fill_nav(yaml.safe_load(keep_blocks(config, ("nav",)))["nav"], kb)
    in_nav = set(_nav_pages(nav))
    outside = sorted({_pattern(p.relative_to(docs).as_posix()) for p in docs.rglob("*.md")} - {f"/{uri}" for uri in in_nav})
    others = [line.split(":", 1)[0] for line in config.splitlines() if line and not line[0].isspace() and not line.startswith("#") and ":" in line]
    kept = keep_blocks(config, tuple(k for k in others if k not in HOOK_KEYS))
    not_in_nav = "not_in_nav: |\n" + "".join(f"  {p}\n" for p in outside)
    (folder / "mkdocs.yml").write_text(kept + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False) + not_in_nav, "utf-8")
    return folder


def stories_only(project: Path, folder: Path) -> Path:
    """The hand-written pages and the story files as ordinary pages out of the nav; nothing generated."""
    _copy_shared(project, folder)
    shutil.copytree(project / COLLECTIONS["stories"], folder / DOCS / "stories")
    config = keep_blocks((project / "mkdocs.yml").read_text("utf-8"), STORIES_ONLY_KEYS)
    (folder / "mkdocs.yml").write_text(f"site_name: Plain Material\nnot_in_nav: /stories/\n{config}", "utf-8")
    return folder


def keep_blocks(config: str, keys: tuple[str, ...]) -> str:
    """The given top-level blocks of a mkdocs.yml, copied as written (YAML tags included)."""
    kept, keep = [], False
    for line in config.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            keep = line.split(":", 1)[0] in keys
        if keep:
            kept.append(line)
    return "\n".join(kept) + "\n"


def _copy_shared(project: Path, folder: Path) -> None:
    shutil.copytree(project / DOCS, folder / DOCS)
    for name in SHARED:
        if (project / name).is_dir():
            shutil.copytree(project / name, folder / name)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _nav_pages(nav) -> list[str]:
    # Every page path named in a nav, at any depth.
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def _pattern(uri: str) -> str:
    # A page out of the nav, as a not_in_nav pattern: a whole folder at once keeps the list short.
    return f"/{uri.split('/', 1)[0]}/" if "/" in uri else f"/{uri}"
