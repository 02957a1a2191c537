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
from sqlalchemy import Text, TypeDecorator, and_, select, update

from goldendreams.core import audit
from goldendreams.extensions import db

__all__ = ["EncryptedText", "InvalidToken", "decrypt", "encrypt", "fernet"]


def _configured_keys() -> tuple[str, ...]:
    keys = current_app.config["ENCRYPTION_KEYS"]
    if isinstance(keys, str):
        keys = [key for key in keys.split(",") if key.strip()]
    secret = current_app.config["TRACKING_KEY"] or current_app.config["SECRET_KEY"]
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"goldendreams encryption"
    ).derive(str(secret).encode())
    # The derived key always comes last: it decrypts what was written before a site set
    # keys of its own (until ``flask keys rotate`` has re-encrypted it), never encrypts.
    return (*(key.strip() for key in keys), base64.urlsafe_b64encode(derived).decode())


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


def encrypted_columns() -> list:
    """Every column of every table whose type is :class:`EncryptedText`."""
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


def reencrypt_all() -> dict[str, int]:
    """Read every encrypted value with any configured key and write it back with the first
    (``flask keys rotate``): afterwards the old keys can go. One transaction; returns the
    number of values per ``table.column``."""
    counts: dict[str, int] = {}
    for column in encrypted_columns():
        table = column.table
        keys = list(table.primary_key.columns)
        # Through the column's type: values are decrypted on reading, encrypted on writing.
        rows = db.session.execute(select(*keys, column).where(column.is_not(None))).all()
        for row in rows:
            match = and_(*(key == row[i] for i, key in enumerate(keys)))
            db.session.execute(update(table).where(match).values({column.name: row[-1]}))
        counts[f"{table.name}.{column.name}"] = len(rows)
    audit.record(None, "keys.rotated", "encryption", 0, values=sum(counts.values()))
    db.session.commit()
    return counts
