"""A deck's PDF put together from its cached parts, with pikepdf: pages, structure tree, metadata.

Each part is a tagged PDF of a few sheets (Typst tags what it lays out). The
deck takes every part's pages in order and one structure tree: a Document
element holding every part's elements in order, and the parent tree renumbered
so each page still points at its own elements. The result is saved with a
deterministic /ID, so the same parts always make the same bytes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf

from .layout import Paper

PT_PER_MM = 72 / 25.4


def assemble(parts: list[Path | bytes], title: str, paper: Paper) -> bytes:
    """One PDF of the parts' pages, tagged as one document; the print-shop boxes on every page."""
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(p) if isinstance(p, bytes) else p) for p in parts]
    first = sources[0]
    document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=[]))
    tree = pikepdf.NumberTree.new(out)
    next_key = 0
    for source in sources:
        start = len(out.pages)
        out.pages.extend(source.pages)
        root = source.Root.get("/StructTreeRoot")
        if root is None:
            continue
        # Pages and their elements are copied through one map per source, so /Pg keeps pointing at the copy.
        copied = out.copy_foreign(root)
        for element in _children(copied.K):
            element.P = document
            document.K.append(element)
        for key, value in pikepdf.NumberTree(copied.ParentTree).items():
            tree[key + next_key] = value
        for page in out.pages[start:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + next_key
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
    _metadata(out, first, title, len(out.pages))
    if paper.bleed:
        _boxes(out, paper)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
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


def _metadata(out: pikepdf.Pdf, first: pikepdf.Pdf, title: str, pages: int) -> None:
    """The document information and XMP of the first part, for the whole deck: its title, one date (or none)."""
    info = {key: value for key, value in first.docinfo.items() if key != "/ModDate"}
    info["/Title"] = pikepdf.String(title)
    out.docinfo = out.make_indirect(pikepdf.Dictionary(info))
    if "/Metadata" in first.Root:
        xmp = first.Root.Metadata.read_bytes().decode("utf-8")
        xmp = re.sub(r"<xmp:ModifyDate>[^<]*</xmp:ModifyDate>", "", xmp)
        xmp = re.sub(r"<xmpTPg:NPages>\d+</xmpTPg:NPages>", f"<xmpTPg:NPages>{pages}</xmpTPg:NPages>", xmp)
        xmp = re.sub(r"(<dc:title><rdf:Alt><rdf:li[^>]*>)[^<]*", lambda m: m.group(1) + _xml(title), xmp)
        stream = pikepdf.Stream(out, xmp.encode("utf-8"))
        stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        out.Root.Metadata = out.make_indirect(stream)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _boxes(out: pikepdf.Pdf, paper: Paper) -> None:
    """TrimBox (the card) and BleedBox (the card and its bleed, the whole page) on every page."""
    bleed = paper.bleed * PT_PER_MM
    for page in out.pages:
        left, bottom, right, top = (float(v) for v in page.mediabox)
        page.obj.TrimBox = pikepdf.Array([left + bleed, bottom + bleed, right - bleed, top - bleed])
        page.obj.BleedBox = pikepdf.Array([left, bottom, right, top])
