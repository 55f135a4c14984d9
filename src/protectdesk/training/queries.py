"""Reads of capacity building, scoped to what the viewer's keys open.

Lists of workshops come in two kinds, as for cases: a trainer's own (opened with their keys:
topics, participant names) and, for coordinators, the desk's overview from clear fields only
(reference, dates, place, modules, how many took part), which opens nothing.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts.models import ACCOUNT_MANAGERS, User
from protectdesk.cases.models import AgeBand, Defender, DefenderKind, Gender
from protectdesk.lib import charts
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseKind, CaseMember
from protectdesk.records.queries import member_case
from protectdesk.training import scoring
from protectdesk.training.actions import TRAINING_ROLES, defender_case_of, questionnaire_for
from protectdesk.training.models import (
    CoachingSession,
    DeskQuestionnaire,
    Material,
    Participant,
    Phase,
    SelfAssessment,
    Workshop,
)
from protectdesk.training.questionnaires import Questionnaire, localised, shipped


def member_workshop(keyring: Keyring, workshop_id: uuid.UUID | str) -> Workshop:
    """The workshop, if the viewer is one of its trainers; otherwise 404 (never 403)."""
    workshop = (
        Workshop.objects.select_related("case", "case__desk")
        .filter(pk=workshop_id, case__desk_id=keyring.user.desk_id)
        .first()
    )
    if workshop is None or keyring.user.role not in TRAINING_ROLES:
        raise Http404
    member_case(keyring, workshop.case_id, kind=CaseKind.WORKSHOP)
    return workshop


def participant_in(workshop: Workshop, participant_id: uuid.UUID) -> Participant:
    found = Participant.objects.filter(workshop=workshop, pk=participant_id).first()
    if found is None:
        raise Http404
    return found


def coaching_in(participant: Participant, session_id: uuid.UUID) -> CoachingSession:
    found = CoachingSession.objects.filter(participant=participant, pk=session_id).first()
    if found is None:
        raise Http404
    return found


def module_labels(codes: list[str]) -> list[str]:
    modules = vocabularies.load("curriculum_modules")
    return [modules.label(code) for code in codes]


def questionnaire_choices(viewer: User) -> list[tuple[str, str]]:
    choices = [(code, q.title) for code, q in shipped().items()]
    for own in DeskQuestionnaire.objects.filter(desk_id=viewer.desk_id):
        found = questionnaire_for(viewer, own.code)
        if found is not None:
            choices.append((own.code, found.title))
    return choices


def trainer_choices(viewer: User, workshop: Workshop) -> list[tuple[str, str]]:
    """People of the desk who could join the workshop's trainers."""
    current = CaseMember.compartments.filter(case_id=workshop.case_id).values_list(
        "user_id", flat=True
    )
    people = (
        User.objects.filter(desk_id=viewer.desk_id, role__in=TRAINING_ROLES, is_active=True)
        .exclude(pk__in=list(current))
        .exclude(public_key=None)
    )
    return [(str(user.pk), user.label) for user in people]


def trainers_of(workshop: Workshop) -> list[User]:
    ids = CaseMember.compartments.filter(case_id=workshop.case_id).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=list(ids)))


# --- lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopRow:
    workshop: Workshop
    reference: str
    topic: str  # "" in the desk overview: it is encrypted
    modules: list[str]
    participants: int
    is_member: bool


def _participant_counts(ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = (
        Participant.objects.filter(workshop_id__in=ids)
        .values_list("workshop_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {workshop_id: n for workshop_id, n in rows}


def my_workshops(keyring: Keyring) -> list[WorkshopRow]:
    mine = CaseMember.compartments.filter(
        user=keyring.user, case__kind=CaseKind.WORKSHOP
    ).values_list("case_id", flat=True)
    workshops = list(Workshop.objects.filter(case_id__in=list(mine)).select_related("case"))
    keyring.preload(w.case_id for w in workshops)
    counts = _participant_counts([w.id for w in workshops])
    rows = []
    for workshop in workshops:
        if not keyring.can_open(workshop.case_id):
            continue  # awaiting recovery: the staff page says so
        rows.append(
            WorkshopRow(
                workshop,
                workshop.case.reference,
                keyring.text(workshop, "topic"),
                module_labels(workshop.modules),
                counts.get(workshop.id, 0),
                True,
            )
        )
    return rows


def desk_workshops(viewer: User) -> list[WorkshopRow]:
    """Every workshop of the desk, for coordinators: clear fields only, nothing opened."""
    if viewer.role not in ACCOUNT_MANAGERS:
        raise PermissionError("the desk's workshops are listed for coordinators")
    workshops = list(Workshop.objects.filter(case__desk_id=viewer.desk_id).select_related("case"))
    member_of = set(
        CaseMember.compartments.filter(
            user=viewer, case_id__in=[w.case_id for w in workshops]
        ).values_list("case_id", flat=True)
    )
    counts = _participant_counts([w.id for w in workshops])
    return [
        WorkshopRow(
            w,
            w.case.reference,
            "",
            module_labels(w.modules),
            counts.get(w.id, 0),
            w.case_id in member_of,
        )
        for w in workshops
    ]


@dataclass(frozen=True)
class FollowUp:
    workshop: Workshop
    participant: Participant
    name: str
    due: datetime.date


def coaching_due(keyring: Keyring, within_days: int = 14) -> list[FollowUp]:
    """The viewer's coaching follow-ups due by ``within_days`` from today (oldest first),
    only the latest session of each participant counting."""
    mine = CaseMember.compartments.filter(
        user=keyring.user, case__kind=CaseKind.WORKSHOP
    ).values_list("case_id", flat=True)
    latest: dict[uuid.UUID, CoachingSession] = {}
    for session in (
        CoachingSession.objects.filter(case_id__in=list(mine))
        .select_related("participant", "participant__workshop")
        .order_by("participant_id", "-held_on", "-created_at")
    ):
        latest.setdefault(session.participant_id, session)
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    due = [
        (s, s.next_on) for s in latest.values() if s.next_on is not None and s.next_on <= horizon
    ]
    keyring.preload({s.case_id for s, _day in due})
    return sorted(
        (
            FollowUp(s.participant.workshop, s.participant, name_of(keyring, s.participant), day)
            for s, day in due
            if keyring.can_open(s.case_id)
        ),
        key=lambda f: f.due,
    )


# --- one workshop ---------------------------------------------------------------------------


def name_of(keyring: Keyring, participant: Participant) -> str:
    """How the viewer sees a participant: their name; for a linked defender, the defender's
    name if the viewer can open that case, else the case reference."""
    name = keyring.text(participant, "name")
    if name:
        return name
    value = keyring.text(participant, "linked_case")
    if not value:
        return _("Participant")
    case = defender_case_of(keyring, participant)
    if case is not None:
        defender = Defender.objects.filter(case=case).first()
        shown = keyring.text(defender, "name") if defender is not None else ""
        return f"{shown} ({case.reference})" if shown else case.reference
    return _("Defender with case %(reference)s") % {
        "reference": linked_reference(keyring, participant) or "?"
    }


def linked_reference(keyring: Keyring, participant: Participant) -> str:
    """The reference of the case a participant is linked to (references are in clear; the
    link is not), or "" when there is none or the case was deleted."""
    value = keyring.text(participant, "linked_case")
    try:
        case_id = uuid.UUID(value)
    except ValueError:
        return ""
    return (
        Case.objects.filter(pk=case_id, desk_id=keyring.user.desk_id)
        .values_list("reference", flat=True)
        .first()
        or ""
    )


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    name: str
    organisation: str
    linked_reference: str
    can_open_case: bool
    has_pre: bool
    has_post: bool
    coaching: int


def participant_rows(keyring: Keyring, workshop: Workshop) -> list[ParticipantRow]:
    participants = list(Participant.objects.filter(workshop=workshop))
    phases: dict[uuid.UUID, set[str]] = {}
    for participant_id, phase in SelfAssessment.objects.filter(
        participant__workshop=workshop
    ).values_list("participant_id", "phase"):
        phases.setdefault(participant_id, set()).add(phase)
    coaching = dict(
        CoachingSession.objects.filter(participant__workshop=workshop)
        .values_list("participant_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for participant in participants:
        case = defender_case_of(keyring, participant)
        rows.append(
            ParticipantRow(
                participant,
                name_of(keyring, participant),
                keyring.text(participant, "organisation"),
                case.reference if case is not None else "",
                case is not None,
                Phase.PRE in phases.get(participant.id, set()),
                Phase.POST in phases.get(participant.id, set()),
                coaching.get(participant.id, 0),
            )
        )
    return rows


@dataclass(frozen=True)
class CountTable:
    title: str
    rows: list[tuple[str, int]]


def anonymous_counts(workshop: Workshop) -> list[CountTable]:
    """Who took part, by gender, age band, sector and kind of defender (clear fields)."""
    values = list(
        Participant.objects.filter(workshop=workshop).values_list(
            "gender", "age_band", "sector", "defender_kind"
        )
    )
    sectors = vocabularies.load("sectors")
    labels = [
        (_("Gender"), dict(Gender.choices)),
        (_("Age band"), dict(AgeBand.choices)),
        (_("Sector"), None),
        (_("Kind of defender"), dict(DefenderKind.choices)),
    ]
    tables = []
    for column, (title, names) in enumerate(labels):
        counted = Counter(row[column] for row in values)
        rows = []
        for code, n in sorted(counted.items(), key=lambda item: (-item[1], item[0])):
            if not code:
                label = _("Not recorded")
            elif names is None:
                label = sectors.label(code)
            else:
                label = str(names.get(code, code))
            rows.append((label, n))
        tables.append(CountTable(title, rows))
    return tables


def materials_of(workshop: Workshop, language: str, viewer: User) -> list[tuple[str, Any, str]]:
    """(module label or "", resource, title in ``language``) of the workshop's materials; a
    draft only for the desk's staff."""
    found = []
    modules = vocabularies.load("curriculum_modules")
    shown_materials = Material.objects.filter(workshop=workshop).select_related("resource")
    if not viewer.is_staff_member:
        shown_materials = shown_materials.filter(resource__status="published")
    for material in shown_materials:
        versions = list(material.resource.versions.all())
        if not versions:
            continue
        shown = next((v for v in versions if v.language == language), versions[0])
        found.append(
            (
                modules.label(material.module) if material.module else "",
                material.resource,
                shown.title,
            )
        )
    return found


def answers_of(keyring: Keyring, participant: Participant) -> dict[str, SelfAssessment]:
    return {a.phase: a for a in SelfAssessment.objects.filter(participant=participant)}


def opened_answers(keyring: Keyring, assessment: SelfAssessment | None) -> dict[str, int]:
    if assessment is None:
        return {}
    value = keyring.opened(assessment).answers
    if not isinstance(value, dict):
        return {}  # damaged: the page shows the damage notice where it can
    return {str(k): int(v) for k, v in value.items() if isinstance(v, int)}


# --- results --------------------------------------------------------------------------------


def number(value: Fraction | None) -> str:
    """A mean or a change as the page shows it: one decimal at most."""
    if value is None:
        return "—"
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def signed(value: Fraction | None) -> str:
    if value is None:
        return "—"
    if round(float(value), 1) == 0:
        return "±0"
    return f"+{number(value)}" if value > 0 else f"−{number(-value)}"


@dataclass(frozen=True)
class ParticipantChange:
    name: str
    before: str
    after: str
    change: str
    complete: bool


@dataclass(frozen=True)
class Results:
    questionnaire: Questionnaire
    result: scoring.WorkshopResult
    chart: charts.Chart
    rows: list[tuple[str, str, str, str, int]]  # question, before, after, change, n
    people: list[ParticipantChange]
    waiting_pre: int
    waiting_post: int


def results(keyring: Keyring, viewer: User, workshop: Workshop) -> Results | None:
    """The workshop's pre/post figures, with a chart and the table it is drawn from; None if
    its questionnaire is no longer available."""
    questionnaire = questionnaire_for(viewer, workshop.questionnaire)
    if questionnaire is None:
        return None
    by_participant: dict[uuid.UUID, dict[str, SelfAssessment]] = {}
    for assessment in SelfAssessment.objects.filter(participant__workshop=workshop):
        by_participant.setdefault(assessment.participant_id, {})[assessment.phase] = assessment
    participants = list(Participant.objects.filter(workshop=workshop))
    pairs, people = [], []
    waiting_pre = waiting_post = 0
    for participant in participants:
        found = by_participant.get(participant.id, {})
        if Phase.PRE not in found:
            waiting_pre += 1
            continue
        if Phase.POST not in found:
            waiting_post += 1
            continue
        before = _valid(questionnaire, opened_answers(keyring, found[Phase.PRE]))
        after = _valid(questionnaire, opened_answers(keyring, found[Phase.POST]))
        pairs.append((before, after))
        change = scoring.participant_change(questionnaire, before, after)
        people.append(
            ParticipantChange(
                name_of(keyring, participant),
                number(change.before) if change else "—",
                number(change.after) if change else "—",
                signed(change.delta) if change else "—",
                change is not None,
            )
        )
    result = scoring.workshop_result(questionnaire, pairs)
    labels = {q.code: q.label for q in questionnaire.questions}
    bars: list[tuple[str, float | None]] = []
    tones, notes = [], []
    for row in result.questions:
        label = labels[row.code]
        bars.append((_("%(question)s — before") % {"question": label}, _float(row.before)))
        bars.append((_("%(question)s — after") % {"question": label}, _float(row.after)))
        tones += ["before", "after"]
        notes += ["", signed(row.delta) if row.delta is not None else ""]
    chart = charts.chart(
        _("Mean self-assessment, before and after"),
        bars,
        maximum=questionnaire.high,
        value_heading=_("Mean"),
        label_heading=_("Statement"),
        tones=tones,
        notes=notes,
        note_heading=_("Change"),
        caption=_(
            "Mean score of the participants who answered a statement both times, on the scale "
            "%(low)s (%(low_label)s) to %(high)s (%(high_label)s)."
        )
        % {
            "low": questionnaire.low,
            "high": questionnaire.high,
            "low_label": localised(questionnaire.low_labels),
            "high_label": localised(questionnaire.high_labels),
        },
    )
    rows = [
        (labels[r.code], number(r.before), number(r.after), signed(r.delta), r.n)
        for r in result.questions
    ]
    return Results(questionnaire, result, chart, rows, people, waiting_pre, waiting_post)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _valid(questionnaire: Questionnaire, answers: dict[str, int]) -> dict[str, int]:
    """Answers the questionnaire still asks, on its scale (a desk may have edited its file)."""
    return {
        code: score
        for code, score in answers.items()
        if code in questionnaire.codes and questionnaire.low <= score <= questionnaire.high
    }
