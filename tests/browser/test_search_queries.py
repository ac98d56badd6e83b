"""Staff's own words find the page they mean: the query set (tests/search_queries.yml) through the real search.

Each query is typed into the header's search in Chromium, as staff would; it counts as found when
one of its pages is among the first three results. At least 90% of the queries must be found.
"""

from __future__ import annotations

import pytest
import yaml

from .browsing import ARTIFACTS, ROOT
from .searching import search

pytestmark = pytest.mark.slow

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text("utf-8"))
TOP = 3
AT_LEAST = 0.90


def test_the_query_set_has_at_least_40_queries_each_naming_pages_of_the_site(built_site):
    assert len(QUERIES) >= 40
    for item in QUERIES:
        assert item["query"].strip() and item["pages"], item
        for path in item["pages"]:
            assert (built_site / path / "index.html").is_file(), f"{item['query']}: no page {path}"


def test_at_least_90_percent_of_staff_queries_find_their_page_in_the_top_3(phone, site_url):
    page, traffic = phone
    page.goto(site_url)
    missed = []
    for item in QUERIES:
        top = [result.path for result in search(page, item["query"], site_url)[:TOP]]
        if not set(item["pages"]) & set(top):
            missed.append(f"{item['query']!r}: wanted one of {item['pages']}, got {top}")
    found = len(QUERIES) - len(missed)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "search-queries.txt").write_text(
        f"{found}/{len(QUERIES)} found in the top {TOP}\n" + "".join(f"missed {m}\n" for m in missed), "utf-8"
    )
    assert found / len(QUERIES) >= AT_LEAST, "\n".join(missed)
    traffic.assert_clean()
