"""Internal hosting: the nginx example on the deployment page is valid, and serves the built site behind sign-on.

nginx runs on 127.0.0.1 only, as one foreground process that the test stops;
the sign-on proxy is a stub that admits requests carrying a session cookie.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

CONFIG = ROOT / "deploy" / "nginx.conf"
PAGE = ROOT / "docs" / "deployment.md"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (`make test` installs it)")
SESSION = "session=signed-in"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_deployment_page_shows_the_config_file_exactly():
    blocks = re.findall(r"^```nginx\n(.*?)^```$", PAGE.read_text("utf-8"), re.S | re.M)
    assert blocks == [CONFIG.read_text("utf-8")], (
        "docs/deployment.md and deploy/nginx.conf differ: change both together"
    )


@pytest.mark.slow
def test_the_deployment_page_is_built_and_in_the_nav(built_site):
    page = (built_site / "deployment" / "index.html").read_text("utf-8")
    assert "auth_request /oauth2/auth;" in re.sub(r"<[^>]+>", "", page)
    assert 'href="deployment/"' in (built_site / "index.html").read_text("utf-8")


class SignOn(http.server.BaseHTTPRequestHandler):
    """A stand-in for the sign-on proxy: /oauth2/auth says yes only to a signed-in session."""

    def do_GET(self):
        if self.path.startswith("/oauth2/auth"):
            self.send_response(202 if SESSION in (self.headers.get("Cookie") or "") else 401)
            self.end_headers()
            return
        body = b"sign-in page"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def nginx_config(folder: Path, site: Path, port: int, sign_on: int) -> Path:
    """The example, on loopback ports and the test's site, inside a minimal main config."""
    example = CONFIG.read_text("utf-8")
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "root /srv/turnaround/site;": f"root {site};",
        "127.0.0.1:4180": f"127.0.0.1:{sign_on}",
    }
    for old, new in replacements.items():
        assert old in example, f"deploy/nginx.conf no longer has `{old}`"
        example = example.replace(old, new)
    (folder / "site.conf").write_text(example, "utf-8")
    temp = folder / "temp"
    temp.mkdir()
    main = folder / "nginx.conf"
    main.write_text(
        f"""daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/site.conf;
}}
""",
        "utf-8",
    )
    return main


def nginx(*args: str, folder: Path) -> list[str]:
    return [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), *args]


@pytest.mark.slow
@needs_nginx
def test_nginx_accepts_the_example_config(tmp_path, built_site):
    main = nginx_config(tmp_path, built_site, free_port(), free_port())
    result = subprocess.run(nginx("-t", "-c", str(main), folder=tmp_path), capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served(tmp_path, built_site):
    """The built site behind nginx and the stub sign-on, both on 127.0.0.1; stopped afterwards."""
    sign_on = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SignOn)
    threading.Thread(target=sign_on.serve_forever, daemon=True).start()
    port = free_port()
    main = nginx_config(tmp_path, built_site, port, sign_on.server_address[1])
    process = subprocess.Popen(
        nginx("-c", str(main), folder=tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        sign_on.shutdown()
        sign_on.server_close()


def get(url: str, signed_in: bool = True, **headers):
    """Status, headers and body, without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={**headers, **({"Cookie": SESSION} if signed_in else {})})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


@pytest.mark.slow
@needs_nginx
def test_nginx_serves_the_built_site_to_signed_in_staff_only(served, built_site):
    status, headers, _ = get(f"{served}/", signed_in=False)
    assert status == 302 and headers["Location"] == "/oauth2/sign_in?rd=/"
    status, _, body = get(f"{served}/oauth2/sign_in?rd=/", signed_in=False)
    assert status == 200 and body == b"sign-in page"
    status, headers, body = get(f"{served}/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (built_site / "index.html").read_bytes()


@pytest.mark.slow
@needs_nginx
def test_nginx_sends_long_cache_for_hashed_assets_and_revalidation_for_the_rest(served, built_site):
    bundle = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    status, headers, _ = get(f"{served}/assets/javascripts/{bundle}")
    assert status == 200 and headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("application/javascript")
    for path in ("/", "/steps/listen/", "/pagefind/pagefind-entry.json"):
        assert get(f"{served}{path}")[1]["Cache-Control"] == "private, no-cache", path


@pytest.mark.slow
@needs_nginx
def test_nginx_serves_pdfs_and_the_search_index_with_their_types(served, built_site):
    status, headers, _ = get(f"{served}/pagefind/pagefind-entry.json", **{"Accept-Encoding": "gzip"})
    assert (
        status == 200
        and headers["Content-Type"] == "application/json; charset=utf-8"
        and headers["Content-Encoding"] == "gzip"
    )
    pdf = next((built_site / "cards").glob("*.pdf")).name
    status, headers, body = get(f"{served}/cards/{pdf}")
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")


@pytest.mark.slow
@needs_nginx
def test_nginx_answers_a_missing_page_with_the_sites_404_page(served, built_site):
    status, _, body = get(f"{served}/no/such/page/")
    assert status == 404 and body == (built_site / "404.html").read_bytes()
    status, headers, _ = get(f"{served}/steps")
    assert status == 301 and headers["Location"] == "/steps/"


@pytest.mark.slow
@needs_nginx
def test_nginx_serves_the_manifest_with_its_type_and_makes_the_service_worker_revalidate(served, built_site):
    status, headers, body = get(f"{served}/manifest.webmanifest")
    assert status == 200 and headers["Content-Type"] == "application/manifest+json; charset=utf-8"
    assert headers["Cache-Control"] == "private, no-cache"
    assert body == (built_site / "manifest.webmanifest").read_bytes()
    status, headers, _ = get(f"{served}/sw.js")
    assert status == 200 and headers["Cache-Control"] == "private, no-cache"
    assert headers["Content-Type"].startswith("application/javascript")
    # Signed out, the worker's own file is behind the sign-on like everything else: a redirect, never a page.
    status, headers, _ = get(f"{served}/sw.js", signed_in=False)
    assert status == 302 and headers["Location"] == "/oauth2/sign_in?rd=/sw.js"
