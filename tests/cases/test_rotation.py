"""Key rotation: everything re-encrypted, old keys destroyed, resumable after being killed."""

import base64
import signal

import pytest
from django.conf import settings

from protectdesk.attachments.models import Attachment
from protectdesk.cases import actions
from protectdesk.cases.models import Defender
from protectdesk.crypto import envelope
from protectdesk.records import rotation
from protectdesk.records.fields import identifying_fields
from protectdesk.records.models import Case, CaseKeyBox, CaseRotation, SearchToken
from tests.cli import fresh_command_line
from tests.conftest import keyring_of, make_attachment


def _envelope_versions(case):
    versions = set()
    for model, field in identifying_fields():
        records = (
            Case.compartments.filter(pk=case.pk)
            if model is Case
            else model.objects.filter(case=case)
        )
        for record in records:
            blob = getattr(record, field.attname)
            if blob is not None:
                versions.add(envelope.parse(bytes(blob)).key_version)
    return versions


def test_rotation_re_encrypts_everything_and_destroys_the_old_keys(
    desks, signed_in_client, django_capture_on_commit_callbacks
):
    case = desks.case
    make_attachment(desks.caseworker, case, b"photo of the car", "car.txt")
    make_attachment(desks.caseworker, case, b"who told us", "source.txt", staff_only=True)
    actions.add_member(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=case,
        user=desks.caseworker2,
    )
    old_files = {
        a.id: (
            a.generation,
            base64.b64decode(keyring_of(desks.caseworker).open_value(a, a.meta_field)["key"]),
        )
        for a in Attachment.objects.filter(case=case)
    }
    assert _envelope_versions(case) == {1}

    client = signed_in_client(desks.caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.id}/rotate/", follow=True)
    assert b"The case has new keys" in response.content

    case.refresh_from_db()
    assert case.key_version == 2
    assert _envelope_versions(case) == {2}
    assert set(CaseKeyBox.objects.filter(case=case).values_list("version", flat=True)) == {2}
    assert set(SearchToken.objects.filter(case=case).values_list("key_version", flat=True)) == {2}
    assert CaseRotation.objects.get(case=case).finished_at is not None
    # Files: new generation, new key; the old ciphertext is gone from the disk.
    for attachment in Attachment.objects.filter(case=case):
        old_generation, old_key = old_files[attachment.id]
        assert attachment.generation == old_generation + 1
        new_key = base64.b64decode(
            keyring_of(desks.caseworker).open_value(attachment, attachment.meta_field)["key"]
        )
        assert new_key != old_key
        folder = settings.FILES_DIR / str(case.id)
        assert not (folder / f"{attachment.id}.{old_generation}").exists()
        assert (folder / f"{attachment.id}.{attachment.generation}").exists()

    # Everyone keeps access; the defender still only to the shared key.
    page = client.get(f"/cases/{case.id}/")
    assert b"Ana Test Defender" in page.content and b"Internal assessment" in page.content
    assert signed_in_client(desks.caseworker2).get(f"/cases/{case.id}/").status_code == 200
    defender = signed_in_client(desks.defender)
    assert b"Ana Test Defender" in defender.get(f"/cases/{case.id}/").content
    assert set(
        CaseKeyBox.objects.filter(case=case, recipient=desks.defender).values_list(
            "purpose", flat=True
        )
    ) == {1}
    shared_file = Attachment.objects.get(case=case, staff_only=False)
    download = defender.get(f"/cases/{case.id}/files/{shared_file.id}/")
    assert b"".join(download.streaming_content) == b"photo of the car"
    # Search works with the new search key.
    assert b"Ana Test Defender" in client.post("/search/", {"query": "internal assessment"}).content


def test_recovery_still_works_after_rotation(desks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rotation.rotate(
            actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
        )
    from protectdesk.accounts import actions as account_actions

    invitation, token = account_actions.invite(
        actor=desks.coordinator,
        role="caseworker",
        login=desks.caseworker.login,
        user=desks.caseworker,
    )
    account_actions.accept_invitation(
        invitation=invitation, token=token, password="after rotation passphrase", display_name="C"
    )
    actions.restore_access(
        actor=desks.coordinator, phrase=desks.recovery_phrase, user=desks.caseworker
    )
    keyring = keyring_of(desks.caseworker, "after rotation passphrase")
    assert keyring.opened(Defender.objects.get(case=desks.case)).name == "Ana Test Defender"


def test_edits_during_a_rotation_are_not_lost(desks):
    keyring = keyring_of(desks.caseworker)
    started = rotation.start(actor=desks.caseworker, keyring=keyring, case=desks.case)
    case = Case.objects.get(pk=desks.case.pk)
    # A colleague saves new notes after the switch, before the record is converted.
    actions.update_staff_notes(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=case,
        notes="written mid-rotation",
        expected_version=case.row_version,
    )
    rotation.resume(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), rotation=started, batch_size=1
    )
    assert (
        keyring_of(desks.caseworker).opened(Case.objects.get(pk=case.pk)).staff_notes
        == "written mid-rotation"
    )


def test_only_staff_members_rotate(desks):
    with pytest.raises(actions.NoCaseAccess):
        rotation.start(actor=desks.defender, keyring=keyring_of(desks.defender), case=desks.case)
    with pytest.raises(actions.NoCaseAccess):
        rotation.start(
            actor=desks.coordinator, keyring=keyring_of(desks.coordinator), case=desks.case
        )


@pytest.fixture
def cli(tmp_path, db):
    yield from fresh_command_line(tmp_path)


CHECK_CASE = r"""
from protectdesk.accounts.models import User
from protectdesk.records.keyring import Keyring
from protectdesk.cases.models import Defender
from protectdesk.records.models import Case, CaseKeyBox
from protectdesk.crypto import userkeys
from protectdesk.search import queries
user = User.objects.get(login="caseworker@demo.example")
ring = Keyring(user, userkeys.open_private_key(bytes(user.sealed_private_key), "protect-demo-2026", str(user.id)))
case = Case.objects.get(reference="GT-{year}-0003")
print("NAME", ring.opened(Defender.objects.get(case=case)).name)
print("VERSIONS", sorted(set(CaseKeyBox.objects.filter(case=case).values_list("version", flat=True))))
print("FOUND", queries.search(ring, "relocation smear").total)
"""


def test_a_killed_rotation_resumes_and_finishes(cli, tmp_path):
    import datetime

    year = datetime.date.today().year
    cli.run("migrate", "--noinput")
    cli.run("demo")
    password = tmp_path / "pw"
    password.write_text("protect-demo-2026\n")
    args = [
        "rotate",
        "--case",
        f"GT-{year}-0003",
        "--as",
        "caseworker@demo.example",
        "--password-file",
        str(password),
        "--batch-size",
        "1",
    ]
    process = cli.popen(*args, extra_env={"PROTECTDESK_ROTATE_PAUSE_AFTER_BATCHES": "2"})
    for line in process.stdout:
        if line.strip() == "PAUSED":
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    mid = cli.run("shell", "-c", CHECK_CASE.replace("{year}", str(year))).stdout
    assert (
        "NAME María Fernanda Coj (fictional)" in mid and "VERSIONS [1, 2]" in mid
    )  # readable mid-way
    resumed = cli.run(*args)
    assert "Resuming the key rotation" in resumed.stdout and "old keys destroyed" in resumed.stdout
    after = cli.run("shell", "-c", CHECK_CASE.replace("{year}", str(year))).stdout
    assert (
        "NAME María Fernanda Coj (fictional)" in after
        and "VERSIONS [2]" in after
        and "FOUND 1" in after
    )
    assert cli.run("audit", "verify").returncode == 0


def test_rotation_never_hands_keys_to_a_re_invited_or_deactivated_member(
    desks, django_capture_on_commit_callbacks
):
    """Review H1/M2: a coordinator re-invites a member and accepts the link with a password of
    their own; a rotation must not seal the new keys to that account (nor to a deactivated one)."""
    from protectdesk.accounts import actions as account_actions

    keyring = keyring_of(desks.caseworker)
    actions.add_member(
        actor=desks.caseworker, keyring=keyring, case=desks.case, user=desks.caseworker2
    )
    actions.add_member(actor=desks.caseworker, keyring=keyring, case=desks.case, user=desks.admin)
    invitation, token = account_actions.invite(
        actor=desks.coordinator,
        role="caseworker",
        login=desks.caseworker2.login,
        user=desks.caseworker2,
    )
    account_actions.accept_invitation(
        invitation=invitation, token=token, password="coordinator's own password", display_name="x"
    )
    account_actions.set_active(actor=desks.coordinator, user=desks.admin, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        rotation.rotate(
            actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
        )
    assert not CaseKeyBox.objects.filter(case=desks.case, recipient=desks.caseworker2).exists()
    assert not CaseKeyBox.objects.filter(case=desks.case, recipient=desks.admin).exists()
    assert not keyring_of(desks.caseworker2, "coordinator's own password").can_open(desks.case.id)
    # The legitimate way back stays open: the recovery phrase.
    actions.restore_access(
        actor=desks.coordinator, phrase=desks.recovery_phrase, user=desks.caseworker2
    )
    assert keyring_of(desks.caseworker2, "coordinator's own password").can_open(desks.case.id)


def compartment_workshop(compartment):
    from protectdesk.training.models import Workshop

    return Workshop.objects.get(case=compartment)


def test_rotation_re_seals_every_registered_module_record(
    desks, signed_in_client, django_capture_on_commit_callbacks
):
    """Every module's records (the threats map, assessments and their kept versions, …),
    filled through the modules' own canary writers, come out under the new keys and readable."""
    from protectdesk.records import registry
    from tests import canary as scan

    planted = {}
    for model, field in identifying_fields():
        planted.setdefault(model._meta.label, {})[field.name] = scan.canary(field.name)
    keyring = keyring_of(desks.caseworker)
    written = {}  # model label → the compartment its writer filled (a workshop has its own)
    for writer in set(registry.CANARY_WRITERS.values()):
        compartment = writer(desks.caseworker, keyring, desks.case, planted) or desks.case
        written.update(
            {label: compartment for label, w in registry.CANARY_WRITERS.items() if w is writer}
        )
    compartments = set(written.values())
    assert len(compartments) == 3
    assert all(_envelope_versions(c) == {1} for c in compartments)

    client = signed_in_client(desks.caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{desks.case.id}/rotate/")
        for compartment in compartments - {desks.case}:  # a workshop, the partner directory
            if compartment.kind == "workshop":
                url = f"/training/{compartment_workshop(compartment).id}/rotate/"
            else:
                url = "/partners/rotate/"
            assert client.post(url).status_code == 302, url
    assert all(_envelope_versions(c) == {2} for c in compartments)

    keyring = keyring_of(desks.caseworker)
    for label in registry.CANARY_WRITERS:
        if label.lower() not in registry.TYPES:
            continue  # a writer that fills other modules' records (imports: a sheet imported)
        model = registry.TYPES[label.lower()].model
        opened = " ".join(
            str(getattr(keyring.opened(record), field.name))
            for record in model.objects.filter(case=written[label])
            for m, field in identifying_fields()
            if m is model
        )
        for value in planted[label].values():
            assert value in opened, (label, value)
    # Searchable words of the module records are found with the new search key.
    word = planted["threats.ThreatAssessment"]["rationale"]
    assert b"1 result" in client.post("/search/", {"query": word}).content
