"""Opt-in, not part of `make bench`: the export at N synthetic stories, built by MkDocs and by Zensical.

    python -m benchmarks.builders --zensical /tmp/zvenv/bin/zensical [--stories N] [--rounds R] [--work DIR]

Zensical is not a project dependency: install it in a throwaway virtual environment first, with
this checkout for the Markdown extensions the export's mkdocs.yml names
(`python3 -m venv /tmp/zvenv && /tmp/zvenv/bin/pip install zensical==0.0.73 .`).

The project with N synthetic stories (the bench's generator) is exported once (`turnaround export`);
then every round builds the export from clean with each builder, alternating which goes first:
`mkdocs build --strict` into an empty folder, and `zensical build --clean --strict` with its site
folder and cache removed first. The report is Markdown on stdout: each build's CPU and wall seconds,
the medians and their ratio. `--work DIR` keeps the project and its export there, and reuses them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from benchmarks.site import BUILD_DATE, Bench, Build, _now, make_project
from turnaround import export
from turnaround.repository import find_root


def timed(command: list[str], folder: Path, env: dict[str, str]) -> Build:
    """Run `command` in `folder` and measure that process and the children it waits for."""
    with tempfile.TemporaryFile() as log:
        start = _now()
        child = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = _now() - start
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            raise SystemExit(f"builders: {' '.join(command)} failed:\n{log.read().decode(errors='replace')[-3000:]}")
    return Build(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def version(command: list[str], env: dict[str, str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.builders", description=__doc__.split("\n\n")[0])
    parser.add_argument("--zensical", required=True, type=Path, help="the zensical command of its own environment")
    parser.add_argument("--stories", type=int, default=1000, metavar="N", help="synthetic stories (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, metavar="R", help="clean builds per builder (default 3)")
    parser.add_argument("--work", type=Path, help="keep the project and its export here (reused when present)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(BUILD_DATE.timestamp())))
    root = find_root()
    work = args.work or Path(tempfile.mkdtemp(prefix="turnaround-builders-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "export"
    if not (folder / "mkdocs.yml").is_file():
        project = make_project(Bench(root=root, work=work, stories=args.stories, rounds=args.rounds), args.stories)
        export.export(project, folder)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [sys.executable, "-m", "mkdocs"]
    builders = {
        "mkdocs": ([*mkdocs, "build", "--strict", "--site-dir", "site"], env, [folder / "site"]),
        "zensical": (
            [str(args.zensical), "build", "--clean", "--strict"],
            env,
            [folder / "site", folder / ".cache"],
        ),
    }
    versions = {
        "mkdocs": f"MkDocs {metadata.version('mkdocs')} (Material {metadata.version('mkdocs-material')})",
        "zensical": f"Zensical {version([str(args.zensical), '--version'], env)}",
    }
    runs: dict[str, list[Build]] = {name: [] for name in builders}
    written = sum(1 for _ in (folder / "docs").rglob("*.md"))
    print(
        f"# The export at {args.stories} synthetic stories ({written} Markdown pages): {', '.join(versions.values())}\n"
    )
    print("| round | builder | CPU s | wall s | peak MiB | pages |\n| --- | --- | --- | --- | --- | --- |", flush=True)
    try:
        for round_ in range(1, args.rounds + 1):
            order = list(builders) if round_ % 2 else list(reversed(builders))
            for name in order:
                command, builder_env, clean = builders[name]
                for path in clean:
                    shutil.rmtree(path, ignore_errors=True)
                run = timed(command, folder, builder_env)
                runs[name].append(run)
                pages = sum(1 for _ in (folder / "site").rglob("index.html"))
                row = f"| {round_} | {name} | {run.cpu:.1f} | {run.wall:.1f} | {run.peak_mib:.0f} | {pages} |"
                print(row, flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    cpu = {name: statistics.median(b.cpu for b in found) for name, found in runs.items()}
    wall = {name: statistics.median(b.wall for b in found) for name, found in runs.items()}
    print("\n| builder | median CPU s | median wall s |\n| --- | --- | --- |")
    for name in builders:
        print(f"| {versions[name]} | {cpu[name]:.1f} | {wall[name]:.1f} |")
    print(f"\nZensical/MkDocs: CPU {cpu['zensical'] / cpu['mkdocs']:.2f}, wall {wall['zensical'] / wall['mkdocs']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
