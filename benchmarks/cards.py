"""How long the card PDFs take: the real content cold, and N and 2N synthetic stories cold and warm.

    python -m benchmarks.cards [--stories N]

Every measurement is one `turnaround.cards.pdfs.build` in this process, as a
site build makes it: every deck on every paper, the calibration sheets and the
session packs (all `pdfs.products` lists). **Cold** is a build with an empty card
cache (a fresh clone, or CI without a restored cache); **warm** is the build
after one story changed, with the cache the cold build left, which is what
`mkdocs serve` does on each edit. CPU seconds are this process's (Typst's
threads included), with wall seconds beside them; the machine is shared, so
CPU time is the figure the targets are judged on (issue 13). The report is
Markdown on stdout; the exit code is 1 when a target is missed. `section`
gives the same report as a section of the site bench (`benchmarks.site`).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from turnaround.cards import typeset
from turnaround.cards.cache import Cache
from turnaround.cards.pdfs import build
from turnaround.loader import load
from turnaround.model import source_date_epoch
from turnaround.repository import COLLECTIONS, find_root

SITE_URL = "https://turnaround.example.internal/"
# Targets (issue 13): cold at N = 1000 within 30 CPU s and linear to 2N; warm within 1 s; the real content within 5 s.
MAX_COLD_CPU = 30.0
MAX_WARM_CPU = 1.0
MAX_REAL_CPU = 5.0
# Linear: a card at 2N costs at most this much more than at N.
MAX_PER_CARD_GROWTH = 0.15


@dataclass(frozen=True)
class Run:
    """One cards build: what it made and what it cost."""

    wall: float
    cpu: float
    pdfs: int  # files: PDFs, and each pack's preview PNG
    rendered: int  # files not taken from the cache
    cards: int  # cards laid out by Typst, every paper counted
    pages: int
    size: int  # bytes of every PDF


def timed_build(root: Path, cache: Path) -> Run:
    """`pdfs.build` of the repository at `root` with the card cache in `cache`; loading is not timed.

    As in a site build (hooks/turnaround_site.py), what is in memory when the cards build starts (the loaded
    knowledge base, and in one process what the last build kept) is frozen out of the collector's walks.
    """
    kb = load(root)
    gc.freeze()
    created = _created()
    laid_out = []
    real_render = typeset.render

    # Count the cards Typst lays out (a warm build lays out only the changed story's part of each deck).
    def counting_render(made, paper, created=None):
        laid_out.append(len({face.card.name for face in made.faces}))
        return real_render(made, paper, created)

    typeset.render = counting_render
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        result = build(kb, SITE_URL, Cache(cache), created)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        typeset.render = real_render
        gc.unfreeze()
    if result.problems:
        raise SystemExit("bench: " + "; ".join(str(p) for p in result.problems[:3]))
    fresh = [b for b in result.built if not b.cached]
    size = sum(b.path.stat().st_size if b.path else len(b.data or b"") for b in result.built)
    return Run(
        wall,
        cpu,
        len(result.built),
        len(fresh),
        sum(laid_out),
        sum(b.pages for b in result.built),
        size,
    )


def _created() -> str | None:
    moment = source_date_epoch()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def change_one_story(root: Path) -> Path:
    """Edit the first story's outcome (as a contributor would) and return its file."""
    story = sorted((root / COLLECTIONS["stories"]).glob("*.md"))[0]
    text = story.read_text("utf-8")
    story.write_text(text.replace("## Outcome\n", "## Outcome\n\nIn the end, ", 1), "utf-8")
    return story


def report(root: Path, work: Path, count: int, project=None) -> tuple[list[str], list[str]]:
    """(the Markdown section, the targets missed). `project(count)` makes a copy with `count` synthetic stories."""
    if project is None:
        project = _projects(root, work)
    missed: list[str] = []

    def target(ok: bool, what: str) -> str:
        if not ok:
            missed.append(what)
        return f"- {'met' if ok else 'MISSED'}: {what}"

    real = timed_build(root, work / "cache-real")
    lines = [
        "## Card PDFs (Typst)",
        "",
        "One `pdfs.build` each, every deck on every paper and every session pack: **cold** with an empty card cache,",
        "**warm** after one story changed, with the cache the cold build left.",
        "",
        "| content | stories | build | files (rendered) | cards laid out | pages | MiB | CPU s | wall s"
        " | CPU ms per card laid out |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        _row("real", len(load(root).stories), "cold", real),
    ]
    cold: dict[int, Run] = {}
    warm: dict[int, Run] = {}
    for n in (count, 2 * count):
        folder = project(n)
        cache = work / f"cache-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        cold[n] = timed_build(folder, cache)
        story = change_one_story(folder)
        original = story.read_text("utf-8")
        try:
            warm[n] = timed_build(folder, cache)
        finally:
            story.write_text(original.replace("## Outcome\n\nIn the end, ", "## Outcome\n", 1), "utf-8")
        lines += [_row("synthetic", n, "cold", cold[n]), _row("synthetic", n, "warm", warm[n])]
    per_card = {n: run.cpu / run.cards for n, run in cold.items()}
    growth = per_card[2 * count] / per_card[count] - 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += [
        "",
        f"Peak memory of this process: {peak:.0f} MiB. Each card's faces are laid out once per paper, and every",
        "deck, a session pack's too, draws them on its own sheets (the A6 deck prints the A4 faces at 105%). A warm",
        "build lays out the changed story's card alone on A4 and on Letter, borrows the other faces of its part from",
        "the build before (kept in memory), puts the decks that hold it together again, and renders the guides and",
        "handouts of the story's packs.",
        "",
        target(real.cpu <= MAX_REAL_CPU, f"real content cold: {real.cpu:.2f} CPU s, target at most {MAX_REAL_CPU:g}"),
        target(
            cold[count].cpu <= MAX_COLD_CPU,
            f"{count} stories cold: {cold[count].cpu:.1f} CPU s, target at most {MAX_COLD_CPU:g}",
        ),
        target(
            growth <= MAX_PER_CARD_GROWTH,
            f"linear to {2 * count}: {1000 * per_card[count]:.2f} then {1000 * per_card[2 * count]:.2f} CPU ms per card"
            f" ({growth:+.0%}), target at most {MAX_PER_CARD_GROWTH:+.0%}",
        ),
        *(
            target(warm[n].cpu <= MAX_WARM_CPU, f"{n} stories warm: {warm[n].cpu:.2f} CPU s, target at most 1")
            for n in warm
        ),
        "",
    ]
    return lines, missed


def _row(content: str, stories: int, kind: str, run: Run) -> str:
    per_card = f"{1000 * run.cpu / run.cards:.1f}" if run.cards else "-"
    return (
        f"| {content} | {stories} | {kind} | {run.pdfs} ({run.rendered}) | {run.cards} | {run.pages}"
        f" | {run.size / 2**20:.1f} | {run.cpu:.2f} | {run.wall:.2f} | {per_card} |"
    )


def _projects(root: Path, work: Path):
    """Copies of the repository with synthetic stories, made as the site bench makes them."""
    from benchmarks import site

    bench = site.Bench(root=root, work=work, stories=0, rounds=0)
    return lambda n: site.make_project(bench, n)


def section(bench) -> list[str]:
    """The card report as a section of the site bench (`benchmarks.site.SECTIONS`), at its N and 2N."""
    from benchmarks import site

    lines, missed = report(bench.root, bench.work, bench.stories, lambda n: site.make_project(bench, n))
    bench.missed += missed
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cards", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stories", type=int, default=1000, metavar="N", help="synthetic stories (default 1000; then 2N)"
    )
    args = parser.parse_args(argv)
    if args.stories < 10:
        parser.error("--stories must be at least 10")
    from benchmarks import site

    # One build date for every build, as the site bench has it: content reviewed today is not in the future.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(site.BUILD_DATE.timestamp())))
    work = Path(tempfile.mkdtemp(prefix="turnaround-cards-bench-"))
    try:
        lines, missed = report(find_root(), work, args.stories)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for line in lines:
        print(line, flush=True)
    if missed:
        print(f"{len(missed)} target(s) missed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
