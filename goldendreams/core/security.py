"""Client keys that never hold an address, security headers, and log redaction."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

from flask import Flask, current_app, g, request
from flask.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def client_key() -> str:
    """A salted hash of the client address: enough to rate-limit, useless to identify.

    The salt is the app's secret key, so the hash cannot be reversed by trying all
    addresses without it. The raw address is never stored or logged.
    """
    return keyed_hash(request.remote_addr or "unknown")


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under the secret key, shortened: a stable key for counting
    (rate limits, the login lockout) that cannot be turned back into the value."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def setting(name: str):
    """A rate limit read from the settings when the request comes (for Flask-Limiter)."""
    return lambda: current_app.config[name]


def only_when_stored(response: Response) -> bool:
    """Count a submission against its limit only when the view set ``g.stored``: mistakes
    in a form should not use up a worker's tries."""
    return bool(g.get("stored"))


def remember_choice(response: Response, name: str, value: str) -> None:
    """Keep a reader's choice (language, country) for a year: not readable by scripts,
    not sent by other sites' forms, https-only where the session cookie is."""
    response.set_cookie(
        name,
        value,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def add_security_headers(response: Response) -> Response:
    """Set the security headers on every response; keep staff pages out of caches."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    # Pages change with the language cookie and the browser's languages.
    response.vary.update(("Cookie", "Accept-Language"))
    if request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]):
        response.headers["Cache-Control"] = "private, no-store"
    return response


class RedactClientAddress(logging.Filter):
    """Blank the client address that Werkzeug's development server puts first in a line."""

    _address = re.compile(r"^\S+ - - ")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self._address.sub("- - - ", record.msg)
        return True


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    logging.getLogger("werkzeug").addFilter(RedactClientAddress())
