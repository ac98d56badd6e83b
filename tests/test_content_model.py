"""The loader and validator: one planted mistake per rule, each at its exact line.

Each test writes one story (or step, or source) into a private copy of the
repository and asserts the exact one-line message `turnaround check` prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from turnaround.content import ALIAS_COUNT, ALIAS_LENGTH
from turnaround.loader import load
from turnaround.vocabulary import load_vocabularies

# A valid story; line numbers below refer to this text (line 1 is the opening `---`).
ROOT = Path(__file__).resolve().parent.parent
STORY = """\
---
title: Cold soup at lunch
summary: A diner's soup arrives cold; the server brings a hot bowl and apologises.
setting: restaurant
failure: product-defect
severity: minor
fault: at-fault
steps_taken: [listen, apologize, resolve]
steps_missed: [thank]
compensation: [replacement]
outcome: won-back
provenance: first-hand
tags: [soup]
reviewed: 2026-11-22
---

## Situation

A diner's soup arrives barely warm on a busy lunch shift.

## What staff did

The server listened, said sorry and brought a hot bowl at once.

## Outcome

The diner finished the meal and came back the next week.

## Better recovery

A word of [thanks](../steps/thank.md) for saying so would have closed it well.
"""


def plant(repo: Path, text: str | bytes, name: str = "planted.md", folder: str = "stories") -> Path:
    """Write one content file into the repository copy."""
    path = repo / folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def messages(repo: Path, rel: str = "stories/planted.md") -> list[str]:
    """Every problem the loader finds in one file, as check prints them."""
    return [str(p) for p in load(repo).problems if p.path == rel]


def test_the_real_repository_is_clean():
    root = Path(__file__).resolve().parent.parent
    kb = load(root)
    assert [str(p) for p in kb.problems] == []
    assert [s.id for s in kb.steps] == [
        "listen",
        "empathize",
        "apologize",
        "resolve",
        "compensate",
        "thank",
        "follow-up",
        "prevent",
    ]
    # Every source and story file is loaded, however many the repository holds.
    assert {s.id for s in kb.sources} == {p.stem for p in (root / "docs" / "sources").glob("*.md")} != set()
    assert {s.id for s in kb.stories} == {p.stem for p in (root / "stories").glob("*.md")} != set()


def test_a_valid_story_loads_with_no_problem(repo):
    plant(repo, STORY)
    assert messages(repo) == []
    story = load(repo).story("planted")
    assert story.meta["steps_taken"] == ["listen", "apologize", "resolve"]
    assert story.reviewed.isoformat() == "2026-11-22"


# ---------------------------------------------------------------- files that cannot be read


def test_empty_file_is_reported(repo):
    plant(repo, "")
    assert messages(repo) == [
        (
            "stories/planted.md:1: file: is empty; start it with a front matter block between two `---` lines (copy "
            "an existing story) [empty-file]"
        )
    ]


def test_byte_order_mark_is_reported(repo):
    plant(repo, b"\xef\xbb\xbf" + STORY.encode())
    assert messages(repo) == [
        "stories/planted.md:1: file: starts with a byte-order mark (BOM); save it as UTF-8 without BOM [bom]"
    ]


def test_file_not_in_utf8_is_located(repo):
    plant(repo, STORY.replace("Cold soup", "Caf\xe9 soup").encode("latin-1"))
    assert messages(repo) == [
        "stories/planted.md:2: file: is not valid UTF-8 (byte 0xe9); save it with UTF-8 encoding [not-utf8]"
    ]


def test_missing_front_matter_is_reported(repo):
    plant(repo, "## Situation\n\nNo front matter here.\n")
    assert messages(repo) == [
        (
            "stories/planted.md:1: file: has no front matter; the first line must be `---`, followed by the fields "
            "and another `---` [no-front-matter]"
        )
    ]


def test_unclosed_front_matter_is_reported(repo):
    plant(repo, STORY.replace("reviewed: 2026-11-22\n---\n", "reviewed: 2026-11-22\n"))
    assert messages(repo) == [
        (
            "stories/planted.md:1: file: front matter is never closed; add a line `---` after the last field "
            "[no-front-matter]"
        )
    ]


def test_front_matter_that_is_a_list_is_reported(repo):
    plant(repo, "---\n- title\n- summary\n---\n\n## Situation\n\nx\n")
    assert messages(repo) == [
        (
            "stories/planted.md:2: file: front matter must be a set of `name: value` fields, not a single value or a "
            "list [not-a-mapping]"
        )
    ]


def test_yaml_syntax_error_is_located(repo):
    plant(repo, STORY.replace("setting: restaurant", "setting: [restaurant"))
    found = messages(repo)
    assert len(found) == 1 and found[0].startswith("stories/planted.md:5: file: front matter is not valid YAML:")


# ---------------------------------------------------------------- PyYAML traps


def test_duplicate_key_is_reported_not_silently_overwritten(repo):
    plant(repo, STORY.replace("outcome: won-back\n", "outcome: won-back\noutcome: lost\n"))
    assert messages(repo) == [
        "stories/planted.md:12: field `outcome`: is given twice (first on line 11); keep one [duplicate-key]"
    ]


def test_unquoted_yes_in_a_text_field_is_explained(repo):
    plant(repo, STORY.replace("title: Cold soup at lunch", "title: yes"))
    assert messages(repo) == [
        (
            "stories/planted.md:2: field `title`: expected text, got a boolean (true/false, yes/no, on/off); put it "
            'in quotes: "yes" [wrong-type]'
        )
    ]


def test_number_that_loses_its_zero_is_explained(repo):
    plant(repo, STORY.replace("tags: [soup]", "tags: [1.10]"))
    assert messages(repo) == [
        'stories/planted.md:13: field `tags[0]`: expected text, got a number; put it in quotes: "1.10" [wrong-type]'
    ]


def test_impossible_date_is_located(repo):
    plant(repo, STORY.replace("reviewed: 2026-11-22", "reviewed: 2026-13-40"))
    assert messages(repo) == [
        "stories/planted.md:14: field `reviewed`: `2026-13-40` is not a real date; use YYYY-MM-DD [bad-date]"
    ]


def test_python_tag_is_refused_and_never_constructed(repo):
    plant(repo, STORY.replace("title: Cold soup at lunch", "title: !!python/object/apply:os.system ['touch pwned']"))
    assert messages(repo) == [
        (
            "stories/planted.md:2: field `title`: uses the YAML tag "
            "`tag:yaml.org,2002:python/object/apply:os.system`; plain values only (remove the `!` tag) [yaml-tag]"
        )
    ]
    assert not (repo / "pwned").exists()


def test_alias_is_refused(repo):
    plant(
        repo,
        STORY.replace("steps_taken: [listen, apologize, resolve]", "steps_taken: &s [listen]").replace(
            "steps_missed: [thank]", "steps_missed: *s"
        ),
    )
    assert messages(repo) == [
        (
            "stories/planted.md:9: field `steps_missed`: uses a YAML alias (`*name`); write the value out in full "
            "[yaml-alias]"
        )
    ]


# ---------------------------------------------------------------- the schema


def test_missing_required_field_names_it(repo):
    plant(repo, STORY.replace("outcome: won-back\n", ""))
    assert messages(repo) == [
        (
            "stories/planted.md:14: field `outcome`: is missing; add `outcome:` to the front matter (How it ended, as "
            "far as the story tells.) [missing-field]"
        )
    ]


def test_unknown_field_suggests_the_right_one(repo):
    plant(repo, STORY.replace("steps_missed:", "step_missed:"))
    assert messages(repo) == [
        (
            "stories/planted.md:9: field `step_missed`: is not a field of this collection; did you mean "
            "`steps_missed`? [unknown-field]"
        ),
        (
            "stories/planted.md:15: field `steps_missed`: is missing; add `steps_missed:` to the front matter (The "
            "recovery steps staff missed (step ids; may be empty).) [missing-field]"
        ),
    ]


def test_unknown_vocabulary_value_suggests_the_right_one(repo):
    plant(repo, STORY.replace("setting: restaurant", "setting: resturant"))
    assert messages(repo) == [
        "stories/planted.md:4: field `setting`: unknown value `resturant`; did you mean `restaurant`? [unknown-value]"
    ]


def test_unknown_value_without_a_close_match_lists_the_values(repo):
    plant(repo, STORY.replace("outcome: won-back", "outcome: happy"))
    assert messages(repo) == [
        (
            "stories/planted.md:11: field `outcome`: unknown value `happy`; expected one of: `won-back`, `lost`, "
            "`unknown` [unknown-value]"
        )
    ]


def test_too_long_title_says_by_how_much(repo):
    plant(repo, STORY.replace("title: Cold soup at lunch", "title: " + "x" * 95))
    assert messages(repo) == [
        "stories/planted.md:2: field `title`: is 95 characters long; at most 90 fit (cut 5) [too-long]"
    ]


def test_tag_that_is_not_an_id_shows_the_fix(repo):
    plant(repo, STORY.replace("tags: [soup]", "tags: [Hot Soup]"))
    assert messages(repo) == [
        (
            "stories/planted.md:13: field `tags[0]`: `Hot Soup` is not an id; use lowercase words joined by hyphens, "
            "like `hot-soup` [bad-id]"
        )
    ]


def test_quoted_date_that_is_not_a_date_is_reported(repo):
    plant(repo, STORY.replace("reviewed: 2026-11-22", 'reviewed: "last week"'))
    assert messages(repo) == [
        "stories/planted.md:14: field `reviewed`: `last week` is not a date; use YYYY-MM-DD, like 2026-11-22 [bad-date]"
    ]


def test_file_name_must_be_an_id(repo):
    plant(repo, STORY, name="Cold_Soup.md")
    assert messages(repo, "stories/Cold_Soup.md") == [
        (
            "stories/Cold_Soup.md:1: file: file name `Cold_Soup.md` is not an id; rename it to `cold-soup.md` "
            "(lowercase words joined by hyphens) [bad-id]"
        )
    ]


# ---------------------------------------------------------------- references, second pass


def test_dangling_step_reference_fails_with_a_suggestion(repo):
    plant(repo, STORY.replace("steps_taken: [listen, apologize, resolve]", "steps_taken: [listen, apologise, resolve]"))
    assert messages(repo) == [
        (
            "stories/planted.md:8: field `steps_taken[1]`: unknown step `apologise`; did you mean `apologize`? "
            "[unknown-step]"
        )
    ]


def test_dangling_source_reference_fails(repo):
    plant(
        repo,
        STORY.replace("tags: [soup]", "tags: [soup]\nsource: no-such-article").replace(
            "provenance: first-hand", "provenance: source-article"
        ),
    )
    found = messages(repo)
    assert len(found) == 1 and found[0].startswith(
        "stories/planted.md:14: field `source`: unknown source `no-such-article`; expected one of: "
    )


def test_reference_to_a_deleted_step_is_caught_after_loading(repo):
    # The story is valid until the step it names disappears: the second pass must notice.
    plant(repo, STORY)
    (repo / "docs/steps/thank.md").unlink()
    found = messages(repo)
    assert "stories/planted.md:9: field `steps_missed[0]`: unknown step `thank`; did you mean `thank`?" not in found
    assert found[0].startswith("stories/planted.md:9: field `steps_missed[0]`: unknown step `thank`;")


def test_step_both_taken_and_missed_is_reported(repo):
    plant(repo, STORY.replace("steps_missed: [thank]", "steps_missed: [thank, listen]"))
    assert messages(repo) == [
        (
            "stories/planted.md:9: field `steps_missed[1]`: `listen` is also in `steps_taken`; a step is either taken "
            "or missed [taken-and-missed]"
        )
    ]


def test_source_recommending_an_unknown_step_is_reported(repo):
    path = repo / "docs/sources/can-you-fix-it.md"
    text = path.read_text("utf-8")
    first = text.index("steps: [")
    path.write_text(text[:first] + "steps: [apologise]" + text[text.index("]", first) + 1 :], "utf-8")
    line = text[:first].count("\n") + 1
    found = messages(repo, "docs/sources/can-you-fix-it.md")
    assert found == [
        (
            f"docs/sources/can-you-fix-it.md:{line}: field `recommends[0].steps[0]`: unknown step `apologise`; did "
            f"you mean `apologize`? [unknown-step]"
        )
    ]


def test_two_steps_with_the_same_order_are_reported(repo):
    path = repo / "docs/steps/thank.md"
    text = path.read_text("utf-8").replace("order: 6", "order: 5")
    path.write_text(text, "utf-8")
    line = text[: text.index("order: 5")].count("\n") + 1
    assert messages(repo, "docs/steps/thank.md") == [
        (
            f"docs/steps/thank.md:{line}: field `order`: 5 is also the order of `compensate`; each step needs its own "
            f"place [duplicate-order]"
        )
    ]


def test_step_with_too_many_do_items_is_reported(repo):
    path = repo / "docs/steps/listen.md"
    text = path.read_text("utf-8")
    text = text.replace("do:\n", "do:\n  - One more thing to do\n  - And another\n  - And a third\n", 1)
    path.write_text(text, "utf-8")
    line = text[: text.index("do:\n")].count("\n") + 1
    found = messages(repo, "docs/steps/listen.md")
    assert (
        len(found) == 1
        and found[0].startswith(f"docs/steps/listen.md:{line}: field `do`: has ")
        and found[0].endswith("items; at most 5 fit [too-many]")
    )


# ---------------------------------------------------------------- the body


def test_missing_section_is_named(repo):
    plant(repo, STORY.replace("## Outcome\n\nThe diner finished the meal and came back the next week.\n\n", ""))
    assert messages(repo) == [
        (
            "stories/planted.md:25: body: section `## Outcome` is missing; add it (the story needs `## Situation`, "
            "`## What staff did`, `## Outcome`, `## Better recovery`, in that order) [missing-section]"
        )
    ]


def test_sections_out_of_order_are_reported(repo):
    text = (
        STORY.replace("## Situation", "## TEMP")
        .replace("## What staff did", "## Situation")
        .replace("## TEMP", "## What staff did")
    )
    plant(repo, text)
    assert messages(repo) == [
        (
            "stories/planted.md:17: body: sections are out of order; expected `## Situation`, `## What staff did`, "
            "`## Outcome`, `## Better recovery` [section-order]"
        )
    ]


def test_empty_section_is_reported(repo):
    plant(repo, STORY.replace("The diner finished the meal and came back the next week.", ""))
    assert messages(repo) == [
        "stories/planted.md:25: body: section `## Outcome` is empty; write what it asks for [empty-section]"
    ]


def test_misspelt_section_suggests_the_right_one(repo):
    plant(repo, STORY.replace("## Better recovery", "## Better recoveries"))
    assert messages(repo) == [
        (
            "stories/planted.md:29: body: unexpected section `## Better recoveries`; did you mean `## Better "
            "recovery`? [unknown-section]"
        ),
        (
            "stories/planted.md:31: body: section `## Better recovery` is missing; add it (the story needs `## "
            "Situation`, `## What staff did`, `## Outcome`, `## Better recovery`, in that order) [missing-section]"
        ),
    ]


def test_overlong_section_says_it_will_not_fit_its_card(repo):
    plant(repo, STORY.replace("A diner's soup arrives barely warm on a busy lunch shift.", "word " * 200))
    found = messages(repo)
    assert found == [
        (
            "stories/planted.md:17: body: section `## Situation` has 999 characters; at most 650 fit on its card (cut "
            "349) [section-too-long]"
        )
    ]


def test_link_to_a_missing_page_is_located(repo):
    plant(repo, STORY.replace("../steps/thank.md", "../steps/thanks.md"))
    assert messages(repo) == [
        (
            "stories/planted.md:31: body: link `../steps/thanks.md` points at no page; did you mean "
            "`../steps/thank.md`? [broken-link]"
        )
    ]


def test_link_to_a_missing_anchor_is_located(repo):
    plant(repo, STORY.replace("../steps/thank.md", "../steps/thank.md#no-such-heading"))
    found = messages(repo)
    assert len(found) == 1 and found[0].startswith(
        "stories/planted.md:31: body: link `../steps/thank.md#no-such-heading`: no heading `#no-such-heading` on "
        "that page;"
    )


def test_link_to_an_existing_anchor_passes(repo):
    step = (repo / "docs/steps/thank.md").read_text("utf-8")
    heading = next(line[3:].strip() for line in step.splitlines() if line.startswith("## "))
    from markdown.extensions.toc import slugify

    plant(repo, STORY.replace("../steps/thank.md", f"../steps/thank.md#{slugify(heading, '-')}"))
    assert messages(repo) == []


@pytest.mark.parametrize("count", [3])
def test_every_error_is_reported_at_once_sorted_by_line(repo, count):
    text = (
        STORY.replace("setting: restaurant", "setting: resturant")
        .replace("outcome: won-back", "outcome: happy")
        .replace("## Outcome", "## Outcomes")
    )
    plant(repo, text)
    found = messages(repo)
    assert len(found) >= count
    lines = [int(m.split(":")[1]) for m in found]
    assert lines == sorted(lines)


def test_vocabulary_description_cut_by_a_comma_is_reported(repo):
    path = repo / "data/vocabularies.yml"
    text = path.read_text("utf-8").replace(
        "  bar:\n    label: Bar\n    description: A bar, pub or lounge.\n"
        "    aliases: [pub, bartender, drinks, beer, cocktail, lounge]",
        "  bar: {label: Bar, description: A bar, pub or lounge., aliases: [pub]}",
    )
    path.write_text(text, "utf-8")
    line = text[: text.index("  bar: {")].count("\n") + 1
    found = [str(p) for p in load(repo).problems if p.path == "data/vocabularies.yml"]
    assert found == [
        (
            f"data/vocabularies.yml:{line}: field `settings.bar`: has unknown keys `pub or lounge.`; if a description "
            f"holds a comma, write it on its own line or in quotes [vocabulary]"
        )
    ]


def test_unquoted_no_in_a_vocabulary_field_asks_for_a_value_not_quotes(repo):
    plant(repo, STORY.replace("fault: at-fault", "fault: no"))
    assert messages(repo) == [
        (
            "stories/planted.md:7: field `fault`: `no` was read as a boolean (true/false, yes/no, on/off), not as one "
            "of the values; expected one of: `at-fault`, `shared`, `no-fault`, `unknown` [unknown-value]"
        )
    ]


def test_empty_title_asks_for_text(repo):
    plant(repo, STORY.replace("title: Cold soup at lunch", "title:"))
    assert messages(repo) == ["stories/planted.md:2: field `title`: is empty; write something here [too-short]"]


@pytest.mark.parametrize(
    "aliases",
    ["money back", "[money back, 42]", "[" + ", ".join(["word"] * 17) + "]", "[" + "x" * 41 + "]", "['  ']"],
)
def test_a_vocabulary_values_aliases_that_are_no_list_of_short_words_are_reported_at_their_line(repo, aliases):
    path = repo / "data/vocabularies.yml"
    text = path.read_text("utf-8")
    written = "    aliases: [money back, refunded, reimbursed, paid back]"
    assert written in text
    text = text.replace(written, f"    aliases: {aliases}")
    path.write_text(text, "utf-8")
    line = text[: text.index("  refund:\n")].count("\n") + 1
    found = [str(p) for p in load(repo).problems if p.path == "data/vocabularies.yml"]
    assert found == [
        f"data/vocabularies.yml:{line}: field `compensation.refund.aliases`: must be a list of at most 16 words or "
        "phrases staff use, each 1 to 40 characters, such as `aliases: [money back, refunded]` [vocabulary]"
    ]


def test_every_vocabulary_value_and_step_says_which_words_staff_use_for_it():
    kb = load(Path(__file__).resolve().parent.parent)
    bare = [f"{name}.{value}" for name, terms in kb.vocab.terms.items() for value, term in terms.items()]
    bare = [v for v in bare if not kb.vocab.terms[v.split(".")[0]][v.split(".", 1)[1]].aliases]
    bare += [f"steps/{step.id}" for step in kb.steps if not step.aliases]
    assert bare == []


# Any value a contributor might write as a term's `aliases`: lists of text, numbers and nothing, or no list.
# (Printable text: control characters make the whole file unreadable YAML, which its own test covers.)
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\x85")
ALIAS_VALUES = st.recursive(
    st.none() | st.integers() | st.text(PRINTABLE, max_size=50),
    lambda inner: st.lists(inner, max_size=20) | st.dictionaries(st.text(PRINTABLE, max_size=5), inner, max_size=2),
    max_leaves=25,
)


@settings(max_examples=120, deadline=None)
@given(value=ALIAS_VALUES)
def test_any_aliases_value_is_taken_or_reported_once_at_its_term_never_a_crash(tmp_path_factory, value):
    root = tmp_path_factory.mktemp("vocabulary")
    (root / "data").mkdir()
    text = (ROOT / "data/vocabularies.yml").read_text("utf-8")
    written = "    aliases: [money back, refunded, reimbursed, paid back]"
    # JSON is YAML: the value exactly as generated.
    text = text.replace(written, f"    aliases: {json.dumps(value, ensure_ascii=False)}")
    (root / "data/vocabularies.yml").write_text(text, "utf-8")
    vocab, problems = load_vocabularies(root)
    valid = (
        isinstance(value, list)
        and len(value) <= ALIAS_COUNT
        and all(isinstance(v, str) and ALIAS_LENGTH[0] <= len(v.strip()) <= ALIAS_LENGTH[1] for v in value)
    )
    line = text[: text.index("  refund:\n")].count("\n") + 1
    if valid:
        assert problems == [] and vocab["compensation"]["refund"].aliases == tuple(value)
    else:
        assert [(p.line, p.field) for p in problems] == [(line, "compensation.refund.aliases")]
        assert "refund" not in vocab["compensation"]
