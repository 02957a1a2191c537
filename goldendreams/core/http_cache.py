"""Fewer bytes for readers on paid data: conditional GET on pages, long-lived static files
under versioned URLs, and gzip when the app is served alone (see deploy/nginx.conf).

Pages carry a weak ETag (a hash of the HTML) and ``Cache-Control: no-cache``: the browser
keeps its copy and asks "changed?"; an unchanged page costs a 304 and no body. There is no
Last-Modified: a page mixes many records, and the ETag answers the same question exactly.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, current_app, g, request

ONE_YEAR = 365 * 24 * 3600
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/csv",
        "application/javascript",
        "application/json",
        "text/plain",
    }
)
#: Below this many bytes gzip saves less than its own headers cost.
MIN_SIZE = 500


@cache
def _static_version(folder: str, filename: str) -> str | None:
    """A short hash of a static file's content: a new file gets a new URL."""
    path = Path(folder, filename)
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _version_static_urls(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values:
        version = _static_version(current_app.static_folder, values.get("filename", ""))
        if version:
            values["v"] = version


def _compress(response: Response) -> None:
    """gzip the body, unless it holds a CSRF token: a compressed secret next to text an
    attacker can choose leaks through the size (BREACH)."""
    if (
        "gzip" not in request.accept_encodings
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or "csrf_token" in g
    ):
        return
    response.direct_passthrough = False  # static files: read the file into the body
    source = response.response
    body = response.get_data()
    if hasattr(source, "close"):
        source.close()
    if len(body) < MIN_SIZE:
        return
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"


def finish(response: Response) -> Response:
    if request.endpoint == "static":
        if request.args.get("v") and request.args["v"] == _static_version(
            current_app.static_folder, request.view_args.get("filename", "")
        ):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
    elif (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.direct_passthrough
        and not response.cache_control.no_store
        and "csrf_token" not in g  # a form for this session only
    ):
        response.cache_control.no_cache = True
        response.add_etag(weak=True)
        response.make_conditional(request)
    response.vary.add("Accept-Encoding")
    if current_app.config["COMPRESS"] and response.status_code == 200:
        _compress(response)
    return response


def init_app(app: Flask) -> None:
    """Register before the security headers: after-request hooks run last-registered first,
    so this one sees the final Cache-Control."""
    app.url_defaults(_version_static_urls)
    app.after_request(finish)
