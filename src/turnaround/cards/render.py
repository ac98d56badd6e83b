"""HTML to PDF with WeasyPrint: local files only, every warning fatal, every card checked to fit.

WeasyPrint is imported on first use (it costs about a second), so commands
and builds that find every PDF in the cache never load it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem
from . import typefaces
from .layout import HERE, Document, Face, Paper

# Text must end at least this far above the footer's rule.
MIN_GAP_MM = 1.0
PX_PER_MM = 96 / 25.4


class CardError(Exception):
    """The cards cannot be rendered at all (a missing font, a forbidden URL)."""


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    problems: list[Problem] = field(default_factory=list)


def render(document: Document, paper: Paper) -> Rendered:
    """Lay out and write one PDF; overflowing faces come back as problems, naming the card."""
    weasyprint, urls = _weasyprint()
    with _Warnings() as warnings:
        try:
            html = weasyprint.HTML(string=document.html, base_url=HERE.as_uri() + "/", url_fetcher=_fetcher(urls))
            laid_out = html.render(font_config=typefaces.font_config())
            pdf = laid_out.write_pdf()
        except urls.FatalURLFetchingError as err:
            raise CardError(f"cards: {err.__cause__ or err}") from None
    if warnings.messages:
        raise CardError("cards: WeasyPrint reported: " + "; ".join(warnings.messages))
    return Rendered(pdf, len(laid_out.pages), overflows(laid_out, document.faces, paper))


def overflows(laid_out, faces: list[Face], paper: Paper) -> list[Problem]:
    """Every face whose text reaches its footer or leaves the card.

    Each face ends its body with an empty `end` marker and has a footer; the
    layout gives the position of both (Page.anchors). A marker missing, on
    another page, or lower than the footer's top minus the gap is an overflow.
    """
    where: dict[str, tuple[int, tuple]] = {}
    for number, page in enumerate(laid_out.pages):
        for name, box in page.anchors.items():
            where[name] = (number, box)
    problems = []
    for face in faces:
        end, foot = where.get(f"{face.id}-end"), where.get(f"{face.id}-foot")
        if end is None or foot is None or end[0] != foot[0]:
            problems.append(overflow_problem(face, paper, None))
            continue
        over = (end[1][1] - (foot[1][1] - MIN_GAP_MM * PX_PER_MM)) / PX_PER_MM
        if over > 0:
            problems.append(overflow_problem(face, paper, over))
    return problems


def overflow_problem(face: Face, paper: Paper, over_mm: float | None) -> Problem:
    card = face.card
    line, field_name, shorten = card.where.get(face.side, (1, None, "the text"))
    how = "runs off the card" if over_mm is None else f"runs {over_mm:.1f} mm into the footer"
    size = f"{paper.card[0]:g} x {paper.card[1]:g} mm"
    message = f"{card.name} does not fit: on the {face.side} the text {how} (paper {paper.name}, card {size}); shorten {shorten}"
    return Problem(card.source, line, field_name, message, "card-overflow")


def _weasyprint():
    import weasyprint
    from weasyprint import urls

    return weasyprint, urls


def _fetcher(urls):
    """A fetcher that reads only file: URLs inside this package, and data: URLs; any failure is fatal."""

    class LocalFetcher(urls.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(urls.URLFetcherResponse(url).path or "").resolve()
                if not path.is_relative_to(HERE):
                    raise ValueError(f"{url} is outside the cards package")
            elif not url.startswith("data:"):
                raise ValueError(f"{url} is not a file: or data: URL")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


class _Warnings(logging.Handler):
    """Collects WeasyPrint's warnings and errors while a PDF renders (it only logs them)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        logging.getLogger("weasyprint").addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("weasyprint").removeHandler(self)
