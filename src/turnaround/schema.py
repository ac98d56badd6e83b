"""Each collection's front matter as JSON Schema, written from the fields content.py declares.

One model serves three readers: the validator (with the project's own
messages), the JSON Schema files in `schemas/` that editors use, and the
field reference on the Contribute page. Limits are declared in content.py
only; card layouts rely on them so that a card never overflows.
"""

from __future__ import annotations

from . import content
from .content import DATE, ID, ID_PATTERN, IDS, NUMBER, RECORDS, TERM, TERMS, TEXT, TEXTS, URL, Field
from .vocabulary import Vocabularies


def story_schema(vocab: Vocabularies, step_ids: list[str] | None = None, source_ids: list[str] | None = None) -> dict:
    """A story's front matter. Step and source ids are enumerated only for editors;
    the validator resolves them in its reference pass, after everything has loaded."""
    return _schema("stories", vocab, {"steps": step_ids, "sources": source_ids})


def step_schema(vocab: Vocabularies) -> dict:
    """A canonical step's front matter; the list limits keep every card within its box."""
    return _schema("steps", vocab, {})


def source_schema(vocab: Vocabularies, step_ids: list[str] | None = None) -> dict:
    """A curated source article's front matter."""
    return _schema("sources", vocab, {"steps": step_ids})


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


def _schema(collection: str, vocab: Vocabularies, ids: dict[str, list[str] | None]) -> dict:
    return _object(content.TITLES[collection], content.FIELDS[collection], vocab, ids)


def _object(title: str, fields: tuple[Field, ...], vocab: Vocabularies, ids: dict[str, list[str] | None]) -> dict:
    return {
        "title": title,
        "type": "object",
        "properties": {f.name: _property(f, vocab, ids) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def _property(f: Field, vocab: Vocabularies, ids: dict[str, list[str] | None]) -> dict:
    # Each kind as JSON Schema; the key order is that of the schema files editors already have.
    low, high = f.count
    if f.kind == TEXT:
        return _text(f.length, f.description)
    if f.kind == TEXTS:
        item = _text(f.length, "One item.")
        least = {"minItems": low} if low is not None else {}
        return {"type": "array", **least, "maxItems": high, "items": item, "description": f.description}
    if f.kind == TERM:
        return {"type": "string", "enum": list(vocab[f.vocabulary]), "description": f.description}
    if f.kind == TERMS:
        item = {"type": "string", "enum": list(vocab[f.vocabulary])}
        return {"type": "array", "items": item, "uniqueItems": True, "maxItems": high, "description": f.description}
    if f.kind == ID:
        return _id(ids.get(f.refers)) | {"description": f.description}
    if f.kind == IDS:
        spec = {"type": "array", "items": _id(ids.get(f.refers)), "uniqueItems": True, "maxItems": high}
        return spec | {"description": f.description} | ({"minItems": low} if low else {})
    if f.kind == DATE:
        return {"type": "string", "format": "date", "description": f.description}
    if f.kind == URL:
        return {"type": "string", "pattern": "^https?://", "description": f.description}
    if f.kind == NUMBER:
        return {"type": "integer", "minimum": f.bounds[0], "maximum": f.bounds[1], "description": f.description}
    if f.kind == RECORDS:
        spec = {"type": "array"} | ({"minItems": low} if low else {}) | {"maxItems": high}
        return spec | {"description": f.description, "items": _object(f.record, f.fields, vocab, ids)}
    raise ValueError(f"content.py: field `{f.name}` has an unknown kind {f.kind!r}")


def _text(length: tuple[int, int], description: str) -> dict:
    return {"type": "string", "minLength": length[0], "maxLength": length[1], "description": description}


def _id(enum: list[str] | None) -> dict:
    # The ids of the collection it names, when known; otherwise any id.
    if enum is not None:
        return {"type": "string", "enum": enum}
    return {"type": "string", "pattern": ID_PATTERN}
