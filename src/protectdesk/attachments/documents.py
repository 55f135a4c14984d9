"""Removing identifying metadata from documents (PDF, Office Open XML, OpenDocument) in memory.

People reporting through the public intake may be anonymous, and a document says more about its
author than its text: the author's and last editor's names, the company, the editing times and
total editing time, the template and printer paths, the names on comments and tracked changes.
This module writes the document again without them. It has no Django imports.

**PDF** (rewritten with pypdf, from the parsed objects, so earlier incremental revisions, which
keep older metadata, are dropped too):

- the document information dictionary (``/Info``: Author, Creator, Producer, Title, Subject,
  Keywords, CreationDate, ModDate and any custom key);
- every XMP ``/Metadata`` stream (the catalog's, pages', images' and forms') and every
  ``/PieceInfo`` (the authoring application's private data, e.g. Illustrator's);
- on markup annotations (comments, highlights, stamps...): ``/T`` (the author's name), ``/M``
  and ``/CreationDate``;
- inside JPEG images (``/DCTDecode``): EXIF (camera, GPS position, times), XMP, IPTC, Photoshop
  and comment segments; the pixels, JFIF, Adobe and ICC colour segments are kept as they are.

Kept: every page and its content (visible text may of course name people), outlines, links,
form fields and their values, embedded files (attachments are not opened or cleaned), fonts
(subset names only), JavaScript, images in other formats (which carry no metadata blocks).
Encrypted PDFs are refused (:class:`UncleanableDocument`): we cannot read what is inside.

**Office Open XML** (docx, xlsx, pptx: a zip with ``[Content_Types].xml``):

- the core, extended and custom property parts (``docProps/core.xml``, ``app.xml``,
  ``custom.xml``, or wherever ``_rels/.rels`` points) become empty but valid parts: creator,
  last modified by, dates, revision, total editing time, company, manager, template, application
  and custom fields are gone;
- comment and tracked-change authors are replaced by "Author" (initials "A") and their dates
  dropped, in every ``word/*.xml`` part (document, comments, headers, footers, notes, people,
  whose presence information, an account id or e-mail, is removed); the author list of
  spreadsheet comments (``xl/comments*.xml``, ``xl/comments/comment*.xml``), threaded-comment persons (``xl/persons/``) and
  presentation comment authors (``ppt/commentAuthors.xml``, ``ppt/authors.xml``).

Kept byte for byte (the content of every other member): the document's text, images as
embedded (their own EXIF is **not** removed), ``docProps/thumbnail.*`` (a picture of the first
page), printer settings (``*/printerSettings/*.bin`` may hold a printer's name), custom XML
parts, revision session ids (``w:rsid``), embedded objects, macros.

**OpenDocument** (odt, ods, odp: a zip whose ``mimetype`` is ``application/vnd.oasis...``):
``meta.xml`` (initial creator, creator, dates, editing cycles and duration, generator,
template, user fields) and ``settings.xml`` (printer name and printer setup) become minimal valid
parts; ``dc:creator`` in ``content.xml`` and ``styles.xml`` (annotations and tracked changes)
becomes "Author" and ``dc:date`` a fixed date. ``mimetype`` is written first and uncompressed,
as the format requires. Kept: everything else, thumbnails and pictures included.

In both zip formats the archive is written again: member order, names, content and compression
method are kept; member timestamps become 1980-01-01, extra fields (which may hold times and a
user id) and comments are dropped. Any other zip is returned untouched, but every zip is refused
when it has too many members, expands to too much, repeats a member name or has a name that
climbs out of the archive (:data:`MAX_ZIP_MEMBERS`, :data:`MAX_ZIP_UNCOMPRESSED_BYTES`).
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)

from protectdesk.attachments.sniff import PDF, ZIP, Kind

#: More members than any real document has; unpacking them all costs time and memory.
MAX_ZIP_MEMBERS = 10_000

#: What a zip may expand to (as its members declare it; zipfile reads no further than that).
MAX_ZIP_UNCOMPRESSED_BYTES = 200_000_000

#: More pages than a report needs; a tiny file can declare a huge page tree.
MAX_PDF_PAGES = 10_000

#: PDF objects visited while looking for metadata, a bound on the CPU one upload may take.
MAX_PDF_OBJECTS = 1_000_000

#: What pypdf (and the parsers under it) raise on malformed files in non-strict mode.
_PDF_ERRORS = (
    PyPdfError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
    OSError,
    AssertionError,  # pypdf asserts some of what it parses
    struct.error,
    zlib.error,
)

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    NotImplementedError,  # a compression method zipfile lacks
    zlib.error,  # corrupt deflate data
)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

#: Annotation subtypes whose /T is the author's name (a widget's /T is a form field's name).
_MARKUP_ANNOTATIONS = frozenset(
    {
        "/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine",
        "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink",
        "/FileAttachment", "/Sound", "/Redact", "/Projection",
    }
)  # fmt: skip
_PDF_DROPPED_KEYS = ("/Metadata", "/PieceInfo")
_ANNOTATION_DROPPED_KEYS = ("/T", "/M", "/CreationDate")

#: JPEG segments kept in images inside a PDF: JFIF (APP0) and Adobe (APP14) affect how colours
#: are decoded; ICC profiles (APP2) are kept by their signature. EXIF/XMP (APP1), IPTC and
#: Photoshop (APP13), comments (COM) and other application segments are dropped.
_JPEG_APP0, _JPEG_APP2, _JPEG_APP14, _JPEG_COM, _JPEG_SOS = 0xE0, 0xE2, 0xEE, 0xFE, 0xDA

_OOXML_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_OOXML_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
_OOXML_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>'
)
#: Relationship types (their last segment) of the property parts, and what replaces them.
_OOXML_PROPERTY_PARTS = {
    "core-properties": _OOXML_CORE,
    "extended-properties": _OOXML_APP,
    "custom-properties": _OOXML_CUSTOM,
}
_OOXML_DEFAULT_PARTS = {
    "docProps/core.xml": _OOXML_CORE,
    "docProps/app.xml": _OOXML_APP,
    "docProps/custom.xml": _OOXML_CUSTOM,
}
_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)
_ODF_SETTINGS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"/>'
)
_ODF_MIMETYPE_PREFIX = b"application/vnd.oasis.opendocument"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
_SML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XL_PERSONS = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
_PML = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_PML_2018 = "{http://schemas.microsoft.com/office/powerpoint/2018/8/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class UncleanableDocument(Exception):
    """A document of a kind we clean that we could not parse (refuse it: say so)."""


def strip_document_metadata(data: bytes, kind: Kind) -> tuple[bytes, bool]:
    """(cleaned bytes, whether it was cleaned). Kinds not handled return (data, False) unchanged.

    Raises :class:`UncleanableDocument` for an encrypted or malformed PDF or zip, or a zip
    over the limits.
    """
    if kind == PDF:
        return _clean_pdf(data), True
    if kind == ZIP:
        return _clean_zip(data)
    return data, False


# PDF


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UncleanableDocument("encrypted PDF")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UncleanableDocument("too many pages")
        # Change the reader's objects before cloning: the writer then copies only what is
        # still referenced, so the dropped streams are not written as orphans.
        if "/Info" in reader.trailer:
            del reader.trailer["/Info"]
        _scrub_pdf_objects(reader.trailer["/Root"])
        writer = PdfWriter(clone_from=reader)
        out = io.BytesIO()
        writer.write(out)
    except UncleanableDocument:
        raise
    except _PDF_ERRORS:
        raise UncleanableDocument("unreadable PDF") from None
    return out.getvalue()


def _scrub_pdf_objects(root: PdfObject) -> None:
    """Walk every object reachable from the catalog, removing metadata where it is found."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject | None] = [root]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            visited += 1
            if visited > MAX_PDF_OBJECTS:
                raise UncleanableDocument("too many PDF objects")
            item = item.get_object()
        if isinstance(item, ArrayObject):
            pending.extend(item)
        elif isinstance(item, DictionaryObject):
            _scrub_pdf_dictionary(item)
            pending.extend(item.values())


def _scrub_pdf_dictionary(item: DictionaryObject) -> None:
    for name in _PDF_DROPPED_KEYS:
        if name in item:
            del item[name]
    if item.get("/Subtype") in _MARKUP_ANNOTATIONS and "/Rect" in item:
        for name in _ANNOTATION_DROPPED_KEYS:
            if name in item:
                del item[name]
    if isinstance(item, StreamObject) and item.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
        cleaned = _strip_jpeg_segments(item._data)
        if cleaned is not None:
            # The base class's set_data stores the encoded bytes as they are; the encoded
            # stream's own set_data only accepts Flate. The writer recomputes /Length.
            StreamObject.set_data(item, cleaned)


def _strip_jpeg_segments(jpeg: bytes) -> bytes | None:
    """The JPEG without its metadata segments, or None when it is not one we can read."""
    if not jpeg.startswith(b"\xff\xd8"):
        return None
    kept = [b"\xff\xd8"]
    position = 2
    while position + 4 <= len(jpeg):
        if jpeg[position] != 0xFF:
            return None
        marker = jpeg[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == _JPEG_SOS:
            kept.append(jpeg[position:])  # the scans: pixels, left as they are
            return b"".join(kept)
        length = int.from_bytes(jpeg[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > len(jpeg):
            return None
        segment = jpeg[position:end]
        application = 0xE0 <= marker <= 0xEF
        if marker == _JPEG_COM or (
            application
            and marker not in (_JPEG_APP0, _JPEG_APP14)
            and not (marker == _JPEG_APP2 and segment[4:16] == b"ICC_PROFILE\x00")
        ):
            pass  # dropped
        else:
            kept.append(segment)
        position = end
    return None


# Zip containers


def _clean_zip(data: bytes) -> tuple[bytes, bool]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise UncleanableDocument("unreadable zip") from None
    with archive:
        members = archive.infolist()
        _check_zip(members)
        names = {member.filename for member in members}
        try:
            if "[Content_Types].xml" in names:
                return _rewrite_zip(archive, members, _ooxml_cleaner(archive, names)), True
            if "mimetype" in names and archive.read("mimetype").startswith(_ODF_MIMETYPE_PREFIX):
                # The format wants mimetype first (and stored): put it there if it was not.
                members.sort(key=lambda member: member.filename != "mimetype")
                return _rewrite_zip(archive, members, _odf_cleaner, stored="mimetype"), True
        except (*_ZIP_ERRORS, RuntimeError):  # RuntimeError: an encrypted member
            raise UncleanableDocument("unreadable zip") from None
    return data, False


def _check_zip(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise UncleanableDocument("too many zip members")
    if sum(member.file_size for member in members) > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise UncleanableDocument("zip expands too much")
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        # Readers differ on which copy they take: one could be cleaned, the other shown.
        raise UncleanableDocument("repeated zip member")
    for name in names:
        if not _safe_member_name(name):
            raise UncleanableDocument("unsafe zip member name")


def _safe_member_name(name: str) -> bool:
    unified = name.replace("\\", "/")
    if not unified or unified.startswith("/") or "\x00" in unified:
        return False
    if ":" in unified.split("/", 1)[0]:  # a drive letter, C:...
        return False
    return ".." not in unified.split("/")


#: A member's bytes, rewritten (or returned as they are) given its name.
_Cleaner = Callable[[str, bytes], bytes]


def _rewrite_zip(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], clean: _Cleaner, stored: str = ""
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as rewritten:
        for member in members:
            content = clean(member.filename, archive.read(member))
            # A new entry: no timestamps, extra fields (times, user ids) or comment carried over.
            entry = zipfile.ZipInfo(member.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = (
                zipfile.ZIP_STORED if member.filename == stored else member.compress_type
            )
            entry.external_attr = member.external_attr
            rewritten.writestr(entry, content)
    return out.getvalue()


def _ooxml_cleaner(archive: zipfile.ZipFile, names: set[str]) -> _Cleaner:
    replacements = dict(_OOXML_DEFAULT_PARTS)
    if "_rels/.rels" in names:
        replacements.update(_property_parts(archive.read("_rels/.rels")))

    def clean(name: str, content: bytes) -> bytes:
        if name in replacements:
            return replacements[name]
        if name.startswith("word/") and name.endswith(".xml"):
            return _rewrite_xml(content, _anonymise_word)
        if name.startswith("xl/") and name.endswith(".xml") and _spreadsheet_people(name):
            return _rewrite_xml(content, _anonymise_spreadsheet)
        if name in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
            return _rewrite_xml(content, _anonymise_presentation)
        return content

    return clean


def _spreadsheet_people(name: str) -> bool:
    """Whether this spreadsheet part names people: comments' authors, threaded comments' persons."""
    # Excel writes xl/comments1.xml, openpyxl xl/comments/comment1.xml.
    return posixpath.basename(name).startswith("comment") or name.startswith("xl/persons/")


def _property_parts(relationships: bytes) -> dict[str, bytes]:
    """Where the package's relationships put its property parts, and their empty versions."""
    parts = {}
    for relationship in _parse_xml(relationships).iter(f"{_RELS}Relationship"):
        replacement = _OOXML_PROPERTY_PARTS.get(relationship.get("Type", "").rsplit("/", 1)[-1])
        target = relationship.get("Target", "")
        if replacement is not None and relationship.get("TargetMode") != "External":
            parts[posixpath.normpath(target.lstrip("/"))] = replacement
    return parts


def _odf_cleaner(name: str, content: bytes) -> bytes:
    if name == "meta.xml":
        return _ODF_META
    if name == "settings.xml":
        return _ODF_SETTINGS
    if name in ("content.xml", "styles.xml"):
        return _rewrite_xml(content, _anonymise_odf)
    return content


# XML parts: parsed with lxml, which keeps prefixes and namespace declarations (Office needs
# them, e.g. for mc:Ignorable); written again only when something was changed.


def _parse_xml(content: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(content, parser)
    except (etree.XMLSyntaxError, ValueError):
        raise UncleanableDocument("unreadable XML part") from None


def _rewrite_xml(content: bytes, anonymise: Callable[[etree._Element], bool]) -> bytes:
    root = _parse_xml(content)
    if not anonymise(root):
        return content
    tree = root.getroottree()
    rewritten: bytes = etree.tostring(
        tree,
        xml_declaration=True,
        encoding=tree.docinfo.encoding or "UTF-8",
        standalone=tree.docinfo.standalone,
    )
    return rewritten


def _replace_attributes(root: etree._Element, replacements: dict[str, str | None]) -> bool:
    """Set (or, for None, remove) these attributes wherever they occur."""
    changed = False
    for element in root.iter(etree.Element):
        for attribute, value in replacements.items():
            if attribute in element.attrib:
                if value is None:
                    del element.attrib[attribute]
                else:
                    element.set(attribute, value)
                changed = True
    return changed


def _anonymise_word(root: etree._Element) -> bool:
    changed = _replace_attributes(
        root,
        {
            f"{_W}author": "Author",
            f"{_W}initials": "A",
            f"{_W}date": None,  # optional on comments and revisions
            f"{_W15}author": "Author",
        },
    )
    for presence in list(root.iter(f"{_W15}presenceInfo")):  # an account id or e-mail
        presence.getparent().remove(presence)
        changed = True
    return changed


def _blank_account(element: etree._Element) -> None:
    """An author's account (a Microsoft or other provider's user id) is as identifying as
    their name: emptied where the part has it."""
    for attribute in ("userId", "providerId"):
        if attribute in element.attrib:
            element.set(attribute, "")


def _anonymise_spreadsheet(root: etree._Element) -> bool:
    changed = False
    for author in root.iter(f"{_SML}author"):
        author.text = "Author"
        changed = True
    for person in root.iter(f"{_XL_PERSONS}person"):
        person.set("displayName", "Author")
        _blank_account(person)
        changed = True
    return changed


def _anonymise_presentation(root: etree._Element) -> bool:
    changed = False
    for author in root.iter(f"{_PML}cmAuthor", f"{_PML_2018}author"):
        author.set("name", "Author")
        author.set("initials", "A")
        _blank_account(author)
        changed = True
    return changed


def _anonymise_odf(root: etree._Element) -> bool:
    changed = False
    for creator in root.iter(f"{_DC}creator"):
        creator.text = "Author"
        changed = True
    for date in root.iter(f"{_DC}date"):
        date.text = "1970-01-01T00:00:00"  # required in change-info: a fixed value, not none
        changed = True
    return changed
