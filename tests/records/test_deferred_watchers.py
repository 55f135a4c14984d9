"""``records.actions.watchers_deferred``: inside, the watchers of a written type are noted
instead of run; on leaving, each runs once per case, on the case's final state; nothing runs
if the block raises; other types and cases are unaffected."""

from __future__ import annotations

import pytest

from protectdesk.cases import actions as case_actions
from protectdesk.incidents.models import Incident
from protectdesk.records import actions as records
from protectdesk.records import registry
from protectdesk.threats.models import Escalation
from tests.conftest import keyring_of
from tests.incidents.helpers import log_incident_with


@pytest.fixture
def calls(monkeypatch):
    seen: list[tuple[str, int]] = []

    def watcher(actor, keyring, case):
        seen.append((case.reference, Incident.objects.filter(case=case).count()))

    monkeypatch.setattr(
        registry,
        "WATCHES",
        [*registry.WATCHES, registry.Watch(frozenset({"incidents.incident"}), watcher)],
    )
    return seen


def test_each_watcher_runs_once_per_case_after_the_block(desks, calls):
    other = case_actions.open_case(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name="Other"),
    )
    log_incident_with(desks.caseworker, desks.case)
    assert len(calls) == 1, "outside the block a watcher runs after each write"
    calls.clear()
    with records.watchers_deferred():
        for _ in range(3):
            log_incident_with(desks.caseworker, desks.case, types=("death_threat",), severity=5)
        log_incident_with(desks.caseworker, other)
        with records.watchers_deferred():  # nested: joins the outer block
            log_incident_with(desks.caseworker, other)
        assert calls == []
    assert sorted(calls) == sorted([(desks.case.reference, 4), (other.reference, 2)])


def test_the_real_watchers_see_the_final_state(desks):
    """The escalation flags after a deferred block equal those of the same writes one by one."""
    twin = case_actions.open_case(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name="Twin"),
    )
    with records.watchers_deferred():
        for _ in range(3):
            log_incident_with(desks.caseworker, desks.case, types=("death_threat",), severity=5)
        assert not Escalation.objects.filter(case=desks.case).exists()
    for _ in range(3):
        log_incident_with(desks.caseworker, twin, types=("death_threat",), severity=5)

    def without_ids(case):
        escalation = Escalation.objects.get(case=case)
        flags = [{k: v for k, v in flag.items() if k != "incidents"} for flag in escalation.flags]
        return flags, [len(f["incidents"]) for f in escalation.flags], escalation.gravity

    deferred = without_ids(desks.case)
    assert deferred[0], "three death threats in a row raise a flag"
    assert deferred == without_ids(twin)


def test_nothing_runs_when_the_block_raises(desks, calls):
    def a_block_that_fails():
        with records.watchers_deferred():
            log_incident_with(desks.caseworker, desks.case)
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        a_block_that_fails()
    assert calls == []
    log_incident_with(desks.caseworker, desks.case)
    assert len(calls) == 1, "after the block, watchers run as usual again"
