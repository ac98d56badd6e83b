"""A Markdown extension: every task-list checkbox is named by its item's text.

pymdownx.tasklist wraps a checkbox in an empty `<label>`, so a screen reader
announces only "checkbox" (axe-core: `label`, critical). This copies the item's
text into the checkbox's `aria-label`. List it after `pymdownx.tasklist` in
mkdocs.yml; it runs once the checkbox HTML has been put back into the page.
"""

from __future__ import annotations

import html
import re

from markdown import Extension
from markdown.postprocessors import Postprocessor

# The checkbox pymdownx.tasklist writes (custom_checkbox), then the item's text up to its end.
CHECKBOX = re.compile(
    r'(<label class="task-list-control"><input type="checkbox")([^>]*?)(/?>)'
    r'(<span class="task-list-indicator"></span></label>)(.*?)(?=</p>|</li>|<ul|<ol|<div|$)',
    re.S,
)
TAG = re.compile(r"<[^>]+>")
# A name long enough to tell items apart, short enough to listen to.
MAX_NAME = 160


def _name(item_html: str) -> str:
    text = " ".join(html.unescape(TAG.sub("", item_html)).split())
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1].rstrip() + "…"


class TaskLabels(Postprocessor):
    def run(self, text: str) -> str:
        def named(match: re.Match) -> str:
            start, attributes, end, indicator, item = match.groups()
            name = _name(item)
            if not name or "aria-label" in attributes:
                return match.group(0)
            return f'{start}{attributes} aria-label="{html.escape(name, quote=True)}"{end}{indicator}{item}'

        return CHECKBOX.sub(named, text)


class TaskLabelsExtension(Extension):
    def extendMarkdown(self, md):
        # After the raw-HTML postprocessor (priority 30), which puts the stashed checkboxes back.
        md.postprocessors.register(TaskLabels(md), "turnaround-task-labels", 5)


def makeExtension(**kwargs):
    return TaskLabelsExtension(**kwargs)
