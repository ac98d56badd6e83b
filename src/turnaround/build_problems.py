"""What the site build does with the problems it found: the report that stops it, the preview's notice.

What `turnaround check` rejects, no build publishes: the build stops with
`report(...)`, every problem one line as check prints it. `mkdocs serve` is a
preview instead: each page shows `notice_html(...)` at its top, and a page with
a problem of its own shows only the notice (its content may be what is wrong).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .problems import Problem, sort_problems

# Said after the problems when a build stops, and when the preview shows them.
NOT_PUBLISHED = "so the site is not published"
IN_PREVIEW = "shown on the preview's pages; `make site` fails until they are fixed"


def report(problems: list[Problem], consequence: str) -> str:
    """What follows from the problems, then each as `turnaround check` prints it, one a line (sorted, no repeats)."""
    problems = sort_problems(problems)
    lines = "\n".join(str(problem) for problem in problems)
    return f"turnaround: {len(problems)} problem(s), {consequence} (`turnaround check` lists them too):\n{lines}"


def notice_html(problems: list[Problem]) -> str:
    """The preview's notice of every problem, escaped (a problem may quote the content)."""
    problems = sort_problems(problems)
    items = "".join(f"<li><code>{escape(str(problem))}</code></li>" for problem in problems)
    title = f"This preview has {len(problems)} problem(s); the site build fails until they are fixed"
    return f'<div class="admonition failure"><p class="admonition-title">{escape(title)}</p><ul>{items}</ul></div>'


def preview_content(problems: list[Problem], root: Path, source: str | None, content: str) -> str:
    """A preview page's content: the notice, then the page's own content unless a problem is in its source file."""
    if not problems:
        return content
    own = _relative(root, source)
    return notice_html(problems) + ("" if any(p.path == own for p in problems) else content)


def _relative(root: Path, source: str | None) -> str | None:
    if not source:
        return None
    try:
        return Path(source).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
