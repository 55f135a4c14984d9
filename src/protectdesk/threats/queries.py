"""Reading the threats module: the actors map, the timeline, assessments, flags, flagged cases."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts.models import ACCOUNT_MANAGERS, User
from protectdesk.cases.models import Defender
from protectdesk.incidents.models import Actor, Incident, IncidentPerpetrator, Stance
from protectdesk.lib import charts
from protectdesk.records.keyring import Keyring, Opened
from protectdesk.records.models import Case, CaseMember, MemberKind
from protectdesk.threats import escalation
from protectdesk.threats import flags as flag_text
from protectdesk.threats.models import (
    INCOMING,
    ActorRelation,
    AssessmentVersion,
    Escalation,
    RelationKind,
    ThreatAssessment,
)

STANCE_ORDER = [Stance.RESISTING, Stance.SUPPORTING, Stance.NEUTRAL, Stance.UNKNOWN]


# --- actors -----------------------------------------------------------------------------------


@dataclass
class ActorRow:
    actor: Actor
    opened: Opened
    type_label: str
    parent_name: str = ""
    incidents: list[tuple[Incident, Opened]] = field(default_factory=list)
    #: (relation, how it reads from this actor, the other actor, the relation opened)
    relations: list[tuple[ActorRelation, str, Opened, Opened]] = field(default_factory=list)
    depth: int = 0  # how many larger actors it sits inside

    @property
    def indent(self) -> str:
        return "↳" * self.depth


def actor_choices(
    keyring: Keyring, case: Case, exclude: uuid.UUID | None = None
) -> list[tuple[str, str]]:
    types = vocabularies.load("perpetrator_types")
    return [
        (str(a.id), f"{keyring.opened(a).name} · {types.label(a.actor_type)}")
        for a in Actor.objects.filter(case=case)
        if a.pk != exclude
    ]


def _depth(actor: Actor, by_id: dict[uuid.UUID, Actor]) -> int:
    depth, seen, step = 0, {actor.pk}, actor.parent_id
    while step is not None and step in by_id and step not in seen:
        seen.add(step)
        depth += 1
        step = by_id[step].parent_id
    return depth


def actors_map(keyring: Keyring, case: Case) -> list[tuple[str, str, list[ActorRow]]]:
    """The case's actors grouped by stance (resisting first), each with its incidents and the
    relations it starts; within a group a larger actor comes before its sub-units."""
    types = vocabularies.load("perpetrator_types")
    actors = list(Actor.objects.filter(case=case))
    by_id = {a.pk: a for a in actors}
    opened = {a.pk: keyring.opened(a) for a in actors}
    incidents: dict[uuid.UUID, list[tuple[Incident, Opened]]] = {}
    for link in IncidentPerpetrator.objects.filter(case=case).select_related("incident"):
        incidents.setdefault(link.actor_id, []).append(
            (link.incident, keyring.opened(link.incident))
        )
    relations: dict[uuid.UUID, list[tuple[ActorRelation, str, Opened, Opened]]] = {}
    for relation in ActorRelation.objects.filter(case=case):
        seen = keyring.opened(relation)
        kind = RelationKind(relation.kind)
        relations.setdefault(relation.source_id, []).append(
            (relation, str(kind.label), opened[relation.target_id], seen)
        )
        relations.setdefault(relation.target_id, []).append(
            (relation, str(INCOMING[kind]), opened[relation.source_id], seen)
        )

    def path(actor: Actor) -> list[str]:
        chain, seen, step = [str(opened[actor.pk].name)], {actor.pk}, actor.parent_id
        while step is not None and step in by_id and step not in seen:
            seen.add(step)
            chain.insert(0, str(opened[step].name))
            step = by_id[step].parent_id
        return chain

    groups = []
    for stance in STANCE_ORDER:
        rows = [
            ActorRow(
                actor=a,
                opened=opened[a.pk],
                type_label=types.label(a.actor_type),
                parent_name=str(opened[a.parent_id].name) if a.parent_id in opened else "",
                incidents=sorted(
                    incidents.get(a.pk, []), key=lambda pair: pair[0].month or str(pair[0].year)
                ),
                relations=relations.get(a.pk, []),
                depth=_depth(a, by_id),
            )
            for a in sorted(actors, key=lambda a: [s.casefold() for s in path(a)])
            if a.stance == stance
        ]
        if rows:
            groups.append((stance.value, str(stance.label), rows))
    return groups


# --- the timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    incident: Incident
    opened: Opened
    type_labels: list[str]
    perpetrators: list[str]
    flagged: bool


@dataclass(frozen=True)
class TimelineMonth:
    label: str  # "2026-10", or "2025" for incidents known only by year
    incidents: list[TimelineRow]


def timeline(
    keyring: Keyring, case: Case, flagged: set[str]
) -> tuple[list[TimelineRow], list[TimelineMonth]]:
    """The case's incidents oldest first (the table), and grouped by month (the timeline)."""
    types = vocabularies.load("incident_types")
    names: dict[uuid.UUID, list[str]] = {}
    for link in IncidentPerpetrator.objects.filter(case=case).select_related("actor"):
        names.setdefault(link.incident_id, []).append(str(keyring.opened(link.actor).name))
    incidents = sorted(
        Incident.objects.filter(case=case),
        key=lambda i: (i.year, i.month or f"{i.year}-00", i.created_at),
    )
    rows = [
        TimelineRow(
            incident=i,
            opened=keyring.opened(i),
            type_labels=[types.label(code) for code in i.types],
            perpetrators=names.get(i.pk, []),
            flagged=str(i.pk) in flagged,
        )
        for i in incidents
    ]
    grouped: dict[str, list[TimelineRow]] = {}
    for row in rows:
        grouped.setdefault(row.incident.when_label, []).append(row)
    return rows, [TimelineMonth(label, grouped.get(label, [])) for label in _axis(grouped)]


#: Beyond this many months, the timeline shows only the months that had incidents.
QUIET_MONTHS_SHOWN = 36


def _axis(grouped: dict[str, list[TimelineRow]]) -> list[str]:
    """Every month from the first incident to this month, so quiet months show as gaps (a
    year known only by its year comes before its January)."""
    months = sorted(label for label in grouped if len(label) == 7)
    years = sorted(label for label in grouped if len(label) == 4)
    if months:
        today = timezone.localdate()
        year, month = (int(part) for part in months[0].split("-"))
        every = []
        while (year, month) <= (today.year, today.month):
            every.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if len(every) <= QUIET_MONTHS_SHOWN:
            months = sorted(set(every) | set(months))
    return sorted([*months, *years], key=lambda label: (label[:4], len(label), label))


# --- flags ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """A case's flags as of ``today``."""

    flags: list[escalation.Flag]
    gravity: int
    latest: str
    today: datetime.date


@dataclass(frozen=True)
class Standing:
    """A case's flags as of ``today`` (each flag as :meth:`escalation.Flag.as_json` gives it)."""

    flags: list[dict[str, Any]]
    gravity: int
    latest: str
    today: datetime.date


def standing_today(cases: QuerySet[Case]) -> dict[uuid.UUID, Standing]:
    """The flags of ``cases`` as of today, for the desk-wide views (no exact dates).

    A case's stored :class:`~protectdesk.threats.models.Escalation` row computed today is
    what :func:`escalation_now` would give now: it is computed by that function from the same
    statistical fields, and every write of an incident, its perpetrator links or an assessment
    recomputes it in the writing transaction (the floor's watch, ``actions.recompute``).
    Only the calendar moves it without a write; so a row of an earlier day (the worker
    refreshes every row once a day, ``protectdesk serve`` at start) or a missing row is
    computed fresh here, and a desk's dashboard does not read every incident of the desk.
    """
    today = timezone.localdate()
    result = {
        case_id: Standing(flags, gravity, latest, today)
        for case_id, flags, gravity, latest in Escalation.objects.filter(
            case_id__in=cases.values("id"), computed_on=today
        ).values_list("case_id", "flags", "gravity", "latest_month")
    }
    stale = [c for c in cases.values_list("id", flat=True) if c not in result]
    for case_id, now in escalation_now(stale).items():
        result[case_id] = Standing(
            [flag.as_json() for flag in now.flags], now.gravity, now.latest, now.today
        )
    return result


def escalation_now(
    case_ids: list[uuid.UUID], days: dict[uuid.UUID, datetime.date] | None = None
) -> dict[uuid.UUID, Computed]:
    """The flags of each case, computed now — from **statistical fields only** unless ``days``
    gives exact dates (incident id → day) a member's keyring opened.

    An exact date is encrypted because the day is identifying; only its month is in clear. The
    stored flags and the coordinators' view are computed without ``days``, from the month (an
    exact date counts as a month-only one, on the 15th): a flag, its counts and the order of
    its incidents then tell nothing the clear month did not, whoever saved last, and need no key
    — so pages compute them fresh (the windows move with the calendar) and anyone can refresh
    the stored rows (``protectdesk refresh_flags``). A member's own pages pass ``days`` and may
    see a flag the month cannot show (a threat and an attack in the same month, in order); it
    is shown to them, never stored.
    """
    today = timezone.localdate()
    types = vocabularies.load("incident_types")
    tags = {term.code: term.extra.get("escalation") for term in types.terms}
    actors: dict[uuid.UUID, list[str]] = {}
    for link in IncidentPerpetrator.objects.filter(case_id__in=case_ids).values(
        "incident_id", "actor_id"
    ):
        actors.setdefault(link["incident_id"], []).append(str(link["actor_id"]))
    points: dict[uuid.UUID, list[escalation.Point]] = {case_id: [] for case_id in case_ids}
    for incident in Incident.objects.filter(case_id__in=case_ids).only(
        "id", "case_id", "date_precision", "year", "month", "severity", "types", "created_at"
    ):
        kinds = {tags.get(code) for code in incident.types}
        points[incident.case_id].append(
            escalation.Point(
                id=str(incident.pk),
                precision=incident.date_precision,
                year=incident.year,
                month=incident.month,
                day=(days or {}).get(incident.pk),
                severity=incident.severity,
                declared_threat="declared_threat" in kinds,
                physical="physical" in kinds,
                actors=tuple(sorted(actors.get(incident.pk, []))),
                created_at=incident.created_at,
            )
        )
    assessed: dict[uuid.UUID, list[escalation.Assessed]] = {case_id: [] for case_id in case_ids}
    for assessment in ThreatAssessment.objects.filter(case_id__in=case_ids).prefetch_related(
        "incidents"
    ):
        assessed[assessment.case_id].append(
            escalation.Assessed(
                id=str(assessment.pk),
                likelihood=assessment.likelihood,
                concluded=assessment.steps_done >= 5,
                incidents=tuple(sorted(str(i.pk) for i in assessment.incidents.all())),
            )
        )
    result = {}
    for case_id in case_ids:
        flags = escalation.flags_for(points[case_id], assessed[case_id], today)
        result[case_id] = Computed(
            flags,
            escalation.gravity(points[case_id], flags),
            escalation.latest(points[case_id], flags),
            today,
        )
    return result


@dataclass(frozen=True)
class CaseFlag:
    explained: flag_text.Explained
    incidents: list[tuple[uuid.UUID, str]]  # (id, title) for members, oldest first
    exact_only: bool = False  # seen only with the exact dates: not in the desk-wide view


def escalation_of(case: Case) -> Escalation | None:
    return Escalation.objects.filter(case=case).first()


def exact_days(keyring: Keyring, case: Case) -> dict[uuid.UUID, datetime.date]:
    """The exact dates of the case's incidents, as this member's keyring opens them."""
    days = {}
    for incident in Incident.objects.filter(case=case, date_precision="exact"):
        value = keyring.opened(incident).exact_date
        try:
            days[incident.pk] = datetime.date.fromisoformat(str(value))
        except ValueError:  # damaged, or not a date: the month is used
            continue
    return days


def case_flags(keyring: Keyring, case: Case) -> list[CaseFlag]:
    """The case's flags now, for a staff member: sentences with the actor and incidents named,
    computed with the exact dates; a flag only the exact dates show says so."""
    flags = escalation_now([case.id], exact_days(keyring, case))[case.id].flags
    if not flags:
        return []
    desk_wide = {flag.key for flag in escalation_now([case.id])[case.id].flags}
    actors = {str(a.pk): str(keyring.opened(a).name) for a in Actor.objects.filter(case=case)}
    titles = {
        str(i.pk): (i.pk, str(keyring.opened(i).title)) for i in Incident.objects.filter(case=case)
    }
    return [
        CaseFlag(
            flag_text.explain(flag.as_json(), actors),
            [titles[i] for i in flag.incidents if i in titles],
            exact_only=flag.key not in desk_wide,
        )
        for flag in flags
    ]


def flagged_ids(keyring: Keyring, case: Case) -> set[str]:
    flags = escalation_now([case.id], exact_days(keyring, case))[case.id].flags
    return {i for flag in flags for i in flag.incidents}


@dataclass(frozen=True)
class FlaggedCase:
    case: Case
    defender_name: str  # only when the viewer is a member who can open it
    flags: list[flag_text.Explained]
    latest: str
    gravity: int
    computed_on: Any

    @property
    def worst(self) -> int:
        """The highest severity among the incidents behind the flags (see escalation.gravity)."""
        return self.gravity // 10


def flagged_cases(viewer: User, keyring: Keyring | None) -> list[FlaggedCase]:
    """Every flagged case of the viewer's desk, by reference, most recent and serious first.

    No name is shown unless the viewer is a member whose keyring opens the case."""
    if viewer.role not in ACCOUNT_MANAGERS:
        raise PermissionError("the flagged cases are for coordinators and administrators")
    desk_cases = Case.objects.filter(desk_id=viewer.desk_id)
    cases = {c.id: c for c in desk_cases}
    computed = {case_id: now for case_id, now in standing_today(desk_cases).items() if now.flags}
    member_of = set(
        CaseMember.objects.filter(user=viewer, kind=MemberKind.STAFF).values_list(
            "case_id", flat=True
        )
    )
    defenders = {d.case_id: d for d in Defender.objects.filter(case_id__in=list(computed))}
    result = []
    for case_id, now in computed.items():
        name = ""
        defender = defenders.get(case_id)
        if (
            keyring is not None
            and case_id in member_of
            and defender is not None
            and keyring.can_open(case_id)
        ):
            name = str(keyring.opened(defender).name)
        result.append(
            FlaggedCase(
                case=cases[case_id],
                defender_name=name,
                flags=[flag_text.explain(flag) for flag in now.flags],
                latest=now.latest,
                gravity=now.gravity,
                computed_on=now.today,
            )
        )
    result.sort(key=lambda r: (r.latest, r.gravity, r.case.reference), reverse=True)
    return result


# --- assessments ------------------------------------------------------------------------------


def assessments_of(keyring: Keyring, case: Case) -> list[tuple[ThreatAssessment, Opened]]:
    return [(a, keyring.opened(a)) for a in ThreatAssessment.objects.filter(case=case)]


def assessment_in_case(case: Case, assessment_id: Any) -> ThreatAssessment | None:
    return (
        ThreatAssessment.objects.filter(case=case, pk=assessment_id)
        .select_related("source_actor")
        .first()
    )


def versions_of(assessment: ThreatAssessment) -> list[AssessmentVersion]:
    return list(AssessmentVersion.objects.filter(assessment=assessment).select_related("saved_by"))


def incident_titles(keyring: Keyring, case: Case, ids: list[str]) -> list[tuple[uuid.UUID, str]]:
    found = {str(i.pk): i for i in Incident.objects.filter(case=case, pk__in=ids)}
    return [(found[i].pk, str(keyring.opened(found[i]).title)) for i in ids if i in found]


def incident_choices(keyring: Keyring, case: Case) -> list[tuple[str, str]]:
    return [
        (str(i.pk), f"{i.when_label} · {keyring.opened(i).title}")
        for i in sorted(
            Incident.objects.filter(case=case),
            key=lambda i: (i.year, i.month, i.created_at),
            reverse=True,
        )
    ]


def actor_name(keyring: Keyring, case: Case, actor_id: str) -> str:
    actor = Actor.objects.filter(case=case, pk=actor_id).first() if actor_id else None
    return str(keyring.opened(actor).name) if actor else ""


def incidents_chart(months: list[TimelineMonth]) -> charts.Chart:
    """Incidents per month of the timeline as bars, each toned by its worst severity."""
    return charts.chart(
        _("Incidents per month"),
        [(m.label, len(m.incidents)) for m in months],
        value_heading=_("Incidents"),
        label_heading=_("Month"),
        tones=[
            f"sev{max(r.incident.severity for r in m.incidents)}" if m.incidents else ""
            for m in months
        ],
        notes=[", ".join(str(r.incident.severity) for r in m.incidents) or "—" for m in months],
        note_heading=_("Severities"),
    )


def month_chart(case: Case) -> charts.Chart:
    """Incidents per month of the case from clear fields only (for the printed plan): no
    title, no exact date."""
    months: dict[str, list[int]] = {}
    for incident in Incident.objects.filter(case=case).only("month", "year", "severity"):
        months.setdefault(incident.when_label, []).append(incident.severity)
    labels = sorted(months, key=lambda label: (label[:4], len(label), label))
    return charts.chart(
        _("Incidents per month"),
        [(label, len(months[label])) for label in labels],
        value_heading=_("Incidents"),
        label_heading=_("Month"),
        tones=[f"sev{max(months[label])}" for label in labels],
    )
