"""Repeatable builds: the same commit and SOURCE_DATE_EPOCH give a byte-identical site.

Two builds from two copies of the repository in different folders, with a
site_url (so the sitemap carries dates) and different hash seeds (so any output
that depends on set or dict order in a process shows up as a difference).

One known exception, outside the project: Pagefind 1.5 writes its filter indexes
in hash-map order (Pagefind issue #638: fragments are stable since 1.3, "other
files will still change, such as the filter/metadata indexes"). Their names and
bytes differ, so do the metadata and entry files that name them, and sw.js, whose
cache version digests every precached byte. The filters must still say the same.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import EPOCH_DATE, build_site, copy_repo, pagefind_filters

SITE_URL = "https://turnaround.example.internal/"


def with_site_url(repo: Path) -> Path:
    """Give the copy a site_url, as a deployment would."""
    config = repo / "mkdocs.yml"
    text = config.read_text("utf-8")
    text, count = re.subn(r"^#?\s*site_url:.*$", f"site_url: {SITE_URL}", text, count=1, flags=re.M)
    if not count:
        text = f"site_url: {SITE_URL}\n{text}"
    config.write_text(text, "utf-8")
    return repo


# What Pagefind writes in hash-map order, and what names or digests it.
UNORDERED = re.compile(
    r"^(pagefind(-offline)?/(filter/.*\.pf_filter|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)|sw\.js)$"
)


def digests(site: Path) -> dict[str, str]:
    """Every file of a site by relative path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    sites = []
    for name, seed in (("first", "1"), ("second", "2")):
        root = tmp_path_factory.mktemp(name)
        repo = with_site_url(copy_repo(root / f"checkout-{name}"))
        site = root / "site"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PYTHONHASHSEED", seed)
            # Each build renders its own PDFs: a shared card cache would make them equal by copying.
            patch.setenv("TURNAROUND_CARDS_CACHE", str(root / "card-cache"))
            result = build_site(repo, site)
        assert result.returncode == 0, result.stderr[-3000:]
        sites.append(site)
    return sites[0], sites[1]


@pytest.mark.slow
def test_two_builds_of_the_same_commit_are_byte_identical(two_builds):
    first, second = (
        {path: digest for path, digest in digests(site).items() if not UNORDERED.match(path)} for site in two_builds
    )
    assert sorted(first) == sorted(second), "the two builds wrote different files"
    for bundle in ("pagefind", "pagefind-offline"):
        assert pagefind_filters(two_builds[0], bundle) == pagefind_filters(two_builds[1], bundle)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []


@pytest.mark.slow
def test_the_comparison_covers_sitemap_search_index_and_every_page(two_builds):
    files = digests(two_builds[0])
    for required in ("sitemap.xml", "sitemap.xml.gz", "pagefind/pagefind-entry.json", "index.html", "404.html"):
        assert required in files
    assert sum(path.endswith(".html") for path in files) >= 25
    # The sitemap's dates come from SOURCE_DATE_EPOCH, not the clock.
    sitemap = (two_builds[0] / "sitemap.xml").read_text("utf-8")
    assert f"<lastmod>{EPOCH_DATE}</lastmod>" in sitemap and SITE_URL in sitemap


@pytest.mark.slow
def test_cards_pdfs_are_part_of_the_comparison(two_builds):
    files = digests(two_builds[0])
    pdfs = [path for path in files if path.endswith(".pdf")]
    assert pdfs, "the build wrote no PDF cards to compare"
