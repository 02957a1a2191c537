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
import os
import time
from collections import OrderedDict
from threading import Lock

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from werkzeug.security import safe_join

from goldendreams.core import freshness

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


#: Pages kept per worker (about 20 KB each): the least recently used go first.
PAGE_CACHE_ENTRIES = 300
#: Addresses longer than this are not kept (a page repeats its address in its links).
MAX_CACHED_PATH = 512
_pages_lock = Lock()


def _rendered_csrf_token() -> bool:
    """Flask-WTF keeps the token it rendered in ``g`` under the field's name."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g


def cached_page(view):
    """Give anonymous readers (no session cookie) the page rendered for the same address,
    language and cookies within the last PAGE_CACHE_SECONDS, per worker: a busy public page
    is then rendered a few times a minute, not for every reader. Never a page for a signed-in
    user, one with a CSRF token (it belongs to one session), or one that set the session.
    A publication therefore shows to anonymous readers up to that long later; a takedown
    at once, on every worker: a kept page is only served while the database's content
    generation (``core.freshness``) is the one it was rendered under."""

    @functools.wraps(view)
    def cached(*args, **kwargs):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or current_app.config["SESSION_COOKIE_NAME"] in request.cookies
            or len(request.full_path) > MAX_CACHED_PATH
        ):
            return view(*args, **kwargs)
        # Hashed: a key stays small whatever the cookies and the address hold.
        key = hashlib.sha256(
            repr((request.full_path, str(get_locale()), sorted(request.cookies.items()))).encode()
        ).digest()
        pages = current_app.extensions.setdefault("goldendreams.pages", OrderedDict())
        now = time.monotonic()
        generation = freshness.current()
        found = pages.get(key)
        if found and now - found[0] < seconds and found[2] == generation:
            with _pages_lock:
                if key in pages:
                    pages.move_to_end(key)
            return found[1]
        page = view(*args, **kwargs)
        if isinstance(page, str) and not _rendered_csrf_token() and not session.modified:
            with _pages_lock:
                pages[key] = (now, page, generation)
                pages.move_to_end(key)
                while len(pages) > PAGE_CACHE_ENTRIES:
                    pages.popitem(last=False)
        return page

    return cached


def _static_version(folder: str, filename: str) -> str | None:
    """A short hash of a static file's content: a changed file gets a new URL."""
    path = safe_join(folder, filename)
    if path is None or not os.path.isfile(path):
        return None
    return _file_hash(path, os.stat(path).st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _file_hash(path: str, _mtime_ns: int) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:12]


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
        or _rendered_csrf_token()
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
    # Another representation of the same file: its validator can only be weak, and byte
    # ranges of the compressed body would not match the file's.
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    response.headers.pop("Accept-Ranges", None)


def finish(response: Response) -> Response:
    if request.endpoint == "static":
        # Only for a file that was found and sent (never hash a path from the address).
        if (
            response.status_code in (200, 304)
            and request.args.get("v")
            and request.args["v"]
            == _static_version(current_app.static_folder, request.view_args["filename"])
        ):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
    elif (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.direct_passthrough
        and not response.cache_control.no_store
        and not _rendered_csrf_token()  # a form for this session only
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
