"""The controlled vocabularies (data/vocabularies.yml) and named frameworks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import content, frontmatter
from .problems import FILE, Problem
from .repository import FRAMEWORKS, VOCABULARIES, rel

# The vocabularies a story's fields draw on: field -> vocabulary name.
STORY_FIELDS = content.field_vocabularies()
# The keys a vocabulary value may have.
TERM_KEYS = {"label", "description", "remedy", "aliases"}
# Every vocabulary the data file must define.
NAMES = tuple(v.name for v in content.VOCABULARIES)


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary."""

    id: str
    label: str
    description: str
    remedy: str = ""  # failure types only: the in-kind remedy research recommends
    aliases: tuple[str, ...] = ()  # the words staff type for it: search finds its pages by them


@dataclass
class Vocabularies:
    """All vocabularies, each an ordered mapping of id -> Term."""

    terms: dict[str, dict[str, Term]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> dict[str, Term]:
        return self.terms.get(name, {})

    def label(self, name: str, value: str) -> str:
        term = self[name].get(value)
        return term.label if term else value


@dataclass(frozen=True)
class Framework:
    """A named recovery framework: its origin and the step each element maps to."""

    name: str
    origin: str
    elements: tuple[tuple[str, str], ...]  # (element name, step id)


def load_vocabularies(root: Path) -> tuple[Vocabularies, list[Problem]]:
    """Read the vocabularies file; problems are located like any content error."""
    path = root / VOCABULARIES
    data, lines, problems = _read_yaml(path, rel(root, path))
    vocab = Vocabularies()
    for name in NAMES:
        values = data.get(name)
        if not isinstance(values, dict) or not values:
            problems.append(
                Problem(
                    rel(root, path),
                    lines.get((name,), 1),
                    name,
                    "must be a mapping of value -> {label, description}",
                    "vocabulary",
                )
            )
            continue
        terms = {}
        for value, spec in values.items():
            line = lines.get((name, value), 1)
            if (
                not isinstance(spec, dict)
                or not isinstance(spec.get("label"), str)
                or not isinstance(spec.get("description"), str)
            ):
                problems.append(
                    Problem(
                        rel(root, path),
                        line,
                        f"{name}.{value}",
                        "needs a `label` and a `description`, both text",
                        "vocabulary",
                    )
                )
                continue
            # A comma inside `{label: ..., description: ...}` splits the text into stray keys.
            stray = sorted(str(key) for key in spec if key not in TERM_KEYS)
            if stray:
                problems.append(
                    Problem(
                        rel(root, path),
                        line,
                        f"{name}.{value}",
                        f"has unknown keys {', '.join(f'`{k}`' for k in stray)}; if a description holds a comma, "
                        f"write it on its own line or in quotes",
                        "vocabulary",
                    )
                )
                continue
            if name == "failures" and not isinstance(spec.get("remedy"), str):
                problems.append(
                    Problem(
                        rel(root, path),
                        line,
                        f"{name}.{value}",
                        "needs a `remedy`: the in-kind remedy for this failure type",
                        "vocabulary",
                    )
                )
                continue
            aliases = spec.get("aliases", [])
            if not _is_aliases(aliases):
                low, high = content.ALIAS_LENGTH
                problems.append(
                    Problem(
                        rel(root, path),
                        line,
                        f"{name}.{value}.aliases",
                        f"must be a list of at most {content.ALIAS_COUNT} words or phrases staff use, each {low} to "
                        f"{high} characters, such as `aliases: [money back, refunded]`",
                        "vocabulary",
                    )
                )
                continue
            terms[str(value)] = Term(
                str(value), spec["label"], spec["description"], spec.get("remedy", ""), tuple(aliases)
            )
        vocab.terms[name] = terms
    return vocab, problems


def _is_aliases(value) -> bool:
    # The same limits as a step's `aliases` field (content.ALIAS_LENGTH, ALIAS_COUNT).
    low, high = content.ALIAS_LENGTH
    return (
        isinstance(value, list)
        and len(value) <= content.ALIAS_COUNT
        and all(isinstance(item, str) and low <= len(item.strip()) <= high for item in value)
    )


def load_frameworks(root: Path) -> tuple[list[Framework], list[Problem]]:
    """Read the frameworks file into Framework records."""
    path = root / FRAMEWORKS
    data, lines, problems = _read_yaml(path, rel(root, path))
    frameworks = []
    for name, spec in data.items():
        try:
            elements = tuple((str(e["name"]), str(e["step"])) for e in spec["elements"])
            frameworks.append(Framework(str(name), str(spec.get("origin", "")), elements))
        except (KeyError, TypeError):
            problems.append(
                Problem(
                    rel(root, path),
                    lines.get((name,), 1),
                    str(name),
                    "needs `origin` and `elements`, a list of {name, step}",
                    "vocabulary",
                )
            )
    return frameworks, problems


def _read_yaml(path: Path, relpath: str) -> tuple[dict, dict, list[Problem]]:
    # Data files go through the same safe, located reader as front matter.
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return {}, {}, [Problem(relpath, 1, FILE, f"cannot be read: {err}", "unreadable")]
    doc = frontmatter.parse_text(f"---\n{text}\n---\n", relpath)
    # The wrapper added one line above the data: shift every line back.
    shifted = [Problem(p.path, max(1, p.line - 1), p.field, p.message, p.code) for p in doc.problems]
    return doc.meta, {k: v - 1 for k, v in doc.lines.items()}, shifted
