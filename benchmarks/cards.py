"""How long the card PDFs take: the real content, and a deck of 1,000 role-play cards.

    python -m benchmarks.cards [--roleplay N] [--papers a4,a6,letter]

Renders without the cache, in this process, and reports wall and CPU seconds,
the size of each PDF and the peak memory. `section` gives the same report as a
section for `benchmarks.site.SECTIONS`.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import time
from pathlib import Path

from turnaround.cards import typeset
from turnaround.cards.cache import Cache
from turnaround.cards.layout import PAPERS
from turnaround.cards.model import decks
from turnaround.cards.pdfs import make, products
from turnaround.cards.qr import page_link
from turnaround.loader import load
from turnaround.repository import find_root

SITE_URL = "https://turnaround.example.internal/"


def real_content(root: Path) -> list[tuple[str, int, int, float, float]]:
    """(file, pages, bytes, wall s, CPU s) of every product of the repository, rendered afresh."""
    kb = load(root)
    rows = []
    for product in products(kb, SITE_URL):
        rows.append((product.file, *_timed(lambda p=product: make(p, Cache(None)))))
    return rows


def roleplay_deck(root: Path, count: int, paper: str) -> tuple[str, int, int, float, float]:
    """A deck of `count` role-play cards (the real stories over and over, each with its own QR code)."""
    kb = load(root)
    stories = next(d for d in decks(kb, SITE_URL) if d.name == "roleplay").cards
    cards = []
    for number in range(1, count + 1):
        card = stories[(number - 1) % len(stories)]
        data = {**card.data, "number": number, "total": count}
        link = page_link(SITE_URL, f"stories/synthetic-{number:05d}/")
        cards.append(dataclasses.replace(card, name=f"role-play card {number}", data=data, link=link))
    made = typeset.sheets("roleplay", cards, PAPERS[paper])
    return (f"roleplay-{paper}.pdf ({count} cards)", *_timed(lambda: typeset.render(made, PAPERS[paper])))


def _timed(make) -> tuple[int, int, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    rendered = make()
    if rendered.problems:
        raise SystemExit("bench: " + "; ".join(map(str, rendered.problems[:3])))
    return rendered.pages, len(rendered.pdf), time.perf_counter() - wall, time.process_time() - cpu


def report(root: Path, count: int = 1000, papers: tuple[str, ...] = ("a4",)) -> list[str]:
    """The Markdown section: a table per measurement, and what a card costs."""
    started = time.perf_counter()
    import weasyprint  # noqa: F401  (timed apart: the build pays it once, and only when a PDF changed)

    imported = time.perf_counter() - started
    rows = real_content(root)
    lines = [
        "## Card PDFs",
        "",
        f"Importing WeasyPrint: {imported:.2f} s (only when some PDF is not in the cache).",
        "",
    ]
    lines += ["| PDF | pages | KiB | wall s | CPU s |", "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {f} | {p} | {b / 1024:.0f} | {w:.2f} | {c:.2f} |" for f, p, b, w, c in rows]
    wall, cpu = sum(r[3] for r in rows), sum(r[4] for r in rows)
    lines += [
        f"| all {len(rows)} files (decks and session packs) | {sum(r[1] for r in rows)}"
        f" | {sum(r[2] for r in rows) / 1024:.0f}"
        f" | {wall:.2f} | {cpu:.2f} |",
        "",
    ]
    big = [roleplay_deck(root, count, paper) for paper in papers]
    lines += [
        "| large deck | pages | KiB | wall s | CPU s | CPU ms per card |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {f} | {p} | {b / 1024:.0f} | {w:.1f} | {c:.1f} | {1000 * c / count:.0f} |" for f, p, b, w, c in big]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += [
        "",
        f"Peak memory of this process: {peak:.0f} MiB."
        " An unchanged PDF costs nothing: builds and `mkdocs serve` take it from the cache.",
        "",
    ]
    return lines


def section(bench) -> list[str]:
    """The card report as a section of the site bench (`benchmarks.site.SECTIONS`)."""
    return report(bench.root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cards", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--roleplay", type=int, default=1000, metavar="N", help="role-play cards in the large deck (default 1000)"
    )
    parser.add_argument("--papers", default="a4", help="papers for the large deck, comma-separated (default a4)")
    args = parser.parse_args(argv)
    papers = tuple(p.strip() for p in args.papers.split(",") if p.strip())
    if args.roleplay < 1 or not papers or any(p not in PAPERS for p in papers):
        parser.error(f"--roleplay must be at least 1 and --papers a list of {', '.join(PAPERS)}")
    for line in report(find_root(), args.roleplay, papers):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
