"""How the security wheel plugs into the floor: record types, its section of the case page (the
defender's too), routes, audit codes and its canary writer."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.audit import codes
from protectdesk.plans import actions as plan_actions
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import RecordType, RouteRule, Section
from protectdesk.wheel import actions, definitions, queries
from protectdesk.wheel.models import Participant, SpokeScore, WheelSession


def _session_page(case: Case, record_id: Any) -> str:
    return reverse("wheel:session", args=[case.id, record_id])


def _participant_page(case: Case, record_id: Any) -> str:
    participant = Participant.objects.get(case=case, pk=record_id)
    page = reverse("wheel:session", args=[case.id, participant.session_id])
    return f"{page}#participant-{participant.pk}"


def _score_page(case: Case, record_id: Any) -> str:
    score = SpokeScore.objects.select_related("participant").get(case=case, pk=record_id)
    page = reverse("wheel:session", args=[case.id, score.participant.session_id])
    return f"{page}#participant-{score.participant_id}"


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    latest = queries.latest(case)
    if latest is None:
        return {"wheel_latest": None}
    wheel = definitions.get(latest.wheel)
    result = queries.aggregate_of(latest)
    return {
        "wheel_latest": latest,
        "wheel_label": wheel.label if wheel else latest.wheel,
        "wheel_overall": queries.number(result.overall) if result.overall is not None else "",
        "wheel_participants": result.participants,
    }


def register() -> None:
    registry.register_urls("", "protectdesk.wheel.urls")
    registry.register_print_chart(queries.latest_chart)
    registry.register(RecordType(WheelSession, _("Security wheel session"), _session_page))
    registry.register(RecordType(Participant, _("Security wheel participant"), _participant_page))
    registry.register(RecordType(SpokeScore, _("Security wheel score"), _score_page))
    registry.register_section(Section("wheel", "wheel/_case_section.html", _case_section, order=35))
    codes.register(
        {
            "wheel.session_started": _("Security wheel session started"),
            "wheel.participant_added": _("Security wheel participant added"),
            "wheel.viewed": _("Security wheel session viewed"),
        }
    )
    registry.register_routes(
        {
            "wheel:sessions": RouteRule("GET", "case", member=200, defender=200),
            "wheel:session": RouteRule(
                "GET", "case", member=200, defender=200, sample=_sample_session
            ),
            "wheel:make_measure": RouteRule("POST", "case", member=302, sample=_sample_weak),
        }
    )
    registry.register_canary(
        ["wheel.WheelSession", "wheel.Participant", "wheel.SpokeScore"], _canary
    )


# --- samples for the authorization matrix ---------------------------------------------------


def _sample_session(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """A session with one participant, so the page shows its chart and tables."""
    session = actions.start_session(actor=actor, keyring=keyring, case=case, wheel="organisational")
    actions.add_participant(
        actor=actor,
        keyring=keyring,
        session=session,
        label="Sample",
        submission=uuid.uuid4(),
        scores=(actions.SpokeEntry("training", 30, "No time", "A workshop"),),
    )
    return {"session_id": session.id}


def _sample_weak(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """A weak spoke and a plan to add its measure to."""
    plan_actions.start_plan(actor=actor, keyring=keyring, case=case)
    return {**_sample_session(actor, keyring, case), "spoke": "training"}


# --- the canary writer ----------------------------------------------------------------------


def _canary(actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]) -> None:
    """Every identifying field of the wheel through the module's actions, and a weak spoke made
    a measure of the plan (its text carries the solutions: sealed like any measure)."""
    session = values["wheel.WheelSession"]
    started = actions.start_session(
        actor=actor,
        keyring=keyring,
        case=case,
        wheel="organisational",
        title=session["title"],
        notes=session["notes"],
    )
    score = values["wheel.SpokeScore"]
    actions.add_participant(
        actor=actor,
        keyring=keyring,
        session=started,
        label=values["wheel.Participant"]["label"],
        submission=uuid.uuid4(),
        scores=(
            actions.SpokeEntry("planning", 20, score["barriers"], score["solutions"]),
            actions.SpokeEntry("training", 80),
        ),
    )
    plan_actions.start_plan(actor=actor, keyring=keyring, case=case)
    actions.make_measure(actor=actor, keyring=keyring, session=started, spoke="planning")
