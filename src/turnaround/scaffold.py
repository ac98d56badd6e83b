"""`turnaround new-story`: write a new story file from the template, ready to fill in.

In a terminal it asks for each field, offering the vocabulary's values with
their descriptions; otherwise (or in addition) it takes the fields as flags
named after them. The file it writes passes `turnaround check` except for
its `TODO:` lines, which the check reports until they are replaced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import content, frontmatter, guards, printable, validate
from .content import ID_PATTERN
from .model import KnowledgeBase, build_date, in_checklist_order, record
from .problems import UsageError
from .repository import COLLECTIONS, Settings, entry_files
from .schema import story_schema
from .vocabulary import STORY_FIELDS, Vocabularies, load_vocabularies

EXIT_OK, EXIT_USAGE = 0, 2

# What each section of a story is for; the template's `TODO:` line for it says so.
SECTION_TODOS = {section.title: section.purpose for section in content.STORY_SECTIONS}
SUMMARY_TODO = "TODO: one or two sentences on what happened and how it ended"
# Field order in the file, as in every story.
SCAFFOLD_FIELDS = tuple(f for f in content.STORY_FIELDS if f.scaffold)
ORDER = tuple(f.name for f in SCAFFOLD_FIELDS)
# Lists of plain values, asked as comma-separated answers (citations are asked one report at a time).
LISTS = tuple(f.name for f in SCAFFOLD_FIELDS if f.many and f.kind != content.RECORDS)
# Asked only for the provenance that needs it: a source article names its source, a public report its report.
NEEDED_FOR = {"source": "source-article", "citations": "public-report"}
# Answers a contributor may leave out, and what they become.
DEFAULTS = {"summary": SUMMARY_TODO} | {
    f.name: list(f.default) if f.many else f.default for f in SCAFFOLD_FIELDS if f.default is not None
}
QUESTIONS = {
    "title": "Title: what happened, in a few words (plain text, at most 90 characters)",
    "summary": "Summary: one or two sentences, outcome included (Enter to write it later)",
    "setting": "Setting: where did it happen?",
    "failure": "Failure: what kind of failure was it?",
    "severity": "Severity: how bad was it for the customer?",
    "fault": "Fault: whose fault was it?",
    "steps_taken": "Steps taken: which recovery steps did staff take? (numbers or ids, separated by commas)",
    "steps_missed": "Steps missed: which steps did staff miss? (numbers or ids, separated by commas)",
    "compensation": "Compensation: what was the customer given? (numbers or values, separated by commas)",
    "outcome": "Outcome: how did it end?",
    "provenance": "Provenance: where does the story come from?",
    "source": "Source: the article it comes from",
    "citations": (
        "Report: who published it, its title, date and web address, separated by | (publisher | title | YYYY-MM-DD "
        "| https://...)"
    ),
    "tags": "Tags: a few lowercase keywords, separated by commas (optional)",
}


class Refused(Exception):
    """An answer or flag that cannot be used; the message says why and what would do."""


@dataclass
class Context:
    """What a story may refer to: vocabularies, steps and sources, each with a line of description."""

    root: Path
    vocab: Vocabularies
    steps: dict[str, str] = field(default_factory=dict)  # id -> title, in checklist order
    sources: dict[str, str] = field(default_factory=dict)  # id -> title
    settings: Settings = field(default_factory=Settings)  # the project's options (the phone region)

    def choices(self, name: str) -> dict[str, str]:
        """The values a field accepts, each with its description (empty for free text)."""
        if name in ("steps_taken", "steps_missed"):
            return self.steps
        if name == "source":
            return self.sources
        if name in STORY_FIELDS:
            return {
                value: f"{term.label}: {term.description}" for value, term in self.vocab[STORY_FIELDS[name]].items()
            }
        return {}


def context_of(kb: KnowledgeBase) -> Context:
    """The same context, from a knowledge base already loaded (for the generated pages)."""
    return Context(
        kb.root, kb.vocab, {s.id: s.title for s in kb.steps}, {s.id: s.title for s in kb.sources}, kb.settings
    )


def load_context(root: Path) -> Context:
    vocab, _ = load_vocabularies(root)
    context = Context(root, vocab)
    steps = [record("steps", path, frontmatter.read(path, path.name)) for path in entry_files(root, "steps")]
    context.steps = {step.id: step.title for step in in_checklist_order(steps)}
    for path in entry_files(root, "sources"):
        context.sources[path.stem] = record("sources", path, frontmatter.read(path, path.name)).title
    return context


# ---------------------------------------------------------------- reading answers


def parse(name: str, answer: str, context: Context):
    """One answer (typed or given as a flag) as the value to write; Refused when it cannot be used."""
    answer = answer.strip()
    choices = context.choices(name)
    if name in LISTS:
        items = [item.strip() for item in answer.split(",") if item.strip()]
        values = [_tag(item) if name == "tags" else _pick(name, item, choices) for item in items]
        return list(dict.fromkeys(values))
    if not answer:
        if name in DEFAULTS:
            return DEFAULTS[name]
        raise Refused("is needed")
    if name == "citations":
        return [_citation(answer, context)]
    if choices:
        return _pick(name, answer, choices)
    # Free text gets the check's own verdict at once: length, plain characters, personal data.
    values = {key: key if key in ("title", "summary") else next(iter(context.choices(key)), None) for key in ORDER[:6]}
    values.update({name: answer, "reviewed": build_date()})
    for problem in problems_in(render(values, context), "stories/new.md", context):
        if problem.field == name:
            raise Refused(problem.message)
    return answer


def _citation(answer: str, context: Context) -> dict:
    # One report as "publisher | title | date | url", checked by the same model as a story's citations.
    parts = [part.strip() for part in answer.split("|")]
    if len(parts) != 4:
        raise Refused("give the four parts separated by |: publisher | title | YYYY-MM-DD | https://...")
    try:
        date = dt.date.fromisoformat(parts[2])
    except ValueError:
        raise Refused(f"`{parts[2]}` is not a date; use YYYY-MM-DD, like 2009-07-23") from None
    citation = {"publisher": parts[0], "title": parts[1], "date": date, "url": parts[3]}
    values = {key: key if key in ("title", "summary") else next(iter(context.choices(key)), None) for key in ORDER[:6]}
    values.update({"provenance": "public-report", "citations": [citation], "reviewed": dt.date.today()})
    for problem in problems_in(render(values, context), "stories/new.md", context):
        if (problem.field or "").startswith("citations"):
            raise Refused(f"{problem.field.split('.')[-1]}: {problem.message}")
    return citation


def _pick(name: str, answer: str, choices: dict[str, str]) -> str:
    # A value is accepted by its id, or by its number in the list shown.
    keys = list(choices)
    if answer.isdigit() and 1 <= int(answer) <= len(keys):
        return keys[int(answer) - 1]
    if answer in choices:
        return answer
    close = difflib.get_close_matches(answer.lower(), keys, n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`?" if close else f"choose one of: {', '.join(keys)}"
    raise Refused(f"unknown value `{answer}`; {hint}")


def _tag(item: str) -> str:
    tag = slug(item)
    if not tag:
        raise Refused(f"`{item}` is not a tag; use lowercase words joined by hyphens")
    return tag


def slug(text: str, limit: int = 60) -> str:
    """A file name from a title: lowercase ASCII words joined by hyphens, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    name = ""
    for word in words:
        if name and len(name) + 1 + len(word) > limit:
            break
        name = f"{name}-{word}" if name else word[:limit]
    return name


# ---------------------------------------------------------------- writing the file


def render(values: dict, context: Context) -> str:
    """The story file: front matter in the usual order, then the four sections with their TODO lines."""
    lines = ["---"]
    for name in ORDER:
        value = values.get(name)
        if value is None:
            continue
        if name == "citations":
            lines.append("citations:")
            lines += [
                f"  - {key}: {_yaml(item[key])}" if key == "publisher" else f"    {key}: {_yaml(item[key])}"
                for item in value
                for key in ("publisher", "title", "date", "url")
            ]
            continue
        lines.append(f"{name}: {_yaml(value)}")
    lines.append("---")
    for title, todo in SECTION_TODOS.items():
        limit = validate.STORY_SECTIONS[title]
        if title == "Better recovery" and values.get("steps_missed"):
            missed = ", ".join(f"[{step}](../steps/{step}.md)" for step in values["steps_missed"])
            todo = f"What would have turned it around; say how the missed steps ({missed}) would have helped."
        lines += ["", f"## {title}", "", f"TODO: {todo} (At most {limit} characters.)"]
    return "\n".join(lines) + "\n"


def template(context: Context) -> str:
    """A blank story to copy into GitHub's web editor: each field empty, its allowed values in a comment.

    An empty field reads as nothing, so the check reports every one left unfilled, like the TODO lines.
    """
    lines = ["---"]
    for name in ORDER:
        choices = ", ".join(context.choices(name))
        if name == "reviewed":
            hint = "today's date, YYYY-MM-DD"
        elif name == "tags":
            hint = "optional: a few lowercase keywords, like [drinks, weekend]"
        elif name == "source":
            hint = f"only with provenance: source-article, else delete the line: {choices}"
        elif name == "citations":
            hint = (
                "with provenance: public-report, one {publisher: ..., title: ..., date: YYYY-MM-DD, url: "
                "https://...} per report"
            )
        elif name in ("steps_taken", "steps_missed"):
            hint = f"step ids, or leave empty: {choices}"
        elif name in LISTS:
            hint = f"any of: {choices}"
        else:
            hint = f"one of: {choices}" if choices else QUESTIONS[name].split(" (")[0].split(": ", 1)[1]
        lines.append(f"{name}: {'[]' if name in (*LISTS, 'citations') else ''}".ljust(17) + f"# {hint}")
    lines.append("---")
    for title, todo in SECTION_TODOS.items():
        lines += ["", f"## {title}", "", f"TODO: {todo} (At most {validate.STORY_SECTIONS[title]} characters.)"]
    return "\n".join(lines) + "\n"


def _yaml(value) -> str:
    # PyYAML quotes whatever would not read back as the same text (yes, no, 1.10, a: b, # ...).
    if isinstance(value, dt.date):
        return value.isoformat()
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9, sort_keys=False)
    return text.removesuffix("\n...\n").rstrip("\n")


def problems_in(text: str, rel: str, context: Context) -> list:
    """Everything `check` would report on the new file, apart from its TODO lines."""
    doc = frontmatter.parse_text(text, rel)
    if not doc.ok:
        return doc.problems
    schema = story_schema(context.vocab, list(context.steps), list(context.sources))
    entry = record("stories", context.root / rel, doc)
    kb = KnowledgeBase(root=context.root, settings=context.settings, vocab=context.vocab)
    problems = (
        validate.check_front_matter(doc, schema)
        + validate.check_provenance(entry)
        + guards.check(entry, kb)
        + printable.check(entry)
    )
    return [p for p in problems if p.code != "todo"]


# ---------------------------------------------------------------- asking


def ask(name: str, context: Context, read=input, say=print):
    """Ask for one field until the answer can be used; the vocabulary's values are listed with numbers."""
    choices = context.choices(name)
    default = DEFAULTS.get(name)
    say("")
    say(QUESTIONS[name])
    for number, (value, description) in enumerate(choices.items(), 1):
        say(f"  {number:>2}. {value:<20} {description}")
    shown = "" if default in (None, [], SUMMARY_TODO) else f" [{default}]"
    while True:
        try:
            answer = read(f"> {shown.strip()} " if shown else "> ")
        except EOFError:
            raise KeyboardInterrupt from None
        try:
            return parse(name, answer, context)
        except Refused as refused:
            say(f"  {refused}")


def collect(args: argparse.Namespace, context: Context, interactive: bool, read=input, say=print) -> dict:
    """The story's values from the flags, asking in a terminal for those not given."""
    values: dict = {}
    missing = []
    for name in ORDER:
        if name == "reviewed":
            continue
        given = getattr(args, name, None)
        needed = name not in NEEDED_FOR or values.get("provenance") == NEEDED_FOR[name]
        if given is None and not needed:
            continue
        if given is not None:
            try:
                values[name] = parse(name, given, context)
            except Refused as refused:
                raise UsageError(f"--{name.replace('_', '-')}: {refused}") from None
        elif interactive:
            values[name] = ask(name, context, read, say)
        elif name in DEFAULTS:
            values[name] = DEFAULTS[name]
        else:
            missing.append(name)
    both = [step for step in values.get("steps_missed", []) if step in values.get("steps_taken", [])]
    if both:
        raise UsageError(
            f"--steps-missed: {', '.join(f'`{step}`' for step in both)} also in --steps-taken; a step is either "
            f"taken or missed"
        )
    if missing:
        flags = ", ".join(f"--{name.replace('_', '-')}" for name in missing)
        raise UsageError(
            f"missing {flags}; run `turnaround new-story` in a terminal to be asked, or pass them (see `turnaround "
            f"new-story --help`)"
        )
    values["reviewed"] = build_date()  # the date the check compares `reviewed` with
    return values


def run(args: argparse.Namespace, read=input, say=print, interactive: bool | None = None) -> int:
    # Imported here: loading needs nothing of the scaffold, and the command line imports it first.
    from .loader import load
    from .options import find

    root, settings = find()
    kb = load(root, settings=settings)
    context = context_of(kb)
    if interactive is None:
        interactive = sys.stdin.isatty()
    try:
        values = collect(args, context, interactive, read, say)
        name = args.id or slug(values["title"])
        if not name or not re.match(ID_PATTERN, name):
            raise UsageError(f"`{name}` cannot be a file name; pass --id with lowercase words joined by hyphens")
        rel = f"{COLLECTIONS['stories']}/{name}.md"
        path = root / rel
        if path.exists():
            raise UsageError(f"{rel} already exists; it was not changed. Choose another title, or pass --id")
        if f"stories/{name}.md" in content.page_paths(kb.vocab, [step.id for step in kb.steps]):
            raise UsageError(f"{rel} is the name of a page the site generates; choose another title, or pass --id")
        text = render(values, context)
        problems = problems_in(text, rel, context)
        if problems:
            raise UsageError(
                "the story would not pass the check:\n"
                + "\n".join(
                    f"  --{(p.field or 'title').split('[')[0].replace('_', '-')}: {p.message}" for p in problems
                )
            )
    except UsageError as err:
        print(f"turnaround new-story: {err}", file=sys.stderr)
        return EXIT_USAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    # "x" mode: never overwrite, even if the file appeared since the check above.
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    print(rel)
    print(f"Next: replace every TODO line in {rel}, then run `turnaround check {rel}`.", file=sys.stderr)
    return EXIT_OK


def _flag_help(name: str) -> str:
    # The question, worded for a flag: what to leave out rather than when to press Enter.
    text = QUESTIONS[name].split(": ", 1)[1]
    text = text.replace("Enter to write it later", "leave out to write it later").replace("Enter for", "leave out for")
    return text.replace("numbers or ids", "ids").replace("numbers or values", "values")


def register(commands) -> None:
    parser = commands.add_parser(
        "new-story",
        help="write a new story file from the template (asks in a terminal, or takes flags)",
        description="Write stories/<title>.md with today's date and a TODO line in each section. "
        "In a terminal, asks for every field not given as a flag. Never overwrites a file.",
    )
    for name in ORDER:
        if name == "reviewed":
            continue
        metavar = "IDS" if name in LISTS else ("TEXT" if name in ("title", "summary") else "VALUE")
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=metavar, help=_flag_help(name))
    parser.add_argument("--id", metavar="NAME", help="the file name to use instead of one made from the title")
    parser.set_defaults(run=run)
