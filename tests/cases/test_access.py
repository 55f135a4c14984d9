"""Need-to-know, enforced by keys: members read, non-members (even coordinators) cannot."""

import re

import pytest
from django.db import connection
from django.test import Client

from protectdesk.accounts import actions as account_actions
from protectdesk.audit.models import AuditEntry
from protectdesk.cases import actions
from protectdesk.cases.models import Defender
from protectdesk.crypto import EnvelopeError
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records import checks
from protectdesk.records.keyring import DAMAGED, NoCaseAccess, StaffOnly
from protectdesk.records.models import CaseKeyBox, CaseMember, DamagedRecord, MemberKind
from tests.conftest import PASSWORD, keyring_of, sign_in


def test_member_reads_the_case(desks, signed_in_client):
    page = signed_in_client(desks.caseworker).get(f"/cases/{desks.case.id}/")
    assert page.status_code == 200
    assert b"Ana Test Defender" in page.content and b"Internal assessment" in page.content


@pytest.mark.parametrize("persona", ["admin", "coordinator", "caseworker2", "outsider"])
def test_non_members_get_404_and_their_keys_open_nothing(desks, signed_in_client, persona):
    user = getattr(desks, persona)
    assert signed_in_client(user).get(f"/cases/{desks.case.id}/").status_code == 404
    keyring = keyring_of(user)
    assert not keyring.can_open(desks.case.id)
    with pytest.raises(NoCaseAccess):
        keyring.opened(Defender.objects.get(case=desks.case)).name  # noqa: B018
    assert not CaseKeyBox.objects.filter(case=desks.case, recipient=user).exists()


def test_a_forged_membership_row_still_opens_nothing(desks, signed_in_client):
    """Someone with database write access adds the coordinator as member: no key, no access."""
    CaseMember.objects.create(case=desks.case, user=desks.coordinator, kind=MemberKind.STAFF)
    assert signed_in_client(desks.coordinator).get(f"/cases/{desks.case.id}/").status_code == 404
    assert not keyring_of(desks.coordinator).can_open(desks.case.id)


def test_a_box_moved_to_another_case_is_not_trusted(desks):
    other = actions.open_case(
        actor=desks.caseworker2,
        keyring=keyring_of(desks.caseworker2),
        profile=actions.DefenderProfile(kind="individual", country="GT", name="Other person"),
    )
    # Move caseworker's box of desks.case onto the other case, and make caseworker a member there.
    box = CaseKeyBox.objects.get(
        case=desks.case, recipient=desks.caseworker, purpose=Purpose.SHARED
    )
    CaseKeyBox.objects.filter(pk=box.pk).update(case=other)
    CaseMember.objects.create(case=other, user=desks.caseworker, kind=MemberKind.STAFF)
    assert not keyring_of(desks.caseworker).can_open(other.id)


def test_defender_reads_the_profile_never_the_staff_key(desks, signed_in_client):
    purposes = set(
        CaseKeyBox.objects.filter(case=desks.case, recipient=desks.defender).values_list(
            "purpose", flat=True
        )
    )
    assert purposes == {Purpose.SHARED}
    keyring = keyring_of(desks.defender)
    assert keyring.can_open(desks.case.id) and not keyring.has_staff_key(desks.case.id)
    assert keyring.opened(Defender.objects.get(case=desks.case)).name == "Ana Test Defender"
    with pytest.raises(StaffOnly):
        keyring.opened(desks.case).staff_notes  # noqa: B018
    page = signed_in_client(desks.defender).get(f"/cases/{desks.case.id}/")
    assert page.status_code == 200
    assert b"Ana Test Defender" in page.content
    assert b"Internal assessment" not in page.content and b"Staff notes" not in page.content


def test_ciphertext_moved_to_another_row_or_field_fails(desks):
    other = actions.open_case(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        profile=actions.DefenderProfile(kind="individual", country="GT", name="Second Person"),
    )
    first, second = Defender.objects.get(case=desks.case), Defender.objects.get(case=other)
    keyring = keyring_of(desks.caseworker)
    Defender.objects.filter(pk=second.pk).update(name=first.name)  # another row (and case)
    with pytest.raises(EnvelopeError):
        keyring.open_value(Defender.objects.get(pk=second.pk), "name")
    Defender.objects.filter(pk=first.pk).update(aliases=first.name)  # another field
    with pytest.raises(EnvelopeError):
        keyring.open_value(Defender.objects.get(pk=first.pk), "aliases")
    # On a page, the moved value shows as damaged instead of as the other row's plaintext.
    assert keyring.opened(Defender.objects.get(pk=first.pk)).aliases is DAMAGED


def test_tampered_envelope_fails_loudly_and_plainly(desks, signed_in_client):
    """One flipped byte: the value is never shown, the damage is said where it was, audited
    once and listed by `protectdesk check`; the rest of the case and the case list still work
    (issue 9: a damaged record must not take a page down for every member)."""
    blob = bytearray(Defender.objects.get(case=desks.case).name)
    blob[-1] ^= 1
    Defender.objects.filter(case=desks.case).update(name=bytes(blob))
    client = signed_in_client(desks.caseworker)
    for _ in range(2):
        page = client.get(f"/cases/{desks.case.id}/")
        assert page.status_code == 200
        assert "restore this record from a backup" in page.content.decode()
        assert b"Staff notes" in page.content  # the rest of the page is there
        assert client.get("/cases/").status_code == 200
    assert AuditEntry.objects.filter(action="record.damaged").count() == 1
    assert [row.field for row in DamagedRecord.objects.all()] == ["name"]
    messages = checks.damaged_records()
    assert len(messages) == 1 and "cases.defender" in messages[0].msg


def test_add_and_remove_a_member(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    response = client.post(
        f"/cases/{desks.case.id}/members/add/", {"user": str(desks.caseworker2.pk)}
    )
    assert response.status_code == 302
    assert signed_in_client(desks.caseworker2).get(f"/cases/{desks.case.id}/").status_code == 200
    client.post(f"/cases/{desks.case.id}/members/{desks.caseworker2.pk}/remove/")
    assert not CaseKeyBox.objects.filter(case=desks.case, recipient=desks.caseworker2).exists()
    assert signed_in_client(desks.caseworker2).get(f"/cases/{desks.case.id}/").status_code == 404


def test_an_admin_can_be_made_a_member(desks, signed_in_client):
    actions.add_member(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        user=desks.admin,
    )
    assert signed_in_client(desks.admin).get(f"/cases/{desks.case.id}/").status_code == 200


def test_the_last_staff_member_cannot_leave(desks):
    with pytest.raises(actions.CaseError):
        actions.remove_member(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            case=desks.case,
            user=desks.caseworker,
        )


def test_password_change_keeps_access(desks, signed_in_client):
    account_actions.change_password(
        user=desks.caseworker, old_password=PASSWORD, new_password="a different passphrase"
    )
    assert keyring_of(desks.caseworker, "a different passphrase").can_open(desks.case.id)


def test_defender_invitation_link_is_the_only_way_to_their_key(desks):
    user, invitation, token = actions.invite_defender(
        actor=desks.caseworker2,
        keyring=keyring_of(desks.caseworker2),
        case=actions.open_case(
            actor=desks.caseworker2,
            keyring=keyring_of(desks.caseworker2),
            profile=actions.DefenderProfile(kind="individual", country="GT", name="Invited Person"),
        ),
    )
    assert not user.has_keypair  # no password yet: nothing can sign in
    assert Client().post("/login/", {"login": user.login, "password": ""}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_invitation")
        assert token not in repr(cursor.fetchall())
    with pytest.raises(EnvelopeError):
        account_actions.accept_invitation(
            invitation=invitation, token="wrong" + token[5:], password=PASSWORD, display_name=""
        )
    accepted = account_actions.accept_invitation(
        invitation=invitation, token=token, password=PASSWORD, display_name=""
    )
    client = Client()
    sign_in(client, accepted.login)
    assert b"Invited Person" in client.get("/").content


def _new_password_through_reinvitation(
    desks,
    signed_in_client,
    new_password="my brand new passphrase",  # noqa: S107 - a test account
):
    response = signed_in_client(desks.coordinator).post(f"/staff/{desks.caseworker.pk}/reinvite/")
    path = (
        re.search(rb'value="http://testserver(/invitation/[^"]+/)"', response.content)
        .group(1)
        .decode()
    )
    Client().post(
        path,
        {
            "display_name": "Caseworker One",
            "new_password": new_password,
            "new_password_again": new_password,
        },
    )
    return new_password


def test_recovery_through_the_phrase_in_the_web_ui(desks, signed_in_client):
    new_password = _new_password_through_reinvitation(desks, signed_in_client)
    caseworker = Client()
    sign_in(caseworker, desks.caseworker.login, new_password)
    assert caseworker.get(f"/cases/{desks.case.id}/").status_code == 404  # new keys: locked out
    assert not CaseKeyBox.objects.filter(recipient=desks.caseworker).exists()  # stale boxes gone

    coordinator = signed_in_client(desks.coordinator)
    listing = coordinator.get("/cases/recovery/")
    assert desks.caseworker.display_name.encode() in listing.content
    url = f"/cases/recovery/{desks.caseworker.pk}/"
    # A real typo: the first character (the last one carries padding bits and may not matter).
    first = desks.recovery_phrase[0]
    typo = coordinator.post(
        url, {"phrase": ("B" if first != "B" else "C") + desks.recovery_phrase[1:]}
    )
    assert typo.status_code == 400 and b"typo" in typo.content
    from protectdesk.crypto import recovery, userkeys

    stranger = recovery.to_phrase(userkeys.generate_keypair().private_key)
    wrong = coordinator.post(url, {"phrase": stranger})
    assert wrong.status_code == 400 and b"not the recovery phrase of this desk" in wrong.content
    done = coordinator.post(url, {"phrase": desks.recovery_phrase.lower()})
    assert done.status_code == 302
    page = caseworker.get(f"/cases/{desks.case.id}/")
    assert page.status_code == 200 and b"Internal assessment" in page.content


def test_recovery_restores_a_defender_to_the_shared_key_only(desks):
    user = desks.defender
    invitation, token = account_actions.invite(
        actor=desks.coordinator, role=user.role, login=user.login, user=user
    )
    account_actions.accept_invitation(
        invitation=invitation, token=token, password="defender new passphrase", display_name=""
    )
    actions.restore_access(actor=desks.coordinator, phrase=desks.recovery_phrase, user=user)
    purposes = set(
        CaseKeyBox.objects.filter(case=desks.case, recipient=user).values_list("purpose", flat=True)
    )
    assert purposes == {Purpose.SHARED}
    assert keyring_of(user, "defender new passphrase").can_open(desks.case.id)


def test_only_managers_restore_and_only_on_their_desk(desks):
    with pytest.raises(PermissionError):
        actions.restore_access(
            actor=desks.caseworker2, phrase=desks.recovery_phrase, user=desks.caseworker
        )
    with pytest.raises(PermissionError):
        actions.restore_access(
            actor=desks.outsider, phrase=desks.recovery_phrase, user=desks.caseworker
        )
