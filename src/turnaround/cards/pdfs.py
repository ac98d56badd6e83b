"""Every deck on every paper, plus the calibration sheets: rendered (or taken from the cache) and listed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..model import KnowledgeBase, source_date_epoch
from ..problems import Problem
from . import typeset
from .cache import Cache, key
from .layout import CALIBRATED, PAPERS, document_title, pages
from .manifest import Entry, write_manifest
from .model import Card, decks
from .packs import Pack, packs
from .render import Rendered

# Cards per cached part of faces: a Typst document of 64 cards costs less a card than one of 16 or of 256
# (docs/benchmarks.md), and a pack's deck carries the font subsets of every part it draws from.
PART_CARDS = 64
# Beside each cached part: the part made ready to be put together into a deck (`assemble.fragment`).
FRAGMENT = ".frag"


@dataclass
class Product:
    """One PDF to make: what it holds, and what its cache key is made from."""

    file: str
    deck: str  # steps | checklist | roleplay | calibration
    paper: str  # a6 | a4 | letter
    cards: list[Card]
    created: str | None = None
    cards_digest: str = ""  # a hash of what the cards hold, made once for all papers of a deck
    pack: str | None = None  # the session pack it belongs to (`setting/hotel`), None for the full decks
    title: str = ""  # the PDF's title when not the deck's own
    paged: object = None  # a pack's guide or handout (guides.Paged): what its template reads
    source: list[Card] | None = None  # the deck whose parts hold its faces (a pack's: the full deck); else `cards`

    def fingerprint(self) -> str:
        """Everything the PDF is made from, as text: with the package's own files, the cache key.

        Cheaper than what Typst reads (no QR codes), so a build whose PDFs are
        all cached stays quick with thousands of stories.
        """
        if self.paged is not None:
            # The document's own JSON after the product's, not quoted inside it again.
            return json.dumps([self.deck, self.created]) + "\n" + self.paged.fingerprint
        return json.dumps([self.file, self.title, self.created, self.cards_digest or _cards_digest(self.cards)])


def _cards_digest(cards: list[Card]) -> str:
    """A hash of what every card holds: of each card's own hash, made once per card."""
    return hashlib.sha256("\n".join(map(_card_digest, cards)).encode("ascii")).hexdigest()


def _card_digest(card: Card) -> str:
    """A hash of what one card holds, kept on the card: a deck, its parts and each paper hash it again."""
    digest = card.__dict__.get("_digest")
    if digest is None:
        text = json.dumps(
            [card.kind, card.name, card.source, card.link.url, card.data, card.where], sort_keys=True, default=_plain
        )
        digest = card.__dict__["_digest"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest


def file_name(deck: str, paper: str) -> str:
    return f"{deck}-{paper}.pdf"


def planned(counts: dict[str, int]) -> list[tuple[str, str, str, int]]:
    """(file, deck, paper, pages) of every product, from the number of cards in each deck alone."""
    found = [
        (file_name(deck, paper), deck, paper, pages(deck, count, PAPERS[paper]))
        for deck, count in counts.items()
        if count
        for paper in PAPERS
    ]
    return found + [(file_name("calibration", paper), "calibration", paper, 2) for paper in CALIBRATED]


@dataclass
class Built:
    """A product made: its PDF (a cached file, or bytes when it could not be cached) and page count."""

    product: Product
    pages: int
    cached: bool
    path: Path | None = None
    data: bytes | None = None


@dataclass
class Result:
    built: list[Built] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def manifest(self) -> list[Entry]:
        return [
            Entry(b.product.file, b.product.deck, b.product.paper, len(b.product.cards), b.pages, b.product.pack)
            for b in self.built
        ]


def products(
    kb: KnowledgeBase, site_url: str | None, created: str | None = None, only: str | None = None
) -> list[Product]:
    """The files, in manifest order: each deck on each paper, the calibration sheets, then each session pack.

    With `only` (a pack's id), that pack's files alone.
    """
    found = []
    full = decks(kb, site_url)
    # A pack's role-play card is the full deck's, faces and all: made once, laid out once.
    roleplay = next(deck.cards for deck in full if deck.name == "roleplay")
    if only is None:
        for deck in full:
            if deck.cards:
                digest = _cards_digest(deck.cards)
                found += [
                    Product(file_name(deck.name, paper), deck.name, paper, deck.cards, created, digest)
                    for paper in PAPERS
                ]
        found += [Product(file_name("calibration", paper), "calibration", paper, [], created) for paper in CALIBRATED]
    for pack in packs(kb):
        if only is None or pack.id == only:
            found += pack_products(kb, pack, site_url, created, roleplay)
    return found


def pack_products(
    kb: KnowledgeBase, pack: Pack, site_url: str | None, created: str | None, full: list[Card] | None = None
) -> list[Product]:
    """A pack's role-play deck on each paper, its guide and handout on A4 and Letter, and its guide's preview.

    `full`: the full role-play deck, which holds every card of the pack (it is made when not given).
    """
    from . import guides

    full = full if full is not None else next(d.cards for d in decks(kb, site_url) if d.name == "roleplay")
    by_story = {card.source: card for card in full}
    cards = [by_story[story.rel] for story in pack.stories]
    digest = _cards_digest(cards)
    found = [
        Product(
            guides.roleplay_file(pack, paper),
            "roleplay",
            paper,
            cards,
            created,
            digest,
            pack=pack.id,
            title=f"Turnaround session pack: {pack.title}, role-play cards, {paper}",
            source=full,
        )
        for paper in PAPERS
    ]
    documents = guides.documents(kb, pack, site_url, created)
    found += [Product(d.file, d.kind, d.paper, [], created, pack=pack.id, title=d.title, paged=d) for d in documents]
    first = documents[0]  # the A4 guide
    found.append(
        Product(
            guides.file_name(pack, "guide", first.paper, "png"),
            "preview",
            first.paper,
            [],
            created,
            pack=pack.id,
            title=f"{first.title}: first page",
            paged=first,
        )
    )
    return found


def build(
    kb: KnowledgeBase, site_url: str | None, cache: Cache, created: str | None = None, only: str | None = None
) -> Result:
    """Every product, from the cache where it can be; the cached file is the result's path.

    Every card face is laid out once per paper, in parts of PART_CARDS cards
    of its full deck, each part cached by its cards' content; a deck, full or a
    session pack's, draws those faces on its own sheets (`assemble`), so a pack
    lays out nothing of its own and a changed story lays out its part again on
    each paper. A part with an overflowing card is still rendered (to look at)
    but never cached, so the problem is reported again until the text is
    shortened. `only` makes one session pack's files alone.

    In one process (`mkdocs serve`) a build keeps what the next one needs: each
    part's fragment, and which part is at each place of a deck, so a changed part
    lays out only its changed cards and borrows the other faces (`_Placed`).
    """
    result = Result()
    _placed.next_build()
    for product in products(kb, site_url, created, only):
        name = key(product.fingerprint())
        hit = cache.get(name)
        if hit:
            result.built.append(Built(product, hit[1], cached=True, path=hit[0]))
            continue
        guide = product.paged.file if product.deck == "preview" else None
        rendered = make(product, cache, name, next((b.pages for b in result.built if b.product.file == guide), None))
        result.problems += rendered.problems
        # A deck that borrowed faces from this process's earlier build is not cached (see `_Placed`).
        path = None if rendered.problems or name in _placed.decks else cache.put(name, rendered.pdf, rendered.pages)
        result.built.append(
            Built(product, rendered.pages, cached=False, path=path, data=None if path else rendered.pdf)
        )
    # A card in a pack's deck is also in the full deck: its problem is reported once.
    result.problems = list({str(p): p for p in result.problems}.values())
    cache.prune()
    return result


def make(product: Product, cache: Cache, name: str | None = None, pages: int | None = None) -> Rendered:
    """One product's PDF: the calibration sheet, a guide or handout, or a deck from its parts.

    `pages`: for a guide's preview, the pages of the guide's PDF, when this build has it.
    """
    if product.deck == "calibration":
        paper = PAPERS[product.paper]
        return typeset.render(typeset.calibration(paper), paper, product.created)
    if product.deck in ("guide", "handout"):
        from . import guides

        return guides.render(product.paged)
    if product.deck == "preview":
        from . import guides

        return Rendered(guides.preview(product.paged, pages), 1)
    return deck_pdf(product, cache, name)


class _Placed:
    """What this process's builds keep for the next: each part's fragment, and what is at each place of a deck.

    Each part used by a build stays in memory, made ready (`assemble.fragment`), until a build no longer
    uses it: the next build in `mkdocs serve` does not read its cached fragment again.

    At each place of a deck (its parts in order): the part there, by its cache name, and its cards' hashes.
    `mkdocs serve` builds again and again in one process. When a story changes, the part holding its card
    changes, but only the changed cards need Typst: the other faces are borrowed from the part that was
    there before. A deck so made is kept in this process only, never in the cache: a build in a fresh
    process lays the part out whole, so the same content always makes the same bytes there, whatever the
    cache's history.
    """

    def __init__(self) -> None:
        self.parts: dict[tuple, tuple[str, list[str]]] = {}
        self.decks: dict[str, Rendered] = {}  # decks made with borrowed faces, by their product's cache key
        self.earlier: dict[str, Rendered] = {}  # those of the build before: kept when this build uses them again
        self.fragments: dict[tuple, object] = {}  # (cache folder, part's cache name) -> its fragment
        self.fragments_before: dict[tuple, object] = {}
        self.faces: dict[tuple, tuple[list[Faces], list[Problem], bool]] = {}  # this build's, by part

    def next_build(self) -> None:
        """A build starts: what the last one used is kept while this one uses it again."""
        self.earlier, self.decks = self.decks, {}
        self.fragments_before, self.fragments = self.fragments, {}
        self.faces = {}


_placed = _Placed()


@dataclass(frozen=True)
class Faces:
    """Where a card's faces are laid out: a part made ready, its front's and back's page there, its copies'."""

    part: object  # assemble.Fragment
    front: int
    back: int
    copies: tuple[int, int] | None = None  # the checklist's copies that fill a sheet (artifacts)


def deck_pdf(product: Product, cache: Cache, product_key: str | None = None) -> Rendered:
    """A deck on its paper: its cards' faces from the parts that hold them, on its own sheets, put together."""
    if product_key and product_key in _placed.earlier:
        _placed.decks[product_key] = _placed.earlier[product_key]
        return _placed.decks[product_key]
    from .assemble import Sheet, Slot, assemble  # pikepdf: loaded only when a deck is put together

    paper = PAPERS[product.paper]
    faces, problems, borrowed = _faces(product, cache)
    frames, head, frame_of = _frames(product, cache)
    # Faces laid out for another paper's card are scaled to this one's width, and centred on its height.
    card = _face_paper(product).card
    scale = paper.card[0] / card[0]
    drop = (paper.card[1] - card[1] * scale) / 2
    per = paper.per_sheet
    # Each slot's corner on a front and on a back, on the page with its bleed: the same on every sheet.
    corners = {side: [paper.slot(i, side == "back") for i in range(per)] for side in ("front", "back")}
    corners = {side: [(paper.bleed + x, paper.bleed + y + drop) for x, y in at] for side, at in corners.items()}
    sheets = []
    for start in range(0, len(faces), per):
        chunk = faces[start : start + per]
        for side in ("front", "back"):
            slots = [(found.part, found.front if side == "front" else found.back) for found in chunk]
            copies = chunk[0].copies
            if copies:  # one checklist card fills the sheet
                slots += [(chunk[0].part, copies[side == "back"])] * (per - 1)
            placed = tuple(
                Slot(part, face, *corner, scale) for (part, face), corner in zip(slots, corners[side], strict=False)
            )
            sheets.append(Sheet(frame_of[len(sheets)], placed))
    order = [pair for found in faces for pair in ((found.part, found.front), (found.part, found.back))]
    title = product.title or document_title(product.deck, paper)
    made = Rendered(assemble(frames, head, title, paper, sheets, order), len(sheets), problems)
    if borrowed and product_key and not problems:
        _placed.decks[product_key] = made
    return made


def _faces(product: Product, cache: Cache) -> tuple[list[Faces], list[Problem], bool]:
    """Each card's faces, from the parts of the deck that holds them (laid out now when not cached).

    Those parts are the deck's own, PART_CARDS cards each, or a pack's full deck's: a pack's deck draws the
    faces the full deck laid out. Also the parts' problems, and whether some face was borrowed.
    """
    source = product.source if product.source is not None else product.cards
    size = PART_CARDS if product.deck != "checklist" else max(len(source), 1)
    position = {id(card): index for index, card in enumerate(source)}
    wanted = sorted({position[id(card)] // size for card in product.cards})
    found: dict[int, Faces] = {}
    problems: list[Problem] = []
    borrowed = False
    for group in wanted:
        cards = source[group * size : (group + 1) * size]
        faces, found_problems, was_borrowed = _part(product, cache, group, cards)
        problems += found_problems
        borrowed = borrowed or was_borrowed
        found.update({id(card): face for card, face in zip(cards, faces, strict=True)})
    return [found[id(card)] for card in product.cards], problems, borrowed


def _face_paper(product: Product):
    """The paper a product's faces are laid out for: its own, or the one whose faces it prints (`Paper.faces`)."""
    paper = PAPERS[product.paper]
    return PAPERS[paper.faces] if paper.faces else paper


def _part(product: Product, cache: Cache, group: int, cards: list[Card]) -> tuple[list[Faces], list[Problem], bool]:
    """One part's faces on the product's paper: made once per build, whichever decks draw them."""
    paper = _face_paper(product)
    name = _part_name(product.deck, paper.name, cards)
    place = (cache.folder, product.deck, paper.name, group)
    memo = (cache.folder, name)
    if memo in _placed.faces:
        return _placed.faces[memo]
    digests = [_card_digest(card) for card in cards]
    hit = cache.get(name)
    if hit:
        _placed.parts[place] = (name, digests)
        made = (_laid_out(_fragment(cache, name, hit[0]), len(cards), product, paper), [], False)
    else:
        made = _borrow(product, cache, place, cards, digests) or _lay_out(product, cache, name, place, cards, digests)
    _placed.faces[memo] = made
    return made


def _lay_out(product: Product, cache: Cache, name: str, place: tuple, cards: list[Card], digests: list[str]):
    """A part laid out now and cached (not when a face does not fit: it is reported until shortened)."""
    paper = _face_paper(product)
    rendered = typeset.render(typeset.faces(product.deck, cards, paper), paper, None)
    path = None if rendered.problems else cache.put(name, rendered.pdf, rendered.pages)
    if path:
        _placed.parts[place] = (name, digests)
    part = _fragment(cache, name if path else None, path or rendered.pdf)
    return _laid_out(part, len(cards), product, paper), rendered.problems, False


def _laid_out(part, count: int, product: Product, paper) -> list[Faces]:
    """The faces of a part's `count` cards, in order (`typeset.faces`: front, back; then the copies)."""
    copies = (2 * count, 2 * count + 1) if product.deck == "checklist" and paper.per_sheet > 1 else None
    return [Faces(part, 2 * n, 2 * n + 1, copies) for n in range(count)]


def _part_name(deck: str, paper: str, cards: list[Card]) -> str:
    """The cache name of a part: the faces of these cards on a paper, wherever a deck draws them."""
    return key(json.dumps(["faces", deck, paper, _cards_digest(cards)]))


def _borrow(product: Product, cache: Cache, place: tuple, cards: list[Card], digests: list[str]):
    """A changed part's faces: the unchanged cards' from the part that was in its place in this process, the
    changed cards' laid out now on their own. None when nothing can be borrowed.
    """
    before = _placed.parts.get(place)
    if before is None or len(before[1]) != len(digests) or before[1] == digests:
        return None
    old_name, old_digests = before
    same = [old == new for old, new in zip(old_digests, digests, strict=True)]
    hit = cache.get(old_name) if any(same) else None
    if hit is None:
        return None
    paper = _face_paper(product)
    old = _laid_out(_fragment(cache, old_name, hit[0]), len(cards), product, paper)
    changed = [card for card, kept in zip(cards, same, strict=True) if not kept]
    rendered = typeset.render(typeset.faces(product.deck, changed, paper), paper, None)
    provisional = _fragment(cache, None, rendered.pdf)
    provisional.provisional = True
    new = iter(_laid_out(provisional, len(changed), product, paper))
    return [old[n] if kept else next(new) for n, kept in enumerate(same)], rendered.problems, True


def _frames(product: Product, cache: Cache):
    """The deck's sheets without their faces (captions, cut and crop marks), made ready; their PDF; and the
    frame of each page of the deck."""
    paper = PAPERS[product.paper]
    made = typeset.frames(product.deck, paper)  # the same for every deck of its kind on its paper
    name = key(json.dumps(["frames", product.created, made.data], sort_keys=True))
    hit = cache.get(name)
    if hit is None:
        rendered = typeset.render(made, paper, product.created)
        path = cache.put(name, rendered.pdf, rendered.pages)
        hit = (path or rendered.pdf, rendered.pages)
    frame_of = typeset.frame_of(product.deck, len(product.cards), paper)
    return _fragment(cache, name if isinstance(hit[0], Path) else None, hit[0]), hit[0], frame_of


def _fragment(cache: Cache, name: str | None, part: Path | bytes):
    """A cached part made ready to be drawn (`assemble.fragment`), kept beside it; made now when missing."""
    from .assemble import Fragment, fragment

    where = (cache.folder, name)
    found = _placed.fragments.get(where) or _placed.fragments_before.get(where) if name else None
    kept = cache.get_extra(name, FRAGMENT) if name and found is None else None
    if kept is not None:
        try:
            found = pickle.loads(kept)
        except Exception:  # a damaged or stale file is made again
            found = None
    if not isinstance(found, Fragment):
        found = fragment(part)
        if name:
            cache.put_extra(name, FRAGMENT, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    if name:
        _placed.fragments[where] = found
    return found


def write(result: Result, out: Path) -> list[Path]:
    """Copy the PDFs and write cards.json into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for built in result.built:
        target = out / built.product.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if built.path:
            shutil.copyfile(built.path, target)
        else:
            target.write_bytes(built.data or b"")
        written.append(target)
    written.append(write_manifest(result.manifest, out))
    return written


def _plain(value):
    # The card data holds small frozen dataclasses (a phase, a step reference).
    # Their fields as they are (json comes back here for a nested one): what `asdict` gives, without its deep copy.
    return dict(vars(value)) if dataclasses.is_dataclass(value) else str(value)


def created_from_environment() -> str | None:
    """The PDFs' creation date: SOURCE_DATE_EPOCH when set (reproducible builds), else none at all."""
    moment = source_date_epoch()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
