"""Evidence files: what a file is, from its first bytes (the browser's word is never
taken), and keeping it encrypted in the file store (core/files.py).

Only PDF, JPEG and PNG: receipts, payroll extracts and returned-passport lists are scanned
or exported as these. A photo is written again from its pixels alone (core/images.py): a
phone's photo holds where and when it was taken, and these files may reach brands. A PDF is
kept as it came. Every file is served back as a download with headers that stop a browser
running anything in it (validation/file_views.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from goldendreams.core import files, images
from goldendreams.core.text import normalise
from goldendreams.validation.models import EvidenceType

#: The first bytes of each type we keep.
MAGIC = (
    (b"%PDF-", EvidenceType.PDF),
    (b"\x89PNG\r\n\x1a\n", EvidenceType.PNG),
    (b"\xff\xd8\xff", EvidenceType.JPEG),
)
FILENAME_MAX = 200


class EvidenceError(ValueError):
    """A file we do not keep; ``str(error)`` is a message in the reader's language."""


@dataclass(frozen=True)
class Upload:
    """A file read from a form, checked, not stored yet."""

    filename: str
    content_type: EvidenceType
    data: bytes


def sniff(data: bytes) -> EvidenceType | None:
    """The type the file's first bytes show, or None for anything else."""
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)


def max_bytes() -> int:
    return int(current_app.config["VALIDATION_EVIDENCE_MAX_BYTES"])


def max_files() -> int:
    return int(current_app.config["VALIDATION_EVIDENCE_MAX_FILES"])


def read(storage) -> Upload | None:
    """Check one uploaded file (a werkzeug FileStorage); None for an empty file input."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    limit = max_bytes()
    data = storage.stream.read(limit + 1)
    if not data:
        raise EvidenceError(_l("This file is empty."))
    if len(data) > limit:
        raise EvidenceError(_l("A file may be %(mb)s MB at most.", mb=limit // (1024 * 1024) or 1))
    kind = sniff(data)
    if kind is None:
        raise EvidenceError(_l("Attach a PDF, a JPEG photo or a PNG picture."))
    if kind != EvidenceType.PDF:
        try:
            data = images.clean_photo(data, kind.name)
        except images.BadImage as error:  # broken, or too many pixels
            raise EvidenceError(_l("Attach a PDF, a JPEG photo or a PNG picture.")) from error
    name = normalise(storage.filename).text.replace("/", "_").replace("\\", "_")
    return Upload(filename=name[-FILENAME_MAX:] or "file", content_type=kind, data=data)


def store_all(uploads: list[Upload]) -> list[str]:
    """Store each file encrypted; returns their keys. If one fails, the ones stored are
    erased again (the caller stores nothing in the database then)."""
    keys: list[str] = []
    try:
        for upload in uploads:
            keys.append(files.store(upload.data))
    except Exception:
        erase(keys)
        raise
    return keys


def erase(keys: list[str]) -> None:
    for key in keys:
        files.delete(key)
