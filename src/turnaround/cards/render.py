"""HTML to PDF with WeasyPrint: local files only, what spoils a card fatal, every card checked to fit.

WeasyPrint is imported on first use (it costs about a second), so commands
and builds that find every PDF in the cache never load it.

WeasyPrint only logs what goes wrong. `verdict` sorts each of its warnings:
what spoils a card (a missing glyph, a failed fetch, a font that cannot load,
CSS it ignored) is fatal; a library's deprecation or advice (such as "Please
install HarfBuzz-Subset", when Debian's libharfbuzz-subset0 is missing) is
not, because the card comes out the same. A warning that matches neither list
is fatal: an unknown message may be a spoiled card.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem
from . import typefaces
from .errors import CardError
from .layout import HERE, Document, Face, Paper

# Text must end at least this far above the footer's rule.
MIN_GAP_MM = 1.0
PX_PER_MM = 96 / 25.4


# Warnings that spoil a card: fatal even when they also give advice.
FATAL = re.compile(
    r"\.notdef glyph|glyphs missing|cannot be loaded|Failed to (load|render)|Error while|Unable to"
    r"|Ignored `|Parse error|Invalid|Unknown|Malformed|unsupported by fonts|to display",
    re.IGNORECASE,
)
# A library's deprecation or advice: the card is unchanged, so the build goes on.
ADVICE = re.compile(r"deprecat|will be (unsupported|required|removed) in future versions|Please install", re.IGNORECASE)

log = logging.getLogger(__name__)


def verdict(message: str) -> str:
    """ "fatal" or "advice" for one WeasyPrint warning (see the module's docstring)."""
    if FATAL.search(message) or not ADVICE.search(message):
        return "fatal"
    return "advice"


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
    fatal = [message for message in warnings.messages if verdict(message) == "fatal"]
    if fatal:
        raise CardError("cards: WeasyPrint reported: " + "; ".join(dict.fromkeys(fatal)))
    # Advice is passed on for whoever listens, never fatal.
    for message in dict.fromkeys(warnings.messages):
        log.debug("cards: WeasyPrint advises (not an error): %s", message)
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
    message = (
        f"{card.name} does not fit: on the {face.side} the text {how} (paper {paper.name}, card {size}); shorten "
        f"{shorten}"
    )
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
