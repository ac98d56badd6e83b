"""Shared fixtures: a private copy of the repository, real site builds and checks, planted files, story front matter."""

from __future__ import annotations

import contextlib
import gzip
import html as html_lib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the repository needs to build the site.
CONTENT = ["docs", "stories", "data", "hooks", "overrides", "src", "mkdocs.yml", "pyproject.toml"]
# A fixed SOURCE_DATE_EPOCH, so builds repeat: 2027-03-01, after every `reviewed` date of the content
# (a later one is an error) and within a year of them, so the content is not due for review.
EPOCH = "1803902400"
EPOCH_DATE = "2027-03-01"


def copy_repo(dest: Path) -> Path:
    """Copy the content and configuration of the repository into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in CONTENT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


# A deployment's own settings (mkdocs.yml reads them with !ENV): a test build has only those it sets.
DEPLOYMENT_ENV = (
    "SITE_URL",
    "REPO_URL",
    "TURNAROUND_CARD_URL",
    "TURNAROUND_REVIEW_INTERVAL_DAYS",
    "TURNAROUND_PHONE_REGION",
)
# The repository a deployment's "edit this page" links point to.
REPO_URL = "https://git.example/team/turnaround"


def build_env(**settings: str) -> dict[str, str]:
    """The environment of a test build: no deployment settings but `settings`, a fixed build date."""
    env = {key: value for key, value in os.environ.items() if key not in DEPLOYMENT_ENV}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH, **settings}


# Whether the running test carries the `slow` (or `browser`) marker; set before its fixtures are.
RUNNING = {"slow": True}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    RUNNING["slow"] = any(item.get_closest_marker(name) for name in ("slow", "browser"))


def build_site(repo: Path, site: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` on a repository folder (only in a test marked slow)."""
    assert RUNNING["slow"], "a test that builds a site must carry @pytest.mark.slow (make test-fast builds none)"
    env = env or build_env()
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *extra],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def run_check(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `turnaround check` inside a repository folder."""
    return subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "check", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def plant(repo: Path, fixtures: Path, names: Iterable[str], where: Callable[[str], str]) -> None:
    """Copy each named file of a fixture folder into a repository copy, at the path `where(name)` gives."""
    for name in names:
        shutil.copy(fixtures / name, repo / where(name))


def check_lines(repo: Path) -> list[str]:
    """The lines `turnaround check` prints for a repository at the tests' build date; never a traceback."""
    result = run_check(repo, env=build_env())
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result.stdout.splitlines()


# A valid story's front matter, field by field, in the order the scaffold writes them.
STORY_FRONT = {
    "title": "Cold soup, swapped at once",
    "summary": "A guest's soup arrives cold; the server swaps it at once and takes it off the bill.",
    "setting": "restaurant",
    "failure": "product-defect",
    "severity": "minor",
    "fault": "at-fault",
    "steps_taken": "[apologize, resolve]",
    "steps_missed": "[]",
    "compensation": "[price-adjustment]",
    "outcome": "won-back",
    "provenance": "first-hand",
    "reviewed": "2026-11-22",
}


def front_lines(**fields: str) -> list[str]:
    """The `key: value` lines of a valid story; `fields` replace values, or add fields just before `reviewed`."""
    merged = {key: fields.get(key, value) for key, value in STORY_FRONT.items()}
    reviewed = merged.pop("reviewed")
    merged.update({key: value for key, value in fields.items() if key not in STORY_FRONT})
    return [f"{key}: {value}" for key, value in {**merged, "reviewed": reviewed}.items()]


def story_front(**fields: str) -> str:
    """A valid story's front matter with its `---` lines (see `front_lines`)."""
    return "---\n" + "\n".join(front_lines(**fields)) + "\n---\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A private copy of the repository that a test may change."""
    return copy_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session with --strict, with a repository for its edit links."""
    site = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, site, env=build_env(REPO_URL=REPO_URL))
    assert result.returncode == 0, result.stderr[-4000:]
    return site


@contextlib.contextmanager
def mkdocs_serve(repo: Path, env: dict[str, str]) -> Iterator[tuple[subprocess.Popen, int]]:
    """`mkdocs serve` on a free port of 127.0.0.1 in `repo`, stopped on leaving: the server and its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str, server: subprocess.Popen, until: str = "") -> str:
    """The page at `url` once the server answers 200 with `until` in it (a build takes a while)."""
    page = ""
    for _ in range(600):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page = html_lib.unescape(response.read().decode("utf-8"))
            if until in page:
                return page
        except OSError:
            assert server.poll() is None, server.stderr.read()[-3000:]
        time.sleep(1)
    raise AssertionError(f"{url} never answered with {until!r}")


# Pagefind's compressed files start with this signature once gunzipped.
PAGEFIND_SIGNATURE = b"pagefind_dcd"


def pagefind_filters(site: Path, bundle: str = "pagefind") -> list:
    """A site's Pagefind filter indexes as data: each filter's values and their pages, in a fixed order.

    Pagefind writes these files in hash-map order (Pagefind issue #638), so their names and bytes differ
    between two indexes of the same pages; what they say must not.
    """
    found = []
    for path in (site / bundle / "filter").glob("*.pf_filter"):
        name, values = cbor(gzip.decompress(path.read_bytes()).removeprefix(PAGEFIND_SIGNATURE), 0)[0]
        found.append((name, sorted((value, sorted(pages)) for value, pages in values)))
    return sorted(found)


def cbor(data: bytes, at: int):
    """One CBOR value from `at`: (value, next position). Enough of CBOR for Pagefind's metadata."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError(f"unsupported CBOR item at byte {at - 1}")
    if major in (0, 1):
        return (arg if major == 0 else -1 - arg), at
    if major in (2, 3):
        raw = data[at : at + arg]
        return (raw.decode("utf-8") if major == 3 else bytes(raw)), at + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, at = cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(arg):
            key, at = cbor(data, at)
            pairs[key], at = cbor(data, at)
        return pairs, at
    if major == 6:
        return cbor(data, at)
    return {20: False, 21: True, 22: None}.get(arg), at
