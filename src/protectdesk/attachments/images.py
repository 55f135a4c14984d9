"""Removing metadata (EXIF with GPS, XMP, IPTC, comments, ICC) from images before encryption.

The image is decoded and written again from its pixels only, after applying the EXIF
orientation so it still displays upright. Animated images keep their first frame. Only the
encoded pixels of the original survive; every metadata block is dropped.

**Bounded memory.** A small file can describe a huge image: a 400 KB PNG of zeros decodes to
9,990 × 9,990 pixels, 400 MB as Pillow holds them, and the old code made two more copies
(measured: 1.15 GB and 6 s per upload). Two limits now hold whatever the file says.

*Per image*, from the header, before a pixel is decoded (:func:`PIL.Image.open` only parses
the header; for WebP, whose decoder allocates its canvas when it is opened, we read the size
ourselves first): the image's pixels times the bytes cleaning holds per pixel at its worst
moment (:func:`working_bytes_per_pixel`) may not exceed :data:`MAX_WORKING_BYTES`. That is
the decoded size (Pillow keeps colour as 4 bytes per pixel, greyscale as 1) times the copies
held at once: two while the photo is turned upright, and while decoding the decoder's own
buffers (a progressive JPEG's coefficients, libtiff's strip, libwebp's canvas and the copy it
hands over). A larger image is refused with its dimensions and the largest accepted
(:class:`TooManyPixels`): 25 megapixels for a colour photo, 100 for greyscale. Pillow's guard
(``Image.MAX_IMAGE_PIXELS``) stays as a second line; its ``DecompressionBombError`` becomes
the same refusal.

*Per process*, images are cleaned **one at a time** (:data:`_CLEANING`, a process-wide
semaphore around decoding and encoding), so a gunicorn worker holds one image's pixels at most
however many uploads arrive together, and the server's ceiling is that times its worker
processes (two by default). An upload that waits longer than :data:`WAIT_SECONDS` is refused
with "try again in a minute" rather than holding its thread indefinitely.

Measured by ``tests/attachments/test_image_memory.py`` (peak resident memory of a process
above its baseline): the 9,990 × 9,990 colour PNG is refused from its header (< 10 MB); the
same size in greyscale, accepted, about 100 MB; the largest accepted colour photos, rotated,
about 200 MB; four at once about 200–300 MB (one at a time; the allocator keeps some freed
memory per thread).

Why a lock and not a memory-limited child process (``RLIMIT_AS``): a child per photo still
needs the same semaphore, because the limit bounds each child and not how many run; it costs an
interpreter start and a Pillow import per photo and a pipe carrying the plaintext photo; and
``RLIMIT_AS`` limits address space, not memory, so it must sit well above the real need
(allocator arenas, shared libraries) or refuse good photos. With the working size known from
the header before decoding, the in-process peak is already bounded and small.
"""

from __future__ import annotations

import io
import struct
import threading
import warnings

from PIL import ExifTags, Image, ImageMode

from protectdesk.attachments.sniff import GIF, JPEG, PNG, TIFF, WEBP, Kind

#: The most memory cleaning one image may take: a 25-megapixel colour photo held twice.
MAX_WORKING_BYTES = 200_000_000

#: Pillow's own guard, a second line behind ours: every image is held at least twice (1 byte
#: per pixel, original and upright copy), so more pixels than this is over budget in any mode.
Image.MAX_IMAGE_PIXELS = MAX_WORKING_BYTES // 2

#: How long an upload waits for its turn (one image is cleaned at a time per process).
WAIT_SECONDS = 30.0

_CLEANING = threading.BoundedSemaphore(1)

#: What Pillow's decoders (and the metadata parsers they run) raise on malformed files.
_DECODING_ERRORS = (OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError, struct.error)

_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WEBP", TIFF: "TIFF"}

#: libwebp decodes into a canvas of 4 bytes per pixel and hands Pillow a copy of it.
_WEBP_DECODER_BYTES = 8

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class UnreadableImage(Exception):
    """The file says it is an image but cannot be decoded."""


class TooManyPixels(Exception):
    """Cleaning the image would take more than :data:`MAX_WORKING_BYTES`.

    ``width``/``height`` are 0 when Pillow refused the header itself (its own guard).
    """

    def __init__(self, width: int, height: int, max_megapixels: int) -> None:
        super().__init__(f"image of {width}x{height} pixels is too large")
        self.width, self.height, self.max_megapixels = width, height, max_megapixels


class CleanerBusy(Exception):
    """Other images were being cleaned for longer than :data:`WAIT_SECONDS`."""


def pillow_bytes_per_pixel(mode: str) -> int:
    """How many bytes Pillow keeps per pixel of ``mode`` (1, 2 or 4)."""
    try:
        descriptor = ImageMode.getmode(mode)
    except KeyError:
        return 4
    if len(descriptor.bands) > 1:
        return 4  # multi-band images are stored as 32-bit pixels (RGB included)
    return max(1, int(descriptor.typestr[-1]))


def working_bytes_per_pixel(mode: str, decoder_bytes: int = 0) -> int:
    """Bytes per pixel at cleaning's worst moment: decoding (the image and the decoder's own
    ``decoder_bytes`` per pixel) or turning it upright (two copies)."""
    held = pillow_bytes_per_pixel(mode)
    return max(held + decoder_bytes, 2 * held)


def max_megapixels(mode: str = "RGB", decoder_bytes: int = 0) -> int:
    """The largest image accepted of this mode (and decoder), in whole megapixels."""
    per_pixel = working_bytes_per_pixel(mode, decoder_bytes)
    return MAX_WORKING_BYTES // per_pixel // 1_000_000


def strip_metadata(data: bytes, kind: Kind) -> bytes:
    """The image re-encoded without any metadata.

    Raises :class:`TooManyPixels` (from the header, before decoding), :class:`CleanerBusy`
    or :class:`UnreadableImage`.
    """
    pillow_format = _PILLOW_FORMATS.get(kind)
    if pillow_format is None:  # pragma: no cover - only image kinds reach here
        raise UnreadableImage
    if kind == WEBP:
        # Opening a WebP allocates its canvas: check the size before Pillow sees the file.
        size = webp_canvas_size(data)
        if size is None:
            raise UnreadableImage
        _check_size(size, "RGBA", _WEBP_DECODER_BYTES)
    try:
        with warnings.catch_warnings():
            # Over MAX_IMAGE_PIXELS Pillow only warns; our own check refuses those.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[pillow_format])
    except Image.DecompressionBombError:
        raise TooManyPixels(0, 0, max_megapixels()) from None
    except _DECODING_ERRORS:
        raise UnreadableImage from None
    try:
        _check_size(opened.size, opened.mode, _decoder_bytes(opened, kind))
    except TooManyPixels:
        opened.close()
        raise
    except _DECODING_ERRORS:  # nonsense in the header's tags
        opened.close()
        raise UnreadableImage from None
    if not _CLEANING.acquire(timeout=WAIT_SECONDS):
        opened.close()
        raise CleanerBusy
    try:
        pixels, method, transparency = _decode(opened)
        del opened  # the file object, and a WebP decoder's canvas, go before the copy below
        return _encode(pixels, method, transparency, kind)
    except _DECODING_ERRORS:
        raise UnreadableImage from None
    finally:
        _CLEANING.release()


def _check_size(size: tuple[int, int], mode: str, decoder_bytes: int) -> None:
    width, height = size
    if width * height * working_bytes_per_pixel(mode, decoder_bytes) > MAX_WORKING_BYTES:
        raise TooManyPixels(width, height, max_megapixels(mode, decoder_bytes))


def _decoder_bytes(opened: Image.Image, kind: Kind) -> int:
    """Bytes per pixel the decoder keeps beside the image while decoding it."""
    if kind == WEBP:
        return _WEBP_DECODER_BYTES
    if kind == JPEG and opened.info.get("progressive"):
        # A progressive JPEG keeps every coefficient (2 bytes) of every component.
        return 2 * len(ImageMode.getmode(opened.mode).bands)
    if kind == TIFF:
        # libtiff may decode a whole strip or tile (up to the image) in the file's own format.
        tags = getattr(opened, "tag_v2", {})
        bits = tags.get(258, 8)  # BitsPerSample: one value per sample
        samples = int(tags.get(277, 1))  # SamplesPerPixel
        total = sum(bits) if isinstance(bits, tuple) else int(bits) * samples
        return max(1, -(-total // 8))
    return 0  # PNG and GIF decode row by row


def _decode(opened: Image.Image) -> tuple[Image.Image, Image.Transpose | None, object]:
    """The first frame's pixels as a plain image (not the opened file's object), its turn."""
    with opened:
        opened.seek(0)
        opened.load()
        method = _TRANSPOSE.get(opened.getexif().get(ExifTags.Base.Orientation, 1))
        transparency = opened.info.get("transparency")
        # A plain image over the same pixels, not a copy: encoders read metadata from the
        # object they are given (TIFF copies every tag of an opened file, XMP and IPTC too).
        return opened._new(opened.im), method, transparency


def _encode(
    pixels: Image.Image, method: Image.Transpose | None, transparency: object, kind: Kind
) -> bytes:
    """Turn upright (the only moment two copies exist) and write the pixels alone."""
    if method is not None:
        upright = pixels.transpose(method)
        pixels.close()
        pixels = upright
    pixels.info = {}
    keep = {"transparency": transparency} if transparency is not None and kind in (PNG, GIF) else {}
    out = io.BytesIO()
    if kind == JPEG:
        if pixels.mode not in ("RGB", "L", "CMYK"):
            pixels = pixels.convert("RGB")
        pixels.save(out, "JPEG", quality=92, optimize=True)
    elif kind == PNG:
        pixels.save(out, "PNG", optimize=True, **keep)
    elif kind == GIF:
        pixels.save(out, "GIF", **keep)
    elif kind == WEBP:
        pixels.save(out, "WEBP", quality=90)
    else:
        pixels.save(out, "TIFF", compression="tiff_deflate")
    pixels.close()
    return out.getvalue()


def webp_canvas_size(data: bytes) -> tuple[int, int] | None:
    """A WebP's canvas size from its first chunk header (VP8X, VP8 or VP8L), or None."""
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return (
            int.from_bytes(data[24:27], "little") + 1,
            int.from_bytes(data[27:30], "little") + 1,
        )
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        return (
            int.from_bytes(data[26:28], "little") & 0x3FFF,
            int.from_bytes(data[28:30], "little") & 0x3FFF,
        )
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None
