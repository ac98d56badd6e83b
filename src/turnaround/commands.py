"""Sub-commands beyond `check`: each module registers its own parser here.

A register function takes argparse's sub-parsers and adds one command with
`set_defaults(run=...)`; the run function returns the exit code.
"""

from __future__ import annotations

REGISTER: list = []

# `turnaround links`: an independent check of the built site's links.
from . import linkcheck  # noqa: E402

REGISTER.append(linkcheck.register)

# `turnaround cards`: the printable card PDFs and cards.json, without a site build.
from .cards import command as cards_command  # noqa: E402

REGISTER.append(cards_command.register)

# `turnaround new-story` and `turnaround schemas`: the contributor's kit.
from . import scaffold, schema_files  # noqa: E402

REGISTER += [scaffold.register, schema_files.register]

# `turnaround export DIR`: the site as plain files and a hook-free mkdocs.yml.
from . import export  # noqa: E402

REGISTER.append(export.register)

# `turnaround offline SITE_DIR`: the service worker and manifest for a site built from the export.
from . import offline  # noqa: E402

REGISTER.append(offline.register)

# `turnaround search-index SITE_DIR`: the site search (Pagefind) for a site built from the export.
from . import search  # noqa: E402

REGISTER.append(search.register)
