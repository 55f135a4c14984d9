"""The floor's key machinery reaches a workshop's records: rotation re-seals every one of
them, and the desk's recovery phrase gives a re-invited trainer their workshops back."""

from __future__ import annotations

from django.test import Client

from protectdesk.accounts.actions import invitations
from protectdesk.cases import actions as case_actions
from protectdesk.cases import queries as case_queries
from protectdesk.records import rotation
from protectdesk.records.models import Case, CaseKeyBox, CaseRotation
from protectdesk.training import actions, queries
from protectdesk.training.models import CoachingSession, Participant, SelfAssessment, Workshop
from tests.conftest import keyring_of, sign_in
from tests.training.helpers import (
    TRAINING_MODELS,
    add_person,
    assess,
    coach,
    envelope_versions,
    make_workshop,
)


def _full_workshop(desks):
    """A workshop of ``desks.trainer`` with a named participant, a linked one, answers before
    and after, and a coaching session: a record in every training table."""
    trainer = desks.trainer
    workshop = make_workshop(trainer)
    named = add_person(trainer, workshop, "Marta Quispe", contacts="Signal, evenings only")
    actions.add_participant(
        actor=trainer,
        keyring=keyring_of(trainer),
        workshop=workshop,
        data=actions.ParticipantData(case_reference=desks.case.reference),
    )
    assess(trainer, named, "pre", {"analyse_risk": 2}, comments="Worried about the phone")
    assess(trainer, named, "post", {"analyse_risk": 4})
    coach(trainer, named, "Set up a check-in routine", ("Call every Friday",))
    return workshop, named


def _contents(keyring, workshop):
    """Everything a trainer reads in the workshop, opened."""
    opened = keyring.opened(Workshop.objects.get(pk=workshop.pk))
    found = {"topic": opened.topic, "venue": opened.venue}
    for participant in Participant.objects.filter(workshop=workshop).order_by("created_at"):
        found.setdefault("participants", []).append(
            (keyring.text(participant, "name"), keyring.text(participant, "linked_case"))
        )
    for assessment in SelfAssessment.objects.filter(participant__workshop=workshop):
        found.setdefault("answers", {})[assessment.phase] = (
            keyring.opened(assessment).answers,
            keyring.text(assessment, "comments"),
        )
    for session in CoachingSession.objects.filter(participant__workshop=workshop):
        found.setdefault("coaching", []).append(
            (keyring.text(session, "notes"), keyring.opened(session).actions)
        )
    return found


def test_rotation_re_seals_every_training_record(desks, django_capture_on_commit_callbacks):
    workshop, _named = _full_workshop(desks)
    compartment = Case.compartments.get(pk=workshop.case_id)
    actions.add_trainer(
        actor=desks.trainer,
        keyring=keyring_of(desks.trainer),
        workshop=workshop,
        user=desks.caseworker2,
    )
    before = _contents(keyring_of(desks.trainer), workshop)
    assert before["participants"] == [("Marta Quispe", ""), ("", str(desks.case.id))]
    assert before["answers"]["pre"] == ({"analyse_risk": 2}, "Worried about the phone")
    versions = envelope_versions(compartment)
    assert {m._meta.label for m in TRAINING_MODELS} <= set(versions)  # every table is in it
    assert set().union(*versions.values()) == {1}

    with django_capture_on_commit_callbacks(execute=True):
        rotation.rotate(actor=desks.trainer, keyring=keyring_of(desks.trainer), case=compartment)

    compartment.refresh_from_db()
    assert compartment.key_version == 2
    assert CaseRotation.objects.get(case=compartment).finished_at is not None
    versions = envelope_versions(compartment)
    assert {m._meta.label for m in TRAINING_MODELS} <= set(versions)
    assert versions == {label: {2} for label in versions}  # no envelope of version 1 is left
    assert set(CaseKeyBox.objects.filter(case=compartment).values_list("version", flat=True)) == {2}
    assert _contents(keyring_of(desks.trainer), workshop) == before
    assert _contents(keyring_of(desks.caseworker2), workshop) == before
    # The defender's case it links to was not touched.
    assert Case.objects.get(pk=desks.case.pk).key_version == 1


def _reinvite(desks, user, password):
    invitation, token = invitations.invite(
        actor=desks.coordinator, role=user.role, login=user.login, user=user
    )
    invitations.accept_invitation(
        invitation=invitation, token=token, password=password, display_name=user.display_name
    )


def test_a_re_invited_trainer_regains_the_workshop_with_the_recovery_phrase(desks):
    workshop, named = _full_workshop(desks)
    new_password = "trainer's brand new passphrase"
    _reinvite(desks, desks.trainer, new_password)

    assert case_queries.cases_awaiting_recovery(desks.trainer) == [workshop.case_id]
    locked = keyring_of(desks.trainer, new_password)
    assert not locked.can_open(workshop.case_id)
    assert queries.my_workshops(locked) == []
    client = Client()
    sign_in(client, desks.trainer.login, new_password)
    assert client.get(f"/training/{workshop.id}/").status_code == 404

    restored = case_actions.restore_access(
        actor=desks.coordinator, phrase=desks.recovery_phrase, user=desks.trainer
    )
    assert (restored.cases, restored.workshops) == (0, 1)
    assert case_queries.cases_awaiting_recovery(desks.trainer) == []
    keyring = keyring_of(desks.trainer, new_password)
    assert keyring.can_open(workshop.case_id)
    assert keyring.text(Participant.objects.get(pk=named.pk), "name") == "Marta Quispe"
    assert [row.workshop.id for row in queries.my_workshops(keyring)] == [workshop.id]
    page = client.get(f"/training/{workshop.id}/")
    assert page.status_code == 200 and b"Marta Quispe" in page.content
