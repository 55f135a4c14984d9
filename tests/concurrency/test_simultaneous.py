"""Scenario 3: truly simultaneous writes, in two threads with their own database connections.

A barrier releases both writers at the same instant, so both reach the row locks and the
version check of the records write path together; on SQLite the second queues on the write
lock (``BEGIN IMMEDIATE`` with a busy timeout, settings.py), on PostgreSQL on the case row.
Exactly one wins, the other gets :class:`EditConflict`, and what the winner wrote is stored.
The suite runs on both databases (``.ci/run``), so each of these does too.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from protectdesk.audit import chain
from protectdesk.incidents import actions as incident_actions
from protectdesk.plans import actions as plan_actions
from protectdesk.plans.models import CheckIn, PlanVersion
from protectdesk.records import actions as records
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring
from protectdesk.risk import actions as risk_actions
from protectdesk.threats import actions as threat_actions
from tests.concurrency.kinds import stored, two_members
from tests.conftest import Desks, keyring_of
from tests.incidents.helpers import log_incident_with

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` at once, one thread each, released together; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(n: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[n] = call()
        except BaseException as error:
            outcomes[n] = error
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return outcomes


@dataclass(frozen=True)
class Edit:
    """A record and how one person saves a text into it from a form loaded at ``version``."""

    record: Any
    field: str
    save: Callable[[Any, Keyring, str, int], Any]  # (user, keyring, text, version)


def _incident(desks: Desks) -> Edit:
    incident = log_incident_with(desks.caseworker, desks.case)

    def save(user: Any, keyring: Keyring, text: str, version: int) -> Any:
        data = incident_actions.IncidentData(
            when=incident_actions.When("exact", 2026, "2026-10", "2026-10-12"),
            country="GT",
            title="Car outside the office",
            narrative=text,
            types=("surveillance",),
            nature="physical",
        )
        return incident_actions.update_incident(
            actor=user, keyring=keyring, incident=incident, data=data, expected_version=version
        )

    return Edit(incident, "narrative", save)


def _plan(desks: Desks) -> Edit:
    plan = plan_actions.start_plan(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )

    def save(user: Any, keyring: Keyring, text: str, version: int) -> Any:
        data = plan_actions.PlanData(plan.next_review, threats_to_reduce=text)
        return plan_actions.update_plan(
            actor=user, keyring=keyring, version=plan, data=data, expected_version=version
        )

    return Edit(plan, "threats_to_reduce", save)


def _risk_analysis(desks: Desks) -> Edit:
    analysis = risk_actions.start_analysis(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )

    def save(user: Any, keyring: Keyring, text: str, version: int) -> Any:
        data = risk_actions.AnalysisData(analysis.threshold, summary=text)
        return risk_actions.update_analysis(
            actor=user, keyring=keyring, analysis=analysis, data=data, expected_version=version
        )

    return Edit(analysis, "summary", save)


def _threat_assessment(desks: Desks) -> Edit:
    incident = log_incident_with(desks.caseworker, desks.case)
    assessment = threat_actions.start_assessment(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        facts=threat_actions.Facts("Threat at the market", "He said so.", (incident.id,)),
    )

    def save(user: Any, keyring: Keyring, text: str, version: int) -> Any:
        return threat_actions.save_step(
            actor=user,
            keyring=keyring,
            assessment=assessment,
            data=threat_actions.Pattern(text),
            expected_version=version,
        )

    return Edit(assessment, "pattern", save)


EDITS = {
    "incident": _incident,
    "plan": _plan,
    "risk_analysis": _risk_analysis,
    "threat_assessment": _threat_assessment,
}


def _saving(edit: Edit, user: Any, keyring: Keyring, text: str, version: int) -> Callable[[], Any]:
    return lambda: edit.save(user, keyring, text, version)


def _reviewing(user: Any, keyring: Keyring, case: Any, number: int) -> Callable[[], Any]:
    return lambda: plan_actions.review(actor=user, keyring=keyring, case=case, from_number=number)


def test_simultaneous_saves_and_reviews_one_wins_the_other_is_told(desks):
    """Each kind in turn, then two reviews of the plan (one test: a transactional test empties
    every table afterwards, which is what costs here)."""
    two_members(desks)
    people = [
        (desks.caseworker, keyring_of(desks.caseworker), "Alice's words"),
        (desks.caseworker2, keyring_of(desks.caseworker2), "Bob's words"),
    ]
    for name, make in EDITS.items():
        edit = make(desks)
        version = type(edit.record)._default_manager.get(pk=edit.record.pk).row_version
        outcomes = race(
            *(_saving(edit, user, keyring, text, version) for user, keyring, text in people)
        )
        conflicts = [n for n, o in enumerate(outcomes) if isinstance(o, EditConflict)]
        saved = [n for n, o in enumerate(outcomes) if not isinstance(o, BaseException)]
        assert len(conflicts) == 1 and len(saved) == 1, (name, outcomes)
        now = stored(desks, edit.record)
        assert now[edit.field] == people[saved[0]][2], name  # the winner's words, whole
        assert now["row_version"] == version + 1, name  # one write went in, not two

    # Two reviews of the plan (now holding Alice's or Bob's objectives) at the same instant.
    plan = plan_actions.current(desks.case)
    assert plan is not None
    before = stored(desks, plan)
    outcomes = race(
        *(_reviewing(user, keyring, desks.case, plan.number) for user, keyring, _text in people)
    )
    refused = [o for o in outcomes if isinstance(o, plan_actions.ReviewAlreadyStarted)]
    made = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(refused) == 1 and len(made) == 1, outcomes
    assert refused[0].current.pk == made[0].pk  # the refusal names the version made
    versions = PlanVersion.objects.filter(case=desks.case).order_by("number")
    assert [v.number for v in versions] == [plan.number, plan.number + 1]
    assert stored(desks, versions[0]) == before  # the reviewed version is kept as it was
    copy = stored(desks, versions[1])
    assert copy["threats_to_reduce"] == before["threats_to_reduce"]
    assert chain.verify().ok


def test_writes_meeting_at_the_case_lock_do_not_deadlock(desks, monkeypatch):
    """A staff member edits a defender's report while a colleague marks it reviewed; the
    defender checks in while staff replace the check-in schedule.

    Every write path locks the case row first and the record second (records.actions.lock_case);
    an edit or a check-in that locked its own row first would meet the other write holding the
    case and then updating (or deleting) that row: a deadlock, which PostgreSQL breaks by failing
    one of them with an error page. The rendezvous holds each writer just before the write
    path's case lock until the other arrives too (or a second has passed: a writer queued behind
    a lock the first holds never arrives), which is the moment the two orders would cross.
    """
    two_members(desks)
    rendezvous = [threading.Barrier(2)]
    lock = records._lock_case_version

    def meeting(keyring: Keyring, case_id: Any) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            rendezvous[0].wait(timeout=1)
        lock(keyring, case_id)

    monkeypatch.setattr(records, "_lock_case_version", meeting)

    # 1. A defender's report: edited by one, marked reviewed by the other.
    report = incident_actions.DefenderReport(
        when=incident_actions.When("year", 2026),
        country="GT",
        title="Men at the gate",
        narrative="As the defender wrote it",
        types=("surveillance",),
        nature="physical",
    )
    rendezvous[0] = threading.Barrier(1)  # the report itself goes through alone
    incident = incident_actions.report_incident(
        actor=desks.defender, keyring=keyring_of(desks.defender), case=desks.case, report=report
    )
    rendezvous[0] = threading.Barrier(2)
    data = incident_actions.IncidentData(
        when=report.when,
        country="GT",
        title="Men at the gate",
        narrative="Edited by staff",
        types=("surveillance",),
        nature="physical",
    )
    editor, reviewer = keyring_of(desks.caseworker), keyring_of(desks.caseworker2)
    edited, reviewed = race(
        lambda: incident_actions.update_incident(
            actor=desks.caseworker,
            keyring=editor,
            incident=incident,
            data=data,
            expected_version=incident.row_version,
        ),
        lambda: incident_actions.review_report(
            actor=desks.caseworker2, keyring=reviewer, incident=incident
        ),
    )
    assert not isinstance(reviewed, BaseException), reviewed
    assert not isinstance(edited, BaseException) or isinstance(edited, EditConflict), edited
    now = stored(desks, incident)
    assert now["reviewed_at"] is not None  # the review is not lost
    expected = "As the defender wrote it" if isinstance(edited, EditConflict) else "Edited by staff"
    assert now["narrative"] == expected

    # 2. A check-in due in half an hour, while its schedule is replaced.
    rendezvous[0] = threading.Barrier(1)
    plan = plan_actions.start_plan(actor=desks.caseworker, keyring=editor, case=desks.case)
    start = timezone.now() + datetime.timedelta(minutes=30)

    def schedule(hours: int) -> Any:
        return plan_actions.save_contingency(
            actor=desks.caseworker,
            keyring=editor,
            version=plan,
            kind="raid",
            data=plan_actions.ContingencyData(
                "1. Call the lawyer.",
                schedule=plan_actions.Schedule(hours, start, start + datetime.timedelta(hours=4)),
            ),
        )

    schedule(1)
    due = CheckIn.objects.filter(case=desks.case).order_by("due_at").first()
    rendezvous[0] = threading.Barrier(2)
    defender = keyring_of(desks.defender)
    checked, _rescheduled = race(
        lambda: plan_actions.record_checkin(
            actor=desks.defender, keyring=defender, checkin=due, note="All well"
        ),
        lambda: schedule(2),
    )
    assert not isinstance(_rescheduled, BaseException), _rescheduled
    if isinstance(checked, plan_actions.Rescheduled):  # the new schedule went first
        assert not CheckIn.objects.filter(pk=due.pk).exists()
    else:  # the check-in went first: it is kept (done check-ins are what happened)
        assert not isinstance(checked, BaseException), checked
        kept = CheckIn.objects.get(pk=due.pk)
        assert (
            kept.done_at is not None
            and keyring_of(desks.caseworker).opened(kept).note == "All well"
        )
