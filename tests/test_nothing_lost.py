"""Nothing lost: every file in stories/ becomes a page and a row in the story index, or the build fails naming it.

The files are listed straight from the folder (not through the loader), so a
file the loader skipped would show up here as missing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, build_site
from test_content_model import STORY

from turnaround.loader import load


def story_files(root: Path) -> list[Path]:
    """Every file under stories/ a contributor could have added (hidden files aside)."""
    folder = root / "stories"
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


class IndexRows(HTMLParser):
    """The story each row of the index's tables links to first."""

    def __init__(self):
        super().__init__()
        self.rows: list[str] = []
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag == "a" and self._row is not None:
            self._row.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row[0])
            self._row = None


def index_rows(site: Path) -> list[str]:
    """The story ids of the story index's rows, in order."""
    parser = IndexRows()
    parser.feed((site / "stories" / "index.html").read_text("utf-8"))
    return [href.strip("./") for href in parser.rows if re.fullmatch(r"(\./)?[a-z0-9-]+/", href)]


@pytest.mark.slow
def test_every_story_file_is_a_page_and_exactly_one_row_in_the_index(built_site):
    files = story_files(ROOT)
    assert files, "no stories to check"
    ids = [path.stem for path in files]
    assert all(path.suffix == ".md" and path.parent == ROOT / "stories" for path in files)
    for story_id in ids:
        page = built_site / "stories" / story_id / "index.html"
        assert page.is_file(), f"stories/{story_id}.md has no page"
        assert "<h1" in page.read_text("utf-8")
    assert sorted(index_rows(built_site)) == sorted(ids)


@pytest.mark.slow
def test_a_new_valid_story_becomes_a_page_and_a_row(tmp_path, repo):
    (repo / "stories" / "planted-cold-soup.md").write_text(
        STORY.replace("Cold soup at lunch", "Planted cold soup"), "utf-8"
    )
    result = build_site(repo, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Planted cold soup" in (tmp_path / "site/stories/planted-cold-soup/index.html").read_text("utf-8")
    assert sorted(index_rows(tmp_path / "site")) == sorted(p.stem for p in story_files(repo))


# Each way a story file can fail to become a page, and what the strict build must say about it.
PLANTED = {
    "stories/latin1.md": (STORY.replace("barely warm", "barely w\u00e4rm").encode("latin-1"), "is not valid UTF-8"),
    "stories/no-front-matter.md": (b"## Situation\n\nA story without its front matter.\n", "has no front matter"),
    "stories/unclosed.md": (
        STORY.encode().replace(b"reviewed: 2026-11-22\n---\n", b"reviewed: 2026-11-22\n", 1),
        "front matter is never closed",
    ),
    "stories/empty.md": (b"", "is empty"),
    "stories/draft.markdown": (STORY.encode(), "is never published"),
    "stories/2026/in-a-folder.md": (STORY.encode(), "is never published"),
    "stories/index.md": (STORY.encode(), "file name `index.md` is taken"),
}


@pytest.mark.slow
def test_every_story_file_that_cannot_become_a_page_fails_the_strict_build_by_name(tmp_path, repo):
    for name, (raw, _) in PLANTED.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(raw)
    result = build_site(repo, tmp_path / "site")
    assert result.returncode != 0
    for name, (_, message) in PLANTED.items():
        assert re.search(rf"{re.escape(name)}:\d+: file: {re.escape(message)}", result.stderr), (
            f"{name} not named: {result.stderr[-2000:]}"
        )


def test_hidden_files_in_stories_are_not_content(repo):
    for hidden in (".gitkeep", ".DS_Store", ".drafts/idea.md"):
        (repo / "stories" / hidden).parent.mkdir(exist_ok=True)
        (repo / "stories" / hidden).write_bytes(b"\x00")
    assert [str(p) for p in load(repo).problems] == []
