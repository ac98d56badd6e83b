"""`make bench`: how the site build scales with the number of stories.

Writes N realistic synthetic stories into a temporary copy of the repository
and builds it, alternating with plain mkdocs-material building the same pages
without the hooks (every page the hooks make, written out as Markdown files
by `turnaround.export`), at N and 2N stories. The machine is shared and noisy, so only ratios taken in the same
run are compared, never absolute times. Also reports the size of a story page
at N/10 and 2N stories, the offline precache at 0, N and 2N, and peak memory.

    python -m benchmarks [--stories N] [--rounds R] [--profile] [--keep]

The report is Markdown on stdout; the exit code is 1 when a target is missed.
More measurements (such as card PDFs) are added as sections: a function that
takes the `Bench` and returns or yields report lines, appended to `SECTIONS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import cards, search
from turnaround import export, offline
from turnaround.loader import load
from turnaround.repository import COLLECTIONS, DOCS, find_root

# Targets at N = 1000 (issues 3 and 11): the project at most 10% slower than plain Material doing the same work, story
# pages flat.
MAX_TIME_RATIO = 1.10
MAX_PAGE_GROWTH = 0.10
# What a phone keeps offline after its first visit (turnaround.offline): at most this, whatever the stories.
MAX_PRECACHE = 3 * 1024 * 1024
MAX_PRECACHE_GROWTH = 0.02
# What a copy of the repository needs to build the site (as tests/conftest.py copies it).
CONTENT = ["docs", "stories", "data", "hooks", "overrides", "src", "mkdocs.yml", "pyproject.toml"]
SEED = 20261122
# The build date of every bench build (SOURCE_DATE_EPOCH), unless one is set already: today at midnight UTC,
# so content reviewed today is not in the future and the day's runs share the card cache.
BUILD_DATE = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(), tzinfo=dt.UTC)
# The keys the stories-only reference keeps: the same theme, plugins, Markdown extensions and CSS; no nav.
STORIES_ONLY_KEYS = ("theme", "plugins", "markdown_extensions", "extra_css")


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Build:
    """One `mkdocs build`: wall-clock and CPU seconds, peak memory."""

    wall: float
    cpu: float
    peak_mib: float


@dataclass
class Bench:
    """The run's settings, its temporary folder, and what the sections found."""

    root: Path
    work: Path
    stories: int
    rounds: int
    profile: bool = False
    missed: list[str] = field(default_factory=list)  # targets not met, for the exit code

    def target(self, ok: bool, what: str) -> str:
        """A line saying whether a target is met; a miss is remembered."""
        if not ok:
            self.missed.append(what)
        return f"{'met' if ok else 'MISSED'}: {what}"


def build(folder: Path, site: Path, *extra: str) -> Build:
    """Run `mkdocs build` in a child process and measure that process alone."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as log:
        start = _now()
        child = subprocess.Popen(
            [sys.executable, *extra, "-m", "mkdocs", "build", "--site-dir", str(site)],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=log,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = _now() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            log.seek(0)
            raise SystemExit(f"bench: the build in {folder} failed:\n{log.read().decode(errors='replace')[-3000:]}")
    return Build(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def run_post_build(folder: Path, site: Path) -> Build:
    """What the hooks do after the pages are written, for a site built without hooks (the export's), as its README
    says: `turnaround search-index`, then `turnaround offline`; both child processes measured together."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    wall = cpu = peak = 0.0
    for command in ("search-index", "offline"):
        start = _now()
        child = subprocess.Popen(
            [sys.executable, "-m", "turnaround.cli", command, str(site)],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        wall += _now() - start
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"bench: turnaround {command} {site} failed:\n{child.stderr.read().decode()[-3000:]}")
    return Build(wall, cpu, peak)


def build_plain(folder: Path, site: Path) -> Build:
    """The export's build and its post-build commands: the same work the project's build does with its hooks."""
    pages, after = build(folder, site), run_post_build(folder, site)
    return Build(pages.wall + after.wall, pages.cpu + after.cpu, max(pages.peak_mib, after.peak_mib))


def _now() -> float:
    return time.perf_counter()


# ---------------------------------------------------------------- synthetic stories

PLACES = {
    "restaurant": ["a busy bistro", "a family restaurant", "a steakhouse", "a noodle bar"],
    "cafe": ["a corner café", "a station coffee shop", "a bakery café"],
    "bar": ["a pub", "a hotel bar", "a cocktail lounge"],
    "retail": ["a shoe shop", "a hardware store", "a bookshop"],
    "hotel": ["a city hotel", "a seaside inn", "an airport hotel"],
    "airline": ["a regional airline", "a budget airline"],
    "healthcare": ["a dental clinic", "a pharmacy counter"],
    "online": ["a web shop", "a grocery delivery app"],
    "phone-support": ["a broadband helpline", "an insurer's call centre"],
}
WHAT_WENT_WRONG = {
    "product-defect": "what arrived was spoiled and had to go back",
    "wrong-order": "the order came out wrong, with one item missing",
    "slow-service": "nothing happened for forty minutes while others were served",
    "unavailable": "the thing they came for had sold out that morning",
    "billing-error": "the bill charged for two things they never had",
    "staff-behaviour": "a member of staff brushed the complaint aside",
    "broken-promise": "a promised call back never came",
    "facility-issue": "the room was cold and the heater would not start",
    "policy-friction": "a rule stopped staff from making an easy exception",
    "unmet-expectation": "it was nothing like the photos had suggested",
}
WHO = [
    "A couple",
    "A regular",
    "A family of four",
    "A business traveller",
    "Two colleagues",
    "An older customer",
    "A student",
]
WHEN = [
    "on a Friday evening",
    "at lunchtime",
    "late on a Sunday",
    "during the holidays",
    "on a wet Monday",
    "just before closing",
]
TAGS = [
    "weekend",
    "lunch",
    "dinner",
    "regular",
    "first-visit",
    "group",
    "family",
    "busy",
    "late",
    "refund",
    "manager",
    "phone",
    "email",
    "delivery",
    "queue",
    "booking",
    "drinks",
    "children",
    "birthday",
    "accessibility",
]
# What became of the customer, by outcome; any other outcome leaves it open.
ENDINGS = {"won-back": "came back the next month and said so", "lost": "did not come back"}
FILLER = (
    "They had planned the visit for a while and told the staff so when they arrived. "
    "Nobody around them seemed to notice at first, and the place was about half full."
)


def synthetic_story(kb, number: int, rng: random.Random) -> tuple[str, str]:
    """(file name, text) of one valid story drawn from the real vocabularies and steps."""
    vocab = kb.vocab
    setting = rng.choice([s for s in vocab["settings"] if s in PLACES] or list(vocab["settings"]))
    failure = rng.choice(list(vocab["failures"]))
    steps = [step.id for step in kb.steps]
    chosen = rng.sample(steps, rng.randint(2, min(7, len(steps))))
    cut = rng.randint(1, len(chosen))
    taken, missed = sorted(chosen[:cut], key=steps.index), sorted(chosen[cut:], key=steps.index)
    outcome = rng.choice(list(vocab["outcomes"]))
    compensation = rng.sample([c for c in vocab["compensation"] if c != "none"], rng.randint(0, 2)) or ["none"]
    source = rng.choice([None, None, None, *(s.id for s in kb.sources)])
    place = rng.choice(PLACES.get(setting, ["a small business"]))
    who, when = rng.choice(WHO), rng.choice(WHEN)
    wrong = WHAT_WENT_WRONG.get(failure, "something went wrong")
    label = vocab.label("failures", failure).lower()
    links = ", ".join(f"[{s}](../steps/{s}.md)" for s in (missed or taken)[:3])
    reviewed = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 690))
    front = [
        "---",
        f"title: {label.capitalize()} at {place}, story {number}",
        f"summary: {who} at {place} found that {wrong};"
        f" staff took {len(taken)} recovery steps and missed {len(missed)}.",
        f"setting: {setting}",
        f"failure: {failure}",
        f"severity: {rng.choice(list(vocab['severity']))}",
        f"fault: {rng.choice(list(vocab['fault']))}",
        f"steps_taken: [{', '.join(taken)}]",
        f"steps_missed: [{', '.join(missed)}]",
        f"compensation: [{', '.join(compensation)}]",
        f"outcome: {outcome}",
        f"provenance: {'source-article' if source else 'illustrative'}",
        *([f"source: {source}"] if source else []),
        f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 4)))}]",
        f"reviewed: {reviewed.isoformat()}",
        "---",
    ]
    body = f"""
## Situation

{who} came to {place} {when}. Soon {wrong}. {FILLER} They called a member of
staff over and explained, calmly at first, what had gone wrong and why it
mattered to them today.

## What staff did

The member of staff {"listened to the whole story" if "listen" in taken else "cut in before the story was finished"}
and {"said sorry for it" if "apologize" in taken else "never said sorry"}. They
{"put it right on the spot" if "resolve" in taken else "said someone else would deal with it"}, and
{"offered something for the trouble" if "compensate" in taken else "offered nothing for the trouble"}.

## Outcome

The customer {ENDINGS.get(outcome, "left, and nobody knows whether they returned")}.

## Better recovery

{f"The steps to add: {links}." if missed else f"Keep doing what worked: {links}."} Put the {label} right in kind first,
then close the matter so the customer leaves treated fairly.
"""
    return f"synthetic-{number:05d}.md", "\n".join(front) + "\n" + body


def write_stories(kb, folder: Path, count: int) -> None:
    """Stories 1..count; story i is the same in every run and every project size."""
    rng = random.Random(SEED)
    for number in range(1, count + 1):
        name, text = synthetic_story(kb, number, rng)
        (folder / name).write_text(text, "utf-8")


# ---------------------------------------------------------------- the two projects


def make_project(bench: Bench, count: int) -> Path:
    """A copy of the repository with `count` synthetic stories added."""
    folder = bench.work / f"project-{count}"
    if folder.exists():
        return folder
    folder.mkdir(parents=True)
    for name in CONTENT:
        source = bench.root / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, folder / name)
    write_stories(load(bench.root), folder / COLLECTIONS["stories"], count)
    return folder


def make_plain(bench: Bench, project: Path, kind: str = "same") -> Path:
    """A plain project beside `project`.

    `same`: its export, the same pages without hooks; `stories`: the stories only.
    """
    folder = bench.work / f"plain-{kind}-{project.name}"
    if not folder.exists():
        export.export(project, folder) if kind == "same" else stories_only(project, folder)
    return folder


def stories_only(project: Path, folder: Path) -> Path:
    """The bare reference: the hand-written pages and the story files as they are, out of the nav; nothing generated."""
    shutil.copytree(project / DOCS, folder / DOCS)
    for name in export.SHARED:
        if (project / name).is_dir():
            shutil.copytree(project / name, folder / name)
    shutil.copytree(project / COLLECTIONS["stories"], folder / DOCS / "stories")
    config = export.keep_blocks((project / "mkdocs.yml").read_text("utf-8"), STORIES_ONLY_KEYS)
    (folder / "mkdocs.yml").write_text(f"site_name: Plain Material\nnot_in_nav: /stories/\n{config}", "utf-8")
    return folder


# ---------------------------------------------------------------- sections


# How each side of the comparison builds: the plain project runs the export's post-build commands too.
BUILDERS = {"project": build, "plain": build_plain, "stories": build}


def section_builds(bench: Bench):
    """Project / plain build time at N and 2N: a first build of each, then alternating timed builds."""
    yield "## Build time against plain mkdocs-material"
    yield ""
    yield (
        "**plain** builds the same pages (every page the hooks make, written out as Markdown files)"
        " with the project's configuration and no hooks, then runs what the hooks run after the pages are"
        " written (`turnaround search-index`, `turnaround offline`); **stories only** is plain Material on the"
        " hand-written pages and the story files, with nothing generated (a reference, not a target)."
    )
    yield (
        "Each project is built once first, with whatever caches it finds (none in a fresh run:"
        " every card PDF is rendered and every file checked), then timed in alternating pairs"
        " with its caches warm, as `mkdocs serve` and any second build have them."
    )
    yield ""
    yield (
        "| stories | round | project CPU s | plain CPU s | CPU ratio | project wall s | plain wall s"
        " | wall ratio | project peak MiB | plain peak MiB | stories only CPU s |"
    )
    yield "|" + " --- |" * 11
    summary = []
    for count in (bench.stories, 2 * bench.stories):
        project = make_project(bench, count)
        site = bench.work / f"site-project-{count}"
        first = build(project, site)  # renders the card PDFs the plain project copies
        sites = {
            "project": (project, site),
            "plain": (make_plain(bench, project, "same"), bench.work / f"site-plain-{count}"),
            "stories": (make_plain(bench, project, "stories"), bench.work / f"site-stories-{count}"),
        }
        runs = {"project": first, **{name: BUILDERS[name](*sites[name]) for name in ("plain", "stories")}}
        yield _row(count, "first", runs)
        cpu_ratios, wall_ratios = [], []
        for round_ in range(1, bench.rounds + 1):
            # Alternate which build goes first, so drift in machine load falls on both.
            order = ("project", "plain", "stories") if round_ % 2 else ("plain", "project", "stories")
            runs = {name: BUILDERS[name](*sites[name]) for name in order}
            cpu_ratios.append(runs["project"].cpu / runs["plain"].cpu)
            wall_ratios.append(runs["project"].wall / runs["plain"].wall)
            yield _row(count, str(round_), runs)
        # A build that checks every file again (an empty check store, as on a fresh clone), card PDFs cached.
        shutil.rmtree(project / ".cache" / "checks", ignore_errors=True)
        runs = {
            "project": build(*sites["project"]),
            "plain": build_plain(*sites["plain"]),
            "stories": build(*sites["stories"]),
        }
        yield _row(count, "checks cold", runs)
        cpu, wall = statistics.median(cpu_ratios), statistics.median(wall_ratios)
        summary.append(
            bench.target(
                cpu <= MAX_TIME_RATIO,
                f"{count} stories: project/plain CPU time {cpu:.3f}"
                f" (median of {bench.rounds}; wall {wall:.3f}), target at most {MAX_TIME_RATIO}",
            )
        )
    yield ""
    yield from (f"- {line}" for line in summary)
    yield ""


def _row(count: int, label: str, runs: dict[str, Build]) -> str:
    mine, theirs = runs["project"], runs["plain"]
    return (
        f"| {count} | {label} | {mine.cpu:.1f} | {theirs.cpu:.1f} | {mine.cpu / theirs.cpu:.3f}"
        f" | {mine.wall:.1f} | {theirs.wall:.1f} | "
        f"{mine.wall / theirs.wall:.3f} | {mine.peak_mib:.0f} | {theirs.peak_mib:.0f} | {runs['stories'].cpu:.1f} |"
    )


def section_page_size(bench: Bench) -> list[str]:
    """The HTML size of the same story pages at N/10 and at 2N stories."""
    small, large = max(1, bench.stories // 10), 2 * bench.stories
    sizes = {}
    for count in (small, large):
        site = bench.work / f"site-project-{count}"
        if not (site / "stories").is_dir():
            build(make_project(bench, count), site)
        sizes[count] = _story_sizes(bench, site)
    pages = sorted(set(sizes[small]) & set(sizes[large]))
    mean_small = statistics.mean(sizes[small][p] for p in pages)
    mean_large = statistics.mean(sizes[large][p] for p in pages)
    growth = mean_large / mean_small - 1
    return [
        "## Story page size",
        "",
        f"Mean HTML size of the same {len(pages)} story pages (the real stories and the first synthetic ones):",
        "",
        f"- {small} stories: {mean_small / 1024:.1f} KiB",
        f"- {large} stories: {mean_large / 1024:.1f} KiB",
        f"- {bench.target(growth < MAX_PAGE_GROWTH, f'growth {growth:+.1%}, target under {MAX_PAGE_GROWTH:.0%}')}",
        "",
    ]


def section_precache(bench: Bench) -> list[str]:
    """The service worker's precache (home, how to use, checklists, steps, what they load, search) as stories grow."""
    sizes = {}
    for count in (0, bench.stories, 2 * bench.stories):
        site = bench.work / f"site-project-{count}"
        if not (site / offline.SERVICE_WORKER).is_file():
            build(make_project(bench, count), site)
        files = offline.precache(site)
        sizes[count] = (len(files), sum((site / f).stat().st_size for f in files))
    # Flat: once the step and checklist pages list their newest stories only, N to 2N adds nothing.
    smallest, largest = sizes[bench.stories][1], sizes[2 * bench.stories][1]
    growth = largest / smallest - 1
    lines = [
        "## Offline precache",
        "",
        "What a phone downloads on its first visit to keep the staff's pages offline:",
        "",
    ]
    lines += [
        f"- {count} synthetic stories: {files} files, {size / 1024:.0f} KiB" for count, (files, size) in sizes.items()
    ]
    lines.append(f"- {bench.target(largest < MAX_PRECACHE, f'{largest / 1024:.0f} KiB, target under 3 MiB')}")
    flat = f"growth {growth:+.1%} from {bench.stories} to {2 * bench.stories} stories, target under 2%"
    lines.append(f"- {bench.target(growth < MAX_PRECACHE_GROWTH, flat)}")
    return [*lines, ""]


def _story_sizes(bench: Bench, site: Path) -> dict[str, int]:
    names = [p.stem for p in sorted((bench.root / COLLECTIONS["stories"]).glob("*.md"))]
    names += [f"synthetic-{n:05d}" for n in range(1, 11)]
    return {
        name: (site / "stories" / name / "index.html").stat().st_size
        for name in names
        if (site / "stories" / name / "index.html").exists()
    }


def section_profile(bench: Bench) -> list[str]:
    """Where the time of one project build at N goes (cProfile), with --profile."""
    if not bench.profile:
        return []
    project = make_project(bench, bench.stories)
    stats_file = bench.work / "build.prof"
    build(project, bench.work / "site-profile", "-m", "cProfile", "-o", str(stats_file))
    stats = pstats.Stats(str(stats_file))
    total = max(t[3] for t in stats.stats.values())  # cumulative time of the outermost call
    wanted = {
        "turnaround hooks, all events": ("hooks/turnaround_site.py", ("on_config", "on_files", "on_page_markdown")),
        "turnaround: load and validate (check store warm)": ("turnaround/loader.py", ("load",)),
        "turnaround: generated pages": ("turnaround/pages/__init__.py", ("generated_pages",)),
        "turnaround: decorate entry pages": ("turnaround/pages/__init__.py", ("decorate",)),
        "turnaround: card PDFs (cache warm)": ("turnaround/cards/pdfs.py", ("build",)),
        "Markdown to HTML (all pages)": ("markdown/core.py", ("convert",)),
        "page templates (Jinja)": ("jinja2/environment.py", ("render",)),
        "search index (pages read)": ("search/plugin.py", ("on_page_context",)),
        "tags plugin listings": ("tags/plugin.py", ("on_env",)),
        "writing files": ("mkdocs/utils/__init__.py", ("write_file",)),
    }
    lines = [
        "## Profile of one build",
        "",
        f"cProfile of the project build at {bench.stories} stories"
        f" ({total:.1f} s under the profiler; cumulative times overlap).",
        "",
        "| part | seconds | share |",
        "| --- | --- | --- |",
    ]
    for label, (path, names) in wanted.items():
        seconds = sum(t[3] for (file, _line, func), t in stats.stats.items() if file.endswith(path) and func in names)
        lines.append(f"| {label} | {seconds:.2f} | {seconds / total:.0%} |")
    top = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:12]
    lines += ["", "Top functions by own time:", "", "| function | own s | calls |", "| --- | --- | --- |"]
    for (file, line, func), (_cc, calls, own, _cum, _callers) in top:
        lines.append(f"| `{Path(file).name}:{line} {func}` | {own:.2f} | {calls} |")
    return [*lines, ""]


# The report's sections by name, in order; each takes the Bench and returns (or yields) Markdown lines.
SECTIONS: dict[str, Callable[[Bench], Iterable[str]]] = {
    "builds": section_builds,
    "page-size": section_page_size,
    "precache": section_precache,
    "profile": section_profile,
    "cards": cards.section,
    "search": search.section,
}


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stories",
        type=int,
        default=1000,
        metavar="N",
        help="synthetic stories in the first project (default 1000; the second has 2N)",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, metavar="R", help="alternating build pairs per size (default 5)"
    )
    parser.add_argument("--profile", action="store_true", help="also profile one build at N with cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and sites, and print where")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        metavar="NAMES",
        help=f"sections to run (default all: {','.join(SECTIONS)})",
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    if not chosen or set(chosen) - set(SECTIONS):
        parser.error(f"--only takes section names among {', '.join(SECTIONS)}")
    if args.stories < 10 or args.rounds < 1:
        parser.error("--stories must be at least 10 and --rounds at least 1")
    # One build date for every build and for the plain project's card PDFs, so they share the card cache.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(BUILD_DATE.timestamp())))
    work = Path(tempfile.mkdtemp(prefix="turnaround-bench-"))
    bench = Bench(root=find_root(), work=work, stories=args.stories, rounds=args.rounds, profile=args.profile)
    try:
        print(f"# Turnaround bench: {args.stories} and {2 * args.stories} stories, {args.rounds} rounds\n", flush=True)
        for name in chosen:
            for line in SECTIONS[name](bench):
                print(line, flush=True)
    finally:
        if args.keep:
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if bench.missed:
        print(f"{len(bench.missed)} target(s) missed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
