"""`make bench` builds the right things.

Valid synthetic stories, and a plain project with the same pages and no hooks.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml
from conftest import EPOCH, build_site, copy_repo

from benchmarks import builders
from benchmarks import cards as cards_bench
from benchmarks import site as bench
from turnaround import export
from turnaround.loader import load


def test_synthetic_stories_are_valid_content(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    bench.write_stories(load(repo), repo / "stories", 40)
    kb = load(repo)
    synthetic = [s for s in kb.stories if s.id.startswith("synthetic-")]
    assert len(synthetic) == 40
    assert [str(p) for p in kb.problems if "synthetic-" in p.path] == []
    assert len({s.get("failure") for s in synthetic}) > 3 and len({s.get("outcome") for s in synthetic}) > 1


def test_story_number_n_is_the_same_whatever_the_count(tmp_path):
    kb = load(copy_repo(tmp_path / "repo"))
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir(), large.mkdir()
    bench.write_stories(kb, small, 5)
    bench.write_stories(kb, large, 12)
    for path in small.iterdir():
        assert path.read_text("utf-8") == (large / path.name).read_text("utf-8")


@pytest.mark.slow
def test_plain_project_builds_the_same_pages_as_the_project_without_hooks(tmp_path):
    root = copy_repo(tmp_path / "repo")
    run = bench.Bench(root=root, work=tmp_path / "work", stories=10, rounds=1)
    project = bench.make_project(run, 3)
    mine = build_site(project, tmp_path / "site-project")
    assert mine.returncode == 0, mine.stderr[-3000:]
    plain = bench.make_plain(run, project, "same")
    config = (plain / "mkdocs.yml").read_text("utf-8")
    assert "hooks:" not in config and "watch:" not in config and "\nnav:" in config
    theirs = build_site(plain, tmp_path / "site-plain")
    assert theirs.returncode == 0, theirs.stderr[-3000:]
    # The export's documented post-build steps write what the hooks' on_post_build writes.
    bench.run_post_build(plain, tmp_path / "site-plain")
    assert _files(tmp_path / "site-plain") == _files(tmp_path / "site-project")
    assert _precached(tmp_path / "site-plain") == _precached(tmp_path / "site-project")
    for page in (
        "stories/synthetic-00001/index.html",
        "steps/listen/index.html",
        "stories/index.html",
        "checklists/wrong-order/index.html",
        "index.html",
    ):
        assert _article(tmp_path / "site-plain" / page) == _article(tmp_path / "site-project" / page), page
    nav = re.search(
        r'<nav class="md-nav md-nav--primary".*?</nav>',
        (tmp_path / "site-plain" / "index.html").read_text("utf-8"),
        re.S,
    )
    assert nav and nav.group(0) in (tmp_path / "site-project" / "index.html").read_text("utf-8")


def test_stories_only_project_has_the_theme_and_extensions_and_the_raw_stories(tmp_path):
    root = copy_repo(tmp_path / "repo")
    run = bench.Bench(root=root, work=tmp_path / "work", stories=10, rounds=1)
    project = bench.make_project(run, 3)
    plain = bench.make_plain(run, project, "stories")
    config = (plain / "mkdocs.yml").read_text("utf-8")
    assert "hooks:" not in config and "\nnav:" not in config and "not_in_nav: /stories/" in config
    mine = (root / "mkdocs.yml").read_text("utf-8")
    for key in bench.STORIES_ONLY_KEYS:
        assert export.keep_blocks(mine, (key,)) in config
    stories = sorted(p.name for p in (project / "stories").glob("*.md"))
    assert sorted(p.name for p in (plain / "docs" / "stories").glob("*.md")) == stories
    assert len([s for s in stories if s.startswith("synthetic-")]) == 3


# Pagefind names its filter and metadata files by their bytes, which it writes in hash-map order (Pagefind
# issue #638): two indexes of the same pages differ in these names only.
UNORDERED_NAME = re.compile(r"(pagefind(?:-offline)?/(?:filter/\w+?_|pagefind\.\w+?_))[0-9a-f]+(\.pf_)")


def _files(site: Path) -> list[str]:
    return sorted(UNORDERED_NAME.sub(r"\1*\2", p.relative_to(site).as_posix()) for p in site.rglob("*") if p.is_file())


def _precached(site: Path) -> str:
    # The service worker's precache list (its version differs: the pages' edit links do).
    found = re.search(r"const PRECACHE = (\[.*?\]);", (site / "sw.js").read_text("utf-8"), re.S).group(1)
    return "\n".join(sorted(UNORDERED_NAME.sub(r"\1*\2", line) for line in found.splitlines()))


def _article(page: Path) -> str:
    # The page's content without its edit button (generated pages have none in the project).
    article = re.search(r"<article.*?</article>", page.read_text("utf-8"), re.S).group(0)
    return " ".join(re.sub(r'<a [^>]*rel="edit">.*?</a>', "", article, flags=re.S).split())


def test_project_blocks_keeps_yaml_tags_and_nested_lines():
    config = (
        "site_name: x\ntheme:\n  name: material\n"
        "markdown_extensions:\n  - a:\n      f: !!python/name:mod.f\n"
        "nav:\n  - Home: index.md\n"
    )
    kept = export.keep_blocks(config, ("theme", "markdown_extensions"))
    assert kept == "theme:\n  name: material\nmarkdown_extensions:\n  - a:\n      f: !!python/name:mod.f\n"
    assert "nav" not in kept and "site_name" not in kept


def test_a_missed_target_is_remembered_for_the_exit_code(tmp_path):
    run = bench.Bench(root=Path("."), work=tmp_path, stories=10, rounds=1)
    assert run.target(True, "fine").startswith("met")
    assert run.target(False, "too slow").startswith("MISSED")
    assert run.missed == ["too slow"]


def test_synthetic_front_matter_is_plain_yaml(tmp_path):
    kb = load(copy_repo(tmp_path / "repo"))
    _name, text = bench.synthetic_story(kb, 7, random.Random(1))
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"].endswith("story 7") and set(meta["steps_taken"]).isdisjoint(meta["steps_missed"])


def test_the_cards_bench_times_every_deck_cold_and_a_warm_build_lays_out_one_sheet_per_deck(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = copy_repo(tmp_path / "repo")
    run = bench.Bench(root=root, work=tmp_path / "work", stories=10, rounds=1)
    project = bench.make_project(run, 20)
    before = {p.name: p.read_text("utf-8") for p in (project / "stories").glob("*.md")}
    lines, _missed = cards_bench.report(root, tmp_path / "work", 10, lambda n: bench.make_project(run, n))
    rows = {tuple(cell.strip() for cell in line.split("|")[1:4]): line for line in lines if line.startswith("| ")}
    real = str(len(load(root).stories))
    assert set(rows) >= {("real", real, "cold"), ("synthetic", "10", "warm"), ("synthetic", "20", "cold")}
    for stories in ("10", "20"):
        cold, warm = (rows[("synthetic", stories, kind)].split("|") for kind in ("cold", "warm"))
        files, rendered = (int(n) for n in re.findall(r"\d+", cold[4]))
        assert rendered == files and warm[4].split()[0] == str(files)
        # Only the changed story's card, once on A4 (whose faces the A6 deck prints too) and once on Letter: the
        # decks that hold it (the full role-play deck and its packs' decks) draw the same faces.
        assert 3 <= int(re.findall(r"\d+", warm[4])[1]) < files
        assert int(warm[5]) == 2 and int(warm[5]) < int(cold[5])
    assert any(line.startswith(("- met: real content", "- MISSED: real content")) for line in lines)
    # The edited story is put back as it was.
    assert {p.name: p.read_text("utf-8") for p in (project / "stories").glob("*.md")} == before


@pytest.mark.slow
def test_the_builders_bench_builds_the_export_from_clean_with_each_builder_in_turn(tmp_path, monkeypatch, capsys):
    # A stand-in for zensical: it fails unless its site and cache were removed before it runs.
    fake = tmp_path / "zensical"
    fake.write_text(
        '#!/bin/sh\n[ "$1" = --version ] && echo 0.0.0 && exit 0\n'
        "[ -e site ] || [ -e .cache ] && exit 3\nmkdir -p site/a .cache && touch site/a/index.html\n",
        "utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    argv = ["--zensical", str(fake), "--stories", "10", "--rounds", "2", "--work", str(tmp_path / "work")]
    assert builders.main(argv) == 0
    out = capsys.readouterr().out
    rows = re.findall(r"^\| (\d) \| (\w+) \| [\d.]+ \| [\d.]+ \| \d+ \| (\d+) \|$", out, re.M)
    order = [("1", "mkdocs"), ("1", "zensical"), ("2", "zensical"), ("2", "mkdocs")]
    assert [(r, name) for r, name, _ in rows] == order
    pages = {name: int(count) for _r, name, count in rows}
    assert pages["zensical"] == 1 and pages["mkdocs"] > 40
    assert "Zensical 0.0.0" in out and "Zensical/MkDocs: CPU " in out
