"""The options under `extra: turnaround:` in mkdocs.yml: read through MkDocs, checked, named when wrong."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build_env

from turnaround import options

# A wrong option of each kind, and what the message says about it.
WRONG = {
    "negative interval": ("review_interval_days", "-3", "review_interval_days: must be 0 or more days"),
    "wrong type": ("review_interval_days", "a year", "review_interval_days: expected a whole number of days"),
    "bad region": ("phone_region", "XX", "phone_region: expected a two-letter region"),
    "bad address": ("card_site_url", "kb.example.org", "card_site_url: The URL isn't valid"),
}


def set_option(repo: Path, name: str, value: str) -> Path:
    """mkdocs.yml with one option under extra.turnaround set (added when absent)."""
    config = repo / "mkdocs.yml"
    text, count = re.subn(rf"^    {name}:.*$", f"    {name}: {value}", config.read_text("utf-8"), count=1, flags=re.M)
    if not count:
        text = text.replace("  turnaround:\n", f"  turnaround:\n    {name}: {value}\n", 1)
    config.write_text(text, "utf-8")
    return config


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SITE_URL", "TURNAROUND_CARD_URL", "TURNAROUND_REVIEW_INTERVAL_DAYS", "TURNAROUND_PHONE_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TURNAROUND_CARDS_CACHE", raising=False)
    return monkeypatch


def test_the_options_have_their_defaults_and_docs_dir_comes_from_the_config(repo, clean_env):
    settings = options.load(repo / "mkdocs.yml")
    assert (settings.review_interval_days, settings.phone_region, settings.site_url) == (365, "US", None)
    assert settings.cache_dir is None and settings.docs_dir == "docs"
    (repo / "content").mkdir()
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "docs_dir: content\n", "utf-8")
    assert options.load(config).docs_dir == "content"


def test_the_cards_address_defaults_to_site_url_and_the_environment_overrides_it(repo, clean_env):
    config = repo / "mkdocs.yml"
    clean_env.setenv("SITE_URL", "https://kb.example.org/kb")
    assert options.load(config).site_url == "https://kb.example.org/kb/"
    clean_env.setenv("TURNAROUND_CARD_URL", "https://cards.example.org")
    assert options.load(config).site_url == "https://cards.example.org/"


def test_the_environment_sets_the_interval_region_and_cache_folder(repo, clean_env, tmp_path):
    clean_env.setenv("TURNAROUND_REVIEW_INTERVAL_DAYS", "30")
    clean_env.setenv("TURNAROUND_PHONE_REGION", "gb")
    clean_env.setenv("TURNAROUND_CARDS_CACHE", str(tmp_path / "cache"))
    settings = options.load(repo / "mkdocs.yml")
    assert (settings.review_interval_days, settings.phone_region) == (30, "GB")
    assert settings.cache_dir == tmp_path / "cache"


@pytest.mark.parametrize("kind", sorted(WRONG))
def test_a_wrong_option_is_named(repo, clean_env, kind):
    name, value, said = WRONG[kind]
    config = set_option(repo, name, value)
    with pytest.raises(options.BadOptions) as raised:
        options.load(config)
    assert f"extra.turnaround.{said}" in str(raised.value)


def test_an_unknown_option_is_named_not_ignored(repo, clean_env):
    config = set_option(repo, "review_intervall_days", "30")
    with pytest.raises(options.BadOptions, match=r"extra\.turnaround\.review_intervall_days: unknown option"):
        options.load(config)


@pytest.mark.parametrize("kind", sorted(WRONG))
def test_turnaround_check_names_a_wrong_option_without_a_traceback(repo, kind):
    name, value, said = WRONG[kind]
    set_option(repo, name, value)
    result = subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "check"],
        cwd=repo,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert f"extra.turnaround.{said}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["negative interval", "bad region"])
def test_mkdocs_build_names_a_wrong_option_without_a_traceback(repo, tmp_path, kind):
    # The build stops in on_config, before any page is rendered: nothing is published.
    name, value, said = WRONG[kind]
    set_option(repo, name, value)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=repo,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert f"extra.turnaround.{said}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()
