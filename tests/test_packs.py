"""Session packs: which stories each pack holds and what its guide says, then the pack's PDFs read back.

The model is checked on the real content and on small knowledge bases made
from the real records (`model.record`), the PDFs on the files `turnaround
cards` writes, read back with pypdf, pdftotext and pdffonts.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from turnaround.cards.packs import MIN_STORIES, QUESTIONS, packs
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
