"""Private tracking codes: shown once to a worker, stored only as a hash.

Codes are 12 characters from an alphabet without 0/O, 1/I/L and U (easy to read aloud and
copy by hand), shown in groups of four: ``7KQM-R2XD-9PWA``. 12 x 5 bits = 60 bits of chance.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    """A fresh random code, formatted for reading."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def canonical(code: str) -> str | None:
    """The code as typed, in upper case without spaces or dashes; None when it cannot be one."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_hash(code: str) -> str | None:
    """The stored form of a code (HMAC-SHA256 of its canonical form under TRACKING_KEY, so a
    copy of the database alone cannot be searched for codes), or None if malformed."""
    cleaned = canonical(code)
    if cleaned is None:
        return None
    key = current_app.config["TRACKING_KEY"] or current_app.config["SECRET_KEY"]
    return hmac.new(str(key).encode(), cleaned.encode(), hashlib.sha256).hexdigest()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of any identifier under TRACKING_KEY (a messaging app's sender id, a
    platform's message id): recognisable again by this site, unreadable from a copy of the
    database alone."""
    key = current_app.config["TRACKING_KEY"] or current_app.config["SECRET_KEY"]
    return hmac.new(str(key).encode(), value.encode(), hashlib.sha256).hexdigest()
