"""Every rule the check enforces, by its stable code: what it means, a bad example, the fix.

Each problem `turnaround check` prints ends with one of these codes in
brackets; the Contribute pages list them all (generated from this table),
and a test fails when the code uses a code that is not registered here.

`plant` says how a test can plant the bad example in an otherwise valid
story to prove the rule fires: "front" (front-matter lines that replace or
add fields), "situation" (lines added to the `## Situation` section),
"body" (the whole body), "file" (the whole file) or "" (it cannot be
planted in a story). A `bad` example in parentheses describes the file
rather than quoting it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    area: str
    meaning: str
    bad: str  # a bad example, as written in the file
    fix: str  # how to fix it (Markdown)
    plant: str = ""


# Areas in the order a contributor meets them; the errors page follows it.
AREAS = (
    "Reading the file",
    "Front matter",
    "References between pages",
    "Story sections",
    "Links",
    "Leftovers",
    "Safety",
    "Personal data",
    "Data files",
)

_RULES = [
    # ------------------------------------------------------------ reading the file
    Rule(
        "unreadable",
        "The file cannot be read",
        "Reading the file",
        "The operating system refused to open the file (permissions, or it is a folder).",
        "(a file you are not allowed to read)",
        "Check that the file exists and that you can open it; save it again from your editor.",
    ),
    Rule(
        "file-too-large",
        "The file is too large",
        "Reading the file",
        "A content file may be at most 256 KiB; a story is a page long.",
        "(a story of 300 KiB)",
        "Cut the text down; a story has four short sections.",
    ),
    Rule(
        "empty-file",
        "The file is empty",
        "Reading the file",
        "The file has no content at all.",
        "(a file with nothing in it)",
        "Start from the template: run `turnaround new-story`, or copy an existing story.",
    ),
    Rule(
        "bom",
        "The file starts with a byte-order mark",
        "Reading the file",
        (
            "Some editors put an invisible byte-order mark (BOM) at the start of the file; the front matter is then "
            "not recognized."
        ),
        "(the invisible character U+FEFF before the first `---`)",
        "Save the file as *UTF-8* (not *UTF-8 with BOM*).",
    ),
    Rule(
        "not-utf8",
        "The file is not UTF-8 text",
        "Reading the file",
        "The file was saved in another encoding (such as Windows-1252), or holds binary data.",
        "(a file saved as Windows-1252, where é is the single byte 0xE9)",
        (
            "Save the file with UTF-8 encoding; in VS Code, click the encoding in the status bar and choose *Save "
            "with Encoding → UTF-8*."
        ),
    ),
    Rule(
        "stray-file",
        "A file in stories/ that is never published",
        "Reading the file",
        (
            "Only `.md` files directly in `stories/` become pages; a file in a sub-folder or with another extension "
            "would be silently left out."
        ),
        "(stories/2026/cold-soup.md, or stories/cold-soup.txt)",
        "Move the file directly into `stories/` and give it the `.md` extension: `stories/cold-soup.md`.",
    ),
    Rule(
        "reserved-id",
        "A story named like a generated page",
        "Reading the file",
        (
            "The site makes some pages of its own under `stories/` (the story index, the tags page); a story with the "
            "same file name would be replaced by them."
        ),
        "(a story saved as stories/index.md)",
        "Rename the file after the story: `stories/cold-soup-swapped-at-once.md`.",
    ),
    Rule(
        "no-front-matter",
        "No front matter",
        "Reading the file",
        "The file must start with a line `---`, then the fields, then another `---`.",
        "title: Cold soup\nsummary: A guest's soup arrives cold.\n\n## Situation",
        "Put a line `---` before the first field and another after the last one.",
        "file",
    ),
    Rule(
        "not-a-mapping",
        "The front matter is not a set of fields",
        "Reading the file",
        "Between the two `---` lines there must be `name: value` lines, not a single value or a list.",
        "---\n- Cold soup\n- restaurant\n---",
        "Write one `name: value` line per field, as in the template.",
        "file",
    ),
    Rule(
        "yaml-syntax",
        "The front matter is not valid YAML",
        "Reading the file",
        (
            "A colon followed by a space inside a value, a missing quote or a wrong indentation stops the fields from "
            "being read."
        ),
        "title: Cold soup: swapped at once",
        (
            'Put a value that holds `: ` or starts with a special character in quotes: `title: "Cold soup: swapped at '
            'once"`.'
        ),
        "front",
    ),
    Rule(
        "yaml-alias",
        "A YAML alias or merge key",
        "Reading the file",
        "YAML aliases (`*name`) and merge keys (`<<`) copy values from elsewhere; content files write every value out.",
        "steps_taken: &taken [apologize]\nsteps_missed: *taken",
        "Write the value out in full.",
        "front",
    ),
    Rule(
        "yaml-tag",
        "A YAML tag",
        "Reading the file",
        "A `!` tag asks YAML to build a special object; front matter holds plain text, numbers, dates and lists only.",
        "title: !!python/object:os.system echo",
        "Remove the tag and write the plain value.",
        "front",
    ),
    Rule(
        "duplicate-key",
        "A field is given twice",
        "Reading the file",
        "YAML would silently keep only the last value.",
        "outcome: lost\noutcome: won-back",
        "Keep one of the two lines.",
        "front",
    ),
    Rule(
        "bad-date",
        "Not a date",
        "Front matter",
        "Dates are written YYYY-MM-DD, and must exist.",
        "reviewed: 2026-13-40",
        "Write a real date: `reviewed: 2026-11-22`.",
        "front",
    ),
    # ------------------------------------------------------------ front matter
    Rule(
        "missing-field",
        "A required field is missing",
        "Front matter",
        (
            "Every story needs title, summary, setting, failure, severity, fault, steps_taken, steps_missed, "
            "compensation, outcome, provenance and reviewed; each citation needs publisher, title, date and url."
        ),
        "(a story with no `outcome:` line)",
        "Add the field with its value; the message says what it holds.",
    ),
    Rule(
        "unknown-field",
        "A field this collection does not have",
        "Front matter",
        "Usually a typing mistake in a field name; unknown fields are not shown anywhere.",
        "outcomes: lost",
        "Use the field name the message suggests (`outcome:`), or remove the line.",
        "front",
    ),
    Rule(
        "unknown-value",
        "A value that is not in the vocabulary",
        "Front matter",
        (
            "Setting, failure, severity, fault, compensation, outcome and provenance take one of the values listed on "
            "the field reference page."
        ),
        "setting: resturant",
        (
            "Use one of the listed values (`setting: restaurant`). A new value is added to `data/vocabularies.yml` "
            "first, with a label and a description."
        ),
        "front",
    ),
    Rule(
        "wrong-type",
        "The wrong kind of value",
        "Front matter",
        (
            "A field holds text where a list is expected, or YAML read an unquoted word as something else: `yes`, "
            "`no`, `on` and `off` become true/false, `1.10` becomes a number."
        ),
        "title: yes",
        'Put text in quotes (`title: "yes"`), and write lists in brackets: `steps_taken: [apologize]`.',
        "front",
    ),
    Rule(
        "too-short",
        "An empty value",
        "Front matter",
        "A text field that must say something is empty.",
        'summary: ""',
        "Write the text, or remove an optional field.",
        "front",
    ),
    Rule(
        "too-long",
        "Text too long",
        "Front matter",
        (
            "Titles, summaries and card texts have limits so that they fit on the cards and in lists. The message "
            "says how much to cut."
        ),
        "title: A very long title that goes on and on about the soup, the bowl, the spoon, the waiter and the bill",
        "Shorten it by at least the number of characters the message gives.",
        "front",
    ),
    Rule(
        "too-few",
        "Too few items in a list",
        "Front matter",
        "Some lists need a minimum number of items, such as a step's `do` list (3 to 5) or a source's `recommends`.",
        "do: [Listen]",
        "Add items until the list has as many as the message asks for.",
    ),
    Rule(
        "too-many",
        "Too many items in a list",
        "Front matter",
        "Lists have a maximum so that they fit on a card or a page.",
        "tags: [a, b, c, d, e, f, g, h, i]",
        "Keep the most useful items.",
        "front",
    ),
    Rule(
        "duplicate-item",
        "An item listed twice",
        "Front matter",
        "A list names the same value more than once.",
        "steps_taken: [apologize, resolve, apologize]",
        "Keep one of each.",
        "front",
    ),
    Rule(
        "bad-id",
        "Not an id",
        "Front matter",
        "File names, tags, step and source ids are lowercase words joined by hyphens.",
        "tags: [Lunch Rush]",
        "Write `tags: [lunch-rush]`; rename a file `Cold Soup.md` to `cold-soup.md`.",
        "front",
    ),
    Rule(
        "bad-url",
        "Not a web address",
        "Front matter",
        "A source's `url` and a citation's `url` must start with http:// or https://.",
        "url: www.example.com/article",
        "Write the full address: `url: https://www.example.com/article`.",
    ),
    Rule(
        "out-of-range",
        "A number out of range",
        "Front matter",
        "A step's `order` runs from 1 to the number of steps, without gaps.",
        "order: 12",
        "Use the next free number in the checklist order.",
    ),
    Rule(
        "future-date",
        "A review date in the future",
        "Front matter",
        (
            "`reviewed` is the day someone last checked the page. A date after the build date would keep the page out "
            "of the review queue until then."
        ),
        "reviewed: 2999-01-01",
        "Write the day you checked the page, today or earlier (YYYY-MM-DD).",
        "front",
    ),
    Rule(
        "schema",
        "Does not match the model",
        "Front matter",
        "A front-matter value breaks a rule of the collection's model that has no more specific message.",
        "(any other break of the model)",
        "Compare the field with the field reference; the message quotes the rule.",
    ),
    # ------------------------------------------------------------ references
    Rule(
        "unknown-step",
        "A step that does not exist",
        "References between pages",
        (
            "`steps_taken`, `steps_missed` and a source's `recommends` name steps by their id: the file name in "
            "`docs/steps/`."
        ),
        "steps_missed: [apologise]",
        "Use a step id from the field reference (`apologize`).",
        "front",
    ),
    Rule(
        "unknown-source",
        "A source that does not exist",
        "References between pages",
        "`source` names a source page by its id: the file name in `docs/sources/`.",
        "source: bad-service-to-loyality",
        (
            "Use a source id from the field reference, or leave `source` out for a story that is not from a source "
            "article."
        ),
        "front",
    ),
    Rule(
        "taken-and-missed",
        "A step both taken and missed",
        "References between pages",
        "A step is either taken or missed, not both.",
        "steps_taken: [apologize, resolve]\nsteps_missed: [apologize]",
        "Remove it from one of the two lists.",
        "front",
    ),
    Rule(
        "provenance-source",
        "Provenance and source disagree",
        "References between pages",
        (
            "`provenance: source-article` says the story is retold from a curated source article, so it needs "
            "`source:` naming that article; and a story with `source:` is from that article, so its provenance is "
            "`source-article`."
        ),
        "provenance: source-article",
        (
            "Add `source:` with the article's id from the field reference, or choose the provenance that fits "
            "(`first-hand` for your own account, `illustrative` for one written for training)."
        ),
        "front",
    ),
    Rule(
        "provenance-citations",
        "A public report without its reports",
        "References between pages",
        (
            "`provenance: public-report` says the story's facts come from published reports; a reader must be able to "
            "find them, so `citations:` lists at least one, each with `publisher`, `title`, `date` and `url`."
        ),
        "provenance: public-report",
        (
            "Add the reports:\n\n```yaml\ncitations:\n  - publisher: The Guardian\n    title: The report's title, as "
            "published\n    date: 2009-07-23\n    url: https://www.example.com/the-report\n```"
        ),
        "front",
    ),
    Rule(
        "duplicate-order",
        "Two steps in the same place",
        "References between pages",
        "Each step has its own `order` in the checklist.",
        "order: 3",
        "Give each step a different number, from 1 to the number of steps.",
    ),
    # ------------------------------------------------------------ story sections
    Rule(
        "stray-text",
        "Text before the first section",
        "Story sections",
        "A story's body starts with `## Situation`; the title comes from the front matter.",
        "# Cold soup\n\n## Situation",
        "Delete the text before `## Situation`, or move it into a section.",
        "body",
    ),
    Rule(
        "unknown-section",
        "A section a story does not have",
        "Story sections",
        "A story has exactly four sections: Situation, What staff did, Outcome, Better recovery.",
        "## Situaton",
        "Use the section name the message suggests, spelt exactly.",
        "situation",
    ),
    Rule(
        "duplicate-section",
        "A section given twice",
        "Story sections",
        "Each of the four sections appears once.",
        "## Outcome\n\nThey came back.\n\n## Outcome",
        "Merge the two into one section.",
        "situation",
    ),
    Rule(
        "missing-section",
        "A section is missing",
        "Story sections",
        "All four sections are needed: they are the two sides of a role-play card.",
        "## Situation\n\n...\n\n## Outcome\n\n...",
        "Add the missing section in its place.",
        "body",
    ),
    Rule(
        "section-order",
        "Sections out of order",
        "Story sections",
        "The sections come in the order Situation, What staff did, Outcome, Better recovery.",
        "## Situation\n\n...\n\n## Outcome\n\n...\n\n## What staff did\n\n...\n\n## Better recovery\n\n...",
        "Move the sections into that order.",
        "body",
    ),
    Rule(
        "empty-section",
        "An empty section",
        "Story sections",
        "Each section needs some text.",
        "## Outcome\n\n## Better recovery",
        "Write what the section asks for (see the template's TODO lines).",
        "body",
    ),
    Rule(
        "section-too-long",
        "A section too long for its card",
        "Story sections",
        (
            "Sections are printed on role-play cards: Situation at most 650 characters, What staff did 420, Outcome "
            "250, Better recovery 450."
        ),
        "(a Situation of 900 characters)",
        "Cut the section by the number of characters the message gives.",
    ),
    Rule(
        "recovery-step-unlisted",
        "A step linked in Better recovery is not listed as missed",
        "Story sections",
        (
            "Better recovery says what staff should have done, so each step it links to is one they missed: it "
            "belongs in `steps_missed`, which the step pages and the evidence page count. A step staff did take may "
            "be linked too, to say it was right: then it stays in `steps_taken` and its sentence says to keep doing "
            "it (with *keep*, *kept* or *keeping*)."
        ),
        '(steps_missed: [] and a Better recovery saying "Then [thank](../steps/thank.md) them.")',
        (
            "Add the step to `steps_missed`; or, if staff took it, keep it in `steps_taken` and write the sentence so "
            'that it says so: "Keep the quick [fix](../steps/resolve.md)."'
        ),
    ),
    Rule(
        "unprintable",
        "A character the cards cannot print",
        "Story sections",
        (
            "Titles and story sections are printed on the cards with the fonts that come with Turnaround: Latin, "
            "Greek, Cyrillic, Arabic, Hebrew, Indian scripts, Thai, Chinese, Japanese, Korean, symbols and emoji. A "
            "character none of them has would print as an empty box, so the message names it (code point and Unicode "
            "name)."
        ),
        "The menu said \U00013000 soup.",
        (
            "Write it in words or with a similar character, or remove it; private-use and control characters are "
            "always removed."
        ),
        "situation",
    ),
    Rule(
        "card-overflow",
        "Too long for its printed card",
        "Story sections",
        (
            "The cards are printed at a fixed size; when the text of a step or story does not fit its card in the "
            "PDF, the build names the card, the side and the field to shorten."
        ),
        "(a Situation that fits the character limit but is set in many short paragraphs)",
        "Shorten the field or section the message names, or join short paragraphs.",
    ),
    Rule(
        "cards-failed",
        "The card PDFs cannot be made at all",
        "Story sections",
        (
            "The site is published with its printable cards. When the card renderer itself fails (a font or "
            "stylesheet of the cards package missing, a setting it cannot read), no card can be made, so the build "
            "stops and says why."
        ),
        "(SITE_URL=kb.example.org, an address without https://)",
        (
            "Do what the message says: usually set SITE_URL to a whole address such as `https://kb.example.org/`, or "
            "reinstall with `make site`."
        ),
    ),
    Rule(
        "handout-overflow",
        "A session pack's handout runs past one page",
        "Story sections",
        (
            "Each session pack has a one-page handout: the checklist of a failure type, with every step's summary "
            "and the failure type's description and remedy. When it does not fit on one page of A4 or Letter, the "
            "build names the pack and the file."
        ),
        "(a step `summary` several sentences long, or a long failure type description in data/vocabularies.yml)",
        "Shorten the steps' `summary` or the failure type's `description` and `remedy`.",
    ),
    # ------------------------------------------------------------ links
    Rule(
        "broken-link",
        "A link to no page",
        "Links",
        "A link to another page of the site must name its file as if the story stood in `docs/stories/`.",
        "[apologize](../steps/apologise.md)",
        "Link to an existing page: `[apologize](../steps/apologize.md)`.",
        "situation",
    ),
    Rule(
        "broken-anchor",
        "A link to a heading that does not exist",
        "Links",
        "The part after `#` must be a heading on the target page.",
        "[apologize](../steps/apologize.md#how-to-grovel)",
        "Use a heading that exists (the message suggests one), or drop the `#...` part.",
        "situation",
    ),
    # ------------------------------------------------------------ leftovers
    Rule(
        "todo",
        "A TODO placeholder is still there",
        "Leftovers",
        (
            "The story template puts a line starting `TODO:` in each section, saying what to write there; the story "
            "is not finished until each is replaced."
        ),
        "TODO: What happened, from the customer's side, up to the moment staff had to act.",
        "Replace the whole `TODO:` line with your own text.",
        "situation",
    ),
    # ------------------------------------------------------------ safety
    Rule(
        "raw-html",
        "HTML in a story",
        "Safety",
        (
            "Stories are Markdown only. HTML tags, comments and entities that stand for `<` or `>` reach every "
            "reader's browser as they are, so none is allowed."
        ),
        "The soup was <b>cold</b>. <!-- check with chef -->",
        "Use Markdown: `**cold**` for bold, `*cold*` for italics; delete comments.",
        "situation",
    ),
    Rule(
        "unsafe-url",
        "A link that could run code",
        "Safety",
        (
            "Links and images may use http://, https:// or mailto:, or point at a page of this site. Other schemes "
            "(`javascript:`, `data:`, `vbscript:`...) can run code, in any letter case and however they are encoded."
        ),
        "[the policy](JavaScript:alert(1))",
        "Link to a web page (`https://...`) or a page of this site (`../steps/resolve.md`).",
        "situation",
    ),
    Rule(
        "event-attribute",
        "An event handler attribute",
        "Safety",
        (
            "Attribute lists (`{: ...}`) and HTML attributes starting with `on` (`onclick`, `onmouseover`...) run "
            "code in the reader's browser."
        ),
        'The soup was cold.\n{: onclick="alert(1)" }',
        "Remove the attribute. Classes (`{: .note }`) and ids (`{: #soup }`) are fine.",
        "situation",
    ),
    Rule(
        "unsafe-html",
        "An HTML element that can run code",
        "Safety",
        (
            "Step and source pages may use HTML for layout, but not elements that run code or change the page: "
            "script, iframe, object, embed, style, form, svg and the like."
        ),
        "<script>alert(1)</script>",
        "Remove the element; use Markdown or the layout HTML other pages use.",
    ),
    Rule(
        "unsafe-attribute",
        "An attribute the site does not allow",
        "Safety",
        (
            "Attribute lists (`{: ...}`) and HTML tags may set classes, ids and a few plain attributes. `style` can "
            "cover the whole page with a fake notice, `srcdoc` embeds a page that runs code, `formaction` sends a "
            "form elsewhere; these and any attribute not on the site's allow-list are refused, however they are "
            "written."
        ),
        'The soup was cold.\n{: style="position:fixed; inset:0" }',
        "Remove the attribute. Classes (`{: .note }`) and ids (`{: #soup }`) are fine.",
        "situation",
    ),
    Rule(
        "external-resource",
        "Something loaded from another site",
        "Safety",
        (
            "An image, video, audio, frame or any other element that the browser loads by itself must come from this "
            "site. A file from another host can be a tracking pixel that reports who reads the page, and the site "
            "promises to load nothing from outside."
        ),
        "![the receipt](https://tracker.example.com/pixel.gif)",
        (
            "Put the file in the repository and use a relative path (`![the receipt](../images/receipt.png)`), or "
            "make it a link: `[the receipt](https://example.com/receipt)`."
        ),
        "situation",
    ),
    Rule(
        "unsafe-output",
        "The built page fails the allow-list",
        "Safety",
        (
            "The site build also checks each story, step and source page as the browser gets it, against one "
            "allow-list of elements, attributes and link schemes. This code marks markup that only shows after "
            "Markdown has run."
        ),
        "(markup that an extension turns into an element or attribute off the allow-list)",
        "Write plain Markdown; the message names what the allow-list removes.",
    ),
    Rule(
        "unsafe-character",
        "A character that is not plain text",
        "Safety",
        (
            "Titles and summaries go into HTML attributes and card layouts unescaped: they may not hold `<`, `>` or "
            '`"`; no front-matter text may hold `<`, `>` or invisible control characters.'
        ),
        'summary: The server said "sorry" and <b>meant it</b>.',
        "Write “curly quotes” or ‘single’ ones, and leave out `<` and `>`.",
        "front",
    ),
    # ------------------------------------------------------------ personal data
    Rule(
        "personal-email",
        "An e-mail address",
        "Personal data",
        (
            "Stories are about real customers; their contact details stay out of the knowledge base. Addresses at "
            "example.com, example.org and example.net are allowed."
        ),
        "She e-mailed the guest at jane.doe@gmail.com.",
        (
            'Remove the address ("She e-mailed the guest"). If the story must keep it, add `keeps_personal_data:` '
            "saying who reviewed it and why."
        ),
        "situation",
    ),
    Rule(
        "personal-phone",
        "A phone number",
        "Personal data",
        (
            "A phone number, recognized with the region set in `mkdocs.yml` (`extra.turnaround.phone_region`). "
            "Dates, prices, times, order and table numbers are not phone numbers."
        ),
        "She called him back on (415) 555-0132.",
        'Remove the number ("She called him back"), or opt out with `keeps_personal_data:` as above.',
        "situation",
    ),
    Rule(
        "personal-name",
        "A person's full name",
        "Personal data",
        (
            '"A guest named Jane Doe", "a man called John Smith", "her name was Ann Lee", "Mrs Jones": names of real '
            "people stay out."
        ),
        "A regular named Jane Doe ordered the soup.",
        (
            'Write "a regular" or "a guest". If the name is not a person\'s (a café named Blue Door), or must stay, '
            "opt out with `keeps_personal_data:`."
        ),
        "situation",
    ),
    Rule(
        "personal-card",
        "A payment card number",
        "Personal data",
        (
            "A run of 13 to 19 digits that passes the card check digit (Luhn), written plain or with spaces or "
            "dashes. A card number must never be in the knowledge base, so `keeps_personal_data:` does not cover it."
        ),
        "The refund went back to card 4111 1111 1111 1111.",
        (
            'Remove the number ("The refund went back to her card"). If it must be named, write only the last four '
            'digits: "the card ending 1111".'
        ),
        "situation",
    ),
    Rule(
        "needless-opt-out",
        "An opt-out with nothing to keep",
        "Personal data",
        (
            "`keeps_personal_data:` switches the personal-data guards off for one story. Set without any personal "
            "data in the story, it would let the next edit add some unnoticed."
        ),
        "keeps_personal_data: Reviewed by the privacy lead.",
        "Remove the field.",
        "front",
    ),
    # ------------------------------------------------------------ data files
    Rule(
        "vocabulary",
        "A vocabulary entry is incomplete",
        "Data files",
        (
            "Each value in `data/vocabularies.yml` needs a label and a one-line description (failure types also a "
            "remedy); its `aliases`, when given, are a list of short words staff use. Each framework in "
            "`data/frameworks.yml` needs an origin and its elements."
        ),
        "settings:\n  food-truck: {label: Food truck}",
        "Add the missing part: `food-truck: {label: Food truck, description: A kitchen on wheels.}`.",
    ),
    Rule(
        "page-template",
        "A generated page's template cannot be rendered",
        "Data files",
        (
            "A site may replace the template of a generated page (the checklists, the story index, this page) by a "
            "file of the same name in `overrides/turnaround/`. One that is not valid Jinja, or that names a value "
            "the page does not have, stops the build at its line."
        ),
        "(overrides/turnaround/crosswalks.md.j2 with {{ sorces_table }})",
        "Correct the line the message names; the package's own template of the same name shows the values it has.",
    ),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def explain(code: str) -> Rule | None:
    """The rule behind a problem's code."""
    return RULES.get(code)


def by_area() -> list[tuple[str, list[Rule]]]:
    """The rules grouped by area, in the order of AREAS."""
    return [(area, [rule for rule in _RULES if rule.area == area]) for area in AREAS]
