"""The session packs' facilitator guides and one-page handouts, laid out by Typst (templates/guides.typ).

Each guide and handout is its own small compile of the same template, with
the committed fonts the decks use, tagged as PDF/UA-1 (a structure tree, the
title, the language), cached by content like the cards. A document is laid out
once, on A4, in a text area that fits US Letter too; its Letter PDF is the same
pages with each page's box set to Letter around that area (`on_paper`), so
both papers read alike, page for page, for half the layout. A handout is one
page: more is a problem naming the pack and the file. The cards page shows each
guide's first page, rendered by the same compiler as a PNG.
"""

from __future__ import annotations

import dataclasses
import io
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from xml.sax.saxutils import escape

from ..index import index_of
from ..model import KnowledgeBase
from ..problems import Problem
from .errors import CardError
from .layout import HERE, TEMPLATES
from .layout import PAPERS as SHEETS
from .packs import KINDS, Pack, failure_page, unplayed
from .qr import page_link
from .render import Rendered
from .typeset import LANG, _para, _timestamp, fonts, qr_svg

TEMPLATE = TEMPLATES / "guides.typ"
# The papers of the guides and handouts (the role-play decks are on every paper), and the one they are laid out on.
PAPERS = ("a4", "letter")
LAID_OUT = "a4"
# The page margins (mm) on the smaller paper each way: the text area is what is left on both papers.
MARGINS = {"x": 17.0, "top": 16.0, "bottom": 18.0}
PT_PER_MM = 72 / 25.4
KINDS_OF_DOCUMENT = ("guide", "handout")
# Where a handout that does not fit is reported: the template it is laid out from.
HANDOUT_TEMPLATE = "src/turnaround/cards/templates/guides.typ"
# The preview of a guide's first page on the cards page: pixels per inch (an A4 page about 300 px wide).
PREVIEW_PPI = 36
# The answer keys a preview lays out before it stops (`preview`): enough to run past the first page; and the
# role-play pairs it lists at most (a long pack's table runs over pages before any answer key).
PREVIEW_ANSWERS = 3
PREVIEW_PAIRS = 30


@dataclass(frozen=True)
class Paged:
    """One guide or handout: its file (relative to cards/), its title, and the JSON the template reads."""

    file: str
    kind: str  # guide | handout
    paper: str  # a4 | letter
    pack: str  # the pack's id
    title: str  # this file's, its paper named
    data: dict  # what the template lays out: the same on every paper (titled for LAID_OUT)

    @cached_property
    def fingerprint(self) -> str:
        """What its cache key hashes; made once (a guide's preview hashes the same)."""
        return json.dumps([self.file, self.title, self.data], sort_keys=True, ensure_ascii=False)


def file_name(found: Pack, kind: str, paper: str, suffix: str = "pdf") -> str:
    return f"{found.folder}/{kind}-{paper}.{suffix}"


def roleplay_file(found: Pack, paper: str) -> str:
    return f"{found.folder}/roleplay-{paper}.pdf"


def documents(kb: KnowledgeBase, found: Pack, site_url: str | None, created: str | None = None) -> list[Paged]:
    """The pack's guide and handout on each paper, in that order."""
    return [item for kind in KINDS_OF_DOCUMENT for item in paged(kb, found, kind, site_url, created)]


def paged(kb: KnowledgeBase, found: Pack, kind: str, site_url: str | None, created: str | None = None) -> list[Paged]:
    """One guide or handout on each paper: the template's JSON (also what its cache key hashes), made once for all."""
    index = index_of(kb)
    if kind == "guide":
        title = f"Turnaround session pack: {found.title}, facilitator guide, {{paper}}"
        body = {
            "kind_label": KINDS[found.kind],
            "label": found.label,
            "handout_label": found.handout_label,
            "remedy": found.remedy,
            # One guide for every paper: it names each paper's file.
            "files": {
                "roleplay": [roleplay_file(found, p).rsplit("/", 1)[1] for p in PAPERS],
                "steps": [f"steps-{p}.pdf" for p in PAPERS],
                "handout": [f"handout-{p}.pdf" for p in PAPERS],
            },
            "hand_out": [_step(s) for s in found.hand_out],
            "plans": [
                {
                    "minutes": minutes,
                    "slots": [
                        {"start": s.start, "end": s.end, "what": s.what, "detail": _para(s.detail)} for s in slots
                    ],
                    "unplayed": [r.number for r in unplayed(found, minutes)],
                }
                for minutes, slots in found.plans.items()
            ],
            "rounds": [
                {
                    "number": r.number,
                    "title": _para(r.title),
                    "facets": f"{index.label('setting', r.story.setting)} · {index.label('failure', r.story.failure)}",
                    "watch": [_step(s) for s in r.watch],
                    "questions": list(r.questions),
                    "answer": [_para(p) for p in r.answer],
                }
                for r in found.rounds
            ],
            "drill": [_step(s) for s in found.drill],
        }
        footer = f"Turnaround · {found.label} session pack · facilitator guide"
    else:
        failure = index.vocabulary("failure").get(found.handout)
        link = page_link(site_url, failure_page(found))
        title = f"Turnaround checklist: {found.handout_label}, {found.title} session pack, {{paper}}"
        body = {
            "label": found.label,
            "failure": {
                "label": found.handout_label,
                "description": failure.description if failure else "",
                "remedy": found.remedy,
            },
            "phases": [
                {
                    "label": label,
                    "steps": [{"number": index.numbers[s.id], "title": s.title, "summary": s.summary} for s in steps],
                }
                for _phase, label, steps in index.phases
            ],
            "link": {"url": link.url, "label": link.label, "svg": qr_svg(link.url)},
        }
        footer = f"Turnaround · {found.label} session pack · handout"
    data = {
        "kind": kind,
        "page": page(),
        "title": title.format(paper=LAID_OUT),
        "lang": LANG,
        "footer": footer,
        "created": created,
        "pack": body,
    }
    return [Paged(file_name(found, kind, p), kind, p, found.id, title.format(paper=p), data) for p in PAPERS]


def sheet(paper: str) -> tuple[float, float]:
    """A guide's paper, portrait, in mm (the decks' Letter sheets are landscape)."""
    return tuple(sorted(SHEETS[paper].page))


def page() -> dict:
    """The page the template lays out on: LAID_OUT's, with margins that leave the text area every paper has."""
    width, height = sheet(LAID_OUT)
    narrowest = min(sheet(p)[0] for p in PAPERS)
    shortest = min(sheet(p)[1] for p in PAPERS)
    extra = (height - shortest) / 2  # shared by top and bottom: the area is centred on every paper
    return {
        "width": width,
        "height": height,
        "x": MARGINS["x"] + (width - narrowest) / 2,
        "top": MARGINS["top"] + extra,
        "bottom": MARGINS["bottom"] + extra,
        # The footer as far below the text as on the smaller paper (Typst lowers it 30% of the margin).
        "footer": 0.3 * MARGINS["bottom"],
    }


def box(paper: str) -> list[float]:
    """`paper`'s MediaBox (pt) on the laid-out page, centred on it as the text area is."""
    width, height = sheet(LAID_OUT)
    own = sheet(paper)
    left, low = (width - own[0]) / 2, (height - own[1]) / 2
    return [round(v * PT_PER_MM, 4) for v in (left, low, left + own[0], low + own[1])]


def _step(ref) -> dict:
    return {"number": ref.number, "title": ref.title}


def render(item: Paged) -> Rendered:
    """One guide or handout as a tagged PDF (PDF/UA-1); a handout of more than one page is a problem."""
    import pikepdf

    # Typst dates it once, the build's moment, for its creation and modification both (as the decks are).
    pdf = _laid_out(item)
    if item.paper != LAID_OUT:
        pdf = on_paper(pdf, item.paper, item.title)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        pages = len(opened.pages)
    problems = [overflow(item, pages)] if item.kind == "handout" and pages > 1 else []
    return Rendered(pdf, pages, problems)


def _laid_out(item: Paged) -> bytes:
    """The PDF as laid out: a document's papers share their data (`paged`) and a build renders them in turn."""
    if _last.get("data") is not item.data:
        _last.update(data=item.data, pdf=_compile(item, "pdf"))
    return _last["pdf"]


# The last document laid out, by its data (kept, so its identity stays its own): its other paper is the same pages.
_last: dict = {}


def on_paper(pdf: bytes, paper: str, title: str) -> bytes:
    """The laid-out pages on `paper`: each page's box set around the same text area, and the file titled."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for each in doc.pages:
            each.obj.MediaBox = pikepdf.Array(box(paper))
        _retitle(doc, title)
        out = io.BytesIO()
        # Its identifier from its content, so the same content makes the same bytes; small objects packed.
        doc.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _retitle(doc, title: str) -> None:
    """The title in the document information and in the XMP metadata, where Typst wrote the laid-out one."""
    import pikepdf

    old = str(doc.docinfo.Title)
    xmp = doc.Root.Metadata.read_bytes()
    laid, own = (f'<rdf:li xml:lang="x-default">{escape(t)}</rdf:li>'.encode() for t in (old, title))
    if xmp.count(laid) == 1:
        # Typst's own packet, edited in place: parsing and writing it back costs more than the rest.
        doc.Root.Metadata.write(xmp.replace(laid, own))
        doc.docinfo.Title = pikepdf.String(title)
        return
    with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title  # and the document information's /Title


def preview(item: Paged, pages: int | None = None) -> bytes:
    """The first page of a guide as a small PNG, for the cards page.

    Typst draws every page of a PNG, and a pack of a hundred stories has a guide of thirty pages. Given the
    guide's page count (`pages`, from its PDF), the preview lays out the guide up to its first role-play
    pairs (PREVIEW_PAIRS) when the pack has more, else up to its first answer keys (PREVIEW_ANSWERS), with
    the page count written in its footer, and takes that first page when what it left out would have begun
    on a later page: the first page is then the guide's own. Else, or without the count, the whole guide is
    drawn.
    """
    if pages and pages > 1 and item.kind == "guide":
        body = item.data["pack"]
        short = {
            **item.data,
            "pages": pages,
            "pack": {**body, "stories": len(body["rounds"]), "answers": PREVIEW_ANSWERS, "pairs": PREVIEW_PAIRS},
        }
        cut = dataclasses.replace(item, data=short)
        made = _compile(cut, "png", ppi=PREVIEW_PPI, first=False)
        if len(made) > 1 and _cut_page() > 1:
            return made[0]
    return _compile(item, "png", ppi=PREVIEW_PPI)


def _cut_page() -> int:
    """The page where the preview just laid out stops (its `<preview-cut>` mark), from the same compile's inputs."""
    found = json.loads(_compiler().query("<preview-cut>", field="value"))
    return found[0] if found else 0


def _compile(item: Paged, output: str, ppi: float | None = None, first: bool = True):
    import typst

    data = {**item.data, "created": _created(item.data["created"])}
    options = {"pdf_standards": "ua-1"} if output == "pdf" else {"ppi": ppi}
    try:
        made, warnings = _compiler().compile_with_warnings(
            format=output,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            timestamp=_timestamp(item.data["created"]),
            **options,
        )
    except typst.TypstError as err:
        raise CardError(f"cards: Typst reported on {item.file}: {err.message}") from None
    if warnings:
        raise CardError(
            f"cards: Typst reported on {item.file}: " + "; ".join(dict.fromkeys(w.message for w in warnings))
        )
    # PNG output is a list of pages (one page comes alone): the first is the preview.
    if not first:
        return made if isinstance(made, list) else [made]
    return made[0] if isinstance(made, list) else made


def _created(created: str | None) -> list[int] | None:
    moment = _timestamp(created)
    return list(moment.timetuple()[:6]) if moment else None


def overflow(item: Paged, pages: int) -> Problem:
    return Problem(
        HANDOUT_TEMPLATE,
        1,
        None,
        f"session pack {item.pack}: the handout {item.file} runs to {pages} pages; a handout is one page (shorten the "
        "steps' summaries or the failure type's description)",
        "handout-overflow",
    )


@lru_cache(maxsize=1)
def _compiler():
    """One compiler for the guides and handouts, with the decks' fonts (read once)."""
    import typst

    return typst.Compiler(str(TEMPLATE), root=str(HERE), font_paths=fonts(), ignore_system_fonts=True)
