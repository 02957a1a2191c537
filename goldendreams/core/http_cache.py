"""Fewer bytes for readers on paid data, less work for a small server: conditional GET on
pages, long-lived static files under versioned URLs, gzip, and a short-lived copy of public
pages for anonymous readers.

Pages carry a weak ETag (a hash of the HTML) and ``Cache-Control: no-cache``: the browser
keeps its copy and asks "changed?"; an unchanged page costs a 304 and no body. There is no
Last-Modified: a page mixes many records, and the ETag answers the same question exactly.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import time
from collections import OrderedDict
from pathlib import Path
from threading import Lock

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale

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


#: Pages kept per worker (about 20 KB each): the oldest go first.
PAGE_CACHE_ENTRIES = 300
_pages_lock = Lock()


def cached_page(view):
    """Give anonymous readers (no session cookie) the page rendered for the same address,
    language and choices within the last PAGE_CACHE_SECONDS, per worker: a busy public page
    is then rendered a few times a minute, not for every reader. Never a page for a signed-in
    user, one with a CSRF token (it belongs to one session), or one that set the session."""

    @functools.wraps(view)
    def cached(*args, **kwargs):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or current_app.config["SESSION_COOKIE_NAME"] in request.cookies
        ):
            return view(*args, **kwargs)
        key = (request.full_path, str(get_locale()), tuple(sorted(request.cookies.items())))
        pages = current_app.extensions.setdefault("goldendreams.pages", OrderedDict())
        now = time.monotonic()
        found = pages.get(key)
        if found and now - found[0] < seconds:
            return found[1]
        page = view(*args, **kwargs)
        if isinstance(page, str) and "csrf_token" not in g and not session.modified:
            with _pages_lock:
                pages[key] = (now, page)
                pages.move_to_end(key)
                while len(pages) > PAGE_CACHE_ENTRIES:
                    pages.popitem(last=False)
        return page

    return cached


@functools.cache
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
