"""How capacity building plugs into the floor: its record types (so rotation, recovery, the
damaged-record check and deletion reach a workshop's records), routes, navigation, audit codes
and the canary writer."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Role, User
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RecordType, RouteRule
from protectdesk.training.models import CoachingSession, Participant, SelfAssessment, Workshop

#: Who the navigation offers the workshops to (the actions' own rule: training.actions).
_TRAINING_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER, Role.TRAINER})


def _workshop_page(case: Case, _record_id: uuid.UUID) -> str:
    workshop = Workshop.objects.get(case=case)
    return reverse("training:workshop", args=[workshop.id])


def _participant_page(case: Case, record_id: uuid.UUID) -> str:
    """A participant's page, for the participant or one of their answers or sessions."""
    workshop = Workshop.objects.get(case=case)
    participant = (
        Participant.objects.filter(case=case, pk=record_id).first()
        or Participant.objects.filter(case=case, assessments__pk=record_id).first()
        or Participant.objects.filter(case=case, coaching__pk=record_id).first()
    )
    if participant is None:
        return reverse("training:workshop", args=[workshop.id])
    return reverse("training:participant", args=[workshop.id, participant.id])


def register() -> None:
    registry.register_urls("training/", "protectdesk.training.urls")
    registry.register(RecordType(Workshop, _("Workshop"), _workshop_page))
    registry.register(RecordType(Participant, _("Workshop participant"), _participant_page))
    registry.register(RecordType(SelfAssessment, _("Self-assessment"), _participant_page))
    registry.register(RecordType(CoachingSession, _("Coaching session"), _participant_page))
    registry.register_navigation(
        NavEntry("training:workshops", _("Workshops"), _TRAINING_ROLES, order=50)
    )
    codes.register(
        {
            "workshop.created": _("Workshop created"),
            "workshop.updated": _("Workshop details saved"),
            "workshop.deleted": _("Workshop deleted"),
            "workshop.viewed": _("Workshop viewed"),
            "workshop.participant_viewed": _("Workshop participant viewed"),
            "workshop.results_viewed": _("Workshop pre/post results viewed"),
            "workshop.trainer_added": _("Trainer added to a workshop"),
            "workshop.trainer_removed": _("Trainer removed from a workshop"),
            "workshop.participant_added": _("Workshop participant added"),
            "workshop.participant_updated": _("Workshop participant saved"),
            "workshop.participant_removed": _("Workshop participant removed"),
            "workshop.assessment_recorded": _("Self-assessment recorded"),
            "workshop.assessment_updated": _("Self-assessment changed"),
            "workshop.coaching_recorded": _("Coaching session recorded"),
            "workshop.coaching_updated": _("Coaching session saved"),
            "workshop.questionnaire_added": _("Self-assessment questionnaire added"),
        }
    )
    registry.register_routes(
        {
            "training:workshops": RouteRule("GET", "trainers", member=200),
            "training:new": RouteRule("GET", "trainers", member=200),
            # A desk's own questionnaires: its coordinators (another desk's see their own).
            "training:questionnaires": RouteRule(
                "GET", "trainers", member=403, overrides={"coordinator": 200, "outsider": 200}
            ),
            "training:workshop": RouteRule("GET", "workshop", member=200, sample=_workshop),
            "training:edit": RouteRule("GET", "workshop", member=200, sample=_workshop),
            "training:delete": RouteRule("POST", "workshop", member=400, sample=_workshop),
            "training:results": RouteRule("GET", "workshop", member=200, sample=_workshop),
            "training:add_trainer": RouteRule("POST", "workshop", member=400, sample=_workshop),
            "training:rotate": RouteRule("POST", "workshop", member=302, sample=_workshop),
            # The sample makes the coordinator a second trainer: as a member they may leave.
            "training:remove_trainer": RouteRule(
                "POST",
                "workshop",
                member=302,
                sample=_other_trainer,
                overrides={"coordinator": 302},
            ),
            "training:new_participant": RouteRule("GET", "workshop", member=200, sample=_workshop),
            "training:participant": RouteRule("GET", "workshop", member=200, sample=_participant),
            "training:remove_participant": RouteRule(
                "POST", "workshop", member=302, sample=_participant
            ),
            "training:assessment": RouteRule("GET", "workshop", member=200, sample=_assessment),
            "training:new_coaching": RouteRule("GET", "workshop", member=200, sample=_participant),
            "training:coaching": RouteRule("GET", "workshop", member=200, sample=_coaching),
            "training:coaching_measure": RouteRule(
                "POST", "workshop", member=302, sample=_coaching_action
            ),
        }
    )
    registry.register_canary(
        [
            "training.Workshop",
            "training.Participant",
            "training.SelfAssessment",
            "training.CoachingSession",
        ],
        _canary,
    )


# --- samples for the authorization matrix (written through the module's actions) ---------


def _make_workshop(actor: User, keyring: Keyring, topic: str = "Sample workshop") -> Workshop:
    from protectdesk.training import actions

    today = timezone.localdate()
    return actions.create_workshop(
        actor=actor,
        keyring=keyring,
        data=actions.WorkshopData(
            topic=topic,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=1),
            country="GT",
            subdivision="GT-16",
            venue="Sample venue",
            modules=("risk_analysis", "digital_security"),
        ),
    )


def _workshop(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"workshop_id": _make_workshop(actor, keyring).id}


def _sample_participant(actor: User, keyring: Keyring) -> tuple[Workshop, Participant]:
    from protectdesk.training import actions

    workshop = _make_workshop(actor, keyring)
    participant = actions.add_participant(
        actor=actor,
        keyring=keyring,
        workshop=workshop,
        data=actions.ParticipantData(name="Sample participant", gender="woman"),
    )
    return workshop, participant


def _participant(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    workshop, participant = _sample_participant(actor, keyring)
    return {"workshop_id": workshop.id, "participant_id": participant.id}


def _assessment(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {**_participant(actor, keyring, case), "phase": "pre"}


def _coaching(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    from protectdesk.training import actions

    workshop, participant = _sample_participant(actor, keyring)
    session = actions.save_coaching(
        actor=actor,
        keyring=keyring,
        participant=participant,
        data=actions.CoachingData(timezone.localdate(), "Sample notes", ("Sample action",)),
    )
    return {"workshop_id": workshop.id, "participant_id": participant.id, "session_id": session.id}


def _coaching_action(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {**_coaching(actor, keyring, case), "index": 0}


def _other_trainer(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """A workshop with two trainers, and the other one's id (removing them is allowed)."""
    from protectdesk.training import actions

    workshop = _make_workshop(actor, keyring)
    other = (
        User.objects.filter(desk_id=actor.desk_id, role=Role.COORDINATOR, is_active=True)
        .exclude(public_key=None)
        .first()
    )
    if other is None:
        raise RuntimeError("the sample needs a coordinator with keys")
    actions.add_trainer(actor=actor, keyring=keyring, workshop=workshop, user=other)
    return {"workshop_id": workshop.id, "user_id": other.id}


# --- the canary writer ----------------------------------------------------------------------


def _canary(actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]) -> Case:
    """Every identifying field of a workshop through the module's actions: the workshop, a
    participant recorded by name and one linked to ``case``, both self-assessments, and a
    coaching session whose agreed action becomes a measure of ``case``'s plan. Returns the
    workshop's compartment, where the scan looks for the records.

    Two fields cannot hold a canary string, so their canaries ride in a sibling field of the
    same record: ``linked_case`` holds a case id (its canary goes in that participant's
    organisation) and ``answers`` holds scores (its canary goes in the comments)."""
    from protectdesk.plans import actions as plan_actions
    from protectdesk.training import actions

    text = values["training.Workshop"]
    today = timezone.localdate()
    workshop = actions.create_workshop(
        actor=actor,
        keyring=keyring,
        data=actions.WorkshopData(
            topic=text["topic"],
            starts_on=today,
            ends_on=today,
            country="GT",
            venue=text["venue"],
            modules=("incidents",),
            methods=text["methods"],
        ),
    )
    person = values["training.Participant"]
    named = actions.add_participant(
        actor=actor,
        keyring=keyring,
        workshop=workshop,
        data=actions.ParticipantData(
            name=person["name"],
            organisation=person["organisation"],
            contacts=person["contacts"],
        ),
    )
    linked = actions.add_participant(
        actor=actor,
        keyring=keyring,
        workshop=workshop,
        data=actions.ParticipantData(
            case_reference=case.reference, organisation=person["linked_case"]
        ),
    )
    answers = values["training.SelfAssessment"]
    for participant, phase, score in ((named, "pre", 2), (named, "post", 4), (linked, "pre", 3)):
        actions.record_assessment(
            actor=actor,
            keyring=keyring,
            participant=participant,
            phase=phase,
            answers={"analyse_risk": score},
            filled_on=today,
            comments=f"{answers['comments']} {answers['answers']}",
        )
    coaching = values["training.CoachingSession"]
    session = actions.save_coaching(
        actor=actor,
        keyring=keyring,
        participant=linked,
        data=actions.CoachingData(today, coaching["notes"], (coaching["actions"],)),
    )
    if plan_actions.current(case) is None:
        plan_actions.start_plan(actor=actor, keyring=keyring, case=case)
    actions.action_to_measure(actor=actor, keyring=keyring, session=session, index=0)
    compartment: Case = workshop.case
    return compartment
