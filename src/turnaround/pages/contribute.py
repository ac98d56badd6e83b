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
from ..schema import ID_PATTERN, source_schema, step_schema, story_schema
from ..vocabulary import STORY_FIELDS
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
    steps, sources = [s.id for s in kb.steps], [s.id for s in kb.sources]
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
        story_fields=Markup(_fields(story_schema(kb.vocab, steps, sources), content.STEP_VOCABULARIES)),
        sections=content.STORY_SECTIONS,
        vocabularies=vocabularies,
        steps=kb.steps,
        sources=kb.sources,
        blank_story=Markup(scaffold.template(scaffold.context_of(kb))),
        step_fields=Markup(_fields(step_schema(kb.vocab), content.STEP_VOCABULARIES)),
        source_fields=Markup(_fields(source_schema(kb.vocab, steps), {})),
    )


def _fields(schema: dict, extra_vocab: dict[str, str]) -> str:
    # Three columns, so that the table fits a phone; a field is required unless marked optional.
    required = set(schema.get("required", []))
    rows = []
    for name, spec in schema["properties"].items():
        field = f"`{name}`" + ("" if name in required else " (optional)")
        rows.append([field, md.text(spec.get("description", "")), _accepts(name, spec, extra_vocab)])
    return md.table(["Field", "What it holds", "Accepts"], rows)


def _accepts(name: str, spec: dict, extra_vocab: dict[str, str]) -> str:
    """The kind of value a field takes, with its limits, in words and links."""
    vocab = STORY_FIELDS.get(name) or extra_vocab.get(name)
    kind = spec.get("type")
    if kind == "array":
        items = spec.get("items", {})
        if items.get("type") == "object":
            inner = ", ".join(f"`{key}`" for key in items.get("properties", {}))
            return f"a list of entries with {inner}" + _count(spec)
        return f"a list of {_single(name, items, vocab, plural=True)}" + _count(spec)
    return _single(name, spec, vocab)


def _single(name: str, spec: dict, vocab: str | None, plural: bool = False) -> str:
    if vocab:
        return f"{'values' if plural else 'one value'} from [{VOCABULARIES[vocab]}](#{vocab})"
    if name in ("steps_taken", "steps_missed", "steps", "recommends"):
        return "[step ids](#steps)"
    if name == "source":
        return "a [source id](#sources)"
    if spec.get("format") == "date":
        return "a date, YYYY-MM-DD"
    if spec.get("pattern") == ID_PATTERN:
        return "lowercase words joined by hyphens" if plural else "an id: lowercase words joined by hyphens"
    if spec.get("pattern"):
        return "a web address starting with `https://` or `http://`"
    if spec.get("type") == "integer":
        return f"a whole number from {spec.get('minimum')} to {spec.get('maximum')}"
    if spec.get("type") == "string":
        limit = spec.get("maxLength")
        return f"text{'s' if plural else ''}" + (
            f", at most {limit} characters{' each' if plural else ''}" if limit else ""
        )
    return md.text(spec.get("type", ""))


def _count(spec: dict) -> str:
    low, high = spec.get("minItems"), spec.get("maxItems")
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
