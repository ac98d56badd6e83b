"""The front-matter model of each collection, as JSON Schema.

One model serves three readers: the validator (with the project's own
messages), the JSON Schema files in `schemas/` that editors use, and the
field reference on the Contribute page. Limits are set here and only here;
card layouts rely on them so that a card never overflows.
"""

from __future__ import annotations

from .vocabulary import STORY_FIELDS, Vocabularies

# The longest story title, in characters; validate.py also keeps wide titles within the room of one this long.
TITLE_LIMIT = 90
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
DATE = {"type": "string", "format": "date", "description": "An ISO date, YYYY-MM-DD."}
URL = {"type": "string", "pattern": "^https?://", "description": "A web address."}


def _text(max_length: int, description: str, min_length: int = 1) -> dict:
    return {"type": "string", "minLength": min_length, "maxLength": max_length, "description": description}


def _texts(min_items: int, max_items: int, max_length: int, description: str) -> dict:
    return {
        "type": "array",
        "minItems": min_items,
        "maxItems": max_items,
        "items": _text(max_length, "One item."),
        "description": description,
    }


def _ids(description: str, enum: list[str] | None = None, max_items: int = 8) -> dict:
    item = {"type": "string", "pattern": ID_PATTERN}
    if enum is not None:
        item = {"type": "string", "enum": enum}
    return {"type": "array", "items": item, "uniqueItems": True, "maxItems": max_items, "description": description}


def _term(vocab: Vocabularies, name: str, description: str) -> dict:
    return {"type": "string", "enum": list(vocab[name]), "description": description}


def story_schema(vocab: Vocabularies, step_ids: list[str] | None = None, source_ids: list[str] | None = None) -> dict:
    """A story's front matter. Step and source ids are enumerated only for editors;
    the validator resolves them in its reference pass, after everything has loaded."""
    return _object(
        "Story",
        {
            "title": _text(
                TITLE_LIMIT, f"Plain text, at most {TITLE_LIMIT} characters: what happened, in a few words."
            ),
            "summary": _text(200, "One or two sentences, at most 200 characters, outcome included."),
            "setting": _term(vocab, "settings", "Where it happened."),
            "failure": _term(vocab, "failures", "What kind of failure it was."),
            "severity": _term(vocab, "severity", "How bad it was for the customer."),
            "fault": _term(vocab, "fault", "Whose fault it was."),
            "steps_taken": _ids("The recovery steps staff took (step ids; may be empty).", step_ids),
            "steps_missed": _ids("The recovery steps staff missed (step ids; may be empty).", step_ids),
            "compensation": {
                "type": "array",
                "items": {"type": "string", "enum": list(vocab[STORY_FIELDS["compensation"]])},
                "uniqueItems": True,
                "maxItems": 5,
                "description": "Everything the customer was given, the fix included (a replacement, a redo, a refund); "
                "[none] when nothing was. "
                "List `compensate` in `steps_taken` only when something beyond the fix was given: a refund that "
                "only undoes a wrong charge is the fix, not compensation.",
            },
            "outcome": _term(vocab, "outcomes", "How it ended, as far as the story tells."),
            "provenance": _term(
                vocab,
                "provenance",
                "Where the story comes from: a source article, a public report, a first-hand account, or written "
                "for training.",
            ),
            "source": (
                {"type": "string", "enum": source_ids}
                if source_ids is not None
                else {"type": "string", "pattern": ID_PATTERN}
            )
            | {
                "description": (
                    "The source article this story comes from (a source id); only with `provenance: source-article`."
                )
            },
            "citations": {
                "type": "array",
                "maxItems": 6,
                "description": (
                    "The public reports the story's facts come from, each with publisher, title, date and url; "
                    "needed with `provenance: public-report`."
                ),
                "items": _object(
                    "Citation",
                    {
                        "publisher": _text(120, "The publication, or the person who reported it."),
                        "title": _text(200, "The report's title, as published."),
                        "date": DATE | {"description": "When it was published, YYYY-MM-DD."},
                        "url": URL | {"description": "Where the report can be read."},
                    },
                    required=["publisher", "title", "date", "url"],
                ),
            },
            "tags": _ids("Free keywords: lowercase words joined by hyphens.") | {"maxItems": 8},
            "reviewed": DATE | {"description": "The date the story was last checked, YYYY-MM-DD."},
            "keeps_personal_data": _text(
                200, "Only when a story must keep an e-mail address or phone number: who reviewed it and why."
            ),
        },
        required=[
            "title",
            "summary",
            "setting",
            "failure",
            "severity",
            "fault",
            "steps_taken",
            "steps_missed",
            "compensation",
            "outcome",
            "provenance",
            "reviewed",
        ],
    )


def step_schema(vocab: Vocabularies) -> dict:
    """A canonical step's front matter; the list limits keep every card within its box."""
    return _object(
        "Step",
        {
            "title": _text(
                16, "The step's name, at most 16 characters (role-play cards name the steps in a narrow column)."
            ),
            "order": {
                "type": "integer",
                "minimum": 1,
                "maximum": 10,
                "description": "Position in the checklist, 1 to N, unique; the checklist card holds at most 10 steps.",
            },
            "phase": _term(vocab, "phases", "When the step happens."),
            "summary": _text(200, "One sentence: what the step is and why it matters."),
            "when": _text(140, "When to use it, one sentence (card front)."),
            "why": _text(260, "Why it matters, one or two sentences (card back)."),
            "do": _texts(3, 5, 70, "3 to 5 short imperative items (card front, checklist)."),
            "say": _texts(1, 3, 110, "1 to 3 example phrases staff can use."),
            "avoid": _texts(2, 4, 70, "2 to 4 short items to avoid (card back)."),
            "reviewed": DATE | {"description": "The date the step was last checked, YYYY-MM-DD."},
        },
        required=["title", "order", "phase", "summary", "when", "why", "do", "say", "avoid", "reviewed"],
    )


def source_schema(vocab: Vocabularies, step_ids: list[str] | None = None) -> dict:
    """A curated source article's front matter."""
    return _object(
        "Source",
        {
            "title": _text(120, "The article's original title."),
            "summary": _text(200, "One sentence on what the article argues."),
            "author": _text(80, "The author as the source names them; leave out if unnamed."),
            "published": DATE | {"description": "When the source was published, if it says."},
            "publisher": _text(120, "Blog, radio programme or site."),
            "seed": _text(120, "The source file this page was curated from."),
            "url": URL | {"description": "Where the original can be read, if public."},
            "recommends": {
                "type": "array",
                "minItems": 1,
                "maxItems": 10,
                "description": "The source's own advice, in order, in our words, mapped to steps.",
                "items": _object(
                    "Recommendation",
                    {
                        "text": _text(160, "The advice, in our words."),
                        "steps": _ids("The canonical steps it maps to.", step_ids) | {"minItems": 1},
                    },
                    required=["text", "steps"],
                ),
            },
            "reviewed": DATE | {"description": "The date the page was last checked, YYYY-MM-DD."},
        },
        required=["title", "summary", "seed", "recommends", "reviewed"],
    )


def _object(title: str, properties: dict, required: list[str]) -> dict:
    return {
        "title": title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


SCHEMAS = {"stories": story_schema, "steps": step_schema, "sources": source_schema}


def editor_schemas(vocab: Vocabularies, step_ids: list[str], source_ids: list[str]) -> dict[str, dict]:
    """The JSON Schema documents written to schemas/, with every id enumerated."""
    schemas = {
        "story": story_schema(vocab, step_ids, source_ids),
        "step": step_schema(vocab),
        "source": source_schema(vocab, step_ids),
    }
    for name, schema in schemas.items():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"turnaround-{name}.schema.json"
    return schemas
