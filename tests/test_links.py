"""An independent link check of the built site (not MkDocs' own): every internal link and anchor resolves."""

from __future__ import annotations

from pathlib import Path

import pytest

from turnaround.cli import main
from turnaround.linkcheck import scan

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="{up}assets/style.css">
<script id="__config" type="application/json">{{"base": "{base}", "search": "{up}assets/search.js"}}</script>
</head><body>
<nav><a href="{up}">Home</a> <a href="https://theme.example/">theme</a>{search}</nav>
<article class="md-content__inner">
<a class="md-content__button" href="https://git.example/edit/page.md">Edit</a>
<h1 id="title">Title</h1>
{links}
</article></body></html>
"""


# The search box in a page's header: Material's (lunr), which loads what `__config` names, or the site's Pagefind one.
LUNR = '<div class="md-search" data-md-component="search"></div>'
PAGEFIND = '<div class="ta-search" data-ta-search data-bundle="{up}pagefind/"></div>'


def write_site(root: Path, pages: dict[str, str], search: str = LUNR) -> Path:
    """A tiny built site: pages by path, each with the given links inside its article."""
    for path, links in pages.items():
        depth = path.count("/")
        up = "../" * depth
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        box = search.format(up=up)
        file.write_text(PAGE.format(up=up, base=up.rstrip("/") or ".", links=links, search=box), "utf-8")
    (root / "assets").mkdir(exist_ok=True)
    (root / "assets/style.css").write_text("body{}", "utf-8")
    (root / "assets/search.js").write_text("", "utf-8")
    (root / "search").mkdir(exist_ok=True)
    (root / "search/search_index.json").write_text("{}", "utf-8")
    return root


@pytest.mark.slow
def test_every_internal_link_and_anchor_of_the_built_site_resolves(built_site):
    report = scan(built_site)
    assert [str(b) for b in report.broken] == []
    # Every page links to the stylesheets, scripts, nav and its own headings: a real site checks hundreds.
    assert report.pages >= 25 and report.checked >= 20 * report.pages
    print(
        f"\nlinkcheck: {report.checked} internal links and anchors on {report.pages} pages; "
        f"{len(report.external)} external URLs in content"
    )


def test_a_missing_page_and_a_missing_anchor_are_each_named_with_page_and_line(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": (
                '<a href="steps/listen/">ok</a>\n<a href="steps/listen/#why">ok anchor</a>\n<a '
                'href="steps/lisen/">typo</a>'
            ),
            "steps/listen/index.html": (
                '<h2 id="why">Why</h2>\n<a href="../../#title">home</a>\n<a href="#nope">bad anchor</a>\n<img '
                'src="../../img/x.png" alt="">'
            ),
        },
    )
    report = scan(site)
    assert sorted(str(b) for b in report.broken) == [
        "index.html:11: `steps/lisen/`: no such file in the site",
        "steps/listen/index.html:11: `#nope`: no element with id `nope` on steps/listen/index.html",
        "steps/listen/index.html:12: `../../img/x.png`: no such file in the site",
    ]


def test_site_absolute_links_resolve_under_the_base_path_only(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="/kb/page/">in</a>\n<a href="/kb/">root</a>\n<a href="/other/">out</a>',
            "page/index.html": "",
        },
    )
    broken = [str(b) for b in scan(site, base="/kb/").broken]
    assert broken == ["index.html:11: `/other/`: points outside the site's base path `/kb/`"]
    assert len([str(b) for b in scan(site, base="/").broken]) == 3


def test_without_materials_search_box_its_index_is_not_needed_but_pagefinds_library_is(tmp_path):
    site = write_site(tmp_path, {"index.html": "", "steps/listen/index.html": ""}, search=PAGEFIND)
    (site / "search/search_index.json").unlink()
    assert [str(b) for b in scan(site).broken] == [
        "index.html:5: `pagefind/pagefind.js`: no such file in the site",
        "steps/listen/index.html:5: `../../pagefind/pagefind.js`: no such file in the site",
    ]
    (site / "pagefind").mkdir()
    (site / "pagefind/pagefind.js").write_text("", "utf-8")
    assert scan(site).broken == []


def test_the_search_worker_and_index_named_in_materials_config_must_exist(tmp_path):
    site = write_site(tmp_path, {"index.html": ""})
    (site / "search/search_index.json").unlink()
    assert [str(b) for b in scan(site).broken] == [
        "index.html:1: `./search/search_index.json`: no such file in the site"
    ]


def test_links_command_exits_1_on_a_broken_link_and_0_on_a_clean_site(tmp_path, capsys):
    site = write_site(tmp_path / "bad", {"index.html": '<a href="gone.html">gone</a>'})
    assert main(["links", str(site)]) == 1
    assert "index.html:9: `gone.html`: no such file in the site" in capsys.readouterr().out
    clean = write_site(tmp_path / "good", {"index.html": '<a href="#title">top</a>'})
    assert main(["links", str(clean)]) == 0
    assert "0 broken" in capsys.readouterr().err
    assert main(["links", str(tmp_path / "nothing")]) == 2


def test_external_links_in_content_are_listed_without_fetching_and_chrome_links_are_not(tmp_path, capsys):
    site = write_site(
        tmp_path,
        {
            "index.html": (
                '<a href="https://research.example/paper">paper</a>\n<a href="mailto:help@example.org">mail</a>'
            )
        },
    )
    assert main(["links", str(site), "--external"]) == 0
    out = capsys.readouterr().out
    assert "https://research.example/paper  (on index.html)" in out
    # The theme's own links and the edit button are not content.
    assert "theme.example" not in out and "git.example" not in out and "mailto" not in out
