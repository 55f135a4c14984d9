"""Building workshops through the real training actions, for tests."""

from __future__ import annotations

import datetime
from typing import Any

from protectdesk.crypto import envelope
from protectdesk.records.fields import identifying_fields
from protectdesk.records.models import Case
from protectdesk.training import actions
from protectdesk.training.models import CoachingSession, Participant, SelfAssessment, Workshop
from tests.conftest import keyring_of

STARTS = datetime.date(2026, 3, 2)
ENDS = datetime.date(2026, 3, 4)
#: The training tables whose every envelope belongs to a workshop's compartment.
TRAINING_MODELS = (Workshop, Participant, SelfAssessment, CoachingSession)


def make_workshop(actor, topic: str = "Security for community radio reporters", **extra: Any):
    values: dict[str, Any] = {
        "topic": topic,
        "starts_on": STARTS,
        "ends_on": ENDS,
        "country": "GT",
        "subdivision": "GT-16",
        "venue": "Parish hall behind the market",
        "modules": ("risk_analysis", "threat_assessment"),
        "methods": "Role play; risk matrix on paper",
    }
    values.update(extra)
    return actions.create_workshop(
        actor=actor, keyring=keyring_of(actor), data=actions.WorkshopData(**values)
    )


def add_person(trainer, workshop, name: str = "Lucía Gómez", **extra: Any):
    return actions.add_participant(
        actor=trainer,
        keyring=keyring_of(trainer),
        workshop=workshop,
        data=actions.ParticipantData(name=name, **extra),
    )


def assess(trainer, participant, phase: str, answers: dict[str, int], filled_on=None, **extra):
    return actions.record_assessment(
        actor=trainer,
        keyring=keyring_of(trainer),
        participant=participant,
        phase=phase,
        answers=answers,
        filled_on=filled_on or (STARTS if phase == "pre" else ENDS),
        **extra,
    )


def coach(trainer, participant, notes: str = "", actions_: tuple[str, ...] = (), **extra: Any):
    return actions.save_coaching(
        actor=trainer,
        keyring=keyring_of(trainer),
        participant=participant,
        data=actions.CoachingData(extra.pop("held_on", ENDS), notes, actions_, **extra),
    )


def envelope_versions(compartment: Case) -> dict[str, set[int]]:
    """{model label: key versions of its stored envelopes} for one compartment."""
    found: dict[str, set[int]] = {}
    for model, field in identifying_fields():
        rows = (
            Case.compartments.filter(pk=compartment.pk)
            if model is Case
            else model._default_manager.filter(case=compartment)
        )
        for row in rows:
            blob = getattr(row, field.attname)
            if blob is not None:
                found.setdefault(model._meta.label, set()).add(
                    envelope.parse(bytes(blob)).key_version
                )
    return found
