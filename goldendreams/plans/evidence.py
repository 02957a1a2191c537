"""Evidence files: a PDF, or a photo (JPEG, PNG), checked by its bytes and kept encrypted.

What the uploader's browser says a file is counts for nothing: its first bytes decide. A
photo is decoded and written again from its pixels alone, so what is kept carries no
camera metadata (a phone's photo holds where and when it was taken) and is a picture the
browser may show; a PDF is kept as sent and only ever served as a download.
"""

from __future__ import annotations

from enum import StrEnum

from flask import Response, current_app

from goldendreams.core import files, images


class EvidenceType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


class BadEvidence(ValueError):
    """Not a file we keep: its str says why, in the reader's language (set by the caller)."""


def sniff(data: bytes) -> EvidenceType | None:
    """The type the bytes are, by their signature; None: not one we keep."""
    if data.startswith(b"%PDF-"):
        return EvidenceType.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return EvidenceType.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceType.PNG
    return None


def max_bytes() -> int:
    return int(current_app.config["PLAN_EVIDENCE_MAX_BYTES"])


def _clean_photo(data: bytes, kind: EvidenceType) -> bytes:
    """The picture written again from its pixels (no metadata). Raises BadEvidence."""
    try:
        return images.clean_photo(data, kind.name)
    except images.BadImage as error:
        raise BadEvidence(str(error)) from error


def checked(data: bytes) -> tuple[bytes, EvidenceType]:
    """The bytes to keep and their type; BadEvidence for an empty, too large or unknown
    file, or a picture that cannot be read."""
    if not data:
        raise BadEvidence("empty")
    if len(data) > max_bytes():
        raise BadEvidence("too large")
    kind = sniff(data)
    if kind is None:
        raise BadEvidence("unknown type")
    if kind != EvidenceType.PDF:
        data = _clean_photo(data, kind)
    return data, kind


def store(data: bytes) -> str:
    return files.store(data)


def delete(key: str | None) -> None:
    if key:
        files.delete(key)


def response(key: str, kind: str) -> Response:
    """The file for the browser, served so that nothing in it can run (the headers of
    inbox/file_views.py): pictures inline, a PDF as a download; never cached."""
    data = files.load(key)  # FileNotFoundError once erased
    if kind in (EvidenceType.JPEG, EvidenceType.PNG):
        answer = Response(data, mimetype=kind)
        answer.headers["Content-Disposition"] = "inline"
    else:
        answer = Response(data, mimetype=EvidenceType.PDF)
        answer.headers["Content-Disposition"] = 'attachment; filename="evidence.pdf"'
    answer.headers["Cache-Control"] = "private, no-store"
    answer.headers["X-Content-Type-Options"] = "nosniff"
    answer.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return answer
