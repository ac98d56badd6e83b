"""`turnaround schemas`: write the JSON Schema files editors use, from the validator's own model.

The files in `schemas/` are generated, never edited: they enumerate the
vocabularies, step ids and source ids, so they are written again whenever
one of those changes (a test fails until they are).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import frontmatter
from .model import in_checklist_order, record
from .repository import entry_files, find_root, rel
from .schema import editor_schemas
from .vocabulary import load_vocabularies

FOLDER = "schemas"


def render(root: Path) -> dict[str, str]:
    """Each schema file's name and text, from the repository's vocabularies, steps and sources."""
    vocab, _ = load_vocabularies(root)
    steps = [record("steps", path, frontmatter.read(path, path.name)) for path in entry_files(root, "steps")]
    step_ids = [step.id for step in in_checklist_order(steps)]
    source_ids = [path.stem for path in entry_files(root, "sources")]
    return {
        f"{name}.schema.json": json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in editor_schemas(vocab, step_ids, source_ids).items()
    }


def run(args: argparse.Namespace) -> int:
    root = find_root()
    out = Path(args.out) if args.out else root / FOLDER
    files = render(root)
    if args.check:
        stale = [
            name
            for name, text in files.items()
            if not (out / name).is_file() or (out / name).read_text("utf-8") != text
        ]
        for name in stale:
            print(
                f"{rel(root, out / name)}: out of date; run `turnaround schemas` and commit the result", file=sys.stderr
            )
        return 1 if stale else 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, "utf-8", newline="\n")
        print(rel(root, out / name))
    return 0


def register(commands) -> None:
    parser = commands.add_parser(
        "schemas", help="write the JSON Schemas for story, step and source front matter (for editors)"
    )
    parser.add_argument("--out", metavar="DIR", help=f"folder to write them to (default: {FOLDER}/ in the repository)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the files in the folder are out of date"
    )
    parser.set_defaults(run=run)
