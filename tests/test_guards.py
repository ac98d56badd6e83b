"""Safety guards: every case is caught at its exact line, in `turnaround check` and in the strict build.

Each file in tests/fixtures/guards/ is a valid story (or step) with one planted
problem; EXPECTED holds the exact lines the check must print for it. A guard
that silently stops firing, or starts firing on ordinary text, fails here.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, build_site, check_lines, copy_repo, plant, story_front

from turnaround import frontmatter, guards, options
from turnaround.loader import load
from turnaround.model import Entry, KnowledgeBase
from turnaround.repository import Settings
from turnaround.vocabulary import Vocabularies

FIXTURES = ROOT / "tests" / "fixtures" / "guards"
GUARD_CODES = {
    "raw-html",
    "unsafe-url",
    "event-attribute",
    "unsafe-html",
    "unsafe-character",
    "personal-email",
    "personal-phone",
    "personal-name",
    "needless-opt-out",
    "todo",
}

EXPECTED = {
    "event-attribute-mixed-case.md": [
        (
            "stories/event-attribute-mixed-case.md:25: body: the attribute `OnMouseOver` is an event handler that "
            "would run code in readers' browsers; remove it [event-attribute]"
        ),
    ],
    "event-attribute.md": [
        (
            "stories/event-attribute.md:26: body: the attribute `onclick` is an event handler that would run code in "
            "readers' browsers; remove it [event-attribute]"
        ),
    ],
    "needless-opt-out.md": [
        (
            "stories/needless-opt-out.md:13: field `keeps_personal_data`: is set, but the story holds no e-mail "
            "address, phone number or name to keep; remove the field [needless-opt-out]"
        ),
    ],
    "no-false-alarm.md": [],
    "personal-email.md": [
        (
            "stories/personal-email.md:25: body: e-mail address `jane.doe@gmail.com` may be a real person's; remove "
            "it (addresses at example.com are fine), or if it must stay, add `keeps_personal_data:` saying who "
            "reviewed it and why [personal-email]"
        ),
    ],
    "personal-name.md": [
        (
            'stories/personal-name.md:20: body: `Jane Doe` looks like a real person\'s name; write "a guest" or "a '
            'regular" instead, or if it must stay, add `keeps_personal_data:` saying who reviewed it and why '
            "[personal-name]"
        ),
    ],
    "personal-opt-out.md": [],
    "personal-phone.md": [
        (
            "stories/personal-phone.md:25: body: phone number `(415) 555-0132` may be a real person's; remove it, or "
            "if it must stay, add `keeps_personal_data:` saying who reviewed it and why [personal-phone]"
        ),
    ],
    "raw-html-comment.md": [
        (
            "stories/raw-html-comment.md:25: body: an HTML comment `<!--` is not allowed in a story (readers' "
            "browsers receive it); delete it [raw-html]"
        ),
    ],
    "raw-html-entity.md": [
        (
            "stories/raw-html-entity.md:25: body: `&lt;` is an HTML entity for `<`; HTML tricks are not allowed in a "
            "story, write the words instead [raw-html]"
        ),
    ],
    "raw-html-tag.md": [
        (
            'stories/raw-html-tag.md:25: body: raw HTML `<b onmouseover="alert(1)">` is not allowed in a story; write '
            "plain Markdown instead (**bold**, *italic*, [a link](../steps/apologize.md)) [raw-html]"
        ),
    ],
    "step-unsafe-html.md": [
        (
            "docs/steps/check-back.md:28: body: the HTML element `<script>` can run code or change the page; leave it "
            "out [unsafe-html]"
        ),
        (
            "docs/steps/check-back.md:30: body: the `href` attribute `JaVaScRiPt:alert(1)` uses the `javascript:` "
            "scheme; only http://, https:// and mailto: links, or links to pages of this site, are allowed "
            "[unsafe-url]"
        ),
        (
            "docs/steps/check-back.md:31: body: the attribute `onerror` is an event handler that would run code in "
            "readers' browsers; remove it [event-attribute]"
        ),
    ],
    "todo-left.md": [
        (
            'stories/todo-left.md:20: body: placeholder still here: "TODO: say what the guest ordered."; replace the '
            "whole line with your own text [todo]"
        ),
    ],
    "unsafe-character-control.md": [
        (
            "stories/unsafe-character-control.md:2: field `title`: contains an invisible control character (U+202E); "
            "retype the text [unsafe-character]"
        ),
    ],
    "unsafe-character-quote.md": [
        (
            'stories/unsafe-character-quote.md:3: field `summary`: contains `"`; titles and summaries are plain text, '
            'so leave out <, > and " (write “ ” for quotes) [unsafe-character]'
        ),
    ],
    "unsafe-character-title.md": [
        (
            "stories/unsafe-character-title.md:2: field `title`: contains `<` and `>`; titles and summaries are plain "
            'text, so leave out <, > and " (write “ ” for quotes) [unsafe-character]'
        ),
    ],
    "unsafe-url-attribute.md": [
        (
            "stories/unsafe-url-attribute.md:25: body: the `href` attribute `javascript:alert(1)` uses the "
            "`javascript:` scheme; only http://, https:// and mailto: links, or links to pages of this site, are "
            "allowed [unsafe-url]"
        ),
    ],
    "unsafe-url-autolink.md": [
        (
            "stories/unsafe-url-autolink.md:25: body: autolink `javascript:alert(1)` uses the `javascript:` scheme; "
            "only http://, https:// and mailto: links, or links to pages of this site, are allowed [unsafe-url]"
        ),
    ],
    "unsafe-url-entity-decimal.md": [
        (
            "stories/unsafe-url-entity-decimal.md:25: body: link `&#106;avascript:alert(1)` uses the `javascript:` "
            "scheme (a browser reads it as `javascript:`); only http://, https:// and mailto: links, or links to "
            "pages of this site, are allowed [unsafe-url]"
        ),
    ],
    "unsafe-url-entity-hex.md": [
        (
            "stories/unsafe-url-entity-hex.md:25: body: link `jav&#x61;script:alert(1)` uses the `javascript:` scheme "
            "(a browser reads it as `javascript:`); only http://, https:// and mailto: links, or links to pages of "
            "this site, are allowed [unsafe-url]"
        ),
    ],
    "unsafe-url-image-data.md": [
        (
            "stories/unsafe-url-image-data.md:25: body: image `data:image/svg+xml;base64,PHN2ZyBvbmxvY…` uses the "
            "`data:` scheme; only http://, https:// and mailto: links, or links to pages of this site, are allowed "
            "[unsafe-url]"
        ),
    ],
    "unsafe-url-mixed-case.md": [
        (
            "stories/unsafe-url-mixed-case.md:25: body: link `JavaScript:alert(1)` uses the `javascript:` scheme; "
            "only http://, https:// and mailto: links, or links to pages of this site, are allowed [unsafe-url]"
        ),
    ],
    "unsafe-url-reference.md": [
        (
            "stories/unsafe-url-reference.md:27: body: link definition `VBScript:msgbox(1)` uses the `vbscript:` "
            "scheme; only http://, https:// and mailto: links, or links to pages of this site, are allowed "
            "[unsafe-url]"
        ),
    ],
    "unsafe-url-split-scheme.md": [
        (
            "stories/unsafe-url-split-scheme.md:25: body: link `java\\nscript:alert(1)` uses the `javascript:` scheme "
            "(a browser reads it as `javascript:`); only http://, https:// and mailto: links, or links to pages of "
            "this site, are allowed [unsafe-url]"
        ),
    ],
}


def planted_path(name: str) -> str:
    """Where a fixture goes in the repository: steps (`step-*.md`) into docs/steps/, the rest into stories/."""
    if name.startswith("step-"):
        return "docs/steps/" + name.removeprefix("step-").replace("unsafe-html", "check-back")
    return f"stories/{name}"


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> list[str]:
    """`turnaround check` run once on a copy of the repository with every fixture planted."""
    repo = copy_repo(tmp_path_factory.mktemp("guards") / "repo")
    plant(repo, FIXTURES, EXPECTED, planted_path)
    return check_lines(repo)


def test_every_fixture_has_its_expected_lines():
    assert sorted(p.name for p in FIXTURES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_guard_reports_its_case_at_the_exact_line(checked, name):
    path = planted_path(name)
    assert [line for line in checked if line.startswith(f"{path}:")] == EXPECTED[name]


def test_real_content_trips_no_guard():
    problems = [p for p in load(ROOT).problems if p.code in GUARD_CODES]
    assert problems == []


@pytest.mark.slow
def test_strict_build_fails_with_the_same_messages(tmp_path):
    # One build, with a fixture for every guard (mixed-case, entity-encoded and split links among them):
    # each message that check prints must be in the build log too.
    planted = [
        "raw-html-comment.md",
        "raw-html-entity.md",
        "unsafe-url-mixed-case.md",
        "unsafe-url-entity-hex.md",
        "unsafe-url-split-scheme.md",
        "event-attribute-mixed-case.md",
        "unsafe-character-quote.md",
        "personal-email.md",
        "personal-phone.md",
        "personal-name.md",
        "needless-opt-out.md",
        "todo-left.md",
        "step-unsafe-html.md",
    ]
    repo = copy_repo(tmp_path / "repo")
    plant(repo, FIXTURES, planted, planted_path)
    result = build_site(repo, tmp_path / "site")
    assert result.returncode != 0
    missing = [
        line for name in planted for line in EXPECTED[name] if not re.search(rf"(?m)^{re.escape(line)}$", result.stderr)
    ]
    assert missing == []


# ---------------------------------------------------------------- cases, in memory

FRONT = story_front(title="Cold soup", summary="A guest's soup arrives cold.", steps_taken="[]", compensation="[]")
BODY_LINE = FRONT.count("\n") + 1  # the first body line


def guard(body: str, front: str = FRONT, collection: str = "stories", region: str = "US") -> list[tuple[int, str]]:
    """(line, code) of every guard problem for one entry, checked in memory."""
    doc = frontmatter.parse_text(front + body, f"{collection}/x.md")
    assert doc.ok, doc.problems
    kb = KnowledgeBase(root=ROOT, settings=Settings(phone_region=region), vocab=Vocabularies())
    return sorted((p.line, p.code) for p in guards.check(Entry(collection, "x", ROOT / "x.md", doc), kb))


@pytest.mark.parametrize(
    "body",
    [
        "See <https://example.com/feedback> or <mailto:staff@example.com>.",
        "[the steps](../steps/apologize.md), [top](#situation), [site](//example.com/a)",
        '[a page](https://example.com/a "Title: with a colon")',
        "[a page](<../steps/apologize.md>)",
        "A wait of < 5 minutes, 2 > 1, and x<5.",
        "Inline `<script>alert(1)</script>` code is shown, not run.",
        '```html\n<script>alert(1)</script>\n<a href="javascript:x">\n```',
        "A note.\n{: .note #soup }",
        "Write to jane@example.com, ops@mail.example.org or x@example.net.",
        "Order #48213, $12.50, 2026-11-22, 7:45 pm, table 12, ISBN 978-0-306-40615-7.",
        "Room 1204, flight BA 117, gate B22, card ending 4242, between 9:00 and 17:30 on 12/11/2026.",
        "She called Room Service; a café named Blue Door; the manager called Head Office.",
        "Bell and Zemke named empathy as one of five parts.",
        "Caf&eacute; &amp; bar &mdash; fine.",
    ],
)
def test_ordinary_text_raises_no_alarm(body):
    assert guard(f"\n## Situation\n\n{body}\n") == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[x]( javascript:alert(1) )", "unsafe-url"),
        ("[x](<javascript:alert(1)>)", "unsafe-url"),
        ("[x](&#x6A;avascript&colon;alert(1))", "unsafe-url"),
        ("[x](javascript&#58;alert(1))", "unsafe-url"),
        ("[x](java&#x09;script:alert(1))", "unsafe-url"),
        ("[x](&#32;javascript:alert(1))", "unsafe-url"),
        ("[x](&amp;#106;avascript:alert(1))", "unsafe-url"),
        ("[x](file:///etc/passwd)", "unsafe-url"),
        ("![x](VBSCRIPT:msgbox)", "unsafe-url"),
        ("[x][a]\n\n[a]:\n  javascript:alert(1)", "unsafe-url"),
        ("<data:text/html,hi>", "unsafe-url"),
        ("[x](https://example.com){: HREF=javascript:alert(1) }", "unsafe-url"),
        ("A line.\n{: ONCLICK=alert(1) }", "event-attribute"),
        ("A line.\n{: onfocus }", "event-attribute"),
        ("## Situation {: onclick=x }", "event-attribute"),
        ("Two &#60;b&#62; tags", "raw-html"),
        ("A &LT;b&GT; tag", "raw-html"),
        ("A &lt tag without a semicolon", "raw-html"),
        ("<div markdown>x</div>", "raw-html"),
        ("<!DOCTYPE html>", "raw-html"),
        ("Mail jane&#64;gmail.com now.", "personal-email"),
        ("Call +1 650 253 0000.", "personal-phone"),
        ("Mrs Jones sent it back.", "personal-name"),
        ("Her name was Ann Lee.", "personal-name"),
        ("A man called John Smith.", "personal-name"),
        ("todo: finish this", "todo"),
    ],
)
def test_each_trick_is_caught_on_its_line(body, code):
    # The trick starts on the first line of `body`, but an attribute list or a URL on a line of its own.
    lines = body.split("\n")
    at = next(
        (i for i, line in enumerate(lines) if i and (line.startswith("{:") or line.strip().startswith("javascript:"))),
        0,
    )
    problems = guard(f"\n## Situation\n\nFirst line.\n{body}\n")
    assert (BODY_LINE + 4 + at, code) in problems


def test_a_link_split_over_two_lines_is_reported_where_it_starts():
    assert guard("\n## Situation\n\n[x](java\nscript:alert(1))\n") == [(BODY_LINE + 3, "unsafe-url")]


def test_steps_and_sources_may_use_layout_html_but_nothing_that_runs():
    assert guard('\n<div class="grid cards" markdown>\n\n- x\n\n</div>\n', collection="steps") == []
    body = '\n<iframe src="https://example.com"></iframe>\n<p onclick="x">a</p>\n<a href="data:text/html,x">b</a>\n'
    assert guard(body, collection="sources") == [
        (BODY_LINE + 1, "unsafe-html"),
        (BODY_LINE + 2, "event-attribute"),
        (BODY_LINE + 3, "unsafe-url"),
    ]


def test_personal_data_guards_apply_to_stories_only():
    assert guard("\nCall (415) 555-0132.\n", collection="steps") == []


def test_front_matter_text_is_judged_at_its_key_line():
    front = FRONT.replace(
        "summary: A guest's soup arrives cold.", "summary: |\n  A guest's soup\n  arrives <b>cold</b>."
    )
    front = front.replace("steps_taken: []", "steps_taken: []\ntags: [drinks]\ndo:\n  - '[x](javascript:alert(1))'")
    problems = guard("\n## Situation\n\nx\n", front=front)
    assert problems == [(3, "unsafe-character"), (13, "unsafe-url")]


def test_phone_numbers_are_read_with_the_configured_region():
    body = "\nCall 020 7946 0958.\n"
    assert guard(body, region="US") == []
    assert guard(body, region="GB") == [(BODY_LINE + 1, "personal-phone")]
    assert options.load(ROOT / "mkdocs.yml").phone_region == "US"


def test_a_reviewed_opt_out_keeps_personal_data_and_an_empty_one_does_not():
    front = FRONT.replace("reviewed:", "keeps_personal_data: Reviewed by the privacy lead; the guest asked.\nreviewed:")
    assert guard("\nCall (415) 555-0132.\n", front=front) == []
    assert guard("\nNo number here.\n", front=front) == [(13, "needless-opt-out")]
    blank = FRONT.replace("reviewed:", "keeps_personal_data: ''\nreviewed:")
    assert guard("\nCall (415) 555-0132.\n", front=blank) == [(BODY_LINE + 2, "personal-phone")]


def test_todo_placeholders_are_found_in_front_matter_but_not_in_code():
    front = FRONT.replace("summary: A guest's soup arrives cold.", "summary: 'TODO: one or two sentences'")
    assert guard("\n```\nTODO: inside code is an example\n```\n", front=front) == [(3, "todo")]


def test_url_scheme_reads_urls_as_a_browser_does():
    assert guards.url_scheme("JaVa&#x53;cript:x") == "javascript"
    assert guards.url_scheme("\x01 java\tscript:x") == "javascript"
    assert guards.url_scheme("../steps/apologize.md") is None
    assert guards.url_scheme("java script:x") is None
