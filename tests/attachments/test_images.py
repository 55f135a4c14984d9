"""Image cleaning: refused from the header when too large, one at a time, nothing kept."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from protectdesk.attachments import images, sniff
from protectdesk.attachments.models import Attachment
from tests.attachments.test_image_memory import GREYSCALE, RGBA, _chunk, zlib_png
from tests.images import jpeg_with_exif


def _upload(client, case, name, data):
    return client.post(
        f"/cases/{case.id}/files/",
        {"record": f"cases.case:{case.id}", "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def _header_only_png(width: int, height: int, colour_type: int) -> bytes:
    """A PNG whose header claims a size its data does not have: it can be opened, not decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00"))
        + _chunk(b"IEND", b"")
    )


def test_the_issues_png_is_refused_with_its_size_and_what_to_do(desks, signed_in_client):
    page = _upload(
        signed_in_client(desks.caseworker), desks.case, "big.png", zlib_png(9990, 9990, RGBA)
    )
    assert (
        "This photo is 9,990 × 9,990 pixels; photos up to 25 megapixels are accepted. "
        "Resize it and upload it again."
    ) in page.content.decode()
    assert not Attachment.objects.exists()


def test_greyscale_may_have_more_pixels_than_colour():
    with pytest.raises(images.TooManyPixels) as refused:
        images.strip_metadata(_header_only_png(12000, 12000, GREYSCALE), sniff.PNG)
    assert (refused.value.width, refused.value.height) == (12000, 12000)
    assert refused.value.max_megapixels == 100


def test_pillows_own_guard_becomes_the_same_refusal():
    # 15,000² = 225 megapixels: over twice Image.MAX_IMAGE_PIXELS, Pillow refuses to open it.
    with pytest.raises(images.TooManyPixels) as refused:
        images.strip_metadata(_header_only_png(15000, 15000, GREYSCALE), sniff.PNG)
    assert (refused.value.width, refused.value.height) == (0, 0)
    assert refused.value.max_megapixels == 25


def test_pillows_refusal_reads_as_a_size_refusal(desks, signed_in_client):
    page = _upload(
        signed_in_client(desks.caseworker),
        desks.case,
        "huge.png",
        _header_only_png(15000, 15000, GREYSCALE),
    )
    assert "This photo has too many pixels: photos up to 25 megapixels are accepted." in (
        page.content.decode()
    )


def _webp(size, **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, "WEBP", **options)
    return out.getvalue()


@pytest.mark.parametrize(
    "options",
    [{"quality": 80}, {"lossless": True}, {"exif": b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00"}],
    ids=["VP8", "VP8L", "VP8X"],
)
def test_webp_size_is_read_from_the_header_as_pillow_reads_it(options):
    data = _webp((123, 45), **options)
    assert images.webp_canvas_size(data) == (123, 45)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (123, 45)


def test_a_huge_webp_is_refused_before_pillow_opens_it(monkeypatch):
    data = bytearray(_webp((10, 10), exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00"))
    assert data[12:16] == b"VP8X"
    data[24:27] = (12000 - 1).to_bytes(3, "little")
    data[27:30] = (12000 - 1).to_bytes(3, "little")

    def no_open(*args, **kwargs):
        raise AssertionError("the WebP decoder would allocate its canvas")

    monkeypatch.setattr(images.Image, "open", no_open)
    with pytest.raises(images.TooManyPixels) as refused:
        images.strip_metadata(bytes(data), sniff.WEBP)
    assert (refused.value.width, refused.value.height) == (12000, 12000)


def test_while_another_photo_is_cleaned_too_long_the_upload_is_refused_with_advice(
    desks, signed_in_client, monkeypatch
):
    monkeypatch.setattr(images, "WAIT_SECONDS", 0.05)
    client = signed_in_client(desks.caseworker)
    assert images._CLEANING.acquire(timeout=5)
    try:
        page = _upload(client, desks.case, "photo.jpg", jpeg_with_exif())
    finally:
        images._CLEANING.release()
    assert b"Other photos are being cleaned of their hidden data right now." in page.content
    assert not Attachment.objects.exists()
    # Its turn come, the same photo goes in.
    page = _upload(client, desks.case, "photo.jpg", jpeg_with_exif())
    assert b"without its hidden metadata" in page.content


def test_tiff_tags_do_not_survive_cleaning():
    """TIFF's encoder copies the tags of an opened file: cleaning must not hand it one."""
    from PIL import TiffImagePlugin

    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[270] = "TIFF-DESCRIPTION-MARKER"  # ImageDescription
    tags[315] = "TIFF-ARTIST-MARKER"  # Artist
    tags[700] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">TIFF-XMP-MARKER</x:xmpmeta>'  # XMP
    tags[33723] = b"TIFF-IPTC-MARKER"  # IPTC
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (1, 2, 3)).save(out, "TIFF", tiffinfo=tags)
    original = out.getvalue()
    assert b"TIFF-XMP-MARKER" in original and b"TIFF-IPTC-MARKER" in original
    cleaned = images.strip_metadata(original, sniff.TIFF)
    assert b"MARKER" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (20, 10)


def test_bytes_per_pixel_follow_pillows_storage():
    assert [images.pillow_bytes_per_pixel(m) for m in ("1", "L", "P", "I;16", "LA", "RGB")] == [
        1,
        1,
        1,
        2,
        4,
        4,
    ]
    assert images.max_megapixels("RGB") == 25
    assert images.max_megapixels("L") == 100
