"""Session packs: which stories each pack holds and what its guide says, then the pack's PDFs read back.

The model is checked on the real content and on small knowledge bases made
from the real records (`model.record`), the PDFs on the files `turnaround
cards` writes, read back with pypdf, pdftotext and pdffonts.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import EPOCH, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from test_cards import faces_in_reading_order, words_on_pages

from turnaround.cards import guides
from turnaround.cards import pdfs as cards_build
from turnaround.cards.cache import Cache
from turnaround.cards.packs import MIN_STORIES, QUESTIONS, packs
from turnaround.cards.page import markdown as cards_page
from turnaround.frontmatter import Document
from turnaround.loader import load
from turnaround.model import KnowledgeBase, record
from turnaround.repository import Settings

BODY = (
    "## Situation\n\nA guest waited at the desk.\n\n## What staff did\n\nStaff shrugged.\n\n"
    "## Outcome\n\nThe guest left.\n\n## Better recovery\n\nListen first, then {fix}.\n"
)


def story(number: int, setting: str, failure: str, missed: list[str], taken: list[str] = ()) -> object:
    """A story record as the loader makes it, from front matter and a body."""
    meta = {
        "title": f"Story {number:03d}",
        "setting": setting,
        "failure": failure,
        "severity": "moderate",
        "fault": "ours",
        "steps_taken": list(taken),
        "steps_missed": list(missed),
        "outcome": "won-back",
        "provenance": "illustrative",
    }
    rel = f"stories/story-{number:03d}.md"
    doc = Document(rel, meta, body=BODY.format(fix=f"fix number {number}"))
    return record("stories", ROOT / rel, doc)


@pytest.fixture(scope="module")
def real() -> KnowledgeBase:
    return load(ROOT)


def synthetic(real: KnowledgeBase, stories: list) -> KnowledgeBase:
    """A knowledge base of the real vocabularies and steps and the given stories."""
    return KnowledgeBase(ROOT, settings=Settings(), vocab=real.vocab, steps=real.steps, stories=stories)


# ---------------------------------------------------------------- which stories


def test_every_setting_and_failure_type_with_three_stories_has_a_pack_of_exactly_its_stories(real):
    found = {p.id: p for p in packs(real)}
    wanted = {}
    for kind in ("setting", "failure"):
        for value in real.vocab["settings" if kind == "setting" else "failures"]:
            ids = sorted(s.id for s in real.stories if getattr(s, kind) == value)
            if len(ids) >= MIN_STORIES:
                wanted[f"{kind}/{value}"] = ids
    assert {k: sorted(s.id for s in p.stories) for k, p in found.items()} == wanted
    assert {"setting/restaurant", "setting/airline", "failure/product-defect"} <= set(found)
    assert "setting/hotel" not in found  # two stories only


def test_a_packs_stories_come_most_steps_missed_first(real):
    for pack in packs(real):
        missed = [len([s for s in story.steps_missed if real.step(s)]) for story in pack.stories]
        assert missed == sorted(missed, reverse=True), pack.id


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(0, 6), other=st.integers(0, 4))
def test_a_setting_gets_a_pack_from_three_stories_on(real, count, other):
    stories = [story(n, "hotel", "billing-error", ["listen"]) for n in range(count)]
    stories += [story(100 + n, "cafe", "wrong-order", []) for n in range(other)]
    kb = synthetic(real, stories)
    found = {p.id: p for p in packs(kb)}
    assert ("setting/hotel" in found) == (count >= MIN_STORIES)
    assert ("setting/cafe" in found) == (other >= MIN_STORIES)
    if count >= MIN_STORIES:
        assert [s.id for s in found["setting/hotel"].stories] == [s.id for s in stories[:count]]


def test_two_stories_make_no_pack_and_three_make_one(real):
    two = synthetic(real, [story(n, "hotel", "billing-error", ["listen"]) for n in range(2)])
    three = synthetic(real, [story(n, "hotel", "billing-error", ["listen"]) for n in range(3)])
    assert packs(two) == []
    assert [p.id for p in packs(three)] == ["setting/hotel", "failure/billing-error"]


# ---------------------------------------------------------------- what the guide says


def test_a_setting_packs_handout_is_its_stories_most_common_failure_type(real):
    stories = [
        story(1, "hotel", "billing-error", []),
        story(2, "hotel", "wrong-order", []),
        story(3, "hotel", "billing-error", []),
    ]
    hotel = next(p for p in packs(synthetic(real, stories)) if p.id == "setting/hotel")
    assert hotel.handout == "billing-error"
    for pack in packs(real):
        if pack.kind == "failure":
            assert pack.handout == pack.value


def test_the_step_cards_handed_out_are_the_steps_missed_most(real):
    stories = [
        story(1, "hotel", "billing-error", ["listen", "apologize"]),
        story(2, "hotel", "billing-error", ["apologize", "resolve"]),
        story(3, "hotel", "billing-error", ["apologize", "resolve", "thank"]),
    ]
    hotel = packs(synthetic(real, stories))[0]
    assert [s.title for s in hotel.hand_out][:2] == ["Apologize", "Resolve"]
    assert len(hotel.hand_out) == 3


def test_every_story_gets_two_or_three_debrief_questions_from_its_steps_missed_and_its_answer_key(real):
    low, high = QUESTIONS
    for pack in packs(real):
        assert [r.story for r in pack.rounds] == pack.stories
        for item in pack.rounds:
            assert low <= len(item.questions) <= high, (pack.id, item.title)
            for step in item.story.steps_missed[:high]:
                title = real.step(step).title
                assert any(f", {title} (" in q for q in item.questions), (pack.id, item.title, title)
            assert item.answer, (pack.id, item.title)
    numbered = packs(synthetic(real, [story(n, "hotel", "billing-error", []) for n in range(3)]))[0]
    assert all(len(r.questions) == low for r in numbered.rounds)
    assert numbered.rounds[2].answer == ("Listen first, then fix number 2.",)


def test_each_plan_adds_up_to_its_minutes_and_ends_with_the_checklist_drill(real):
    for pack in packs(real):
        for minutes, slots in pack.plans.items():
            assert slots[0].start == 0 and slots[-1].end == minutes, (pack.id, minutes)
            assert all(a.end == b.start and a.start < a.end for a, b in itertools.pairwise(slots))
            assert slots[-1].what == "Checklist drill"
            assert any(s.what.startswith("Role-play") for s in slots)
        played = [s for s in pack.plans[60] if s.what.startswith("Role-play")]
        assert len(played) == min(4, len(pack.stories))


def test_real_content_makes_the_nine_packs(real):
    assert [p.id for p in packs(real)] == [
        "setting/restaurant",
        "setting/airline",
        "setting/online",
        "setting/phone-support",
        "failure/product-defect",
        "failure/billing-error",
        "failure/staff-behaviour",
        "failure/broken-promise",
        "failure/unmet-expectation",
    ]


def test_a_pack_is_named_and_filed_by_its_kind_and_value(real):
    restaurant = next(p for p in packs(real) if p.id == "setting/restaurant")
    assert restaurant.folder == "packs/setting/restaurant" and restaurant.title == "Restaurant (setting)"
    assert Path(restaurant.folder).parts[-2:] == ("setting", "restaurant")


# ---------------------------------------------------------------- the PDFs read back

SITE_URL = "https://turnaround.example.internal/"
TOOLS = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm", "zbarimg"))
needs_tools = pytest.mark.skipif(not TOOLS, reason="needs poppler-utils and zbar-tools (make browser-deps)")


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory) -> Path:
    """Every card file of the real content, written as `turnaround cards` writes them (with a cache of its own)."""
    out = tmp_path_factory.mktemp("packs")
    result = cards_build.build(load(ROOT), SITE_URL, Cache(out / "cache"), "2027-03-01T00:00:00Z")
    assert result.problems == []
    cards_build.write(result, out / "cards")
    return out / "cards"


def entries(folder: Path) -> list[dict]:
    return json.loads((folder / "cards.json").read_text("utf-8"))


def text_of(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@needs_tools
def test_a_packs_role_play_decks_hold_exactly_its_stories(pack_dir, real):
    listed = entries(pack_dir)
    for pack in packs(real):
        for paper in ("a6", "a4", "letter"):
            entry = next(e for e in listed if e["file"] == f"{pack.folder}/roleplay-{paper}.pdf")
            assert entry["pack"] == pack.id and entry["deck"] == "roleplay" and entry["cards"] == len(pack.stories)
            printed = text_of(pack_dir / entry["file"])
            for story in real.stories:
                assert (" ".join(story.title.split()) in printed) == (story in pack.stories), (entry["file"], story.id)


@needs_tools
def test_each_guide_names_every_story_of_its_pack_with_its_debrief_questions(pack_dir, real):
    for pack in packs(real):
        for paper in ("a4", "letter"):
            printed = text_of(pack_dir / pack.folder / f"guide-{paper}.pdf")
            assert printed.count("DEBRIEF QUESTIONS") == len(pack.stories), (pack.id, paper)
            assert "30 minutes" in printed and "60 minutes" in printed and "Closing checklist drill" in printed
            for item in pack.rounds:
                # Each story's block: its card, title, questions and answer key, in that order.
                at = printed.index(f"Card {item.number} {' '.join(item.title.split())}")
                for question in item.questions:
                    assert " ".join(question.split()[:8]) in printed[at:], (pack.id, item.title)
                assert " ".join(item.answer[0].split()[:8]) in printed[at:], (pack.id, item.title)


@needs_tools
def test_guides_and_handouts_are_tagged_titled_with_a_language_and_embed_every_font(pack_dir):
    papers = [e for e in entries(pack_dir) if e["deck"] in ("guide", "handout")]
    assert len(papers) == 4 * len(packs(load(ROOT)))
    for entry in papers:
        path = pack_dir / entry["file"]
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en", entry["file"]
            assert bool(pdf.Root.MarkInfo.Marked), entry["file"]
            assert str(pdf.docinfo["/Title"]).startswith("Turnaround "), entry["file"]
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), (entry["file"], fonts)


@needs_tools
def test_a_guide_reads_the_same_page_for_page_on_a4_and_letter_within_both_papers_margins(pack_dir, real):
    sizes = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
    for pack in packs(real):
        for kind in guides.KINDS_OF_DOCUMENT:
            read = {paper: words_on_pages(pack_dir / pack.folder / f"{kind}-{paper}.pdf") for paper in sizes}
            assert len(read["a4"]) == len(read["letter"]), (pack.id, kind)
            for a4, letter in zip(read["a4"], read["letter"], strict=True):
                # The same words on the same page, each where it was relative to the text area.
                assert [w[0] for w in a4[2]] == [w[0] for w in letter[2]], (pack.id, kind)
                for paper, (width, height, words) in (("a4", a4), ("letter", letter)):
                    assert (width, height) == pytest.approx(sizes[paper], abs=0.05), (pack.id, kind, paper)
                    # Every word inside the margins the smaller paper has (a word's box rises a little above its
                    # line; the footer sits in the bottom margin).
                    margin = guides.PT_PER_MM * min(guides.MARGINS.values()) - 6
                    assert all(
                        x0 >= margin and y0 >= margin and x1 <= width - margin and y1 <= height - margin / 3
                        for _, x0, y0, x1, y1 in words
                    ), (pack.id, kind, paper)


def test_each_guide_and_handout_is_titled_with_its_own_paper(pack_dir, real):
    for pack in packs(real):
        for item in guides.documents(real, pack, SITE_URL):
            with pikepdf.open(pack_dir / item.file) as pdf:
                assert item.title.endswith(f", {item.paper}")
                assert str(pdf.docinfo.Title) == item.title == pdf.open_metadata()["dc:title"], item.file


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40))
def test_a_letter_file_is_titled_as_given_whatever_the_title_holds(real, label):
    pack = packs(real)[0]
    item = next(d for d in guides.documents(real, pack, SITE_URL) if d.kind == "handout")
    laid = dataclasses.replace(item, data={**item.data, "title": f"Turnaround checklist: {label}, a4"})
    letter = guides.on_paper(guides._compile(laid, "pdf"), "letter", f"Turnaround checklist: {label}, letter")
    with pikepdf.open(io.BytesIO(letter)) as pdf:
        assert str(pdf.docinfo.Title) == f"Turnaround checklist: {label}, letter"
        assert pdf.open_metadata()["dc:title"] == f"Turnaround checklist: {label}, letter"
        assert [list(map(float, page.mediabox)) for page in pdf.pages] == [guides.box("letter")]


@needs_tools
def test_a_handout_is_one_page_of_its_failure_types_checklist_with_a_qr_code_to_it(pack_dir, real, tmp_path):
    for pack in packs(real):
        for paper in ("a4", "letter"):
            entry = next(e for e in entries(pack_dir) if e["file"] == f"{pack.folder}/handout-{paper}.pdf")
            assert entry["pages"] == 1 == len(PdfReader(pack_dir / entry["file"]).pages)
            printed = text_of(pack_dir / entry["file"])
            assert f"Checklist: {pack.handout_label}" in printed
            assert all(f"{step.number}. {step.title}:" in printed for step in pack.drill)
        prefix = tmp_path / pack.value
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", str(pack_dir / entry["file"]), str(prefix)], check=True
        )
        image = next(tmp_path.glob(f"{pack.value}*.png"))
        codes = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True).stdout.split()
        assert codes == [f"{SITE_URL}checklists/{pack.handout}/"], pack.id


def test_a_handout_that_runs_past_one_page_is_a_problem_naming_the_pack_and_file(real):
    pack = packs(real)[0]
    item = next(d for d in guides.documents(real, pack, SITE_URL) if d.kind == "handout")
    body = item.data["pack"]
    long = {
        **body,
        "phases": [{**ph, "steps": [{**s, "summary": s["summary"] * 6} for s in ph["steps"]]} for ph in body["phases"]],
    }
    rendered = guides.render(dataclasses.replace(item, data={**item.data, "pack": long}))
    assert rendered.pages > 1 and len(rendered.problems) == 1
    problem = rendered.problems[0]
    assert problem.code == "handout-overflow" and pack.id in problem.message and item.file in problem.message


def test_each_guides_first_page_is_a_png_preview(pack_dir, real):
    for pack in packs(real):
        entry = next(e for e in entries(pack_dir) if e["pack"] == pack.id and e["deck"] == "preview")
        assert entry["file"] == f"{pack.folder}/guide-a4.png"
        assert (pack_dir / entry["file"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_guides_preview_laid_out_up_to_its_first_pairs_or_answer_keys_is_the_whole_guides_first_page(
    real, monkeypatch
):
    stops = []
    real_cut = guides._cut_page

    def spy():
        stops.append(real_cut())
        return stops[-1]

    monkeypatch.setattr(guides, "_cut_page", spy)
    # 40 stories: the preview cuts the pairs short (PREVIEW_PAIRS); 25: it stops after the first answer keys.
    long = synthetic(real, [story(n, "hotel", "billing-error", ["listen", "apologize"]) for n in range(40)])
    medium = synthetic(real, [story(n, "hotel", "billing-error", ["listen", "apologize"]) for n in range(25)])
    assert len(packs(medium)[0].stories) < guides.PREVIEW_PAIRS < len(packs(long)[0].stories)
    for kb in (real, medium, long):
        for pack in packs(kb):
            item = guides.documents(kb, pack, SITE_URL)[0]  # the A4 guide, whose first page is previewed
            pages = guides.render(item).pages
            whole = guides._compile(item, "png", ppi=guides.PREVIEW_PPI)
            assert guides.preview(item, pages) == whole, pack.id
            assert guides.preview(item) == whole  # without the guide's page count: the whole guide is drawn
    # The long and medium guides (and some real one) stopped early, on a later page than the first.
    assert stops[-1] > 1 and sum(page > 1 for page in stops) >= 3


def test_the_cards_page_lists_the_packs_by_setting_and_failure_type_with_every_file(real):
    text = cards_page(real, None)
    section = text[text.index("## Session packs") :]
    assert section.index("### By setting") < section.index("### By failure type")
    for pack in packs(real):
        assert f'src="{pack.folder}/guide-a4.png"' in section
        for name in ("guide-a4", "guide-letter", "handout-a4", "handout-letter", "roleplay-a6", "roleplay-a4"):
            assert f']({pack.folder}/{name}.pdf "' in section, (pack.id, name)


# ---------------------------------------------------------------- turnaround cards --pack


def run_cards(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "cards", "--out", str(out), *extra],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TURNAROUND_CARDS_CACHE": str(out.parent / "cache")},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cards_pack_writes_that_pack_only(tmp_path, real):
    result = run_cards(tmp_path / "out", "--pack", "setting/airline")
    assert result.returncode == 0, result.stderr
    airline = next(p for p in packs(real) if p.id == "setting/airline")
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    names = ["guide-a4.pdf", "guide-a4.png", "guide-letter.pdf", "handout-a4.pdf", "handout-letter.pdf"]
    names += ["roleplay-a4.pdf", "roleplay-a6.pdf", "roleplay-letter.pdf"]
    assert written == sorted(["cards.json", *(f"{airline.folder}/{name}" for name in names)])
    assert {e["pack"] for e in entries(tmp_path / "out")} == {"setting/airline"}


def test_an_unknown_pack_exits_2_and_lists_the_packs(tmp_path, real):
    result = run_cards(tmp_path / "out", "--pack", "setting/hotel")
    assert result.returncode == 2 and result.stdout == ""
    assert "--pack setting/hotel: no such session pack" in result.stderr
    assert all(pack.id in result.stderr for pack in packs(real))
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


# ---------------------------------------------------------------- a pack's decks are the full decks' kind


def test_a_packs_decks_are_pdf_x_4_for_the_print_shop_and_tagged_for_the_office_reading_front_then_back(pack_dir, real):
    for pack in packs(real):
        for paper in ("a6", "a4", "letter"):
            with pikepdf.open(pack_dir / pack.folder / f"roleplay-{paper}.pdf") as pdf:
                title = f"Turnaround session pack: {pack.title}, role-play cards, {paper}"
                assert str(pdf.docinfo.Title) == title and pdf.open_metadata()["dc:title"] == title
                assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "en"
                if paper == "a6":
                    assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4" and len(pdf.Root.OutputIntents) == 1
                    assert all("/TrimBox" in page.obj and "/BleedBox" in page.obj for page in pdf.pages)
                else:
                    assert "/OutputIntents" not in pdf.Root
                faces = faces_in_reading_order(pdf)
            # A pack's card is the full deck's, with its number there.
            numbers = {story.id: number for number, story in enumerate(real.stories, 1)}
            fronts, backs = faces[::2], faces[1::2]
            assert [f for f, _ in fronts] == [f"ROLE-PLAY CARD {numbers[s.id]}" for s in pack.stories], pack.id
            assert all(" ".join(s.title.split()) in b for s, (b, _) in zip(pack.stories, backs, strict=True))
