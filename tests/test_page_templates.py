"""Generated pages come from templates a site can override, and a broken override is a located problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site, run_check
from hypothesis import given, settings
from hypothesis import strategies as st

from turnaround import content, loader, options, pages
from turnaround.pages import markdown as md
from turnaround.pages import templating
from turnaround.repository import CONFIG

OVERRIDE = "overrides/turnaround/crosswalks.md.j2"


def _load(repo):
    return loader.load(repo, settings=options.load(repo / CONFIG))


def _override(repo, text: str, at: str = OVERRIDE) -> None:
    path = repo / at
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _package(name: str) -> str:
    return (Path(templating.__file__).parent / "templates" / name).read_text("utf-8")


def test_a_site_template_replaces_the_packages_one(repo):
    _override(repo, "# Crosswalks\n\nOur own words.\n\n{{ sources_table }}\n")
    page = pages.generated_pages(_load(repo))[content.CROSSWALKS]
    assert page.startswith("# Crosswalks\n\nOur own words.\n\n| Step |")
    # The other pages keep the package's templates.
    assert "## Sources and steps" not in page
    assert pages.generated_pages(_load(repo))[content.EVIDENCE].startswith("# Evidence from the stories")


def test_a_site_template_rewords_the_cards_page(repo):
    package = _package("cards.md.j2")
    before = pages.generated_pages(_load(repo))[content.CARDS]
    old, new = "No duplex printer? Print the fronts", "No two-sided printer? Print the fronts"
    assert old in package and old in before
    _override(repo, package.replace(old, new), "overrides/turnaround/cards.md.j2")
    after = pages.generated_pages(_load(repo))[content.CARDS]
    assert after == before.replace(old, new)


@pytest.mark.parametrize(
    ("name", "collection", "old", "new"),
    [
        ("step-parts.md.j2", "steps", "## Why it matters", "## Why this matters"),
        ("source-parts.md.j2", "sources", "## What it recommends", "## Its advice"),
        ("story-parts.md.j2", "stories", "<strong>Fault:</strong>", "<strong>Whose fault:</strong>"),
    ],
)
def test_a_site_template_rewords_the_step_source_and_story_pages(repo, name, collection, old, new):
    kb = _load(repo)
    entries = getattr(kb, collection)
    before = [pages.decorate(kb, entry.src_uri, entry.body)[1] for entry in entries]
    assert old in _package(name) and all(old in page for page in before)
    _override(repo, _package(name).replace(old, new), f"overrides/turnaround/{name}")
    kb = _load(repo)
    assert [pages.decorate(kb, entry.src_uri, entry.body)[1] for entry in entries] == [
        page.replace(old, new) for page in before
    ]


def test_a_broken_story_template_is_located_before_any_page_is_decorated(repo):
    at = "overrides/turnaround/story-parts.md.j2"
    _override(repo, "{{ facts.setting }}\n\n{{ facts.settng }}\n", at)
    kb = _load(repo)
    [problem] = pages.template_problems(kb)
    assert (problem.path, problem.line, problem.code) == (at, 3, "page-template")
    # The build has the problem and stops before writing: the pages are left undecorated, not a traceback.
    story = kb.stories[0]
    assert pages.decorate(kb, story.src_uri, story.body) == ({}, story.body)


def test_without_overrides_the_packages_templates_are_used(repo):
    kb = _load(repo)
    assert kb.settings.templates_dir is None
    assert "## Sources and steps" in pages.generated_pages(kb)[content.CROSSWALKS]


def test_an_undefined_value_in_an_override_is_located_at_its_line(repo):
    _override(repo, "# Crosswalks\n\nfine\n\n{{ sorces_table }}\n")
    [problem] = pages.template_problems(_load(repo))
    assert (problem.path, problem.line, problem.code) == (OVERRIDE, 5, "page-template")
    assert "sorces_table" in problem.message


def test_a_syntax_error_in_an_override_is_located_at_its_line(repo):
    _override(repo, "# Crosswalks\n\n{% for x in %}\n")
    [problem] = pages.template_problems(_load(repo))
    assert (problem.path, problem.line, problem.code) == (OVERRIDE, 3, "page-template")


def test_check_rejects_a_broken_override_with_file_and_line(repo):
    _override(repo, "# Crosswalks\n\n{{ sorces_table }}\n")
    result = run_check(repo)
    assert result.returncode == 1
    assert f"{OVERRIDE}:3: file: template `crosswalks.md.j2`:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow
def test_the_build_stops_on_a_broken_override_and_publishes_an_overridden_page(repo, tmp_path):
    _override(repo, "# Crosswalks\n\n{{ sorces_table }}\n")
    failed = build_site(repo, tmp_path / "broken")
    assert failed.returncode != 0
    assert f"{OVERRIDE}:3:" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert not (tmp_path / "broken" / "crosswalks" / "index.html").exists()
    _override(repo, "# Crosswalks\n\nOur own words.\n")
    built = build_site(repo, tmp_path / "fixed")
    assert built.returncode == 0, built.stderr
    assert "Our own words." in (tmp_path / "fixed" / "crosswalks" / "index.html").read_text("utf-8")


@pytest.mark.slow
def test_the_build_stops_on_a_broken_story_template_with_its_file_and_line(repo, tmp_path):
    at = "overrides/turnaround/story-parts.md.j2"
    _override(repo, "{{ facts.setting }}\n\n{{ facts.settng }}\n", at)
    failed = build_site(repo, tmp_path / "broken")
    assert failed.returncode != 0
    assert f"{at}:3:" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert not (tmp_path / "broken" / "stories").exists()


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_a_value_in_a_template_is_escaped_as_markdown_text_unless_it_is_markdown(value):
    env = templating.environment(None)
    assert env.from_string("{{ value }}").render(value=value) == md.text(value)
    link = env.from_string("{{ link(value, 'steps/listen.md') }}").render(value=value, here="index.md")
    assert link == md.link(value, "index.md", "steps/listen.md")
