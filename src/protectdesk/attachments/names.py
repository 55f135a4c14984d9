"""File names: what the browser sent, what is stored, and what the download header says.

* **From the form.** Browsers send a file name inside a quoted ``filename="…"`` of the
  multipart body and, following the HTML standard, write a ``"`` in it as ``%22`` (and CR, LF
  as ``%0D``, ``%0A``) while leaving every other byte, ``%`` included, as it is. Django hands
  the name on undecoded, so ``say "no".txt`` arrived as ``say %22no%22.txt``;
  :func:`from_form` undoes exactly those three escapes. (A name that really contained the
  three characters ``%22`` cannot be told apart; the standard chose this and every browser
  follows it.)
* **Stored.** :func:`stored_name` drops any path, control characters and leading dots, and
  makes the name's extension agree with the type the *content* shows (``sniff``): a text file
  sent as ``photo.jpg`` is stored as ``photo.txt``. The extension is **replaced**, not
  followed by the true one (``photo.jpg.txt``): systems that hide known extensions (Windows by
  default) would show ``photo.jpg.txt`` as ``photo.jpg``, the very confusion being corrected,
  and the program that opens a download is chosen by its last extension, so a text file named
  ``page.html`` or ``x.svg`` would otherwise open in a browser as a page. Nothing is lost: the
  name as uploaded is kept in the attachment's encrypted description and shown beside it. A
  suffix that does not look like an extension (``minutes 12.05.2025``, ``notes.backup``) is
  kept and the true extension added after it.
* **Download.** :func:`content_disposition` writes RFC 6266 with both forms: an ASCII
  ``filename="…"`` fallback (accents dropped, ``"``, ``\\`` and ``%`` replaced) and
  ``filename*=UTF-8''…`` (RFC 5987 percent-encoding) that every current browser prefers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk.attachments import sniff
from protectdesk.attachments.sniff import Kind

MAX_NAME_CHARS = 200

#: The extensions each type is known by (lower case, the stored default first). Plain text
#: lists only formats that open as text: HTML, SVG, XML, scripts and RTF are renamed ``.txt``.
EXTENSIONS: dict[Kind, tuple[str, ...]] = {
    sniff.JPEG: ("jpg", "jpeg", "jpe", "jfif"),
    sniff.PNG: ("png",),
    sniff.GIF: ("gif",),
    sniff.WEBP: ("webp",),
    sniff.TIFF: ("tif", "tiff"),
    sniff.PDF: ("pdf",),
    sniff.ZIP: (
        "zip",
        "docx",
        "docm",
        "xlsx",
        "xlsm",
        "pptx",
        "pptm",
        "odt",
        "ods",
        "odp",
        "odg",
        "epub",
    ),
    sniff.OLE: ("doc", "xls", "ppt", "msg"),
    sniff.MP3: ("mp3",),
    sniff.MP4: ("mp4", "m4a", "m4v", "mov", "3gp", "3g2"),
    sniff.OGG: ("ogg", "oga", "ogv", "opus"),
    sniff.WAV: ("wav",),
    sniff.WEBM: ("webm", "mkv", "mka"),
    sniff.AMR: ("amr",),
    sniff.TEXT: (
        "txt",
        "text",
        "csv",
        "tsv",
        "md",
        "markdown",
        "log",
        "json",
        "vcf",
        "ics",
        "srt",
        "vtt",
    ),
}

_KIND_OF_EXTENSION = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}

#: What the refusal or notice calls each type (with its article, so translators can agree it).
DESCRIPTIONS: dict[Kind, Promise] = {
    sniff.JPEG: gettext_lazy("a JPEG photo"),
    sniff.PNG: gettext_lazy("a PNG image"),
    sniff.GIF: gettext_lazy("a GIF image"),
    sniff.WEBP: gettext_lazy("a WebP image"),
    sniff.TIFF: gettext_lazy("a TIFF image"),
    sniff.PDF: gettext_lazy("a PDF document"),
    sniff.ZIP: gettext_lazy("a ZIP archive (or an office document)"),
    sniff.OLE: gettext_lazy("an older Office document (Word, Excel or PowerPoint)"),
    sniff.MP3: gettext_lazy("an MP3 recording"),
    sniff.MP4: gettext_lazy("an MP4 video or audio recording"),
    sniff.OGG: gettext_lazy("an Ogg recording"),
    sniff.WAV: gettext_lazy("a WAV recording"),
    sniff.WEBM: gettext_lazy("a WebM or Matroska video"),
    sniff.AMR: gettext_lazy("an AMR voice recording"),
    sniff.TEXT: gettext_lazy("plain text"),
}

#: A suffix that reads as an extension: a letter, then up to four letters or digits.
_EXTENSION = re.compile(r"[A-Za-z][A-Za-z0-9]{0,4}")

#: The HTML standard's escapes in multipart file names (and only these).
_FORM_ESCAPES = {"%22": '"', "%0D": "\r", "%0A": "\n"}


def from_form(name: str) -> str:
    """A file name as the user chose it, from the name a browser wrote in the form data."""
    return re.sub(r"%22|%0D|%0A", lambda match: _FORM_ESCAPES[match.group(0)], name)


@dataclass(frozen=True)
class StoredName:
    """The name a file is stored under and, when it had to change, why."""

    name: str
    kind: Kind
    #: The cleaned name as uploaded, when its extension was changed to match the content.
    uploaded_as: str = ""
    #: The type the uploaded name's extension claimed, if it is one we know.
    claimed: Kind | None = None

    def notice(self) -> str:
        """What the user is told when the name was changed (empty when it was not)."""
        if not self.uploaded_as:
            return ""
        if self.claimed is not None:
            # Translators: e.g. "This file is plain text, not a JPEG photo: it is stored as
            # 'photo.txt'." Both types come with their article.
            return _("This file is %(actual)s, not %(claimed)s: it is stored as '%(name)s'.") % {
                "actual": DESCRIPTIONS[self.kind],
                "claimed": DESCRIPTIONS[self.claimed],
                "name": self.name,
            }
        # Translators: e.g. "This file is plain text: it is stored as 'page.txt', so that it
        # opens as what it is."
        return _(
            "This file is %(actual)s: it is stored as '%(name)s', so that it opens as what it is."
        ) % {
            "actual": DESCRIPTIONS[self.kind],
            "name": self.name,
        }


def _without_path_and_controls(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    ).strip()
    return base.lstrip(".").strip()


def stored_name(uploaded: str, kind: Kind) -> StoredName:
    """The name to store a file of ``kind`` under, given the name it was uploaded with."""
    base = _without_path_and_controls(uploaded)
    if not base:
        return StoredName(f"file.{kind.extension}", kind)
    stem, dot, extension = base.rpartition(".")
    if dot and stem and extension.lower() in EXTENSIONS[kind]:
        return StoredName(_shorten(stem, "." + extension), kind)
    if dot and stem and _EXTENSION.fullmatch(extension):
        claimed = _KIND_OF_EXTENSION.get(extension.lower())
    else:
        stem, claimed = base, None
    return StoredName(
        _shorten(stem.rstrip(" ."), "." + kind.extension) or f"file.{kind.extension}",
        kind,
        uploaded_as=_shorten(base, ""),
        claimed=claimed,
    )


def _shorten(stem: str, suffix: str) -> str:
    """``stem + suffix`` in at most :data:`MAX_NAME_CHARS` characters, the suffix kept whole."""
    if not stem:
        return ""
    return stem[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix


def ascii_fallback(name: str) -> str:
    """The name in printable ASCII for ``filename="…"``: accents dropped, the rest ``_``."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in plain)


def content_disposition(name: str) -> str:
    """``attachment`` with the name in both RFC 6266 forms (ASCII fallback and UTF-8)."""
    return (
        f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
