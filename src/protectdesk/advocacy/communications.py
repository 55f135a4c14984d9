"""Every write of an international communication (a record of a defender's case).

Staff members of the case write (``NoCaseAccess`` otherwise); everything is encrypted under
the case's staff key through the one write path, which checks the row version and audits.

* The **draft**: mechanism, kind and language (each mechanism receives its own kinds,
  :data:`~protectdesk.advocacy.models.KINDS_OF`; the dossier is exported in en, es or fr) and
  the texts written for it.
* The **facts** the dossier takes from the case (:class:`~protectdesk.advocacy.dossier.Facts`):
  only incidents and actors of this case, articles of the UN Declaration from the data file,
  and a date for every violation.
* **Consent**: the day the defender agreed to this communication, or withdrew (how they
  agreed and how they withdrew are kept, encrypted, side by side); a withdrawal blocks export
  and a first submission.
* **Tracking**: submission (the first one refused without consent), the mechanism's
  reference, the State's answer, follow-ups and the next deadline (which the dashboard
  reminds of). The days of submission and answer are encrypted (see the model).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts.models import Desk, User
from protectdesk.advocacy.dossier import DossierRefused, Facts
from protectdesk.advocacy.models import (
    DOSSIER_LANGUAGES,
    KINDS_OF,
    Communication,
    CommunicationStatus,
    Mechanism,
    Publicity,
)
from protectdesk.incidents.models import Actor, Incident
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.keys import require_staff_member
from protectdesk.records.models import Case


class CommunicationError(DossierRefused):
    """A write refused with a message that says how to fix it (``code`` names the field)."""


@dataclass(frozen=True)
class DraftData:
    mechanism: str
    kind: str
    language: str
    title: str
    hrd_status: str = ""
    action_taken: str = ""
    requests: str = ""
    source: str = ""
    publicity: str = Publicity.CONFIDENTIAL
    confidentiality: str = ""


def check_kind(mechanism: str, kind: str) -> None:
    if mechanism not in Mechanism.values:
        raise ValueError(f"unknown mechanism {mechanism!r}")
    if kind not in KINDS_OF[Mechanism(mechanism)]:
        raise CommunicationError(
            "kind",
            _("%(mechanism)s does not receive this kind of communication: choose one of %(kinds)s.")
            % {
                "mechanism": Mechanism(mechanism).label,
                "kinds": ", ".join(str(k.label) for k in KINDS_OF[Mechanism(mechanism)]),
            },
        )


def default_source(desk: Desk) -> str:
    return _("%(desk)s, the protection desk accompanying the defender.") % {"desk": desk.name}


def save_draft(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    data: DraftData,
    communication: Communication | None = None,
    expected_version: int | None = None,
) -> Communication:
    require_staff_member(keyring, case.id)
    check_kind(data.mechanism, data.kind)
    if data.language not in DOSSIER_LANGUAGES:
        raise ValueError(f"dossiers are exported in {DOSSIER_LANGUAGES}")
    if data.publicity not in Publicity.values:
        raise ValueError(f"unknown publicity {data.publicity!r}")
    target = communication or Communication(case=case, created_by=actor)
    target.mechanism, target.kind, target.language = data.mechanism, data.kind, data.language
    target.publicity = data.publicity
    values: dict[str, object] = {
        "title": data.title,
        "hrd_status": data.hrd_status,
        "action_taken": data.action_taken,
        "requests": data.requests,
        "source": data.source,
        "confidentiality": data.confidentiality,
    }
    if communication is None:
        values["facts"] = Facts().to_json()
        values["follow_ups"] = []
    return records.save(
        actor,
        keyring,
        target,
        values,
        audit="communication.saved",
        expected_version=expected_version,
        detail={"mechanism": data.mechanism, "kind": data.kind},
    )


def save_facts(
    *,
    actor: User,
    keyring: Keyring,
    communication: Communication,
    facts: Facts,
    expected_version: int,
) -> Communication:
    """Keep the choice of facts; every id must be of this case, every article of the data."""
    require_staff_member(keyring, communication.case_id)
    incident_ids = {chosen.id for chosen in facts.incidents}
    found = set(
        Incident.objects.filter(case_id=communication.case_id, pk__in=incident_ids).values_list(
            "pk", flat=True
        )
    )
    actors = set(
        Actor.objects.filter(case_id=communication.case_id, pk__in=facts.actors).values_list(
            "pk", flat=True
        )
    )
    if found != incident_ids or actors != set(facts.actors):
        raise NoCaseAccess("a chosen fact is not of this case")
    known = vocabularies.load("un_declaration_articles").codes()
    if any(code not in known for chosen in facts.incidents for code in chosen.articles):
        raise ValueError("unknown article of the UN Declaration")
    today = timezone.localdate()
    if any(chosen.on is None or chosen.on > today for chosen in facts.incidents):
        raise ValueError("every violation has a day, up to today (the form says so)")
    return records.save(
        actor,
        keyring,
        communication,
        {"facts": facts.to_json()},
        audit="communication.facts_chosen",
        expected_version=expected_version,
        detail={"incidents": len(facts.incidents), "actors": len(facts.actors)},
    )


def day_of(keyring: Keyring, communication: Communication, name: str) -> datetime.date | None:
    """One of the encrypted days (``submitted_on``, ``answered_on``) as a date."""
    value = keyring.text(communication, name)
    return datetime.date.fromisoformat(value) if value else None


def record_consent(
    *,
    actor: User,
    keyring: Keyring,
    communication: Communication,
    given_on: datetime.date,
    notes: str,
    expected_version: int,
) -> Communication:
    """The defender agreed to this communication on ``given_on`` (again, after a withdrawal:
    on or after the day they withdrew)."""
    require_staff_member(keyring, communication.case_id)
    if given_on > timezone.localdate():
        raise ValueError("consent in the future")
    withdrawn = communication.consent_withdrawn_on
    if withdrawn is not None and given_on < withdrawn:
        raise CommunicationError(
            "given_on",
            _(
                "They withdrew their consent on %(day)s: a new consent is given on that day "
                "or later."
            )
            % {"day": withdrawn.isoformat()},
        )
    communication.consent_on, communication.consent_withdrawn_on = given_on, None
    return records.save(
        actor,
        keyring,
        communication,
        {"consent_notes": notes},
        audit="communication.consent_recorded",
        expected_version=expected_version,
    )


def withdraw_consent(
    *,
    actor: User,
    keyring: Keyring,
    communication: Communication,
    withdrawn_on: datetime.date,
    notes: str,
    expected_version: int,
) -> Communication:
    """The defender takes back their consent: export and a first submission are refused from
    now on. How they had agreed (``consent_notes``) is kept beside how they withdrew."""
    require_staff_member(keyring, communication.case_id)
    if communication.consent_on is None:
        raise CommunicationError(
            "withdrawn_on", _("No consent is recorded for this communication: nothing to withdraw.")
        )
    if withdrawn_on < communication.consent_on:
        raise CommunicationError(
            "withdrawn_on",
            _("Consent was given on %(day)s: the withdrawal cannot be earlier.")
            % {"day": communication.consent_on.isoformat()},
        )
    if withdrawn_on > timezone.localdate():
        raise ValueError("a withdrawal in the future")
    communication.consent_withdrawn_on = withdrawn_on
    return records.save(
        actor,
        keyring,
        communication,
        {"withdrawal_notes": notes},
        audit="communication.consent_withdrawn",
        expected_version=expected_version,
    )


@dataclass(frozen=True)
class TrackingData:
    status: str
    submitted_on: datetime.date | None = None
    reference: str = ""
    answered_on: datetime.date | None = None
    state_response: str = ""
    due_on: datetime.date | None = None


def save_tracking(
    *,
    actor: User,
    keyring: Keyring,
    communication: Communication,
    data: TrackingData,
    expected_version: int,
) -> Communication:
    """Submission, reference, the State's answer and the next deadline.

    Consent is checked when the communication is first marked submitted (and the day it was
    submitted cannot be before the defender agreed): once it has gone, staff keep recording
    the State's answer and the follow-ups even if the defender withdraws later.
    """
    require_staff_member(keyring, communication.case_id)
    if data.status not in CommunicationStatus.values:
        raise ValueError(f"unknown status {data.status!r}")
    status = data.status
    if data.submitted_on is not None and status == CommunicationStatus.DRAFT:
        status = CommunicationStatus.SUBMITTED
    if data.answered_on is not None and status in (
        CommunicationStatus.DRAFT,
        CommunicationStatus.SUBMITTED,
    ):
        status = CommunicationStatus.ANSWERED
    if status != CommunicationStatus.DRAFT and data.submitted_on is None:
        raise CommunicationError(
            "submitted_on", _("Enter the day it was submitted (or keep it as being prepared).")
        )
    first_submission = data.submitted_on is not None and not day_of(
        keyring, communication, "submitted_on"
    )
    if first_submission and not communication.has_consent:
        raise CommunicationError(
            "submitted_on",
            _(
                "The defender's consent to this communication is not recorded (or was "
                "withdrawn): it cannot be submitted. Record their consent first."
            ),
        )
    consent_on = communication.consent_on
    if data.submitted_on is not None and consent_on is not None and data.submitted_on < consent_on:
        raise CommunicationError(
            "submitted_on",
            _(
                "The defender agreed on %(day)s: the communication cannot have been submitted "
                "before. Enter a day on or after it."
            )
            % {"day": consent_on.isoformat()},
        )
    if data.answered_on and data.submitted_on and data.answered_on < data.submitted_on:
        raise CommunicationError(
            "answered_on",
            _("The State cannot answer before the submission: enter a day on or after %(day)s.")
            % {"day": data.submitted_on.isoformat()},
        )
    communication.status = status
    communication.due_on = data.due_on
    return records.save(
        actor,
        keyring,
        communication,
        {
            "reference": data.reference,
            "state_response": data.state_response,
            "submitted_on": data.submitted_on.isoformat() if data.submitted_on else "",
            "answered_on": data.answered_on.isoformat() if data.answered_on else "",
        },
        audit="communication.tracked",
        expected_version=expected_version,
    )


def add_follow_up(
    *,
    actor: User,
    keyring: Keyring,
    communication: Communication,
    on: datetime.date,
    text: str,
    next_due_on: datetime.date | None,
    expected_version: int,
) -> Communication:
    """A follow-up (a reminder sent, new facts sent, a hearing); a next deadline, if given,
    replaces the current one (the tracking form clears it)."""
    require_staff_member(keyring, communication.case_id)
    if not text.strip():
        raise CommunicationError("text", _("Say what was done in the follow-up."))
    entries = list(keyring.open_value(communication, "follow_ups") or [])
    entries.append({"on": on.isoformat(), "text": text.strip()})
    entries.sort(key=lambda entry: entry["on"])
    if next_due_on is not None:
        communication.due_on = next_due_on
    return records.save(
        actor,
        keyring,
        communication,
        {"follow_ups": entries},
        audit="communication.followed_up",
        expected_version=expected_version,
    )
