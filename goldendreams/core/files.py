"""Files kept encrypted at rest, outside the database (attachments: voice notes, photos,
documents). ``FILES_URL`` chooses where: empty means a ``files`` folder in the instance
folder, any other path that folder; ``s3://bucket/prefix`` an S3-compatible object store
(``S3_ENDPOINT_URL``, empty for Amazon; ``S3_REGION``, ``S3_ACCESS_KEY_ID``,
``S3_SECRET_ACCESS_KEY``), through boto3 (the "prod" extra).

A file is stored under a random key (the key says nothing of whose it is, nor when) and
encrypted with the site's keys (core/crypto.py) before it leaves the process: the store
holds ciphertext under a random name, with no metadata naming anything.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from goldendreams.core.crypto import fernet

__all__ = ["delete", "load", "store"]

#: What ``store`` makes: 32 hex digits. Anything else is refused before it names a path or
#: an object (a key may come from a request).
_KEY = re.compile(r"[0-9a-f]{32}")


class _Folder:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def put(self, key: str, blob: bytes) -> None:
        (self.folder / key).write_bytes(blob)

    def get(self, key: str) -> bytes:
        return (self.folder / key).read_bytes()  # FileNotFoundError once erased

    def remove(self, key: str) -> None:
        (self.folder / key).unlink(missing_ok=True)


class _S3:
    """One bucket, under a prefix. boto3's clients are thread-safe: one per app."""

    def __init__(self, url: str, config) -> None:
        try:
            import boto3
            from botocore.config import Config
            from botocore.exceptions import ClientError
        except ImportError as error:  # the folder backend runs without it
            raise RuntimeError(
                "FILES_URL is s3://…, which needs boto3: pip install 'goldendreams[prod]'"
            ) from error
        parts = urlsplit(url)
        if not parts.netloc:
            raise RuntimeError("FILES_URL must name a bucket: s3://bucket/prefix")
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self.client_error = ClientError
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=config["S3_ENDPOINT_URL"] or None,
            region_name=config["S3_REGION"] or None,
            aws_access_key_id=config["S3_ACCESS_KEY_ID"] or None,
            aws_secret_access_key=config["S3_SECRET_ACCESS_KEY"] or None,
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
        )

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, blob: bytes) -> None:
        # No Metadata, no ContentType: the store learns a random name and a size.
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=blob)

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client_error as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from error
            raise
        return answer["Body"].read()

    def remove(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))  # gone: no error


def _backend() -> _Folder | _S3:
    """The app's store, made on first use and kept with the app (one client per app)."""
    url = current_app.config["FILES_URL"] or ""
    cached = current_app.extensions.get("goldendreams.files")
    if cached is None or cached[0] != url:
        if url.startswith("s3://"):
            backend: _Folder | _S3 = _S3(url, current_app.config)
        else:
            backend = _Folder(Path(url) if url else Path(current_app.instance_path) / "files")
        cached = current_app.extensions["goldendreams.files"] = (url, backend)
    return cached[1]


def _checked(key: str) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError("not a file key")  # keys are ours; never a path a request steers
    return key


def store(data: bytes) -> str:
    """Encrypt and keep ``data``; returns its key."""
    key = secrets.token_hex(16)
    _backend().put(key, fernet().encrypt(data))
    return key


def load(key: str) -> bytes:
    """The file's content, decrypted. FileNotFoundError if it was erased."""
    return fernet().decrypt(_backend().get(_checked(key)))


def delete(key: str) -> None:
    """Erase the file (nothing happens if it is gone already)."""
    _backend().remove(_checked(key))
