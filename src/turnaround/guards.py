"""Safety guards on contributed content: markup, URLs, personal data, leftovers.

Python-Markdown passes raw HTML through, sanitises no URL, and MkDocs'
templates do not escape page metadata: whatever a contributor writes reaches
every reader's browser as is. Stories are about real customers, so they must
not carry a customer's contact details or name either.

The guards read the source as text, with the same scanners as the rest of
the check, so every finding points at the line to edit. Where a browser
would decode something (HTML entities, tabs and line breaks inside a URL
scheme), the guards decode it first and judge what the browser would see.
Attributes and URLs are judged by the allow-list in `safe_html`, the same
one the site build applies to each page's rendered HTML.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown.extensions.attr_list import get_attrs_and_remainder

from . import markdown_text, safe_html
from .model import Entry, KnowledgeBase
from .problems import Problem
from .safe_html import SAFE_SCHEMES, url_scheme

__all__ = ["SAFE_SCHEMES", "check", "url_scheme"]
# Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "ping",
}
# Elements that run code or replace the page even without an event attribute. Steps and sources may
# use HTML for layout (md_in_html); stories may use none at all.
UNSAFE_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "svg",
    "math",
    "template",
    "noscript",
}
# Fields that templates put inside HTML attributes (meta description, titles) without escaping.
PLAIN_FIELDS = ("title", "summary")
# The opt-out field: a story that must keep personal data says who reviewed it and why.
OPT_OUT = "keeps_personal_data"
# Domains reserved for examples (RFC 2606): an address there is never a real customer's.
EXAMPLE_DOMAIN = re.compile(r"(?:^|\.)example\.(?:com|org|net)$", re.I)

TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)|<!--|<!|<\?")
TAG_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")
# An inline link or image opens its destination with `](`; the destination may run over a line break.
DESTINATION = re.compile(r"\]\(\s*")
DESTINATION_TEXT = re.compile(r"(?:[^()]|\([^()]*\))*+")
REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*\n?[ \t]*(\S+)", re.M)
# An image by reference: `![alt][label]`, `![label][]` or `![label]`; its definition's URL is loaded.
IMAGE_REFERENCE = re.compile(r"!\[([^\]\n]*)\](?:[ ]?\[([^\]\n]*)\])?(?![(\[])")
# Where an attribute list takes effect: alone on its line (a block's), at the end of a heading or table row,
# or right after an inline element (link, image, emphasis, code).
ATTR_LIST_ALONE = re.compile(r"^[ ]*$")
INLINE_END = set(")]*_`~>=^")
HEADING_OR_ROW = re.compile(r" {0,3}#|.*\|")
ANGLE_DESTINATION = re.compile(r"(?:\]\(\s*|^ {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>)", re.M)
EMAIL_AUTOLINK = re.compile(r"<[^\s<>@]+@[^\s<>]+>")
ATTR_LIST = re.compile(r"\{:?[ ]*(?=[^}\s])")
MAX_ATTR_LISTS = 100
# A payment card number: 13 to 19 digits, plain or in groups split by a space or a dash (Luhn-checked after).
CARD_RUN = re.compile(
    r"(?<![\d.,])\d+(?:(?:[ \t\u00a0\u2009\u202f]{1,3}|[ \u00a0]?[-\u2010-\u2013][ \u00a0]?|\n[ \t]*)\d+)*"
)
CARD_GROUP = re.compile(r"\d+")
WEB_ADDRESS = re.compile(r"\bhttps?://[^\s)>\]]+", re.I)
# Markdown emphasis and code marks do not show in the page: a number split by them reads as one.
MARKS = str.maketrans("*_`~\\", "     ")
MAX_TAG = 2000
TODO = re.compile(r"^[^\w\n]*todo\s*:", re.I | re.M)
UNSAFE_CHARACTERS = re.compile(r'[<>"]')
# Invisible characters that change how text reads: C0/C1 controls (a line break aside) and bidi overrides.
INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# An e-mail address, read outwards from its `@` (so a flood of letters costs linear time).
EMAIL_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}$")
EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}")
# Names: "a guest named Jane Doe", "a man called John Smith", "her name was Ann Lee", "Mrs Jones".
PERSON = (
    r"(?:"
    r"customer|guest|client|passenger|patient|diner|caller|visitor|shopper|buyer|man|woman|lady|gentleman"
    r"|girl|boy|person|someone|somebody|regular|member|friend|husband|wife|partner|mother|father|mum|mom"
    r"|dad|son|daughter|waiter|waitress|server|manager|clerk|agent|cashier|bartender|host|hostess"
    r"|receptionist|chef|cook|driver|nurse|doctor|employee|colleague|student|child|kid"
    r")"
)
# The characters a backslash escapes in the site's Markdown (Python-Markdown's, and `|` from tables).
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")
FULL_NAME = r"[A-Z][a-z'’-]+\s+[A-Z][a-z'’-]+"
# Each with a word that must occur for it to match, so most text is passed over at once.
NAME_PATTERNS = [
    (re.compile(rf"\bnamed\s+({FULL_NAME})"), "named"),
    (re.compile(rf"(?i:\b(?:a|an|one|another)\s+(?:\w+\s+)?{PERSON})\s+called\s+({FULL_NAME})"), "called"),
    (re.compile(rf"(?i:\bname\s+(?:is|was))\s+({FULL_NAME})"), "name"),
    (re.compile(r"\b((?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][a-z'’-]+)"), "M"),
]
ID_LIKE = re.compile(r"^[a-z0-9-]*$")
# How many candidate numbers the phone matcher examines per text (a story has a few dozen at most;
# the bound keeps a flood of digits from taking seconds).
PHONE_TRIES = 1000
# A phone number has at least five digits, a few separators apart at most.
DIGITS = re.compile(r"(?:\d\D{0,3}){5}")
# Words that show a "named ..." is a place, a dish or a department rather than a person.
NOT_A_PERSON = re.compile(
    r"(?i)\b(?:caf[eé]|restaurant|hotel|shop|store|bar|pub|chain|brand|company|firm|app|website|site|dish|drink|cocktail|street|road|town|village|city|ship|boat|room|suite|hall|product|menu|airline|band|team|programme|program|service|services|relations|office|desk|care|support|reception|security)\b"
)


def check(entry: Entry, kb: KnowledgeBase) -> list[Problem]:
    """Every guard's problems for one entry, each at the line to edit."""
    body = _Text.body(entry)
    fields = list(_field_texts(entry))
    problems = _leftovers(entry, body, fields)
    problems += _front_matter(entry, fields)
    problems += _markup(entry, body)
    if entry.collection == "stories":
        problems += _personal_data(entry, body, fields, kb.settings.phone_region)
        problems += _card_numbers(entry, body, fields)
    return problems


# ---------------------------------------------------------------- text with lines


@dataclass
class _Text:
    """Source text and the file line of every offset in it."""

    text: str  # prose, with code blanked out (same length, same line breaks)
    raw: str  # the source as written, code included
    first_line: int
    field: str | None = None  # the front-matter field it came from; None for the body
    starts: tuple[int, ...] = (0,)  # offset at which each line starts (body only)

    @classmethod
    def body(cls, entry: Entry) -> _Text:
        raw, first = entry.body, entry.doc.body_line
        prose = {line.number: line.text for line in markdown_text.prose_lines(raw, first)}
        # Code (fenced or inline) is shown, never run: blank it so the markup guards skip it.
        text = "\n".join(prose.get(first + i, " " * len(line)) for i, line in enumerate(raw.split("\n")))
        return cls(text, raw, first, None, _starts(raw))

    def numbered_lines(self) -> Iterator[tuple[int, str]]:
        for index, line in enumerate(self.text.split("\n")):
            yield (self.first_line if self.field is not None else self.first_line + index), line

    def line(self, offset: int) -> int:
        # A front-matter value is reported at its key's line, however many lines it spans.
        if self.field is not None:
            return self.first_line
        return self.first_line + bisect.bisect_right(self.starts, offset) - 1


def _starts(text: str) -> tuple[int, ...]:
    return (0, *(match.end() for match in re.finditer("\n", text)))


def _field_texts(entry: Entry) -> Iterator[_Text]:
    """Every text value of the front matter, located at its key."""

    def walk(value, path: tuple):
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))

    for path, value in walk(entry.meta, ()):
        # Ids, tags and vocabulary values (most values) cannot hold anything a guard looks for.
        if path and not (ID_LIKE.match(value) and not DIGITS.search(value)):
            name = str(path[0]) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[1:])
            yield _Text(value, value, entry.doc.line(path), name)


def _top(field: str | None) -> str:
    return re.split(r"[.\[]", field or "", maxsplit=1)[0]


def _show(written: str, limit: int = 40) -> str:
    # Hidden characters are made visible, so the contributor can find them.
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in written.strip())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# ---------------------------------------------------------------- leftovers


def _leftovers(entry: Entry, body: _Text, fields: list[_Text]) -> list[Problem]:
    """A `TODO:` placeholder from the story template, still in place."""
    problems = [
        Problem(
            entry.rel,
            body.line(match.start()),
            None,
            f"placeholder still here: "
            f'"{_show(body.text[match.start() : match.start() + 200].split(chr(10), 1)[0], 70)}"; replace the '
            f"whole line with your own text",
            "todo",
        )
        for match in TODO.finditer(body.text)
    ]
    problems += [
        Problem(
            entry.rel,
            value.first_line,
            value.field,
            f'placeholder still here: "{_show(value.raw, 70)}"; write the real value',
            "todo",
        )
        for value in fields
        if TODO.match(value.raw)
    ]
    return problems


# ---------------------------------------------------------------- front matter


def _front_matter(entry: Entry, fields: list[_Text]) -> list[Problem]:
    """Titles and summaries are plain text; no front-matter text may carry markup or invisible characters."""
    problems = []
    for value in fields:
        plain = _top(value.field) in PLAIN_FIELDS
        bad = sorted({c for c in UNSAFE_CHARACTERS.findall(value.raw) if c != '"' or plain})
        if bad:
            what = (
                'titles and summaries are plain text, so leave out <, > and " (write “ ” for quotes)'
                if plain
                else "front-matter text is plain text, so leave out < and >"
            )
            problems.append(
                Problem(
                    entry.rel,
                    value.first_line,
                    value.field,
                    f"contains {' and '.join(f'`{c}`' for c in bad)}; {what}",
                    "unsafe-character",
                )
            )
        hidden = INVISIBLE.search(value.raw)
        if hidden:
            problems.append(
                Problem(
                    entry.rel,
                    value.first_line,
                    value.field,
                    f"contains an invisible control character (U+{ord(hidden.group(0)):04X}); retype the text",
                    "unsafe-character",
                )
            )
        # Front-matter text is printed into generated pages as Markdown: the link guards apply to it too.
        if "(" in value.raw or ":" in value.raw or "<" in value.raw:
            problems += _urls(entry, value)
        if "{" in value.raw:
            problems += _attr_lists(entry, value)
    return problems


# ---------------------------------------------------------------- markup


def _markup(entry: Entry, body: _Text) -> list[Problem]:
    """Raw HTML (none in stories), URL schemes and event attributes (everywhere)."""
    problems = _urls(entry, body) + _attr_lists(entry, body)
    if entry.collection == "stories":
        problems += _raw_html(entry, body)
    else:
        problems += _html_tags(entry, body)
    return problems


def _markdown_spans(text: str) -> list[int]:
    """Where autolinks and `<...>` link destinations start: Markdown, not HTML (the URL guard judges them)."""
    if "<" not in text:
        return []
    starts = {m.start() for m in markdown_text.AUTOLINK.finditer(text)}
    starts |= {m.start() for m in EMAIL_AUTOLINK.finditer(text)}
    starts |= {m.start(1) for m in ANGLE_DESTINATION.finditer(text)}
    return sorted(starts)


def _inside(offset: int, starts: list[int]) -> bool:
    index = bisect.bisect_left(starts, offset)
    return index < len(starts) and starts[index] == offset


def _raw_html(entry: Entry, body: _Text) -> list[Problem]:
    """Stories are Markdown only: no tag, no comment, no entity that stands for `<` or `>`."""
    problems = []
    text = body.text
    spans = _markdown_spans(text)
    opened: set[str] = set()
    for match in TAG.finditer(text):
        closing, name = match.group(1), (match.group(2) or "").lower()
        if _inside(match.start(), spans) or (closing and name in opened):
            continue  # Markdown, or the closing tag of one already reported
        opened.add(name)
        if match.group(0) == "<!--":
            message = "an HTML comment `<!--` is not allowed in a story (readers' browsers receive it); delete it"
        else:
            end = text.find(">", match.start(), match.start() + 200)
            message = (
                f"raw HTML `{_show(text[match.start() : end + 1 if end != -1 else match.end()])}` is not allowed "
                f"in a story; write plain Markdown instead (**bold**, *italic*, [a link](../steps/apologize.md))"
            )
        problems.append(Problem(entry.rel, body.line(match.start()), None, message, "raw-html"))
    reported: set[int] = set()
    for match in ENTITY.finditer(text):
        decoded = html.unescape(match.group(0))
        line = body.line(match.start())
        if decoded[:1] in ("<", ">") and line not in reported:
            reported.add(line)
            problems.append(
                Problem(
                    entry.rel,
                    line,
                    None,
                    f"`{match.group(0)}` is an HTML entity for `{decoded[0]}`; HTML tricks are not allowed in a "
                    f"story, write the words instead",
                    "raw-html",
                )
            )
    return problems


def _html_tags(entry: Entry, body: _Text) -> list[Problem]:
    """Steps and sources may use HTML for layout, but nothing that runs code or loads a URL."""
    problems = []
    text = body.text
    spans = _markdown_spans(text)
    position = 0
    while (match := TAG.search(text, position)) is not None:
        position = match.end()
        name = (match.group(2) or "").lower()
        if not name or match.group(1) or _inside(match.start(), spans):
            continue
        # The attributes run to the tag's `>` (read at most MAX_TAG characters); a `<` inside belongs to them.
        end = text.find(">", match.end(), match.end() + MAX_TAG)
        position = end if end != -1 else min(len(text), match.end() + MAX_TAG)
        # An element off the allow-list is refused whole: its attributes go with it.
        if name in UNSAFE_ELEMENTS:
            problems.append(
                Problem(
                    entry.rel,
                    body.line(match.start()),
                    None,
                    f"the HTML element `<{name}>` can run code or change the page; leave it out",
                    "unsafe-html",
                )
            )
            continue
        if safe_html.tag_finding(name):
            problems.append(
                Problem(
                    entry.rel,
                    body.line(match.start()),
                    None,
                    f"the HTML element `<{name}>` is not on the site's allow-list; leave it out, or use Markdown",
                    "unsafe-html",
                )
            )
            continue
        for attr in TAG_ATTRIBUTE.finditer(text, match.end(), position):
            if attr.group(1).lower() == "markdown":
                continue  # md_in_html's switch, removed from the page
            value = (attr.group(2) or "").strip("\"'")
            problems += _attribute(entry, body.line(attr.start()), attr.group(1), value, body.field, tag=name)
    return problems


def _attr_lists(entry: Entry, text: _Text) -> list[Problem]:
    """`{: onclick=... }` puts an event handler on an element; `{: href=... }` replaces a link's URL."""
    problems = []
    for number, line in text.numbered_lines():
        close = line.rfind("}")
        if close == -1:
            continue
        starts = [(match.start(), match.end()) for match in ATTR_LIST.finditer(line, 0, close)]
        # A list runs to the line's last `}`, as attr_list reads it; a flood of them is refused, not parsed.
        if len(starts) > MAX_ATTR_LISTS:
            problems.append(
                Problem(
                    entry.rel,
                    number,
                    text.field,
                    f"holds {len(starts)} attribute lists `{{...}}`; at most {MAX_ATTR_LISTS} on a line can be "
                    f"checked, so split it",
                    "event-attribute",
                )
            )
            continue
        for brace, begin in starts:
            attrs, _ = get_attrs_and_remainder(line[begin : close + 1])
            # Braces in prose are not an attribute list: there only what is never safe is reported.
            before = line[:brace]
            at_end = not line[close + 1 :].strip()
            applies = not before.strip() or before[-1:] in INLINE_END or (at_end and bool(HEADING_OR_ROW.match(line)))
            for key, value in attrs:
                if key not in (".", "id"):
                    # Python-Markdown undoes backslash escapes before the page gets the value (two are one).
                    value = MARKDOWN_ESCAPE.sub(r"\1", value or "")
                    problems += _attribute(entry, number, key, value, text.field, listed=applies)
    return problems


def _attribute(
    entry: Entry, line: int, key: str, value: str, field: str | None, tag: str | None = None, listed: bool = True
) -> list[Problem]:
    """One attribute judged by the site's allow-list.

    `listed` is False where it may be prose rather than an attribute.
    """
    name = html.unescape(key).lstrip(":")
    lowered = name.lower()
    if lowered in URL_ATTRIBUTES and not lowered.startswith("on"):
        unsafe = _judge_url(entry, line, value, f"the `{key}` attribute", field)
        if unsafe:
            return unsafe
    found = safe_html.attribute_finding(name, value, tag)
    if found is None or found.code == "unsafe-url":
        return []
    if not listed and found.code == "unsafe-attribute" and lowered not in safe_html.FORBIDDEN_ATTRIBUTES:
        return []
    message = found.message.replace(f"`{name}`", f"`{key}`", 1) if found.code == "event-attribute" else found.message
    return [Problem(entry.rel, line, field, message, found.code)]


# ---------------------------------------------------------------- URLs


def _urls(entry: Entry, text: _Text) -> list[Problem]:
    """The destination of every link, image, link definition and autolink."""
    problems = []
    source = text.text
    for match in DESTINATION.finditer(source):
        opening = source.rfind("[", max(0, match.start() - 1000), match.start())
        what = "image" if opening > 0 and source[opening - 1] == "!" else "link"
        problems += _judge_url(
            entry, text.line(match.end()), _destination(source, match.end()), what, text.field, loads=what == "image"
        )
    # A definition that an image uses (`![alt][label]`) is loaded by the browser, like an image's own URL.
    images = {_label(m.group(2) or m.group(1)) for m in IMAGE_REFERENCE.finditer(source)} if "![" in source else set()
    for match in REFERENCE_DEF.finditer(source):
        loads = _label(match.group(1)) in images
        problems += _judge_url(
            entry,
            text.line(match.start(2)),
            match.group(2).strip("<>"),
            "image definition" if loads else "link definition",
            text.field,
            loads=loads,
        )
    for match in markdown_text.AUTOLINK.finditer(source):
        problems += _judge_url(entry, text.line(match.start()), match.group(1), "autolink", text.field)
    return problems


def _destination(source: str, start: int) -> str:
    """A link's destination as written: `<...>`, or up to the `)` that closes it (parentheses may nest once)."""
    if source.startswith("<", start):
        end = source.find(">", start, start + 300)
        return source[start + 1 : end] if end != -1 else source[start + 1 : start + 300]
    return DESTINATION_TEXT.match(source, start, start + 300).group(0)


def _label(text: str) -> str:
    # Reference labels match without regard to case or runs of spaces.
    return " ".join(text.split()).casefold()


def _judge_url(
    entry: Entry, line: int, written: str, what: str, field: str | None, loads: bool = False
) -> list[Problem]:
    """Allow only safe schemes, or a path on this site, judged as a browser would read the URL.

    What the browser `loads` by itself (an image) must be a path on this site.
    """
    name = url_scheme(written)
    if loads and (name is None or name in SAFE_SCHEMES) and safe_html.is_external(written):
        return [
            Problem(
                entry.rel,
                line,
                field,
                f"{what} `{_show((written.split() or [''])[0].strip('<>'))}` is not on this site: the browser "
                f"would load it from another host (a tracking pixel reports who reads the page, and the site "
                f"promises to load nothing from outside); put the file in the repository and use a relative path, "
                f"or make it a link",
                "external-resource",
            )
        ]
    if name is None or name in SAFE_SCHEMES:
        return []
    shown = _show(written)
    note = "" if written.strip().lower().startswith(f"{name}:") else f" (a browser reads it as `{name}:`)"
    return [
        Problem(
            entry.rel,
            line,
            field,
            f"{what} `{shown}` uses the `{name}:` scheme{note}; only http://, https:// and mailto: links, or links "
            f"to pages of this site, are allowed",
            "unsafe-url",
        )
    ]


# ---------------------------------------------------------------- personal data


def _personal_data(entry: Entry, body: _Text, fields: list[_Text], region: str) -> list[Problem]:
    """E-mail addresses, phone numbers and names of real people, unless a reviewer kept them on purpose."""
    found: list[Problem] = []
    for text in (body, *(f for f in fields if _top(f.field) != OPT_OUT)):
        found += _personal(entry, text, region)
    opt_out = entry.meta.get(OPT_OUT)
    if isinstance(opt_out, str) and opt_out.strip():
        if found:
            return []
        return [
            Problem(
                entry.rel,
                entry.doc.line((OPT_OUT,)),
                OPT_OUT,
                "is set, but the story holds no e-mail address, phone number or name to keep; remove the field",
                "needless-opt-out",
            )
        ]
    return found


def _personal(entry: Entry, text: _Text, region: str) -> list[Problem]:
    # Read as the reader sees it: entities decoded (line by line, so every line keeps its number).
    raw = text.raw
    if "&" in raw:
        raw = "\n".join(html.unescape(line) for line in raw.split("\n"))
    located = _Text(raw, raw, text.first_line, text.field, _starts(raw) if text.field is None else (0,))
    keep = f"or if it must stay, add `{OPT_OUT}:` saying who reviewed it and why"
    # Imported here: a build whose files are all in the check store never needs it.
    import phonenumbers

    problems = []
    for start, address, domain in _emails(raw):
        if not EXAMPLE_DOMAIN.search(domain):
            problems.append(
                Problem(
                    entry.rel,
                    located.line(start),
                    text.field,
                    f"e-mail address `{address}` may be a real person's; remove it (addresses at example.com are "
                    f"fine), {keep}",
                    "personal-email",
                )
            )
    for match in (
        phonenumbers.PhoneNumberMatcher(raw, region, leniency=phonenumbers.Leniency.VALID, max_tries=PHONE_TRIES)
        if DIGITS.search(raw)
        else ()
    ):
        problems.append(
            Problem(
                entry.rel,
                located.line(match.start),
                text.field,
                f"phone number `{match.raw_string}` may be a real person's; remove it, {keep}",
                "personal-phone",
            )
        )
    for pattern, hint in NAME_PATTERNS:
        for match in pattern.finditer(raw) if hint in raw else ():
            context = " ".join(raw[max(0, match.start(1) - 60) : match.start(1)].split()[-4:])
            if NOT_A_PERSON.search(f"{context} {match.group(1)}"):
                continue
            problems.append(
                Problem(
                    entry.rel,
                    located.line(match.start(1)),
                    text.field,
                    f'`{" ".join(match.group(1).split())}` looks like a real person\'s name; write "a guest" or "a '
                    f'regular" instead, {keep}',
                    "personal-name",
                )
            )
    return problems


def _emails(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, address, domain) of every e-mail address."""
    for at in re.finditer("@", text):
        local = EMAIL_LOCAL.search(text, max(0, at.start() - 64), at.start())
        domain = EMAIL_DOMAIN.match(text, at.end(), at.end() + 600)
        if local and domain:
            yield local.start(), text[local.start() : domain.end()], domain.group(0)


# ---------------------------------------------------------------- payment cards


def _card_numbers(entry: Entry, body: _Text, fields: list[_Text]) -> list[Problem]:
    """Payment card numbers, everywhere in a story: no opt-out keeps one."""
    problems = []
    for text in (body, *fields):
        # A web address is no card: report and article ids in URLs are long digit runs that pass Luhn by chance.
        if text.field and text.field.endswith(".url"):
            continue
        raw = WEB_ADDRESS.sub(lambda m: " " * len(m.group()), text.raw)
        if sum(c.isdigit() for c in raw) < 13:
            continue
        if "&" in raw:  # as the reader sees it, line by line so every line keeps its number
            raw = "\n".join(html.unescape(line) for line in raw.split("\n"))
        located = _Text(raw, raw, text.first_line, text.field, _starts(raw) if text.field is None else (0,))
        for start, written in card_numbers(raw):
            problems.append(
                Problem(
                    entry.rel,
                    located.line(start),
                    text.field,
                    f"`{_show(written)}` is a payment card number; remove it: a card number must never be in a "
                    f'story (write "her card", or at most "the card ending {written[-4:]}")',
                    "personal-card",
                )
            )
    return problems


def card_numbers(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text as written) of every payment card number: 13 to 19 digits, plain or grouped, that pass Luhn."""
    for run in CARD_RUN.finditer(text.translate(MARKS)):
        groups = [(run.start() + m.start(), m.group()) for m in CARD_GROUP.finditer(run.group())]
        first = 0
        # The longest whole groups that make a card number: a card followed by a date or a code is still found.
        while first < len(groups):
            found = None
            digits = ""
            for last in range(first, len(groups)):
                digits += groups[last][1]
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and _luhn(digits) and not _isbn(digits):
                    found = last
            if found is None:
                first += 1
                continue
            start, end = groups[first][0], groups[found][0] + len(groups[found][1])
            yield start, text[start:end]
            first = found + 1


def _luhn(digits: str) -> bool:
    # Every second digit from the right is doubled (less 9 above 9); the sum ends in 0.
    total = sum(int(d) for d in digits[-1::-2]) + sum(sum(divmod(2 * int(d), 10)) for d in digits[-2::-2])
    return total % 10 == 0


def _isbn(digits: str) -> bool:
    # A book's ISBN-13 (978/979...) can pass Luhn by chance; its own check digit tells it apart.
    return (
        len(digits) == 13
        and digits[:3] in ("978", "979")
        and sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    )
