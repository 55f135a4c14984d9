"""Removing metadata (EXIF with GPS, XMP, IPTC, comments, ICC) from images before encryption.

The image is decoded and written again from its pixels only, after applying the EXIF
orientation so it still displays upright. Animated images keep their first frame. Only the
encoded pixels of the original survive; every metadata block is dropped.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from protectdesk.attachments.sniff import GIF, JPEG, PNG, TIFF, WEBP, Kind

#: Decompression-bomb guard: more pixels than this is refused (about a 100-megapixel photo).
MAX_PIXELS = 100_000_000


class UnreadableImage(Exception):
    """The file says it is an image but cannot be decoded (or is absurdly large)."""


def strip_metadata(data: bytes, kind: Kind) -> bytes:
    """The image re-encoded without any metadata."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as original:
                original.seek(0)
                upright = ImageOps.exif_transpose(original) or original
                upright.load()
                clean = upright.copy()
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise UnreadableImage from None
    transparency = clean.info.get("transparency") if kind in (PNG, GIF) else None
    clean.info = {}
    out = io.BytesIO()
    if kind == JPEG:
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=92, optimize=True)
    elif kind == PNG:
        clean.save(
            out,
            "PNG",
            optimize=True,
            **({"transparency": transparency} if transparency is not None else {}),
        )
    elif kind == GIF:
        clean.save(
            out, "GIF", **({"transparency": transparency} if transparency is not None else {})
        )
    elif kind == WEBP:
        clean.save(out, "WEBP", quality=90)
    elif kind == TIFF:
        clean.save(out, "TIFF", compression="tiff_deflate")
    else:  # pragma: no cover - only image kinds reach here
        raise UnreadableImage
    return out.getvalue()
