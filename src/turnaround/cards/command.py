"""`turnaround cards`: write every card PDF and cards.json without building the site."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..loader import load
from ..options import find
from ..problems import UsageError
from .cache import Cache, default_dir
from .errors import CardError
from .packs import pack_ids
from .pdfs import build, created_from_environment, write
from .site import NO_SITE_URL


def register(commands) -> None:
    cards = commands.add_parser("cards", help="write the printable card PDFs and cards.json; exit 0 done, 1 errors")
    cards.add_argument("--out", default=None, help="folder to write into (default: site/cards in the repository)")
    cards.add_argument(
        "--no-cache", action="store_true", help="render every PDF again instead of reusing unchanged ones"
    )
    cards.add_argument(
        "--pack",
        default=None,
        metavar="KIND/NAME",
        help="write one session pack only, such as setting/hotel or failure/billing-error",
    )
    cards.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Render (or reuse) every PDF; content errors and cards that do not fit exit 1."""
    root, settings = find()
    kb = load(root, settings=settings)
    if kb.problems:
        for problem in kb.problems:
            print(problem)
        print(f"{len(kb.problems)} content error(s): fix them first (`turnaround check`).", file=sys.stderr)
        return 1
    # An unknown pack is a usage error (exit 2) that lists the packs there are.
    if args.pack is not None and args.pack not in pack_ids(kb):
        known = ", ".join(pack_ids(kb)) or "none (no setting or failure type has 3 stories yet)"
        raise UsageError(f"--pack {args.pack}: no such session pack; the packs are: {known}")
    out = Path(args.out) if args.out else root / "site" / "cards"
    started = time.perf_counter()
    try:
        if not kb.site_url:
            print(NO_SITE_URL, file=sys.stderr)
        cache = Cache(None if args.no_cache else default_dir(root, settings.cache_dir))
        result = build(kb, kb.site_url, cache, created_from_environment(), only=args.pack)
    except CardError as err:
        print(f"turnaround: {err}", file=sys.stderr)
        return 1
    written = write(result, out)
    for built in result.built:
        size = (out / built.product.file).stat().st_size
        print(
            (
                f"{built.product.file:44} {built.pages:4} pages {size / 1024:8.0f} "
                f"KiB{'  (unchanged, from the cache)' if built.cached else ''}"
            ),
            file=sys.stderr,
        )
    for problem in result.problems:
        print(problem)
    rendered = sum(not b.cached for b in result.built)
    print(
        (
            f"{len(written)} files in {out} ({rendered} rendered, {len(result.built) - rendered} from the cache) in "
            f"{time.perf_counter() - started:.1f} s."
        ),
        file=sys.stderr,
    )
    return 1 if result.problems else 0
