"""Load the whole knowledge base and validate it in three passes."""

from __future__ import annotations

from pathlib import Path

from . import content, file_checks, frontmatter, guards, markdown_text, printable, validate
from .model import KnowledgeBase, build_date, in_checklist_order, record
from .problems import FILE, Problem, sort_problems
from .repository import COLLECTIONS, Settings, entry_files, rel, stray_files
from .schema import SCHEMAS
from .vocabulary import load_frameworks, load_vocabularies


def load(root: Path, cache: bool = False, settings: Settings | None = None) -> KnowledgeBase:
    """Read every collection, then check references and bodies; never raises on bad content.

    With `cache`, each file's own checks are kept in `.cache/checks/` by content,
    so the next load re-checks only the files that changed (the site build).
    `settings` are the project's options (`turnaround.options` reads them from mkdocs.yml); unset, the defaults.
    """
    settings = settings or Settings()
    vocab, problems = load_vocabularies(root)
    frameworks, framework_problems = load_frameworks(root)
    kb = KnowledgeBase(
        root=root,
        settings=settings,
        vocab=vocab,
        frameworks=frameworks,
        site_url=settings.site_url or None,
    )
    kb.problems += problems + framework_problems
    store = file_checks.Store.open(root, kb.settings) if cache else None

    # Pass 1: each file on its own; an entry whose front matter cannot be read is kept by name.
    for collection in COLLECTIONS:
        schema = SCHEMAS[collection](vocab)
        entries = []
        for path in entry_files(root, collection):
            checked = _checked(kb, collection, schema, path, store)
            kb.problems += checked.doc.problems + checked.problems
            if checked.entry is None:
                kb.unreadable.append(checked.doc.rel)
            else:
                entries.append(checked.entry)
        setattr(kb, collection, entries)
    if store:
        store.save()
    # Nothing in stories/ is silently left out: a file that can never be a story page is a problem.
    for path in stray_files(root, "stories"):
        kb.problems.append(_stray(rel(root, path), path))
    kb.steps = in_checklist_order(kb.steps)

    # Pass 2: references between entries, now that everything is loaded; review dates against the build date
    # (here, not in the stored checks: the date changes while the files do not).
    kb.problems += validate.check_references(kb)
    kb.problems += validate.check_review_dates(kb, build_date())

    # Pass 3: links between pages, and story names the site needs for its own pages.
    pages = known_pages(kb)
    generated = set(content.page_paths(kb.vocab, [step.id for step in kb.steps]))
    for story in kb.stories:
        # A story named like a generated page (stories/index.md) would be silently replaced by it.
        if story.src_uri in generated:
            kb.problems.append(
                Problem(
                    story.rel,
                    1,
                    FILE,
                    f"file name `{story.id}.md` is taken: the site generates its own page at `{story.src_uri}`; "
                    f"rename the story",
                    "reserved-id",
                )
            )
    for entry in kb.entries():
        kb.problems += validate.check_links(entry, pages)
    kb.problems = sort_problems(kb.problems)
    return kb


def _checked(
    kb: KnowledgeBase, collection: str, schema, path: Path, store: file_checks.Store | None
) -> file_checks.Checked:
    """One file read and checked on its own (front matter, schema, story sections, guards), or its stored record."""
    relpath = rel(kb.root, path)
    try:
        raw = path.read_bytes()
    except OSError:
        raw = None  # frontmatter.read reports it
    found = store.get(relpath, raw, path) if store and raw is not None else None
    if found:
        return found
    doc = frontmatter.read(path, relpath) if raw is None else frontmatter.from_bytes(raw, relpath)
    if not doc.ok:
        checked = file_checks.Checked(doc, None, [])
    else:
        entry = record(collection, path, doc)
        problems = validate.check_id(entry) + validate.check_front_matter(doc, schema)
        if collection == "stories":
            problems += validate.check_story_body(entry) + validate.check_provenance(entry)
        problems += guards.check(entry, kb)
        # What goes on a card must be in its fonts, or the card build would stop.
        problems += printable.check(entry)
        # Scan the body now, so the stored record carries its anchors, links and fenced lines (for its prose).
        entry.anchors, entry.links, entry.fenced  # noqa: B018
        checked = file_checks.Checked(doc, entry, problems)
    return store.put(relpath, raw, checked) if store and raw is not None else checked


def _stray(relpath: str, path: Path) -> Problem:
    """Where a file under stories/ that would never be published should go instead."""
    target = f"stories/{path.name.split('.')[0].lower() or 'new-story'}.md"
    if relpath.count("/") > 1:
        hint = f"stories live directly in stories/, not in sub-folders; move it to `{target}`"
    else:
        hint = f"stories are `.md` files; rename it to `{target}`"
    return Problem(relpath, 1, FILE, f"is never published: {hint}", "stray-file")


def known_pages(kb: KnowledgeBase) -> dict[str, set[str] | None]:
    """Every page of the site by its path in the docs tree, with its anchors where known."""
    pages: dict[str, set[str] | None] = {}
    docs = kb.root / kb.settings.docs_dir
    for path in sorted(docs.rglob("*.md")):
        text = path.read_text("utf-8", errors="replace")
        doc = frontmatter.parse_text(text, "") if text.startswith("---") else None
        pages[path.relative_to(docs).as_posix()] = markdown_text.anchors(doc.body if doc else text)
    for story in kb.stories:
        pages[story.src_uri] = story.anchors
    for uri in content.page_paths(kb.vocab, [step.id for step in kb.steps]):
        pages.setdefault(uri, None)
    return pages
