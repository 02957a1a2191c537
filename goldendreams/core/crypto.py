"""Encryption at rest for the few secrets the database must be able to read back (a
second factor's key; later, a worker's chosen contact).

``ENCRYPTION_KEYS`` is a list of Fernet keys (or one string, comma-separated): the first
encrypts, all of them decrypt, so a key is rotated by putting a new one first and running
``flask keys rotate`` (which re-encrypts every encrypted column), then dropping the old one.
With no key set, one is derived from ``TRACKING_KEY`` (or ``SECRET_KEY``), which a site
never changes; production sites set their own (README, "Keys").
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import Text, TypeDecorator

__all__ = ["EncryptedText", "InvalidToken", "decrypt", "encrypt", "fernet"]


def _configured_keys() -> tuple[str, ...]:
    keys = current_app.config["ENCRYPTION_KEYS"]
    if isinstance(keys, str):
        keys = [key for key in keys.split(",") if key.strip()]
    if keys:
        return tuple(key.strip() for key in keys)
    secret = current_app.config["TRACKING_KEY"] or current_app.config["SECRET_KEY"]
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"goldendreams encryption"
    ).derive(str(secret).encode())
    return (base64.urlsafe_b64encode(derived).decode(),)


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet_for(_configured_keys())


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


class EncryptedText(TypeDecorator):
    """Text stored encrypted with the site's keys; read back as plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else decrypt(value)
