"""The real site, built strictly: pages exist, link where they should, and bad content fails it."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, build_site, run_check
from test_content_model import STORY, plant

from turnaround.loader import load


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def test_every_step_source_and_story_has_its_page(built_site):
    kb = load(ROOT)
    for entry in kb.entries():
        page = html(built_site, entry.url)
        assert f"<h1" in page and entry.title.split("…")[0].strip()[:30] in page.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"')


def test_story_pages_are_generated_not_copied_into_docs(built_site):
    kb = load(ROOT)
    assert not (ROOT / "docs" / "stories").exists() or not any((ROOT / "docs" / "stories").glob("*.md"))
    for story in kb.stories:
        assert (built_site / "stories" / story.id / "index.html").is_file()


def test_story_edit_link_points_at_the_story_file(built_site):
    kb = load(ROOT)
    story = kb.stories[0]
    assert re.search(rf'href="[^"]*/edit/main/stories/{story.id}\.md"', html(built_site, story.url))


def test_stories_stay_out_of_the_sidebar(built_site):
    kb = load(ROOT)
    step_page = html(built_site, kb.steps[0].url)
    nav = step_page.split('class="md-sidebar md-sidebar--primary"', 1)[1].split("</nav>", 1)[0]
    for story in kb.stories:
        assert f"stories/{story.id}/" not in nav


def test_steps_appear_in_the_nav_in_checklist_order(built_site):
    kb = load(ROOT)
    home = (built_site / "index.html").read_text("utf-8")
    nav = home.split('class="md-sidebar md-sidebar--primary"', 1)[1]
    positions = [nav.index(f"steps/{step.id}/") for step in kb.steps]
    assert positions == sorted(positions)


def test_story_links_to_its_steps_and_source(built_site):
    kb = load(ROOT)
    story = next(s for s in kb.stories if s.get("source"))
    page = html(built_site, story.url)
    assert 'href="../../steps/' in page
    source_page = html(built_site, f"sources/{story.get('source')}/")
    assert f'href="../../stories/{story.id}/"' in source_page


def test_a_new_valid_story_builds_with_no_code_change(repo, tmp_path):
    plant(repo, STORY, name="cold-soup-at-lunch.md")
    result = build_site(repo, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "site/stories/cold-soup-at-lunch/index.html").read_text("utf-8")
    assert "Cold soup at lunch" in page and "barely warm" in page


def test_a_broken_story_fails_check_and_the_strict_build_with_the_same_message(repo, tmp_path):
    plant(repo, STORY.replace("setting: restaurant", "setting: resturant").replace("[listen, apologize", "[listen, apologise"), name="broken.md")
    checked = run_check(repo)
    expected = [
        "stories/broken.md:4: field `setting`: unknown value `resturant`; did you mean `restaurant`? [unknown-value]",
        "stories/broken.md:8: field `steps_taken[1]`: unknown step `apologise`; did you mean `apologize`? [unknown-step]",
    ]
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == expected
    built = build_site(repo, tmp_path / "site")
    assert built.returncode != 0
    for line in expected:
        assert line in built.stderr


def test_check_exits_2_on_usage_errors(repo):
    assert run_check(repo, "--no-such-option").returncode == 2
    missing = run_check(repo, "stories/nope.md")
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr


def test_check_on_one_file_reports_only_that_file(repo):
    plant(repo, STORY.replace("outcome: won-back", "outcome: happy"), name="one.md")
    plant(repo, STORY.replace("severity: minor", "severity: tiny"), name="two.md")
    result = run_check(repo, "stories/one.md")
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["stories/one.md"]
