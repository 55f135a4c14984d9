"""The listed pages' SQL query counts do not grow with the rows they show.

Each page is requested once when it shows a few rows and again when it shows several times
more; the number of queries of the second request must be the number of the first. A page
that runs a query per row (an N+1) fails here with the queries the larger page added.

Rows are made in bulk where the product has a bulk path (``records.create_many``, as the
import does; ``cases.open_cases``), otherwise through the real actions.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.attachments import actions as attachment_actions
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.cases import actions as case_actions
from protectdesk.imports.bulk import new_incident
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.actions import IncidentData, When
from protectdesk.incidents.models import Actor, Incident, IncidentPerpetrator, IncidentSource
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import PlanVersion
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.risk import actions as risk_actions
from protectdesk.risk.models import RiskAnalysis
from protectdesk.threats import actions as threat_actions
from protectdesk.threats.models import ThreatAssessment
from tests.conftest import Desks, add_user, keyring_of

WORD = "pickup"

#: Print each page's counts (pytest -s) when set.
REPORT = bool(os.environ.get("PD_QUERY_COUNTS"))

#: A few rows, then several times more (below every page size, so all of them are shown).
FEW, MORE = 2, 8


# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    queries: list[str]
    size: int  # bytes of the page: it must grow with the rows, or nothing more was shown


def queries_of(client: Client, url: str, data: dict[str, Any] | None = None) -> Measured:
    """The SQL of one request (GET, or POST with ``data``), which must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url) if data is None else client.post(url, data)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        else:
            body = response.content
    assert response.status_code == 200, (url, response.status_code)
    return Measured([query["sql"] for query in captured.captured_queries], len(body))


def _shape(sql: str) -> str:
    """A query without its values, to say which kind of query the larger page repeated."""
    head = re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", sql.split(" WHERE ")[0])
    return head[:160]


def assert_flat(small: Measured, large: Measured, what: str) -> None:
    assert large.size > small.size, f"{what}: the larger page shows no more than the smaller"
    if len(large.queries) <= len(small.queries):
        return
    extra = Counter(map(_shape, large.queries)) - Counter(map(_shape, small.queries))
    detail = "\n".join(f"  +{n}  {shape}" for shape, n in extra.most_common(8))
    pytest.fail(
        f"{what}: {len(small.queries)} queries with a few rows, {len(large.queries)} with more:"
        f"\n{detail}",
        pytrace=False,
    )


def measure(client: Client, url: str, data: dict[str, Any] | None = None) -> Measured:
    queries_of(client, url, data)  # warm up: session refresh, first-use caches
    return queries_of(client, url, data)


def check(
    client: Client, url: Callable[[], str], grow: Callable[[], None], what: str, **post: Any
) -> None:
    data = post or None
    small = measure(client, url(), data)
    grow()
    large = measure(client, url(), data)
    if REPORT:
        print(f"\n{what}: {len(small.queries)} → {len(large.queries)} queries")
    assert_flat(small, large, what)


# --- making rows in bulk ----------------------------------------------------------------------


def _data(n: int, **extra: Any) -> IncidentData:
    values: dict[str, Any] = {
        "when": When("exact", 2026, "2026-10", f"2026-10-{1 + n % 28:02d}"),
        "country": "GT",
        "subdivision": "GT-16",
        "title": f"Car outside the office {n}",
        "narrative": f"A white {WORD} without plates waited outside the office, night {n}.",
        "types": ("death_threat", "surveillance") if n % 2 else ("surveillance",),
        "nature": "physical",
        "analysis": "They know the routine.",
    }
    values.update(extra)
    return IncidentData(**values)


def add_incidents(user: User, keyring: Keyring, cases: list[Case], count: int) -> list[Incident]:
    """``count`` incidents spread over ``cases``, through the import's bulk path."""
    made, texts = [], []
    for n, case in zip(range(count), itertools.cycle(cases), strict=False):
        incident, values = new_incident(user, case.id, _data(n))
        made.append(incident)
        texts.append(values)
    return records.create_many(user, keyring, made, texts, audit="incident.created")


def open_cases(user: User, keyring: Keyring, count: int, start: int = 0) -> list[Case]:
    profiles = [
        case_actions.DefenderProfile(
            kind="individual", country="GT", subdivision="GT-16", name=f"Defender {start + n}"
        )
        for n in range(count)
    ]
    return case_actions.open_cases(actor=user, keyring=keyring, profiles=profiles)


def add_actors(
    user: User, keyring: Keyring, case: Case, count: int, name: str = "Patrol"
) -> list[Actor]:
    actors = [Actor(case_id=case.id, actor_type="police", created_by=user) for _n in range(count)]
    values = [{"name": f"{name} {n}"} for n in range(count)]
    return records.create_many(user, keyring, actors, values, audit="actor.created")


def attach(user: User, keyring: Keyring, case: Case, record_type: str, record_id: Any) -> None:
    attachment_actions.add_attachment(
        actor=user,
        keyring=keyring,
        case=case,
        record_type=record_type,
        record_id=record_id,
        upload=encrypt_bytes("note.txt", b"evidence text"),
        staff_only=False,
    )


def assess(user: User, keyring: Keyring, case: Case, incident: Incident) -> ThreatAssessment:
    return threat_actions.start_assessment(
        actor=user,
        keyring=keyring,
        case=case,
        facts=threat_actions.Facts("Watched", "The car again.", (incident.id,)),
    )


SCENARIO = risk_actions.ScenarioData(
    "Attack on the road home",
    4,
    4,
    5,
    components=(
        risk_actions.ComponentData("exposure", "vulnerability", 5, "No signal for 9 km"),
        risk_actions.ComponentData("networks", "capacity", 2),
    ),
)


def add_scenarios(user: User, keyring: Keyring, analysis: RiskAnalysis, count: int) -> None:
    for _n in range(count):
        risk_actions.save_scenario(
            actor=user, keyring=keyring, analysis=analysis, data=SCENARIO, scenario=None
        )


PROTOCOLS = ("office_home", "field_trips", "meetings", "information", "communications")
CONTINGENCIES = ("arrest_detention", "abduction_disappearance", "physical_attack", "raid")


def fill_plan(
    user: User, keyring: Keyring, version: PlanVersion, measures: int, kinds: slice
) -> None:
    analysis = RiskAnalysis.objects.filter(case_id=version.case_id).order_by("-created_at").first()
    target = analysis.scenarios.first() if analysis else None
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if version.started_on > yesterday:  # a plan of last month, so measures can be past due
        version.started_on = yesterday - datetime.timedelta(days=30)
        PlanVersion.objects.filter(pk=version.pk).update(started_on=version.started_on)
    for n in range(measures):
        plan_actions.save_measure(
            actor=user,
            keyring=keyring,
            version=version,
            data=plan_actions.MeasureData(
                f"Accompany her home {n}",
                "protection",
                target_scenario_id=target.id if target else None,
                owner="Caseworker",
                owner_is_defender=n % 2 == 0,
                due=yesterday if n % 3 == 0 else None,
            ),
        )
    for kind in PROTOCOLS[kinds]:
        plan_actions.save_protocol(
            actor=user, keyring=keyring, version=version, kind=kind, text="Lock the door."
        )
    start = timezone.now() + datetime.timedelta(hours=1)
    for kind in CONTINGENCIES[kinds]:
        plan_actions.save_contingency(
            actor=user,
            keyring=keyring,
            version=version,
            kind=kind,
            data=plan_actions.ContingencyData(
                "1. Call the lawyer.",
                who="The caseworker",
                contacts="The lawyer",
                schedule=plan_actions.Schedule(12, start, start + datetime.timedelta(hours=24)),
            ),
        )


# --- the pages ------------------------------------------------------------------------------


@pytest.fixture
def caseworker(desks: Desks, signed_in_client) -> tuple[User, Keyring, Client]:
    return desks.caseworker, keyring_of(desks.caseworker), signed_in_client(desks.caseworker)


def test_the_coordinators_dashboard(desks: Desks, signed_in_client):
    coordinator = desks.coordinator
    keyring = keyring_of(coordinator)
    client = signed_in_client(coordinator)

    def grow_by(count: int) -> None:
        for _n in range(count):  # staff accounts too: the dashboard counts who lacks 2FA
            number = User.objects.count()
            add_user(coordinator, "caseworker", f"staff{number}@example.org", f"Staff {number}")
        cases = open_cases(coordinator, keyring, count, start=Case.objects.count())
        add_incidents(coordinator, keyring, cases, count * 2)
        for case in cases[:count]:
            version = plan_actions.start_plan(actor=coordinator, keyring=keyring, case=case)
            fill_plan(coordinator, keyring, version, measures=1, kinds=slice(0))
            analysis = risk_actions.start_analysis(actor=coordinator, keyring=keyring, case=case)
            add_scenarios(coordinator, keyring, analysis, 1)
        case_actions.change_status(
            actor=coordinator, keyring=keyring, case=cases[0], status="monitoring"
        )

    grow_by(FEW)
    check(client, lambda: "/", lambda: grow_by(MORE - FEW), "the coordinator's dashboard")


@pytest.mark.parametrize(
    "filters",
    [
        None,
        {"types": ["death_threat", "raid"], "country": "GT", "severity_min": 2, "words": WORD},
    ],
    ids=["get", "filtered"],
)
def test_the_incident_list(desks: Desks, caseworker, filters):
    user, keyring, client = caseworker

    def grow_by(count: int) -> None:
        cases = open_cases(user, keyring, count, start=Case.objects.count())
        add_incidents(user, keyring, [desks.case, *cases], count * 2)

    grow_by(FEW)
    check(
        client,
        lambda: "/incidents/",
        lambda: grow_by(MORE - FEW),
        "the incident list",
        **(filters or {}),
    )


def test_the_keyword_search(desks: Desks, caseworker):
    user, keyring, client = caseworker

    def grow_by(count: int) -> None:
        cases = open_cases(user, keyring, count // 2, start=Case.objects.count())
        incidents = add_incidents(user, keyring, [desks.case, *cases], count)
        add_actors(user, keyring, desks.case, count, name=f"The {WORD} driver")  # hits too
        assess(user, keyring, desks.case, incidents[0])  # not a hit

    grow_by(FEW)
    check(client, lambda: "/search/", lambda: grow_by(MORE - FEW), "the search", query=WORD)


def test_the_case_page(desks: Desks, caseworker):
    user, keyring, client = caseworker
    case = desks.case

    def grow_by(count: int) -> None:
        incidents = add_incidents(user, keyring, [case], count)
        add_actors(user, keyring, case, count)
        for incident in incidents:
            attach(user, keyring, case, "cases.case", case.id)
            assess(user, keyring, case, incident)

    grow_by(FEW)
    url = reverse("cases:detail", args=[case.id])
    check(client, lambda: url, lambda: grow_by(MORE - FEW), "the case page")


def test_the_incident_page(desks: Desks, caseworker):
    user, keyring, client = caseworker
    case = desks.case
    incident = incident_actions.log_incident(actor=user, keyring=keyring, case=case, data=_data(0))
    other = add_incidents(user, keyring, [case], 1)[0]

    def grow_by(count: int) -> None:
        actors = add_actors(user, keyring, case, count)
        IncidentPerpetrator.objects.bulk_create(
            IncidentPerpetrator(case_id=case.id, incident=target, actor=actor)
            for actor in actors
            for target in (incident, other)  # each actor repeated in another incident
        )
        records.create_many(
            user,
            keyring,
            [
                IncidentSource(
                    case_id=case.id, incident=incident, connection="witness", reliability="unsure"
                )
                for _n in range(count)
            ],
            [{"description": f"Witness {n}"} for n in range(count)],
            audit=None,
        )
        for _n in range(count):
            attach(user, keyring, case, "incidents.incident", incident.id)

    grow_by(FEW)
    url = reverse("incidents:detail", args=[case.id, incident.id])
    check(client, lambda: url, lambda: grow_by(MORE - FEW), "the incident page")


def test_the_risk_analysis_page(desks: Desks, caseworker):
    """The newest of two analyses (each scenario compared with the one before), its scenarios
    resting on assessments of the case."""
    user, keyring, client = caseworker
    incident = add_incidents(user, keyring, [desks.case], 1)[0]
    first = risk_actions.start_analysis(actor=user, keyring=keyring, case=desks.case)
    add_scenarios(user, keyring, first, FEW)
    analysis = risk_actions.start_analysis(actor=user, keyring=keyring, case=desks.case)

    def grow_by(count: int) -> None:
        for _n in range(count):
            assessment = assess(user, keyring, desks.case, incident)
            risk_actions.save_scenario(
                actor=user,
                keyring=keyring,
                analysis=analysis,
                data=dataclasses.replace(SCENARIO, assessment_id=assessment.id),
            )

    grow_by(FEW)
    url = reverse("risk:analysis", args=[desks.case.id, analysis.id])
    check(client, lambda: url, lambda: grow_by(MORE - FEW), "the risk analysis page")


@pytest.mark.parametrize("page", ["plans:plan", "plans:pdf"])
def test_the_plan_page_and_its_pdf(desks: Desks, caseworker, page):
    user, keyring, client = caseworker
    analysis = risk_actions.start_analysis(actor=user, keyring=keyring, case=desks.case)
    add_scenarios(user, keyring, analysis, 1)
    version = plan_actions.start_plan(actor=user, keyring=keyring, case=desks.case)
    fill_plan(user, keyring, version, measures=FEW, kinds=slice(0, 1))
    url = reverse(page, args=[desks.case.id])
    check(
        client,
        lambda: url,
        lambda: fill_plan(user, keyring, version, measures=MORE - FEW, kinds=slice(1, 4)),
        f"the page {page}",
    )
