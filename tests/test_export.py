"""`turnaround export DIR`: the site without hooks.

Built strictly by MkDocs and by ProperDocs, it publishes the project's own pages.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EPOCH, ROOT, build_site, pagefind_filters

# Pages whose main content must be the same in every build (with a story and a source): the home page,
# a step, the generated story index, a generated checklist and the cards page.
REPRESENTATIVE = [
    "index.html",
    "steps/listen/index.html",
    "stories/index.html",
    "checklists/wrong-order/index.html",
    "cards/index.html",
]


def run_export(repo: Path, target: str) -> subprocess.CompletedProcess:
    """Run `turnaround export` inside a repository folder, with the build date the site builds use."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "export", target],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build_with_properdocs(folder: Path, site: Path) -> subprocess.CompletedProcess:
    """ProperDocs, the continuation of MkDocs 1.6, building a folder's mkdocs.yml strictly."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The repository's export, written once for this module by the command a user runs."""
    docs_before = _tree(ROOT / "docs")
    folder = tmp_path_factory.mktemp("export") / "site-source"
    result = run_export(ROOT, str(folder))
    assert result.returncode == 0, result.stderr[-3000:]
    assert _tree(ROOT / "docs") == docs_before, "the export wrote into docs/"
    return folder


@pytest.mark.slow
def test_export_is_plain_files_and_a_config_without_hooks(exported):
    config = (exported / "mkdocs.yml").read_text("utf-8")
    assert "hooks:" not in config and "watch:" not in config
    assert re.search(r"^nav:\n", config, re.M) and "- steps/listen.md" in config
    stories = sorted(p.stem for p in (ROOT / "stories").glob("*.md"))
    assert set(stories) <= {p.stem for p in (exported / "docs" / "stories").glob("*.md")}
    story = (exported / "docs" / "stories" / f"{stories[0]}.md").read_text("utf-8")
    assert story.startswith("---\n") and "\ntags:\n" in story
    assert (exported / "docs" / "cards" / "cards.json").is_file() and list((exported / "docs" / "cards").glob("*.pdf"))


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["mkdocs", "properdocs"])
def test_export_builds_strictly_to_the_same_pages_as_the_project(builder, exported, built_site, tmp_path):
    site = tmp_path / f"site-{builder}"
    result = build_site(exported, site) if builder == "mkdocs" else build_with_properdocs(exported, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _pages(site) == _pages(built_site)
    story, source = (
        next(p for p in _pages(built_site) if p.startswith(f"{folder}/") and p != f"{folder}/index.html")
        for folder in ("stories", "sources")
    )
    for page in [*REPRESENTATIVE, story, source]:
        assert _article(site / page) == _article(built_site / page), page


@pytest.mark.slow
def test_the_exports_site_gets_the_same_search_index_from_turnaround_search_index(exported, built_site, tmp_path):
    site = tmp_path / "site-search"
    assert build_site(exported, site).returncode == 0
    assert not (site / "pagefind").exists()
    result = subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "search-index", str(site)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    ours, theirs = (json.loads((s / "pagefind" / "pagefind-entry.json").read_text("utf-8")) for s in (site, built_site))
    assert ours["languages"]["en"]["page_count"] == theirs["languages"]["en"]["page_count"] > 0
    assert pagefind_filters(site) == pagefind_filters(built_site)


def test_search_index_of_a_folder_that_is_no_built_site_exits_2_naming_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "search-index", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr == f"turnaround search-index: {tmp_path}: no index.html; build the site first\n"


def test_export_refuses_a_target_inside_docs_a_file_or_a_folder_with_files(repo, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", "utf-8")
    (tmp_path / "a-file").write_text("mine", "utf-8")
    for target, message in [
        ("docs/export", "inside docs/"),
        (str(tmp_path / "full"), "is not empty"),
        (str(tmp_path / "a-file"), "is a file"),
    ]:
        result = run_export(repo, target)
        assert result.returncode == 2, (target, result.stderr)
        assert f"turnaround export: {target}: {message}" in result.stderr and "Traceback" not in result.stderr
    assert not (repo / "docs" / "export").exists() and (tmp_path / "full" / "keep.txt").read_text("utf-8") == "mine"


def test_export_of_content_that_check_rejects_writes_nothing_and_prints_checks_message(repo, tmp_path):
    story = next((repo / "stories").glob("*.md"))
    story.write_text(story.read_text("utf-8").replace("outcome:", "outcome: not-an-outcome\nwas_outcome:", 1), "utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "check"], cwd=repo, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 1
    result = run_export(repo, str(tmp_path / "out"))
    assert result.returncode == 1 and "nothing exported" in result.stderr
    assert result.stdout == check.stdout and check.stdout.strip()
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def _tree(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))


def _article(page: Path) -> str:
    # The page's main content without its edit button (generated pages have none in the project).
    article = re.search(r"<article.*?</article>", page.read_text("utf-8"), re.S).group(0)
    return " ".join(re.sub(r'<a [^>]*rel="edit">.*?</a>', "", article, flags=re.S).split())
