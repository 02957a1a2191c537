"""deploy/nginx.conf, run for real in front of the app: https, buffering proxy, pages
compressed by the app (never next to a CSRF token), static files cached a year under
versioned URLs and gzipped by nginx, and an access log without addresses or queries."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest
from werkzeug.serving import make_server

from goldendreams import create_app
from goldendreams.config import PROJECT_ROOT
from tests.conftest import make_config

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
pytestmark = pytest.mark.skipif(
    NGINX is None and not os.environ.get("GOLDENDREAMS_REQUIRE_NGINX"),
    reason="nginx is not installed",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def proxied(_schema, database_url, tmp_path):
    """The app on a local port, nginx in front of it with our configuration."""
    app = create_app(
        make_config(database_url, SERVER_NAME=None, PROXY_COUNT=1, WTF_CSRF_ENABLED=True)
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    subprocess.run(
        [shutil.which("openssl") or "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-days", "1", "-subj", "/CN=localhost",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (PROJECT_ROOT / "deploy/nginx.conf").read_text()
    for old, new in (
        ("127.0.0.1:8000", f"127.0.0.1:{server.server_port}"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        ("/etc/letsencrypt/live/goldendreams.example.org/fullchain.pem", f"{tmp_path}/cert.pem"),
        ("/etc/letsencrypt/live/goldendreams.example.org/privkey.pem", f"{tmp_path}/key.pem"),
        ("/srv/goldendreams/goldendreams/static/", f"{PROJECT_ROOT}/goldendreams/static/"),
        ("/var/log/nginx/", f"{tmp_path}/"),
    ):
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/main-error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        + "".join(f"  {kind}_temp_path {tmp_path}/{kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  include {tmp_path}/site.conf;\n}}\n"
    )  # fmt: skip
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
            break
        except OSError:
            if nginx.poll() is not None:
                pytest.fail((tmp_path / "main-error.log").read_text())
            time.sleep(0.1)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    def get(path, headers=None, secure=True, method="GET", body=None):
        if secure:
            conn = http.client.HTTPSConnection("127.0.0.1", https_port, context=context)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", http_port)
        headers = {"Host": "localhost", **(headers or {})}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.body = response.read()
        conn.close()
        return response

    yield get, tmp_path
    nginx.terminate()
    nginx.wait(timeout=10)
    server.shutdown()
    with app.app_context():
        from goldendreams.extensions import db

        db.engine.dispose()


def test_nginx_configuration_serves_the_site_as_designed(proxied):
    get, logs = proxied
    plain = get("/", secure=False)
    assert plain.status == 301
    assert plain.getheader("Location") == "https://goldendreams.example.org/"

    page = get("/?q=secret-query", {"Accept-Encoding": "gzip"})
    assert page.status == 200
    assert page.getheader("Strict-Transport-Security") == "max-age=63072000; includeSubDomains"
    assert page.getheader("Content-Encoding") == "gzip"  # by the app
    html = gzip.decompress(page.body).decode()
    assert "<html" in html
    etag = page.getheader("ETag")
    again = get("/?q=secret-query", {"If-None-Match": etag, "Accept-Encoding": "gzip"})
    assert again.status == 304

    login = get("/login", {"Accept-Encoding": "gzip"})
    assert b'name="csrf_token"' in login.body  # plain: never compressed next to a token
    assert login.getheader("Content-Encoding") is None

    href = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', html).group(1)
    css = get(href, {"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.getheader("Content-Encoding") == "gzip"  # by nginx
    assert "immutable" in css.getheader("Cache-Control")
    assert css.getheader("X-Content-Type-Options") == "nosniff"
    assert css.getheader("Strict-Transport-Security") == "max-age=63072000; includeSubDomains"
    assert "immutable" not in get("/static/style.css").getheader("Cache-Control")

    review = get("/organisations/1/review", method="POST", body="title=x",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert review.status in (400, 404)  # no CSRF token, or no such organisation: either way
    log = (logs / "goldendreams.log").read_text()
    assert "GET / 200" in log
    assert "/review" not in log  # a sent review leaves no line
    assert "127.0.0.1" not in log
    assert "secret-query" not in log
