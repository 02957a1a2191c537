"""Client keys that never hold an address, security headers, and log redaction."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
from datetime import UTC, date, datetime

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


#: Bits of the client key: about a million buckets. Each key stands for thousands of IPv4
#: addresses (and countless IPv6 networks), so even someone holding the rate-limit store
#: and the secret key cannot tell which client a key was; two clients rarely share one.
CLIENT_KEY_HEX_DIGITS = 5

#: Pages whose request, sent or merely opened, says that someone is writing about an
#: organisation, asking for help (/ask, a messaging app's webhook: one request per message
#: a worker sends or reads) or following their own report: never logged, so no log dates
#: it to the second. Nor one-time links (password reset, invitation): their
#: secret is in the path. (deploy/gunicorn.conf.py and the development server use this;
#: deploy/nginx.conf has the same pattern).
PRIVATE_PATHS = re.compile(
    r"^/(organisations/\d+/review|jobs/\d+/(apply|report)|reviews/[\w-]{16}/report|check|ask|channels/\w+/webhook|login/reset|invitation)(/|$)"
)


def client_network(address: str) -> str:
    """The part of an address that stands for one client: an IPv4 address, or the /64 of an
    IPv6 one (a phone or a household gets a whole /64 and may change the rest at will)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def utc_day() -> date:
    return datetime.now(UTC).date()


def client_key() -> str:
    """The key rate limits count a client under: useless to identify anyone.

    A keyed hash of the client's network (``client_network``) under a key that changes
    every day (UTC), cut to ``CLIENT_KEY_HEX_DIGITS``: yesterday's keys cannot be matched
    with today's, and a key names a crowd, not an address. Limits' windows are an hour at
    most, so the store forgets each key soon after. The raw address is never stored or
    logged.
    """
    network = client_network(request.remote_addr or "unknown")
    return keyed_hash(f"client:{utc_day().isoformat()}:{network}")[:CLIENT_KEY_HEX_DIGITS]


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
    """Werkzeug's development server logs each request as ``ADDRESS - - [TIME] "LINE"``:
    blank the address and the time, and drop the line of a private page entirely."""

    _address_and_time = re.compile(r"^\S+ - - \[[^\]]*\] ")
    _request_path = re.compile(r'"(?:\x1b\[[\d;]*m)*[A-Z]+ (/[^ ?"\x1b]*)')  # colours too

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not self._address_and_time.match(message):
            return True
        path = self._request_path.search(message)
        if path and PRIVATE_PATHS.match(path.group(1)):
            return False
        record.msg, record.args = self._address_and_time.sub("- - - ", message), ()
        return True


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    logging.getLogger("werkzeug").addFilter(RedactClientAddress())
