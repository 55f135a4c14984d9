"""Document cleaning: authors, editors, dates and property parts are gone; content is kept."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from protectdesk.attachments import sniff
from protectdesk.attachments.documents import UncleanableDocument, strip_document_metadata
from tests.images import jpeg_with_exif

MARKER = "ZyxAnonymousReporter4711"  # letters and digits: PDF writes them unescaped

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODF_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _assert_marker_absent_from_every_member(data: bytes) -> None:
    leaking = [name for name, content in _members(data).items() if MARKER.encode() in content]
    assert leaking == []


def _docx_with_marker() -> bytes:
    document = docx.Document()
    document.add_paragraph("What happened on Tuesday")
    properties = document.core_properties
    properties.author = MARKER
    properties.last_modified_by = MARKER
    properties.comments = MARKER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def test_docx_loses_its_author_and_keeps_its_text():
    original = _docx_with_marker()
    assert any(MARKER.encode() in content for content in _members(original).values())

    cleaned, was_cleaned = strip_document_metadata(original, sniff.ZIP)

    assert was_cleaned
    _assert_marker_absent_from_every_member(cleaned)
    reopened = docx.Document(io.BytesIO(cleaned))
    assert [p.text for p in reopened.paragraphs] == ["What happened on Tuesday"]
    assert reopened.core_properties.author == ""
    assert reopened.core_properties.last_modified_by == ""


def test_docx_keeps_member_order_and_other_members_content():
    original = _docx_with_marker()
    cleaned, _ = strip_document_metadata(original, sniff.ZIP)
    before, after = _members(original), _members(cleaned)
    assert list(after) == list(before)
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"docProps/core.xml", "docProps/app.xml"}
    assert after["word/document.xml"] == before["word/document.xml"]
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        for entry in archive.infolist():
            assert entry.date_time == (1980, 1, 1, 0, 0, 0)
            assert entry.extra == b""


def test_docx_comment_and_tracked_change_authors_are_replaced():
    original = _docx_with_marker()
    members = _members(original)
    document_xml = members["word/document.xml"].replace(
        b"<w:p>",
        f'<w:p><w:ins w:id="1" w:author="{MARKER}" w:date="2026-01-01T10:00:00Z"><w:r><w:t>x'
        "</w:t></w:r></w:ins>".encode(),
        1,
    )
    assert MARKER.encode() in document_xml
    comments = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="{W_NS}">'
        f'<w:comment w:id="0" w:author="{MARKER}" w:initials="ZA" w:date="2026-01-01T10:00:00Z">'
        "<w:p><w:r><w:t>a comment</w:t></w:r></w:p></w:comment></w:comments>"
    ).encode()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, document_xml if name == "word/document.xml" else content)
        archive.writestr("word/comments.xml", comments)

    cleaned, _ = strip_document_metadata(rebuilt.getvalue(), sniff.ZIP)

    _assert_marker_absent_from_every_member(cleaned)
    after = _members(cleaned)
    assert b'w:author="Author"' in after["word/comments.xml"]
    assert b"a comment" in after["word/comments.xml"]
    assert b"2026-01-01" not in after["word/document.xml"]
    assert "What happened on Tuesday" in docx.Document(io.BytesIO(cleaned)).paragraphs[-1].text


def test_docx_custom_properties_part_is_emptied():
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
        f"<vt:lpwstr>{MARKER}</vt:lpwstr></property></Properties>"
    ).encode()
    original = _add_member(_docx_with_marker(), "docProps/custom.xml", custom)
    cleaned, _ = strip_document_metadata(original, sniff.ZIP)
    _assert_marker_absent_from_every_member(cleaned)
    assert b"<Properties" in _members(cleaned)["docProps/custom.xml"]


def test_xlsx_loses_its_creator_and_keeps_its_cells():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "incident"
    workbook.properties.creator = MARKER
    workbook.properties.lastModifiedBy = MARKER
    out = io.BytesIO()
    workbook.save(out)
    assert any(MARKER.encode() in content for content in _members(out.getvalue()).values())

    cleaned, was_cleaned = strip_document_metadata(out.getvalue(), sniff.ZIP)

    assert was_cleaned
    _assert_marker_absent_from_every_member(cleaned)
    reopened = openpyxl.load_workbook(io.BytesIO(cleaned))
    assert reopened.active["A1"].value == "incident"
    assert reopened.properties.creator != MARKER


def test_xlsx_comment_authors_are_replaced():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "incident"
    workbook.active["A1"].comment = openpyxl.comments.Comment("check this", author=MARKER)
    out = io.BytesIO()
    workbook.save(out)
    assert any(MARKER.encode() in content for content in _members(out.getvalue()).values())

    cleaned, _ = strip_document_metadata(out.getvalue(), sniff.ZIP)

    _assert_marker_absent_from_every_member(cleaned)
    comment = openpyxl.load_workbook(io.BytesIO(cleaned)).active["A1"].comment
    assert comment.author == "Author"
    assert "check this" in comment.text


def _odt(meta_first: bool = False) -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="{office}" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
        f"<meta:initial-creator>{MARKER}</meta:initial-creator><dc:creator>{MARKER}</dc:creator>"
        "</office:meta></office:document-meta>"
    ).encode()
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:body>'
        "<office:text><text:p>The report<office:annotation>"
        f"<dc:creator>{MARKER}</dc:creator><dc:date>2026-01-01T10:00:00</dc:date>"
        "<text:p>note</text:p></office:annotation></text:p></office:text></office:body>"
        "</office:document-content>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if meta_first:
            archive.writestr("meta.xml", meta)
        archive.writestr(zipfile.ZipInfo("mimetype"), ODF_MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        if not meta_first:
            archive.writestr("meta.xml", meta)
    return out.getvalue()


@pytest.mark.parametrize("meta_first", [False, True])
def test_odt_loses_its_meta_and_keeps_mimetype_first_and_stored(meta_first):
    original = _odt(meta_first)
    assert any(MARKER.encode() in content for content in _members(original).values())

    cleaned, was_cleaned = strip_document_metadata(original, sniff.ZIP)

    assert was_cleaned
    _assert_marker_absent_from_every_member(cleaned)
    assert cleaned[30:38] == b"mimetype"  # the first local header's name, read by file(1)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == ODF_MIMETYPE
        assert b"<office:meta/>" in archive.read("meta.xml")
        assert b"The report" in archive.read("content.xml")


def _pdf_with_marker(encrypt: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": MARKER, "/Producer": MARKER})
    xmp = DecodedStreamObject()
    xmp.set_data(f"<x:xmpmeta><dc:creator>{MARKER}</dc:creator></x:xmpmeta>".encode())
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    page_piece = DictionaryObject({NameObject("/Private"): DictionaryObject()})
    writer.pages[0][NameObject("/PieceInfo")] = page_piece
    if encrypt:
        writer.encrypt(user_password="", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_loses_info_and_xmp_and_keeps_its_page():
    original = _pdf_with_marker()
    assert original.count(MARKER.encode()) == 3

    cleaned, was_cleaned = strip_document_metadata(original, sniff.PDF)

    assert was_cleaned
    assert MARKER.encode() not in cleaned
    reader = PdfReader(io.BytesIO(cleaned))
    assert len(reader.pages) == 1
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert "/PieceInfo" not in reader.pages[0]


def test_pdf_annotation_author_is_removed():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    note = Text(rect=(10, 10, 30, 30), text="see here")
    note[NameObject("/T")] = TextStringObject(MARKER)
    writer.add_annotation(page_number=0, annotation=note)
    out = io.BytesIO()
    writer.write(out)
    assert MARKER.encode() in out.getvalue()

    cleaned, _ = strip_document_metadata(out.getvalue(), sniff.PDF)

    assert MARKER.encode() not in cleaned
    annotations = PdfReader(io.BytesIO(cleaned)).pages[0]["/Annots"]
    assert annotations[0].get_object()["/Contents"] == "see here"


def test_encrypted_pdf_is_refused():
    with pytest.raises(UncleanableDocument):
        strip_document_metadata(_pdf_with_marker(encrypt=True), sniff.PDF)


def test_garbage_claimed_as_pdf_is_refused():
    with pytest.raises(UncleanableDocument):
        strip_document_metadata(b"%PDF-1.7\n" + bytes(range(256)) * 20, sniff.PDF)


def test_plain_zip_is_returned_untouched():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", MARKER)
    cleaned, was_cleaned = strip_document_metadata(out.getvalue(), sniff.ZIP)
    assert (cleaned, was_cleaned) == (out.getvalue(), False)


def test_other_kinds_are_returned_untouched():
    assert strip_document_metadata(b"hello", sniff.TEXT) == (b"hello", False)


def test_zip_with_too_many_members_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"{number}.txt", b"")
    with pytest.raises(UncleanableDocument):
        strip_document_metadata(out.getvalue(), sniff.ZIP)


def test_zip_that_expands_too_much_is_refused():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(201):
            member.write(bytes(1_000_000))
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(UncleanableDocument):
        strip_document_metadata(out.getvalue(), sniff.ZIP)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../b", "C:\\x", "a\\..\\b"])
def test_zip_with_a_climbing_member_name_is_refused(name):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(zipfile.ZipInfo(name), b"x")
    with pytest.raises(UncleanableDocument):
        strip_document_metadata(out.getvalue(), sniff.ZIP)


def test_broken_zip_is_refused():
    with pytest.raises(UncleanableDocument):
        strip_document_metadata(b"PK\x03\x04" + bytes(100), sniff.ZIP)


def test_pdf_photo_loses_its_exif_and_keeps_its_pixels():
    photo = jpeg_with_exif(description=MARKER)
    assert MARKER.encode() in photo
    writer = PdfWriter()
    page = writer.add_blank_page(width=64, height=48)
    image = EncodedStreamObject()
    image._data = photo  # already encoded: DCTDecode streams are JPEG files
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(64),
            NameObject("/Height"): NumberObject(48),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    out = io.BytesIO()
    writer.write(out)
    assert MARKER.encode() in out.getvalue()

    cleaned, _ = strip_document_metadata(out.getvalue(), sniff.PDF)

    assert MARKER.encode() not in cleaned
    assert b"PhoneMaker" not in cleaned
    stream = PdfReader(io.BytesIO(cleaned)).pages[0]["/Resources"]["/XObject"]["/Im0"]
    with Image.open(io.BytesIO(stream.get_object()._data)) as reopened:
        assert reopened.size == (64, 48)
        assert reopened.getexif() == {}
        reopened.load()
