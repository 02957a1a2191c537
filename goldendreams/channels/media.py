"""Attachments from messaging apps: fetched through the platform's media API, capped at
CHANNEL_MEDIA_MAX_BYTES, photos re-encoded without their metadata (a phone's photo carries
where and when it was taken), then stored encrypted (core/files.py).

Each becomes one entry of ``Message.attachments``:

- kept: ``{"kind", "key", "mime", "size"}``: ``kind`` a ``MediaKind`` (voice, photo, video,
  document), ``key`` the file's key in core.files, ``mime`` its type, ``size`` in bytes;
- not kept: ``{"kind", "missing": "too_large" | "failed"}``, so the caseworker sees that
  one came (larger than the cap, announced or as it streamed; or the platform could not
  give it).

What the browser will show inline is only what we wrote ourselves: a photo is stored as a
JPEG or PNG made from its pixels alone. A file that says it is an image but cannot be read
as one is kept as a document (``application/octet-stream``): downloaded, never rendered.
"""

from __future__ import annotations

import io
import logging
import re
import warnings

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from goldendreams.channels.adapters.base import Adapter, Media, MediaKind, PlatformError, TooLarge
from goldendreams.core import files

log = logging.getLogger("goldendreams.channels")

OCTET_STREAM = "application/octet-stream"
#: A photo with more pixels than this is not decoded (a small file can unpack into
#: gigabytes); it is kept as a document. Phones' photos, as the apps send them, are far
#: below it.
MAX_PIXELS = 25_000_000
#: Longest side: JPEG cannot be written wider or taller than 65,535 pixels.
MAX_SIDE = 20_000
#: The formats a phone's photo comes in: Pillow's other readers (EPS runs Ghostscript;
#: dozens of rarely used formats) never see a worker's file.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")


class NotAnImage(ValueError):
    """The bytes are not a picture Pillow can read (or not safely)."""


def keep(adapter: Adapter, media: list[Media]) -> list[dict]:
    """Fetch, check and store each attachment; returns the message's entries (see above).
    Never raises for one attachment: a failed one is recorded as missing."""
    max_bytes = int(current_app.config["CHANNEL_MEDIA_MAX_BYTES"])
    kept: list[dict] = []
    for item in media:
        kind = item.kind if item.kind in set(MediaKind) else MediaKind.DOCUMENT
        try:
            kept.append(_keep_one(adapter, item, kind, max_bytes))
        except Exception as error:
            # Whatever a worker's file does to a reader, the message still arrives (a file
            # that broke handling would otherwise be fetched again at every try).
            log.warning("%s: an attachment could not be kept: %s", adapter.platform,
                        type(error).__name__)  # fmt: skip
            kept.append({"kind": kind, "missing": "failed"})
    return kept


def _keep_one(adapter: Adapter, item: Media, kind: str, max_bytes: int) -> dict:
    if item.size is not None and item.size > max_bytes:
        return {"kind": kind, "missing": "too_large"}  # not even fetched
    try:
        fetched = adapter.fetch_media(item, max_bytes)
    except TooLarge:
        return {"kind": kind, "missing": "too_large"}
    except PlatformError as error:
        # The platform's words only: never the sender or the file's address.
        log.warning("%s: an attachment could not be fetched: %s", adapter.platform, error.reason)
        return {"kind": kind, "missing": "failed"}
    data = fetched.data
    if len(data) > max_bytes:  # whatever the adapter let through
        return {"kind": kind, "missing": "too_large"}
    mime = _mime(fetched.mime, item.mime)
    if kind == MediaKind.PHOTO or mime.startswith("image/"):
        try:
            data, mime = strip_metadata(data)
        except NotAnImage:
            kind, mime = MediaKind.DOCUMENT, OCTET_STREAM
    return {"kind": kind, "key": files.store(data), "mime": mime, "size": len(data)}


def _mime(fetched: str | None, announced: str | None) -> str:
    """The file's type: what the download said, unless that is the generic one and the
    platform's announcement says more. Lower case, without parameters; anything that is
    not a plain ``type/subtype`` is the generic type."""
    for value in (fetched, announced):
        mime = (value or "").split(";")[0].strip().lower()
        if _MIME.fullmatch(mime) and mime != OCTET_STREAM:
            return mime
    return OCTET_STREAM


def strip_metadata(data: bytes) -> tuple[bytes, str]:
    """The photo turned the way the phone meant and re-encoded from its pixels alone (no
    EXIF, GPS, maker notes, XMP, comments or colour profile): JPEG, or PNG when it has
    transparency. Raises NotAnImage for what cannot be read as a picture."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
                if image.width * image.height > MAX_PIXELS or max(image.size) > MAX_SIDE:
                    raise NotAnImage("too many pixels")
                turned = ImageOps.exif_transpose(image)
                alpha = turned.mode in ("RGBA", "LA", "PA") or "transparency" in turned.info
                pixels = turned.convert("RGBA" if alpha else "RGB")
        # A new image from the raw pixels: none of the original's ``info`` can follow it
        # into the file (some encoders copy a comment or profile from it).
        clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
        del pixels
        out = io.BytesIO()
        if alpha:
            clean.save(out, format="PNG", optimize=True)
            return out.getvalue(), "image/png"
        clean.save(out, format="JPEG", quality=85)
        return out.getvalue(), "image/jpeg"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        raise NotAnImage(str(error)) from error


def discard(kept: list[dict]) -> None:
    """Erase the files of entries ``keep`` stored, when their message was not saved."""
    for entry in kept:
        if entry.get("key"):
            files.delete(entry["key"])
