"""The desk-wide views read the flags stored today, and compute only what the calendar moved."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from protectdesk.incidents.actions import PerpetratorEntry, When
from protectdesk.incidents.models import Actor
from protectdesk.management.commands.worker import _DailyFlags
from protectdesk.records.models import Case
from protectdesk.threats import queries
from protectdesk.threats.models import Escalation
from tests.conftest import caseworker_with_a_case
from tests.incidents.helpers import log_incident_with


def _same_actor_twice(desks) -> None:
    """Two incidents naming one actor, known by their year only (no window can place them):
    a repeated perpetrator and no other flag, whatever today's date."""
    guard = PerpetratorEntry(new_actor_type="private_security", new_actor_name="Guard")
    when = When("year", 2019, "", "")
    log_incident_with(desks.caseworker, desks.case, when=when, perpetrators=(guard,))
    actor = Actor.objects.get(case=desks.case)
    log_incident_with(
        desks.caseworker,
        desks.case,
        when=when,
        perpetrators=(PerpetratorEntry(actor_id=actor.id),),
    )


def test_rows_stored_today_are_read_without_reading_any_incident(desks):
    _same_actor_twice(desks)
    fresh = queries.escalation_now([desks.case.id])[desks.case.id]
    with CaptureQueriesContext(connection) as captured:
        standing = queries.standing_today(Case.objects.filter(pk=desks.case.id))[desks.case.id]
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "threats_escalation" in tables
    assert "incidents_incident" not in tables and "incidents_incidentperpetrator" not in tables
    assert standing.flags == [flag.as_json() for flag in fresh.flags]
    assert [flag["code"] for flag in standing.flags] == ["repeated_perpetrator"]
    assert (standing.gravity, standing.latest) == (fresh.gravity, fresh.latest)


def test_a_row_of_an_earlier_day_and_a_missing_row_are_computed_fresh(desks):
    _same_actor_twice(desks)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Escalation.objects.filter(case=desks.case).update(flags=[], gravity=0, computed_on=yesterday)
    _worker, quiet = caseworker_with_a_case("Quiet Desk", "QD", "Quiet Worker", "Quiet")
    assert not Escalation.objects.filter(case=quiet).exists()

    standing = queries.standing_today(Case.objects.filter(pk__in=[desks.case.id, quiet.id]))
    assert [flag["code"] for flag in standing[desks.case.id].flags] == ["repeated_perpetrator"]
    assert standing[desks.case.id].gravity > 0
    assert standing[quiet.id].flags == [] and standing[quiet.id].today == timezone.localdate()
    # Reading stores nothing: a page view is not a write.
    assert Escalation.objects.get(case=desks.case).computed_on == yesterday


def test_the_workers_daily_refresh_brings_every_row_to_today(desks):
    _same_actor_twice(desks)
    today = timezone.localdate()
    Escalation.objects.filter(case=desks.case).update(
        flags=[], computed_on=today - datetime.timedelta(days=1)
    )
    daily = _DailyFlags()
    assert daily.tick() is False, "started today: nothing to do until the date changes"
    daily._done_for = today - datetime.timedelta(days=1)
    assert daily.tick() is True
    row = Escalation.objects.get(case=desks.case)
    assert row.computed_on == today
    assert [flag["code"] for flag in row.flags] == ["repeated_perpetrator"]
    assert daily.tick() is False
