"""Printable cards: the PDFs read back (geometry, text, QR codes), the manifest, fit and repeatability.

The PDFs are made once per session by `turnaround cards --out` on a copy of
the repository that has a site_url, and read back with pypdf, pdftotext,
pdftoppm and zbarimg (Debian's poppler-utils and zbar-tools).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import EPOCH, ROOT, build_env, build_site, copy_repo, mkdocs_serve, wait_for
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from turnaround import options
from turnaround.cards import assemble, typeset
from turnaround.cards import pdfs as cards_build
from turnaround.cards.cache import Cache
from turnaround.cards.layout import CALIBRATED, DECK_TITLES, PAPERS
from turnaround.cards.model import decks, named_steps, story_for
from turnaround.cards.packs import packs
from turnaround.cards.page import markdown as cards_page
from turnaround.loader import load
from turnaround.schema import step_schema, story_schema
from turnaround.validate import STORY_SECTIONS

SITE_URL = "https://turnaround.example.internal/"
DECKS = ("steps", "checklist", "roleplay")
MM = 72 / 25.4  # points per millimetre
TOOLS = all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "zbarimg"))
needs_tools = pytest.mark.skipif(not TOOLS, reason="needs poppler-utils and zbar-tools (make browser-deps)")


# mkdocs.yml's `cache_dir: !ENV [TURNAROUND_CARDS_CACHE, null]`: tests share one cache between copies.
CACHE_ENV = "TURNAROUND_CARDS_CACHE"


# The papers whose faces are laid out: a paper that prints another's faces (`Paper.faces`) lays out none.
FACE_PAPERS = {paper.faces or paper.name for paper in PAPERS.values()}


def configured_site_url(repo: Path) -> str | None:
    return options.load(repo / "mkdocs.yml").site_url


def with_site_url(repo: Path, url: str = SITE_URL) -> Path:
    config = repo / "mkdocs.yml"
    text, count = re.subn(r"^#?\s*site_url:.*$", f"site_url: {url}", config.read_text("utf-8"), count=1, flags=re.M)
    config.write_text(text if count else f"site_url: {url}\n{text}", "utf-8")
    return repo


def run_cards(repo: Path, out: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "cards", "--out", str(out), *extra],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="session")
def cards_repo(tmp_path_factory) -> Path:
    """A copy of the repository with a site_url, as a deployment has."""
    return with_site_url(copy_repo(tmp_path_factory.mktemp("cards") / "repo"))


@pytest.fixture(scope="session")
def cards_dir(cards_repo: Path) -> Path:
    """Every card PDF and cards.json, written once per session by `turnaround cards --out`."""
    out = cards_repo.parent / "out"
    result = run_cards(cards_repo, out, env={CACHE_ENV: str(cards_repo.parent / "cache")})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def manifest(folder: Path) -> list[dict]:
    return json.loads((folder / "cards.json").read_text("utf-8"))


def pdf_entries(folder: Path) -> list[dict]:
    """The manifest's PDFs: every entry but the PNG previews of the session packs' guides."""
    return [e for e in manifest(folder) if e["deck"] != "preview"]


def full_decks(folder: Path) -> list[dict]:
    """The manifest's full decks and calibration sheets (a session pack's files name their pack)."""
    return [e for e in manifest(folder) if e["pack"] is None]


def pack_stories(repo: Path) -> dict[str, list[str]]:
    """Each session pack's story URLs."""
    return {p.id: sorted(SITE_URL + s.url for s in p.stories) for p in packs(load(repo))}


def pdf_text(path: Path, *pages: int) -> str:
    """The text of a PDF (or of some pages), whitespace collapsed so wrapped titles still match."""
    args = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    text = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def qr_codes(path: Path, pages: list[int], work: Path) -> list[str]:
    """Every QR code zbarimg finds on the given pages, rendered at 150 dpi."""
    # A folder of its own: the decks of the session packs share their file names with the full decks.
    work = Path(tempfile.mkdtemp(dir=work))
    found = []
    for page in pages:
        prefix = work / f"{path.stem}-{page}"
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-f", str(page), "-l", str(page), str(path), str(prefix)],
            check=True,
        )
        for image in sorted(work.glob(f"{prefix.name}*.png")):
            result = subprocess.run(
                ["zbarimg", "--raw", "-q", "-Sqrcode.enable", str(image)], capture_output=True, text=True
            )
            found += result.stdout.split()
    return found


def back_pages(entry: dict) -> list[int]:
    return list(range(2, entry["pages"] + 1, 2))


# ---------------------------------------------------------------- manifest and geometry


def test_manifest_lists_every_deck_on_every_paper_and_matches_the_files(cards_dir):
    every = manifest(cards_dir)
    entries = full_decks(cards_dir)
    wanted = {(deck, paper) for deck in DECKS for paper in PAPERS} | {("calibration", "a4"), ("calibration", "letter")}
    assert {(e["deck"], e["paper"]) for e in entries} == wanted
    assert all(set(e) == {"file", "deck", "paper", "cards", "pages", "pack"} for e in every)
    files = [p for p in cards_dir.rglob("*") if p.suffix in (".pdf", ".png")]
    assert sorted(e["file"] for e in every) == sorted(p.relative_to(cards_dir).as_posix() for p in files)
    kb = load(ROOT)
    counts = {"steps": len(kb.steps), "checklist": 1, "roleplay": len(kb.stories), "calibration": 0}
    for entry in entries:
        assert entry["file"] == f"{entry['deck']}-{entry['paper']}.pdf"
        assert entry["cards"] == counts[entry["deck"]]
        assert len(PdfReader(cards_dir / entry["file"]).pages) == entry["pages"], entry["file"]


def test_print_shop_pages_are_a6_with_3_mm_bleed_and_an_exact_trim_box(cards_dir):
    for entry in pdf_entries(cards_dir):
        if entry["paper"] != "a6":
            continue
        for page in PdfReader(cards_dir / entry["file"]).pages:
            media, trim = page.mediabox, page.trimbox
            assert (float(media.width) / MM, float(media.height) / MM) == pytest.approx((111, 154), abs=0.01)
            assert (float(trim.width) / MM, float(trim.height) / MM) == pytest.approx((105, 148), abs=0.01)
            assert (float(trim.left) - float(media.left)) / MM == pytest.approx(3, abs=0.01)
            assert (float(trim.bottom) - float(media.bottom)) / MM == pytest.approx(3, abs=0.01)
            assert float(page.bleedbox.width) >= float(trim.width)


def test_the_print_shop_pdfs_are_pdf_x_4_with_an_srgb_output_intent_and_both_boxes_on_every_page(cards_dir):
    # The full decks here; a session pack's own a6 deck is read back in test_packs.py.
    a6 = [e for e in full_decks(cards_dir) if e["paper"] == "a6"]
    assert {e["deck"] for e in a6} == set(DECKS)
    for entry in a6:
        with pikepdf.open(cards_dir / entry["file"]) as pdf:
            assert pdf.pdf_version == "1.6", entry["file"]
            assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4" and pdf.docinfo.Trapped == pikepdf.Name("/False")
            assert str(pdf.docinfo.Title) == f"Turnaround {DECK_TITLES[entry['deck']]}, a6"
            meta = pdf.open_metadata()
            assert meta.pdfx_status == "PDF/X-4" and meta["pdf:Trapped"] == "False"
            [intent] = pdf.Root.OutputIntents
            assert intent.S == pikepdf.Name.GTS_PDFX and str(intent.OutputConditionIdentifier)
            profile = intent.DestOutputProfile
            assert profile.N == 3 and profile.read_bytes() == assemble.PROFILE.read_bytes()
            assert profile.read_bytes()[16:20] == b"RGB "
            for number, page in enumerate(pdf.pages, 1):
                media, bleed, trim = (
                    [float(v) for v in page.obj[box]] for box in ("/MediaBox", "/BleedBox", "/TrimBox")
                )
                assert inside(trim, bleed) and inside(bleed, media), (entry["file"], number)
                assert trim[2] - trim[0] == pytest.approx(105 * MM, abs=0.1)
                assert trim[3] - trim[1] == pytest.approx(148 * MM, abs=0.1)


def inside(inner: list[float], outer: list[float]) -> bool:
    """A box [left, bottom, right, top] within another."""
    return outer[0] <= inner[0] <= inner[2] <= outer[2] and outer[1] <= inner[1] <= inner[3] <= outer[3]


def pdffonts(path: Path) -> list[dict]:
    """Every font pdffonts lists, with its emb and sub columns."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        # The name, type and encoding columns may hold spaces; emb, sub, uni and the object id close the line.
        emb, sub, uni = line.split()[-5:-2]
        rows.append({"name": line.split()[0], "emb": emb, "sub": sub, "uni": uni})
    return rows


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="needs poppler-utils")
def test_every_font_of_every_deck_is_embedded_and_subset(cards_dir):
    for entry in pdf_entries(cards_dir):
        fonts = pdffonts(cards_dir / entry["file"])
        assert fonts, entry["file"]
        assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts), (entry["file"], fonts)


def words_on_pages(path: Path) -> list[tuple[float, float, list[tuple[str, float, float, float, float]]]]:
    """Each page's size (pt) and its words with their boxes (pdftotext -bbox: from the top left, in pt)."""
    import xml.etree.ElementTree as ET

    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in ET.fromstring(out.replace('xmlns="http://www.w3.org/1999/xhtml"', "")).iter("page"):
        words = [(w.text, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))) for w in page.iter("word")]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_calibration_sheets_backs_sit_behind_their_fronts(cards_dir):
    for paper in CALIBRATED:
        [(width, _, front), (_, _, back)] = words_on_pages(cards_dir / f"calibration-{paper}.pdf")

        def centre(words, name):
            # A face's name is centred on it: the middle of its words ("Card 2", "Back of card 2").
            texts = [w[0] for w in words]
            at = next(i for i in range(len(texts)) if texts[i : i + len(name)] == name)
            found = words[at : at + len(name)]
            return (found[0][1] + found[-1][3]) / 2, found[0][2]

        for number in range(1, PAPERS[paper].per_sheet + 1):
            (fx, fy), (bx, by) = centre(front, ["Card", str(number)]), centre(back, ["Back", "of", "card", str(number)])
            # Turned over on the flip edge, the back's columns are mirrored: the same place through the paper.
            assert fx + bx == pytest.approx(width, abs=1.0) and fy == pytest.approx(by, abs=0.5), (paper, number)
        assert "100 mm" in " ".join(w[0] for w in front) and f"flip on {PAPERS[paper].flip}." in " ".join(
            w[0] for w in front
        )


def faces_in_reading_order(pdf: pikepdf.Pdf) -> list[tuple[str, int]]:
    """Each face's heading (its /T) and the page it is on, in the order of the structure tree."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    [document] = pdf.Root.StructTreeRoot.K
    assert str(document.S) == "/Document"
    found = []
    for element in document.K:
        if element.S == pikepdf.Name.H1:
            found.append((" ".join(str(element.T).split()), pages[element.Pg.objgen]))
    return found


def test_the_office_pdfs_are_tagged_with_a_title_a_language_and_marked_content(cards_dir):
    office = [e for e in full_decks(cards_dir) if e["paper"] in ("a4", "letter") and e["deck"] != "calibration"]
    assert len(office) == 2 * len(DECKS)
    for entry in office:
        with pikepdf.open(cards_dir / entry["file"]) as pdf:
            root = pdf.Root
            assert len(root.StructTreeRoot.K[0].K) > 0 and "/ParentTree" in root.StructTreeRoot, entry["file"]
            assert root.MarkInfo.Marked is True and str(root.Lang) == "en"
            title = f"Turnaround {DECK_TITLES[entry['deck']]}, {entry['paper']}"
            assert str(pdf.docinfo.Title) == title and pdf.open_metadata()["dc:title"] == title
            assert root.ViewerPreferences.DisplayDocTitle is True
            assert "/OutputIntents" not in root  # PDF/X is the print shop's product only


def test_every_deck_reads_each_card_front_then_back(cards_dir):
    kb = load(ROOT)
    cards = {
        "steps": [(kb.vocab.label("phases", s.phase).upper(), s.title) for s in kb.steps],
        "checklist": [("RECOVERY CHECKLIST", "How to use this checklist")],
        "roleplay": [(f"ROLE-PLAY CARD {n}", s.title) for n, s in enumerate(kb.stories, 1)],
    }
    # The full decks; a session pack's deck is read the same way in test_packs.py.
    for entry in full_decks(cards_dir):
        if entry["deck"] == "calibration":
            continue
        with pikepdf.open(cards_dir / entry["file"]) as pdf:
            faces = faces_in_reading_order(pdf)
        wanted = cards[entry["deck"]]
        # Copies of the checklist that fill a sheet are artifacts: the card is read once.
        assert len(faces) == 2 * len(wanted), entry["file"]
        per_sheet = PAPERS[entry["paper"]].per_sheet
        for number, ((front, front_page), (back, back_page)) in enumerate(zip(faces[::2], faces[1::2], strict=True)):
            sheet = number // per_sheet
            assert (front_page, back_page) == (2 * sheet, 2 * sheet + 1), (entry["file"], number)
            front_text, back_text = wanted[number]
            assert front.startswith(front_text), (entry["file"], number, front)
            assert " ".join(back_text.split()) in back, (entry["file"], number, back)


def test_office_sheets_are_a4_portrait_and_letter_landscape(cards_dir):
    sizes = {"a4": (595.28, 841.89), "letter": (792, 612)}
    for entry in pdf_entries(cards_dir):
        if entry["paper"] in sizes and entry["deck"] in (*DECKS, "calibration"):
            for page in PdfReader(cards_dir / entry["file"]).pages:
                assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
                    sizes[entry["paper"]], abs=0.05
                ), entry["file"]


def test_a_card_grid_is_centred_and_backs_mirror_the_columns():
    for paper in PAPERS.values():
        left, top = paper.margins
        assert left == pytest.approx(paper.page[0] - left - paper.cols * paper.card[0])
        assert top == pytest.approx(paper.page[1] - top - paper.rows * paper.card[1])
        for index in range(paper.per_sheet):
            (x, y), (bx, by) = paper.slot(index), paper.slot(index, back=True)
            assert by == y and bx == pytest.approx(paper.page[0] - x - paper.card[0])
    assert PAPERS["a4"].card == (100.0, 140.0) and PAPERS["a4"].per_sheet == 4
    assert PAPERS["letter"].card == pytest.approx((101.6, 152.4)) and PAPERS["letter"].per_sheet == 2


@needs_tools
def test_the_back_of_the_first_card_is_printed_behind_it_for_duplex(cards_dir):
    kb = load(ROOT)
    first = kb.steps[0]
    why = " ".join(str(first.get("why")).split()[:4])
    for paper in ("a4", "letter"):
        path = cards_dir / f"steps-{paper}.pdf"
        width, height = (float(v) for v in PdfReader(path).pages[1].mediabox[2:])
        half = int(width / 2)
        right = subprocess.run(
            [
                "pdftotext",
                "-f",
                "2",
                "-l",
                "2",
                "-x",
                str(half),
                "-y",
                "0",
                "-W",
                str(half),
                "-H",
                str(int(height)),
                str(path),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert why in " ".join(right.split()), f"{paper}: the back of card 1 is not on the right of the back sheet"


# ---------------------------------------------------------------- what is printed


@needs_tools
def test_every_step_and_story_title_is_printed(cards_dir):
    kb = load(ROOT)
    for paper in PAPERS:
        steps, checklist, roleplay = (pdf_text(cards_dir / f"{deck}-{paper}.pdf") for deck in DECKS)
        for step in kb.steps:
            assert step.title in steps and step.title in checklist, (paper, step.title)
            for item in step.get("do"):
                assert " ".join(item.split()) in steps
        for story in kb.stories:
            assert " ".join(story.title.split()) in roleplay, (paper, story.title)


@needs_tools
def test_role_play_fronts_keep_the_outcome_for_the_back(cards_dir):
    kb = load(ROOT)
    entry = next(e for e in manifest(cards_dir) if e["file"] == "roleplay-a6.pdf")
    for number, story in enumerate(kb.stories):
        front, back = (
            pdf_text(cards_dir / entry["file"], 2 * number + 1),
            pdf_text(cards_dir / entry["file"], 2 * number + 2),
        )
        outcome = " ".join(story.body.split("## Outcome", 1)[1].split()[:6])
        assert "OUTCOME:" not in front.upper() and "OUTCOME:" in back.upper()
        assert outcome not in front and outcome in back
        assert story.title not in front and " ".join(story.title.split()) in back


@needs_tools
def test_every_qr_code_opens_the_page_of_its_card(cards_dir, tmp_path):
    kb = load(ROOT)
    expected = {
        "steps": sorted(SITE_URL + step.url for step in kb.steps),
        "roleplay": sorted(SITE_URL + story.url for story in kb.stories),
        "checklist": [SITE_URL + "checklists/"],
    }
    in_pack = pack_stories(ROOT)
    for entry in manifest(cards_dir):
        # The decks' cards (a pack's deck holds its stories'); a pack's handout is read back in test_packs.py.
        if entry["deck"] not in DECKS:
            continue
        wanted = in_pack[entry["pack"]] if entry["pack"] else expected[entry["deck"]]
        codes = qr_codes(cards_dir / entry["file"], back_pages(entry), tmp_path)
        assert sorted(set(codes)) == wanted, entry["file"]
        assert len(codes) >= len(wanted)
        # The short URL is printed under each code (a long one wraps at a hyphen, which pdftotext drops).
        printed = re.sub(r"[\s-]", "", pdf_text(cards_dir / entry["file"]))
        assert all(re.sub("-", "", url.split("://", 1)[1]) in printed for url in wanted)


@needs_tools
def test_without_a_site_url_a_card_has_no_qr_code_and_prints_the_path():
    kb = load(ROOT)
    checklist = next(d for d in decks(kb, None) if d.name == "checklist")
    rendered = typeset.render(typeset.faces("checklist", checklist.cards, PAPERS["a6"]), PAPERS["a6"])
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"turnaround-qr-{os.getpid()}"
    work.mkdir(exist_ok=True)
    try:
        (work / "checklist.pdf").write_bytes(rendered.pdf)
        assert qr_codes(work / "checklist.pdf", [1, 2], work) == []
        assert "/checklists/" in pdf_text(work / "checklist.pdf", 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_a_step_card_shows_a_documented_story_where_the_step_was_taken_won_back_first():
    kb = load(ROOT)
    for step in kb.steps:
        story = story_for(kb, step.id)
        taking = [s for s in kb.stories if step.id in s.get("steps_taken")]
        assert (story is None) == (not taking)
        if story:
            assert step.id in story.get("steps_taken")
            documented = [s for s in taking if s.get("provenance") != "illustrative"]
            if documented:
                assert story in documented
                taking = documented
            if any(s.get("outcome") == "won-back" for s in taking):
                assert story.get("outcome") == "won-back"


def test_a_role_play_card_names_the_steps_its_better_recovery_links_to():
    kb = load(ROOT)
    for story in kb.stories:
        linked = set(re.findall(r"\(\.\./steps/([a-z0-9-]+)\.md", story.body.split("## Better recovery", 1)[1]))
        named = [step.id for step in named_steps(kb, story)]
        assert named == [
            s.id for s in kb.steps if s.id in (linked or set(story.get("steps_taken")) | set(story.get("steps_missed")))
        ]


def test_the_pdfs_carry_the_source_date_epoch_and_no_other_date(cards_dir):
    moment = dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)
    stamp, iso = moment.strftime("D:%Y%m%d%H%M%S"), moment.strftime("%Y-%m-%dT%H:%M:%S")
    for entry in pdf_entries(cards_dir):
        info = PdfReader(cards_dir / entry["file"]).metadata
        assert str(info.get("/CreationDate", "")).startswith(stamp)
        # A PDF's modification date is its build date too (PDF/X-4 asks for both), in its XMP metadata as well.
        assert info["/ModDate"] == info["/CreationDate"], entry["file"]
        with pikepdf.open(cards_dir / entry["file"]) as pdf:
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        dates = re.findall(r"<xmp:(\w+Date)>([^<]*)<", xmp)
        assert {name for name, _ in dates} >= {"CreateDate", "ModifyDate"}, entry["file"]
        assert all(value.startswith(iso) for _, value in dates), (entry["file"], dates)


# ---------------------------------------------------------------- fit


WORDS = [
    "Whatever",
    "happened,",
    "the",
    "customer",
    "should",
    "leave",
    "feeling",
    "heard",
    "and",
    "treated",
    "fairly;",
    "staff",
    "apologize",
    "sincerely,",
    "explain",
    "what",
    "they",
    "will",
    "do",
    "next,",
    "and",
    "check",
    "the",
    "replacement",
    "before",
    "it",
    "goes",
    "out",
]


def filler(length: int) -> str:
    """Ordinary English words, exactly `length` characters long."""
    text = ""
    for word in itertools.cycle(WORDS):
        if len(text) + 1 + len(word) > length:
            return text.ljust(length, ".")
        text = f"{text} {word}".strip()


def longest_allowed(repo: Path) -> Path:
    """Rewrite a repository copy so that every capped field and section is as long, and as many, as allowed."""
    kb = load(repo)
    steps, stories = step_schema(kb.vocab)["properties"], story_schema(kb.vocab)["properties"]
    existing = sorted((repo / "docs/steps").glob("*.md"))
    for order in range(len(existing) + 1, steps["order"]["maximum"] + 1):
        text = re.sub(r"\norder: \d+", f"\norder: {order}", existing[0].read_text("utf-8"))
        (repo / f"docs/steps/extra-step-{order}.md").write_text(text, "utf-8")
    for path in (repo / "docs/steps").glob("*.md"):
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        meta.update({name: filler(steps[name]["maxLength"]) for name in ("title", "when", "why")})
        meta.update(
            {
                name: [filler(steps[name]["items"]["maxLength"])] * steps[name]["maxItems"]
                for name in ("do", "say", "avoid")
            }
        )
        path.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False, width=1000)}---\n{body}", "utf-8")
    every_step = [p.stem for p in sorted((repo / "docs/steps").glob("*.md"))]
    for path in (repo / "stories").glob("*.md"):
        _, front, _ = path.read_text("utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        meta.update(
            title=filler(stories["title"]["maxLength"]), steps_taken=every_step[::2], steps_missed=every_step[1::2]
        )
        body = "".join(f"## {name}\n\n{filler(cap)}\n\n" for name, cap in STORY_SECTIONS.items())
        path.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False, width=1000)}---\n\n{body}", "utf-8")
    return repo


def test_the_longest_content_the_schema_allows_fits_every_card_on_every_paper(repo):
    kb = load(longest_allowed(repo))
    assert kb.problems == [] and len(kb.steps) == step_schema(kb.vocab)["properties"]["order"]["maximum"]
    for deck in decks(kb, SITE_URL):
        for paper in PAPERS.values():
            rendered = typeset.render(typeset.faces(deck.name, deck.cards[:2], paper), paper)
            assert rendered.problems == [], [str(p) for p in rendered.problems]


def test_a_card_that_does_not_fit_is_reported_with_its_name_and_file(repo):
    story = sorted((repo / "stories").glob("*.md"))[0]
    text = story.read_text("utf-8")
    story.write_text(text.replace("## What staff did", f"{filler(1200)}\n\n## What staff did", 1), "utf-8")
    kb = load(repo)
    roleplay = next(d for d in decks(kb, None) if d.name == "roleplay")
    card = next(c for c in roleplay.cards if c.source == f"stories/{story.name}")
    rendered = typeset.render(typeset.faces("roleplay", [card], PAPERS["a4"]), PAPERS["a4"])
    assert len(rendered.problems) == 1
    problem = rendered.problems[0]
    assert problem.path == f"stories/{story.name}" and problem.code == "card-overflow"
    assert card.name in problem.message and "front" in problem.message and "## Situation" in problem.message


@settings(max_examples=25, deadline=None)
@given(lengths=st.lists(st.integers(0, 900), min_size=4, max_size=4), paper=st.sampled_from(sorted(PAPERS)))
def test_the_quick_overflow_check_misses_no_face_the_measured_check_finds(lengths, paper):
    # The strict pass reads where each body ended; the naming pass measures the bodies. Texts around each
    # paper's limit must give the same faces: a face the strict pass let through would print cut off.
    roleplay = next(d for d in decks(real_kb(), SITE_URL) if d.name == "roleplay").cards[:4]
    cards = [
        dataclasses.replace(card, data={**card.data, "situation": [filler(n)], "better": [filler(n // 2 + 200)]})
        for card, n in zip(roleplay, lengths, strict=True)
    ]
    made = typeset.faces("roleplay", cards, PAPERS[paper])
    measured = typeset._overflows(made.data, None)
    assert len(typeset.render(made, PAPERS[paper]).problems) == len(measured)


@functools.cache
def real_kb():
    return load(ROOT)


@pytest.mark.slow
def test_a_build_with_an_overflowing_card_fails_and_names_the_card(repo, monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    step = repo / "docs/steps/listen.md"
    step.write_text(step.read_text("utf-8").replace("\ndo:\n", "\ndo:\n  - " + filler(400) + "\n", 1), "utf-8")
    result = build_site(repo, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "docs/steps/listen.md" in result.stderr and "step card 1 `Listen` does not fit: on the front" in result.stderr
    )


# ---------------------------------------------------------------- rendering rules


@pytest.mark.slow
def test_the_same_input_renders_byte_identical_pdfs(cards_repo, cards_dir, tmp_path):
    again = tmp_path / "again"
    result = run_cards(cards_repo, again, "--no-cache", env={"PYTHONHASHSEED": "7"})
    assert result.returncode == 0, result.stderr
    first = {p.relative_to(cards_dir).as_posix(): p.read_bytes() for p in sorted(cards_dir.rglob("*")) if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert any(name.startswith("packs/") and name.endswith(".png") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_unchanged_pdfs_come_from_the_cache_and_a_changed_story_renders_only_its_cards(
    cards_repo, cards_dir, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    created = cards_build.created_from_environment()
    cache = Cache(cards_repo.parent / "cache")
    rendered = []
    real_render = typeset.render

    def recording_render(made, paper, created=None):
        rendered.append((paper.name, sorted({face.card.name for face in made.faces})))
        return real_render(made, paper, created)

    monkeypatch.setattr(typeset, "render", recording_render)
    result = cards_build.build(load(cards_repo), SITE_URL, cache, created)
    assert rendered == [] and all(b.cached for b in result.built)
    story = sorted((cards_repo / "stories").glob("*.md"))[0]
    original = story.read_text("utf-8")
    try:
        story.write_text(original.replace("## Outcome\n", "## Outcome\n\nIn the end, ", 1), "utf-8")
        kb = load(cards_repo)
        result = cards_build.build(kb, SITE_URL, cache, created)
    finally:
        story.write_text(original, "utf-8")
    # The full role-play deck and the role-play deck of each pack that holds the story; no guide (no outcome in it).
    folders = [p.folder + "/" for p in packs(kb) if any(s.rel == f"stories/{story.name}" for s in p.stories)]
    assert folders
    assert sorted(b.product.file for b in result.built if not b.cached) == sorted(
        f"{folder}roleplay-{paper}.pdf" for folder in ["", *folders] for paper in PAPERS
    )
    # One part per paper that lays out faces (a6 prints a4's), holding the changed story's card and at most its
    # part's neighbours: the packs' decks draw the faces the full deck laid out.
    changed = next(c.name for d in decks(kb, SITE_URL) for c in d.cards if c.source == f"stories/{story.name}")
    assert sorted(paper for paper, _ in rendered) == sorted(FACE_PAPERS)
    assert all(changed in names and len(names) <= cards_build.PART_CARDS for _, names in rendered)


def _page_images(path: Path, work: Path) -> list[bytes]:
    """Every page of a PDF as a PNG at 40 dpi."""
    folder = Path(tempfile.mkdtemp(dir=work))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(folder / "p")], check=True)
    return [image.read_bytes() for image in sorted(folder.glob("p*.png"))]


@needs_tools
def test_a_changed_story_in_the_same_process_lays_out_only_its_card_and_the_deck_reads_as_if_laid_out_whole(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(cards_build, "_placed", cards_build._Placed())  # this process's earlier builds
    created = cards_build.created_from_environment()
    repo = copy_repo(tmp_path / "repo")
    cards_build.build(load(repo), SITE_URL, Cache(tmp_path / "cache"), created)  # lays out every part
    story = sorted((repo / "stories").glob("*.md"))[0]
    story.write_text(story.read_text("utf-8").replace("## Outcome\n", "## Outcome\n\nIn the end, ", 1), "utf-8")
    rendered = []
    real_render = typeset.render

    def recording_render(made, paper, created=None):
        rendered.append((paper.name, {face.card.name for face in made.faces}))
        return real_render(made, paper, created)

    monkeypatch.setattr(typeset, "render", recording_render)
    kb = load(repo)
    warm = cards_build.build(kb, SITE_URL, Cache(tmp_path / "cache"), created)
    changed = next(c.name for d in decks(kb, SITE_URL) for c in d.cards if c.source == f"stories/{story.name}")
    decks_made = [b for b in warm.built if not b.cached]
    assert decks_made and all(b.product.deck == "roleplay" for b in decks_made)
    # The changed card alone, once per paper that lays out faces: its part's other faces are borrowed from the
    # build before, and the packs' decks draw the faces the full deck has.
    assert sorted(paper for paper, _ in rendered) == sorted(FACE_PAPERS)
    assert all(names == {changed} for _, names in rendered), rendered
    # A deck that borrowed faces is not cached: a build in a fresh process lays its parts out whole.
    full = [b for b in decks_made if b.product.pack is None]
    assert len(full) == len(PAPERS) and all(b.path is None and b.data for b in full)
    monkeypatch.setattr(typeset, "render", real_render)
    monkeypatch.setattr(cards_build, "_placed", cards_build._Placed())
    whole = cards_build.build(kb, SITE_URL, Cache(tmp_path / "fresh"), created)
    by_file = {b.product.file: b for b in whole.built}
    for built in decks_made:
        borrowed = tmp_path / "borrowed.pdf"
        borrowed.write_bytes(built.data or built.path.read_bytes())
        laid_out = by_file[built.product.file].path
        with pikepdf.open(borrowed) as a, pikepdf.open(laid_out) as b:
            # qpdf finds nothing wrong: the objects a changed part no longer needs are free entries of the table.
            assert a.check_pdf_syntax() == [] and b.check_pdf_syntax() == [], built.product.file
            assert faces_in_reading_order(a) == faces_in_reading_order(b), built.product.file
            for name in ("/MediaBox", "/TrimBox", "/BleedBox"):
                assert [list(p.obj.get(name, [])) for p in a.pages] == [list(p.obj.get(name, [])) for p in b.pages]
            assert a.docinfo.Title == b.docinfo.Title and a.Root.get("/OutputIntents") == b.Root.get("/OutputIntents")
        assert pdf_text(borrowed) == pdf_text(laid_out), built.product.file
        assert _page_images(borrowed, tmp_path) == _page_images(laid_out, tmp_path), built.product.file


# ---------------------------------------------------------------- the cards page and the site


def test_the_cards_page_links_every_pdf_and_says_how_to_print():
    kb = load(ROOT)
    text = cards_page(kb, None)
    for deck in (*DECKS, "calibration"):
        for paper in PAPERS:
            if deck != "calibration" or paper != "a6":
                assert f"]({deck}-{paper}.pdf)" in text
    assert "actual size (100%)" in text and "flip on long edge" in text and "flip on short edge" in text
    assert text.count('<figure class="ta-pair">') == len(kb.steps) + 1 + min(3, len(kb.stories))


def test_the_cards_page_tells_the_print_shop_the_size_bleed_standard_colours_and_duplex():
    text = cards_page(load(ROOT), SITE_URL)
    shop = text.split("## For the print shop", 1)[1].split("\n## ", 1)[0]
    for fact in (
        "A6, 105 x 148 mm trimmed",
        "111 x 154 mm",
        "3 mm bleed",
        "PDF/X-4",
        "sRGB",
        "front, back, front, back",
        "flip on the long edge",
        "crop marks",
    ):
        assert fact in shop, fact
    assert "[below](#for-the-print-shop)" in text


@pytest.mark.slow
def test_the_site_build_publishes_the_pdfs_and_cards_json(built_site):
    folder = built_site / "cards"
    entries = manifest(folder)
    files = [p for p in folder.rglob("*") if p.suffix in (".pdf", ".png")]
    assert sorted(e["file"] for e in entries) == sorted(p.relative_to(folder).as_posix() for p in files)
    for entry in pdf_entries(folder):
        assert len(PdfReader(folder / entry["file"]).pages) == entry["pages"]
    page = (folder / "index.html").read_text("utf-8")
    # Every PDF is linked, and each guide's preview shown (an image, by its src).
    assert all(f'href="{e["file"]}"' in page for e in pdf_entries(folder))
    assert all(f'src="{e["file"]}"' in page for e in entries if e["deck"] == "preview")
    assert (folder / "cards.css").is_file() and (folder / "fonts" / "OFL.txt").is_file()


def every_page(entry: dict) -> list[int]:
    return list(range(1, entry["pages"] + 1))


@pytest.mark.slow
@needs_tools
@pytest.mark.parametrize(
    "site_url", ["https://x.example/kb/"]
)  # a sub-path; the root case is test_every_qr_code_opens_the_page_of_its_card
def test_every_qr_code_of_every_deck_and_paper_is_an_absolute_url_of_a_built_page(repo, tmp_path, site_url):
    # The address comes from the environment (mkdocs.yml's `!ENV SITE_URL`), as a deployment sets it.
    site = tmp_path / "site"
    result = build_site(repo, site, env=build_env(SITE_URL=site_url, **{CACHE_ENV: str(tmp_path / "cache")}))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "address is not set" not in result.stderr
    for entry in manifest(site / "cards"):
        # The cards' codes: a pack's guide has none and its handout's one code is read back in test_packs.py.
        if entry["deck"] in ("guide", "handout", "preview"):
            continue
        codes = qr_codes(site / "cards" / entry["file"], every_page(entry), tmp_path)
        # Each card its own page (a sheet may repeat the checklist card), none on the calibration sheet.
        assert len(set(codes)) == (0 if entry["deck"] == "calibration" else entry["cards"]), entry["file"]
        assert all(code.startswith(site_url) for code in codes), (entry["file"], codes)
        missing = [code for code in codes if not (site / code.removeprefix(site_url) / "index.html").is_file()]
        assert missing == [], entry["file"]
    assert "These cards have no QR codes" not in (site / "cards" / "index.html").read_text("utf-8")


@pytest.mark.slow
def test_without_a_site_url_the_build_says_how_to_set_it_and_the_cards_carry_no_qr_code(repo, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    site = tmp_path / "site"
    result = build_site(repo, site)
    assert result.returncode == 0, result.stderr[-3000:]
    # Said once at INFO: visible in a normal build, never a warning that fails a strict one.
    assert result.stderr.count("the site's address is not set") == 1 and "SITE_URL=" in result.stderr
    assert "WARNING" not in result.stderr
    page = (site / "cards" / "index.html").read_text("utf-8")
    assert "These cards have no QR codes" in page and "SITE_URL=https://kb.example.org/ make site" in page
    if TOOLS:
        checklist = site / "cards" / "checklist-a6.pdf"
        assert qr_codes(checklist, [1, 2], tmp_path) == []
        assert "/checklists/" in pdf_text(checklist, 2)
        steps = next(e for e in manifest(site / "cards") if e["file"] == "steps-a4.pdf")
        assert qr_codes(site / "cards" / "steps-a4.pdf", every_page(steps), tmp_path) == []


def test_the_site_address_is_read_through_mkdocs_from_mkdocs_yml_or_site_url(repo, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert configured_site_url(repo) is None
    monkeypatch.setenv("SITE_URL", "https://x.example/kb")
    assert configured_site_url(repo) == "https://x.example/kb/"
    monkeypatch.delenv("SITE_URL")
    assert configured_site_url(with_site_url(repo, "https://y.example/")) == "https://y.example/"


@pytest.mark.slow
def test_mkdocs_serve_keeps_the_configured_address_on_the_cards(repo, tmp_path):
    # serve replaces config.site_url with its own http://127.0.0.1:PORT/; the cards must not point there.
    env = build_env(SITE_URL="https://x.example/kb/", **{CACHE_ENV: str(tmp_path / "cache")})
    with mkdocs_serve(repo, env) as (server, port):
        page = wait_for(f"http://127.0.0.1:{port}/kb/cards/", server)
    assert "x.example/kb/checklists/" in page and f"127.0.0.1:{port}" not in page.split("ta-preview", 1)[1]
    assert "These cards have no QR codes" not in page


def test_the_cache_forgets_pdfs_no_build_has_used_for_a_month(tmp_path):
    cache = Cache(tmp_path)
    cache.put("old", b"%PDF old", 2)
    cache.put("recent", b"%PDF recent", 2)
    month_ago = (tmp_path / "old.json").stat().st_mtime - 31 * 86400
    os.utime(tmp_path / "old.json", (month_ago, month_ago))
    assert cache.prune() == 1
    assert cache.get("old") is None and cache.get("recent") == (tmp_path / "recent.pdf", 2)


def test_a_qr_code_takes_the_mask_segno_would_choose_and_the_same_modules():
    # The fast mask scoring (qr.best_mask) stands in for segno's: every symbol must be the one segno makes alone.
    import random
    import string

    import segno

    from turnaround.cards import qr

    rng = random.Random(13)
    letters = string.ascii_lowercase + "-"
    urls = [SITE_URL + "stories/" + "".join(rng.choices(letters, k=n)) + "/" for n in range(1, 160)]
    urls += [SITE_URL + "steps/apologize/", SITE_URL + "checklists/", "https://x.example/" + "é" * 40]
    with qr.fast_masks():
        assert segno.encoder.find_and_apply_best_mask is qr.best_mask
        fast = [segno.make_qr(url, error="m", boost_error=False) for url in urls]
    # Outside the cards' codes segno scores the masks itself again.
    assert segno.encoder.find_and_apply_best_mask is not qr.best_mask
    slow = [segno.make_qr(url, error="m", boost_error=False) for url in urls]
    assert len({code.mask for code in slow}) == 8  # every mask is chosen for some URL: all eight are compared
    for url, a, b in zip(urls, fast, slow, strict=True):
        assert (a.version, a.mask, a.matrix) == (b.version, b.mask, b.matrix), url
