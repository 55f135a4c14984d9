"""Protection plans through the real actions and pages: versions, reviews, what the defender
may do, the bad inputs of issue 12, check-ins, early review and the dashboard."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from protectdesk.incidents.actions import When
from protectdesk.plans import actions, dashboard, queries
from protectdesk.plans.models import CheckIn, Contingency, Measure, PlanVersion, Protocol
from protectdesk.risk import actions as risk_actions
from tests.conftest import caseworker_with_a_case, keyring_of
from tests.incidents.helpers import log_incident_with


def _plan(desks):
    return actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )


def _measure(desks, version, **extra):
    data = actions.MeasureData(
        extra.pop("description", "Accompany her home"), extra.pop("strategy", "protection"), **extra
    )
    return actions.save_measure(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), version=version, data=data
    )


def _rows(model, **where):
    """The raw stored rows (every column, ciphertext included), to compare byte for byte."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    condition = " AND ".join(f"{k} = %s" for k in where)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {condition} ORDER BY id",  # noqa: S608 - names from the model
            [
                str(v).replace("-", "") if connection.vendor == "sqlite" else v
                for v in where.values()
            ],
        )
        return [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in cursor.fetchall()
        ]


def test_a_review_makes_a_new_version_and_leaves_the_old_one_byte_for_byte(desks):
    version = _plan(desks)
    keyring = keyring_of(desks.caseworker)
    version = actions.update_plan(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        data=actions.PlanData(
            version.next_review, "The threats", "The vulnerabilities", "The capacities", "staff"
        ),
        expected_version=version.row_version,
    )
    _measure(desks, version)
    actions.save_protocol(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="meetings",
        text="Vary places",
    )
    actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="raid",
        data=actions.ContingencyData("1. Call the lawyer.", "The desk", "Lawyer: 000"),
    )
    before = {
        model: _rows(
            model, **({"id": version.pk} if model is PlanVersion else {"version_id": version.pk})
        )
        for model in (PlanVersion, Measure, Protocol, Contingency)
    }
    new = actions.review(actor=desks.caseworker, keyring=keyring, case=desks.case, from_number=1)
    assert new.number == 2 and actions.current(desks.case).pk == new.pk
    after = {
        model: _rows(
            model, **({"id": version.pk} if model is PlanVersion else {"version_id": version.pk})
        )
        for model in (PlanVersion, Measure, Protocol, Contingency)
    }
    assert after == before and all(before.values())
    opened = keyring.opened(new)
    assert opened.threats_to_reduce == "The threats" and opened.staff_notes == "staff"
    assert (
        new.measures.count() == 1 and new.protocols.count() == 1 and new.contingencies.count() == 1
    )
    # The old version refuses writes.
    with pytest.raises(actions.Frozen):
        _measure(desks, version)
    with pytest.raises(actions.Frozen):
        actions.mark_done(actor=desks.caseworker, keyring=keyring, measure=version.measures.get())


def test_a_review_started_twice_makes_one_version(desks, signed_in_client):
    _plan(desks)
    client = signed_in_client(desks.caseworker)
    url = reverse("plans:review", args=[desks.case.id])
    first = client.post(url, {"from": "1"}, follow=True)
    second = client.post(url, {"from": "1"}, follow=True)  # the other tab
    assert "Version 2 of the plan is started" in first.content.decode()
    assert "This review was already made: version 2 is the current plan." in second.content.decode()
    assert PlanVersion.objects.filter(case=desks.case).count() == 2
    with pytest.raises(actions.ReviewAlreadyStarted):
        actions.review(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            case=desks.case,
            from_number=1,
        )


def test_a_target_of_another_case_and_a_due_date_before_the_plan_are_refused(
    desks, signed_in_client
):
    version = _plan(desks)
    other_worker, other_case = caseworker_with_a_case("Far Desk", "FD", "Far Worker", "Far One")
    analysis = risk_actions.start_analysis(
        actor=other_worker, keyring=keyring_of(other_worker), case=other_case
    )
    theirs = risk_actions.save_scenario(
        actor=other_worker,
        keyring=keyring_of(other_worker),
        analysis=analysis,
        data=risk_actions.ScenarioData("Theirs", 3, 3, 3),
    )
    with pytest.raises(actions.NotInCase):
        _measure(desks, version, target_scenario_id=theirs.id)
    with pytest.raises(actions.DueBeforePlan):
        _measure(desks, version, due=version.started_on - datetime.timedelta(days=1))
    client = signed_in_client(desks.caseworker)
    url = reverse("plans:new_measure", args=[desks.case.id])
    forged = client.post(
        url,
        {
            "description": "Kept text",
            "strategy": "protection",
            "status": "planned",
            "target": f"s:{theirs.id}",
        },
    )
    assert forged.status_code == 400 and "Kept text" in forged.content.decode()
    early = client.post(
        url,
        {
            "description": "Kept text",
            "strategy": "protection",
            "status": "planned",
            "due": (version.started_on - datetime.timedelta(days=3)).isoformat(),
        },
    )
    page = early.content.decode()
    assert early.status_code == 400 and "Choose a due date on or after the plan&#x27;s date" in page
    assert "Kept text" in page and not Measure.objects.filter(case=desks.case).exists()


def test_the_defender_reads_the_plan_and_marks_only_their_own_measures(desks, signed_in_client):
    version = _plan(desks)
    keyring = keyring_of(desks.caseworker)
    version = actions.update_plan(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        data=actions.PlanData(
            version.next_review, "Threats we reduce", staff_notes="Staff only remark"
        ),
        expected_version=version.row_version,
    )
    theirs = _measure(desks, version, description="Share my location", owner_is_defender=True)
    staffs = _measure(desks, version, description="Meet the prosecutor")
    client = signed_in_client(desks.defender)
    page = client.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    assert "Threats we reduce" in page and "Share my location" in page
    assert "Staff only remark" not in page
    assert (
        client.post(reverse("plans:measure_done", args=[desks.case.id, theirs.id])).status_code
        == 302
    )
    assert (
        client.post(reverse("plans:measure_done", args=[desks.case.id, staffs.id])).status_code
        == 404
    )
    theirs.refresh_from_db(), staffs.refresh_from_db()
    assert (theirs.status, staffs.status) == ("done", "planned")
    for name in ("plans:edit", "plans:new_measure"):
        assert client.get(reverse(name, args=[desks.case.id])).status_code == 404
    version_page = client.get(reverse("plans:version", args=[desks.case.id, 1])).content.decode()
    assert "Staff only remark" not in version_page


def test_a_high_risk_scenario_met_only_by_capacity_building_is_warned(desks, signed_in_client):
    keyring = keyring_of(desks.caseworker)
    analysis = risk_actions.start_analysis(actor=desks.caseworker, keyring=keyring, case=desks.case)
    scenario = risk_actions.save_scenario(
        actor=desks.caseworker,
        keyring=keyring,
        analysis=analysis,
        data=risk_actions.ScenarioData(
            "Road attack",
            5,
            5,
            5,
            components=(
                risk_actions.ComponentData("exposure", "vulnerability", 5),
                risk_actions.ComponentData("networks", "capacity", 1),
            ),
        ),
    )
    version = _plan(desks)
    client = signed_in_client(desks.caseworker)
    assert (
        "no measure targets it yet"
        in client.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    )
    _measure(
        desks,
        version,
        description="Security training",
        target_scenario_id=scenario.id,
        builds_capacity=True,
    )
    page = client.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    assert "every measure against it builds a capacity" in page
    _measure(desks, version, description="Accompaniment", target_scenario_id=scenario.id)
    page = client.get(reverse("plans:plan", args=[desks.case.id])).content.decode()
    assert (
        "every measure against it builds a capacity" not in page
        and "no measure targets" not in page
    )


def test_a_check_in_schedule_and_a_missed_check_in(desks, signed_in_client):
    version = _plan(desks)
    keyring = keyring_of(desks.caseworker)
    start = timezone.now() + datetime.timedelta(hours=1)
    actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="arrest_detention",
        data=actions.ContingencyData(
            "1. Call the lawyer.",
            schedule=actions.Schedule(6, start, start + datetime.timedelta(hours=24)),
        ),
    )
    assert CheckIn.objects.filter(case=desks.case).count() == 5  # +1 h, 7 h, 13 h, 19 h, 25 h
    # Changing the schedule replaces the pending check-ins.
    actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="arrest_detention",
        data=actions.ContingencyData(
            "1. Call the lawyer.",
            schedule=actions.Schedule(12, start, start + datetime.timedelta(hours=24)),
        ),
    )
    assert CheckIn.objects.filter(case=desks.case).count() == 3
    # One was due two hours ago and nobody checked in: every member's home page says so.
    late = CheckIn.objects.filter(case=desks.case).first()
    CheckIn.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    for member in (desks.caseworker, desks.defender):
        home = signed_in_client(member).get("/").content.decode()
        assert "Missed check-in" in home and desks.case.reference in home, member
    assert "Missed check-in" not in signed_in_client(desks.caseworker2).get("/").content.decode()
    # The defender records it; the alarm goes.
    client = signed_in_client(desks.defender)
    assert (
        client.post(
            reverse("plans:check_in", args=[desks.case.id, late.id]), {"note": "All well"}
        ).status_code
        == 302
    )
    assert "Missed check-in" not in signed_in_client(desks.caseworker).get("/").content.decode()
    assert keyring_of(desks.caseworker).opened(CheckIn.objects.get(pk=late.pk)).note == "All well"


def test_a_serious_new_incident_marks_the_plan_for_early_review(desks):
    log_incident_with(  # before the plan, long ago: no flag with the next one
        desks.caseworker, desks.case, types=("physical_attack",), when=When("year", 2020)
    )
    version = _plan(desks)
    log_incident_with(desks.caseworker, desks.case, types=("surveillance",))
    version.refresh_from_db()
    assert version.early_review == ""  # severity 3: not serious, and no flag
    log_incident_with(desks.caseworker, desks.case, types=("physical_attack",))
    version.refresh_from_db()
    assert version.early_review == "incident" and version.early_review_since is not None
    new = actions.review(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case, from_number=1
    )
    assert new.early_review == ""  # the review answers it


def test_an_escalation_flag_resting_on_a_new_incident_marks_the_plan(desks):
    version = _plan(desks)
    today = timezone.localdate()
    for days in (5, 2):  # two in the last 30 days against none before (at month precision too)
        day = today - datetime.timedelta(days=days)
        log_incident_with(
            desks.caseworker,
            desks.case,
            types=("surveillance",),
            when=When("exact", day.year, day.isoformat()[:7], day.isoformat()),
        )
    version.refresh_from_db()
    assert version.early_review == "escalation"


def test_the_dashboard_ranks_what_needs_attention_first(desks, signed_in_client):
    version = _plan(desks)
    late = CheckIn.objects.create(
        case=desks.case, kind="raid", due_at=timezone.now() - datetime.timedelta(hours=3)
    )
    assert late.done_at is None
    PlanVersion.objects.filter(pk=version.pk).update(
        next_review=timezone.localdate() - datetime.timedelta(days=1)
    )
    _worker, quiet = caseworker_with_a_case("Other Desk", "SD", "W", "Quiet")
    states = dashboard.desk_states(desks.coordinator)
    state = states[desks.case.id]
    assert state.missed == 1 and state.overdue and state.score == 100 + 15
    assert quiet.id not in states  # another desk's case
    top = dashboard.attention(states)
    assert top[0].case == desks.case
    assert top[0].reasons == ["1 check-in missed.", "Plan overdue for review."]
    home = signed_in_client(desks.coordinator).get("/").content.decode()
    assert desks.case.reference in home and "Ana Test Defender" not in home
    listing = (
        signed_in_client(desks.coordinator)
        .get(reverse("plans:dashboard_list", args=["missed"]))
        .content.decode()
    )
    assert desks.case.reference in listing and "1 check-in missed." in listing
    assert queries.missed_checkins([desks.case.id]) == [late]


def test_check_in_schedules_are_bounded_and_computed_not_walked(desks, signed_in_client):
    now = timezone.now()
    long_ago = actions.Schedule(
        1, now - datetime.timedelta(days=365 * 20), now + datetime.timedelta(hours=3, minutes=30)
    )
    slots = actions.checkin_slots(long_ago, now)
    assert 3 <= len(slots) <= 4 and all(now <= slot <= long_ago.until for slot in slots)
    assert [b - a for a, b in itertools.pairwise(slots)] == [datetime.timedelta(hours=1)] * (
        len(slots) - 1
    )
    with pytest.raises(actions.TooManyCheckIns) as many:
        actions.checkin_slots(actions.Schedule(1, now, now + datetime.timedelta(days=30)), now)
    assert many.value.count == 30 * 24 + 1
    _plan(desks)
    client = signed_in_client(desks.caseworker)
    url = reverse("plans:contingency", args=[desks.case.id, "raid"])
    start = (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    end = (now + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        url,
        {
            "steps": "Kept steps",
            "checkin_every_hours": "1",
            "checkin_from": start,
            "checkin_until": end,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "This makes 720 check-ins; at most 200" in page
    assert "Kept steps" in page and not Contingency.objects.filter(case=desks.case).exists()
    past = client.post(
        url,
        {
            "steps": "Kept steps",
            "checkin_every_hours": "2",
            "checkin_from": "2020-01-01 08:00",
            "checkin_until": "2020-01-02 08:00",
        },
    )
    assert past.status_code == 400 and "this schedule is already over" in past.content.decode()


def test_editing_the_steps_keeps_the_pending_check_ins(desks):
    version = _plan(desks)
    keyring = keyring_of(desks.caseworker)
    start = timezone.now() + datetime.timedelta(hours=2)
    schedule = actions.Schedule(6, start, start + datetime.timedelta(hours=12))
    actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="raid",
        data=actions.ContingencyData("1. Call", schedule=schedule),
    )
    ids = set(CheckIn.objects.filter(case=desks.case).values_list("pk", flat=True))
    actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="raid",
        data=actions.ContingencyData("1. Call the lawyer first", schedule=schedule),
    )
    assert set(CheckIn.objects.filter(case=desks.case).values_list("pk", flat=True)) == ids


def test_a_check_in_cannot_be_made_long_before_it_is_due(desks, signed_in_client):
    version = _plan(desks)
    start = timezone.now() + datetime.timedelta(hours=5)
    actions.save_contingency(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        version=version,
        kind="raid",
        data=actions.ContingencyData(
            "1. Call", schedule=actions.Schedule(6, start, start + datetime.timedelta(hours=1))
        ),
    )
    later = CheckIn.objects.get(case=desks.case)
    response = signed_in_client(desks.defender).post(
        reverse("plans:check_in", args=[desks.case.id, later.id]), follow=True
    )
    assert "not due yet" in response.content.decode()
    later.refresh_from_db()
    assert later.done_at is None


def test_a_stale_protocol_save_shows_the_conflict_and_keeps_the_typing(desks, signed_in_client):
    version = _plan(desks)
    keyring = keyring_of(desks.caseworker)
    first = actions.save_protocol(
        actor=desks.caseworker, keyring=keyring, version=version, kind="meetings", text="v1"
    )
    actions.save_protocol(
        actor=desks.caseworker,
        keyring=keyring,
        version=version,
        kind="meetings",
        text="Colleague's",
        expected_version=first.row_version,
    )
    response = signed_in_client(desks.caseworker).post(
        reverse("plans:protocol", args=[desks.case.id, "meetings"]),
        {"text": "Mine, typed on a stale page", "row_version": str(first.row_version)},
    )
    page = response.content.decode()
    assert (
        response.status_code == 409
        and "Colleague&#x27;s" in page
        and "Mine, typed on a stale page" in page
    )
    assert keyring_of(desks.caseworker).opened(version.protocols.get()).text == "Colleague's"


def test_a_measures_target_survives_a_new_analysis_and_its_scenario_is_not_deleted(
    desks, signed_in_client
):
    keyring = keyring_of(desks.caseworker)
    analysis = risk_actions.start_analysis(actor=desks.caseworker, keyring=keyring, case=desks.case)
    scenario = risk_actions.save_scenario(
        actor=desks.caseworker,
        keyring=keyring,
        analysis=analysis,
        data=risk_actions.ScenarioData("Road attack", 3, 3, 3),
    )
    version = _plan(desks)
    measure = _measure(desks, version, target_scenario_id=scenario.id)
    risk_actions.start_analysis(
        actor=desks.caseworker, keyring=keyring, case=desks.case
    )  # copies it
    page = (
        signed_in_client(desks.caseworker)
        .get(reverse("plans:measure", args=[desks.case.id, measure.id]))
        .content.decode()
    )
    assert (
        f'<option value="s:{scenario.id}" selected>Scenario of an earlier analysis: Road attack'
        in page
    )
    # The older analysis is frozen anyway; on the newest, a targeted scenario is refused too.
    newest = risk_actions.newest(desks.case)
    copy = newest.scenarios.get()
    _measure(desks, version, target_scenario_id=copy.id, description="Second")
    with pytest.raises(risk_actions.ScenarioInPlan):
        risk_actions.delete_scenario(actor=desks.caseworker, keyring=keyring, scenario=copy)
    assert (
        newest.scenarios.count() == 1
        and Measure.objects.get(pk=measure.pk).target_scenario_id == scenario.id
    )


def test_the_defender_is_not_told_why_the_plan_is_up_for_early_review(desks, signed_in_client):
    version = _plan(desks)
    PlanVersion.objects.filter(pk=version.pk).update(early_review="escalation")
    for url in (
        reverse("plans:plan", args=[desks.case.id]),
        reverse("cases:detail", args=[desks.case.id]),
    ):
        defender_page = signed_in_client(desks.defender).get(url).content.decode()
        staff_page = signed_in_client(desks.caseworker).get(url).content.decode()
        assert "early review" in defender_page and "escalation flag" not in defender_page, url
        assert "an escalation flag" in staff_page, url


def test_opening_a_form_that_shows_plan_content_is_audited(desks, signed_in_client):
    from protectdesk.audit.models import AuditEntry

    version = _plan(desks)
    measure = _measure(desks, version)
    client = signed_in_client(desks.caseworker)
    before = AuditEntry.objects.filter(action="plan.viewed").count()
    for url in (
        reverse("plans:measure", args=[desks.case.id, measure.id]),
        reverse("plans:protocol", args=[desks.case.id, "meetings"]),
        reverse("plans:contingency", args=[desks.case.id, "raid"]),
    ):
        assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="plan.viewed").count() == before + 3
