"""What laying out a PDF gives back, and how a face that does not fit is reported (with its card's file and line)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import Problem
from .layout import Face, Paper


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    problems: list[Problem] = field(default_factory=list)


def overflow_problem(face: Face, paper: Paper, over_mm: float | None) -> Problem:
    card = face.card
    line, field_name, shorten = card.where.get(face.side, (1, None, "the text"))
    how = "runs off the card" if over_mm is None else f"runs {over_mm:.1f} mm into the footer"
    size = f"{paper.card[0]:g} x {paper.card[1]:g} mm"
    message = (
        f"{card.name} does not fit: on the {face.side} the text {how} (paper {paper.name}, card {size}); shorten "
        f"{shorten}"
    )
    return Problem(card.source, line, field_name, message, "card-overflow")
