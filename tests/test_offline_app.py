"""Offline and installable: the manifest and the service worker written into the built site.

What the worker keeps (home, how to use, every checklist and step page, what they load, search), its
version (a digest of those bytes), the manifest's fields and icons, and `turnaround offline` for a site
built from the export. The browser tests (tests/browser/test_offline_browser.py) open the pages offline.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PAGEFIND_SIGNATURE, ROOT
from PIL import Image

from turnaround import offline


def _cbor(value) -> bytes:
    # A small CBOR encoder (text, unsigned numbers, arrays) for a Pagefind-like metadata file.
    def head(major: int, arg: int) -> bytes:
        if arg < 24:
            return bytes([major << 5 | arg])
        for info, size in ((24, 1), (25, 2), (26, 4)):
            if arg < 256**size:
                return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
        raise ValueError(arg)

    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, int):
        return head(0, value)
    return head(4, len(value)) + b"".join(_cbor(item) for item in value)


def _pagefind(data: bytes) -> bytes:
    return gzip.compress(PAGEFIND_SIGNATURE + data, mtime=0)


def tiny_site(folder: Path, search: bool = False) -> Path:
    """A built site's shape: home, how to use, checklists, steps, a story, assets; Pagefind's bundle if asked."""
    page = (
        '<html><head><link rel="stylesheet" href="{up}assets/main.css"><script src="{up}assets/app.js"></script>'
        '<script src="https://cdn.example/x.js"></script><link rel="canonical" href="{up}elsewhere/"></head>'
        '<body><h1>{title}</h1><img src="{up}images/pic.png"><img src="data:image/png;base64,AA"></body></html>'
    )
    pages = {
        "index.html": ("", "Home"),
        "how-to-use/index.html": ("../", "How to use"),
        "checklists/index.html": ("../", "Checklists"),
        "checklists/wrong-order/index.html": ("../../", "Checklist: Wrong order"),
        "steps/apologize/index.html": ("../../", "Apologize"),
        "steps/follow-up/index.html": ("../../", "Follow up"),
        "stories/a-story/index.html": ("../../", "A story"),
    }
    for path, (up, title) in pages.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(page.format(up=up, title=title), "utf-8")
    (folder / "assets").mkdir()
    (folder / "assets/main.css").write_text("body{background:url(../images/bg.png)} a{b:url(data:x)}", "utf-8")
    (folder / "assets/app.js").write_text("1", "utf-8")
    (folder / "images").mkdir()
    for name in ("pic.png", "bg.png", "story.png"):
        (folder / "images" / name).write_bytes(b"png")
    shutil.copytree(ROOT / "docs/images/icons", folder / "images/icons")
    if search:
        # The site's own bundle (not kept: it grows with the stories) and the kept pages' bundle beside it.
        for name in ("pagefind", "pagefind-offline"):
            bundle = folder / name
            for sub in ("index", "fragment", "filter"):
                (bundle / sub).mkdir(parents=True)
            (bundle / "pagefind.js").write_text("// library", "utf-8")
            (bundle / "pagefind-worker.js").write_text("// its worker", "utf-8")
            (bundle / "pagefind-entry.json").write_text('{"languages":{"en":{"hash":"en_1","wasm":"en"}}}', "utf-8")
            (bundle / "wasm.en.pagefind").write_bytes(b"wasm")
            # The wasm of pages without a language: the site's pages all have one.
            (bundle / "wasm.unknown.pagefind").write_bytes(b"wasm")
            (bundle / "pagefind.en_1.pf_meta").write_bytes(_pagefind(_cbor(["1.5.0", [["en_p1", 10]]])))
            (bundle / "index" / "c1.pf_index").write_bytes(_pagefind(b"chunk"))
            (bundle / "filter" / "f1.pf_filter").write_bytes(_pagefind(b"filter"))
            (bundle / "fragment" / "en_p1.pf_fragment").write_bytes(_pagefind(b"{}"))
    return folder


def test_the_precache_has_the_staffs_pages_and_what_they_load_and_no_story(tmp_path):
    files = offline.precache(tiny_site(tmp_path))
    assert files == [
        "assets/app.js",
        "assets/main.css",
        "checklists/index.html",
        "checklists/wrong-order/index.html",
        "how-to-use/index.html",
        "images/bg.png",
        "images/icons/icon-192.png",
        "images/icons/icon-512.png",
        "images/icons/icon.svg",
        "images/pic.png",
        "index.html",
        "manifest.webmanifest",
        "steps/apologize/index.html",
        "steps/follow-up/index.html",
    ]


def test_with_search_the_precache_has_the_kept_pages_bundle_whole_and_nothing_of_the_sites(tmp_path):
    files = offline.precache(tiny_site(tmp_path, search=True))
    assert not [f for f in files if f.startswith("pagefind/")]
    assert [f for f in files if f.startswith("pagefind-offline/")] == [
        "pagefind-offline/filter/f1.pf_filter",
        "pagefind-offline/fragment/en_p1.pf_fragment",
        "pagefind-offline/index/c1.pf_index",
        "pagefind-offline/pagefind-entry.json",
        "pagefind-offline/pagefind-worker.js",
        "pagefind-offline/pagefind.en_1.pf_meta",
        "pagefind-offline/pagefind.js",
        "pagefind-offline/wasm.en.pagefind",
    ]


def test_an_offline_bundle_without_a_readable_entry_file_is_an_error_naming_it(tmp_path):
    site = tiny_site(tmp_path, search=True)
    (site / "pagefind-offline/pagefind-entry.json").write_text("not json", "utf-8")
    with pytest.raises(offline.OfflineError, match=r"pagefind-offline/pagefind-entry\.json: not a Pagefind entry file"):
        offline.precache(site)


def test_the_worker_lists_urls_relative_to_itself_so_a_sub_path_works(tmp_path):
    site = tiny_site(tmp_path)
    offline.write(site, "Turnaround")
    worker = (site / "sw.js").read_text("utf-8")
    urls = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", worker, re.S).group(1))
    assert "./" in urls and "steps/apologize/" in urls and "checklists/" in urls
    assert not [u for u in urls if u.startswith("/") or "://" in u or u.endswith("index.html")]
    assert "__VERSION__" not in worker and "__PRECACHE__" not in worker


def test_the_cache_version_changes_with_any_precached_byte_and_only_then(tmp_path):
    site = tiny_site(tmp_path)
    first = offline.write(site, "Turnaround").version
    assert offline.write(site, "Turnaround").version == first
    (site / "images/story.png").write_bytes(b"a story's image is not precached")
    assert offline.write(site, "Turnaround").version == first
    (site / "assets/main.css").write_text("body{}", "utf-8")
    changed = offline.write(site, "Turnaround").version
    assert changed != first
    assert f'const VERSION = "{changed}";' in (site / "sw.js").read_text("utf-8")


def test_identical_sites_give_byte_identical_workers_and_manifests(tmp_path):
    one, two = tiny_site(tmp_path / "one"), tiny_site(tmp_path / "two", search=False)
    offline.write(one, "Turnaround", "d")
    offline.write(two, "Turnaround", "d")
    for name in (offline.SERVICE_WORKER, offline.MANIFEST):
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_the_worker_keeps_only_plain_200s_from_this_site_and_deletes_old_caches():
    worker = (ROOT / "src/turnaround/templates/sw.js").read_text("utf-8")
    keepable = re.search(r"function keepable\(response\) \{(.*?)\n\}", worker, re.S).group(1)
    for condition in ("response.status === 200", 'response.type === "basic"', "!response.redirected"):
        assert condition in keepable
    # Every cache.put is guarded by keepable (install throws instead of keeping).
    assert worker.count("cache.put(") == 2 and worker.count("keepable(response)") == 3
    assert "caches.delete" in worker and "n !== CACHE" in worker and "skipWaiting" in worker
    # One copy of each file whatever its query (Pagefind adds ?ts=... to its entry file).
    assert 'key.search = "";' in worker and "cache.put(key.href" in worker


def test_the_manifest_names_the_app_its_scope_and_icons_that_exist_at_their_sizes(tmp_path):
    site = tiny_site(tmp_path)
    offline.write(site, "Turnaround", "What staff do.")
    data = json.loads((site / offline.MANIFEST).read_text("utf-8"))
    assert data["name"] == "Turnaround" and data["short_name"] and data["description"] == "What staff do."
    assert data["start_url"] == "./" and data["scope"] == "./" and data["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    sizes = {}
    for icon in data["icons"]:
        path = site / icon["src"]
        assert path.is_file(), icon["src"]
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]
                sizes[icon["sizes"]] = image.format
    assert sizes == {"192x192": "PNG", "512x512": "PNG"}


def test_the_offline_command_refuses_a_folder_that_is_not_a_built_site_naming_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "offline", str(tmp_path / "nowhere")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert f"turnaround offline: {tmp_path / 'nowhere'}: no index.html; build the site first" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_offline_command_writes_the_worker_and_the_manifest_with_the_sites_name(tmp_path):
    site = tiny_site(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, "-m", "turnaround.cli", "offline", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "14 files precached" in result.stderr
    assert json.loads((site / offline.MANIFEST).read_text("utf-8"))["name"] == "Turnaround"
    assert (site / offline.SERVICE_WORKER).is_file()


@pytest.mark.slow
def test_the_built_site_precaches_every_checklist_and_step_page_and_stays_small(built_site):
    worker = (built_site / "sw.js").read_text("utf-8")
    urls = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", worker, re.S).group(1))
    steps = {p.stem for p in (ROOT / "docs/steps").glob("*.md")}
    assert {u.split("/")[1] for u in urls if u.startswith("steps/")} == steps
    assert "./" in urls and "how-to-use/" in urls and "checklists/" in urls and "checklists/wrong-order/" in urls
    assert not [u for u in urls if u.startswith(("stories/", "sources/", "cards/"))]
    assert [u for u in urls if u.endswith(".css")] and [u for u in urls if u.endswith(".js")]
    total = offline.precache(built_site)
    assert sum((built_site / f).stat().st_size for f in total) < 3 * 1024 * 1024
