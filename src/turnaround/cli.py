"""The `turnaround` command: check content, scaffold stories, write cards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pages
from .loader import load
from .options import BadOptions, find
from .problems import UsageError, sort_problems
from .repository import NotARepository, rel

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every collection, or only the given files against the whole repository."""
    root, settings = find()
    kb = load(root, settings=settings)
    # A site's own page templates are checked here too: what check accepts, the build publishes.
    problems = [*kb.problems, *pages.template_problems(kb)]
    if args.paths:
        wanted = set()
        for name in args.paths:
            path = Path(name)
            if not path.exists():
                raise UsageError(f"{name}: no such file")
            wanted.add(rel(root, path))
        problems = [p for p in problems if p.path in wanted]
    for problem in sort_problems(problems):
        print(problem.github() if args.format == "github" else problem)
    checked = len(args.paths) if args.paths else len(kb.entries()) + len(kb.unreadable)
    if problems:
        print(
            f"{len(problems)} error{'s' if len(problems) != 1 else ''} in {len({p.path for p in problems})} "
            f"file(s); {checked} file(s) checked.",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    print(f"All good: {checked} file(s) checked.", file=sys.stderr)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="turnaround", description="Turnaround: a knowledge base on service recovery.")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser("check", help="validate stories, steps and sources; exit 0 clean, 1 errors, 2 usage")
    check.add_argument(
        "paths", nargs="*", help="only report on these files (references still resolve against the whole repository)"
    )
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="`github` prints workflow annotations for pull requests",
    )
    check.set_defaults(run=cmd_check)
    for register in _extensions():
        register(commands)
    return top


def _extensions():
    # Further commands register themselves here; each lives beside the code it drives.
    from . import commands

    return commands.REGISTER


def main(argv: list[str] | None = None) -> int:
    """Run a command; errors in use exit 2 with a message, never a traceback."""
    top = parser()
    try:
        args = top.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    if not getattr(args, "run", None):
        top.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except (UsageError, NotARepository, BadOptions) as err:
        print(f"turnaround: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug in Turnaround itself: say so plainly, without a traceback
        print(f"turnaround: internal error: {type(err).__name__}: {err} (please report it)", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
