"""Hostile input: whatever a contributor's file holds, only located problems come back.

Property-based tests (Hypothesis) feed the front-matter reader, the validator
and the whole loader random and mutated files: binary junk, huge files, deep
nesting, YAML anchors, aliases and tags, CRLF, tabs, BOM, NUL. The result is
always a Document or a KnowledgeBase whose problems each name the file and a
line >= 1, never an exception; and YAML never builds a Python object.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_repo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_content_model import STORY

from turnaround import frontmatter, validate
from turnaround.cli import main
from turnaround.loader import load
from turnaround.model import Entry
from turnaround.problems import Problem
from turnaround.schema import story_schema
from turnaround.vocabulary import load_vocabularies

REL = "stories/hostile.md"
# Derandomized: `make test` tries the same examples on every run; raise max_examples locally to search harder.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LOADER = settings(PROPERTY, max_examples=25)
# The one-line form every problem prints in.
PRINTED = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (file|field `.+`|body): .+ \[[a-z0-9-]+\]$", re.S)
PLAIN_TYPES = (str, int, float, bool, type(None), dt.date, dt.datetime)
SCHEMA = story_schema(load_vocabularies(ROOT)[0])

# YAML and Markdown that has broken readers before: anchors, aliases, tags, merges, odd scalars.
YAML_SNIPPETS = [
    "a: &x [1, 2]\nb: *x",
    "<<: {title: merged}",
    "base: &b {x: 1}\nother:\n  <<: *b",
    "x: !!python/object/apply:os.system ['echo owned']",
    "x: !!python/object/new:builtins.print ['owned']",
    "x: !!python/name:os.system",
    "x: !!python/module:os",
    "x: !!binary aGVsbG8=",
    "x: !!set {a, b}",
    "x: !!omap [a: 1]",
    "x: !custom value",
    "!!python/name:os.system : key",
    "? [complex, key]\n: value",
    "title: [unclosed",
    "title: {unclosed: 1",
    "title: 'unclosed",
    'title: "\\ud800"',
    'title: "\\0\\x1b[2J"',
    "reviewed: 2026-02-30",
    "reviewed: 2026-11-22T10:00:00+99:00",
    "steps_taken: yes",
    "severity: .nan",
    "order: 1e400",
    "order: 0x1F",
    "\ttitle: tabbed",
    "title: a\ntitle: b",
    "%YAML 1.1",
    "...",
    "---",
    "- a list\n- not a mapping",
    "x: " + "[" * 400 + "]" * 400,
    "x: " + "{a: " * 300 + "1" + "}" * 300,
    "".join(" " * i + "a:\n" for i in range(120)),
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
]
BODY_SNIPPETS = [
    "## Situation",
    "## Situation\n\n## Situation",
    "## Outcome",
    "##",
    "## {#}",
    "# Title",
    "```",
    "```\n## Outcome",
    "~~~",
    "[a](",
    "[a](../steps/listen.md#%%%)",
    "[x](../../../../etc/passwd)",
    "![img](javascript:alert(1))",
    "<script>alert(1)</script>",
    "[ref]: <",
    "<http://a",
    "[" * 200,
    "[a](" * 200,
    "`" * 101,
    "*_" * 100,
    "\u202e\u200b\ufeff",
    "\x00",
    "\x1b[31m",
    "\r",
    "\t\t- item",
]


def located(problems: list[Problem], rel: str, text: str | bytes) -> None:
    """Each problem names the file and a real line of it, and prints in the one-line form."""
    lines = len(re.split(rb"\r\n|\r|\n" if isinstance(text, bytes) else r"\r\n|\r|\n", text))
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path == rel
        assert isinstance(problem.line, int) and 1 <= problem.line <= lines + 1, (problem, lines)
        assert problem.message and problem.code
        printed = str(problem)
        assert PRINTED.match(printed), printed
        printed.encode("utf-8")  # printable on any UTF-8 terminal and in HTML


def plain(value) -> None:
    """A front-matter value is made of YAML's plain types only."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            plain(item)
    elif isinstance(value, list):
        for item in value:
            plain(item)
    else:
        assert isinstance(value, PLAIN_TYPES), type(value)


@st.composite
def mutated_story(draw) -> str:
    """The valid story with a few hostile edits: snippets, line-ending and character damage."""
    lines = STORY.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(lines)))
        edit = draw(st.sampled_from(["yaml", "body", "delete", "duplicate", "char", "tab", "indent"]))
        if edit == "yaml":
            lines[1 + where % 13 : 1 + where % 13] = draw(st.sampled_from(YAML_SNIPPETS)).split("\n")
        elif edit == "body":
            lines.insert(max(15, where), draw(st.sampled_from(BODY_SNIPPETS)))
        elif edit == "delete" and lines:
            del lines[where % len(lines)]
        elif edit == "duplicate" and lines:
            lines.insert(where % len(lines), lines[where % len(lines)])
        elif edit == "char" and lines:
            i = where % len(lines)
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.text(min_size=1, max_size=3)) + lines[i][pos:]
        elif edit == "tab" and lines:
            lines[where % len(lines)] = "\t" + lines[where % len(lines)]
        elif lines:
            lines[where % len(lines)] = "  " + lines[where % len(lines)]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(lines)


def yaml_values():
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.dates()
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    )


@st.composite
def random_front_matter(draw) -> str:
    """A front matter of story fields and random keys, with random YAML values, in random styles."""
    fields = st.sampled_from([*SCHEMA["properties"], "order", "x"]) | st.text(min_size=1, max_size=10)
    meta = draw(st.dictionaries(fields, yaml_values(), max_size=14))
    dumped = yaml.safe_dump(
        meta, default_flow_style=draw(st.booleans()), allow_unicode=draw(st.booleans()), sort_keys=False
    )
    return f"---\n{dumped}---\n" + draw(st.sampled_from(["", STORY.split("---\n", 2)[2]]))


def parse_and_validate(text: str) -> frontmatter.Document:
    """What the loader does to one story file: read, schema, body; each must only return problems."""
    doc = frontmatter.parse_text(text, REL)
    problems = list(doc.problems)
    if doc.ok:
        plain(doc.meta)
        problems += validate.check_front_matter(doc, SCHEMA)
        entry = Entry("stories", "hostile", Path(REL), doc)
        problems += validate.check_story_body(entry) + validate.check_links(entry, {"steps/listen.md": {"why"}})
    located(problems, REL, text)
    return doc


@PROPERTY
@given(st.binary(max_size=3000))
def test_binary_junk_read_from_a_file_gives_located_problems(tmp_path, junk):
    path = tmp_path / "hostile.md"
    path.write_bytes(junk)
    doc = frontmatter.read(path, REL)
    located(doc.problems, REL, junk)
    plain(doc.meta)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_any_text_gives_a_document_or_located_problems(text):
    parse_and_validate(text)


@PROPERTY
@given(st.text(alphabet="-:#[]{}&*!|>'\"%@`,?\n\r\t abc0123456789.", max_size=400))
def test_yaml_punctuation_soup_inside_front_matter_gives_located_problems(soup):
    parse_and_validate(f"---\n{soup}\n---\n## Situation\n")


@PROPERTY
@given(mutated_story())
def test_a_mutated_story_gives_located_problems_never_an_exception(text):
    parse_and_validate(text)


@settings(PROPERTY, max_examples=100)
@given(random_front_matter())
def test_random_front_matter_values_give_located_schema_problems(text):
    doc = parse_and_validate(text)
    assert doc.ok or doc.problems


@PROPERTY
@given(
    mutated_story(), st.sampled_from([b"", b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"\xc3\x28"]), st.integers(0, 2000)
)
def test_a_mutated_story_with_a_bom_nul_or_broken_utf8_byte_gives_located_problems(tmp_path, text, junk, at):
    raw = text.encode("utf-8")
    raw = junk + raw if junk == b"\xef\xbb\xbf" else raw[:at] + junk + raw[at:]
    path = tmp_path / "hostile.md"
    path.write_bytes(raw)
    located(frontmatter.read(path, REL).problems, REL, raw)


@pytest.fixture(scope="module")
def small_repo(tmp_path_factory) -> Path:
    """A copy of the real repository (stories included, so sources' links resolve), for one hostile story."""
    return copy_repo(tmp_path_factory.mktemp("hostile-repo"))


@LOADER
@given(text=mutated_story() | random_front_matter())
def test_the_loader_returns_located_problems_for_a_hostile_story(small_repo, text):
    (small_repo / REL).write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
    kb = load(small_repo)
    located([p for p in kb.problems if p.path == REL], REL, text)
    assert {p.path for p in kb.problems} <= {REL}, "a hostile story must not produce problems in other files"
    story = kb.story("hostile")
    assert (story is not None) != (REL in kb.unreadable)


DANGEROUS_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:builtins.open ['{marker}', 'w']",
    "!!python/object/new:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:builtins.open> ['{marker}', 'w']",
    "!!python/object:__main__.Evil {{path: '{marker}'}}",
]


@pytest.mark.parametrize("tagged", DANGEROUS_TAGS)
@pytest.mark.parametrize("where", ["title: {value}", "tags:\n  - a\n  - {value}", "reviewed:\n  nested: {value}"])
def test_yaml_tags_never_construct_python_objects(tmp_path, tagged, where):
    marker = tmp_path / "marker"
    text = STORY.replace("title: Cold soup at lunch", where.format(value=tagged.format(marker=marker)))
    doc = frontmatter.parse_text(text, REL)
    assert not marker.exists(), "YAML ran code"
    assert [p.code for p in doc.problems] == ["yaml-tag"]
    located(doc.problems, REL, text)
    plain(doc.meta)


def test_a_billion_laughs_is_refused_without_expanding(tmp_path):
    laughs = YAML_SNIPPETS[-1]
    doc = frontmatter.parse_text(f"---\n{laughs}---\n", REL)
    assert [str(p) for p in doc.problems] == [
        f"{REL}:3: field `b[0]`: uses a YAML alias (`*name`); write the value out in full [yaml-alias]"
    ]


@pytest.mark.parametrize(
    "nesting",
    [
        "x: " + "[" * 20000 + "]" * 20000,
        "x: " + "{a: " * 20000 + "1" + "}" * 20000,
        "".join(" " * i + "a:\n" for i in range(1500)),
    ],
)
def test_nesting_deeper_than_python_can_recurse_is_one_located_problem(nesting):
    doc = frontmatter.parse_text(f"---\n{nesting}\n---\n", REL)
    assert [p.code for p in doc.problems] == ["yaml-syntax"] and "nested too deeply" in doc.problems[0].message


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path = tmp_path / "huge.md"
    path.write_bytes(STORY.encode() + b"x" * (frontmatter.MAX_BYTES + 1))

    def never(*_args):
        raise AssertionError("a file over the limit was split and parsed")

    monkeypatch.setattr(frontmatter, "_split", never)
    doc = frontmatter.read(path, REL)
    assert [p.code for p in doc.problems] == ["file-too-large"] and doc.meta == {}


def test_a_file_just_under_the_size_limit_is_checked_to_the_end(tmp_path):
    # A body of repeated unclosed links, the worst case for a link scanner, up to the limit.
    body = "\n## Situation\n\n" + ("[a](" * 50 + "\n") * (frontmatter.MAX_BYTES // 202 - 40)
    text = STORY.split("## Situation")[0] + body
    assert len(text.encode()) < frontmatter.MAX_BYTES
    # Read and checked to the end as any story, every problem located (speed is `make bench`'s).
    doc = parse_and_validate(text)
    entry = Entry("stories", "hostile", Path(REL), doc)
    assert doc.ok and {p.code for p in validate.check_story_body(entry)} == {"missing-section", "section-too-long"}


def test_crlf_and_cr_line_endings_read_like_lf_with_the_same_lines():
    expected = [str(p) for p in parse_and_validate(STORY.replace("setting: restaurant", "setting: pub")).problems]
    for newline in ("\r\n", "\r"):
        text = STORY.replace("setting: restaurant", "setting: pub").replace("\n", newline)
        doc = frontmatter.parse_text(text, REL)
        assert doc.ok and doc.meta["setting"] == "pub"
        problems = [str(p) for p in validate.check_front_matter(doc, SCHEMA)]
        assert (
            problems
            == [
                f"{REL}:4: field `setting`: unknown value `pub`; expected one of: "
                + problems[0].split("expected one of: ")[1]
            ]
            and expected == []
        )


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            b"\xef\xbb\xbf" + STORY.encode(),
            f"{REL}:1: file: starts with a byte-order mark (BOM); save it as UTF-8 without BOM [bom]",
        ),
        (
            STORY.encode().replace(b"## Outcome", b"## Out\x00come"),
            f"{REL}:25: file: contains a NUL byte; it is not a text file [not-utf8]",
        ),
        (
            STORY.encode().replace(b"barely warm", b"barely w\xe4rm"),
            f"{REL}:19: file: is not valid UTF-8 (byte 0xe4); save it with UTF-8 encoding [not-utf8]",
        ),
        (
            STORY.replace("title: Cold soup at lunch", "\ttitle: Cold soup at lunch").encode(),
            (
                f"{REL}:2: file: front matter is not valid YAML: found character '\\t' that cannot start any token; "
                f"check indentation, colons and quotes [yaml-syntax]"
            ),
        ),
    ],
)
def test_bom_nul_latin1_and_tab_are_each_named_with_their_line(tmp_path, raw, expected):
    path = tmp_path / "hostile.md"
    path.write_bytes(raw)
    assert [str(p) for p in frontmatter.read(path, REL).problems] == [expected]


def test_check_on_a_repository_full_of_hostile_files_prints_only_located_lines(small_repo, monkeypatch, capsys):
    stories = small_repo / "stories"
    (small_repo / REL).unlink(missing_ok=True)
    hostile = {
        "junk.md": bytes(range(256)) * 4,
        "bom.md": b"\xef\xbb\xbf" + STORY.encode(),
        "empty.md": b"",
        "laughs.md": f"---\n{YAML_SNIPPETS[-1]}---\n".encode(),
        "tag.md": STORY.replace(
            "title: Cold soup at lunch", "title: !!python/object/apply:os.system ['echo owned']"
        ).encode(),
        "surrogate.md": STORY.replace("setting: restaurant", 'setting: "\\ud800"').encode(),
        "escape.md": STORY.replace("setting: restaurant", 'setting: "\\x1b[2Jpub"').encode(),
        "crlf.md": STORY.replace("\n", "\r\n").replace("outcome: won-back", "outcome: won").encode(),
        "Bad Name.md": STORY.encode(),
        "deep.md": ("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n").encode(),
    }
    for name, raw in hostile.items():
        (stories / name).write_bytes(raw)
    monkeypatch.chdir(small_repo)
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert "internal error" not in err and "Traceback" not in err
    lines = out.splitlines()
    assert all(PRINTED.match(line) for line in lines), lines
    assert {line.split(":")[0] for line in lines} == {f"stories/{name}" for name in hostile}
    for name in hostile:
        (stories / name).unlink()
