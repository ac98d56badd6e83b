"""A deck's PDF put together from laid-out faces: its sheets, structure tree and metadata.

Typst lays out every card face once per paper, each on a page of its own the
size of the card, in parts of a few cards cached by their content (pdfs.py),
and a deck's sheet frames (the captions, cut and crop marks) in one small
document of their own. Each of those pages is made a form XObject here, once
per part (`fragment`, read with pikepdf and kept in the card cache beside the
part): every object it needs, each one's body as bytes cut at its references,
its structure elements, its marked content's entry of the parent tree.

A deck's sheet is then a page of its own that draws its frame and, at each
slot, a face (`assemble`): a session pack's deck places the full deck's faces
on its own sheets without laying them out again, and a deck after one story
changed costs that story's faces, not a thousand cards. The structure tree is
one Document element holding each card's front and then its back; a face's
marked content is referred to in its XObject (an MCR with /Stm), on the sheet
it is drawn on. The file has a classic cross-reference table and a /ID hashed
from its bytes, so the same faces always make the same bytes.

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

from .errors import CardError
from .layout import OUTPUT_CONDITION, PDFX, Paper

PT_PER_MM = 72 / 25.4
# The output intent of the print-shop deck: the colour space every colour of the cards is given in.
PROFILE = Path(__file__).resolve().parent / "profiles" / "sRGB.icc"


@dataclass(frozen=True)
class Slot:
    """A face drawn on a sheet: the part it comes from, its page there, its top-left corner in mm, its scale."""

    part: Fragment
    face: int
    left: float
    top: float
    scale: float = 1.0


@dataclass(frozen=True)
class Sheet:
    """One page of a deck: its frame (a page of the deck's frames) and the faces on it."""

    frame: int
    slots: tuple[Slot, ...]


def assemble(
    frames: Fragment, head: Path | bytes, title: str, paper: Paper, sheets: list[Sheet], order: list[tuple]
) -> bytes:
    """One PDF of the sheets, tagged as one document; the print-shop boxes on every page.

    `frames` is the deck's frames made ready (`fragment`), `head` the frames' PDF (its metadata and
    language); `order` is the reading order, (part, face) pairs: each card's front, then its back.

    The numbering stays when one story changes, so that `mkdocs serve` writes most of a deck as it was: the
    deck's own objects, the head's, the sheets', then the parts drawn whole (at least half their faces, and
    not provisional), each with its own numbering (an object no face drawn needs is a free entry), in the
    order first drawn, then the other parts' objects renumbered one after the other; a face's parent tree
    key is its place in the reading order. What a part drawn whole writes is kept on it for the deck's next
    build (`Fragment.written`).
    """
    first = _open(head)
    top = _head(first, title, len(sheets), paper)
    version = "1.6" if paper.bleed else first.pdf_version
    # Each part's faces this deck draws, in the order first drawn; the frames it draws on.
    used: dict[int, tuple[Fragment, set[int]]] = {id(frames): (frames, {sheet.frame for sheet in sheets})}
    for sheet in sheets:
        for slot in sheet.slots:
            used.setdefault(id(slot.part), (slot.part, set()))[1].add(slot.face)
    first_sheet = OWN + 1 + len(top.objects)
    # Where each face is drawn, for its elements' /Pg; the parent tree key of each face with marked content.
    drawn: dict[tuple[int, int], int] = {}
    for page, sheet in enumerate(sheets):
        drawn.setdefault((id(frames), sheet.frame), first_sheet + 2 * page)
        for slot in sheet.slots:
            drawn.setdefault((id(slot.part), slot.face), first_sheet + 2 * page)
    keys = {(id(part), face): key for key, (part, face) in enumerate(order) if part.faces[face].marks is not None}
    whole = [i for i, (part, faces) in used.items() if 2 * len(faces) >= len(part.faces) and not part.provisional]
    rest = [ident for ident in used if ident not in set(whole)]
    drawn_whole = set(whole)
    number = first_sheet + 2 * len(sheets)
    kept: dict[int, tuple[Fragment, list[int], list[int]]] = {}
    for ident in whole + rest:
        part, faces = used[ident]
        objects = part.reached(frozenset(faces))
        if ident in drawn_whole:
            table = list(range(number, number + len(part.objects)))
            number += len(part.objects)
        else:
            table = [0] * len(part.objects)  # each kept object's number in the deck, by its index in the part
            for new, old in enumerate(objects, number):
                table[old] = new
            number += len(objects)
        kept[ident] = (part, objects, table)

    def ref(ident: int, index: int) -> int:
        return kept[ident][2][index]

    nums = [
        b"%d %d 0 R" % (key, ref(ident, used[ident][0].faces[face].marks))
        for (ident, face), key in sorted(keys.items(), key=lambda item: item[1])
    ]
    elements = [b"%d 0 R" % ref(id(part), element) for part, face in order for element in part.faces[face].elements]
    info, metadata, intents = (b"%d 0 R" % (OWN + 1 + index) if index is not None else b"" for index in top.roots)
    catalog = (
        b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 3 0 R /MarkInfo << /Marked true >> /Lang "
        + top.lang
        + b" /ViewerPreferences << /DisplayDocTitle true >>"
        + (b" /Metadata " + metadata if metadata else b"")
        + (b" /OutputIntents " + intents if intents else b"")
        + b" >>"
    )
    kids = [b"%d 0 R" % (first_sheet + 2 * page) for page in range(len(sheets))]
    own = [
        catalog,
        b"<< /Type /Pages /Kids [ " + b" ".join(kids) + b" ] /Count %d >>" % len(kids),
        b"<< /Type /StructTreeRoot /K [ 4 0 R ] /ParentTree 5 0 R /ParentTreeNextKey %d" % len(order)
        + (b" /RoleMap " + top.role_map if top.role_map else b"")
        + b" >>",
        b"<< /Type /StructElem /S /Document /P 3 0 R /K [ " + b" ".join(elements) + b" ] >>",
        b"<< /Nums [ " + b" ".join(nums) + b" ] >>",
    ]
    assert len(own) == OWN
    header = b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % version.encode("ascii")
    objects = [(body, b"") for body in own]
    objects += [
        (template % tuple([OWN + 1 + r for r in refs]) if refs else template, tail)
        for template, refs, tail in top.objects
    ]
    for page, sheet in enumerate(sheets):
        objects += _sheet(paper, sheet, ref(id(frames), frames.faces[sheet.frame].xobject), ref, first_sheet + 2 * page)
    chunks = [b"%d 0 obj\n%b%b\nendobj\n" % (n, body, tail) for n, (body, tail) in enumerate(objects, 1)]
    numbers = list(range(1, len(chunks) + 1))
    # A deterministic /ID: a hash of the hashes of what is written, the deck's own objects and each part's, so
    # the same faces always make the same bytes; what a part drawn whole writes is hashed once, kept with it.
    hashes = [_md5(header, *chunks)]
    for ident in whole + rest:
        part, indexes, table = kept[ident]
        # A face's page in its part stands for the sheet it is drawn on here; its XObject gets its key.
        sheet_of = {SHEET - face: drawn.get((ident, face), 0) for face in range(len(part.faces))}
        streams = {part.faces[f].xobject: keys[(ident, f)] for f in range(len(part.faces)) if (ident, f) in keys}
        signature = (title, table[0] if table else 0, tuple(indexes), tuple(sheet_of.values()), tuple(streams.items()))
        done = part.written.get(title) if ident in drawn_whole else None
        if done is None or done[0] != signature:
            written = _write(part, indexes, table, sheet_of, streams)
            done = (signature, written, _md5(*written))
            if ident in drawn_whole:
                part.written[title] = done
        chunks += done[1]
        hashes.append(done[2])
        numbers += [table[index] for index in indexes]
    where = list(itertools.accumulate(map(len, chunks), initial=len(header)))  # each object's offset in the file
    end = where.pop()
    digest = _md5(*hashes).hex().encode("ascii")
    return b"".join((header, *chunks, _xref(numbers, where, number), _trailer(number, info, digest, end)))


def _md5(*pieces: bytes) -> bytes:
    found = hashlib.md5(usedforsecurity=False)
    for piece in pieces:
        found.update(piece)
    return found.digest()


def _write(part: Fragment, indexes: list[int], table: list[int], sheet_of: dict, streams: dict) -> list[bytes]:
    """The part's objects `indexes` as they are written into a deck, numbered by `table`."""
    bodies = part.objects
    chunks = []
    for index in indexes:
        template, refs, tail = bodies[index]
        body = template % tuple([table[r] if r >= 0 else sheet_of[r] for r in refs]) if refs else template
        if index in streams:
            body = body[: -len(b">>")] + b"/StructParents %d >>" % streams[index]
        chunks.append(b"%d 0 obj\n%b%b\nendobj\n" % (table[index], body, tail))
    return chunks


def _xref(numbers: list[int], where: list[int], size: int) -> bytes:
    """The cross-reference table: each object's offset, and the numbers no object has as free entries."""
    offset = dict(zip(numbers, where, strict=True))
    free = [n for n in range(1, size) if n not in offset]
    # The free entries form a list: object 0 names the first, each the next, the last names 0.
    following = dict(zip([0, *free], [*free, 0], strict=True))
    lines = [b"%010d 65535 f \n" % following[0]]
    lines += [
        b"%010d 00000 n \n" % offset[n] if n in offset else b"%010d 00001 f \n" % following[n] for n in range(1, size)
    ]
    return b"xref\n0 %d\n" % size + b"".join(lines)


def _trailer(size: int, info: bytes, digest: bytes, start: int) -> bytes:
    return b"trailer\n<< /Size %d /Root 1 0 R /Info %s /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        info,
        digest,
        digest,
        start,
    )


def _sheet(paper: Paper, sheet: Sheet, frame: int, ref, number: int) -> list[tuple[bytes, bytes]]:
    """A sheet's page and its content: the frame over the whole page, each face at its slot."""
    width, height = ((side + 2 * paper.bleed) * PT_PER_MM for side in paper.page)
    names = [b"/Fr %d 0 R" % frame]
    draw = [b"q /Fr Do Q"]
    for index, slot in enumerate(sheet.slots):
        names.append(b"/F%d %d 0 R" % (index, ref(id(slot.part), slot.part.faces[slot.face].xobject)))
        # PDF's origin is the page's bottom-left corner; a slot is given from the top-left.
        form = slot.part.faces[slot.face]
        left = slot.left * PT_PER_MM
        bottom = height - slot.top * PT_PER_MM - form.height * slot.scale
        draw.append(b"q %.5f 0 0 %.5f %.3f %.3f cm /F%d Do Q" % (slot.scale, slot.scale, left, bottom, index))
    boxes = b""
    if paper.bleed:
        bleed = paper.bleed * PT_PER_MM
        boxes = b" /TrimBox [ %.3f %.3f %.3f %.3f ] /BleedBox [ 0 0 %.3f %.3f ]" % (
            bleed,
            bleed,
            width - bleed,
            height - bleed,
            width,
            height,
        )
    content = b"\n".join(draw)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 %.3f %.3f ]%b" % (
        width,
        height,
        boxes,
    ) + b" /Resources << /XObject << %b >> >> /Contents %d 0 R >>" % (b" ".join(names), number + 1)
    return [(page, b""), (b"<< /Length %d >>" % len(content), b"\nstream\n" + content + b"\nendstream")]


# The deck's own objects, numbered first: its catalog, page tree, structure root, Document element, parent tree.
OWN = 5
# References to them in a part's bodies: its Document element, its page tree, its structure root.
DOCUMENT, PAGES, STRUCT_ROOT = -1, -2, -3
DECK_REFS = {PAGES: b"2 0 R", STRUCT_ROOT: b"3 0 R", DOCUMENT: b"4 0 R"}
# A reference to a part's page n is to the sheet its face is drawn on in a deck: code SHEET - n.
SHEET = -100
# An indirect reference in an object's unparsed text; a literal string is matched whole, so none is read inside it
# (qpdf escapes every parenthesis in a string it writes).
REF = re.compile(rb"\((?:\\.|[^\\()])*\)|(\d+) (\d+) R")


@dataclass(frozen=True)
class Form:
    """A part's page as a deck draws it: its form XObject, its top structure elements, its parent tree entry."""

    xobject: int
    elements: tuple[int, ...]
    marks: int | None  # the elements of its marked content, by MCID (None: artifacts only)
    height: float = 0.0  # its box's height in pt


@dataclass
class Fragment:
    """A part made ready to be drawn into decks: every object its faces need, each one's body, unnumbered.

    A body with references is a template (bytes, `%` doubled) with a `%d` for each reference to another object of the
    part, those objects by their index in the part (the deck adds the part's first number), or to the sheet
    a face is drawn on (SHEET - the face), and the stream data that follows, if any. References to the
    deck's own objects (DOCUMENT, PAGES, STRUCT_ROOT) are written in already.
    """

    objects: list[tuple[bytes, tuple[int, ...], bytes]]
    faces: list[Form]
    subsets: dict = field(default_factory=dict, repr=False, compare=False)
    written: dict = field(default_factory=dict, repr=False, compare=False)  # by deck: what `assemble` wrote
    provisional: bool = False  # a warm build's changed cards alone, never cached: numbered after the parts

    def reached(self, faces: frozenset[int]) -> list[int]:
        """The objects the faces `faces` need, in the part's order (made once for each set of faces)."""
        found = self.subsets.get(faces)
        if found is None:
            if len(faces) == len(self.faces):
                found = list(range(len(self.objects)))
            else:
                seen: set[int] = set()
                todo = [i for f in faces for i in (self.faces[f].xobject, *self.faces[f].elements, self.faces[f].marks)]
                while todo:
                    index = todo.pop()
                    if index is None or index < 0 or index in seen:
                        continue
                    seen.add(index)
                    todo += self.objects[index][1]
                found = sorted(seen)
            self.subsets[faces] = found
        return found

    def __getstate__(self):
        return {"objects": self.objects, "faces": self.faces}

    def __setstate__(self, state):
        self.objects, self.faces, self.subsets, self.written = state["objects"], state["faces"], {}, {}
        self.provisional = False


def fragment(part: Path | bytes) -> Fragment:
    """A part's pages as form XObjects with their structure elements, ready for any deck (`assemble`).

    What drawing a page into a deck changes is done here, once per part: the page's content becomes a form
    XObject with the page's resources; each marked-content reference of its elements names that XObject
    (/Stm), and a reference to the page is one to the sheet it will be drawn on; the top elements' parent is
    the deck's Document.
    """
    pdf = _open(part)
    pages = [page.obj for page in pdf.pages]
    index = {page.objgen: number for number, page in enumerate(pages)}
    marks: dict[tuple[int, int], int] = {pdf.Root.Pages.objgen: PAGES}
    marks.update({page.objgen: SHEET - number for number, page in enumerate(pages)})
    document = pdf.make_indirect(pikepdf.Dictionary())
    marks[document.objgen] = DOCUMENT
    xobjects = [_form(pdf, page) for page in pages]
    top: list[list] = [[] for _ in pages]
    entries: list = [None] * len(pages)
    root = pdf.Root.get("/StructTreeRoot")
    if root is not None:
        marks[root.objgen] = STRUCT_ROOT
        # Typst's Document element stands for the deck's, should anything but its children point at it.
        for item in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
            if isinstance(item, pikepdf.Dictionary) and item.get("/S") == pikepdf.Name.Document and item.is_indirect:
                marks[item.objgen] = DOCUMENT
        last = 0
        for element in _children(root.K):
            page = _page_of(element, index)
            last = page if page is not None else last
            element.P = document
            top[last].append(element if element.is_indirect else pdf.make_indirect(element))
            _refer(element, None, index, xobjects)
        tree = {int(k): v for k, v in pikepdf.NumberTree(root.ParentTree).items()} if "/ParentTree" in root else {}
        for number, page in enumerate(pages):
            if "/StructParents" in page and int(page.StructParents) in tree:
                value = tree[int(page.StructParents)]
                entries[number] = value if value.is_indirect else pdf.make_indirect(value)
    objects = _Objects(pdf, marks)
    faces = [
        Form(
            objects.ref(xobjects[n].objgen),
            tuple(objects.ref(e.objgen) for e in top[n]),
            objects.ref(entries[n].objgen) if entries[n] is not None else None,
            float(pages[n].MediaBox[3]) - float(pages[n].MediaBox[1]),
        )
        for n in range(len(pages))
    ]
    objects.finish()
    return Fragment(objects.bodies, faces)


def _form(pdf: pikepdf.Pdf, page) -> pikepdf.Stream:
    """A page's content as a form XObject: the same drawing, the page's resources, its box."""
    for name in ("/MediaBox", "/Resources"):  # what a page may take from its parent
        if name not in page:
            page[name] = _inherited(page, name)
    contents = page.Contents
    form = pdf.make_stream(b"")
    if isinstance(contents, pikepdf.Stream):
        form.write(contents.read_raw_bytes(), filter=contents.get("/Filter"), decode_parms=contents.get("/DecodeParms"))
    else:
        form.write(b"\n".join(stream.read_bytes() for stream in contents))
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox, form.Resources = page.MediaBox, page.Resources
    return pdf.make_indirect(form)


def _refer(element, page, index: dict, xobjects: list) -> None:
    """An element's marked content referred to in its page's XObject: each MCID an MCR with /Stm."""
    if "/Pg" in element:
        page = element.Pg
    kids = element.get("/K")
    if kids is None:
        return
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    made = []
    for kid in items:
        if isinstance(kid, int):
            on = page.objgen if page is not None else None
            if on not in index:
                raise CardError("cards: a structure element's marked content is on no page of its part")
            # The element's own /Pg names the page (the sheet, in a deck): the reference needs only the XObject.
            made_kid = pikepdf.Dictionary(Stm=xobjects[index[on]], MCID=int(kid))
            if "/Pg" not in element:
                made_kid.Pg = page
            kid = made_kid
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
            on = kid.Pg if "/Pg" in kid else page
            kid.Pg, kid.Stm = on, xobjects[index[on.objgen]]
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            _refer(kid, page, index, xobjects)
        made.append(kid)
    element.K = pikepdf.Array(made) if isinstance(kids, pikepdf.Array) else made[0]


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
            if found in DECK_REFS:
                template.append(DECK_REFS[found])
            else:
                template.append(b"%d 0 R")
                refs.append(found)
            last = match.end()
        if not refs:
            return text, (), tail  # nothing to fill in: the body as it is
        template.append(text[last:].replace(b"%", b"%%"))
        return b"".join(template), tuple(refs), tail


def _open(part: Path | bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(part) if isinstance(part, bytes) else part)


@dataclass
class Head:
    """The deck's document information, XMP and output intents (`roots`), its language and role map."""

    objects: list[tuple[bytes, tuple[int, ...], bytes]]
    roots: list[int | None]
    lang: bytes = b""
    role_map: bytes = b""


def _head(first: pikepdf.Pdf, title: str, pages: int, paper: Paper) -> Head:
    """The deck's document information, XMP and (PDF/X) output intent, made from the frames' PDF."""
    out = pikepdf.new()
    _metadata(out, first, title, pages)
    if paper.bleed:
        _pdfx(out)
    metadata = out.Root.get("/Metadata")
    intents = out.make_indirect(out.Root.OutputIntents) if paper.bleed else None
    objects = _Objects(out, {})
    roots = [objects.ref(o.objgen) if o is not None else None for o in (out.docinfo, metadata, intents)]
    objects.finish()
    made = Head(objects.bodies, roots)
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
