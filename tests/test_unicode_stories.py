"""What `turnaround check` accepts, the strict build publishes, whatever Unicode a story holds.

Hypothesis writes batches of stories with arbitrary text (any script, emoji
and their joiners and modifiers, right-to-left text, combining marks, wide
characters, invisible and unassigned code points, Markdown punctuation) in
every field a contributor types: title, summary, tags and the four sections.
The real `turnaround check` sorts each batch; the stories it accepts are built
together with the real `mkdocs build --strict` (site and cards), and each must
come out: its page, and its role-play card (read back with pdftotext). The
stories it rejects, from all batches, are built together too, and that build
must fail, naming each of them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import build_site, copy_repo, run_check, story_front
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from turnaround.cards.layout import direction
from turnaround.validate import STORY_SECTIONS

# Stories per batch, and batches per run: 4 x 50 = 200 stories, in 5 builds (two at a time): one per batch
# of accepted stories, one for all the rejected ones.
BATCH = 50
BATCHES = 4
# Each story is one Hypothesis example (a whole batch would be too large for one); derandomized, so
# `make test` builds the same stories on every run.
DRAW = settings(
    max_examples=BATCH * BATCHES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)

# Characters: from everywhere (anything UTF-8 can hold: mostly unassigned, so rarely), and far more
# often from what staff write, whose blocks still hold unassigned and unprintable code points.
SCRIPTS = [
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x370, 0x52F),
    (0x591, 0x5F4),
    (0x600, 0x6FF),
    (0x900, 0x97F),
    (0x980, 0x9FF),
    (0xB80, 0xBFF),
    (0xE00, 0xE7F),
    (0x1100, 0x11FF),
    (0x3040, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0x2000, 0x2BFF),
    (0x1F300, 0x1FAFF),
    (0x0300, 0x036F),
]
JOINERS = "\u200d\u200c\ufe0f\ufe0e\u200b\u2060\u00ad\U0001f3fd\u20e3\U000e0067"
# Each branch is mapped, so Hypothesis keeps them apart (it merges plain character strategies into one
# that favours the lowest code points, the controls).
script_chars = st.one_of(
    *[st.characters(min_codepoint=low, max_codepoint=high).map(str) for low, high in SCRIPTS],
    st.sampled_from(JOINERS),
)
any_char = st.one_of(
    st.characters(codec="utf-8", exclude_categories=["Cc"]).map(str), st.characters(categories=["Cc"]).map(str)
)
WORDS = st.sampled_from(
    [
        "The",
        "guest",
        "soup",
        "was",
        "cold",
        "and",
        "staff",
        "said",
        "sorry",
        "so",
        "café",
        "naïve",
        "汤",
        "😀",
        "שלום",
        "مرحبا",
        "नमस्ते",
        "สวัสดี",
    ]
)


def weighted(common, rare, odds: int):
    """`common` `odds` times as often as `rare` (one_of drops repeated branches)."""
    return st.integers(0, odds).flatmap(lambda n: rare if n == odds else common)


chars = weighted(script_chars, any_char, 10)
# A piece of text: words and arbitrary runs; repeated, so that some stories reach the length limits.
piece = st.lists(weighted(WORDS, st.text(chars, min_size=1, max_size=4), 3), min_size=1, max_size=6).map(" ".join)
text = st.tuples(piece, st.integers(1, 3)).map(lambda t: " ".join([t[0]] * t[1]))
section = st.tuples(st.lists(piece, min_size=1, max_size=4), st.sampled_from([1, 1, 2, 8, 30])).map(
    lambda t: "\n\n".join([" ".join(t[0])] * (t[1] if t[1] < 8 else 1)) if t[1] < 30 else " ".join(t[0] * 12)
)
tag = weighted(st.sampled_from(["lunch", "late-night", "drinks"]), st.text(chars, min_size=1, max_size=8), 5)
story = st.fixed_dictionaries(
    {
        "title": text,
        "summary": text,
        "tags": st.lists(tag, max_size=3, unique=True),
        "sections": st.fixed_dictionaries({title: section for title in STORY_SECTIONS}),
    }
)


def marker(name: str) -> str:
    """A word the story's role-play card must carry, so that pdftotext can find its card."""
    return "mark" + name.removeprefix("gen-").replace("-", "x")


def write_story(stories: Path, name: str, data: dict) -> None:
    """One story file; the front-matter texts as YAML double-quoted strings (JSON's escapes are YAML's).

    The Outcome (printed on the back of the role-play card) ends with the story's marker, as its own paragraph.
    """

    def quoted(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    tags = "[" + ", ".join(quoted(t) for t in data["tags"]) + "]"
    sections = {**data["sections"], "Outcome": data["sections"]["Outcome"] + "\n\n" + marker(name)}
    body = "".join(f"\n## {title}\n\n{sections[title]}\n" for title in STORY_SECTIONS)
    text = story_front(
        title=quoted(data["title"]), summary=quoted(data["summary"]), provenance="illustrative", tags=tags
    )
    text += body
    (stories / f"{name}.md").write_bytes(text.encode("utf-8", "surrogatepass"))


def rejected_files(output: str) -> set[str]:
    """The story files `turnaround check` (or a build) names in its problems."""
    return set(re.findall(r"^(?:WARNING\s+-\s+turnaround: )?(stories/gen-[0-9-]+\.md):\d+:", output, re.M))


def sort_batch(folder: Path, batch: list[dict], number: int, rejected_repo: Path) -> tuple[Path, list[str], list[str]]:
    """A repository with the stories of the batch that check accepts; those it rejects go to `rejected_repo`."""
    accepted_repo = copy_repo(folder)
    names = [f"gen-{number}-{index}" for index in range(len(batch))]
    for name, data in zip(names, batch, strict=True):
        write_story(accepted_repo / "stories", name, data)
    check = run_check(accepted_repo)
    assert "Traceback" not in check.stdout + check.stderr, check.stderr[-3000:]
    rejected = rejected_files(check.stdout)
    assert check.returncode == (1 if rejected else 0), check.stdout[-3000:]
    for name in names:
        if f"stories/{name}.md" in rejected:
            shutil.move(accepted_repo / "stories" / f"{name}.md", rejected_repo / "stories" / f"{name}.md")
    passed = [n for n in names if f"stories/{n}.md" not in rejected]
    return accepted_repo, passed, [n for n in names if n not in passed]


def draw_stories() -> list[dict]:
    """BATCH x BATCHES stories, each drawn by Hypothesis as its own example."""
    drawn: list[dict] = []

    @DRAW
    @given(story)
    def collect(data):
        drawn.append(data)

    collect()
    return drawn


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_every_story_check_accepts_is_published_and_every_one_it_rejects_fails_the_build(tmp_path_factory, monkeypatch):
    drawn = draw_stories()
    assert len(drawn) >= BATCH * BATCHES
    batches = [drawn[i * BATCH : (i + 1) * BATCH] for i in range(BATCHES)]
    root = tmp_path_factory.mktemp("unicode")
    # The builds share one card cache, as `mkdocs serve` does: the decks without stories are rendered once.
    monkeypatch.setenv("TURNAROUND_CARDS_CACHE", str(root / "card-cache"))
    rejected_repo = copy_repo(root / "rejected")
    sorted_batches = [
        sort_batch(root / str(number), batch, number, rejected_repo) for number, batch in enumerate(batches)
    ]
    failed = [name for _, _, names in sorted_batches for name in names]
    builds = [(repo, root / f"site-{number}") for number, (repo, _, _) in enumerate(sorted_batches)]
    if failed:
        builds.append((rejected_repo, root / "site-rejected"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: build_site(*job), builds))

    total = sum(len(passed) for _, passed, _ in sorted_batches)
    print(f"\n{len(drawn)} stories generated, {total} passed the check, {len(failed)} failed it, {len(builds)} builds")
    # A property where everything is rejected proves nothing.
    assert total >= BATCH * BATCHES // 4, f"only {total} of {BATCH * BATCHES} generated stories passed the check"
    # One result per batch, in order; the rejected stories' build, when there is one, comes last.
    batch_results = results[: len(sorted_batches)]
    for number, ((repo, passed, _), result) in enumerate(zip(sorted_batches, batch_results, strict=True)):
        site = root / f"site-{number}"
        assert result.returncode == 0, (
            f"check accepted batch {number}, the strict build failed:\n{result.stderr[-4000:]}"
        )
        for name in passed:
            assert (site / "stories" / name / "index.html").is_file(), f"{name} was accepted but has no page"
        stories = len(list((repo / "stories").glob("*.md")))
        # The full decks; a session pack's own role-play deck holds only its stories, and is counted apart.
        listed = json.loads((site / "cards" / "cards.json").read_text())
        decks = {(d["deck"], d["paper"]): d for d in listed if d["pack"] is None}
        for pack in {d["pack"] for d in listed if d["pack"]}:
            counts = {d["cards"] for d in listed if d["pack"] == pack and d["deck"] == "roleplay"}
            assert len(counts) == 1 and 0 < counts.pop() <= stories, f"batch {number}: pack {pack}'s decks differ"
        for paper in ("a4", "a6", "letter"):
            assert decks[("roleplay", paper)]["cards"] == stories, (
                f"batch {number}: not every story has a {paper} role-play card"
            )
        printed = "".join(pdftotext(site / "cards" / "roleplay-a6.pdf").split())
        missing = [name for name in passed if marker(name) not in printed]
        assert not missing, f"batch {number}: these stories' role-play cards are not in the PDF: {missing}"
    if failed:
        result = results[-1]
        assert result.returncode != 0, f"check rejected {failed}, the strict build passed"
        assert rejected_files(result.stderr) >= {f"stories/{name}.md" for name in failed}, result.stderr[-4000:]


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_a_generated_story_is_written_as_valid_utf8(tmp_path):
    """The writer itself: what the property test builds is the text Hypothesis drew."""
    data = {
        "title": "汤 😀 \u200d",
        "summary": "x",
        "tags": ["lunch"],
        "sections": dict.fromkeys(STORY_SECTIONS, "שלום"),
    }
    write_story(tmp_path, "gen-0-0", data)
    written = (tmp_path / "gen-0-0.md").read_text("utf-8")
    assert '"汤 😀 \u200d"' in written and "## Better recovery\n\nשלום" in written


# ------------------------------------------------------------------ fixtures: one story per kind of script

FIXTURES = Path(__file__).parent / "fixtures" / "unicode"
PRINTABLE = ["emoji-title", "chinese", "arabic", "combining-marks"]
# The line of tests/fixtures/unicode/unprintable.md that holds U+13080 (an Egyptian hieroglyph no card font has).
UNPRINTABLE_LINE = 20


def same_text(text: str) -> str:
    """Text as pdftotext gives it back: composed (NFC), without spaces, line breaks or bidi and joiner marks."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if not c.isspace() and unicodedata.category(c) != "Cf")


def test_a_character_no_card_font_has_is_reported_at_its_line(repo):
    shutil.copy(FIXTURES / "unprintable.md", repo / "stories" / "unprintable.md")
    assert "\U00013080" in (FIXTURES / "unprintable.md").read_text("utf-8").splitlines()[UNPRINTABLE_LINE - 1]
    result = run_check(repo)
    assert result.returncode == 1
    assert (
        f"stories/unprintable.md:{UNPRINTABLE_LINE}: body: `\U00013080` U+13080 EGYPTIAN HIEROGLYPH D010 cannot "
        f"be printed on the cards"
    ) in result.stdout
    assert result.stdout.count("[unprintable]") == 1, result.stdout


@pytest.mark.slow
def test_stories_in_emoji_chinese_arabic_and_combining_marks_build_strictly_and_print(repo, tmp_path):
    for name in PRINTABLE:
        shutil.copy(FIXTURES / f"{name}.md", repo / "stories" / f"{name}.md")
    check = run_check(repo)
    assert check.returncode == 0, check.stdout
    site = tmp_path / "site"
    result = build_site(repo, site)
    assert result.returncode == 0, result.stderr[-4000:]
    printed = same_text(pdftotext(site / "cards" / "roleplay-a6.pdf"))
    for name in PRINTABLE:
        assert (site / "stories" / name / "index.html").is_file()
        title = yaml.safe_load((FIXTURES / f"{name}.md").read_text("utf-8").split("---")[1])["title"]
        assert same_text(title) in printed, f"the title of {name} is not on its role-play card"


def test_a_card_paragraph_is_set_right_to_left_when_its_first_strong_character_is():
    assert direction("«اعتذر» النادل (Lemonade)") == ' dir="rtl"'
    assert direction("10 שלום") == ' dir="rtl"'
    assert direction("The server said مرحبا") == ""
    assert direction("汤 😀") == ""
