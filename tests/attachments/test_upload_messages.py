"""What an upload tells the user is shown in the files section, where the redirect lands
(``#attachments``), not in the page-wide list far above it."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages.storage.base import Message
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from protectdesk.attachments.templatetags.placed_messages import page_wide, placed_at, placed_tag
from tests.incidents.helpers import log_incident_with


def _post(client, case, record_key, name, data):
    return client.post(
        f"/cases/{case.id}/files/",
        {"record": record_key, "file": SimpleUploadedFile(name, data)},
    )


def _page_wide_list(page: str) -> str:
    """The page-wide messages (base.html), between the start of <main> and the content."""
    match = re.search(
        r'<main id="main"[^>]*>\s*(<div role="status"><ul class="messages">.*?</ul></div>)?',
        page,
        re.S,
    )
    assert match
    return match.group(1) or ""


def _section(page: str) -> str:
    start = page.index('<section aria-labelledby="h-attachments" id="attachments">')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "The file is empty."),
        ("random.bin", b"\x00\x01\x02\x03" * 40, "This type of file is not accepted."),
    ],
)
def test_a_refusal_is_an_alert_in_the_files_section_linking_to_the_field(
    desks, signed_in_client, name, data, message
):
    client = signed_in_client(desks.caseworker)
    record_key = f"cases.case:{desks.case.id}"
    response = _post(client, desks.case, record_key, name, data)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{desks.case.id}/#attachments"
    page = client.get(response["Location"]).content.decode()
    section = _section(page)
    field_id = f"id_file_{slugify(record_key)}"
    alert = re.search(
        r'<div class="error-summary"[^>]* role="alert"[^>]*>(.*?)</div>', section, re.S
    )
    assert alert, "an alert box in the files section"
    assert "The file was not stored" in alert.group(1)
    link = re.search(r'<a href="#([^"]+)">([^<]*)</a>', alert.group(1))
    assert link and link.group(1) == field_id, "the summary links to the file field"
    assert link.group(2).startswith(f"Add a file: {message}"), "names the field, says what is wrong"
    field = re.search(rf'<input type="file"[^>]*id="{field_id}"[^>]*>', section)
    assert field and 'aria-invalid="true"' in field.group(0)
    error_id = f"error_file_{slugify(record_key)}"
    assert f'aria-describedby="{error_id} ' in field.group(0)
    assert re.search(rf'<p class="error" id="{error_id}">.*{re.escape(message)}.*</p>', section)
    assert message not in _page_wide_list(page), "not also at the top, off-screen"
    # Shown once: the next visit is clean.
    assert message not in client.get(response["Location"]).content.decode()


def test_a_stored_file_is_confirmed_in_the_files_section(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    response = _post(client, desks.case, f"cases.case:{desks.case.id}", "a.txt", b"words")
    page = client.get(response["Location"]).content.decode()
    assert re.search(
        r'<div role="status"><ul class="messages"><li class="success">The file is stored, encrypted.</li>',
        _section(page),
    )
    assert "The file is stored" not in _page_wide_list(page)
    assert 'role="alert"' not in _section(page)


def test_on_an_incident_page_the_message_is_in_that_records_section(desks, signed_in_client):
    incident = log_incident_with(desks.caseworker, desks.case, title="Car outside the office")
    client = signed_in_client(desks.caseworker)
    record_key = f"incidents.incident:{incident.id}"
    response = _post(client, desks.case, record_key, "empty.txt", b"")
    assert response["Location"] == f"/cases/{desks.case.id}/incidents/{incident.id}/#attachments"
    section = _section(client.get(response["Location"]).content.decode())
    assert "The file is empty." in section
    assert f'href="#id_file_{slugify(record_key)}"' in section


def test_a_removal_is_confirmed_in_the_files_section(desks, signed_in_client):
    from protectdesk.attachments.models import Attachment

    client = signed_in_client(desks.caseworker)
    _post(client, desks.case, f"cases.case:{desks.case.id}", "a.txt", b"words")
    client.get(f"/cases/{desks.case.id}/")  # the upload's message is read
    attachment = Attachment.objects.get(case=desks.case)
    response = client.post(f"/cases/{desks.case.id}/files/{attachment.id}/remove/")
    page = client.get(response["Location"]).content.decode()
    assert "The file is removed." in _section(page)
    assert "The file is removed." not in _page_wide_list(page)


def test_messages_nobody_placed_stay_in_the_page_wide_list():
    plain = Message(25, "Saved.")
    placed = Message(40, "The file is empty.", extra_tags=placed_tag("files:cases.case:1"))
    other = Message(40, "Elsewhere.", extra_tags=placed_tag("files:cases.case:2"))
    assert page_wide([plain, placed, other]) == [plain]
    assert placed_at([plain, placed, other], "files:cases.case:1") == [placed]
    with pytest.raises(ValueError, match="one word"):
        placed_tag("two words")


def test_a_page_wide_message_still_shows_at_the_top(desks, client):
    # Signing out leaves a message for the sign-in page (no files section there).
    from tests.conftest import sign_in

    sign_in(client, desks.caseworker.login)
    response = client.post("/logout/", follow=True)
    page = response.content.decode()
    listed = _page_wide_list(page)
    assert listed and "<li" in listed
