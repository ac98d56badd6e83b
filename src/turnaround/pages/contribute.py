"""The contributor's reference pages, generated so that they cannot drift.

`contribute/reference.md`: every field of every collection (from schema.py),
every vocabulary value (from data/vocabularies.yml), every step and source
id, and a blank story to copy. `contribute/errors.md`: every rule the check
enforces, by its code (from rules.py). The hand-written `contribute.md`
explains the workflow and links to both.
"""

from __future__ import annotations

from .. import content, rules, scaffold
from ..schema import ID_PATTERN, source_schema, step_schema, story_schema
from ..validate import STORY_SECTIONS
from ..vocabulary import STORY_FIELDS
from . import markdown as md

REFERENCE, ERRORS = content.REFERENCE, content.ERRORS
CONTRIBUTE = "contribute.md"
# Vocabularies shown on the reference page, with the anchor each gets.
VOCABULARIES = {vocabulary.name: vocabulary.title for vocabulary in content.VOCABULARIES}


def build(kb) -> dict[str, str]:
    return {REFERENCE: reference_page(kb), ERRORS: errors_page()}


# ---------------------------------------------------------------- field reference


def reference_page(kb) -> str:
    steps, sources = [s.id for s in kb.steps], [s.id for s in kb.sources]
    return md.page(
        "Field reference",
        "Every field a story, step or source may have, the values each accepts, and the ids to refer to. "
        "This page is generated from the same model `turnaround check` uses, so it is always current. "
        f"Back to {md.link('Contribute', REFERENCE, CONTRIBUTE)}; see also the "
        f"{md.link('error codes', REFERENCE, ERRORS)}.",
        "## Story fields\n\n" + _fields(story_schema(kb.vocab, steps, sources), content.STEP_VOCABULARIES),
        "## Story sections\n\n"
        "After the front matter, a story has these four sections, in this order. They are printed on the two sides "
        "of a role-play card, so each has a length limit (characters of text, links counted by their words).\n\n"
        + md.table(
            ["Section", "What to write", "At most"],
            [
                [f"`## {title}`", md.text(scaffold.SECTION_TODOS[title]), str(limit)]
                for title, limit in STORY_SECTIONS.items()
            ],
        ),
        "## Vocabularies\n\n"
        "The values of setting, failure, severity, fault, compensation, outcome and provenance, and the phases of "
        "the steps. "
        "To add a value, add it to `data/vocabularies.yml` with a label and a one-line description.\n\n"
        + _vocabularies(kb),
        "## Steps {#steps}\n\nStep ids for `steps_taken`, `steps_missed` and a source's `recommends`, in checklist "
        "order.\n\n"
        + md.table(["Id", "Step"], [[f"`{s.id}`", md.link(s.title, REFERENCE, s.src_uri)] for s in kb.steps]),
        "## Sources {#sources}\n\nSource ids for a story's `source`, given only with `provenance: source-article`.\n\n"
        + md.table(["Id", "Source"], [[f"`{s.id}`", md.link(s.title, REFERENCE, s.src_uri)] for s in kb.sources]),
        "## A blank story to copy {#blank-story}\n\n"
        "For the GitHub web editor: copy this into a new file in `stories/`, then fill in every field and replace "
        "every "
        "`TODO:` line. On your own computer, `turnaround new-story` writes the same file with your answers.\n\n"
        "```markdown\n" + scaffold.template(scaffold.context_of(kb)) + "```",
        "## Step fields\n\nFor maintainers: the front matter of a page in `docs/steps/`.\n\n"
        + _fields(step_schema(kb.vocab), content.STEP_VOCABULARIES),
        "## Source fields\n\nFor maintainers: the front matter of a page in `docs/sources/`.\n\n"
        + _fields(source_schema(kb.vocab, steps), {}),
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


def _vocabularies(kb) -> str:
    blocks = []
    for name, title in VOCABULARIES.items():
        terms = kb.vocab[name]
        remedy = name == "failures"
        headers = ["Value", "Label", "Meaning", *(["In-kind remedy"] if remedy else [])]
        rows = [
            [f"`{value}`", md.text(term.label), md.text(term.description), *([md.text(term.remedy)] if remedy else [])]
            for value, term in terms.items()
        ]
        blocks.append(f"### {title} {{#{name}}}\n\n" + md.table(headers, rows))
    return "\n\n".join(blocks)


# ---------------------------------------------------------------- error codes


def errors_page() -> str:
    intro = (
        "`turnaround check`, the site build and the checks on a pull request print every problem on one line:\n\n"
        "```text\nstories/cold-soup.md:7: field `steps_taken`: unknown step `apologise`; did you mean `apologize`? "
        "[unknown-step]\n```\n\n"
        "That is the file, the line to edit, the field (or `body` for the text below the front matter, `file` for the "
        "whole file), what is wrong and how to fix it, and in brackets the code of the rule, explained below. "
        f"Back to {md.link('Contribute', ERRORS, CONTRIBUTE)}."
    )
    blocks = [intro]
    for area, area_rules in rules.by_area():
        if not area_rules:
            continue
        blocks.append(
            f"## {area}\n\n"
            + md.table(["Code", "What it means"], [[f"[`{r.code}`](#{r.code})", md.text(r.title)] for r in area_rules])
        )
        blocks += [_rule(rule) for rule in area_rules]
    return md.page("Error codes", *blocks)


def _rule(rule: rules.Rule) -> str:
    if rule.bad.startswith("("):
        example = f"For example: *{rule.bad.strip('()')}*."
    else:
        language = "markdown" if rule.plant in ("situation", "body", "file") or rule.bad.startswith("<") else "yaml"
        example = f"For example:\n\n```{language}\n{rule.bad}\n```"
    return (
        f"### `{rule.code}`: {md.text(rule.title)} {{#{rule.code}}}\n\n{rule.meaning}\n\n{example}\n\n**Fix:** "
        f"{rule.fix}"
    )
