"""Read a Markdown file's YAML front matter with a line for every key and item.

PyYAML is used only to compose nodes; values are built here from the nodes
with the safe constructor, so every trap (duplicate keys, unquoted yes/no,
impossible dates, tags, aliases) becomes a located problem instead of a
silent surprise or a traceback, and YAML never constructs a Python object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import FILE, Problem

# Files larger than this are refused before parsing (stories are a page long).
MAX_BYTES = 256 * 1024

# Tags a front-matter value may carry: YAML's plain types and nothing else.
SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

KIND = {
    bool: "a boolean (true/false, yes/no, on/off)",
    int: "a number",
    float: "a number",
    type(None): "nothing (an empty value)",
    dt.date: "a date",
    dt.datetime: "a date and time",
    list: "a list",
    dict: "a mapping",
    str: "text",
}


def kind_of(value: object) -> str:
    """How a value reads to a contributor, for "expected X, got Y" messages."""
    return KIND.get(type(value), type(value).__name__)


@dataclass
class Document:
    """A content file split into its front matter and body."""

    rel: str  # path relative to the repository
    meta: dict = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)  # key path -> file line
    plain: dict[tuple, str] = field(default_factory=dict)  # key path -> unquoted source text
    body: str = ""
    body_line: int = 1  # file line on which the body starts
    end_line: int = 1  # line of the closing `---`
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self, path: tuple = ()) -> int:
        """The line of a key path, or of its nearest located parent."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


class _Loader(yaml.SafeLoader):
    """A safe loader that keeps no state between documents."""


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None

if CParser is not None:

    class _FastLoader(yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's parser (ten times faster) under PyYAML's own composer, which keeps the depth limit."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _compose(source: str):
    # Fast path for the many valid files; on an error, compose again in pure Python for its exact message.
    if CParser is not None:
        try:
            return yaml.compose(source, Loader=_FastLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(source, Loader=_Loader)


class _Reject(Exception):
    """Raised inside the node walk; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def read(path: Path, rel: str) -> Document:
    """Read and split one file; every failure is a located problem on the Document."""
    doc = Document(rel=rel)
    try:
        raw = path.read_bytes()
    except OSError as err:
        doc.problems.append(Problem(rel, 1, FILE, f"cannot be read ({err.strerror})", "unreadable"))
        return doc
    return from_bytes(raw, rel)


def from_bytes(raw: bytes, rel: str) -> Document:
    """Decode and split the bytes of a file already read."""
    doc = Document(rel=rel)
    text = _decode(raw, doc)
    if text is not None:
        _split(text, doc)
    return doc


def parse_text(text: str, rel: str) -> Document:
    """Split text already in memory (tests, generated files)."""
    doc = Document(rel=rel)
    _split(text, doc)
    return doc


def _decode(raw: bytes, doc: Document) -> str | None:
    # Each way a file can be unreadable gets its own message.
    rel = doc.rel
    if len(raw) > MAX_BYTES:
        doc.problems.append(
            Problem(
                rel,
                1,
                FILE,
                f"is {len(raw) // 1024} KiB; a content file may be at most {MAX_BYTES // 1024} KiB",
                "file-too-large",
            )
        )
        return None
    if not raw.strip():
        doc.problems.append(
            Problem(
                rel,
                1,
                FILE,
                "is empty; start it with a front matter block between two `---` lines (copy an existing story)",
                "empty-file",
            )
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        doc.problems.append(
            Problem(rel, 1, FILE, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM", "bom")
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        doc.problems.append(
            Problem(
                rel,
                line,
                FILE,
                f"is not valid UTF-8 (byte 0x{raw[err.start]:02x}); save it with UTF-8 encoding",
                "not-utf8",
            )
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        doc.problems.append(Problem(rel, line, FILE, "contains a NUL byte; it is not a text file", "not-utf8"))
        return None
    return text


def _split(text: str, doc: Document) -> None:
    # The front matter is the block between a first line `---` and the next `---` (or YAML's `...`) line,
    # read exactly as MkDocs reads it (mkdocs.utils.meta): only spaces and tabs may follow the dashes or dots,
    # and a line break must follow the closing line. Otherwise MkDocs would publish the fields as page text.
    rel = doc.rel
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].rstrip(" \t") != "---":
        doc.problems.append(
            Problem(
                rel,
                1,
                FILE,
                "has no front matter; the first line must be `---`, followed by the fields and another `---`",
                "no-front-matter",
            )
        )
        return
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip(" \t") in ("---", "...")), None)
    if end is None:
        doc.problems.append(
            Problem(
                rel, 1, FILE, "front matter is never closed; add a line `---` after the last field", "no-front-matter"
            )
        )
        return
    if end == len(lines) - 1:
        doc.problems.append(
            Problem(
                rel,
                end + 1,
                FILE,
                (
                    f"the closing `{lines[end].strip()}` is the file's last line, with no line break after it, so the "
                    f"site would show the fields as text; end the line (press Enter) and write the page below it"
                ),
                "no-front-matter",
            )
        )
        return
    doc.end_line = end + 1
    doc.body = "\n".join(lines[end + 1 :])
    doc.body_line = end + 2
    source = "\n".join(lines[1:end])
    if not source.strip():
        doc.problems.append(
            Problem(
                rel, 1, FILE, "front matter is empty; it must hold the fields as `name: value` lines", "not-a-mapping"
            )
        )
        return
    _parse_yaml(source, doc, offset=2)


def _parse_yaml(source: str, doc: Document, offset: int) -> None:
    # Compose nodes (no construction yet), then build the values from the nodes.
    rel = doc.rel
    try:
        node = _compose(source)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line if mark else 0) + offset
        what = err.problem or err.context or "invalid YAML"
        doc.problems.append(
            Problem(
                rel,
                line,
                FILE,
                f"front matter is not valid YAML: {what}; check indentation, colons and quotes",
                "yaml-syntax",
            )
        )
        return
    except yaml.YAMLError as err:
        doc.problems.append(Problem(rel, offset, FILE, f"front matter is not valid YAML: {err}", "yaml-syntax"))
        return
    except RecursionError:
        doc.problems.append(Problem(rel, offset, FILE, "front matter is nested too deeply", "yaml-syntax"))
        return
    if node is None or not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + offset if node is not None else offset
        doc.problems.append(
            Problem(
                rel,
                line,
                FILE,
                "front matter must be a set of `name: value` fields, not a single value or a list",
                "not-a-mapping",
            )
        )
        return
    builder = _Builder(doc, offset)
    try:
        doc.meta = builder.mapping(node, ())
    except _Reject as reject:
        doc.problems.append(reject.problem)
    except RecursionError:
        doc.problems.append(Problem(rel, offset, FILE, "front matter is nested too deeply", "yaml-syntax"))
    doc.problems.extend(builder.problems)


class _Builder:
    """Builds plain values from YAML nodes, recording the line of every key path."""

    def __init__(self, doc: Document, offset: int):
        self.doc = doc
        self.offset = offset
        self.loader = _Loader("")
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    def fail(self, node: yaml.Node, path: tuple, message: str, code: str) -> _Reject:
        # An alias's node stands where it was first written: point at the key that re-uses it.
        line = self.doc.line(path) if code == "yaml-alias" and path else self.line(node)
        return _Reject(Problem(self.doc.rel, line, _field_name(path) or FILE, message, code))

    def value(self, node: yaml.Node, path: tuple) -> object:
        # An alias re-uses a node: refuse it, which also stops "billion laughs" expansion.
        if id(node) in self.seen:
            raise self.fail(node, path, "uses a YAML alias (`*name`); write the value out in full", "yaml-alias")
        self.seen.add(id(node))
        if node.tag not in SAFE_TAGS:
            raise self.fail(
                node, path, f"uses the YAML tag `{node.tag}`; plain values only (remove the `!` tag)", "yaml-tag"
            )
        self.doc.lines.setdefault(path, self.line(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: tuple) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, path, "has a key that is not a plain name", "yaml-syntax")
            key = key_node.value
            self.text(key_node, path)
            if key_node.tag == "tag:yaml.org,2002:merge" or key == "<<":
                raise self.fail(
                    key_node, path, "uses a YAML merge key (`<<`); write the fields out in full", "yaml-alias"
                )
            if key in result:
                first = self.doc.lines.get((*path, key), 0)
                self.problems.append(
                    Problem(
                        self.doc.rel,
                        self.line(key_node),
                        _field_name((*path, key)),
                        f"is given twice (first on line {first}); keep one",
                        "duplicate-key",
                    )
                )
                continue
            self.doc.lines[(*path, key)] = self.line(key_node)
            result[key] = self.value(value_node, (*path, key))
        return result

    def text(self, node: yaml.ScalarNode, path: tuple) -> None:
        # A `"\ud800"` escape yields half a character that no UTF-8 output (terminal, HTML) can hold.
        bad = next((c for c in node.value if "\ud800" <= c <= "\udfff"), None)
        if bad:
            raise self.fail(
                node,
                path,
                f"contains the escape `\\u{ord(bad):04x}`, half of a character pair; write the character itself",
                "not-utf8",
            )

    def scalar(self, node: yaml.ScalarNode, path: tuple) -> object:
        self.text(node, path)
        # Remember the unquoted source text, so "got a boolean" can show what was typed.
        if not node.style:  # plain (None from PyYAML, '' from libyaml)
            self.doc.plain[path] = node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            raise self.fail(node, path, f"`{node.value}` is not a real date; use YYYY-MM-DD", "bad-date") from None
        except yaml.YAMLError as err:
            raise self.fail(node, path, f"cannot be read: {getattr(err, 'problem', err)}", "yaml-syntax") from None


def _field_name(path: tuple) -> str | None:
    """`steps_taken[1]` style name of a key path, as a contributor reads it."""
    if not path:
        return None
    name = str(path[0])
    for part in path[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return name
