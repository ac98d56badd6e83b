"""The rules content must follow, each turned into a located, teaching message.

Pass 1 checks each file on its own against its collection's schema; pass 2
runs after everything has loaded and resolves references between entries;
pass 3 reads the bodies (sections, links).
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections.abc import Iterable

from . import card_room, content, markdown_text
from .content import ID_PATTERN, TITLE_LIMIT
from .frontmatter import Document, kind_of
from .guards import url_scheme
from .model import Entry, KnowledgeBase, as_list
from .problems import FILE, Problem

# A story's body: these second-level sections, in this order, each with at most
# this many characters of text. The Situation fills the front of a role-play card; the
# other three share its back, so together they stay within what one back holds (1,120).
STORY_SECTIONS = {section.title: section.limit for section in content.STORY_SECTIONS}

EXPECTED = {
    "string": "text",
    "array": "a list",
    "integer": "a whole number",
    "object": "a mapping",
    "number": "a number",
}


# ---------------------------------------------------------------- pass 1: schema


def check_front_matter(doc: Document, schema: dict) -> list[Problem]:
    """Validate one file's front matter against its schema; every error located."""
    # Imported here: a build whose files are all in the check store never needs it.
    import jsonschema

    instance = _jsonable(doc.meta)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for error in validator.iter_errors(instance):
        problems.extend(_explain(doc, error))
    return problems


def _jsonable(value):
    # Dates become ISO text, as JSON Schema sees them; everything else is already plain.
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _explain(doc: Document, error) -> list[Problem]:
    """Turn one jsonschema error into the project's own message."""
    path = tuple(error.absolute_path)
    name = _name(path)
    line = doc.line(path)
    kind, value, schema = error.validator, error.instance, error.schema

    def problem(message: str, code: str, at_line: int = line, field: str | None = name) -> Problem:
        return Problem(doc.rel, at_line, field or FILE, message, code)

    if kind == "required":
        missing = [key for key in error.validator_value if key not in value]
        props = schema.get("properties", {})
        return [
            problem(
                f"is missing; add `{key}:` {'to this entry' if path else 'to the front matter'} "
                f"({props.get(key, {}).get('description', '')})".replace(" ()", ""),
                "missing-field",
                doc.line(path) if path else doc.end_line,
                _name((*path, key)),
            )
            for key in missing
        ]
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        return [
            problem(
                f"is not a field of this collection; {_suggest(str(key), known, 'field')}",
                "unknown-field",
                doc.line((*path, key)),
                _name((*path, key)),
            )
            for key in value
            if key not in known
        ]
    if kind == "enum" and not isinstance(value, str):
        # `fault: no` reads as a boolean: the fix is the right value, not quotes around `no`.
        typed = doc.plain.get(path, value)
        return [
            problem(
                f"`{typed}` was read as {kind_of(_raw(doc, path))}, not as one of the values; "
                f"{_suggest(str(typed), list(error.validator_value), 'value')}",
                "unknown-value",
            )
        ]
    if kind == "enum":
        return [
            problem(
                f"unknown value `{value}`; {_suggest(str(value), list(error.validator_value), 'value')}",
                "unknown-value",
            )
        ]
    if kind == "type" and "enum" in schema:
        return []  # the enum error above says it better
    if kind == "type" and value is None:
        return [problem("is empty; write something here", "too-short")]
    if kind == "type":
        expected = EXPECTED.get(error.validator_value, error.validator_value)
        typed = doc.plain.get(path)
        if expected == "text" and typed is not None:
            return [
                problem(f'expected text, got {kind_of(_raw(doc, path))}; put it in quotes: "{typed}"', "wrong-type")
            ]
        return [problem(f"expected {expected}, got {kind_of(_raw(doc, path))}", "wrong-type")]
    if kind == "minLength":
        return [problem("is empty; write something here", "too-short")]
    if kind == "maxLength":
        size, limit = len(value), error.validator_value
        return [problem(f"is {size} characters long; at most {limit} fit (cut {size - limit})", "too-long")]
    if kind == "minItems":
        return [
            problem(
                f"has {len(value)} item{'s' if len(value) != 1 else ''}; at least {error.validator_value} are needed",
                "too-few",
            )
        ]
    if kind == "maxItems":
        return [problem(f"has {len(value)} items; at most {error.validator_value} fit", "too-many")]
    if kind == "uniqueItems":
        dupes = sorted({str(v) for v in value if value.count(v) > 1})
        return [problem(f"lists {', '.join(f'`{d}`' for d in dupes)} more than once; keep one", "duplicate-item")]
    if kind == "pattern" and error.validator_value == ID_PATTERN:
        return [
            problem(
                f"`{value}` is not an id; use lowercase words joined by hyphens, like `{_slug(str(value))}`", "bad-id"
            )
        ]
    if kind == "pattern":
        return [problem(f"`{value}` does not start with http:// or https://", "bad-url")]
    if kind == "format" and error.validator_value == "date":
        return [problem(f"`{value}` is not a date; use YYYY-MM-DD, like 2026-11-22", "bad-date")]
    if kind in ("minimum", "maximum"):
        return [
            problem(f"{value} is out of range ({schema.get('minimum')} to {schema.get('maximum')})", "out-of-range")
        ]
    return [problem(error.message, "schema")]


def _raw(doc: Document, path: tuple):
    value = doc.meta
    for part in path:
        value = value[part]
    return value


# ---------------------------------------------------------------- pass 1: what a story's fields say of each other

# Words that, in the sentence around a link in `## Better recovery`, say the step was taken and should be kept.
KEEP_WORDS = re.compile(r"\b(keep|keeps|kept|keeping)\b", re.I)
# A sentence ends at . ! or ? followed by space and a capital (a link's `.md` does not end one).
SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?!\s+[A-Z(\[*_]))+[.!?]?", re.S)
STEP_LINK = re.compile(r"^(?:\.\./)?steps/([a-z0-9-]+)(?:\.md|/)?(?:#.*)?$")


def check_provenance(story: Entry) -> list[Problem]:
    """Provenance agrees with `source` and `citations`: a reader can tell where the story comes from."""
    doc = story.doc
    provenance, source, citations = story.get("provenance"), story.get("source"), story.get("citations")
    if not isinstance(provenance, str):
        return []  # missing or mistyped: the schema says so
    at = doc.line(("provenance",))
    problems = []
    if provenance == "source-article" and not source:
        problems.append(
            Problem(
                doc.rel,
                at,
                "provenance",
                "is `source-article`, but there is no `source:`; add `source:` with the id of the article the "
                "story comes from, or choose the provenance that fits",
                "provenance-source",
            )
        )
    if source and provenance != "source-article":
        problems.append(
            Problem(
                doc.rel,
                doc.line(("source",)),
                "source",
                f"names a source article, but `provenance` is `{provenance}`; a story retold from a source article "
                f"has `provenance: source-article`, any other story leaves `source:` out",
                "provenance-source",
            )
        )
    if provenance == "public-report" and not (isinstance(citations, list) and citations):
        line = doc.line(("citations",)) if "citations" in story.meta else at
        problems.append(
            Problem(
                doc.rel,
                line,
                "citations" if "citations" in story.meta else "provenance",
                "a `public-report` story lists the reports its facts come from: add `citations:` with at least one "
                "entry of `publisher`, `title`, `date` (YYYY-MM-DD) and `url`",
                "provenance-citations",
            )
        )
    return problems


def check_recovery_links(story: Entry, step_ids: list[str]) -> list[Problem]:
    """Every step linked from `## Better recovery` is in `steps_missed`, or kept on purpose.

    A step linked there is one staff should have taken, so it belongs in
    `steps_missed`. A step staff did take may be linked too, to say it was right:
    then it is in `steps_taken` and its sentence says so with keep/kept.
    Run with the references, once the step ids are known.
    """
    taken, missed = story.get("steps_taken"), story.get("steps_missed")
    if not isinstance(taken, list) or not isinstance(missed, list):
        return []  # missing or mistyped lists: the schema says so
    # Ids are compared as the reference pass reads them; a misspelt one is reported there.
    taken, missed = [str(s).lower() for s in taken], [str(s).lower() for s in missed]
    problems = []
    for line, sentence, step in _recovery_step_links(story):
        if step not in step_ids:
            continue  # a link to no step page: the link check says so
        if step in missed or (step in taken and KEEP_WORDS.search(sentence)):
            continue
        if step in taken:
            message = (
                f"Better recovery links step `{step}`, which is in `steps_taken`; a step linked in Better recovery "
                f"counts as missed "
                f"unless its sentence says to keep doing it: move `{step}` to `steps_missed`, or say so in that "
                f'sentence ("Keep doing this: ...")'
            )
        else:
            message = (
                f"Better recovery links step `{step}`, which is in neither `steps_taken` nor `steps_missed`; a "
                f"step linked in Better recovery "
                f"is one staff missed: add `{step}` to `steps_missed` (or, if staff took it and should keep doing "
                f"it, to `steps_taken` with a sentence that says keep)"
            )
        problems.append(Problem(story.rel, line, None, message, "recovery-step-unlisted"))
    return problems


def _recovery_step_links(story: Entry) -> list[tuple[int, str, str]]:
    """(line, sentence, step id) of each link to a step page in `## Better recovery`."""
    found, _ = story.sections
    starts = [s.line for s in found]
    section = next((s for s in found if s.title == "Better recovery"), None)
    if section is None:
        return []
    end = next((line for line in starts if line > section.line), 10**9)
    lines = story.prose(section.line, end)
    # The section as one text, remembering where each of its lines starts.
    text, offsets = "", []
    for line in lines:
        offsets.append((len(text), line.number))
        text += line.text + "\n"
    sentences = [(m.start(), m.end()) for m in SENTENCE.finditer(text)]
    result = []
    for match in markdown_text.INLINE_LINK.finditer(text):
        step = STEP_LINK.match(match.group(3).strip("<>"))
        if match.group(1) or not step:
            continue
        line = max(number for offset, number in offsets if offset <= match.start())
        sentence = next((text[a:b] for a, b in sentences if a <= match.start() < b), text)
        result.append((line, sentence, step.group(1)))
    return result


# ---------------------------------------------------------------- pass 2: references


def check_references(kb: KnowledgeBase) -> list[Problem]:
    """References between entries, resolved once every collection has loaded."""
    step_ids = [s.id for s in kb.steps]
    source_ids = [s.id for s in kb.sources]
    problems = []
    for story in kb.stories:
        for field in ("steps_taken", "steps_missed"):
            problems += _unknown_ids(story, (field,), step_ids, "step")
        taken = as_list(story.get("steps_taken"))
        for index, step in enumerate(as_list(story.get("steps_missed"))):
            if step in taken:
                problems.append(
                    Problem(
                        story.rel,
                        story.doc.line(("steps_missed", index)),
                        f"steps_missed[{index}]",
                        f"`{step}` is also in `steps_taken`; a step is either taken or missed",
                        "taken-and-missed",
                    )
                )
        problems += check_recovery_links(story, step_ids)
        source = story.get("source")
        if isinstance(source, str) and source not in source_ids:
            problems.append(
                Problem(
                    story.rel,
                    story.doc.line(("source",)),
                    "source",
                    f"unknown source `{source}`; {_suggest(source, source_ids, 'source')}",
                    "unknown-source",
                )
            )
    for source in kb.sources:
        for index, item in enumerate(as_list(source.get("recommends"))):
            if isinstance(item, dict):
                problems += _unknown_ids(source, ("recommends", index, "steps"), step_ids, "step")
    problems += _check_step_order(kb)
    return problems


def _unknown_ids(entry: Entry, path: tuple, known: list[str], what: str) -> list[Problem]:
    value = entry.meta
    for part in path:
        value = (
            value.get(part)
            if isinstance(value, dict)
            else (value[part] if isinstance(value, list) and part < len(value) else None)
        )
    return [
        Problem(
            entry.rel,
            entry.doc.line((*path, i)),
            _name((*path, i)),
            f"unknown {what} `{item}`; {_suggest(item, known, what)}",
            f"unknown-{what}",
        )
        for i, item in enumerate(as_list(value))
        if isinstance(item, str) and item not in known
    ]


def _check_step_order(kb: KnowledgeBase) -> list[Problem]:
    # The checklist order must be 1..N with no gaps or repeats.
    problems = []
    seen: dict[int, str] = {}
    for step in kb.steps:
        order = step.get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            continue
        if order in seen:
            problems.append(
                Problem(
                    step.rel,
                    step.doc.line(("order",)),
                    "order",
                    f"{order} is also the order of `{seen[order]}`; each step needs its own place",
                    "duplicate-order",
                )
            )
        seen[order] = step.id
    expected = set(range(1, len(kb.steps) + 1))
    for step in kb.steps:
        order = step.get("order")
        if isinstance(order, int) and not isinstance(order, bool) and order not in expected:
            problems.append(
                Problem(
                    step.rel,
                    step.doc.line(("order",)),
                    "order",
                    f"{order} leaves a gap; with {len(kb.steps)} steps, orders run from 1 to {len(kb.steps)}",
                    "out-of-range",
                )
            )
    return problems


def check_review_dates(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """A `reviewed` date after the build date would hide the page from the review queue until then."""
    problems = []
    for entry in kb.entries():
        value = entry.meta.get("reviewed")
        day = value.date() if isinstance(value, dt.datetime) else value
        if isinstance(day, dt.date) and day > today:
            problems.append(
                Problem(
                    entry.rel,
                    entry.doc.line(("reviewed",)),
                    "reviewed",
                    f"{day.isoformat()} is after the build date ({today.isoformat()}); write the day the page was "
                    f"last checked, today or earlier",
                    "future-date",
                )
            )
    return problems


# ---------------------------------------------------------------- pass 3: bodies


def check_story_body(story: Entry) -> list[Problem]:
    """The four sections, in order, each non-empty and short enough for its card."""
    doc = story.doc
    found, preamble = story.sections
    problems = [
        Problem(
            doc.rel,
            line.number,
            None,
            "text before `## Situation`; put it inside a section (the title comes from the front matter)",
            "stray-text",
        )
        for line in preamble[:1]
    ]
    wanted = list(STORY_SECTIONS)
    titles = [section.title for section in found]
    for section in found:
        if section.title not in wanted:
            guess = difflib.get_close_matches(section.title, wanted, n=1, cutoff=0.6)
            hint = (
                f"did you mean `## {guess[0]}`?"
                if guess
                else f"a story has exactly these sections: {', '.join(f'`## {w}`' for w in wanted)}"
            )
            problems.append(
                Problem(
                    doc.rel, section.line, None, f"unexpected section `## {section.title}`; {hint}", "unknown-section"
                )
            )
        elif titles.count(section.title) > 1 and titles.index(section.title) != found.index(section):
            problems.append(
                Problem(
                    doc.rel,
                    section.line,
                    None,
                    f"section `## {section.title}` appears twice; keep one",
                    "duplicate-section",
                )
            )
    present = [t for t in titles if t in wanted]
    for title in wanted:
        if title not in titles:
            problems.append(
                Problem(
                    doc.rel,
                    _missing_section_line(doc, found, wanted, title),
                    None,
                    f"section `## {title}` is missing; add it (the story needs "
                    f"{', '.join(f'`## {w}`' for w in wanted)}, in that order)",
                    "missing-section",
                )
            )
    ordered = [t for t in wanted if t in present]
    if _dedupe(present) != ordered:
        first_wrong = next(
            s for s, w in zip([s for s in found if s.title in wanted], ordered, strict=False) if s.title != w
        )
        problems.append(
            Problem(
                doc.rel,
                first_wrong.line,
                None,
                f"sections are out of order; expected {', '.join(f'`## {w}`' for w in wanted)}",
                "section-order",
            )
        )
    for section in found:
        if section.title in STORY_SECTIONS:
            text = markdown_text.plain_text(section.text)
            if not text:
                problems.append(
                    Problem(
                        doc.rel,
                        section.line,
                        None,
                        f"section `## {section.title}` is empty; write what it asks for",
                        "empty-section",
                    )
                )
            elif len(text) > STORY_SECTIONS[section.title]:
                problems.append(
                    Problem(
                        doc.rel,
                        section.line,
                        None,
                        f"section `## {section.title}` has {len(text)} characters; at most "
                        f"{STORY_SECTIONS[section.title]} fit on its card (cut "
                        f"{len(text) - STORY_SECTIONS[section.title]})",
                        "section-too-long",
                    )
                )
            else:
                problems += _section_room(story, section)
    return problems + _title_room(story)


def _section_room(story: Entry, section) -> list[Problem]:
    """A section within its character limit that still takes more lines on its card than ordinary text at the limit."""
    limit = STORY_SECTIONS[section.title]
    place = card_room.FRONT if section.title == "Situation" else card_room.BACK
    paragraphs = [p for p in (markdown_text.plain_text(block) for block in section.text.split("\n\n")) if p]
    taken = card_room.room(paragraphs, place)
    allowed = card_room.reference(limit, place)
    if taken <= allowed:
        return []
    like = card_room.equivalent(taken, place)
    message = (
        f"section `## {section.title}` takes as much room on its card as {like} characters of ordinary text "
        f"(wide characters such as Chinese, emoji or capitals count more, and so does each paragraph); "
        f"at most {limit} fit (cut about {max(1, round(100 * (taken - allowed) / taken))}%)"
    )
    return [Problem(story.doc.rel, section.line, None, message, "section-too-long")]


def _title_room(story: Entry) -> list[Problem]:
    """A title that wraps onto more lines than an ordinary title of the longest length, on the cards that print it."""
    title = story.meta.get("title")
    if not isinstance(title, str) or len(title) > TITLE_LIMIT:
        return []  # the schema's too-long says by how much
    limit = TITLE_LIMIT
    # Counted in whole lines, not heights: an emoji or Arabic face makes a title line a few hundredths of a line
    # taller, and refusing every two-line title with one emoji for that would be wrong (the build still measures it).
    for place in card_room.TITLES:
        taken, allowed = card_room.room([title], place, tall=False), card_room.reference(limit, place)
        if taken > allowed:
            like = card_room.equivalent(taken, place)
            message = (
                f"takes as much room on the cards as {like} characters of ordinary text (wide characters such as "
                f"Chinese, emoji or capitals count more); at most {limit} fit, so shorten it"
            )
            return [Problem(story.doc.rel, story.doc.line(("title",)), "title", message, "too-long")]
    return []


def check_links(entry: Entry, pages: dict[str, set[str] | None]) -> list[Problem]:
    """Every relative link must reach a page of the site, and an anchor on it.

    `pages` maps each page's path in the docs tree to its anchors (None when
    they are known only after rendering, as for generated pages).
    """
    problems = []
    here = posixpath.dirname(entry.src_uri)
    for link in entry.links:
        url = link.url
        if not url or url_scheme(url) or url.startswith("//"):
            continue  # external and scheme URLs (entity-encoded ones too) are the guards' business
        target, _, anchor = url.partition("#")
        page = entry.src_uri if not target else posixpath.normpath(posixpath.join(here, target))
        if target and target.endswith("/"):
            page = posixpath.join(page, "index.md")
        if page not in pages:
            problems.append(
                Problem(
                    entry.rel,
                    link.line,
                    None,
                    f"link `{url}` points at no page; {_suggest_page(page, pages, here)}",
                    "broken-link",
                )
            )
        elif anchor and pages[page] is not None and anchor not in pages[page]:
            problems.append(
                Problem(
                    entry.rel,
                    link.line,
                    None,
                    f"link `{url}`: no heading `#{anchor}` on that page; "
                    f"{_suggest(anchor, sorted(pages[page]), 'anchor')}",
                    "broken-anchor",
                )
            )
    return problems


def _missing_section_line(doc: Document, found, wanted: list[str], title: str) -> int:
    # Point at the section that should follow the missing one, else the end of the file.
    later = wanted[wanted.index(title) + 1 :]
    for section in found:
        if section.title in later:
            return section.line
    return doc.body_line + max(0, len(doc.body.rstrip("\n").split("\n")) - 1)


# ---------------------------------------------------------------- helpers


def check_id(entry: Entry) -> list[Problem]:
    """The file name is the id: lowercase words joined by hyphens."""
    if re.match(ID_PATTERN, entry.id):
        return []
    return [
        Problem(
            entry.rel,
            1,
            FILE,
            f"file name `{entry.id}.md` is not an id; rename it to `{_slug(entry.id)}.md` (lowercase words joined "
            f"by hyphens)",
            "bad-id",
        )
    ]


def _suggest(value: str, known: Iterable[str], what: str) -> str:
    known = list(known)
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.75)
    if close:
        return f"did you mean `{close[0]}`?"
    if not known:
        return f"there is no {what} yet"
    return (
        f"expected one of: {', '.join(f'`{k}`' for k in known)}"
        if len(known) <= 12
        else f"see the list of {what}s on the Contribute page"
    )


def _suggest_page(page: str, pages: dict, here: str) -> str:
    close = difflib.get_close_matches(page, list(pages), n=1, cutoff=0.8)
    if close:
        return f"did you mean `{posixpath.relpath(close[0], here)}`?"
    return "write links as if the page stood in docs/, e.g. `../steps/apologize.md`"


def _name(path: tuple) -> str | None:
    if not path:
        return None
    name = str(path[0])
    for part in path[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "name"


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
