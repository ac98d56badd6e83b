"""The body scanners agree with the site's own Markdown (Python-Markdown with the site's extensions)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from turnaround import markdown_text

# Words of any script, with the punctuation prose uses; no character that opens Markdown or HTML markup.
WORD = st.text(
    st.characters(categories=("L", "N"), exclude_characters="\x00") | st.sampled_from(list(".,;:!?'\"()-–—/%+=’é")),
    min_size=1,
    max_size=8,
)
URL = st.from_regex(r"\A(\.\./)?[a-z0-9][a-z0-9/._-]{0,15}(#[a-z0-9-]{1,8})?\Z") | st.from_regex(
    r"\Ahttps://[a-z]{1,8}\.example\.org/[a-z0-9/]{0,8}\Z"
)


class _Rendered(HTMLParser):
    """Ids of headings, heading texts, and every href and src of a rendered page."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.urls: list[str] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if tag == "a" and "href" in attributes:
            self.urls.append(attributes["href"])
        if tag == "img":
            self.urls.append(attributes["src"])

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data


def render(body: str) -> _Rendered:
    page = markdown.markdown(body, extensions=["toc", "attr_list", "pymdownx.superfences"])
    parser = _Rendered()
    parser.feed(page)
    return parser


@st.composite
def heading_text(draw, pool: list[str]) -> str:
    words = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4))
    marked = []
    for word in words:
        mark = draw(st.sampled_from(["", "*", "**", "`", "link"]))
        marked.append(f"[{word}](x.md)" if mark == "link" else f"{mark}{word}{mark}")
    return " ".join(marked)


@st.composite
def heading_documents(draw) -> str:
    pool = draw(st.lists(WORD, min_size=1, max_size=4))
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        text = draw(heading_text(pool))
        if draw(st.booleans()) and draw(st.booleans()):
            text += " {#" + draw(st.from_regex(r"\A[a-z][a-z0-9_-]{0,8}\Z")) + "}"
        lines += ["#" * draw(st.integers(1, 6)) + " " + text, "", draw(WORD), ""]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(heading_documents())
def test_anchors_are_the_ids_the_site_gives_its_headings(body):
    assert markdown_text.anchors(body) == set(render(body).ids)


@st.composite
def link_documents(draw) -> tuple[str, list[tuple[int, str, bool]]]:
    """A body of paragraphs holding links, images, autolinks and used definitions, and where each one is."""
    lines: list[str] = []
    expected: list[tuple[int, str, bool]] = []
    definitions: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 6))):
        for _ in range(draw(st.integers(1, 3))):
            parts = []
            for _ in range(draw(st.integers(0, 3))):
                kind, url, word = draw(st.sampled_from(["link", "image", "auto", "ref"])), draw(URL), draw(WORD)
                if kind == "auto" and not url.startswith("https://"):
                    kind = "link"
                if kind == "ref":
                    label = f"r{len(definitions)}"
                    definitions.append((label, url))
                    parts.append(f"[{word}][{label}]")
                    continue
                parts.append({"link": f"[{word}]({url})", "image": f"![{word}]({url})", "auto": f"<{url}>"}[kind])
                expected.append((len(lines) + 1, url, kind == "image"))
            lines.append(" ".join([draw(WORD), *parts, draw(WORD)]))
        lines.append("")
    for label, url in definitions:
        expected.append((len(lines) + 1, url, False))
        lines.append(f"[{label}]: {url}")
    return "\n".join(lines), expected


@settings(max_examples=300, deadline=None)
@given(link_documents())
def test_links_are_the_targets_the_site_renders_at_the_lines_written(document):
    body, expected = document
    found = markdown_text.links(body, 1)
    assert sorted((link.line, link.url, link.image) for link in found) == sorted(expected)
    assert Counter(link.url for link in found) == Counter(render(body).urls)


@st.composite
def section_documents(draw) -> tuple[str, list[tuple[str, int]]]:
    """Sections with prose, fenced code that holds a `## ` line, and deeper headings; and where each section starts."""
    lines = [draw(WORD), ""]
    expected = []
    for _ in range(draw(st.integers(0, 6))):
        title = " ".join(draw(st.lists(WORD, min_size=1, max_size=3)))
        expected.append((title, len(lines) + 1))
        lines += [f"## {title}", "", draw(WORD), ""]
        if draw(st.booleans()):
            lines += ["```", f"## {draw(WORD)}", "```", ""]
        if draw(st.booleans()):
            lines += [f"### {draw(WORD)}", "", draw(WORD), ""]
    return "\n".join(lines), expected


@settings(max_examples=200, deadline=None)
@given(section_documents())
def test_sections_are_the_second_level_headings_the_site_renders_at_their_lines(document):
    body, expected = document
    found, preamble = markdown_text.sections(body, 1)
    assert [(s.title, s.line) for s in found] == expected
    assert [s.title for s in found] == [h.strip() for h in render(body).h2]
    assert [line.number for line in preamble] == [1]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["text `code` here", "```", "~~~", "    indented", "", "## Heading", "a [link](x.md)"])),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=-2, max_value=40),
    st.integers(min_value=-2, max_value=40),
)
def test_prose_lines_between_two_lines_are_the_whole_bodys_prose_lines_between_them(lines, first, after, before):
    body = "\n".join(lines)
    whole = markdown_text.prose_lines(body, first)
    fenced = markdown_text.fenced_lines(body)
    assert markdown_text.prose_lines(body, first, fenced, after, before) == [
        line for line in whole if after < line.number < before
    ]
