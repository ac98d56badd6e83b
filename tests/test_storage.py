"""What the build keeps on disk: a record is written whole or not at all, and keyed by the code that made it."""

from __future__ import annotations

import pytest

from turnaround import storage


def test_a_record_replaces_the_old_one_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "record.json"
    target.write_bytes(b"old")
    storage.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]


def test_a_write_that_fails_keeps_the_old_record_and_removes_its_temporary(tmp_path, monkeypatch):
    target = tmp_path / "record.json"
    target.write_bytes(b"old")

    def refuse(_source, _target):
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        storage.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]


def test_the_digest_changes_with_a_files_bytes_its_name_and_the_salt(tmp_path):
    code = tmp_path / "a.py"
    code.write_text("x = 1\n", "utf-8")
    first = storage.code_digest(tmp_path, [code], ["PyYAML"])
    assert storage.code_digest(tmp_path, [code], ["PyYAML"]) == first
    assert storage.code_digest(tmp_path, [code], ["PyYAML"], salt="2") != first
    code.write_text("x = 2\n", "utf-8")
    changed = storage.code_digest(tmp_path, [code], ["PyYAML"])
    assert changed != first
    renamed = code.rename(tmp_path / "b.py")
    assert storage.code_digest(tmp_path, [renamed], ["PyYAML"]) != changed
