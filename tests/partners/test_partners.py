"""The partner directory (a compartment of the desk), partners, contacts and referrals."""

from __future__ import annotations

import datetime

import pytest

from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.models import Role
from protectdesk.partners import actions, queries
from protectdesk.partners.models import Partner, Referral
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import Measure
from protectdesk.records.keyring import NoCaseAccess
from protectdesk.records.models import Case, CaseKeyBox, CaseMember
from tests.conftest import add_user, caseworker_with_a_case, keyring_of

DAY = datetime.date(2026, 11, 2)
LATER = datetime.date.today() + datetime.timedelta(days=20)


def _open(user):
    return actions.open_directory(actor=user, keyring=keyring_of(user))


def _partner(user, name="Clínica jurídica del norte", services=("legal_aid",)):
    return actions.save_partner(
        actor=user,
        keyring=keyring_of(user),
        directory=actions.directory_of(user.desk_id),
        data=actions.PartnerData(name, services, ("GT",), "Takes cases within a week."),
    )


def _give(member, *users):
    return actions.give_access(
        actor=member,
        keyring=keyring_of(member),
        directory=actions.directory_of(member.desk_id),
        user_ids=[u.pk for u in users],
    )


def test_the_directory_is_sealed_to_the_desks_coordinators_and_caseworkers_only(desks):
    directory = _open(desks.caseworker)
    assert directory.kind == "directory"
    assert set(actions.waiting(directory)) == {desks.coordinator, desks.caseworker2}
    # Chosen one by one; a role that does not hold it is skipped even when asked for.
    assert _give(desks.caseworker, desks.coordinator, desks.caseworker2, desks.admin) == 2
    holders = set(CaseMember.compartments.filter(case=directory).values_list("user_id", flat=True))
    assert holders == {desks.coordinator.pk, desks.caseworker.pk, desks.caseworker2.pk}
    boxed = set(CaseKeyBox.objects.filter(case=directory).values_list("recipient_id", flat=True))
    assert boxed == holders | {None}  # and the recovery key
    for outsider in (desks.admin, desks.trainer, desks.defender, desks.outsider):
        assert queries.member_directory(keyring_of(outsider)) is None
    assert not Case.objects.filter(pk=directory.pk).exists()  # never a case
    assert _open(desks.coordinator) == directory  # a second opening finds it


def test_a_colleague_who_joins_later_is_given_the_directory_by_a_member(desks):
    directory = _open(desks.caseworker)
    _give(desks.caseworker, desks.coordinator, desks.caseworker2)
    newcomer = add_user(desks.coordinator, Role.CASEWORKER, "new@test.example", "Newcomer")
    assert actions.waiting(directory) == [newcomer]
    assert queries.member_directory(keyring_of(newcomer)) is None
    with pytest.raises(NoCaseAccess):
        _give(newcomer, newcomer)
    assert _give(desks.caseworker, newcomer) == 1
    assert _give(desks.caseworker, newcomer) == 0  # given already: nothing twice
    partner = _partner(desks.caseworker)
    assert keyring_of(newcomer).text(partner, "name") == "Clínica jurídica del norte"


def test_a_role_that_does_not_hold_the_directory_leaves_it(desks):
    directory = _open(desks.caseworker)
    _give(desks.caseworker, desks.caseworker2)
    assert CaseMember.compartments.filter(case=directory, user=desks.caseworker2).exists()
    desk_actions.change_role(actor=desks.coordinator, user=desks.caseworker2, role=Role.TRAINER)
    assert not CaseMember.compartments.filter(case=directory, user=desks.caseworker2).exists()
    assert not CaseKeyBox.objects.filter(case=directory, recipient=desks.caseworker2).exists()
    assert queries.member_directory(keyring_of(desks.caseworker2)) is None


def test_a_partner_is_named_once_and_stays_in_its_desk(desks, signed_in_client):
    _open(desks.caseworker)
    _give(desks.caseworker, desks.coordinator)
    partner = _partner(desks.caseworker)
    with pytest.raises(actions.PartnerError) as refused:
        _partner(desks.coordinator, "  clínica JURÍDICA del norte ")
    assert refused.value.code == "duplicate"
    assert Partner.objects.count() == 1
    # Another desk: its own directory, and this partner neither shown nor usable there.
    other, other_case = caseworker_with_a_case("Third Desk", "TH", "Third Worker", "Third Person")
    actions.open_directory(actor=other, keyring=keyring_of(other))
    client = signed_in_client(other)
    assert client.get(f"/partners/{partner.id}/").status_code == 404
    with pytest.raises(actions.PartnerError) as refused:
        actions.save_referral(
            actor=other,
            keyring=keyring_of(other),
            case=other_case,
            data=actions.ReferralData(partner.id, "legal_aid", DAY),
        )
    assert refused.value.code == "unknown_partner"
    assert not Referral.objects.exists()


def test_a_referral_names_its_partner_only_to_those_who_hold_the_directory(desks):
    _open(desks.caseworker)
    partner = _partner(desks.caseworker, services=("legal_aid", "relocation"))
    keyring = keyring_of(desks.caseworker)
    with pytest.raises(actions.PartnerError) as refused:
        actions.save_referral(
            actor=desks.caseworker,
            keyring=keyring,
            case=desks.case,
            data=actions.ReferralData(partner.id, "medical", DAY),
        )
    assert refused.value.code == "service_not_offered"
    with pytest.raises(actions.PartnerError) as refused:
        actions.save_referral(
            actor=desks.caseworker,
            keyring=keyring,
            case=desks.case,
            data=actions.ReferralData(
                partner.id, "relocation", DAY, follow_up_on=DAY - datetime.timedelta(days=1)
            ),
        )
    assert refused.value.code == "follow_up_before"
    referral = actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        data=actions.ReferralData(partner.id, "relocation", DAY, outcome="Moved for two weeks"),
    )
    stored = bytes(Referral.objects.filter(pk=referral.pk).values_list("partner_ref", flat=True)[0])
    assert str(partner.id).encode() not in stored and len(stored) >= 64
    rows = queries.referral_rows(keyring_of(desks.caseworker), desks.case)
    assert [(r.partner, r.service, r.is_open) for r in rows] == [
        ("Clínica jurídica del norte", "Temporary relocation", True)
    ]
    actions.leave_directory(desks.caseworker)  # a case member without the directory
    rows = queries.referral_rows(keyring_of(desks.caseworker), desks.case)
    assert [r.partner for r in rows] == ["a partner"]


def test_a_referral_becomes_a_measure_of_the_plan(desks):
    _open(desks.caseworker)
    partner = _partner(desks.caseworker)
    keyring = keyring_of(desks.caseworker)
    referral = actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        data=actions.ReferralData(partner.id, "legal_aid", DAY, follow_up_on=LATER),
    )
    with pytest.raises(actions.PartnerError) as refused:
        actions.referral_to_measure(actor=desks.caseworker, keyring=keyring, referral=referral)
    assert refused.value.code == "no_plan"
    plan_actions.start_plan(actor=desks.caseworker, keyring=keyring, case=desks.case)
    measure = actions.referral_to_measure(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), referral=referral
    )
    stored = Measure.objects.get(pk=measure.pk)
    assert keyring_of(desks.caseworker).text(stored, "description") == "Referral: Legal aid"
    assert stored.due == LATER


def test_the_case_page_lists_referrals_for_staff_not_for_the_defender(desks, signed_in_client):
    _open(desks.caseworker)
    partner = _partner(desks.caseworker)
    actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        data=actions.ReferralData(partner.id, "legal_aid", DAY),
    )
    staff_page = signed_in_client(desks.caseworker).get(f"/cases/{desks.case.id}/")
    assert "Clínica jurídica del norte" in staff_page.content.decode()
    own_page = signed_in_client(desks.defender).get(f"/cases/{desks.case.id}/").content
    assert b"Referrals" not in own_page and b"jur" not in own_page


def test_a_deactivated_member_leaves_the_directory_and_waits_when_back(desks):
    directory = _open(desks.caseworker)
    _give(desks.caseworker, desks.caseworker2)
    desk_actions.set_active(actor=desks.coordinator, user=desks.caseworker2, active=False)
    assert not CaseKeyBox.objects.filter(case=directory, recipient=desks.caseworker2).exists()
    desk_actions.set_active(actor=desks.coordinator, user=desks.caseworker2, active=True)
    assert queries.member_directory(keyring_of(desks.caseworker2)) is None
    assert desks.caseworker2 in actions.waiting(directory)


def test_with_nobody_left_a_coordinator_opens_it_with_the_recovery_phrase(desks):
    directory = _open(desks.caseworker)
    partner = _partner(desks.caseworker)
    desk_actions.set_active(actor=desks.coordinator, user=desks.caseworker, active=False)
    assert actions.usable_holders(directory) == []
    with pytest.raises(actions.PartnerError) as refused:
        actions.recover_directory(actor=desks.coordinator, phrase="AAAAA-" * 10 + "AAAAA")
    assert refused.value.code in {"typo", "wrong_phrase"}
    with pytest.raises(PermissionError):
        actions.recover_directory(actor=desks.caseworker2, phrase=desks.recovery_phrase)
    actions.recover_directory(actor=desks.coordinator, phrase=desks.recovery_phrase)
    keyring = keyring_of(desks.coordinator)
    assert keyring.text(partner, "name") == "Clínica jurídica del norte"


def test_a_member_without_the_directory_still_updates_a_referrals_status(desks):
    _open(desks.caseworker)
    partner = _partner(desks.caseworker)
    referral = actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        data=actions.ReferralData(partner.id, "legal_aid", DAY),
    )
    actions.leave_directory(desks.caseworker)
    keyring = keyring_of(desks.caseworker)
    actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        data=actions.ReferralData(partner.id, "legal_aid", DAY, status="completed"),
        referral=referral,
        expected_version=referral.row_version,
    )
    assert Referral.objects.get(pk=referral.pk).status == "completed"
    with pytest.raises(actions.PartnerError):  # but not to another service
        actions.save_referral(
            actor=desks.caseworker,
            keyring=keyring,
            case=desks.case,
            data=actions.ReferralData(partner.id, "medical", DAY),
            referral=Referral.objects.get(pk=referral.pk),
            expected_version=referral.row_version + 1,
        )


def test_an_open_referral_to_follow_up_soon_is_a_reminder_on_the_home_page(desks, signed_in_client):
    _open(desks.caseworker)
    partner = _partner(desks.caseworker)
    soon = datetime.date.today() + datetime.timedelta(days=3)
    referral = actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        data=actions.ReferralData(partner.id, "legal_aid", DAY, follow_up_on=soon),
    )
    later = actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        data=actions.ReferralData(partner.id, "legal_aid", DAY, follow_up_on=LATER),
    )
    home = signed_in_client(desks.caseworker).get("/").content.decode()
    assert home.count("Follow up the referral (Legal aid)") == 1  # not the one in 20 days
    assert f"/referrals/{referral.id}/" in home and f"/referrals/{later.id}/" not in home
    actions.save_referral(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        referral=referral,
        data=actions.ReferralData(
            partner.id, "legal_aid", DAY, status="completed", follow_up_on=soon
        ),
        expected_version=referral.row_version,
    )
    assert (
        "Follow up the referral" not in signed_in_client(desks.caseworker).get("/").content.decode()
    )
