"""Every deck on every paper, plus the calibration sheets: rendered (or taken from the cache) and listed."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..model import KnowledgeBase, source_date_epoch
from ..problems import Problem
from . import typeset
from .cache import Cache, key
from .layout import CALIBRATED, PAPERS, Document, calibration_document, document_title, pages
from .manifest import Entry, write_manifest
from .model import Card, decks, roleplay_card
from .packs import Pack, packs
from .render import Rendered, render

# Cards per cached part of a deck: whole sheets on every paper (4, 2 and 1 to a sheet).
PART_CARDS = 16
# Beside each cached part: the part made ready to be put together into a deck (`assemble.fragment`).
FRAGMENT = ".frag"


@dataclass
class Product:
    """One PDF to make: what it holds; its HTML is made when asked for."""

    file: str
    deck: str  # steps | checklist | roleplay | calibration
    paper: str  # a6 | a4 | letter
    cards: list[Card]
    created: str | None = None
    cards_digest: str = ""  # a hash of what the cards hold, made once for all papers of a deck
    pack: str | None = None  # the session pack it belongs to (`setting/hotel`), None for the full decks
    title: str = ""  # the PDF's title when not the deck's own
    paged: object = None  # a pack's guide or handout (guides.Paged): what its template reads

    def document(self) -> Document:
        """The HTML of the calibration sheet (WeasyPrint); the decks are laid out by `typeset`."""
        return calibration_document(PAPERS[self.paper], self.created)

    def fingerprint(self) -> str:
        """Everything the HTML is made from, as text: with the package's own files, the cache key.

        Cheaper than the HTML itself (no templates, no QR codes), so a build whose
        PDFs are all cached stays quick with thousands of stories.
        """
        if self.paged is not None:
            return json.dumps([self.deck, self.created, self.paged.fingerprint()])
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


def _numbered(card: Card, number: int, total: int) -> Card:
    """A full deck's card numbered within a pack; its hash is made from the full deck's card and the numbers."""
    numbered = dataclasses.replace(card, data={**card.data, "number": number, "total": total})
    digest = json.dumps([_card_digest(card), number, total])
    numbered.__dict__["_digest"] = hashlib.sha256(digest.encode("ascii")).hexdigest()
    return numbered


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
    full = decks(kb, site_url) if only is None else []
    # A pack's role-play card is the full deck's, numbered within the pack: made once.
    roleplay = {card.source: card for deck in full if deck.name == "roleplay" for card in deck.cards}
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
    kb: KnowledgeBase, pack: Pack, site_url: str | None, created: str | None, made: dict[str, Card] | None = None
) -> list[Product]:
    """A pack's role-play deck on each paper, its guide and handout on A4 and Letter, and its guide's preview.

    `made`: the full deck's role-play cards by their story's file, when the full deck was made.
    """
    from . import guides

    numbers = {story.id: number for number, story in enumerate(kb.stories, 1)}
    cards = []
    for number, story in enumerate(pack.stories, 1):
        # Named as in the full deck (a problem is reported once), numbered within the pack.
        card = made.get(story.rel) if made else None
        card = card or roleplay_card(kb, story, numbers[story.id], site_url)
        cards.append(_numbered(card, number, len(pack.stories)))
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

    A deck is made of parts of PART_CARDS cards, each cached by its own
    content: a changed story renders its part again on each paper, and the
    deck is put together from the parts. A part with an overflowing card is
    still rendered (to look at) but never cached, so the problem is reported
    again until the text is shortened. `only` makes one session pack's files alone.

    In one process (`mkdocs serve`) a build keeps what the next one needs: each
    part's fragment, and which part is at each place of a deck, so a changed part
    lays out only its changed sheets and borrows the others (`_Placed`).
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
        # A deck that borrowed sheets from this process's earlier build is not cached (see `_Placed`).
        path = None if rendered.problems or name in _placed.decks else cache.put(name, rendered.pdf, rendered.pages)
        result.built.append(
            Built(product, rendered.pages, cached=False, path=path, data=None if path else rendered.pdf)
        )
    # A card in a pack's deck is also in the full deck: its problem is reported once.
    result.problems = list({str(p): p for p in result.problems}.values())
    cache.prune()
    return result


def make(product: Product, cache: Cache, name: str | None = None, pages: int | None = None) -> Rendered:
    """One product's PDF: the calibration sheet with WeasyPrint, a deck from its parts.

    `pages`: for a guide's preview, the pages of the guide's PDF, when this build has it.
    """
    if product.deck == "calibration":
        return render(product.document(), PAPERS[product.paper])
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
    uses it: the next build in `mkdocs serve` does not read its cached fragment again (about the size of
    the decks in memory: 84 MiB at 1,000 stories).

    At each place of a deck: the part there, by its cache name, and its cards' hashes.

    `mkdocs serve` builds again and again in one process. When a story changes, the part holding its card
    is laid out anew, but only the sheets whose cards changed need Typst: the others are borrowed from the
    part that was there before (`assemble.sheets_of`). A deck so made is kept in this process only, never
    in the cache: a build in a fresh process lays the part out whole, so the same content always makes the
    same bytes there, whatever the cache's history.
    """

    def __init__(self) -> None:
        self.parts: dict[tuple, tuple[str, list[str]]] = {}
        self.decks: dict[str, Rendered] = {}  # decks made with borrowed sheets, by their product's cache key
        self.earlier: dict[str, Rendered] = {}  # those of the build before: kept when this build uses them again
        self.fragments: dict[tuple, object] = {}  # (cache folder, part's cache name) -> its fragment
        self.fragments_before: dict[tuple, object] = {}

    def next_build(self) -> None:
        """A build starts: what the last one used is kept while this one uses it again."""
        self.earlier, self.decks = self.decks, {}
        self.fragments_before, self.fragments = self.fragments, {}


_placed = _Placed()


def deck_pdf(product: Product, cache: Cache, product_key: str | None = None) -> Rendered:
    """A deck on its paper: each part from the cache or laid out now (or borrowing sheets), then put together."""
    if product_key and product_key in _placed.earlier:
        _placed.decks[product_key] = _placed.earlier[product_key]
        return _placed.decks[product_key]
    paper = PAPERS[product.paper]
    cards = product.cards
    size = PART_CARDS if product.deck != "checklist" else len(cards)
    groups = [cards[i : i + size] for i in range(0, len(cards), size)]
    total = pages(product.deck, len(cards), paper) // 2
    parts: list[Path | bytes] = []
    fragments = []
    problems: list[Problem] = []
    count = 0
    borrowed = False
    from .assemble import assemble  # pikepdf: loaded only when a deck is put together

    for index, group in enumerate(groups):
        first_sheet = index * (size // paper.per_sheet) + 1
        name = _part_name(product, first_sheet, total, group)
        place = (cache.folder, product.file, product.created, first_sheet, total)
        digests = [_card_digest(card) for card in group]
        hit = cache.get(name)
        if hit:
            _placed.parts[place] = (name, digests)
            parts.append(hit[0])
            fragments.append(_fragment(cache, name, hit[0], paper))
            count += hit[1]
            continue
        pieces = _borrow(product, cache, place, group, digests, first_sheet, total) if size > 1 else None
        if pieces:
            borrowed = True
            for part, made, found in pieces:
                parts.append(part)
                fragments.append(made)
                count += len(made.pages)
                problems += found
            continue
        rendered = typeset.render(
            typeset.sheets(product.deck, group, paper, first_sheet, total), paper, product.created
        )
        problems += rendered.problems
        path = None if rendered.problems else cache.put(name, rendered.pdf, rendered.pages)
        if path:
            _placed.parts[place] = (name, digests)
        parts.append(path or rendered.pdf)
        fragments.append(_fragment(cache, name if path else None, path or rendered.pdf, paper))
        count += rendered.pages
    title = product.title or document_title(product.deck, paper)
    made = Rendered(assemble(parts, title, paper, fragments), count, problems)
    if borrowed and product_key and not problems:
        _placed.decks[product_key] = made
    return made


def _part_name(product: Product, first_sheet: int, total: int, cards: list[Card]) -> str:
    """The cache name of a part: the cards of a deck's sheets from `first_sheet` on, out of `total`."""
    return key(json.dumps([product.deck, product.paper, product.created, first_sheet, total, _cards_digest(cards)]))


def _borrow(product: Product, cache: Cache, place: tuple, group: list[Card], digests: list[str], first_sheet, total):
    """A changed part as pieces: the sheets whose cards are unchanged taken from the part that was in its
    place in this process, the others laid out now (a run of changed sheets as one part).

    [(the piece's PDF, its fragment, its problems)], or None when nothing can be borrowed.
    """
    before = _placed.parts.get(place)
    if before is None or len(before[1]) != len(digests):
        return None
    old_name, old_digests = before
    per = PAPERS[product.paper].per_sheet
    sheets = range(-(-len(group) // per))
    same = [old_digests[s * per : (s + 1) * per] == digests[s * per : (s + 1) * per] for s in sheets]
    hit = cache.get(old_name) if any(same) else None
    if hit is None:
        return None
    from .assemble import sheets_of

    paper = PAPERS[product.paper]
    old = _fragment(cache, old_name, hit[0], paper)
    pieces = []
    for kept, run in itertools.groupby(sheets, key=lambda s: same[s]):
        run = list(run)
        if kept:
            made = sheets_of(old, set(run))
            if made is None:
                return None
            pieces.append((hit[0], made, []))
            continue
        cards = group[run[0] * per : (run[-1] + 1) * per]
        sheet = first_sheet + run[0]
        name = _part_name(product, sheet, total, cards)
        found = cache.get(name)
        if found:
            pieces.append((found[0], _fragment(cache, name, found[0], paper), []))
            continue
        rendered = typeset.render(typeset.sheets(product.deck, cards, paper, sheet, total), paper, product.created)
        path = None if rendered.problems else cache.put(name, rendered.pdf, rendered.pages)
        part = path or rendered.pdf
        pieces.append((part, _fragment(cache, name if path else None, part, paper), rendered.problems))
    return pieces


def _fragment(cache: Cache, name: str | None, part: Path | bytes, paper):
    """A cached part made ready to be put together (`assemble.fragment`), kept beside it; made now when missing."""
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
        found = fragment(part, paper)
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
