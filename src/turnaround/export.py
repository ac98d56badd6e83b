"""`turnaround export DIR`: the whole site as plain files, for a build that runs no hooks.

The export writes every page the hooks give the MkDocs build as an ordinary
Markdown file: the hand-written pages with their snippets filled in, the step,
source and story pages with their generated parts (and their meta kept as
front matter, tags included), every generated page, and the card files. Beside
them goes the project's mkdocs.yml without `hooks:` and `watch:`, its nav
filled in as the hooks fill it and every other page listed in `not_in_nav`.
Any builder that reads mkdocs.yml (MkDocs, ProperDocs, Zensical) can build it;
its two Markdown extensions (`turnaround.tasklist_labels`, `turnaround.pages.xhtml`)
need the `turnaround` package importable. Content the strict build would reject
is not exported, and nothing is written into docs/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import cards, pages
from .loader import load
from .problems import Problem, sort_problems
from .repository import CONFIG, Settings

# Top-level keys of mkdocs.yml the export leaves out: the hooks and what only they need;
# it writes its own nav (filled in as the hooks fill it) and not_in_nav.
HOOK_KEYS = ("hooks", "watch", "nav", "not_in_nav")
# What the export shares with the project besides docs/: the theme's overrides.
SHARED = ["overrides"]
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
HEADER = "# Written by `turnaround export`: the site's pages as plain files, built without hooks.\n"


class Refused(Exception):
    """Content or cards the strict build would reject; nothing was exported."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} error(s)")
        self.problems = problems


@dataclass
class Exported:
    """What an export wrote, by kind of file."""

    folder: Path
    written: int = 0  # hand-written pages, snippets filled in
    entries: int = 0  # step, source and story pages with their generated parts
    generated: int = 0  # pages made from the metadata
    card_files: int = 0  # PDFs, cards.json, the preview's stylesheet and fonts

    @property
    def pages(self) -> int:
        return self.written + self.entries + self.generated


def export(root: Path, folder: Path, kb=None, settings: Settings | None = None) -> Exported:
    """Write the site of the repository at `root` into `folder` (new or empty), all or nothing.

    Unchanged card PDFs come from the project's card cache; the others are rendered.
    `settings` unset, they are read from the repository's mkdocs.yml.
    """
    if settings is None:
        from .options import load as load_options

        settings = load_options(root / CONFIG)
    kb = kb or load(root, settings=settings)
    if kb.problems:
        raise Refused(sort_problems(kb.problems))
    if problems := pages.template_problems(kb):
        raise Refused(problems)
    cache = cards.Cache(cards.default_dir(root, settings.cache_dir))
    result = cards.build(kb, kb.site_url, cache, cards.created_from_environment())
    if result.problems:
        raise Refused(sort_problems(result.problems))
    # Written beside the target and moved in at the end, so a failure leaves no half export.
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        done = _write(root, kb, result, work, settings)
        if folder.exists():
            folder.rmdir()  # only ever an empty folder
        work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    done.folder = folder
    return done


def _write(root: Path, kb, result, folder: Path, settings: Settings) -> Exported:
    done = Exported(folder)
    # The export's docs folder keeps the project's name for it (docs_dir in the copied mkdocs.yml).
    source = root / settings.docs_dir
    docs = folder / Path(settings.docs_dir).name
    shutil.copytree(source, docs, ignore=shutil.ignore_patterns("__pycache__"))
    for name in SHARED:
        if (root / name).is_dir():
            shutil.copytree(root / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    entries = {entry.src_uri: entry for entry in kb.entries()}
    # Hand-written pages get their snippets; entry pages their generated parts, their meta kept as front matter.
    for path in sorted(source.rglob("*.md")):
        uri = path.relative_to(source).as_posix()
        if uri not in entries:
            _write_text(docs / uri, pages.decorate(kb, uri, path.read_text("utf-8"))[1])
            done.written += 1
    for uri, entry in entries.items():
        meta, markdown = pages.decorate(kb, uri, entry.body)
        front = yaml.safe_dump({**entry.meta, **meta}, allow_unicode=True, sort_keys=False)
        _write_text(docs / uri, f"---\n{front}---\n{markdown}")
        done.entries += 1
    for uri, markdown in pages.generated_pages(kb).items():
        _write_text(docs / uri, markdown)
        done.generated += 1
    for uri, card_file in cards.site_files(result):
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(card_file, Path):
            shutil.copyfile(card_file, target)
        else:
            target.write_bytes(card_file)
        done.card_files += 1
    (folder / CONFIG).write_text(config(root, kb, docs, settings), "utf-8")
    return done


def config(root: Path, kb, docs: Path, settings: Settings) -> str:
    """The project's mkdocs.yml without the hooks: the nav as the hooks fill it, every other page out of it."""
    text = (root / CONFIG).read_text("utf-8")
    nav = pages.fill_nav(yaml.safe_load(keep_blocks(text, ("nav",)))["nav"], kb)
    in_nav = {f"/{uri}" for uri in _nav_pages(nav)}
    outside = sorted({_pattern(p.relative_to(docs).as_posix()) for p in docs.rglob("*.md")} - in_nav)
    # Edit links only into a deployment's own repository, as the hooks have it: no repo_url, no edit_uri.
    left_out = HOOK_KEYS if settings.repo_url else (*HOOK_KEYS, "edit_uri")
    keys = [
        line.split(":", 1)[0]
        for line in text.splitlines()
        if line and not line[0].isspace() and not line.startswith("#") and ":" in line
    ]
    kept = keep_blocks(text, tuple(k for k in keys if k not in left_out))
    not_in_nav = "not_in_nav: |\n" + "".join(f"  {p}\n" for p in outside)
    return HEADER + kept + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False) + not_in_nav


def keep_blocks(config: str, keys: tuple[str, ...]) -> str:
    """The given top-level blocks of a mkdocs.yml, copied as written (YAML tags included)."""
    kept, keep = [], False
    for line in config.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            keep = line.split(":", 1)[0] in keys
        if keep:
            kept.append(line)
    return "\n".join(kept) + "\n"


def _write_text(path: Path, text: str) -> None:
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


# ---------------------------------------------------------------- command line


def register(commands) -> None:
    export_ = commands.add_parser(
        "export", help="write the site as plain Markdown and a hook-free mkdocs.yml; exit 0 done, 1 errors, 2 usage"
    )
    export_.add_argument("dir", metavar="DIR", help="a new or empty folder, outside docs/")
    export_.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export the repository's site into DIR; content or card errors exit 1 and write nothing."""
    from .options import find

    root, settings = find()
    folder = Path(args.dir).resolve()
    unusable = _unusable(root, folder, settings.docs_dir)
    if unusable:
        print(f"turnaround export: {args.dir}: {unusable}", file=sys.stderr)
        return EXIT_USAGE
    try:
        done = export(root, folder, settings=settings)
    except Refused as refused:
        for problem in refused.problems:
            print(problem)
        print(
            f"{len(refused.problems)} error(s): nothing exported; fix them first (`turnaround check`).", file=sys.stderr
        )
        return EXIT_ERRORS
    except cards.CardError as err:
        print(f"turnaround: {err}; nothing exported", file=sys.stderr)
        return EXIT_ERRORS
    print(
        f"Exported {done.pages} pages ({done.written} hand-written, {done.entries} steps, sources and stories, "
        f"{done.generated} generated), "
        f"{done.card_files} card files and mkdocs.yml to {args.dir}; build it with `mkdocs build -f "
        f"{Path(args.dir) / 'mkdocs.yml'}`.",
        file=sys.stderr,
    )
    return EXIT_OK


def _unusable(root: Path, folder: Path, docs_dir: str) -> str | None:
    # Why a target folder cannot take the export: inside docs/ (which the export reads), a file, or not empty.
    docs = (root / docs_dir).resolve()
    if folder == docs or docs in folder.parents:
        return f"inside {docs_dir}/; export to a folder outside it"
    if folder.exists() and not folder.is_dir():
        return "is a file; export to a new or empty folder"
    if folder.is_dir() and any(folder.iterdir()):
        return "is not empty; export to a new or empty folder"
    return None
