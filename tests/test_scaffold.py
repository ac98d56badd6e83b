"""`turnaround new-story`: a scaffolded story fails the check on its TODO lines, and passes once they are filled."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_check
from hypothesis import given, settings
from hypothesis import strategies as st

from turnaround import frontmatter, scaffold
from turnaround.model import build_date

FLAGS = [
    "--title",
    "Cold soup: yes, swapped at once",
    "--summary",
    "A guest's soup arrives cold; the server swaps it and takes it off the bill. The guest comes back.",
    "--setting",
    "restaurant",
    "--failure",
    "product-defect",
    "--severity",
    "minor",
    "--fault",
    "at-fault",
    "--steps-taken",
    "apologize,resolve",
    "--steps-missed",
    "follow-up",
    "--compensation",
    "price-adjustment",
    "--outcome",
    "won-back",
    "--provenance",
    "first-hand",
    "--tags",
    "soup, Lunch Rush",
]
STORY = "stories/cold-soup-yes-swapped-at-once.md"


def new_story(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `turnaround new-story` in a repository, with no terminal attached."""
    return subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "new-story", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_a_story_scaffolded_with_flags_fails_on_its_todo_lines_then_passes_when_filled(repo):
    made = new_story(repo, *FLAGS)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == STORY
    path = repo / STORY
    text = path.read_text("utf-8")
    todo_lines = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith("TODO:")]
    assert len(todo_lines) == 4

    checked = run_check(repo, STORY)
    assert checked.returncode == 1
    reported = [line for line in checked.stdout.splitlines() if line]
    assert [int(line.split(":")[1]) for line in reported] == todo_lines
    assert all(line.endswith("[todo]") for line in reported)

    path.write_text(
        re.sub(r"^TODO:.*$", "The server noticed, said sorry and swapped the bowl at once.", text, flags=re.M), "utf-8"
    )
    passed = run_check(repo, STORY)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_the_file_has_every_field_in_order_with_today_as_reviewed(repo):
    assert new_story(repo, *FLAGS).returncode == 0
    doc = frontmatter.read(repo / STORY, STORY)
    assert doc.ok
    assert list(doc.meta) == [name for name in scaffold.ORDER if name not in ("source", "citations")]
    assert doc.meta["title"] == "Cold soup: yes, swapped at once"
    assert doc.meta["tags"] == ["soup", "lunch-rush"]
    assert doc.meta["steps_missed"] == ["follow-up"]
    assert doc.meta["reviewed"] == build_date()  # the date `turnaround check` compares it with
    assert "[follow-up](../steps/follow-up.md)" in doc.body


def test_it_never_overwrites_a_file(repo):
    assert new_story(repo, *FLAGS).returncode == 0
    (repo / STORY).write_text("mine", "utf-8")
    again = new_story(repo, *FLAGS)
    assert again.returncode == 2
    assert f"{STORY} already exists" in again.stderr
    assert (repo / STORY).read_text("utf-8") == "mine"


def test_an_unknown_value_exits_2_with_a_suggestion(repo):
    result = new_story(
        repo, "--title", "Cold soup", "--setting", "resturant", "--failure", "product-defect", "--severity", "minor"
    )
    assert result.returncode == 2
    assert "--setting: unknown value `resturant`; did you mean `restaurant`?" in result.stderr
    step = new_story(
        repo,
        "--title",
        "Cold soup",
        "--setting",
        "cafe",
        "--failure",
        "product-defect",
        "--severity",
        "minor",
        "--steps-taken",
        "apologise",
    )
    assert "--steps-taken: unknown value `apologise`; did you mean `apologize`?" in step.stderr
    assert not list((repo / "stories").glob("cold-soup*.md"))


def test_missing_answers_without_a_terminal_exit_2_naming_the_flags(repo):
    result = new_story(repo, "--title", "Cold soup")
    assert result.returncode == 2
    assert "missing --setting, --failure, --severity" in result.stderr


def test_a_title_the_check_would_refuse_is_refused_before_writing(repo):
    result = new_story(
        repo,
        "--title",
        'The "best" <b>soup</b>',
        "--setting",
        "cafe",
        "--failure",
        "product-defect",
        "--severity",
        "minor",
    )
    assert result.returncode == 2
    assert "--title: contains" in result.stderr
    taken = new_story(
        repo,
        *FLAGS[:2],
        "--setting",
        "cafe",
        "--failure",
        "product-defect",
        "--severity",
        "minor",
        "--steps-taken",
        "thank",
        "--steps-missed",
        "thank",
    )
    assert taken.returncode == 2
    assert "a step is either taken or missed" in taken.stderr


def test_in_a_terminal_it_asks_for_each_field_offering_the_values(repo, monkeypatch):
    monkeypatch.chdir(repo)
    answers = iter(
        [
            "Iced tea, no apology",
            "",
            "2",
            "wrong-ordr",
            "wrong-order",
            "",
            "moderate",
            "",
            "1, apologize",
            "",
            "refund",
            "",
            "",
            "first-hand",
            "drinks",
        ]
    )
    said: list[str] = []
    args = argparse.Namespace(**{name: None for name in scaffold.ORDER}, id=None)
    code = scaffold.run(args, read=lambda prompt: next(answers), say=said.append, interactive=True)
    assert code == 0
    shown = "\n".join(said)
    assert "restaurant" in shown and "A sit-down place that serves meals at the table." in shown
    assert "did you mean `wrong-order`?" in shown
    assert "is needed" in shown  # severity has no default
    doc = frontmatter.read(repo / "stories/iced-tea-no-apology.md", "x")
    assert doc.meta["setting"] == "cafe"  # chosen by its number
    assert doc.meta["failure"] == "wrong-order"
    assert doc.meta["fault"] == "unknown"  # the default
    assert doc.meta["steps_taken"] == ["listen", "apologize"]
    assert doc.meta["summary"].startswith("TODO:")
    assert "is needed" in shown.split("Provenance:")[1]  # provenance has no default
    assert doc.meta["provenance"] == "first-hand"
    assert "source" not in doc.meta and "citations" not in doc.meta


def test_a_public_report_is_asked_for_its_report_and_a_bad_one_is_refused(repo, monkeypatch):
    monkeypatch.chdir(repo)
    report = "BBC News | A guitar broken in transit | 2009-07-23 | https://www.bbc.co.uk/news/example"
    answers = iter(
        [
            "A broken guitar",
            "",
            "airline",
            "product-defect",
            "",
            "major",
            "",
            "",
            "",
            "",
            "lost",
            "public-report",
            "BBC News | A title | 23/07/2009 | https://x.example",
            "BBC | A title | 2009-07-23 | www.bbc.co.uk",
            report,
            "",
        ]
    )
    said: list[str] = []
    args = argparse.Namespace(**{name: None for name in scaffold.ORDER}, id=None)
    assert scaffold.run(args, read=lambda prompt: next(answers), say=said.append, interactive=True) == 0
    shown = "\n".join(said)
    assert "`23/07/2009` is not a date" in shown
    assert "does not start with http:// or https://" in shown
    assert "Source:" not in shown  # a public report names no source article
    doc = frontmatter.read(repo / "stories/a-broken-guitar.md", "x")
    assert doc.meta["provenance"] == "public-report"
    assert doc.meta["citations"] == [
        {
            "publisher": "BBC News",
            "title": "A guitar broken in transit",
            "date": dt.date(2009, 7, 23),
            "url": "https://www.bbc.co.uk/news/example",
        }
    ]


def test_a_source_article_story_needs_its_source(repo):
    result = new_story(repo, *FLAGS[:-2], "--provenance", "source-article")
    assert result.returncode == 2
    assert "--source" in result.stderr


def test_the_blank_template_has_every_story_field_and_fails_until_filled(repo):
    from turnaround.schema import story_schema

    context = scaffold.load_context(ROOT)
    text = scaffold.template(context)
    doc = frontmatter.parse_text(text, "stories/blank.md")
    assert set(doc.meta) == set(story_schema(context.vocab)["properties"]) - {"keeps_personal_data"}
    (repo / "stories/blank.md").write_text(text, "utf-8")
    result = run_check(repo, "stories/blank.md")
    assert result.returncode == 1
    assert "field `title`: is empty; write something here" in result.stdout
    assert result.stdout.count("[todo]") == 4


VOCAB = scaffold.load_context(ROOT).vocab


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"), blacklist_characters='<>"'),
        min_size=1,
        max_size=90,
    )
)
def test_any_title_is_written_so_that_it_reads_back_as_the_same_text(title):
    title = title.strip() or "x"
    context = scaffold.Context(ROOT, VOCAB)
    values = {
        "title": title,
        "summary": "yes",
        "setting": "cafe",
        "failure": "wrong-order",
        "severity": "minor",
        "fault": "no",
        "steps_taken": [],
        "steps_missed": [],
        "compensation": ["none"],
        "outcome": "lost",
        "tags": [],
        "reviewed": dt.date(2026, 11, 22),
    }
    doc = frontmatter.parse_text(scaffold.render(values, context), "stories/x.md")
    assert doc.ok
    assert doc.meta["title"] == title
    assert doc.meta["summary"] == "yes" and doc.meta["fault"] == "no"


def test_slugs_are_lowercase_ascii_words_cut_at_a_word():
    assert scaffold.slug("Café: “Crème brûlée” — burnt!") == "cafe-creme-brulee-burnt"
    long = scaffold.slug("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")
