"""The site search as staff use it: open it from the header, type, read the results."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

OPEN = ".ta-search__open"
INPUT = "#ta-search-input"
RESULT = ".ta-search__result"
STATUS = "[data-ta-search-status]"
RESULTS = "[data-ta-search-results]"


@dataclass(frozen=True)
class Result:
    kind: str
    title: str
    path: str  # the page's path under the site's root, e.g. `steps/apologize/`
    facts: tuple[str, ...]


def search(page: Page, query: str, root: str) -> list[Result]:
    """Type `query` into the header's search on the open page; the results shown, in order."""
    if not page.is_visible(INPUT):
        page.click(OPEN)
    page.fill(INPUT, "")
    page.fill(INPUT, query)
    # Done when the list says it answers this query and is no longer busy.
    page.wait_for_function(
        """([list, query]) => {
             const shown = document.querySelector(list);
             return shown.getAttribute("data-query") === query && !shown.hasAttribute("aria-busy");
           }""",
        arg=[RESULTS, query.strip()],
        timeout=15_000,
    )
    page.wait_for_load_state("networkidle")
    found = page.eval_on_selector_all(
        RESULT,
        """items => items.map(item => ({
             kind: item.querySelector('.ta-search__kind').textContent,
             title: item.querySelector('.ta-search__name').textContent,
             href: item.querySelector('a').href,
             facts: [...item.querySelectorAll('.ta-search__facts li')].map(li => li.textContent),
           }))""",
    )
    return [Result(f["kind"], f["title"], f["href"].removeprefix(root), tuple(f["facts"])) for f in found]


def count(page: Page) -> int:
    """How many results the status says there are (0 when it says nothing was found)."""
    said = page.text_content(STATUS) or ""
    number = said.split()[0] if said else "0"
    return int(number) if number.isdigit() else 0
