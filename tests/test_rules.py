"""Every rule has a stable code and a documented example; the examples really break the rule."""

from __future__ import annotations

import ast
import re

import pytest
from conftest import ROOT, front_lines, run_check

from turnaround import loader, rules
from turnaround.pages import contribute

SOURCE = ROOT / "src" / "turnaround"

BASE_SECTIONS = {
    "Situation": "A guest orders tomato soup at lunch. It arrives lukewarm.",
    "What staff did": "The server said sorry and brought a hot bowl within five minutes.",
    "Outcome": "The guest came back the next week.",
    "Better recovery": "Keep doing this: an [apology](../steps/apologize.md) and a quick fix were enough.",
}


def used_codes() -> dict[str, set[str]]:
    """Every code passed to Problem(...) in the source, directly or through a helper, by file."""
    trees = {path: ast.parse(path.read_text("utf-8")) for path in SOURCE.rglob("*.py")}
    # Functions with a `code` parameter pass it on to Problem; note where it sits.
    takes: dict[str, int] = {"Problem": 4}
    params: dict[str, list[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
                params[node.name] = names
                if "code" in names:
                    takes[node.name] = names.index("code")
    calls = [(path, node) for path, tree in trees.items() for node in ast.walk(tree) if isinstance(node, ast.Call)]
    codes: dict[str, set[str]] = {}
    for path, node in calls:
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in takes:
            continue
        arg = next((k.value for k in node.keywords if k.arg == "code"), None)
        if arg is None and len(node.args) > takes[name]:
            arg = node.args[takes[name]]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            codes.setdefault(arg.value, set()).add(path.name)
        elif isinstance(arg, ast.JoinedStr):
            # f"unknown-{what}": expand with the constants callers of the enclosing function pass as `what`.
            for code in _expand(arg, node, trees, params, calls):
                codes.setdefault(code, set()).add(path.name)
        elif not (isinstance(arg, ast.Name) and arg.id == "code") and not (
            isinstance(arg, ast.Attribute) and arg.attr == "code"
        ):
            raise AssertionError(f"{path.name}:{node.lineno}: a Problem code that is not a literal: {ast.unparse(arg)}")
    return codes


def _expand(fstring: ast.JoinedStr, call: ast.Call, trees, params, calls) -> list[str]:
    enclosing = next(
        fn
        for tree in trees.values()
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef) and any(n is call for n in ast.walk(fn))
    )
    variable = next(v.value.id for v in fstring.values if isinstance(v, ast.FormattedValue))
    index = params[enclosing.name].index(variable)
    values = set()
    for _, other in calls:
        if (getattr(other.func, "id", None) or getattr(other.func, "attr", None)) == enclosing.name and len(
            other.args
        ) > index:
            given = other.args[index]
            assert isinstance(given, ast.Constant), ast.unparse(other)
            values.add(given.value)
    template = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in fstring.values)
    return [template.format(value) for value in sorted(values)]


def test_every_code_used_in_the_source_is_registered():
    unregistered = {code: sorted(files) for code, files in used_codes().items() if code not in rules.RULES}
    assert unregistered == {}, "add these codes to src/turnaround/rules.py with an example and the fix"


def test_every_registered_code_is_used():
    assert sorted(set(rules.RULES) - set(used_codes())) == []


def test_every_rule_has_a_title_a_meaning_a_bad_example_and_a_fix():
    for rule in rules.RULES.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.code)
        assert rule.title and rule.meaning and rule.bad and rule.fix, rule.code
        assert rule.area in rules.AREAS, rule.code
        assert rule.plant in ("", "front", "situation", "body", "file"), rule.code


def plant(rule: rules.Rule) -> str:
    """A valid story with the rule's bad example in it."""
    if rule.plant == "file":
        return rule.bad + "\n"
    front = front_lines()
    sections = dict(BASE_SECTIONS)
    if rule.plant == "front":
        keys = [line.split(":", 1)[0] for line in rule.bad.split("\n")]
        at = next((i for i, line in enumerate(front) if line.split(":", 1)[0] in keys), len(front) - 1)
        front = [line for line in front if line.split(":", 1)[0] not in keys]
        front[at:at] = rule.bad.split("\n")
    if rule.plant == "situation":
        sections["Situation"] += "\n\n" + rule.bad
    body = "\n".join(f"## {title}\n\n{text}\n" for title, text in sections.items())
    if rule.plant == "body":
        body = rule.bad
    return "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n"


PLANTED = sorted(code for code, rule in rules.RULES.items() if rule.plant)


@pytest.fixture(scope="module")
def planted_check(tmp_path_factory) -> str:
    """One check over a copy of the repository holding one story per plantable rule."""
    from conftest import copy_repo

    repo = copy_repo(tmp_path_factory.mktemp("rules") / "repo")
    for code in PLANTED:
        (repo / "stories" / f"rule-{code}.md").write_text(plant(rules.RULES[code]), "utf-8")
    (repo / "stories" / "rule-none.md").write_text(plant(rules.Rule("none", "", "", "", "", "")), "utf-8")
    return run_check(repo).stdout


def test_the_base_story_for_the_examples_is_valid(planted_check):
    assert "stories/rule-none.md" not in planted_check


@pytest.mark.parametrize("code", PLANTED)
def test_each_documented_example_breaks_its_rule(planted_check, code):
    assert re.search(rf"^stories/rule-{code}\.md:\d+: .*\[{code}\]$", planted_check, re.M)


def test_github_format_prints_annotations_on_the_line(repo):
    (repo / "stories" / "rule-todo.md").write_text(plant(rules.RULES["todo"]), "utf-8")
    result = run_check(repo, "--format", "github", "stories/rule-todo.md")
    assert result.returncode == 1
    line = next(n for n, text in enumerate(plant(rules.RULES["todo"]).split("\n"), 1) if text.startswith("TODO:"))
    assert result.stdout.splitlines() == [
        f"::error file=stories/rule-todo.md,line={line},title=todo::body: placeholder still here: "
        '"TODO: What happened, from the customer\'s side, up to the moment staff…";'
        " replace the whole line with your own text [todo]"
    ]


def test_the_errors_page_explains_every_code_with_its_example_and_fix():
    page = contribute.errors_page(loader.load(ROOT))
    for rule in rules.RULES.values():
        assert f"{{#{rule.code}}}" in page
        assert rule.fix in page
        assert rule.bad.strip("()") in page
