"""The public intake: a person reports without an account, comes back with the receipt, reads
the reply and answers; officers read, reply, open a case, add to a case, close; retention,
throttling, and what the rules refuse."""

import datetime
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from protectdesk.accounts import desk_keys
from protectdesk.attachments.models import Attachment
from protectdesk.cases.actions import DefenderProfile
from protectdesk.crypto import EnvelopeError
from protectdesk.crypto import intake as sealing
from protectdesk.intake import actions, throttle
from protectdesk.intake.models import Part, ReceivedReport, Submission
from tests.conftest import add_user, keyring_of, sign_in
from tests.images import jpeg_with_exif


@pytest.fixture
def door(desks):
    return actions.open_door(actor=desks.coordinator)


def _token(client, desk_id):
    page = client.get(f"/report/{desk_id}/").content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _report(client, desk_id, **fields):
    data = {"what": "They came to the house at night.", "lang": "en", **fields}
    data.setdefault("token", _token(client, desk_id))
    return client.post(f"/report/{desk_id}/", data)


def _receipt_of(response):
    return re.search(
        r'<p class="receipt-code"><strong>([A-Z2-7 ]+)</strong>', response.content.decode()
    ).group(1)


def test_receipts_have_at_least_80_bits_and_parse_as_typed():
    receipt = sealing.new_receipt()
    assert sealing.RECEIPT_BITS >= 80
    assert len(receipt.replace(" ", "")) == sealing.RECEIPT_LENGTH
    assert sealing.normalise(receipt.lower().replace(" ", "-")) == receipt.replace(" ", "")
    assert len({sealing.new_receipt() for _ in range(200)}) == 200
    with pytest.raises(sealing.ReceiptError):
        sealing.normalise(receipt[:-1])


def test_a_sealed_part_opens_only_in_its_place():
    keys = actions.userkeys.generate_keypair()
    submission, part = uuid.uuid4(), uuid.uuid4()
    box = sealing.seal_part(keys.public_key, submission, part, {"text": "hola"})
    assert sealing.open_part(keys.private_key, box, submission, part) == {"text": "hola"}
    with pytest.raises(EnvelopeError):
        sealing.open_part(keys.private_key, box, submission, uuid.uuid4())


def test_a_person_reports_returns_with_the_receipt_reads_the_reply_and_answers(desks, door):
    person = Client()
    response = _report(person, door.desk_id, who="Ana, the community's spokeswoman")
    assert response.status_code == 200
    assert not response.cookies
    receipt = _receipt_of(response)
    submission = Submission.objects.get(desk=desks.desk)
    assert b"They came" not in bytes(submission.parts.get(kind="report").for_desk)

    officer = desks.coordinator
    conversation = actions.read(keyring=keyring_of(officer), submission=submission)
    assert conversation.report["who"] == "Ana, the community's spokeswoman"
    actions.reply(
        actor=officer,
        submission=submission,
        text="We read you. Is it safe to call?",
        expected_version=submission.row_version,
    )

    back = Client()
    page = back.post(f"/report/{door.desk_id}/follow/", {"receipt": receipt.lower(), "lang": "es"})
    assert page.status_code == 200 and not page.cookies
    assert "We read you. Is it safe to call?" in page.content.decode()
    assert 'lang="es"' in page.content.decode()
    answered = back.post(
        f"/report/{door.desk_id}/answer/",
        {"receipt": receipt, "text": "Only after six.", "lang": "en"},
    )
    assert answered.status_code == 200
    assert "Only after six." in answered.content.decode()
    submission.refresh_from_db()
    assert submission.awaiting_desk
    messages = actions.read(keyring=keyring_of(officer), submission=submission).messages
    assert [m.text for m in messages] == ["We read you. Is it safe to call?", "Only after six."]
    assert [m.from_person for m in messages] == [False, True]


def test_nothing_about_the_person_is_kept_in_clear(desks, door):
    _report(Client(), door.desk_id)
    submission = Submission.objects.get()
    assert submission.received_at.minute == 0 and submission.received_at.second == 0
    columns = {f.name for f in Submission._meta.get_fields()}
    assert not columns & {"ip", "address", "user_agent", "language", "receipt"}


def test_files_are_encrypted_and_photos_cleaned(desks, door, settings):
    person = Client()
    photo = SimpleUploadedFile("IMG_1.jpg", jpeg_with_exif(description="at the river"))
    note = SimpleUploadedFile("note.txt", b"the list of names\n" * 20)
    response = _report(person, door.desk_id, files=[photo, note])
    assert response.status_code == 200, response.content.decode()[:2000]
    submission = Submission.objects.get()
    files = list(submission.parts.filter(kind="file"))
    assert len(files) == 2
    for part in files:
        stored = actions.file_path(submission.id, part.id).read_bytes()
        assert b"the list of names" not in stored and b"at the river" not in stored
    conversation = actions.read(keyring=keyring_of(desks.coordinator), submission=submission)
    assert sorted(f.name for f in conversation.files) == ["IMG_1.jpg", "note.txt"]
    assert [f.cleaned for f in conversation.files if f.name == "IMG_1.jpg"] == [True]


def test_an_officer_opens_a_case_from_a_submission(desks, door, django_capture_on_commit_callbacks):
    person = Client()
    note = SimpleUploadedFile("note.txt", b"the list of names\n" * 20)
    receipt = _receipt_of(_report(person, door.desk_id, where="Cobán", files=[note]))
    submission = Submission.objects.get()
    officer = desks.coordinator
    keyring = keyring_of(officer)
    actions.reply(actor=officer, submission=submission, text="Thank you.", expected_version=1)
    submission.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.open_case(
            actor=officer,
            keyring=keyring,
            submission=submission,
            profile=DefenderProfile(kind="individual", country="GT", name="Ana"),
            expected_version=submission.row_version,
        )
    report = ReceivedReport.objects.get(case=case)
    opened = keyring_of(officer).opened(report)
    assert opened.where == "Cobán"
    assert [m["text"] for m in opened.conversation] == ["Thank you."]
    attachment = Attachment.objects.get(case=case)
    assert attachment.staff_only and attachment.record_id == report.id
    assert not submission.parts.filter(kind__in=["report", "file"]).exists()
    # The person still reads the conversation and answers.
    conversation = actions.open_for_person(desk_id=door.desk_id, receipt=receipt)
    assert conversation.report == {} and [m.text for m in conversation.messages] == ["Thank you."]
    actions.answer(desk_id=door.desk_id, receipt=receipt, text="Good.")
    # The file moved, not copied: it opens from the case, and the intake's name is gone.
    assert not list(actions.file_path(submission.id, attachment.id).parent.glob("*"))
    from protectdesk.attachments import queries

    _card, chunks = queries.plaintext(keyring_of(officer), attachment)
    assert b"".join(chunks) == b"the list of names\n" * 20


def test_a_move_that_fails_loses_no_file(desks, door, monkeypatch):
    note = SimpleUploadedFile("note.txt", b"the list of names\n" * 20)
    _report(Client(), door.desk_id, files=[note])
    submission = Submission.objects.get()
    part = submission.parts.get(kind="file")

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(actions, "audit_record", fail)
    with pytest.raises(RuntimeError):
        actions.add_to_case(
            actor=desks.coordinator,
            keyring=keyring_of(desks.coordinator),
            submission=submission,
            case=_coordinators_case(desks),
            expected_version=submission.row_version,
        )
    assert actions.file_path(submission.id, part.id).exists()
    assert submission.parts.filter(kind="file").exists()
    assert not Attachment.objects.filter(pk=part.id).exists()
    from protectdesk.attachments import storage

    assert not list(
        storage.path_for(submission.id, part.id, 1).parents[1].glob(f"*/{part.id}.*")
    ) or (actions.file_path(submission.id, part.id).exists())


def _coordinators_case(desks):
    from protectdesk.cases import actions as case_actions

    return case_actions.open_case(
        actor=desks.coordinator,
        keyring=keyring_of(desks.coordinator),
        profile=DefenderProfile(kind="individual", country="GT", name="Luis"),
    )


def test_adding_to_a_case_needs_its_staff_key(desks, door):
    _report(Client(), door.desk_id)
    submission = Submission.objects.get()
    actions.give_key(keyring=keyring_of(desks.coordinator), user_ids=[desks.caseworker2.pk])
    with pytest.raises(actions.NoCaseAccess):
        actions.add_to_case(
            actor=desks.caseworker2,
            keyring=keyring_of(desks.caseworker2),
            submission=submission,
            case=desks.case,
            expected_version=submission.row_version,
        )
    actions.give_key(keyring=keyring_of(desks.coordinator), user_ids=[desks.caseworker.pk])
    actions.add_to_case(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        submission=submission,
        case=desks.case,
        expected_version=submission.row_version,
    )
    assert ReceivedReport.objects.filter(case=desks.case).count() == 1


def test_only_intake_officers_read(desks, door):
    _report(Client(), door.desk_id)
    submission = Submission.objects.get()
    with pytest.raises(PermissionError):
        actions.read(keyring=keyring_of(desks.caseworker), submission=submission)
    client = Client()
    sign_in(client, desks.caseworker2.login)
    assert client.get(f"/intake/{submission.id}/").status_code == 404
    actions.give_key(keyring=keyring_of(desks.coordinator), user_ids=[desks.caseworker2.pk])
    assert client.get(f"/intake/{submission.id}/").status_code == 200
    # Moved to a role that may not hold it, or deactivated: the key is gone.
    from protectdesk.accounts.actions import desk as desk_actions

    desk_actions.change_role(actor=desks.coordinator, user=desks.caseworker2, role="trainer")
    assert not desk_keys.holds(desks.caseworker2, actions.SECRET)
    actions.give_key(keyring=keyring_of(desks.coordinator), user_ids=[desks.caseworker.pk])
    desk_actions.set_active(actor=desks.coordinator, user=desks.caseworker, active=False)
    assert not desk_keys.holds(desks.caseworker, actions.SECRET)


def test_the_recovery_phrase_makes_a_coordinator_an_officer_again(desks, door):
    other = add_user(desks.coordinator, "coordinator", "coord2@test.example")
    with pytest.raises(actions.IntakeRefused):
        actions.recover_key(actor=other, phrase="AAAAA " * 11)
    actions.recover_key(actor=other, phrase=desks.recovery_phrase)
    assert actions.is_officer(other)
    _report(Client(), door.desk_id)
    assert actions.read(keyring=keyring_of(other), submission=Submission.objects.get()).report


def test_a_form_sent_twice_makes_one_submission(desks, door):
    person = Client()
    token = _token(person, door.desk_id)
    assert _report(person, door.desk_id, token=token).status_code == 200
    again = _report(person, door.desk_id, token=token)
    assert again.status_code == 409
    assert b"sent already" in again.content
    assert Submission.objects.count() == 1


def test_bad_input_gets_clear_messages_and_keeps_the_text(desks, door):
    person = Client()
    empty = _report(person, door.desk_id, what="   ", where="Cobán")
    assert empty.status_code == 400
    assert b"cannot be empty" in empty.content and "Cobán" in empty.content.decode()
    forged = _report(person, door.desk_id, token="forged", where="Cobán")
    assert forged.status_code == 400 and b"could not be checked" in forged.content
    lying = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable pretending" * 10)
    refused = _report(person, door.desk_id, files=[lying], where="Cobán")
    assert refused.status_code == 400
    assert "photo.jpg" in refused.content.decode() and "Cobán" in refused.content.decode()
    assert b"choose them again" in refused.content
    assert Submission.objects.count() == 0


def test_more_files_than_the_form_takes_are_refused_and_the_text_kept(desks, door):
    files = [SimpleUploadedFile(f"n{i}.txt", b"notes " * 20) for i in range(actions.MAX_FILES + 1)]
    page = _report(Client(), door.desk_id, files=files, where="Cobán")
    assert page.status_code == 400
    assert b"Too many files" in page.content and "Cobán" in page.content.decode()
    assert Submission.objects.count() == 0


def test_documents_lose_their_author_and_a_locked_one_is_refused(desks, door):
    import io

    import docx

    marker = "AuthorMarker7Q"
    document = docx.Document()
    document.add_paragraph("the minutes of the assembly")
    document.core_properties.author = marker
    buffer = io.BytesIO()
    document.save(buffer)
    page = _report(
        Client(), door.desk_id, files=[SimpleUploadedFile("acta.docx", buffer.getvalue())]
    )
    assert page.status_code == 200
    submission = Submission.objects.get()
    conversation = actions.read(keyring=keyring_of(desks.coordinator), submission=submission)
    [sent] = conversation.files
    assert sent.cleaned
    opened = actions.open_file(
        keyring=keyring_of(desks.coordinator), submission=submission, part_id=sent.part_id
    )
    from protectdesk.crypto import stream

    with open(opened.path, "rb") as source:
        data = b"".join(stream.decrypt_chunks(opened.key, opened.context, source))
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "the minutes of the assembly"
    assert docx.Document(io.BytesIO(data)).core_properties.author in ("", None)
    from protectdesk.attachments import storage

    leftover = set(storage.temp_dir().iterdir())
    empty = _report(
        Client(), door.desk_id, what="", files=[SimpleUploadedFile("b.docx", buffer.getvalue())]
    )
    assert empty.status_code == 400
    assert set(storage.temp_dir().iterdir()) == leftover  # no cleaned copy left behind
    refused = _report(
        Client(),
        door.desk_id,
        files=[SimpleUploadedFile("x.pdf", b"%PDF-1.7 not really a pdf " * 9)],
    )
    assert refused.status_code == 400 and b"could not be cleaned" in refused.content


def test_a_plain_zip_archive_is_kept_as_it_came(desks, door):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "the names of the witnesses")
    page = _report(
        Client(), door.desk_id, files=[SimpleUploadedFile("notes.zip", buffer.getvalue())]
    )
    assert page.status_code == 200
    submission = Submission.objects.get()
    [sent] = actions.read(keyring=keyring_of(desks.coordinator), submission=submission).files
    assert sent.name == "notes.zip" and not sent.cleaned


def test_a_submission_of_30_mb_is_refused_before_it_is_read(desks, door):
    person = Client()
    big = SimpleUploadedFile(
        "video.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (30 * 1024 * 1024)
    )
    response = _report(person, door.desk_id, files=[big])
    assert response.status_code == 400
    assert b"25" in response.content  # "at most 25 MB" for the one file
    assert Submission.objects.count() == 0


def test_a_request_larger_than_the_limit_gets_the_too_large_page(desks, door):
    from protectdesk.intake.public_views import MAX_REQUEST_BYTES

    response = Client().post(
        f"/report/{door.desk_id}/",
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert b"too large" in response.content


@pytest.fixture
def one_window(monkeypatch):
    """Every count falls in the same windows (a test must not straddle a minute)."""
    fixed = timezone.now().replace(minute=0, second=0, microsecond=0)
    monkeypatch.setattr(throttle, "_window", lambda limit, now: fixed)


def test_receipt_guessing_is_throttled(desks, door, one_window):
    real = _receipt_of(_report(Client(), door.desk_id))
    refused = 0
    later = 0
    for _ in range(10_000):
        try:
            actions.open_for_person(desk_id=door.desk_id, receipt=sealing.new_receipt())
        except actions.TryLater:
            later += 1
        except actions.IntakeRefused:
            refused += 1
    assert refused == throttle.FAILED_LOOKUPS.most
    assert later == 10_000 - throttle.FAILED_LOOKUPS.most
    page = Client().post(f"/report/{door.desk_id}/follow/", {"receipt": sealing.new_receipt()})
    assert page.status_code == 429 and b"try again" in page.content.lower()
    # Bad receipts cannot shut the desk's conversations: a receipt that exists still opens.
    assert actions.open_for_person(desk_id=door.desk_id, receipt=real).report
    assert Client().post(f"/report/{door.desk_id}/follow/", {"receipt": real}).status_code == 200
    # Its counter rows name no submission: they are counted under a value of the receipt.
    submission = Submission.objects.get()
    assert not throttle.Counter.objects.filter(subject=str(submission.id)).exists()


def test_a_counter_row_does_not_outlive_its_window(desks, door):
    _report(Client(), door.desk_id)
    row = throttle.Counter.objects.get(kind="submission")
    assert row.window.minute == 0 and row.window.second == 0
    throttle.Counter.objects.filter(pk=row.pk).update(
        window=row.window - datetime.timedelta(hours=2)
    )
    _report(Client(), door.desk_id)
    assert throttle.Counter.objects.filter(kind="submission").count() == 1
    throttle.Counter.objects.update(window=row.window - datetime.timedelta(hours=2))
    assert throttle.tidy() >= 1
    assert not throttle.Counter.objects.exists()


def test_a_busy_desk_keeps_the_text_of_a_report_it_cannot_take_now(desks, door, one_window):
    throttle.spend(door.desk_id, throttle.SUBMISSIONS, amount=throttle.SUBMISSIONS.most)
    page = _report(Client(), door.desk_id, where="Cobán")
    assert page.status_code == 429
    assert "Cobán" in page.content.decode() and b"Nothing was sent yet" in page.content
    assert Submission.objects.count() == 0


def test_answers_with_one_receipt_are_limited(desks, door, one_window):
    receipt = _receipt_of(_report(Client(), door.desk_id))
    for n in range(throttle.ANSWERS.most):
        actions.answer(desk_id=door.desk_id, receipt=receipt, text=f"message {n}")
    with pytest.raises(actions.TryLater):
        actions.answer(desk_id=door.desk_id, receipt=receipt, text="one more")


def test_retention_destroys_what_it_should(desks, door, django_capture_on_commit_callbacks):
    old = _receipt_of(
        _report(Client(), door.desk_id, files=[SimpleUploadedFile("a.txt", b"evidence " * 30)])
    )
    _report(Client(), door.desk_id)
    stale = Submission.objects.get(lookup=sealing.lookup(old, door.desk_id))
    file_part = stale.parts.get(kind="file")
    path = actions.file_path(stale.id, file_part.id)
    assert path.exists()
    Submission.objects.filter(pk=stale.pk).update(
        active_at=timezone.now() - datetime.timedelta(days=door.retention_days + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.destroy_expired() == 1
    assert not Submission.objects.filter(pk=stale.pk).exists()
    assert not Part.objects.filter(submission_id=stale.pk).exists()
    assert not path.exists()
    assert Submission.objects.count() == 1
    # The person who comes back is told, in words, and what they wrote is on the page.
    page = Client().post(
        f"/report/{door.desk_id}/answer/", {"receipt": old, "text": "Are you there?"}
    )
    assert page.status_code == 410
    assert b"destroyed" in page.content and b"Are you there?" in page.content


def test_a_shorter_retention_and_closing_destroy_sooner(
    desks, door, django_capture_on_commit_callbacks
):
    _report(Client(), door.desk_id)
    submission = Submission.objects.get()
    updated = actions.update_door(
        actor=desks.coordinator, door=door, accepting=True, retention_days=7, expected_version=1
    )
    Submission.objects.update(active_at=timezone.now() - datetime.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.destroy_expired() == 1
    _report(Client(), door.desk_id, files=[SimpleUploadedFile("a.txt", b"evidence " * 30)])
    submission = Submission.objects.get()
    folder = actions.file_path(submission.id, uuid.uuid4()).parent
    assert folder.is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(actor=desks.coordinator, submission=submission, expected_version=1)
    assert not Submission.objects.exists() and not folder.exists()
    from protectdesk.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="intake.closed").get().object_id == str(submission.id)
    with pytest.raises(actions.IntakeRefused):
        actions.update_door(
            actor=desks.coordinator,
            door=updated,
            accepting=True,
            retention_days=1000,
            expected_version=updated.row_version,
        )


def test_a_closed_door_takes_no_report_but_replies_still_open(desks, door):
    receipt = _receipt_of(_report(Client(), door.desk_id))
    actions.update_door(
        actor=desks.coordinator, door=door, accepting=False, retention_days=90, expected_version=1
    )
    assert Client().get(f"/report/{door.desk_id}/").status_code == 503
    assert actions.open_for_person(desk_id=door.desk_id, receipt=receipt).report


def test_an_unknown_desk_has_no_form(desks):
    assert Client().get(f"/report/{uuid.uuid4()}/").status_code == 404
    assert Client().get(f"/report/{desks.desk.id}/").status_code == 404


def test_a_persons_refused_attempts_write_no_log_line():
    import logging

    from protectdesk.lib.logs import RedactFilter

    def record(path, level=logging.WARNING):
        return logging.LogRecord(
            "django.request", level, __file__, 1, "Bad Request: %s", (path,), None
        )

    quiet = RedactFilter()
    assert not quiet.filter(record("/report/6b02ac2f-ed31-406b-b5a7-10f4197d0042/follow/"))
    assert quiet.filter(record("/cases/6b02ac2f-ed31-406b-b5a7-10f4197d0042/"))
    assert quiet.filter(record("/report/6b02ac2f-ed31-406b-b5a7-10f4197d0042/", logging.ERROR))


def test_taking_the_key_from_an_officer_replaces_it(desks, door):
    _report(Client(), door.desk_id, files=[SimpleUploadedFile("a.txt", b"evidence " * 30)])
    submission = Submission.objects.get()
    coordinator = keyring_of(desks.coordinator)
    actions.give_key(keyring=coordinator, user_ids=[desks.caseworker.pk, desks.caseworker2.pk])
    leaving = keyring_of(desks.caseworker2)
    old_secret = leaving.desk_secret(actions.SECRET)
    resealed = actions.take_key(keyring=coordinator, user=desks.caseworker2)
    assert resealed == submission.parts.count() == 2
    assert not actions.is_officer(desks.caseworker2)
    door.refresh_from_db()
    assert bytes(door.public_key) == sealing.intake_public_key(
        keyring_of(desks.caseworker).desk_secret(actions.SECRET)
    )
    # The old key opens nothing stored now; the officers who stay read everything.
    for part in submission.parts.all():
        with pytest.raises(EnvelopeError):
            sealing.open_part(old_secret, bytes(part.for_desk), submission.id, part.id)
    assert actions.read(keyring=keyring_of(desks.caseworker), submission=submission).files
    # New reports are sealed to the new key; the recovery copy follows it.
    _report(Client(), door.desk_id)
    other = add_user(desks.coordinator, "coordinator", "coord3@test.example")
    actions.recover_key(actor=other, phrase=desks.recovery_phrase)
    for found in Submission.objects.all():
        assert actions.read(keyring=keyring_of(other), submission=found).report


def test_only_an_officer_takes_the_key_and_never_from_the_last_one(desks, door):
    other = add_user(desks.coordinator, "coordinator", "coord4@test.example")
    with pytest.raises(actions.IntakeRefused) as refused:
        actions.take_key(keyring=keyring_of(other), user=desks.coordinator)
    assert refused.value.code == "not_officer"
    actions.recover_key(actor=other, phrase=desks.recovery_phrase)
    actions.take_key(keyring=keyring_of(other), user=desks.coordinator)
    with pytest.raises(actions.IntakeRefused) as refused:
        actions.take_key(keyring=keyring_of(other), user=other)
    assert refused.value.code == "last"


def test_an_officers_reply_to_a_destroyed_report_is_given_back(desks, door):
    _report(Client(), door.desk_id)
    submission = Submission.objects.get()
    officer = Client()
    sign_in(officer, desks.coordinator.login)
    actions.close(actor=desks.coordinator, submission=submission, expected_version=1)
    page = officer.post(
        f"/intake/{submission.id}/reply/", {"text": "We can meet on Friday.", "row_version": 1}
    )
    assert page.status_code == 410
    assert b"We can meet on Friday." in page.content and b"was not sent" in page.content
    stranger = Client()
    sign_in(stranger, desks.caseworker.login)  # not an officer: nothing to say
    assert stranger.post(f"/intake/{submission.id}/reply/", {"text": "x"}).status_code == 404


def test_error_pages_of_the_public_form_set_no_cookie_either(desks, door):
    missing = Client().get(f"/report/{uuid.uuid4()}/")
    assert missing.status_code == 404 and not missing.cookies
    assert b"csrfmiddlewaretoken" not in missing.content
    broken = Client().post(
        f"/report/{door.desk_id}/follow/",
        data=b"--xyz\r\nContent-Disposition: form-data; name=receipt\r\n\r\n" + b"A" * (2 << 20),
        content_type="multipart/form-data; boundary=xyz",
    )
    assert broken.status_code == 413 and not broken.cookies
    closed = actions.update_door(
        actor=desks.coordinator, door=door, accepting=False, retention_days=90, expected_version=1
    )
    page = Client().post(
        f"/report/{door.desk_id}/", {"what": "x", "files": SimpleUploadedFile("a.txt", b"a" * 99)}
    )
    assert page.status_code == 503 and not page.cookies and not closed.accepting
    from protectdesk.attachments import storage

    assert not list(storage.temp_dir().glob("*.part"))  # nothing of the body was encrypted
