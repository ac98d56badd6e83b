"""The names of the generated pages, known from the content model before any page is rendered, are the pages built."""

from __future__ import annotations

from pathlib import Path

from turnaround import content, loader, pages

ROOT = Path(__file__).resolve().parents[1]


def test_the_model_names_exactly_the_pages_the_builders_render():
    kb = loader.load(ROOT)
    assert content.page_paths(kb.vocab, [step.id for step in kb.steps]) == list(pages.generated_pages(kb))


def test_loading_renders_no_page():
    kb = loader.load(ROOT)
    assert "pages" not in pages.index.index_of(kb).memo
