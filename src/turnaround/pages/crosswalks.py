"""Where the sources and the named frameworks agree: two tables of them against the steps."""

from __future__ import annotations

from .. import content
from ..index import Index, index_of
from . import markdown as md

CROSSWALKS = content.CROSSWALKS
YES = "✓"


def build(kb) -> dict[str, str]:
    index = index_of(kb)
    return {
        CROSSWALKS: md.page(
            "Crosswalks",
            "How the steps line up with what the curated sources recommend and with the named "
            "service-recovery frameworks. A step that many of them name is one they agree on.",
            "## Sources and steps\n\n" + sources_table(index),
            "## Frameworks and steps\n\n" + frameworks_table(index),
        )
    }


def sources_table(index: Index) -> str:
    """Steps down, sources across (numbered, with a key): a tick where the source recommends the step."""
    sources = index.kb.sources
    if not sources:
        return "No sources yet."
    key = "\n".join(f"{n}. {md.link(source.title, CROSSWALKS, source.src_uri)}" for n, source in enumerate(sources, 1))
    headers = (
        ["Step"] + [md.link(str(n), CROSSWALKS, source.src_uri) for n, source in enumerate(sources, 1)] + ["Sources"]
    )
    rows = []
    for step in index.kb.steps:
        recommending = {source.id for source, _text in index.advice.get(step.id, [])}
        ticks = [YES if source.id in recommending else "" for source in sources]
        rows.append([md.link(step.title, CROSSWALKS, step.src_uri), *ticks, f"{len(recommending)} of {len(sources)}"])
    return f'The sources:\n\n{key}\n\n<div class="ta-compact" markdown>\n\n{md.table(headers, rows)}\n\n</div>'


def frameworks_table(index: Index) -> str:
    """Steps down, frameworks across: the framework's own word for the step."""
    frameworks = index.kb.frameworks
    if not frameworks:
        return "No frameworks yet."
    key = "\n".join(f"- **{md.text(f.name)}**: {md.text(f.origin)}" for f in frameworks)
    headers = ["Step"] + [md.text(f.name) for f in frameworks] + ["Named by"]
    rows = []
    for step in index.kb.steps:
        words: dict[str, list[str]] = {}
        for framework, element in index.named_by.get(step.id, []):
            words.setdefault(framework.name, []).append(element)
        cells = [md.text(", ".join(words.get(f.name, []))) for f in frameworks]
        rows.append([md.link(step.title, CROSSWALKS, step.src_uri), *cells, f"{len(words)} of {len(frameworks)}"])
    return f'<div class="ta-compact" markdown>\n\n{md.table(headers, rows)}\n\n</div>\n\nThe frameworks:\n\n{key}'
