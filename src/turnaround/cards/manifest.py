"""cards.json: the list of PDFs, for trainers' tools and the tests.

Each entry: `file`, `deck` (steps | checklist | roleplay | calibration),
`paper` (a6 | a4 | letter), `cards` (cards in the deck; 0 for a calibration
sheet) and `pages`.
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


def manifest_json(entries: list[Entry]) -> str:
    return json.dumps([asdict(e) for e in entries], indent=2) + "\n"


def write_manifest(entries: list[Entry], out: Path) -> Path:
    path = out / NAME
    path.write_text(manifest_json(entries), "utf-8")
    return path
