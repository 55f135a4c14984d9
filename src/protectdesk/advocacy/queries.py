"""Reads of the observatory (countries, an instrument's latest assessment and history, the
comparison across countries: exact means, shown rounded), and of a case's communications and
videos, with their reminders for the dashboard (clear fields only)."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.advocacy.models import (
    Assessment,
    Communication,
    CommunicationStatus,
    Instrument,
    InstrumentStatus,
    Mechanism,
    Video,
)
from protectdesk.records.keyring import Keyring, Opened
from protectdesk.records.models import Case
from protectdesk.records.queries import staff_cases_of
from protectdesk.records.registry import REMINDER_DAYS, Reminder


def instrument_of(viewer: User, instrument_id: uuid.UUID) -> Instrument:
    found = Instrument.objects.filter(pk=instrument_id, desk_id=viewer.desk_id).first()
    if found is None:
        raise Http404
    return found


def latest(instrument: Instrument) -> Assessment | None:
    return instrument.assessments.prefetch_related("scores").first()


def mean(assessment: Assessment | None) -> Fraction | None:
    if assessment is None:
        return None
    scores = [s.score for s in assessment.scores.all()]
    return Fraction(sum(scores), len(scores)) if scores else None


def shown(value: Fraction | None) -> str:
    if value is None:
        return "—"
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


@dataclass(frozen=True)
class CountryRow:
    country: str
    name: str
    instruments: int
    in_force: int
    assessed: int


def countries(viewer: User) -> list[CountryRow]:
    found: dict[str, list[Instrument]] = defaultdict(list)
    for instrument in Instrument.objects.filter(desk_id=viewer.desk_id).prefetch_related(
        "assessments"
    ):
        found[instrument.country].append(instrument)
    return sorted(
        (
            CountryRow(
                code,
                vocabularies.country_name(code),
                len(items),
                sum(1 for i in items if i.status == InstrumentStatus.IN_FORCE),
                sum(1 for i in items if i.assessments.all()),
            )
            for code, items in found.items()
        ),
        key=lambda row: row.name,
    )


@dataclass(frozen=True)
class Comparison:
    countries: list[tuple[str, str]]  # (code, name)
    rows: list[tuple[str, list[tuple[str, str]]]]  # criterion, (country name, value) each
    overall: list[tuple[str, str]]
    counted: list[tuple[str, int]]  # instruments in force with an assessment, per country


def compare(viewer: User, codes: list[str]) -> Comparison:
    """Per criterion and country: the mean score of the latest assessments of the country's
    instruments in force (instruments never assessed do not count)."""
    criteria = vocabularies.load("policy_criteria").terms
    per_country: dict[str, dict[str, list[int]]] = {}
    counted = []
    for code in codes:
        scores: dict[str, list[int]] = defaultdict(list)
        n = 0
        for instrument in Instrument.objects.filter(
            desk_id=viewer.desk_id, country=code, status=InstrumentStatus.IN_FORCE
        ):
            assessment = latest(instrument)
            if assessment is None:
                continue
            n += 1
            for score in assessment.scores.all():
                scores[score.criterion].append(score.score)
        per_country[code] = scores
        counted.append(n)
    names = [vocabularies.country_name(code) for code in codes]
    rows = []
    for term in criteria:
        values = []
        for code, name in zip(codes, names, strict=True):
            found = per_country[code].get(term.code, [])
            values.append((name, shown(Fraction(sum(found), len(found)) if found else None)))
        rows.append((term.label, values))
    overall = []
    for code, name in zip(codes, names, strict=True):
        every = [s for scores in per_country[code].values() for s in scores]
        overall.append((name, shown(Fraction(sum(every), len(every)) if every else None)))
    return Comparison(
        list(zip(codes, names, strict=True)),
        rows,
        overall,
        list(zip(names, counted, strict=True)),
    )


# --- communications and videos of a case ----------------------------------------------------


def communication_rows(keyring: Keyring, case: Case) -> list[Opened]:
    return [keyring.opened(c) for c in Communication.objects.filter(case=case)]


def video_rows(keyring: Keyring, case: Case) -> list[Opened]:
    return [keyring.opened(v) for v in Video.objects.filter(case=case)]


def reminders(viewer: User, today: datetime.date) -> list[Reminder]:
    """Deadlines of open communications and flagged videos in the viewer's cases."""
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    cases = staff_cases_of(viewer)
    found = []
    for item in (
        Communication.objects.filter(case_id__in=cases, due_on__lte=horizon)
        .exclude(status=CommunicationStatus.CLOSED)
        .select_related("case")
        .only("id", "case_id", "case__reference", "due_on", "mechanism")
    ):
        found.append(
            Reminder(
                item.due_on or today,
                item.case.reference,
                _("Deadline of a communication to %(mechanism)s")
                % {"mechanism": Mechanism(item.mechanism).label},
                reverse("advocacy:communication", args=[item.case_id, item.id]),
            )
        )
    for video in Video.objects.filter(case_id__in=cases, flagged_on__isnull=False).select_related(
        "case"
    ):
        found.append(
            Reminder(
                video.flagged_on or today,
                video.case.reference,
                _("Consent withdrawn from a published video: take it down"),
                reverse("advocacy:video", args=[video.case_id, video.id]),
            )
        )
    return found
