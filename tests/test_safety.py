"""Safe output by construction: each class of unsafe or private content is caught at its line by
`turnaround check`, and again by the strict build in the page's rendered HTML (the allow-list of
safe_html), naming the story.

Each file in tests/fixtures/safety/ is a valid story (or step) with one planted case; EXPECTED holds
the exact lines the check prints for it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EPOCH, EPOCH_DATE, ROOT, build_site, copy_repo, run_check
from turnaround import frontmatter, guards, safe_html
from turnaround.model import Entry, KnowledgeBase
from turnaround.repository import Settings
from turnaround.vocabulary import Vocabularies

FIXTURES = ROOT / "tests" / "fixtures" / "safety"
# The classes the allow-list of built pages also catches, so the build names them a second time.
ALLOW_LIST_CODES = {"unsafe-attribute", "event-attribute", "external-resource", "unsafe-url", "unsafe-html"}

EXPECTED = {
    'card-number.md': [
        'stories/card-number.md:24: body: `4111-1111-1111-1111` is a payment card number; remove it: a card number must never be in a story (write "her card", or at most "the card ending 1111") [personal-card]',
    ],
    'dots-end.md': [
    ],
    'event-handler-link.md': [
        "stories/event-handler-link.md:24: body: the attribute `onpointerenter` is an event handler that would run code in readers' browsers; remove it [event-attribute]",
    ],
    'external-image.md': [
        'stories/external-image.md:24: body: image `https://tracker.example.net/pixel.gif` is not on this site: the browser would load it from another host (a tracking pixel reports who reads the page, and the site promises to load nothing from outside); put the file in the repository and use a relative path, or make it a link [external-resource]',
    ],
    'external-ping.md': [
        'stories/external-ping.md:24: body: the `ping` attribute `https://tracker.example.net/beacon` is not a path on this site: the browser would load it from outside (a tracking pixel reports who reads the page, and the site promises to load nothing from outside); put the file in the repository and use a relative path, or link to it instead [external-resource]',
    ],
    'future-reviewed.md': [
        f'stories/future-reviewed.md:12: field `reviewed`: 2062-11-22 is after the build date ({EPOCH_DATE}); write the day the page was last checked, today or earlier [future-date]',
    ],
    'step-external-media.md': [
        'docs/steps/check-back.md:22: body: the attribute `style` is not allowed: it can restyle or cover the whole page (a fixed overlay, hidden text); use a class such as `{: .note }` instead [unsafe-attribute]',
        'docs/steps/check-back.md:28: body: the `src` attribute `//tracker.example.net/pixel.gif` is not a path on this site: the browser would load it from outside (a tracking pixel reports who reads the page, and the site promises to load nothing from outside); put the file in the repository and use a relative path, or link to it instead [external-resource]',
        "docs/steps/check-back.md:30: body: the HTML element `<video>` is not on the site's allow-list; leave it out, or use Markdown [unsafe-html]",
        'docs/steps/check-back.md:32: body: the HTML element `<iframe>` can run code or change the page; leave it out [unsafe-html]',
    ],
    'style-attribute.md': [
        'stories/style-attribute.md:25: body: the attribute `style` is not allowed: it can restyle or cover the whole page (a fixed overlay, hidden text); use a class such as `{: .note }` instead [unsafe-attribute]',
    ],
    'unsafe-link-scheme.md': [
        'stories/unsafe-link-scheme.md:24: body: link `FTP://files.example.com/policy.pdf` uses the `ftp:` scheme; only http://, https:// and mailto: links, or links to pages of this site, are allowed [unsafe-url]',
    ],
}


def planted_path(name: str) -> str:
    """Steps (`step-*.md`) take the place of the next step, check-back; stories go into stories/."""
    return "docs/steps/check-back.md" if name.startswith("step-") else f"stories/{name}"


def plant(repo, names) -> None:
    for name in names:
        shutil.copy(FIXTURES / name, repo / planted_path(name))


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> list[str]:
    """`turnaround check` once, with every fixture planted and the tests' fixed build date."""
    repo = copy_repo(tmp_path_factory.mktemp("safety") / "repo")
    plant(repo, EXPECTED)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        result = run_check(repo)
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH") if before is None else os.environ.__setitem__("SOURCE_DATE_EPOCH", before)
    assert "Traceback" not in result.stderr
    return result.stdout.splitlines()


def test_every_fixture_has_its_expected_lines():
    assert sorted(p.name for p in FIXTURES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_class_is_reported_at_its_exact_line(checked, name):
    path = planted_path(name)
    assert [line for line in checked if line.startswith(f"{path}:")] == EXPECTED[name]


@pytest.mark.slow
def test_strict_build_fails_naming_each_story_and_checks_the_built_html_too(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    plant(repo, EXPECTED)
    result = build_site(repo, tmp_path / "site")
    assert result.returncode != 0
    missing = [line for lines in EXPECTED.values() for line in lines if f"turnaround: {line}" not in result.stderr]
    assert missing == []
    # The allow-list of the built pages finds each allow-list case on its own, naming the file and the line.
    for lines in EXPECTED.values():
        for line in lines:
            where, code = line.split(": ", 1)[0], line.rsplit("[", 1)[1].rstrip("]")
            if code in ALLOW_LIST_CODES:
                assert re.search(rf"turnaround: {re.escape(where)}: body: in the built page: .*\[{code}\]", result.stderr), line
    # Closed by YAML's `...`, a story is read alike by check and build: published with its title, no fields as text.
    page = (tmp_path / "site" / "stories" / "dots-end" / "index.html").read_text("utf-8")
    assert "<h1>Cold soup, closed with dots</h1>" in page and "outcome: won-back" not in page
