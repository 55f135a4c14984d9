"""What the database holder must not learn from a workshop: which defender's case a
participant is, by lengths, copied clear fields or a write tying the workshop to the case;
and the role rules that keep workshops with the people who run them."""

from __future__ import annotations

import pytest

from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.models import Role
from protectdesk.audit.models import AuditEntry
from protectdesk.crypto import envelope
from protectdesk.library import actions as library
from protectdesk.plans import actions as plan_actions
from protectdesk.records.keyring import NoCaseAccess
from protectdesk.records.models import Case, CaseKeyBox, CaseMember
from protectdesk.training import actions, queries
from protectdesk.training.models import CoachingSession, Material, Participant, Workshop
from tests.conftest import add_user, keyring_of
from tests.training.helpers import add_person, coach, make_workshop


def _stored(participant: Participant, column: str) -> bytes:
    """The envelope as the database holds it."""
    return bytes(Participant.objects.filter(pk=participant.pk).values_list(column, flat=True)[0])


def test_a_linked_and_a_named_participant_store_the_same_lengths(desks):
    workshop = make_workshop(desks.caseworker)
    named = add_person(desks.caseworker, workshop, "Francisca Xol Choc")
    linked = actions.add_participant(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        workshop=workshop,
        data=actions.ParticipantData(case_reference=desks.case.reference),
    )
    for column in ("name", "linked_case"):
        assert len(_stored(named, column)) == len(_stored(linked, column)), column
    assert str(desks.case.id).encode() not in _stored(linked, "linked_case")


def test_padding_to_a_minimum_is_read_back_and_older_envelopes_still_open():
    for plaintext in (b"", b"Ana", "Ñandú".encode() * 20, b"x" * 300):
        padded = envelope.pad(plaintext, 256)
        assert len(padded) % envelope.PAD_BLOCK == 0 and len(padded) >= 256
        assert envelope.unpad(padded) == plaintext
        assert envelope.unpad(envelope.pad(plaintext)) == plaintext  # libsodium's own padding
    with pytest.raises(envelope.EnvelopeError):
        envelope.unpad(b"\x00" * 32)


def test_a_linked_participant_copies_nothing_from_the_defenders_profile(desks):
    """The profile's gender and kind stay the case's: a trainer outside the case learns none
    of it, and the participant's clear columns match nothing of the case's row."""
    workshop = make_workshop(desks.trainer)
    linked = actions.add_participant(
        actor=desks.trainer,
        keyring=keyring_of(desks.trainer),
        workshop=workshop,
        data=actions.ParticipantData(case_reference=desks.case.reference),
    )
    stored = Participant.objects.get(pk=linked.pk)
    assert (stored.gender, stored.age_band, stored.sector, stored.defender_kind) == ("",) * 4
    counts = {table.title: table.rows for table in queries.anonymous_counts(workshop)}
    assert counts["Kind of defender"] == [("Not recorded", 1)]


def test_making_a_measure_writes_nothing_in_the_workshop(desks):
    plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )
    workshop = make_workshop(desks.caseworker)
    linked = actions.add_participant(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        workshop=workshop,
        data=actions.ParticipantData(case_reference=desks.case.reference),
    )
    session = coach(desks.caseworker, linked, "Called her", ("Vary the route home",))
    before = AuditEntry.objects.count()
    actions.action_to_measure(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), session=session, index=0
    )
    written = list(AuditEntry.objects.order_by("seq")[before:])
    assert [entry.action for entry in written] == ["plan.measure_saved"]
    assert CoachingSession.objects.get(pk=session.pk).row_version == session.row_version


def test_an_account_in_a_workshop_is_not_made_an_administrator(desks):
    workshop = make_workshop(desks.caseworker2)
    with pytest.raises(AccountError, match="1 workshop"):
        desk_actions.change_role(actor=desks.coordinator, user=desks.caseworker2, role="admin")
    desks.caseworker2.refresh_from_db()
    assert desks.caseworker2.role == Role.CASEWORKER
    # And a membership that outlived such a change (an old database) opens nothing.
    type(desks.caseworker2).objects.filter(pk=desks.caseworker2.pk).update(role=Role.ADMIN)
    desks.caseworker2.refresh_from_db()
    with pytest.raises(NoCaseAccess):
        add_person(desks.caseworker2, workshop)
    assert not Participant.objects.filter(workshop=workshop).exists()


def test_the_last_trainer_who_can_sign_in_cannot_leave(desks):
    workshop = make_workshop(desks.trainer)
    keyring = keyring_of(desks.trainer)
    actions.add_trainer(
        actor=desks.trainer, keyring=keyring, workshop=workshop, user=desks.caseworker2
    )
    desk_actions.set_active(actor=desks.coordinator, user=desks.caseworker2, active=False)
    with pytest.raises(actions.TrainingError) as refused:
        actions.remove_trainer(
            actor=desks.trainer, keyring=keyring, workshop=workshop, user=desks.trainer
        )
    assert refused.value.code == "last_trainer"
    assert CaseMember.compartments.filter(case=workshop.case, user=desks.trainer).exists()


def test_deleting_a_workshop_takes_everything_in_it_and_nothing_else(desks):
    plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )
    workshop = make_workshop(desks.caseworker)
    person = add_person(desks.caseworker, workshop)
    coach(desks.caseworker, person, "Notes")
    compartment = workshop.case
    actions.delete_workshop(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), workshop=workshop
    )
    assert not Case.compartments.filter(pk=compartment.pk).exists()
    assert not CaseKeyBox.objects.filter(case_id=compartment.pk).exists()
    assert not Workshop.objects.exists() and not Participant.objects.exists()
    assert not CoachingSession.objects.exists()
    assert Case.objects.filter(pk=desks.case.pk).exists()
    assert AuditEntry.objects.filter(action="workshop.deleted").count() == 1


def test_a_trainer_is_offered_published_guides_only_and_keeps_a_colleagues_draft(desks):
    def guide(slug, publisher):
        return library.create_with_versions(
            author=desks.caseworker,
            data=library.ResourceData(
                slug=slug,
                kind="guide",
                audience="defenders",
                topics=("digital_security",),
                licence="cc-by-4.0",
            ),
            versions=[(library.VersionData("en", f"Guide {slug}", body="Text."), None)],
            publisher=publisher,
        )

    published, draft = guide("published-guide", desks.coordinator), guide("draft-guide", None)
    workshop = make_workshop(desks.caseworker, materials=(("", draft.id),))
    actions.add_trainer(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        workshop=workshop,
        user=desks.trainer,
    )
    with pytest.raises(actions.TrainingError) as refused:
        make_workshop(desks.trainer, materials=(("", draft.id),))
    assert refused.value.code == "resource_unavailable"
    shown = [title for _m, _r, title in queries.materials_of(workshop, "en", desks.trainer)]
    assert shown == []
    data = actions.WorkshopData(
        topic="Edited by the trainer",
        starts_on=workshop.starts_on,
        ends_on=workshop.ends_on,
        country="GT",
        modules=("risk_analysis",),
        materials=(("", published.id),),
    )
    actions.update_workshop(
        actor=desks.trainer,
        keyring=keyring_of(desks.trainer),
        workshop=workshop,
        data=data,
        expected_version=workshop.row_version,
    )
    kept = set(Material.objects.filter(workshop=workshop).values_list("resource_id", flat=True))
    assert kept == {published.id, draft.id}


def test_a_trainer_gets_a_role_change_refused_while_in_a_case_only_as_before(desks):
    """(Kept with the lock now taken: the rule and the change are one transaction.)"""
    other = add_user(desks.coordinator, Role.CASEWORKER, "third@test.example", "Third")
    desk_actions.change_role(actor=desks.coordinator, user=other, role="trainer")
    other.refresh_from_db()
    assert other.role == Role.TRAINER


def test_each_guide_becomes_a_material_of_the_module_its_topics_serve(desks):
    def guide(slug, topics):
        return library.create_with_versions(
            author=desks.caseworker,
            data=library.ResourceData(
                slug=slug, kind="guide", audience="defenders", topics=topics, licence="cc-by-4.0"
            ),
            versions=[(library.VersionData("en", f"Guide {slug}", body="Text."), None)],
            publisher=desks.coordinator,
        )

    phones = guide("phones", ("digital_security",))
    general = guide("general", ("legal_protection",))
    workshop = make_workshop(
        desks.caseworker,
        modules=("risk_analysis", "digital_security"),
        materials=(("", phones.id), ("", general.id)),
    )
    by_module = dict(
        Material.objects.filter(workshop=workshop).values_list("resource_id", "module")
    )
    assert by_module == {phones.id: "digital_security", general.id: ""}
    shown = queries.materials_of(workshop, "en", desks.caseworker)
    assert sorted((module, title) for module, _r, title in shown) == [
        ("", "Guide general"),
        ("Digital security", "Guide phones"),
    ]
