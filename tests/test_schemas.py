"""The JSON Schemas in schemas/: generated from the validator's model, in sync, and true of every real entry."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import ROOT

from turnaround import schema_files
from turnaround.loader import load

SCHEMA_OF = {"stories": "story", "steps": "step", "sources": "source"}


def as_json(value):
    """Front matter as JSON Schema sees it: dates as ISO text."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schemas_are_what_the_model_generates():
    committed = {path.name: path.read_text("utf-8") for path in (ROOT / "schemas").glob("*.schema.json")}
    assert committed == schema_files.render(ROOT), "schemas/ is out of date: run `turnaround schemas` and commit"


@pytest.mark.parametrize("collection", sorted(SCHEMA_OF))
def test_every_real_entry_validates_against_its_schema(collection):
    entries = getattr(load(ROOT), collection)
    assert entries
    check = validator(SCHEMA_OF[collection])
    for entry in entries:
        errors = [f"{entry.rel}: {e.message}" for e in check.iter_errors(as_json(entry.meta))]
        assert errors == []


def test_the_schemas_refuse_what_the_check_refuses():
    story = as_json(load(ROOT).stories[0].meta)
    check = validator("story")
    for field, bad in [
        ("setting", "resturant"),
        ("steps_taken", ["apologise"]),
        ("reviewed", "2026-13-40"),
        ("title", "x" * 91),
        ("source", "nowhere"),
    ]:
        assert list(check.iter_errors({**story, field: bad})), field
    assert list(check.iter_errors({**story, "outcomes": "lost"}))


def test_the_command_writes_the_files_and_checks_them(tmp_path):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "turnaround.cli", "schemas", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("--out", str(tmp_path)).returncode == 0
    assert {p.name: p.read_text("utf-8") for p in tmp_path.iterdir()} == schema_files.render(ROOT)
    assert run("--check").returncode == 0
    (tmp_path / "story.schema.json").write_text("{}", "utf-8")
    stale = run("--check", "--out", str(tmp_path))
    assert stale.returncode == 1
    assert "story.schema.json: out of date" in stale.stderr
