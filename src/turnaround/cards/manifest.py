"""cards.json: the list of PDFs, for trainers' tools and the tests.

Each entry: `file` (relative to cards/), `deck` (steps | checklist | roleplay
| calibration, and for a session pack also guide | handout | preview, the PNG
of its guide's first page), `paper` (a6 | a4 | letter), `cards` (cards in
the deck; 0 for the others), `pages`, and `pack`: the session pack a file
belongs to (such as `setting/hotel`), null for the full decks.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

NAME = "cards.json"


@dataclass(frozen=True)
class Entry:
    file: str
    deck: str
    paper: str
    cards: int
    pages: int
    pack: str | None = None


def manifest_json(entries: list[Entry]) -> str:
    return json.dumps([asdict(e) for e in entries], indent=2) + "\n"


def write_manifest(entries: list[Entry], out: Path) -> Path:
    path = out / NAME
    path.write_text(manifest_json(entries), "utf-8")
    return path
