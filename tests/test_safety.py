"""Safe output by construction: each class of unsafe or private content is caught at its line by
`turnaround check`, and again by the strict build in the page's rendered HTML (the allow-list of
safe_html), naming the story.

Each file in tests/fixtures/safety/ is a valid story (or step) with one planted case; EXPECTED holds
the exact lines the check prints for it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import EPOCH, EPOCH_DATE, ROOT, build_site, check_lines, copy_repo, plant, run_check
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from turnaround import frontmatter, guards, safe_html
from turnaround.model import Entry, KnowledgeBase
from turnaround.repository import Settings
from turnaround.vocabulary import Vocabularies

FIXTURES = ROOT / "tests" / "fixtures" / "safety"
# The classes the allow-list of built pages also catches, so the build names them a second time.
ALLOW_LIST_CODES = {"unsafe-attribute", "event-attribute", "external-resource", "unsafe-url", "unsafe-html"}

EXPECTED = {
    "card-number.md": [
        (
            "stories/card-number.md:25: body: `4111-1111-1111-1111` is a payment card number; remove it: a card "
            'number must never be in a story (write "her card", or at most "the card ending 1111") [personal-card]'
        ),
    ],
    "dots-end.md": [],
    "event-handler-link.md": [
        (
            "stories/event-handler-link.md:25: body: the attribute `onpointerenter` is an event handler that would "
            "run code in readers' browsers; remove it [event-attribute]"
        ),
    ],
    "external-image.md": [
        (
            "stories/external-image.md:25: body: image `https://tracker.example.net/pixel.gif` is not on this site: "
            "the browser would load it from another host (a tracking pixel reports who reads the page, and the site "
            "promises to load nothing from outside); put the file in the repository and use a relative path, or make "
            "it a link [external-resource]"
        ),
    ],
    "external-ping.md": [
        (
            "stories/external-ping.md:25: body: the `ping` attribute `https://tracker.example.net/beacon` is not a "
            "path on this site: the browser would load it from outside (a tracking pixel reports who reads the page, "
            "and the site promises to load nothing from outside); put the file in the repository and use a relative "
            "path, or link to it instead [external-resource]"
        ),
    ],
    "future-reviewed.md": [
        (
            f"stories/future-reviewed.md:13: field `reviewed`: 2062-11-22 is after the build date ({EPOCH_DATE}); "
            f"write the day the page was last checked, today or earlier [future-date]"
        ),
    ],
    "step-external-media.md": [
        (
            "docs/steps/check-back.md:22: body: the attribute `style` is not allowed: it can restyle or cover the "
            "whole page (a fixed overlay, hidden text); use a class such as `{: .note }` instead [unsafe-attribute]"
        ),
        (
            "docs/steps/check-back.md:28: body: the `src` attribute `//tracker.example.net/pixel.gif` is not a path "
            "on this site: the browser would load it from outside (a tracking pixel reports who reads the page, and "
            "the site promises to load nothing from outside); put the file in the repository and use a relative path, "
            "or link to it instead [external-resource]"
        ),
        (
            "docs/steps/check-back.md:30: body: the HTML element `<video>` is not on the site's allow-list; leave it "
            "out, or use Markdown [unsafe-html]"
        ),
        (
            "docs/steps/check-back.md:32: body: the HTML element `<iframe>` can run code or change the page; leave it "
            "out [unsafe-html]"
        ),
    ],
    "style-attribute.md": [
        (
            "stories/style-attribute.md:26: body: the attribute `style` is not allowed: it can restyle or cover the "
            "whole page (a fixed overlay, hidden text); use a class such as `{: .note }` instead [unsafe-attribute]"
        ),
    ],
    "unsafe-link-scheme.md": [
        (
            "stories/unsafe-link-scheme.md:25: body: link `FTP://files.example.com/policy.pdf` uses the `ftp:` "
            "scheme; only http://, https:// and mailto: links, or links to pages of this site, are allowed "
            "[unsafe-url]"
        ),
    ],
}


def planted_path(name: str) -> str:
    """Steps (`step-*.md`) take the place of the next step, check-back; stories go into stories/."""
    return "docs/steps/check-back.md" if name.startswith("step-") else f"stories/{name}"


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> list[str]:
    """`turnaround check` once, with every fixture planted and the tests' fixed build date."""
    repo = copy_repo(tmp_path_factory.mktemp("safety") / "repo")
    plant(repo, FIXTURES, EXPECTED, planted_path)
    return check_lines(repo)


def test_every_fixture_has_its_expected_lines():
    assert sorted(p.name for p in FIXTURES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_class_is_reported_at_its_exact_line(checked, name):
    path = planted_path(name)
    assert [line for line in checked if line.startswith(f"{path}:")] == EXPECTED[name]


@pytest.mark.slow
def test_strict_build_fails_naming_each_story_and_checks_the_built_html_too(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    plant(repo, FIXTURES, EXPECTED, planted_path)
    listen = repo / "docs" / "steps" / "listen.md"
    listen.write_text(listen.read_text("utf-8").replace("\n---\n", "\n...\n", 1), "utf-8")
    result = build_site(repo, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/steps/listen.md" not in result.stderr
    missing = [
        line
        for lines in EXPECTED.values()
        for line in lines
        if not re.search(rf"(?m)^{re.escape(line)}$", result.stderr)
    ]
    assert missing == []
    # The allow-list of the built pages finds each allow-list case on its own, naming the file and the line.
    for lines in EXPECTED.values():
        for line in lines:
            where, code = line.split(": ", 1)[0], line.rsplit("[", 1)[1].rstrip("]")
            if code in ALLOW_LIST_CODES:
                assert re.search(rf"(?m)^{re.escape(where)}: body: in the built page: .*\[{code}\]$", result.stderr), (
                    line
                )
    # Nothing of a build with problems is published.
    assert not (tmp_path / "site" / "index.html").exists()
    # Built again, with the verdicts of the first build kept (.cache/pages/): the same problems, nothing published.
    assert list((repo / ".cache" / "pages").glob("*.pickle"))
    again = build_site(repo, tmp_path / "site")
    assert again.returncode != 0
    assert problem_lines(again.stderr) == problem_lines(result.stderr)
    assert not (tmp_path / "site" / "index.html").exists()


def problem_lines(log: str) -> list[str]:
    return sorted(line for line in log.splitlines() if re.match(r"^\S+\.md:\d+: ", line))


@pytest.mark.slow
def test_front_matter_closed_by_dots_is_published_like_any_other(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    plant(repo, FIXTURES, ["dots-end.md"], planted_path)
    listen = repo / "docs" / "steps" / "listen.md"
    listen.write_text(listen.read_text("utf-8").replace("\n---\n", "\n...\n", 1), "utf-8")
    assert run_check(repo).returncode == 0
    result = build_site(repo, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    # Closed by YAML's `...`, a story is read alike by check and build: published with its title, no fields as text.
    page = (tmp_path / "site" / "stories" / "dots-end" / "index.html").read_text("utf-8")
    assert "<h1>Cold soup, closed with dots</h1>" in page and "outcome: won-back" not in page
    # A docs page (a step) closed by `...` too.
    step = (tmp_path / "site" / "steps" / "listen" / "index.html").read_text("utf-8")
    assert "<h1>Listen" in step and "reviewed: 2026" not in step and "order: " not in step


# ---------------------------------------------------------------- in memory: check and built HTML agree

FRONT = """---
title: Cold soup
summary: A guest's soup arrives cold.
setting: restaurant
failure: product-defect
severity: minor
fault: at-fault
steps_taken: []
steps_missed: []
compensation: []
outcome: won-back
reviewed: 2026-11-22
---
"""


@lru_cache(maxsize=1)
def _markdown():
    # The Markdown of the real build: the extensions and their settings from mkdocs.yml.
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def built(body: str) -> list[str]:
    """The allow-list's codes for a body as the build renders it."""
    md = _markdown()
    md.reset()
    return [p.code for p in safe_html.check_page("stories/x.md", md.convert(body), body)]


def checked_codes(body: str, collection: str = "stories") -> list[str]:
    doc = frontmatter.parse_text(FRONT + body, f"{collection}/x.md")
    assert doc.ok, doc.problems
    kb = KnowledgeBase(root=ROOT, settings=Settings(phone_region="US"), vocab=Vocabularies())
    return [p.code for p in guards.check(Entry(collection, "x", ROOT / "x.md", doc), kb)]


def test_markdown_and_material_output_passes_the_allow_list():
    body = "\n".join(
        [
            "## Situation",
            "",
            "Text with *em*, **strong**, `code`, ~~no~~, a [link](../steps/apologize.md), <https://example.com>.",
            "",
            '!!! note "A note"',
            "    Inside an admonition.",
            "",
            '??? tip "Details"',
            "    Folded text.",
            "",
            "- [x] done",
            "- [ ] to do",
            "",
            "Term",
            ":   Its definition.",
            "",
            "*[HTML]: Hyper Text Markup Language",
            "The HTML abbr.",
            "",
            "| a | b | c |",
            "|:--|:-:|--:|",
            "| 1 | 2 | 3 |",
            "",
            ":smile: :material-check: :fontawesome-solid-star: :logo:",
            "",
            "A paragraph with a class and an id.",
            "{: .note #soup }",
            "",
            "```python",
            "print('<script>')",
            "```",
            "",
            '![a picture](picture.png "title")',
            "",
            "---",
            "",
            "> A quote.",
            "",
        ]
    )
    assert built(body) == []


def test_emoji_are_characters_and_icons_inline_svg_never_an_image_from_a_cdn():
    md = _markdown()
    md.reset()
    page = md.convert(":smile: :material-check:")
    assert "😄" in page and "<svg" in page and "<img" not in page and "cdn" not in page


# Names are distinct (ignoring case): of two alike the page keeps one, the check judges both.
ATTRIBUTE_NAMES = st.one_of(
    st.sampled_from(
        [
            "style",
            "STYLE",
            "onclick",
            "OnMouseOver",
            "onfocus",
            "srcdoc",
            "formaction",
            "src",
            "SRC",
            "srcset",
            "poster",
            "data",
            "ping",
            "background",
            "href",
            "title",
            "lang",
            "width",
            "align",
            "aria-label",
            "data-x",
            "data-search-exclude",
            "foo",
            "type",
            "xmlns",
            "d",
            "fill",
            "class",
            "role",
        ]
    ),
    st.from_regex(r"\A[a-zA-Z][a-zA-Z0-9-]{0,8}\Z"),
)
ATTRIBUTE_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "a.png",
            "../steps/apologize.md",
            "#top",
            "//evil.example.net/p.gif",
            "\\\\evil.example.net/p.gif",
            "https://evil.example.net/p.gif",
            "http://x.example.com",
            "javascript:alert(1)",
            "JaVa&#x09;script:alert(1)",
            "&#106;avascript:x",
            "mailto:a@example.com",
            "data:text/html,x",
            "ftp://x",
            "url(https://x)",
            "checkbox",
            "position:fixed",
            "a.png 1x, https://evil.example.net/b.png 2x",
        ]
    ),
    st.text(alphabet="abc:/.#&; -1", max_size=12),
)
PLACES = st.sampled_from(
    [
        "A plain paragraph.\n{{: {attrs} }}",
        "A [link](../steps/apologize.md){{: {attrs} }} in text.",
        "A *word*{{: {attrs} }} in text.",
        "- an item\n  {{: {attrs} }}",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(ATTRIBUTE_NAMES, ATTRIBUTE_VALUES), min_size=1, max_size=3, unique_by=lambda a: a[0].lower()),
    PLACES,
)
# In the source two backslashes reach the page as one (a path on this site), four as two (another host).
@example([("src", "\\\\evil.example.net/p.gif")], "A *word*{{: {attrs} }} in text.")
@example([("src", "\\\\\\\\evil.example.net/p.gif")], "A *word*{{: {attrs} }} in text.")
def test_check_rejects_an_attribute_list_exactly_when_the_built_page_fails_the_allow_list(attrs, place):
    written = " ".join(f'{name}="{value}"' for name, value in attrs)
    body = "\n## Situation\n\n" + place.format(attrs=written) + "\n"
    by_check = {c for c in checked_codes(body) if c in ALLOW_LIST_CODES}
    by_build = set(built(body))
    assert bool(by_check) == bool(by_build), (by_check, by_build)


HTML_TAGS = st.sampled_from(["span", "div", "img", "a", "p", "em", "video", "iframe", "marquee", "svg"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            HTML_TAGS,
            st.lists(st.tuples(ATTRIBUTE_NAMES, ATTRIBUTE_VALUES), max_size=2, unique_by=lambda a: a[0].lower()),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_kept_verdict_on_a_built_page_is_the_verdict_judged_afresh(elements):
    page = "".join(
        f"<{tag}{''.join(f' {name}={quoted(value)}' for name, value in attrs)}>x</{tag}>" for tag, attrs in elements
    )
    fresh = safe_html.check_page("stories/x.md", page)
    with tempfile.TemporaryDirectory() as folder:
        first = safe_html.Verdicts(Path(folder))
        assert safe_html.located("stories/x.md", first.findings(page)) == fresh
        first.save()
        # The next build reads the verdict back and judges nothing again.
        kept = safe_html.Verdicts(Path(folder))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(safe_html, "findings", lambda _html: pytest.fail("judged again"))
            assert safe_html.located("stories/x.md", kept.findings(page)) == fresh
        # Changed HTML is judged again.
        changed = page + "<p>more</p>"
        assert kept.findings(changed) == safe_html.findings(changed)


def quoted(value: str) -> str:
    return '"' + html.escape(value, quote=True) + '"'


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    HTML_TAGS,
    st.lists(st.tuples(ATTRIBUTE_NAMES, ATTRIBUTE_VALUES), min_size=0, max_size=3, unique_by=lambda a: a[0].lower()),
)
def test_check_rejects_inline_html_on_a_step_exactly_when_the_built_page_fails_the_allow_list(tag, attrs):
    written = "".join(f' {name}="{value}"' for name, value in attrs)
    body = f"\n## In practice\n\nA line with <{tag}{written}>inline</{tag}> HTML.\n"
    by_check = {c for c in checked_codes(body, "steps") if c in ALLOW_LIST_CODES}
    by_build = set(built(body))
    # Raw `<svg>` is refused in the source although the built page may hold the theme's icons as SVG:
    # there the check is stricter, and the build fails on the check's problem anyway.
    assert bool(by_check) == bool(by_build) or (tag == "svg" and by_check), (by_check, by_build)


# ---------------------------------------------------------------- payment card numbers


def luhn_digit(payload: str) -> str:
    """The check digit that makes payload + digit pass Luhn (written here apart from the guard's own)."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def grouped(digits: str, sizes: list[int], separator: str) -> str:
    parts, at = [], 0
    for size in sizes:
        if at < len(digits):
            parts.append(digits[at : at + size])
            at += size
    if at < len(digits):
        parts.append(digits[at:])
    return separator.join(parts)


SEPARATORS = st.sampled_from(["", " ", "-", " - ", "\u00a0", "\u2013", "\n"])
GROUPINGS = st.one_of(st.just([4, 4, 4, 4, 4]), st.just([4, 6, 5]), st.lists(st.integers(1, 7), min_size=1, max_size=8))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=12, max_size=18),
    GROUPINGS,
    SEPARATORS,
    st.sampled_from(["", "The card was ", "Refund to "]),
)
def test_a_valid_card_number_is_caught_however_it_is_grouped(payload, sizes, separator, before):
    number = payload + luhn_digit(payload)
    text = f"{before}{grouped(number, sizes, separator)} that night."
    found = list(guards.card_numbers(text))
    assert found and re.sub(r"\D", "", found[0][1]) in number


def windows_pass_luhn(groups: list[str]) -> bool:
    for first in range(len(groups)):
        for last in range(first, len(groups)):
            digits = "".join(groups[first : last + 1])
            if 13 <= len(digits) <= 19 and luhn_digit(digits[:-1]) == digits[-1]:
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=13, max_size=19), GROUPINGS, SEPARATORS)
def test_a_digit_run_that_fails_luhn_is_never_taken_for_a_card(digits, sizes, separator):
    text = grouped(digits, sizes, separator)
    groups = re.findall(r"\d+", text)
    if windows_pass_luhn(groups):
        return  # some card-length part of it is a valid card number after all
    assert list(guards.card_numbers(f"Order {text} was late.")) == []


@pytest.mark.parametrize(
    "text",
    [
        "On 2026-11-22 at 7:45 pm, order #48213 for $1,234.50 (table 12, room 1204).",
        "Call (415) 555-0132 or +1 650 253 0000; flight BA 117; gate B22.",
        "ISBN 978-0-306-40615-7 and ISBN 978-1-86197-271-2; a card ending 4242.",
        "Between 12/11/2026 and 13/11/2026, 20 guests, 3 tables of 4.",
    ],
)
def test_ordinary_numbers_are_not_card_numbers(text):
    assert list(guards.card_numbers(text)) == []


def test_a_card_number_cannot_be_kept_with_the_opt_out():
    front = FRONT.replace("reviewed:", "keeps_personal_data: Reviewed by the privacy lead; the guest asked.\nreviewed:")
    doc = frontmatter.parse_text(
        front + "\n## Situation\n\nCall (415) 555-0132 or use 5500 0000 0000 0004.\n", "stories/x.md"
    )
    kb = KnowledgeBase(root=ROOT, settings=Settings(phone_region="US"), vocab=Vocabularies())
    codes = [p.code for p in guards.check(Entry("stories", "x", ROOT / "x.md", doc), kb)]
    assert codes == ["personal-card"]


def test_a_web_address_is_never_taken_for_a_card_number():
    # A report's URL: a date and an article id make 18 digits that pass Luhn by chance.
    url = "https://www.sun-sentinel.com/news/fl-2007-02-21-0702210107-story.html"
    front = FRONT.replace(
        "reviewed:",
        (
            f"citations:\n  - publisher: Sun-Sentinel\n    title: A report\n    date: 2007-02-21\n    url: "
            f"{url}\nreviewed:"
        ),
    )
    doc = frontmatter.parse_text(
        front + f"\n## Situation\n\nAs [the paper]({url}) and <{url}> reported.\n", "stories/x.md"
    )
    kb = KnowledgeBase(root=ROOT, settings=Settings(phone_region="US"), vocab=Vocabularies())
    assert list(guards.card_numbers("2007-02-21-0702210107")), "the digits alone do pass Luhn"
    assert [p.code for p in guards.check(Entry("stories", "x", ROOT / "x.md", doc), kb)] == []


# ---------------------------------------------------------------- review dates and the build date


def test_a_review_date_after_the_build_date_is_an_error_and_today_is_not(repo, monkeypatch):
    from turnaround import loader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    story = repo / "stories" / "iced-tea-refund-no-apology.md"
    text = story.read_text("utf-8")
    day = dt.date.fromisoformat(EPOCH_DATE)
    story.write_text(re.sub(r"(?m)^reviewed: .*$", f"reviewed: {day + dt.timedelta(days=1)}", text), "utf-8")
    assert [p.code for p in loader.load(repo).problems] == ["future-date"]
    story.write_text(re.sub(r"(?m)^reviewed: .*$", f"reviewed: {day}", text), "utf-8")
    assert loader.load(repo).problems == []


# ---------------------------------------------------------------- front matter closed by `...`


CLOSERS = st.sampled_from(["---", "...", "--- ", "...\t", "....", "--", "---\x0c", "...\x0b", " ---", "-- -"])


@settings(max_examples=200, deadline=None)
@given(
    CLOSERS,
    st.sampled_from(["---", "--- ", "---\t", "---\x0c", " ---"]),
    st.sampled_from(["\n", "", "\n\nBody text.\n"]),
)
def test_front_matter_is_read_by_the_check_exactly_as_mkdocs_reads_it(closer, opener, after):
    from mkdocs.utils import meta

    text = f"{opener}\ntitle: Cold soup\n{closer}{after}"
    doc = frontmatter.parse_text(text, "docs/x.md")
    body, data = meta.get_data(text)
    # Accepted by both with the same fields and text, or refused by the check (which fails the build).
    assert doc.ok == (data == {"title": "Cold soup"}), (doc.problems, data)
    if doc.ok:
        assert body.strip() == doc.body.strip()


def test_a_step_closed_by_dots_is_accepted_and_one_without_a_final_line_break_is_refused_with_a_message():
    step = (ROOT / "docs" / "steps" / "listen.md").read_text("utf-8")
    dots = step.replace("\n---\n", "\n...\n", 1)
    assert dots != step and frontmatter.parse_text(dots, "docs/steps/listen.md").ok
    front = dots.split("\n...\n", 1)[0] + "\n..."
    problems = frontmatter.parse_text(front, "docs/steps/listen.md").problems
    assert [p.code for p in problems] == ["no-front-matter"] and "line break" in problems[0].message
