"""The allow-list of what a content page may hand to a reader's browser.

One list of elements, attributes and URL rules, used twice: the guards apply
it to the source (attribute lists, HTML tags, link and image destinations) so
a contributor learns at the line, and the site build applies it to each
page's rendered HTML, which is what the browser really gets, whatever path
the markup took through Markdown and its extensions.

The rendered check has two judges. An exact walk of the HTML (the standard
library's parser) names every element and attribute off the list. nh3, a
well-kept sanitizer on a browser-grade HTML parser, cleans the page twice:
once with the allow-list, once letting everything through; if the two
differ where the walk found nothing, the page still fails. The site build keeps
each page's verdict by the digest of its HTML (`Verdicts`, in .cache/pages/),
so a rebuild judges only the pages whose HTML changed.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .index import index_of
from .model import KnowledgeBase
from .problems import Problem
from .storage import Records, code_digest

# Bump to drop every kept verdict at once.
VERDICTS_FORMAT = "1"

# Elements that Markdown and the extensions in mkdocs.yml produce (tables, admonitions, details, footnotes,
# abbreviations, definition lists, tasklists, permalinks, Material's icons as inline SVG), plus plain text markup.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
        "svg",
        "path",
    }
)
# Attributes allowed on any of them (lowercase, as the browser reads names); `aria-*` too.
ALLOWED_ATTRIBUTES = frozenset(
    {
        "class",
        "id",
        "title",
        "lang",
        "dir",
        "role",
        "alt",
        "href",
        "src",
        "width",
        "height",
        "align",
        "colspan",
        "rowspan",
        "scope",
        "headers",
        "start",
        "reversed",
        "value",
        "open",
        "datetime",
        "type",
        "checked",
        "disabled",
        "data-search-exclude",
        "xmlns",
        "viewbox",
        "d",
        "fill",
        "fill-rule",
        "clip-rule",
        "fill-opacity",
        "aria-hidden",
    }
)
ATTRIBUTE_PREFIXES = ("aria-",)
# How nh3's HTML parser spells the allowed SVG attributes (SVG keeps their case).
SVG_SPELLING = {"viewbox": "viewBox"}
# The schemes a link may use; a link without a scheme is a page of this site.
SAFE_SCHEMES = ("http", "https", "mailto")
# Attributes whose URL the browser loads (or pings) without a click: only a path on this site may go there.
LOADING_ATTRIBUTES = frozenset(
    {
        "src",
        "srcset",
        "poster",
        "data",
        "background",
        "lowsrc",
        "dynsrc",
        "imagesrcset",
        "ping",
        "xlink:href",
        "codebase",
        "archive",
        "manifest",
        "icon",
    }
)
# Attributes that are never allowed, each with why.
FORBIDDEN_ATTRIBUTES = {
    "style": (
        "can restyle or cover the whole page (a fixed overlay, hidden text); use a class such as `{: .note }` instead"
    ),
    "srcdoc": "embeds a whole page that can run code",
    "formaction": "sends a form to an address of the attribute's choosing",
}

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
C0_AND_SPACE = "".join(map(chr, range(0x21)))
# Every name the HTML tokenizer could read as a tag (a superset: text and attribute values are scanned too).
TAG_NAME = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
SCHEME_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*(?=:)")


@dataclass(frozen=True)
class Finding:
    """One thing off the allow-list: its rule code, what is wrong and how to fix it, and a text to find it by."""

    code: str
    message: str
    needle: str


def _finding(code: str, message: str, needle: str) -> Finding:
    # One place that makes findings, so the rules registry sees every code used here.
    return Finding(code, message, needle)


def url_scheme(written: str) -> str | None:
    """The scheme a browser sees in a URL as written (entities decoded, tabs and line breaks dropped), lowercased."""
    scheme = SCHEME.match(browser_url(written))
    return scheme.group(1).lower() if scheme else None


def browser_url(written: str) -> str:
    """A URL as the browser reads it.

    Entities decoded, outer spaces and controls and every tab and line break dropped.
    """
    url = written
    for _ in range(3 if "&" in url else 0):  # entities inside entities: decode until nothing changes
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    if CONTROL_OR_SPACE.search(url):
        url = re.sub(r"[\x00-\x1f\x7f]", "", url.strip(C0_AND_SPACE)).split(" ", 1)[0]
    return url


def is_external(written: str) -> bool:
    """Whether a URL leaves this site: it has a scheme, or starts with two slashes (`//host`, `\\\\host`)."""
    url = browser_url(written)
    return bool(SCHEME.match(url)) or url.replace("\\", "/").startswith("//")


def _urls(name: str, value: str) -> list[str]:
    # A srcset lists candidates ("a.png 1x, b.png 2x"); any other attribute holds one URL.
    if name in ("srcset", "imagesrcset", "ping", "archive"):
        return [part.split()[0] for part in re.split(r"[,\s]\s*(?=\S)", value) if part.split()] or [value]
    return [value]


def attribute_finding(name: str, value: str | None, tag: str | None = None) -> Finding | None:
    """What is wrong with one attribute as the browser reads it (value decoded), or None when it is allowed.

    `tag` is the element, when known (HTML); an attribute list does not say which element it lands on.
    """
    key = name.lower()
    value = value or ""
    if key.startswith("on"):
        return _finding(
            "event-attribute",
            f"the attribute `{name}` is an event handler that would run code in readers' browsers; remove it",
            name,
        )
    if key in FORBIDDEN_ATTRIBUTES:
        return _finding(
            "unsafe-attribute", f"the attribute `{name}` is not allowed: it {FORBIDDEN_ATTRIBUTES[key]}", name
        )
    if key in LOADING_ATTRIBUTES and any(is_external(url) for url in _urls(key, value)):
        shown = _show(value)
        return _finding(
            "external-resource",
            (
                f"the `{name}` attribute `{shown}` is not a path on this site: the browser would load it from outside "
                f"(a tracking pixel reports who reads the page, and the site promises to load nothing from outside); "
                f"put the file in the repository and use a relative path, or link to it instead"
            ),
            value or name,
        )
    if key == "href":
        scheme = url_scheme(value)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            return _finding(
                "unsafe-url",
                (
                    f"the `{name}` attribute `{_show(value)}` uses the `{scheme}:` scheme; only http://, https:// and "
                    f"mailto: links, or links to pages of this site, are allowed"
                ),
                value,
            )
    if key not in ALLOWED_ATTRIBUTES and not key.startswith(ATTRIBUTE_PREFIXES):
        return _finding(
            "unsafe-attribute",
            (
                f"the attribute `{name}` is not on the allow-list of the site's HTML; remove it (classes "
                f"`{{: .note }}` and ids `{{: #soup }}` are fine)"
            ),
            name,
        )
    if tag == "input" and key == "type" and value.strip().lower() != "checkbox":
        return _finding(
            "unsafe-attribute",
            f"an input of type `{_show(value)}` is not allowed; only checklist boxes (`- [ ] item`) are",
            value,
        )
    if key in ("fill", "d") and "url(" in value.lower().replace(" ", ""):
        return _finding(
            "external-resource",
            f"the `{name}` attribute `{_show(value)}` refers to a resource by URL; use a plain colour",
            value,
        )
    return None


def tag_finding(tag: str) -> Finding | None:
    """An element that is not on the allow-list, or None."""
    if tag.lower() in ALLOWED_TAGS:
        return None
    return _finding(
        "unsafe-html",
        (
            f"the HTML element `<{tag}>` is not on the allow-list of the site's HTML (it can run code, load from "
            f"another host or change the page); leave it out"
        ),
        f"<{tag}",
    )


class Verdicts:
    """The allow-list's findings in each built page, by the digest of its HTML, kept between builds.

    A verdict depends only on the HTML and on this module's rules (and nh3's version): the store's name hashes those.
    """

    def __init__(self, folder: Path | None):
        rules = code_digest(Path(__file__).parent, [Path(__file__)], ["nh3"], VERDICTS_FORMAT)[:32]
        self.records = Records(folder, rules)

    @classmethod
    def open(cls, root: Path) -> Verdicts:
        return cls(root / ".cache" / "pages")

    def findings(self, page_html: str) -> list[Finding]:
        key = hashlib.sha256(page_html.encode("utf-8", "surrogatepass")).hexdigest()
        found = self.records.get(key)
        return found if isinstance(found, list) else self.records.put(key, findings(page_html))

    def save(self) -> None:
        """Keep the verdicts this build used."""
        self.records.save()


def check_built(kb: KnowledgeBase, src_uri: str, page_html: str, verdicts: Verdicts | None = None) -> list[Problem]:
    """The allow-list applied to a content page (story, step or source) as built; other pages are the site's own."""
    entry = index_of(kb).by_uri.get(src_uri)
    if entry is None:
        return []
    try:
        source = entry.path.read_text("utf-8", errors="replace")
    except OSError:
        source = ""
    found = verdicts.findings(page_html) if verdicts else findings(page_html)
    return located(entry.rel, found, source)


def check_page(rel: str, page_html: str, source: str = "", first_line: int = 1) -> list[Problem]:
    """Every element and attribute of a page's rendered HTML that the allow-list would remove.

    Each problem names the content file `rel`, at the first line of `source`
    (its text, starting at `first_line`) that shows the offending text, else at `first_line`.
    """
    return located(rel, findings(page_html), source, first_line)


def findings(page_html: str) -> list[Finding]:
    """What the allow-list would remove from this HTML, each once: the walk's findings, else nh3's verdict."""
    found = _walk(page_html)
    if not found and clean(page_html) != _clean_nothing(page_html):
        found = [
            _finding(
                "unsafe-output",
                (
                    "the page's HTML holds markup that the allow-list removes; simplify the markup (plain Markdown "
                    "always passes)"
                ),
                "",
            )
        ]
    return list(dict.fromkeys(found))


def located(rel: str, found: list[Finding], source: str = "", first_line: int = 1) -> list[Problem]:
    """The findings as problems of the content file `rel`, each at the first line of `source` that shows it."""
    return [
        Problem(rel, _locate(source, f.needle, first_line), None, f"in the built page: {f.message}", f.code)
        for f in found
    ]


# ---------------------------------------------------------------- the walk


class _Walk(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag, attrs):
        found = tag_finding(tag)
        if found:
            self.findings.append(found)
        for name, value in attrs:
            found = attribute_finding(name, value, tag)
            if found:
                self.findings.append(found)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def _walk(page_html: str) -> list[Finding]:
    walk = _Walk()
    walk.feed(page_html)
    walk.close()
    return walk.findings


# ---------------------------------------------------------------- nh3, the second judge


def _keep(tag: str, attribute: str, value: str) -> str | None:
    # nh3 has checked the names and link schemes; the values are judged as in the walk.
    return None if attribute_finding(attribute, value, tag) else value


def clean(page_html: str) -> str:
    """The HTML less everything off the allow-list."""
    import nh3  # imported here: the check of the sources never needs it

    attributes = set(ALLOWED_ATTRIBUTES) | {SVG_SPELLING.get(a, a) for a in ALLOWED_ATTRIBUTES}
    return nh3.clean(
        page_html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(),
        attributes={"*": attributes},
        generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES),
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=False,
        attribute_filter=_keep,
    )


def _clean_nothing(page_html: str) -> str:
    # The same parse and serialisation, with every tag, attribute and scheme on the page let through.
    import nh3

    tags = {name.lower() for name in TAG_NAME.findall(page_html)} | set(ALLOWED_TAGS)
    decoded = re.sub(r"[\t\n\r]", "", html.unescape(page_html))
    schemes = {s.lower() for s in SCHEME_LIKE.findall(decoded)} | set(SAFE_SCHEMES)
    return nh3.clean(
        page_html,
        tags=tags,
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        url_schemes=schemes,
        link_rel=None,
        strip_comments=False,
    )


# ---------------------------------------------------------------- helpers


def _locate(source: str, needle: str, first_line: int) -> int:
    # The first source line that shows the offending text (as written, or with entities decoded).
    if needle:
        for index, line in enumerate(source.split("\n")):
            if needle in line or needle in html.unescape(line):
                return first_line + index
    return first_line


def _show(written: str, limit: int = 40) -> str:
    # Hidden characters are made visible, so the contributor can find them.
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in written.strip())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
