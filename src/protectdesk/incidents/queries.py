"""Reads of incidents, scoped to the cases the viewer can open."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet

from protectdesk import vocabularies
from protectdesk.cases.models import Defender
from protectdesk.incidents.models import Actor, Incident, IncidentPerpetrator, IncidentSource
from protectdesk.lib.lookups import AnyOf
from protectdesk.records.keyring import Keyring, Opened
from protectdesk.records.models import Case, CaseMember

PAGE_SIZE = 25


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    month_from: str = ""
    month_to: str = ""
    country: str = ""
    subdivision: str = ""
    perpetrator_type: str = ""
    severity_min: int | None = None
    case_id: uuid.UUID | None = None
    words: str = ""


@dataclass
class Row:
    incident: Incident
    opened: Opened
    case: Case
    defender_name: str
    type_labels: list[str] = field(default_factory=list)


def openable_case_ids(keyring: Keyring) -> list[uuid.UUID]:
    member_of = list(CaseMember.objects.filter(user=keyring.user).values_list("case_id", flat=True))
    keyring.preload(member_of)
    return [case_id for case_id in member_of if keyring.can_open(case_id)]


def _filtered(keyring: Keyring, filters: Filters) -> QuerySet[Incident]:
    incidents = Incident.objects.filter(case_id__in=openable_case_ids(keyring)).select_related(
        "case"
    )
    if filters.case_id:
        incidents = incidents.filter(case_id=filters.case_id)
    if filters.month_from:
        incidents = incidents.filter(year__gte=int(filters.month_from[:4])).exclude(
            month__lt=filters.month_from, month__gt=""
        )
    if filters.month_to:
        incidents = incidents.filter(year__lte=int(filters.month_to[:4])).exclude(
            month__gt=filters.month_to
        )
    if filters.country:
        incidents = incidents.filter(country=filters.country)
    if filters.subdivision:
        incidents = incidents.filter(subdivision=filters.subdivision)
    if filters.severity_min:
        incidents = incidents.filter(severity__gte=filters.severity_min)
    if filters.perpetrator_type:
        incidents = incidents.filter(
            perpetrators__actor__actor_type=filters.perpetrator_type
        ).distinct()
    return incidents


#: Word matches up to this many go into the query as ``pk IN (…)``; more (a common word in a
#: large log) would pass SQLite's limit of bound variables, so the list is then narrowed by the
#: ids of the filtered incidents instead (ids only; the page's rows are still fetched alone).
IN_LIMIT = 10_000


def incident_list(keyring: Keyring, filters: Filters, page: int = 1) -> tuple[list[Row], int, int]:
    """(rows of this page, total, number of pages): filtered, counted and paged in SQL, in the
    incidents' own order (newest first)."""
    incidents = _filtered(keyring, filters)
    if filters.types:
        incidents = incidents.filter(AnyOf(F("types"), list(filters.types)))
    matching: set[uuid.UUID] | None = None
    if filters.words:
        from protectdesk.search import queries as search_queries

        matching = search_queries.matching_records(keyring, filters.words, "incidents.incident")
        if len(matching) <= IN_LIMIT:
            incidents, matching = incidents.filter(pk__in=matching), None
    if matching is None:
        total = incidents.count()
    else:
        ids = [pk for pk in incidents.values_list("pk", flat=True) if pk in matching]
        total = len(ids)
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(1, page), pages)
    start = (page - 1) * PAGE_SIZE
    if not total:
        shown: list[Incident] = []
    elif matching is None:
        shown = list(incidents[start : start + PAGE_SIZE])
    else:
        page_ids = ids[start : start + PAGE_SIZE]
        found = incidents.model.objects.select_related("case").in_bulk(page_ids)
        shown = [found[pk] for pk in page_ids]
    return rows_for(keyring, shown), total, pages


def rows_for(keyring: Keyring, incidents: list[Incident]) -> list[Row]:
    defenders = {
        d.case_id: d for d in Defender.objects.filter(case_id__in={i.case_id for i in incidents})
    }
    types = vocabularies.load("incident_types")
    rows = []
    for incident in incidents:
        defender = defenders.get(incident.case_id)
        rows.append(
            Row(
                incident=incident,
                opened=keyring.opened(incident),
                case=incident.case,
                defender_name=str(keyring.opened(defender).name)
                if defender
                else incident.case.reference,
                type_labels=[types.label(code) for code in incident.types],
            )
        )
    return rows


def case_incidents(keyring: Keyring, case: Case) -> list[Row]:
    return rows_for(keyring, list(Incident.objects.filter(case=case).select_related("case")))


def incident_in_case(case: Case, incident_id: Any) -> Incident | None:
    return Incident.objects.filter(case=case, pk=incident_id).select_related("case").first()


def perpetrators_of(keyring: Keyring, incident: Incident, staff: bool) -> list[dict[str, Any]]:
    """The incident's perpetrator links, each with how many other incidents name its actor."""
    types = vocabularies.load("perpetrator_types")
    links = list(IncidentPerpetrator.objects.filter(incident=incident).select_related("actor"))
    repeated = dict(
        IncidentPerpetrator.objects.filter(actor_id__in={link.actor_id for link in links})
        .exclude(incident=incident)
        .order_by()
        .values("actor_id")
        .annotate(n=Count("id"))
        .values_list("actor_id", "n")
    )
    return [
        {
            "link": link,
            "type_label": types.label(link.actor.actor_type),
            "name": str(keyring.opened(link.actor).name) if staff else "",
            "repeated": repeated.get(link.actor_id, 0),
        }
        for link in links
    ]


def sources_of(keyring: Keyring, incident: Incident) -> list[dict[str, Any]]:
    connections, reliability = (
        vocabularies.load("source_connections"),
        vocabularies.load("source_reliability"),
    )
    return [
        {
            "source": source,
            "connection": connections.label(source.connection),
            "reliability": reliability.label(source.reliability),
            "description": str(keyring.opened(source).description),
        }
        for source in IncidentSource.objects.filter(incident=incident)
    ]


def actors_of(keyring: Keyring, case: Case) -> list[tuple[Actor, Opened]]:
    return [(a, keyring.opened(a)) for a in Actor.objects.filter(case=case)]


def default_country(case: Case) -> str:
    """Where a new incident of ``case`` happened unless said: the defender's country."""
    defender = Defender.objects.filter(case=case).first()
    return defender.country if defender else case.desk.country
