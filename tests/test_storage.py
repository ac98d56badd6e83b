"""What the build keeps on disk: a record is written whole or not at all, and keyed by the code that made it."""

from __future__ import annotations

import pickle

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


def test_records_keep_what_a_build_used_and_drop_the_stores_of_other_rules(tmp_path):
    first = storage.Records(tmp_path, "rules-a")
    first.put("used", 1)
    first.put("dropped", 2)
    first.save()
    second = storage.Records(tmp_path, "rules-a")
    assert second.get("used") == 1 and second.get("missing") is None
    second.save()
    assert storage.Records(tmp_path, "rules-a").old == {"used": 1}
    other = storage.Records(tmp_path, "rules-b")
    assert other.get("used") is None
    other.put("new", 3)
    other.save()
    assert [p.name for p in tmp_path.iterdir()] == ["rules-b.pickle"]


def test_a_damaged_record_store_is_an_empty_one(tmp_path):
    (tmp_path / "rules.pickle").write_bytes(b"\x80\x05 not a pickle")
    assert storage.Records(tmp_path, "rules").old == {}
    (tmp_path / "rules.pickle").write_bytes(pickle.dumps(["a list, not a dict"]))
    assert storage.Records(tmp_path, "rules").old == {}
