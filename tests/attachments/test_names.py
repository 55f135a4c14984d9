"""File names: as the user chose them, with the extension their content shows, and downloaded
with a header every browser reads back to the same name."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from protectdesk.attachments import names, sniff
from protectdesk.attachments.models import Attachment
from tests.images import jpeg_with_exif, png_with_text

AWKWARD = 'report "final"; 100% ñ.txt'
#: What a browser writes in the form data for AWKWARD (HTML standard: only `"`, CR, LF escaped).
AWKWARD_ON_THE_WIRE = "report %22final%22; 100% ñ.txt"


def _post_as_a_browser(client, case, wire_name: str, data: bytes):
    """A multipart body exactly as Chromium and Firefox write it (UTF-8 name, `"` as %22)."""
    boundary = "----pdBoundary7MA4YWxkTrZu0gW"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="record"\r\n\r\n'
            f"cases.case:{case.id}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{wire_name}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        f"/cases/{case.id}/files/",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow=True,
    )


def _upload(client, case, name, data):
    return client.post(
        f"/cases/{case.id}/files/",
        {"record": f"cases.case:{case.id}", "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def _name_in(header: str) -> str:
    """The name a browser takes from Content-Disposition: filename* (RFC 5987) when present."""
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert match, header
    return unquote(match.group(1), errors="strict")


def _fallback_in(header: str) -> str:
    match = re.fullmatch(r'attachment; filename="([ !#-\[\]-~]*)"; filename\*=\S+', header)
    assert match, f'the fallback is one quoted string of printable ASCII without " or \\: {header}'
    return match.group(1)


# --- the name the browser sent ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "chosen"),
    [
        (AWKWARD_ON_THE_WIRE, AWKWARD),
        ("100% sure.txt", "100% sure.txt"),  # a lone % is not an escape
        ("50%25.txt", "50%25.txt"),  # nor is any other %xx
        ("two%0Alines.txt", "two\nlines.txt"),
    ],
)
def test_the_form_encoding_of_a_name_is_undone(wire, chosen):
    assert names.from_form(wire) == chosen


def test_a_quote_in_a_name_is_kept_shown_and_downloaded_as_it_was(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    page = _post_as_a_browser(client, desks.case, AWKWARD_ON_THE_WIRE, b"the final report")
    attachment = Attachment.objects.get(case=desks.case)
    links = re.findall(r'<a href="/cases/[^"]+/files/[^"]+/">([^<]*)</a>', page.content.decode())
    assert [html.unescape(link) for link in links] == [AWKWARD], "the list shows the real name"
    assert "%22" not in page.content.decode()
    response = client.get(f"/cases/{desks.case.id}/files/{attachment.id}/")
    header = response["Content-Disposition"]
    assert _name_in(header) == AWKWARD
    assert "%2522" not in header, "not encoded twice"
    assert _fallback_in(header) == "report _final_; 100_ n.txt"


@pytest.mark.parametrize(
    "name",
    [
        AWKWARD,
        'say "no".pdf',
        "a;b=c.txt",
        'back\\slash".txt',
        "Lucía Pérez — 证据.jpg",
        "100%.txt",
    ],
)
def test_the_download_header_carries_any_name(name):
    header = names.content_disposition(name)
    assert _name_in(header) == name
    fallback = _fallback_in(header)
    assert "%" not in fallback, "RFC 6266 D: some readers would take %xx as an escape"
    assert fallback.endswith("." + name.rsplit(".", 1)[-1])


# --- the extension the content shows ----------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "kind", "stored", "claimed"),
    [
        ("photo.jpg", sniff.TEXT, "photo.txt", sniff.JPEG),
        ("photo.JPG", sniff.JPEG, "photo.JPG", None),  # agrees: kept as it is
        ("scan.jpeg", sniff.JPEG, "scan.jpeg", None),
        ("screen.jpg", sniff.PNG, "screen.png", sniff.JPEG),
        ("contract.docx", sniff.PDF, "contract.pdf", sniff.ZIP),
        ("minutes.docx", sniff.ZIP, "minutes.docx", None),
        ("page.html", sniff.TEXT, "page.txt", None),  # would open in a browser as a page
        ("notes", sniff.TEXT, "notes.txt", None),
        ("minutes 12.05.2025", sniff.TEXT, "minutes 12.05.2025.txt", None),
        ("folder/../voice.mp3", sniff.OGG, "voice.ogg", sniff.MP3),
        ("contacts.csv", sniff.TEXT, "contacts.csv", None),
    ],
)
def test_the_stored_extension_is_the_contents(uploaded, kind, stored, claimed):
    name = names.stored_name(uploaded, kind)
    assert name.name == stored
    assert name.claimed == claimed
    assert bool(name.uploaded_as) == (stored != uploaded.rsplit("/", 1)[-1])


def test_a_long_name_keeps_its_extension():
    name = names.stored_name("x" * 300 + ".pdf", sniff.PDF)
    assert len(name.name) == names.MAX_NAME_CHARS and name.name.endswith("x.pdf")
    renamed = names.stored_name("y" * 300 + ".jpg", sniff.TEXT)
    assert len(renamed.name) == names.MAX_NAME_CHARS and renamed.name.endswith("y.txt")


def test_a_text_file_named_like_a_photo_is_stored_as_text_and_the_user_is_told(
    desks, signed_in_client
):
    client = signed_in_client(desks.caseworker)
    page = _upload(client, desks.case, "photo.jpg", b"not a photo at all, just words")
    text = html.unescape(page.content.decode())
    assert "This file is plain text, not a JPEG photo: it is stored as 'photo.txt'." in text
    assert "uploaded as 'photo.jpg'" in text
    attachment = Attachment.objects.get(case=desks.case)
    response = client.get(f"/cases/{desks.case.id}/files/{attachment.id}/")
    assert response["Content-Type"] == "text/plain"
    assert _name_in(response["Content-Disposition"]) == "photo.txt"


def test_a_png_named_jpg_is_cleaned_and_stored_as_png(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    page = _upload(client, desks.case, "screen.jpg", png_with_text("hidden comment"))
    text = html.unescape(page.content.decode())
    assert "This file is a PNG image, not a JPEG photo: it is stored as 'screen.png'." in text
    attachment = Attachment.objects.get(case=desks.case)
    response = client.get(f"/cases/{desks.case.id}/files/{attachment.id}/")
    assert response["Content-Type"] == "image/png"
    assert _name_in(response["Content-Disposition"]) == "screen.png"


def test_a_file_whose_name_agrees_gets_no_notice(desks, signed_in_client):
    page = _upload(signed_in_client(desks.caseworker), desks.case, "threat.jpg", jpeg_with_exif())
    assert b"it is stored as" not in page.content and b"uploaded as" not in page.content


def test_the_name_as_uploaded_survives_a_key_rotation(
    desks, signed_in_client, django_capture_on_commit_callbacks
):
    from protectdesk.attachments.actions import open_attachment
    from protectdesk.records import rotation
    from tests.conftest import keyring_of

    _upload(signed_in_client(desks.caseworker), desks.case, "photo.jpg", b"words, not pixels")
    with django_capture_on_commit_callbacks(execute=True):
        rotation.rotate(
            actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
        )
    attachment = Attachment.objects.get(case=desks.case)
    opened = open_attachment(keyring_of(desks.caseworker), attachment)
    assert attachment.generation == 2
    assert (opened.name, opened.uploaded_as) == ("photo.txt", "photo.jpg")


def test_every_accepted_type_has_its_extensions_and_a_description():
    kinds = {value for value in vars(sniff).values() if isinstance(value, sniff.Kind)}
    assert set(names.EXTENSIONS) == kinds == set(names.DESCRIPTIONS)
    for kind in kinds:
        assert names.EXTENSIONS[kind][0] == kind.extension, "the stored extension comes first"
    every = [ext for exts in names.EXTENSIONS.values() for ext in exts]
    assert len(every) == len(set(every)), "an extension names one type"
