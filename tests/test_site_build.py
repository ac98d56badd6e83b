"""The real site, built strictly: pages exist, link where they should, and bad content fails it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_URL, ROOT, build_env, build_site, mkdocs_serve, run_check, wait_for
from test_content_model import STORY, plant

from turnaround import build_problems
from turnaround.loader import load
from turnaround.problems import Problem

# mkdocs.yml's `cache_dir: !ENV [TURNAROUND_CARDS_CACHE, null]`: tests share one card cache between copies.
TURNAROUND_CACHE = "TURNAROUND_CARDS_CACHE"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


@pytest.mark.slow
def test_every_step_source_and_story_has_its_page(built_site):
    kb = load(ROOT)
    for entry in kb.entries():
        page = html(built_site, entry.url)
        assert "<h1" in page and entry.title.split("…")[0].strip()[:30] in page.replace("&amp;", "&").replace(
            "&#39;", "'"
        ).replace("&quot;", '"')


@pytest.mark.slow
def test_story_pages_are_generated_not_copied_into_docs(built_site):
    kb = load(ROOT)
    assert not (ROOT / "docs" / "stories").exists() or not any((ROOT / "docs" / "stories").glob("*.md"))
    for story in kb.stories:
        assert (built_site / "stories" / story.id / "index.html").is_file()


@pytest.mark.slow
def test_story_edit_link_points_at_the_story_file(built_site):
    kb = load(ROOT)
    story = kb.stories[0]
    assert f'href="{REPO_URL}/edit/main/stories/{story.id}.md"' in html(built_site, story.url)
    assert f'href="{REPO_URL}/edit/main/docs/index.md"' in html(built_site, "")


@pytest.mark.slow
def test_without_repo_url_no_page_has_an_edit_or_repository_link(repo, tmp_path):
    result = build_site(repo, tmp_path / "site", env=build_env(**{TURNAROUND_CACHE: str(tmp_path / "cache")}))
    assert result.returncode == 0, result.stderr[-3000:]
    pages = {page: page.read_text("utf-8") for page in (tmp_path / "site").rglob("*.html")}
    assert len(pages) > 25
    assert [
        page
        for page, text in pages.items()
        if 'rel="edit"' in text or 'class="md-source"' in text or "/edit/main/" in text
    ] == []


@pytest.mark.slow
def test_stories_stay_out_of_the_sidebar(built_site):
    kb = load(ROOT)
    step_page = html(built_site, kb.steps[0].url)
    nav = step_page.split('class="md-sidebar md-sidebar--primary"', 1)[1].split("</nav>", 1)[0]
    for story in kb.stories:
        assert f"stories/{story.id}/" not in nav


@pytest.mark.slow
def test_steps_appear_in_the_nav_in_checklist_order(built_site):
    kb = load(ROOT)
    home = (built_site / "index.html").read_text("utf-8")
    nav = home.split('class="md-sidebar md-sidebar--primary"', 1)[1]
    positions = [nav.index(f"steps/{step.id}/") for step in kb.steps]
    assert positions == sorted(positions)


@pytest.mark.slow
def test_story_links_to_its_steps_and_source(built_site):
    kb = load(ROOT)
    story = next(s for s in kb.stories if s.get("source"))
    page = html(built_site, story.url)
    assert 'href="../../steps/' in page
    source_page = html(built_site, f"sources/{story.get('source')}/")
    assert f'href="../../stories/{story.id}/"' in source_page


@pytest.mark.slow
def test_a_new_valid_story_builds_with_no_code_change(repo, tmp_path):
    plant(repo, STORY, name="cold-soup-at-lunch.md")
    result = build_site(repo, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "site/stories/cold-soup-at-lunch/index.html").read_text("utf-8")
    assert "Cold soup at lunch" in page and "barely warm" in page


@pytest.mark.slow
def test_a_broken_story_fails_check_and_the_strict_build_with_the_same_message(repo, tmp_path):
    plant(
        repo,
        STORY.replace("setting: restaurant", "setting: resturant").replace("[listen, apologize", "[listen, apologise"),
        name="broken.md",
    )
    checked = run_check(repo)
    expected = [
        "stories/broken.md:4: field `setting`: unknown value `resturant`; did you mean `restaurant`? [unknown-value]",
        (
            "stories/broken.md:8: field `steps_taken[1]`: unknown step `apologise`; did you mean `apologize`? "
            "[unknown-step]"
        ),
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


# How a build may be asked to be strict: on the command line, loud or quiet, or only in mkdocs.yml.
STRICT_WAYS = {"--strict -q": ["--strict", "-q"], "--strict -v": ["--strict", "-v"], "strict: true in mkdocs.yml": []}


@pytest.mark.slow
@pytest.mark.parametrize("way", STRICT_WAYS)
def test_a_broken_story_fails_every_strict_build_whatever_the_log_level_and_nothing_is_written(repo, tmp_path, way):
    plant(repo, STORY.replace("setting: restaurant", "setting: resturant"), name="broken.md")
    plant(repo, STORY.replace("outcome: won-back", "outcome: happy"), name="other.md")
    config = repo / "mkdocs.yml"
    assert re.search(r"^strict: true$", config.read_text("utf-8"), re.M)
    site = tmp_path / "site"
    env = build_env(**{TURNAROUND_CACHE: str(tmp_path / "cache")})
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *STRICT_WAYS[way], "--site-dir", str(site)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode != 0
    # Every problem, each at its file and line as check prints it.
    assert "stories/broken.md:4: field `setting`: unknown value `resturant`" in built.stderr
    assert "stories/other.md:11: field `outcome`: unknown value `happy`" in built.stderr
    assert "Traceback" not in built.stderr
    # Raised before MkDocs writes anything: no page of the broken build is published.
    assert not site.exists() or list(site.iterdir()) == []


@pytest.mark.slow
def test_a_build_that_is_not_strict_fails_on_a_broken_story_too(repo, tmp_path):
    plant(repo, STORY.replace("outcome: won-back", "outcome: happy"), name="broken.md")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("\nstrict: true\n", "\nstrict: false\n"), "utf-8")
    env = build_env(**{TURNAROUND_CACHE: str(tmp_path / "cache")})
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(tmp_path / "site")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode != 0 and "stories/broken.md:" in built.stderr and "[unknown-value]" in built.stderr
    assert not (tmp_path / "site").exists() or list((tmp_path / "site").iterdir()) == []


# A later event (a safety check of the rendered HTML, say) adds its problems to the build's state.
LATE_CHECK = """

def _late_check(html, page, config, files):
    if page.file.src_uri == "stories/late.md":
        state.problems.extend([Problem("stories/late.md", 3, None, "rendered HTML has a problem", "late-check")])
    return html


on_page_content = _late_check
"""


@pytest.mark.slow
def test_a_problem_found_while_pages_render_fails_the_build_before_anything_is_written(repo, tmp_path):
    plant(repo, STORY, name="late.md")
    hooks = repo / "hooks" / "turnaround_site.py"
    hooks.write_text(hooks.read_text("utf-8") + LATE_CHECK, "utf-8")
    site = tmp_path / "site"
    env = build_env(**{TURNAROUND_CACHE: str(tmp_path / "cache")})
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode != 0
    assert "stories/late.md:3: body: rendered HTML has a problem [late-check]" in built.stderr
    assert not site.exists() or list(site.iterdir()) == []


@pytest.mark.slow
def test_mkdocs_serve_shows_a_broken_storys_problem_in_place_of_it_and_the_page_comes_back_when_fixed(repo, tmp_path):
    story_file = plant(repo, STORY.replace("setting: restaurant", "setting: resturant"), name="broken.md")
    env = build_env(**{TURNAROUND_CACHE: str(tmp_path / "cache")})
    problem = "stories/broken.md:4: field `setting`: unknown value `resturant`"
    with mkdocs_serve(repo, env) as (server, port):
        story = wait_for(f"http://127.0.0.1:{port}/stories/broken/", server)
        home = wait_for(f"http://127.0.0.1:{port}/", server)
        # The contributor saves the fix: the rebuilt preview shows the story again, and no notice.
        story_file.write_text(STORY, "utf-8")
        fixed = wait_for(f"http://127.0.0.1:{port}/stories/broken/", server, until="brought a hot bowl at once")
    # The broken story's own content is not shown; every other page keeps its content under the notice.
    assert problem in story and "brought a hot bowl at once" not in story
    assert problem in home and "admonition failure" in home and HOME_TEXT in home
    assert "admonition failure" not in fixed


# A sentence of the home page (docs/index.md).
HOME_TEXT = "What to do, step by step, when a customer has had a bad experience."


def test_the_build_report_lists_every_problem_as_check_prints_it_once_and_sorted():
    late = Problem("stories/b.md", 7, None, "late", "late-check")
    early = Problem("stories/a.md", 2, "title", "early", "early-check")
    text = build_problems.report([late, early, late], build_problems.NOT_PUBLISHED)
    assert text.splitlines()[1:] == [str(early), str(late)]
    assert text.startswith("turnaround: 2 problem(s), so the site is not published")


def test_the_preview_shows_the_problems_escaped_above_a_page_and_in_place_of_a_broken_one(tmp_path):
    problem = Problem("stories/broken.md", 4, "title", "quotes <script>alert(1)</script>", "unsafe-html")
    broken = build_problems.preview_content(
        [problem], tmp_path, str(tmp_path / "stories" / "broken.md"), "<p>broken body</p>"
    )
    other = build_problems.preview_content([problem], tmp_path, str(tmp_path / "docs" / "index.md"), "<p>home</p>")
    assert "broken body" not in broken and "stories/broken.md:4:" in broken
    assert other.endswith("<p>home</p>") and "admonition failure" in other
    assert "<script>" not in broken + other and "&lt;script&gt;" in broken
    assert build_problems.preview_content([], tmp_path, None, "<p>home</p>") == "<p>home</p>"
