"""A seized server reveals nothing a person sent through the public form (canary scan).

A report goes in through the real form, without an account, with a unique canary in every
field, in a file's name and content, and in a photo's EXIF; an officer replies and the person
answers, each with a canary; then the database at rest (SQLite file and WAL, or pg_dump), the
logs, the temp directories, the data directory (encrypted files) and a backup archive made by
the real command are searched for every encoding of every canary. And an officer reads each
of them back: the scan is not passing because nothing was stored.
"""

import io
import re
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from protectdesk.intake import actions
from protectdesk.intake.models import Submission
from tests import canary as scan
from tests.conftest import keyring_of, sign_in
from tests.images import jpeg_with_exif


@pytest.mark.django_db(transaction=True)
def test_nothing_sent_through_the_form_is_found_at_rest(desks):
    started = time.time()
    door = actions.open_door(actor=desks.coordinator)
    fields = {
        name: scan.canary(f"intake-{name}") for name in ("what", "when", "where", "who", "contact")
    }
    file_name, file_content, exif, reply, answer = (
        scan.canary(k)
        for k in ("intakefilename", "intakefile", "intakeexif", "intakereply", "intakeanswer")
    )
    person = Client()
    form = person.get(f"/report/{door.desk_id}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    sent = person.post(
        f"/report/{door.desk_id}/",
        {
            **fields,
            "token": token,
            "files": [
                SimpleUploadedFile(f"{file_name}.txt", f"list: {file_content} end".encode() * 8),
                SimpleUploadedFile("IMG_2.jpg", jpeg_with_exif(description=exif)),
            ],
        },
    )
    assert sent.status_code == 200, sent.content[:2000]
    receipt = re.search(r'class="receipt-code"><strong>([A-Z2-7 ]+)<', sent.content.decode()).group(
        1
    )

    officer = Client()
    sign_in(officer, desks.coordinator.login)
    submission = Submission.objects.get()
    page = officer.get(f"/intake/{submission.id}/")
    assert page.status_code == 200
    assert all(value in page.content.decode() for value in fields.values())
    assert file_name in page.content.decode()
    posted = officer.post(
        f"/intake/{submission.id}/reply/", {"text": reply, "row_version": submission.row_version}
    )
    assert posted.status_code == 302
    answered = Client().post(
        f"/report/{door.desk_id}/answer/", {"receipt": receipt, "text": answer}
    )
    assert answered.status_code == 200 and reply in answered.content.decode()

    # An officer reads every canary back, file content included.
    conversation = actions.read(keyring=keyring_of(desks.coordinator), submission=submission)
    assert conversation.report == fields
    assert [m.text for m in conversation.messages] == [reply, answer]
    text_file = next(f for f in conversation.files if f.name.startswith(file_name))
    download = officer.get(f"/intake/{submission.id}/files/{text_file.part_id}/")
    assert file_content.encode() in b"".join(download.streaming_content)

    # The photo was cleaned before it was encrypted: its EXIF is gone from the file itself.
    photo = next(f for f in conversation.files if f.name == "IMG_2.jpg")
    assert photo.cleaned
    image = officer.get(f"/intake/{submission.id}/files/{photo.part_id}/")
    assert exif.encode() not in b"".join(image.streaming_content)

    canaries = [
        *fields.values(),
        file_name,
        file_content,
        exif,
        reply,
        answer,
        receipt.replace(" ", ""),
    ]
    archive = Path(settings.DATA_DIR) / "intake-canary.pdbackup"
    call_command("backup", output=str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert archive.stat().st_size > 1000
    connection.close()
    places = {
        **scan.database_at_rest(),
        **scan.log_files(),
        **scan.files_under(Path(tempfile.gettempdir()), started),
        **scan.files_under(Path(settings.DATA_DIR), 0),
    }
    leaks = {where: found for where, blob in places.items() if (found := scan.find(canaries, blob))}
    assert not leaks, f"identifying data found at rest: {leaks}"
