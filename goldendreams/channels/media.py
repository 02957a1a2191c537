"""Attachments from messaging apps: fetched through the platform's media API, capped at
CHANNEL_MEDIA_MAX_BYTES, photos re-encoded without their EXIF data (a phone's photo carries
where and when it was taken), then stored encrypted (core/files.py).

Each becomes an entry of ``Message.attachments``: {"kind", "key", "mime", "size"} when kept,
{"kind", "missing": "too_large" | "failed"} when not (the caseworker sees that one came).
"""

from __future__ import annotations

import io
import logging

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from goldendreams.channels.adapters.base import Adapter, Media, MediaKind, PlatformError, TooLarge
from goldendreams.core import files

log = logging.getLogger("goldendreams.channels")


def keep(adapter: Adapter, media: list[Media]) -> list[dict]:
    max_bytes = int(current_app.config["CHANNEL_MEDIA_MAX_BYTES"])
    kept = []
    for item in media:
        if item.size is not None and item.size > max_bytes:
            kept.append({"kind": item.kind, "missing": "too_large"})
            continue
        try:
            fetched = adapter.fetch_media(item, max_bytes)
        except TooLarge:
            kept.append({"kind": item.kind, "missing": "too_large"})
            continue
        except PlatformError as error:
            # The platform's words only: never the sender or the file's address.
            log.warning(
                "%s: an attachment could not be fetched: %s", adapter.platform, error.reason
            )
            kept.append({"kind": item.kind, "missing": "failed"})
            continue
        data, mime = fetched.data, fetched.mime
        if item.kind == MediaKind.PHOTO or mime.startswith("image/"):
            data, mime = strip_metadata(data, mime)
        kept.append({"kind": item.kind, "key": files.store(data), "mime": mime, "size": len(data)})
    return kept


def strip_metadata(data: bytes, mime: str) -> tuple[bytes, str]:
    """The photo re-encoded from its pixels only (no EXIF, no GPS, no maker notes), turned
    the way the phone meant. What is not a readable image is kept as it came."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            # Saved without ``exif=`` or ``pnginfo=``, Pillow writes the pixels only.
            clean = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if clean.mode in ("RGBA", "LA", "P"):
                clean.save(out, format="PNG")
                return out.getvalue(), "image/png"
            clean.convert("RGB").save(out, format="JPEG", quality=85)
            return out.getvalue(), "image/jpeg"
    except (UnidentifiedImageError, OSError, ValueError):
        return data, mime
