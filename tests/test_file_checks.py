"""The site build keeps each file's own checks by content: a warm store finds exactly what a full check finds."""

from __future__ import annotations

import shutil

import pytest

from turnaround import file_checks, frontmatter
from turnaround.loader import load

# A story with problems of every kind a file can have on its own, and one link to a missing page.
BROKEN = """---
title: Cold soup, cold welcome
summary: A diner's soup arrives cold and a waiter shrugs.
setting: resturant
failure: product-defect
severity: minor
fault: at-fault
steps_taken: [listen, apologise]
steps_missed: [resolve]
compensation: [none]
outcome: lost
provenance: first-hand
tags: [soup]
reviewed: 2026-11-20
---

## Situation

TODO: say where it happened. Call her on 202-555-0143 if unclear.

## What staff did

The waiter shrugged ([see](../steps/nowhere.md)).

## Better recovery

Replace the soup at once.
"""


def problems(kb) -> list[str]:
    return [str(p) for p in kb.problems]


@pytest.fixture
def broken_repo(repo):
    (repo / "stories" / "cold-soup.md").write_text(BROKEN, "utf-8")
    return repo


def test_stored_checks_find_the_same_problems_as_a_full_check(broken_repo):
    full = problems(load(broken_repo))
    assert len([p for p in full if "cold-soup" in p]) >= 6  # the planted problems are found at all
    assert problems(load(broken_repo, cache=True)) == full  # store empty: everything checked
    assert list((broken_repo / ".cache" / "checks").glob("*.pickle"))
    assert problems(load(broken_repo, cache=True)) == full  # store warm


def test_a_warm_store_reads_no_front_matter_again(broken_repo, monkeypatch):
    load(broken_repo, cache=True)

    def refuse(raw, rel):
        raise AssertionError(f"{rel} was parsed again")

    monkeypatch.setattr(frontmatter, "from_bytes", refuse)
    kb = load(broken_repo, cache=True)
    assert {s.id for s in kb.stories} >= {"cold-soup"} and kb.story("cold-soup").anchors == {
        "situation",
        "what-staff-did",
        "better-recovery",
    }


def test_a_changed_file_is_checked_again(broken_repo):
    load(broken_repo, cache=True)
    story = broken_repo / "stories" / "cold-soup.md"
    story.write_text(
        BROKEN.replace("setting: resturant", "setting: restaurant").replace("outcome: lost", "outcome: maybe"), "utf-8"
    )
    found = problems(load(broken_repo, cache=True))
    assert not any("resturant" in p for p in found)
    assert any(p.startswith("stories/cold-soup.md:11: field `outcome`: unknown value `maybe`") for p in found)
    assert found == problems(load(broken_repo))


def test_a_changed_vocabulary_drops_the_stored_checks(broken_repo):
    load(broken_repo, cache=True)
    vocabularies = broken_repo / "data" / "vocabularies.yml"
    text = vocabularies.read_text("utf-8")
    assert "\n  product-defect:" in text
    vocabularies.write_text(text.replace("\n  product-defect:", "\n  spoiled-product:"), "utf-8")
    found = problems(load(broken_repo, cache=True))
    assert any("field `failure`: unknown value `product-defect`" in p for p in found)
    assert found == problems(load(broken_repo))
    assert len(list((broken_repo / ".cache" / "checks").glob("*.pickle"))) == 1  # the old store is gone


def test_a_damaged_store_is_ignored(broken_repo):
    full = problems(load(broken_repo))
    load(broken_repo, cache=True)
    for store in (broken_repo / ".cache" / "checks").glob("*.pickle"):
        store.write_bytes(b"not a pickle")
    assert problems(load(broken_repo, cache=True)) == full


def test_a_moved_repository_points_at_its_new_files(broken_repo, tmp_path):
    load(broken_repo, cache=True)
    moved = tmp_path / "moved"
    shutil.copytree(broken_repo, moved)
    kb = load(moved, cache=True)
    assert all(moved in entry.path.parents for entry in kb.entries())
    assert problems(kb) == problems(load(broken_repo))


def test_the_rules_digest_follows_the_settings(repo):
    first = file_checks.rules_digest(repo, file_checks.Settings())
    assert first == file_checks.rules_digest(repo, file_checks.Settings())
    assert first != file_checks.rules_digest(repo, file_checks.Settings(phone_region="GB"))


def test_links_to_other_pages_are_checked_again_with_a_warm_store(broken_repo):
    stories = broken_repo / "stories"
    other = next(p for p in sorted(stories.glob("*.md")) if p.name != "cold-soup.md")
    story = stories / "cold-soup.md"
    story.write_text(BROKEN.replace("([see](../steps/nowhere.md))", f"([see]({other.name}))"), "utf-8")
    assert not any("broken-link" in p for p in problems(load(broken_repo, cache=True)))
    other.unlink()
    found = problems(load(broken_repo, cache=True))
    assert any(p.startswith("stories/cold-soup.md:23: body: link `") and "points at no page" in p for p in found)
    assert found == problems(load(broken_repo))
