"""Where the sources and the named frameworks agree: two tables of them against the steps (crosswalks.md.j2)."""

from __future__ import annotations

from markupsafe import Markup

from .. import content
from ..index import Index, index_of
from . import markdown as md
from . import templating

CROSSWALKS = content.CROSSWALKS
YES = "✓"


def build(kb) -> dict[str, str]:
    index = index_of(kb)
    page = templating.render(kb, "crosswalks.md.j2", here=CROSSWALKS, **sources(index), **frameworks(index))
    return {CROSSWALKS: page}


def sources(index: Index) -> dict[str, Markup]:
    """Steps down, sources across (numbered, with a key): a tick where the source recommends the step."""
    sources = index.kb.sources
    if not sources:
        return {"sources_key": Markup(), "sources_table": Markup()}
    key = "\n".join(f"{n}. {md.link(source.title, CROSSWALKS, source.src_uri)}" for n, source in enumerate(sources, 1))
    headers = (
        ["Step"] + [md.link(str(n), CROSSWALKS, source.src_uri) for n, source in enumerate(sources, 1)] + ["Sources"]
    )
    rows = []
    for step in index.kb.steps:
        recommending = {source.id for source, _text in index.advice.get(step.id, [])}
        ticks = [YES if source.id in recommending else "" for source in sources]
        rows.append([md.link(step.title, CROSSWALKS, step.src_uri), *ticks, f"{len(recommending)} of {len(sources)}"])
    return {"sources_key": Markup(key), "sources_table": Markup(md.table(headers, rows))}


def frameworks(index: Index) -> dict[str, Markup]:
    """Steps down, frameworks across: the framework's own word for the step."""
    frameworks = index.kb.frameworks
    if not frameworks:
        return {"frameworks_key": Markup(), "frameworks_table": Markup()}
    key = "\n".join(f"- **{md.text(f.name)}**: {md.text(f.origin)}" for f in frameworks)
    headers = ["Step"] + [md.text(f.name) for f in frameworks] + ["Named by"]
    rows = []
    for step in index.kb.steps:
        words: dict[str, list[str]] = {}
        for framework, element in index.named_by.get(step.id, []):
            words.setdefault(framework.name, []).append(element)
        cells = [md.text(", ".join(words.get(f.name, []))) for f in frameworks]
        rows.append([md.link(step.title, CROSSWALKS, step.src_uri), *cells, f"{len(words)} of {len(frameworks)}"])
    return {"frameworks_key": Markup(key), "frameworks_table": Markup(md.table(headers, rows))}
