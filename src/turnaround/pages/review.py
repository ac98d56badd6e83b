"""The pages whose review is overdue (review.md.j2), and the notices that say so on each page."""

from __future__ import annotations

from markupsafe import Markup

from .. import content
from ..index import Index, index_of
from ..model import Entry
from . import markdown as md
from . import templating

REVIEW = content.REVIEW
COLLECTION_NAMES = {"steps": "Step", "sources": "Source", "stories": "Story"}


def build(kb) -> dict[str, str]:
    index = index_of(kb)
    due = sorted(
        (e for e in index.kb.entries() if index.review_due(e)),
        key=lambda e: (e.reviewed.isoformat() if e.reviewed else "", e.src_uri),
    )
    # An XHTML table: it can hold a row per story.
    rows = "\n".join(
        f"<tr><td>{md.a(e.title, REVIEW, e.src_uri)}</td>"
        f"<td>{COLLECTION_NAMES.get(e.collection, e.collection)}</td>"
        f"<td>{_date(e.reviewed)}</td><td>{_date(index.due_on(e))}</td></tr>"
        for e in due
    )
    table = (
        f"<table><thead><tr><th>Page</th><th>Kind</th><th>Last "
        f"reviewed</th><th>Due</th></tr></thead><tbody>\n{rows}\n</tbody></table>"
    )
    page = templating.render(
        kb,
        "review.md.j2",
        here=REVIEW,
        interval=index.kb.settings.review_interval_days,
        today=index.today.isoformat(),
        due=due,
        table=Markup(md.xhtml(table)),
    )
    return {REVIEW: page}


def notice(index: Index, entry: Entry) -> str:
    """A warning at the top of an overdue page."""
    if not index.review_due(entry):
        return ""
    when = f"last reviewed {_date(entry.reviewed)}" if entry.reviewed else "never reviewed"
    return md.admonition(
        "warning",
        "Review due",
        f"This page was {when}; it may be out of date. See {md.link('pages due for review', entry.src_uri, REVIEW)}.",
    )


def reviewed_line(index: Index, entry: Entry) -> str:
    """The closing line of a page: when it was last checked."""
    if not entry.reviewed:
        return "<small>Never reviewed.</small>"
    return (
        f'<small class="ta-reviewed">Last reviewed {_date(entry.reviewed)}; next review due '
        f"{_date(index.due_on(entry))}.</small>"
    )


def _date(value) -> str:
    return value.isoformat() if value else "never"
