"""The contributor's reference pages, generated so that they cannot drift.

`contribute/reference.md`: every field of every collection (from schema.py),
every vocabulary value (from data/vocabularies.yml), every step and source
id, and a blank story to copy. `contribute/errors.md`: every rule the check
enforces, by its code (from rules.py). The hand-written `contribute.md`
explains the workflow and links to both.
"""

from __future__ import annotations

from markupsafe import Markup

from .. import content, rules, scaffold
from . import markdown as md
from . import templating

REFERENCE, ERRORS = content.REFERENCE, content.ERRORS
CONTRIBUTE = "contribute.md"
# Vocabularies shown on the reference page, with the anchor each gets.
VOCABULARIES = {vocabulary.name: vocabulary.title for vocabulary in content.VOCABULARIES}


def build(kb) -> dict[str, str]:
    return {REFERENCE: reference_page(kb), ERRORS: errors_page(kb)}


# ---------------------------------------------------------------- field reference


def reference_page(kb) -> str:
    vocabularies = [
        {"name": v.name, "title": v.title, "terms": kb.vocab[v.name], "remedy": v.name == "failures"}
        for v in content.VOCABULARIES
    ]
    return templating.render(
        kb,
        "reference.md.j2",
        here=REFERENCE,
        contribute_uri=CONTRIBUTE,
        errors_uri=ERRORS,
        story_fields=Markup(_fields(content.STORY_FIELDS)),
        sections=content.STORY_SECTIONS,
        vocabularies=vocabularies,
        steps=kb.steps,
        sources=kb.sources,
        blank_story=Markup(scaffold.template(scaffold.context_of(kb))),
        step_fields=Markup(_fields(content.STEP_FIELDS)),
        source_fields=Markup(_fields(content.SOURCE_FIELDS)),
    )


def _fields(fields: tuple[content.Field, ...]) -> str:
    # Three columns, so that the table fits a phone; a field is required unless marked optional.
    rows = [
        [f"`{f.name}`" + ("" if f.required else " (optional)"), md.text(f.description), _accepts(f)] for f in fields
    ]
    return md.table(["Field", "What it holds", "Accepts"], rows)


def _accepts(f: content.Field) -> str:
    """The kind of value a field takes, with its limits, in words and links."""
    if f.kind == content.RECORDS:
        inner = ", ".join(f"`{part.name}`" for part in f.fields)
        return f"a list of entries with {inner}" + _count(f)
    if f.many:
        return f"a list of {_single(f, plural=True)}" + _count(f)
    return _single(f)


def _single(f: content.Field, plural: bool = False) -> str:
    if f.vocabulary:
        return f"{'values' if plural else 'one value'} from [{VOCABULARIES[f.vocabulary]}](#{f.vocabulary})"
    if f.refers == "steps":
        return "[step ids](#steps)"
    if f.refers == "sources":
        return "a [source id](#sources)"
    if f.kind == content.IDS:
        return "lowercase words joined by hyphens"
    if f.kind == content.DATE:
        return "a date, YYYY-MM-DD"
    if f.kind == content.URL:
        return "a web address starting with `https://` or `http://`"
    if f.kind == content.NUMBER:
        return f"a whole number from {f.bounds[0]} to {f.bounds[1]}"
    limit = f.length[1]
    return f"text{'s' if plural else ''}, at most {limit} characters{' each' if plural else ''}"


def _count(f: content.Field) -> str:
    low, high = f.count
    if low and high:
        return f"; {low} to {high} items"
    if high:
        return f"; at most {high}"
    if low:
        return f"; at least {low}"
    return ""


# ---------------------------------------------------------------- error codes


def errors_page(kb) -> str:
    areas = [(area, [_rule(rule) for rule in area_rules]) for area, area_rules in rules.by_area() if area_rules]
    return templating.render(kb, "errors.md.j2", here=ERRORS, contribute_uri=CONTRIBUTE, areas=areas)


def _rule(rule: rules.Rule) -> dict:
    # What the template shows of a rule: its meaning, example and fix are Markdown already.
    if rule.bad.startswith("("):
        example = f"For example: *{rule.bad.strip('()')}*."
    else:
        language = "markdown" if rule.plant in ("situation", "body", "file") or rule.bad.startswith("<") else "yaml"
        example = f"For example:\n\n```{language}\n{rule.bad}\n```"
    return {
        "code": rule.code,
        "title": rule.title,
        "meaning": Markup(rule.meaning),
        "example": Markup(example),
        "fix": Markup(rule.fix),
    }
