"""A corpus of malformed story files, each with the messages `turnaround check` must print.

The files in tests/fixtures/malformed/ are the mistakes real contributors make
(editor encodings, YAML slips, wrong shapes, broken sections and links),
beyond the one-mistake-per-rule tests; expected.yml lists, for each file,
every problem as "LINE: WHERE: start of the message" and its rule code.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import copy_repo, run_check

CORPUS = Path(__file__).parent / "fixtures" / "malformed"
EXPECTED: dict[str, list[list[str]]] = yaml.safe_load((CORPUS / "expected.yml").read_text("utf-8"))
LINE = re.compile(r"^stories/(?P<file>[^:]+):(?P<rest>.*) \[(?P<code>[a-z0-9-]+)\]$")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[tuple[str, str]]]:
    """Run the real `turnaround check` once over a repository holding the whole corpus."""
    repo = copy_repo(tmp_path_factory.mktemp("malformed") / "repo")
    for path in CORPUS.glob("*.md"):
        shutil.copyfile(path, repo / "stories" / path.name)
    result = run_check(repo)
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    by_file: dict[str, list[tuple[str, str]]] = {}
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not a located problem: {line!r}"
        by_file.setdefault(match["file"], []).append((match["rest"], match["code"]))
    return by_file


def test_the_corpus_holds_at_least_30_files_each_with_its_expected_messages():
    files = sorted(path.name for path in CORPUS.glob("*.md"))
    assert len(files) >= 30
    assert files == sorted(EXPECTED), "every corpus file needs an entry in expected.yml, and every entry a file"


def test_only_corpus_files_have_problems(printed):
    assert sorted(printed) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_prints_the_expected_located_message(printed, name):
    got = printed.get(name, [])
    expected = EXPECTED[name]
    assert len(got) == len(expected), f"{name}: {got}"
    for (text, code), (rest, got_code) in zip(sorted(expected), sorted(got), strict=True):
        assert rest.startswith(text) and got_code == code, (
            f"{name}: expected {text!r} [{code}], got {rest!r} [{got_code}]"
        )
        assert int(rest.split(":", 1)[0]) >= 1
