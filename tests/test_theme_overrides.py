"""Our changes to Material's theme stay exactly the intended ones, on the Material version installed.

overrides/partials/ holds copies of Material's partials with one change each
(and search.html, the site's own search, which replaces Material's); when a
Material upgrade changes a partial, these tests say which copy to refresh.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import material
import pytest

ROOT = Path(__file__).resolve().parent.parent
MATERIAL = Path(material.__file__).parent / "templates" / "partials"
# Where Material's header puts its lunr search: ours (partials/search.html) takes that place.
MATERIAL_SEARCH = re.search(
    r"    \{% if \"material/search\" in config\.plugins %\}.*?\n    \{% endif %\}\n",
    (MATERIAL / "header.html").read_text("utf-8"),
    re.S,
).group(0)
# Each override: Material's text -> ours, as (old, new) replacements.
CHANGES = {
    "source.html": [(' data-md-component="source"', "")],
    "header.html": [(MATERIAL_SEARCH, '    {% include "partials/search.html" %}\n')],
}
# Partials of our own, which Material's templates include by name.
OURS = ["search.html"]


def without_header(template: str) -> str:
    """A template without its leading `{#- ... -#}` comment."""
    return re.sub(r"^\{#-.*?-#\}\n", "", template, flags=re.S)


@pytest.mark.parametrize("name", CHANGES)
def test_an_override_is_materials_partial_with_only_our_change(name):
    expected = without_header((MATERIAL / name).read_text("utf-8"))
    for old, new in CHANGES[name]:
        assert expected.count(old) == 1, f"Material's {name} changed: refresh overrides/partials/{name}"
        expected = expected.replace(old, new)
    assert without_header((ROOT / "overrides" / "partials" / name).read_text("utf-8")) == expected


def test_no_other_partial_is_overridden():
    assert sorted(p.name for p in (ROOT / "overrides" / "partials").iterdir()) == sorted([*CHANGES, *OURS])


def render(text: str) -> str:
    return markdown.markdown(
        text,
        extensions=["pymdownx.tasklist", "turnaround.tasklist_labels"],
        extension_configs={"pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}},
    )


def test_every_task_list_checkbox_is_named_by_its_items_text():
    html = render(
        "- [ ] **1. [Listen](listen.md):** Let them talk & finish\n- [x] Say it back\n    - [ ] Nested item\n"
    )
    assert re.findall(r'<input type="checkbox"[^>]*aria-label="([^"]*)"', html) == [
        "1. Listen: Let them talk &amp; finish",
        "Say it back",
        "Nested item",
    ]


def test_a_long_item_gets_a_shortened_name():
    html = render("- [ ] " + "word " * 100)
    name = re.search(r'aria-label="([^"]*)"', html).group(1)
    assert len(name) <= 160 and name.endswith("…")
