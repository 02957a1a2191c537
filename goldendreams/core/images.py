"""Photos written again from their pixels alone: what is kept carries no camera metadata
(a phone's photo holds where and when it was taken, and the phone's make) and is a plain
picture a browser may show. Used by every feature that keeps uploaded photos (plans,
validation evidence).

A photo with too many pixels is refused before it is decoded: a small file can unpack into
gigabytes (Pillow's decompression-bomb warning is an error here too).
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["MAX_PIXELS", "BadImage", "clean_photo"]

#: A photo with more pixels than this is refused.
MAX_PIXELS = 25_000_000

#: The formats we rewrite (Pillow's names).
FORMATS = frozenset({"JPEG", "PNG"})


class BadImage(ValueError):
    """Not a picture we can read and rewrite safely (its str is for logs, not readers)."""


def clean_photo(data: bytes, image_format: str) -> bytes:
    """The picture in ``data`` (a JPEG or a PNG, as ``image_format`` names it) written
    again from its pixels, turned upright as the camera said, without any metadata.
    Raises BadImage."""
    if image_format not in FORMATS:
        raise BadImage(f"not a photo format: {image_format}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise BadImage("too many pixels")
                image = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if image_format == "JPEG":
                    image.convert("RGB").save(out, format="JPEG", quality=85)
                else:
                    image.save(out, format="PNG")
                return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        if isinstance(error, BadImage):
            raise
        raise BadImage(str(error)) from error
