"""A located problem in a content file, how problems are printed, and a mistake in a command's call."""

from __future__ import annotations

from dataclasses import dataclass

# The `field` of a problem with the whole file (encoding, no front matter...).
FILE = "<file>"


@dataclass(frozen=True, order=True)
class Problem:
    """One error: where it is, what is wrong, and a stable code for the rule."""

    path: str  # relative to the repository, with forward slashes
    line: int
    field: str | None  # front-matter field; None for the body; FILE for the whole file
    message: str
    code: str

    # The one-line form shared by `turnaround check` and the site build.
    def __str__(self) -> str:
        where = "file" if self.field == FILE else f"field `{self.field}`" if self.field else "body"
        return f"{self.path}:{self.line}: {where}: {self.message} [{self.code}]"

    # GitHub's workflow-command form, so errors show up on the pull request's lines.
    def github(self) -> str:
        text = str(self).split(": ", 1)[1]
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},title={self.code}::{text}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Sorted by file, then line, without repeats."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.field or "", p.message))


class UsageError(Exception):
    """A mistake in how a command was called: the command prints the message and exits 2."""
