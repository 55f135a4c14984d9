"""Every write of the security wheel: sessions, participants with their scores, and a weak spoke
made a measure of the protection plan.

* Staff members of the case (who hold its staff key) start sessions and enter participants;
  the defender's own account reads them (everything is under the shared key) and writes nothing.
* A session runs one of the shipped wheels; a participant scores spokes of that wheel only,
  each once, from 0 to 100 (``ValueError`` otherwise: only a forged form sends one).
* A participant's form carries a ``submission`` id: sent again, it finds the participant it
  already made (:class:`AlreadySubmitted`, nothing written) — checked under the case-row lock,
  with the table's unique constraint behind it.
* A weak spoke becomes one measure of the case's current plan, once per session and spoke
  (:class:`AlreadyMeasure`); with no plan, :class:`NoPlan`.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk.accounts.models import User
from protectdesk.plans import actions as plans
from protectdesk.plans.models import Measure, Strategy
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.models import Case
from protectdesk.wheel import definitions, scoring
from protectdesk.wheel.models import Participant, SpokeMeasure, SpokeScore, WheelSession

#: The longest measure text the plan's form accepts (plans.forms.MeasureForm).
MEASURE_LIMIT = 20_000


@dataclass(frozen=True)
class SpokeEntry:
    code: str
    score: int
    barriers: str = ""
    solutions: str = ""


class AlreadySubmitted(Exception):
    """This form was already sent: its participant is saved, nothing was written again."""

    def __init__(self, participant: Participant) -> None:
        super().__init__(f"submission already saved as participant {participant.pk}")
        self.participant = participant


class NoPlan(Exception):
    """The case has no protection plan yet to add a measure to."""


class AlreadyMeasure(Exception):
    """This spoke of this session is already a measure of the plan."""

    def __init__(self, link: SpokeMeasure) -> None:
        super().__init__(f"spoke {link.spoke} is already measure {link.measure_id}")
        self.link = link


def _require_staff(keyring: Keyring, case_id: uuid.UUID) -> None:
    if not keyring.has_staff_key(case_id):
        raise NoCaseAccess("only staff members of the case run the security wheel")


def _wheel(code: str) -> definitions.Wheel:
    wheel = definitions.get(code)
    if wheel is None:
        raise ValueError(f"unknown wheel {code!r}")
    return wheel


def start_session(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    wheel: str,
    held_on: datetime.date | None = None,
    title: str = "",
    notes: str = "",
) -> WheelSession:
    """A new session of ``wheel`` in ``case``, held on ``held_on`` (today by default)."""
    _require_staff(keyring, case.id)
    _wheel(wheel)
    with transaction.atomic():
        records.lock_case(case.id)
        session = WheelSession(
            case=case,
            wheel=wheel,
            held_on=held_on or timezone.localdate(),
            created_by=actor,
        )
        return records.save(
            actor,
            keyring,
            session,
            {"title": title, "notes": notes},
            audit="wheel.session_started",
            detail={"wheel": wheel},
        )


def _check_scores(wheel: definitions.Wheel, scores: tuple[SpokeEntry, ...]) -> None:
    if not scores:
        raise ValueError("a participant scores at least one spoke")
    known = set(wheel.codes())
    seen: set[str] = set()
    for entry in scores:
        if entry.code not in known:
            raise ValueError(f"spoke {entry.code!r} is not a spoke of wheel {wheel.code!r}")
        if entry.code in seen:
            raise ValueError(f"spoke {entry.code!r} is scored twice")
        seen.add(entry.code)
        score = entry.score
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValueError(f"the score of spoke {entry.code!r} is not a whole number")
        if not scoring.MINIMUM <= score <= scoring.MAXIMUM:
            raise ValueError(f"the score of spoke {entry.code!r} is outside 0 to 100")


def add_participant(
    *,
    actor: User,
    keyring: Keyring,
    session: WheelSession,
    label: str,
    submission: uuid.UUID,
    scores: tuple[SpokeEntry, ...],
) -> Participant:
    """One participant of ``session`` and their scores, once per ``submission``."""
    _require_staff(keyring, session.case_id)
    _check_scores(_wheel(session.wheel), scores)
    with transaction.atomic():
        records.lock_case(session.case_id)
        existing = Participant.objects.filter(session=session, submission=submission).first()
        if existing is not None:
            raise AlreadySubmitted(existing)
        participant = Participant(case_id=session.case_id, session=session, submission=submission)
        records.save(
            actor,
            keyring,
            participant,
            {"label": label},
            audit="wheel.participant_added",
            detail={"spokes": len(scores)},
            watch=False,
        )
        # The scores are part of the participant: its audit entry covers them.
        for entry in scores:
            records.save(
                actor,
                keyring,
                SpokeScore(
                    case_id=session.case_id,
                    participant=participant,
                    spoke=entry.code,
                    score=entry.score,
                ),
                {"barriers": entry.barriers, "solutions": entry.solutions},
                audit=None,
                watch=False,
            )
        records.changed(actor, keyring, participant)
    return participant


def make_measure(*, actor: User, keyring: Keyring, session: WheelSession, spoke: str) -> Measure:
    """A measure of the current plan that strengthens ``spoke``: "Strengthen: <spoke>", then
    the solutions the participants proposed for it, a protection measure that builds a
    capacity. Its text is in the active language (the one the button was pressed in)."""
    _require_staff(keyring, session.case_id)
    found = _wheel(session.wheel).spoke(spoke)
    if found is None:
        raise ValueError(f"spoke {spoke!r} is not a spoke of wheel {session.wheel!r}")
    with transaction.atomic():
        records.lock_case(session.case_id)
        link = SpokeMeasure.objects.filter(session=session, spoke=spoke).first()
        if link is not None:
            raise AlreadyMeasure(link)
        version = plans.current(session.case_id)
        if version is None:
            raise NoPlan
        solutions = [
            text
            for score in SpokeScore.objects.filter(
                participant__session=session, spoke=spoke
            ).order_by("participant__created_at")
            if (text := keyring.text(score, "solutions").strip())
        ]
        description = _("Strengthen: %(spoke)s") % {"spoke": found.label}
        if solutions:
            description += "\n" + "\n".join(f"– {text}" for text in solutions)
        # Within what the measure form accepts, so the measure can be edited as it is.
        if len(description) > MEASURE_LIMIT:
            description = description[: MEASURE_LIMIT - 1] + "…"
        measure = plans.save_measure(
            actor=actor,
            keyring=keyring,
            version=version,
            data=plans.MeasureData(
                description=description, strategy=Strategy.PROTECTION, builds_capacity=True
            ),
        )
        SpokeMeasure.objects.create(
            case_id=session.case_id, session=session, spoke=spoke, measure=measure
        )
    return measure
