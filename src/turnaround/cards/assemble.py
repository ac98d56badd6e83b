"""A deck's PDF put together from its cached parts, with pikepdf: pages, structure tree, metadata.

Each part is a tagged PDF of a few sheets (Typst tags what it lays out). The
deck takes every part's pages in order and one structure tree: a Document
element holding every part's elements in order, and the parent tree renumbered
so each page still points at its own elements. Typst tags a sheet as it is
drawn, all its fronts and then all its backs; the reading order is the card's:
each face opens with a level-1 heading (templates/cards.typ), and each card's
front is followed by its back. The result is saved with a
deterministic /ID, so the same parts always make the same bytes.

The print-shop deck (the paper with a bleed, a6) is PDF/X-4: an sRGB output
intent (profiles/sRGB.icc, the colours the cards are drawn in), TrimBox and
BleedBox on every page, the PDF/X version in the document information and the
XMP, /Trapped, PDF 1.6. PDF/X-4 wants a creation and a modification date: both
are the build date (SOURCE_DATE_EPOCH); a build without one has no date, so its
a6 deck lacks them.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pikepdf

from .layout import OUTPUT_CONDITION, PDFX, Paper

PT_PER_MM = 72 / 25.4
# The output intent of the print-shop deck: the colour space every colour of the cards is given in.
PROFILE = Path(__file__).resolve().parent / "profiles" / "sRGB.icc"


def assemble(parts: list[Path | bytes], title: str, paper: Paper) -> bytes:
    """One PDF of the parts' pages, tagged as one document; the print-shop boxes on every page."""
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(p) if isinstance(p, bytes) else p) for p in parts]
    first = sources[0]
    document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=[]))
    tree = pikepdf.NumberTree.new(out)
    for source in sources:
        out.pages.extend(source.pages)
    # Every page of the deck read once (a page's wrapper costs more than its dictionary), in order.
    deck_pages = [page.obj for page in out.pages]
    next_key = 0
    start = 0
    for source in sources:
        own = deck_pages[start : start + len(source.pages)]
        start += len(own)
        root = source.Root.get("/StructTreeRoot")
        if root is None:
            continue
        # Pages and their elements are copied through one map per source, so /Pg keeps pointing at the copy.
        copied = out.copy_foreign(root)
        pages = {page.objgen: index for index, page in enumerate(own)}
        for element in _card_order(_children(copied.K), pages):
            element.P = document
            document.K.append(element)
        for key, value in pikepdf.NumberTree(copied.ParentTree).items():
            tree[key + next_key] = value
        if next_key:
            for page in own:
                if "/StructParents" in page:
                    page.StructParents = int(page.StructParents) + next_key
        next_key += int(root.get("/ParentTreeNextKey", 0))
    struct_root = out.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=[document], ParentTree=tree.obj, ParentTreeNextKey=next_key
        )
    )
    document.P = struct_root
    if "/StructTreeRoot" in first.Root and "/RoleMap" in first.Root.StructTreeRoot:
        struct_root.RoleMap = pikepdf.Dictionary(dict(first.Root.StructTreeRoot.RoleMap.items()))
    out.Root.StructTreeRoot = struct_root
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    out.Root.Lang = first.Root.get("/Lang", pikepdf.String("en"))
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    _metadata(out, first, title, len(deck_pages))
    version = None
    if paper.bleed:
        _boxes(deck_pages, paper)
        _pdfx(out)
        version = "1.6"
    buffer = io.BytesIO()
    out.save(
        buffer,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        force_version=version,
    )
    return buffer.getvalue()


def _children(k) -> list:
    """The elements under a structure tree root: Typst's Document element's own children."""
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    found = []
    for item in items:
        if isinstance(item, pikepdf.Dictionary) and item.get("/S") == pikepdf.Name.Document:
            found += list(item.K) if isinstance(item.K, pikepdf.Array) else [item.K]
        else:
            found.append(item)
    return found


def _card_order(elements: list, pages: dict[tuple[int, int], int]) -> list:
    """A part's elements, each card's front followed by its back.

    The part's pages come in pairs, a sheet's fronts then its backs; a face is
    its heading and every element after it up to the next face's heading. On
    each sheet the n-th front is the n-th back's card (Typst draws both sides in
    card order; only the slots are mirrored).
    """
    faces: list[tuple[int, list]] = []
    for element in elements:
        page = _page_of(element, pages)
        if not faces or element.get("/S") == pikepdf.Name.H1:
            faces.append((page if page is not None else (faces[-1][0] if faces else 0), [element]))
        else:
            faces[-1][1].append(element)
    sheets: dict[int, tuple[list, list]] = {}
    for page, face in faces:
        sheets.setdefault(page // 2, ([], []))[page % 2].append(face)
    ordered = []
    for sheet in sorted(sheets):
        fronts, backs = sheets[sheet]
        for front, back in itertools.zip_longest(fronts, backs, fillvalue=[]):
            ordered += front + back
    return ordered


def _page_of(element, pages: dict[tuple[int, int], int]) -> int | None:
    """The page (index within its part) an element's content is on: its own /Pg, or its first kid's."""
    if not isinstance(element, pikepdf.Dictionary):
        return None
    if "/Pg" in element:
        return pages.get(element.Pg.objgen)
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        found = _page_of(kid, pages)
        if found is not None:
            return found
    return None


def _metadata(out: pikepdf.Pdf, first: pikepdf.Pdf, title: str, pages: int) -> None:
    """The document information and XMP of the first part, for the whole deck: its title, one date (or none).

    The build date is the creation and the modification date alike: the deck is made once, from its parts.
    """
    info = {key: value for key, value in first.docinfo.items() if key != "/ModDate"}
    info["/Title"] = pikepdf.String(title)
    if "/CreationDate" in info:
        info["/ModDate"] = info["/CreationDate"]
    out.docinfo = out.make_indirect(pikepdf.Dictionary(info))
    if "/Metadata" in first.Root:
        xmp = first.Root.Metadata.read_bytes().decode("utf-8")
        xmp = re.sub(r"<xmp:ModifyDate>[^<]*</xmp:ModifyDate>", "", xmp)
        # The XMP's modification date is the creation date too, as in the document information.
        xmp = re.sub(
            r"(<xmp:CreateDate>([^<]*)</xmp:CreateDate>)",
            lambda m: m.group(1) + f"<xmp:ModifyDate>{m.group(2)}</xmp:ModifyDate>",
            xmp,
        )
        xmp = re.sub(r"<xmpTPg:NPages>\d+</xmpTPg:NPages>", f"<xmpTPg:NPages>{pages}</xmpTPg:NPages>", xmp)
        xmp = re.sub(r"(<dc:title><rdf:Alt><rdf:li[^>]*>)[^<]*", lambda m: m.group(1) + _xml(title), xmp)
        stream = pikepdf.Stream(out, xmp.encode("utf-8"))
        stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        out.Root.Metadata = out.make_indirect(stream)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _boxes(pages: list[pikepdf.Dictionary], paper: Paper) -> None:
    """TrimBox (the card) and BleedBox (the card and its bleed, the whole page) on every page."""
    bleed = paper.bleed * PT_PER_MM
    for page in pages:
        box = page.MediaBox if "/MediaBox" in page else pikepdf.Page(page).mediabox
        left, bottom, right, top = (float(v) for v in box)
        page.TrimBox = pikepdf.Array([left + bleed, bottom + bleed, right - bleed, top - bleed])
        page.BleedBox = pikepdf.Array([left, bottom, right, top])


def _pdfx(out: pikepdf.Pdf) -> None:
    """PDF/X-4: the output intent with its profile, and the version and /Trapped in both kinds of metadata."""
    profile = out.make_stream(PROFILE.read_bytes(), N=3)
    out.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFX,
                OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
                OutputCondition=pikepdf.String(OUTPUT_CONDITION),
                RegistryName=pikepdf.String("http://www.color.org"),
                Info=pikepdf.String(OUTPUT_CONDITION),
                DestOutputProfile=profile,
            )
        ]
    )
    out.docinfo.GTS_PDFXVersion = pikepdf.String(PDFX)
    out.docinfo.Trapped = pikepdf.Name("/False")
    # The XMP says the same; no editor mark and no date of its own, so the bytes stay the same for the same input.
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfxid:GTS_PDFXVersion"] = PDFX
        meta["pdf:Trapped"] = "False"
        meta["pdf:PDFVersion"] = "1.6"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
        created = meta.get("xmp:CreateDate")
        if created:
            meta["xmp:MetadataDate"] = created
