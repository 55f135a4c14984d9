"""Edges of the one write path found in review: damaged values and writes racing a rotation."""

from __future__ import annotations

from protectdesk.cases import actions
from protectdesk.cases.models import Defender
from protectdesk.crypto import envelope
from protectdesk.records import rotation
from protectdesk.records.models import Case, DamagedRecord
from tests.conftest import keyring_of


def _flip_aliases(desks) -> bytes:
    blob = bytearray(Defender.objects.get(case=desks.case).aliases)
    blob[-1] ^= 1
    Defender.objects.filter(case=desks.case).update(aliases=bytes(blob))
    return bytes(blob)


def test_a_damaged_value_is_offered_empty_and_an_empty_save_keeps_it_for_restore(
    desks, signed_in_client
):
    damaged = _flip_aliases(desks)
    client = signed_in_client(desks.caseworker)
    assert client.get(f"/cases/{desks.case.id}/").status_code == 200  # reports the damage
    page = client.get(f"/cases/{desks.case.id}/profile/").content.decode()
    assert "restore this record from a backup" not in page  # not offered as the text to save
    defender = Defender.objects.get(case=desks.case)
    actions.update_defender(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        profile=actions.DefenderProfile(kind="individual", country="GT", name="Ana Test Defender"),
        expected_version=defender.row_version,
    )
    assert bytes(Defender.objects.get(case=desks.case).aliases) == damaged
    assert DamagedRecord.objects.filter(field="aliases").exists()


def test_a_value_typed_again_replaces_the_damage(desks, signed_in_client):
    _flip_aliases(desks)
    signed_in_client(desks.caseworker).get(f"/cases/{desks.case.id}/")
    defender = Defender.objects.get(case=desks.case)
    actions.update_defender(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        profile=actions.DefenderProfile(
            kind="individual", country="GT", name="Ana Test Defender", aliases="Ana T."
        ),
        expected_version=defender.row_version,
    )
    assert not DamagedRecord.objects.exists()
    opened = keyring_of(desks.caseworker).opened(Defender.objects.get(case=desks.case))
    assert opened.aliases == "Ana T."


def test_a_write_with_keys_read_before_a_rotation_seals_under_the_new_keys(desks):
    stale = keyring_of(desks.caseworker)
    stale.keys_for(desks.case.id)  # holds version 1 as current
    rotation.start(actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case)
    case = Case.objects.get(pk=desks.case.pk)
    actions.update_staff_notes(
        actor=desks.caseworker,
        keyring=stale,
        case=case,
        notes="written during the rotation",
        expected_version=case.row_version,
    )
    stored = Case.objects.get(pk=case.pk)
    assert envelope.parse(bytes(stored.staff_notes)).key_version == 2
