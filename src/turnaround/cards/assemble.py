"""A deck's PDF put together from its cached parts: pages, structure tree, metadata.

Each part is a tagged PDF of a few sheets (Typst tags what it lays out). The
deck takes every part's pages in order and one structure tree: a Document
element holding every part's elements in order, and the parent tree renumbered
so each page still points at its own elements. Typst tags a sheet as it is
drawn, all its fronts and then all its backs; the reading order is the card's:
each face opens with a level-1 heading (templates/cards.typ), and each card's
front is followed by its back.

What a deck changes in a part is the same in every deck that holds it, so it is
done once per part (`fragment`, read with pikepdf and kept in the card cache
beside the part): every object the part's pages and elements need, each one's
body as bytes cut at its references, the elements in reading order, the
print-shop boxes. `assemble` then writes the deck by numbering the parts'
objects one after the other, without reading the unchanged parts again: after
one story changes, a deck of a thousand cards costs the one changed part, not
a thousand cards. The file has a classic cross-reference table and a /ID
hashed from its bytes, so the same parts always make the same bytes.

The print-shop deck (the paper with a bleed, a6) is PDF/X-4: an sRGB output
intent (profiles/sRGB.icc, the colours the cards are drawn in), TrimBox and
BleedBox on every page, the PDF/X version in the document information and the
XMP, /Trapped, PDF 1.6. PDF/X-4 wants a creation and a modification date: both
are the build date (SOURCE_DATE_EPOCH); a build without one has no date, so its
a6 deck lacks them.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from .layout import OUTPUT_CONDITION, PDFX, Paper

PT_PER_MM = 72 / 25.4
# The output intent of the print-shop deck: the colour space every colour of the cards is given in.
PROFILE = Path(__file__).resolve().parent / "profiles" / "sRGB.icc"


def assemble(parts: list[Path | bytes], title: str, paper: Paper, fragments: list[Fragment] | None = None) -> bytes:
    """One PDF of the parts' pages, tagged as one document; the print-shop boxes on every page.

    `fragments`, when given, are the parts already made ready (`fragment`, one per part, kept in the cache):
    the deck is then written from them without reading the parts again, but the first part's metadata.
    """
    fragments = fragments or [fragment(p, paper) for p in parts]
    first = _open(parts[0])
    pages = sum(len(f.pages) for f in fragments)
    head = _head(first, title, pages, paper)
    version = "1.6" if paper.bleed else first.pdf_version
    # The deck's own objects first (see DECK_REFS), then the head's, then each part's, numbered in that order.
    head_base = OWN + 1
    bases, offsets = [], []
    number = head_base + len(head.objects)
    key = 0
    for part in fragments:
        bases.append(number)
        offsets.append(key)
        number += len(part.objects)
        key += part.next_key
    kids, elements, nums = [], [], []
    for part, base, offset in zip(fragments, bases, offsets, strict=True):
        kids += [b"%d 0 R" % (base + index) for index, _ in part.pages]
        elements += [b"%d 0 R" % (base + index) for index in part.elements]
        nums += [b"%d %d 0 R" % (offset + k, base + index) for k, index in part.parent_tree]
    info, metadata, intents = (b"%d 0 R" % (head_base + index) if index is not None else b"" for index in head.roots)
    catalog = (
        b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 3 0 R /MarkInfo << /Marked true >> /Lang "
        + head.lang
        + b" /ViewerPreferences << /DisplayDocTitle true >>"
        + (b" /Metadata " + metadata if metadata else b"")
        + (b" /OutputIntents " + intents if intents else b"")
        + b" >>"
    )
    own = [
        catalog,
        b"<< /Type /Pages /Kids [ " + b" ".join(kids) + b" ] /Count %d >>" % len(kids),
        b"<< /Type /StructTreeRoot /K [ 4 0 R ] /ParentTree 5 0 R /ParentTreeNextKey %d" % key
        + (b" /RoleMap " + head.role_map if head.role_map else b"")
        + b" >>",
        b"<< /Type /StructElem /S /Document /P 3 0 R /K [ " + b" ".join(elements) + b" ] >>",
        b"<< /Nums [ " + b" ".join(nums) + b" ] >>",
    ]
    assert len(own) == OWN
    header = b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % version.encode("ascii")
    objects = [(body, b"") for body in own]
    objects += [(template % tuple([head_base + r for r in refs]), tail) for template, refs, tail in head.objects]
    for part, base, offset in zip(fragments, bases, offsets, strict=True):
        parents = {index: key for index, key in part.pages if key is not None}
        for index, (template, refs, tail) in enumerate(part.objects):
            body = template % tuple([base + r for r in refs]) if refs else template.replace(b"%%", b"%")
            if index in parents:
                body = body[: -len(b">>")] + b"/StructParents %d >>" % (parents[index] + offset)
            objects.append((body, tail))
    chunks = [b"%d 0 obj\n%b%b\nendobj\n" % (number, body, tail) for number, (body, tail) in enumerate(objects, 1)]
    where = list(itertools.accumulate(map(len, chunks), initial=len(header)))  # each object's offset in the file
    where.pop()
    data = header + b"".join(chunks)
    # A deterministic /ID: a hash of everything above it, so the same parts always make the same bytes.
    digest = hashlib.md5(data, usedforsecurity=False).hexdigest().encode("ascii")
    return b"".join(
        (
            data,
            b"xref\n0 %d\n0000000000 65535 f \n" % (len(where) + 1),
            b"".join([b"%010d 00000 n \n" % offset for offset in where]),
            b"trailer\n<< /Size %d /Root 1 0 R /Info %s /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(where) + 1, info, digest, digest, len(data)),
        )
    )


# The deck's own objects, numbered first: its catalog, page tree, structure root, Document element, parent tree.
OWN = 5
# References to them in a part's bodies: its Document element, its page tree, its structure root.
DOCUMENT, PAGES, STRUCT_ROOT = -1, -2, -3
DECK_REFS = {PAGES: b"2 0 R", STRUCT_ROOT: b"3 0 R", DOCUMENT: b"4 0 R"}
# An indirect reference in an object's unparsed text; a literal string is matched whole, so none is read inside it
# (qpdf escapes every parenthesis in a string it writes).
REF = re.compile(rb"\((?:\\.|[^\\()])*\)|(\d+) (\d+) R")


@dataclass
class Fragment:
    """A part made ready to be written into a deck: every object it needs, each one's body, unnumbered.

    A body is a template (bytes, `%` doubled) with a `%d` for each reference to another object of the
    part, those objects by their index in the part (the deck adds the part's first number), and the stream
    data that follows, if any. References to the deck's own objects (DOCUMENT, PAGES, STRUCT_ROOT) are
    written in already.
    """

    objects: list[tuple[bytes, tuple[int, ...], bytes]]
    pages: list[tuple[int, int | None]]  # each page's object and its /StructParents, in order
    elements: list[int]  # the part's top structure elements, each card's front then its back
    parent_tree: list[tuple[int, int]]  # (key, object) of the parent tree, keys from 0 within the part
    next_key: int
    roots: list[int | None] = field(default_factory=list)  # the head's: information, XMP, output intents
    lang: bytes = b""
    role_map: bytes = b""
    element_sheets: list[int] = field(default_factory=list)  # the sheet (within the part) of each top element


def sheets_of(part: Fragment, wanted: set[int]) -> Fragment | None:
    """The part's sheets `wanted` alone (a sheet: its fronts' page and its backs' page), for a deck to borrow.

    Only the objects those pages and their cards' elements reach are kept, renumbered in their order;
    parent tree keys stay as they are. None when the sheets cannot be told apart (an object of one sheet
    reaching another's page or element, a parent tree entry of no page), so the caller lays them out instead.
    """
    if len(part.element_sheets) != len(part.elements):
        return None
    page_sheet = {obj: number // 2 for number, (obj, _) in enumerate(part.pages)}
    key_sheet = {sp: number // 2 for number, (_, sp) in enumerate(part.pages) if sp is not None}
    if any(key not in key_sheet for key, _ in part.parent_tree):
        return None
    element_sheet = dict(zip(part.elements, part.element_sheets, strict=True))
    pages = [(obj, sp) for obj, sp in part.pages if page_sheet[obj] in wanted]
    elements = [e for e, sheet in zip(part.elements, part.element_sheets, strict=True) if sheet in wanted]
    tree = [(key, obj) for key, obj in part.parent_tree if key_sheet[key] in wanted]
    seen: set[int] = set()
    todo = [obj for obj, _ in pages] + elements + [obj for _, obj in tree]
    while todo:
        obj = todo.pop()
        if obj in seen:
            continue
        if page_sheet.get(obj, element_sheet.get(obj, -1)) not in (-1, *wanted):
            return None  # another sheet's page or card
        seen.add(obj)
        todo += part.objects[obj][1]
    kept = sorted(seen)
    number = {old: new for new, old in enumerate(kept)}
    objects = [(t, tuple(number[r] for r in refs), tail) for t, refs, tail in (part.objects[i] for i in kept)]
    return Fragment(
        objects,
        [(number[obj], sp) for obj, sp in pages],
        [number[e] for e in elements],
        [(key, number[obj]) for key, obj in tree],
        part.next_key,
        element_sheets=[sheet for sheet in part.element_sheets if sheet in wanted],
    )


def fragment(part: Path | bytes, paper: Paper) -> Fragment:
    """A part's pages and structure elements, made ready for any deck that holds it (`assemble`).

    What putting the parts together changes is done here, once per part: each card's front followed by its
    back, the top elements' parent the deck's Document, the pages' parent the deck's page tree, the
    print-shop boxes on a paper with a bleed.
    """
    pdf = _open(part)
    page_objects = [page.obj for page in pdf.pages]
    index = {page.objgen: number for number, page in enumerate(page_objects)}
    marks: dict[tuple[int, int], int] = {pdf.Root.Pages.objgen: PAGES}
    document = pdf.make_indirect(pikepdf.Dictionary())
    marks[document.objgen] = DOCUMENT
    root = pdf.Root.get("/StructTreeRoot")
    elements, tree, next_key, sheets_of_elements = [], [], 0, []
    if root is not None:
        marks[root.objgen] = STRUCT_ROOT
        # Typst's Document element stands for the deck's, should anything but its children point at it.
        for item in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
            if isinstance(item, pikepdf.Dictionary) and item.get("/S") == pikepdf.Name.Document and item.is_indirect:
                marks[item.objgen] = DOCUMENT
        for element, sheet in _card_order(_children(root.K), index):
            element.P = document
            elements.append(element if element.is_indirect else pdf.make_indirect(element))
            sheets_of_elements.append(sheet)
        for key, value in pikepdf.NumberTree(root.ParentTree).items():
            tree.append((int(key), value if value.is_indirect else pdf.make_indirect(value)))
        next_key = int(root.get("/ParentTreeNextKey", 0))
    bleed = paper.bleed * PT_PER_MM
    parents = []
    for page in page_objects:
        marks.setdefault(page.Parent.objgen, PAGES)
        for name in ("/MediaBox", "/Resources", "/CropBox", "/Rotate"):  # what a page may take from its parent
            if name not in page:
                inherited = _inherited(page, name)
                if inherited is not None:
                    page[name] = inherited
        parents.append(int(page.StructParents) if "/StructParents" in page else None)
        if "/StructParents" in page:
            del page["/StructParents"]
        if paper.bleed:
            left, bottom, right, top = (float(v) for v in page.MediaBox)
            page.TrimBox = pikepdf.Array([left + bleed, bottom + bleed, right - bleed, top - bleed])
            page.BleedBox = pikepdf.Array([left, bottom, right, top])
    objects = _Objects(pdf, marks)
    made = Fragment(
        objects.bodies,
        [(objects.ref(page.objgen), sp) for page, sp in zip(page_objects, parents, strict=True)],
        [objects.ref(element.objgen) for element in elements],
        [(key, objects.ref(value.objgen)) for key, value in tree],
        next_key,
        element_sheets=sheets_of_elements,
    )
    objects.finish()
    return made


def _inherited(page, name: str):
    node = page.get("/Parent")
    while node is not None:
        if name in node:
            return node[name]
        node = node.get("/Parent")
    return None


class _Objects:
    """The objects reachable from those asked for, in the order first asked, each with its body."""

    def __init__(self, pdf: pikepdf.Pdf, marks: dict[tuple[int, int], int]):
        self.pdf, self.marks = pdf, marks
        self.index: dict[tuple[int, int], int] = {}
        self.order: list[tuple[int, int]] = []
        self.bodies: list[tuple[bytes, tuple[int, ...], bytes]] = []

    def ref(self, objgen: tuple[int, int]) -> int:
        if objgen in self.marks:
            return self.marks[objgen]
        found = self.index.get(objgen)
        if found is None:
            found = self.index[objgen] = len(self.order)
            self.order.append(objgen)
        return found

    def finish(self) -> None:
        while len(self.bodies) < len(self.order):
            self.bodies.append(self._chunks(self.pdf.get_object(self.order[len(self.bodies)])))

    def _chunks(self, obj) -> tuple[bytes, tuple[int, ...], bytes]:
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            head = pikepdf.Dictionary({key: value for key, value in obj.stream_dict.items() if key != "/Length"})
            head.Length = len(raw)
            text, tail = head.unparse(resolved=True), b"\nstream\n" + raw + b"\nendstream"
        else:
            text, tail = obj.unparse(resolved=True), b""
        template: list[bytes] = []
        refs: list[int] = []
        last = 0
        for match in REF.finditer(text):
            if match.group(1) is None:
                continue  # a string
            template.append(text[last : match.start()].replace(b"%", b"%%"))
            found = self.ref((int(match.group(1)), int(match.group(2))))
            if found < 0:
                template.append(DECK_REFS[found])
            else:
                template.append(b"%d 0 R")
                refs.append(found)
            last = match.end()
        template.append(text[last:].replace(b"%", b"%%"))
        return b"".join(template), tuple(refs), tail


def _open(part: Path | bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(part) if isinstance(part, bytes) else part)


def _head(first: pikepdf.Pdf, title: str, pages: int, paper: Paper) -> Fragment:
    """The deck's document information, XMP and (PDF/X) output intent, made from the first part's."""
    out = pikepdf.new()
    _metadata(out, first, title, pages)
    if paper.bleed:
        _pdfx(out)
    metadata = out.Root.get("/Metadata")
    intents = out.make_indirect(out.Root.OutputIntents) if paper.bleed else None
    objects = _Objects(out, {})
    roots = [objects.ref(o.objgen) if o is not None else None for o in (out.docinfo, metadata, intents)]
    objects.finish()
    made = Fragment(objects.bodies, [], [], [], 0, roots)
    made.lang = first.Root.get("/Lang", pikepdf.String("en")).unparse(resolved=True)
    struct = first.Root.get("/StructTreeRoot")
    if struct is not None and "/RoleMap" in struct:
        made.role_map = struct.RoleMap.unparse(resolved=True)
    return made


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


def _card_order(elements: list, pages: dict[tuple[int, int], int]) -> list[tuple[object, int]]:
    """A part's elements, each card's front followed by its back, each with its sheet (within the part).

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
            ordered += [(element, sheet) for element in front + back]
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
