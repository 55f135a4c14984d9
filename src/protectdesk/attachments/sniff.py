"""What a file really is, from its first bytes (the browser's claimed type is ignored)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extension: str
    image: bool = False


JPEG = Kind("jpeg", "image/jpeg", "jpg", image=True)
PNG = Kind("png", "image/png", "png", image=True)
GIF = Kind("gif", "image/gif", "gif", image=True)
WEBP = Kind("webp", "image/webp", "webp", image=True)
TIFF = Kind("tiff", "image/tiff", "tif", image=True)
PDF = Kind("pdf", "application/pdf", "pdf")
ZIP = Kind("zip", "application/zip", "zip")  # also docx/xlsx/pptx/odt/ods
OLE = Kind("ole", "application/x-ole-storage", "doc")  # doc/xls/ppt
MP3 = Kind("mp3", "audio/mpeg", "mp3")
MP4 = Kind("mp4", "video/mp4", "mp4")  # also m4a, mov
OGG = Kind("ogg", "audio/ogg", "ogg")
WAV = Kind("wav", "audio/wav", "wav")
WEBM = Kind("webm", "video/webm", "webm")
AMR = Kind("amr", "audio/amr", "amr")
TEXT = Kind("text", "text/plain", "txt")

#: Images a phone may produce that we cannot clean of location data: refused, with advice.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


class Refused(Exception):
    """A file type we do not accept; ``reason`` is a code the view turns into a message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff(head: bytes) -> Kind:
    """Identify a file from its first bytes (at least 64 when the file has them)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head[4:8] == b"ftyp":
        if head[8:12] in HEIF_BRANDS:
            raise Refused("heif")
        return MP4
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return MP3
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"#!AMR"):
        return AMR
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start < len(head) - 3:
                raise Refused("type") from None
        return TEXT
    raise Refused("type")
