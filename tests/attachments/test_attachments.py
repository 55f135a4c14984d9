"""Encrypted attachments: metadata stripped, never in clear on disk, opened only by members."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from protectdesk.attachments import uploads
from protectdesk.attachments.models import Attachment
from protectdesk.audit.models import AuditEntry
from protectdesk.crypto import stream
from tests.images import GPS_IFD, jpeg_with_exif, png_with_text


def _upload(client, case, name, data, staff_only=False):
    fields = {"record": f"cases.case:{case.id}", "file": SimpleUploadedFile(name, data)}
    if staff_only:
        fields["staff_only"] = "on"
    return client.post(f"/cases/{case.id}/files/", fields, follow=True)


def _download(client, case, attachment):
    return client.get(f"/cases/{case.id}/files/{attachment.id}/")


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _disk_contains(needle: bytes) -> list[str]:
    hits = []
    for path in Path(settings.DATA_DIR).rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            hits.append(str(path))
    return hits


def test_photo_loses_gps_and_all_metadata(desks, signed_in_client):
    original = jpeg_with_exif(description="where it happened")
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_IFD), "the test photo really carries GPS data"
    client = signed_in_client(desks.caseworker)
    page = _upload(client, desks.case, "threat.jpg", original)
    assert b"without its hidden metadata" in page.content
    attachment = Attachment.objects.get(case=desks.case)
    response = _download(client, desks.case, attachment)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename=\"threat.jpg\"; filename*=UTF-8''threat.jpg"
    )
    assert response["Content-Type"] == "image/jpeg"
    data = _content(response)
    assert int(response["Content-Length"]) == len(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (64, 48)
        assert not image.getexif(), "no EXIF at all"
        assert "xmp" not in image.info and "exif" not in image.info
    assert (
        b"where it happened" not in data
        and b"PhoneMaker" not in data
        and b"GPSLatitude" not in data
    )
    # No part of the original is on disk: its EXIF block and its JPEG header are nowhere.
    assert not _disk_contains(b"where it happened")
    assert not _disk_contains(original[:64])


def test_png_text_chunks_are_dropped(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    _upload(client, desks.case, "screen.png", png_with_text("secret comment"))
    data = _content(_download(client, desks.case, Attachment.objects.get(case=desks.case)))
    assert data.startswith(b"\x89PNG") and b"secret comment" not in data and b"xmpmeta" not in data


def test_exif_orientation_is_applied_before_it_is_dropped(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    _upload(client, desks.case, "rotated.jpg", jpeg_with_exif(orientation=6))  # 90° clockwise
    data = _content(_download(client, desks.case, Attachment.objects.get(case=desks.case)))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (48, 64)


def test_large_document_streams_through_encrypted(desks, signed_in_client):
    content = b"%PDF-1.7\n" + os.urandom(300 * 1024) + b"\n%%EOF"
    client = signed_in_client(desks.caseworker)
    _upload(client, desks.case, "court/../decision.pdf", content)
    attachment = Attachment.objects.get(case=desks.case)
    response = _download(client, desks.case, attachment)
    assert _content(response) == content
    assert response["Content-Disposition"].endswith("decision.pdf")  # no path survives
    assert not _disk_contains(content[1000:1064])
    assert not list((Path(settings.DATA_DIR) / "tmp").iterdir()), "no temporary file is left"
    assert AuditEntry.objects.filter(
        action="attachment.downloaded", object_id=str(attachment.id)
    ).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("random.bin", b"\x00\x01\x02\x03" * 100, b"This type of file is not accepted"),
        (
            "IMG_1.heic",
            b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100,
            b"HEIC/HEIF photos cannot be cleaned",
        ),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, b"This image could not be read"),
        ("empty.txt", b"", b"The file is empty"),
    ],
)
def test_refused_files_get_a_clear_message_and_leave_nothing(
    desks, signed_in_client, name, data, message
):
    page = _upload(signed_in_client(desks.caseworker), desks.case, name, data)
    assert message in page.content
    assert not Attachment.objects.exists()
    assert not list((Path(settings.DATA_DIR) / "tmp").iterdir())


def test_size_limits(desks, signed_in_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 500)
    client = signed_in_client(desks.caseworker)
    assert b"larger than" in _upload(client, desks.case, "long.txt", b"a" * 2000).content
    assert (
        b"Reduce the photo"
        in _upload(client, desks.case, "big.jpg", jpeg_with_exif(size=(300, 300))).content
    )
    assert not Attachment.objects.exists()


def test_refusal_in_the_users_language(desks, signed_in_client):
    from django.utils import translation

    from protectdesk.attachments.actions import refusal_message

    client = signed_in_client(desks.caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = _upload(client, desks.case, "random.bin", b"\x00\x01" * 50)
    with translation.override("es"):
        spanish = refusal_message("type")
    with translation.override("en"):
        assert spanish != refusal_message("type"), "the Spanish catalogue has this message"
    assert spanish.encode() in page.content


def test_staff_only_files_are_invisible_to_the_defender(desks, signed_in_client):
    _upload(
        signed_in_client(desks.caseworker),
        desks.case,
        "source-notes.txt",
        b"who told us",
        staff_only=True,
    )
    attachment = Attachment.objects.get(case=desks.case)
    assert attachment.staff_only and attachment.meta_staff and not attachment.meta_shared
    defender = signed_in_client(desks.defender)
    assert b"source-notes.txt" not in defender.get(f"/cases/{desks.case.id}/").content
    assert _download(defender, desks.case, attachment).status_code == 404


def test_defender_sees_shared_files_and_non_members_see_nothing(desks, signed_in_client):
    _upload(
        signed_in_client(desks.caseworker), desks.case, "letter.txt", b"shared with the defender"
    )
    attachment = Attachment.objects.get(case=desks.case)
    assert (
        _content(_download(signed_in_client(desks.defender), desks.case, attachment))
        == b"shared with the defender"
    )
    for outsider in (desks.coordinator, desks.caseworker2, desks.admin):
        assert _download(signed_in_client(outsider), desks.case, attachment).status_code == 404


def _stored(attachment) -> Path:
    return (
        Path(settings.FILES_DIR)
        / str(attachment.case_id)
        / f"{attachment.id}.{attachment.generation}"
    )


def _damage_cases():
    size = stream.CHUNK_SIZE + stream.ABYTES

    def flip_last_chunk(blob):
        blob = bytearray(blob)
        blob[-5] ^= 1
        return bytes(blob)

    def truncate(blob):
        return blob[: stream.HEADER_BYTES + 2 * size]

    def reorder(blob):
        head, body = blob[: stream.HEADER_BYTES], blob[stream.HEADER_BYTES :]
        return head + body[size : 2 * size] + body[:size] + body[2 * size :]

    return [flip_last_chunk, truncate, reorder]


@pytest.mark.parametrize("damage", _damage_cases(), ids=["tampered", "truncated", "reordered"])
def test_damaged_files_fail_clearly_without_any_plaintext(desks, signed_in_client, damage):
    marker = b"PLAINTEXT-MARKER-"
    content = b"%PDF-1.7\n" + marker * 20000  # about 340 KB: several chunks
    client = signed_in_client(desks.caseworker)
    _upload(client, desks.case, "evidence.pdf", content)
    attachment = Attachment.objects.get(case=desks.case)
    path = _stored(attachment)
    path.write_bytes(damage(path.read_bytes()))
    response = _download(client, desks.case, attachment)
    assert response.status_code == 500
    body = response.content
    assert b"failed its integrity check" in body and marker not in body
    assert not AuditEntry.objects.filter(action="attachment.downloaded").exists()


def test_a_file_moved_onto_another_attachment_fails(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    _upload(client, desks.case, "a.txt", b"first file")
    _upload(client, desks.case, "b.txt", b"second file")
    first, second = Attachment.objects.filter(case=desks.case).order_by("created_at")
    _stored(second).write_bytes(_stored(first).read_bytes())
    assert _download(client, desks.case, second).status_code == 500


def test_remove_deletes_the_ciphertext(desks, signed_in_client, django_capture_on_commit_callbacks):
    client = signed_in_client(desks.caseworker)
    _upload(client, desks.case, "a.txt", b"to be removed")
    attachment = Attachment.objects.get(case=desks.case)
    path = _stored(attachment)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{desks.case.id}/files/{attachment.id}/remove/")
    assert not Attachment.objects.exists() and not path.exists()


def test_anonymous_uploads_keep_nothing(desks, client):
    response = client.post(
        f"/cases/{desks.case.id}/files/",
        {"record": "x", "file": SimpleUploadedFile("a.txt", b"anonymous data")},
    )
    assert response.status_code == 302
    assert not _disk_contains(b"anonymous data")
    assert not list((Path(settings.DATA_DIR) / "tmp").iterdir())
