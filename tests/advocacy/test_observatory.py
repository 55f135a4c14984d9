"""The observatory: instruments, assessments against every criterion, and the comparison of
countries against hand-worked numbers."""

from __future__ import annotations

import datetime

import pytest

from protectdesk import vocabularies
from protectdesk.advocacy import actions, queries
from protectdesk.advocacy.forms import AssessmentForm
from protectdesk.advocacy.models import Assessment
from protectdesk.records.actions import EditConflict

CRITERIA = sorted(vocabularies.load("policy_criteria").codes())


def _instrument(actor, country="GT", status="in_force", title="Protection policy"):
    return actions.save_instrument(
        actor=actor,
        data=actions.InstrumentData(country, "policy", title, status, datetime.date(2024, 1, 5)),
    )


def _assess(actor, instrument, scores, day=datetime.date(2026, 5, 1)):
    values = {code: (scores.get(code, 2), f"because {code}") for code in CRITERIA}
    return actions.assess(actor=actor, instrument=instrument, scores=values, assessed_on=day)


def test_an_assessment_scores_every_criterion_on_the_scale(desks):
    instrument = _instrument(desks.caseworker)
    with pytest.raises(ValueError, match="every criterion"):
        actions.assess(
            actor=desks.caseworker,
            instrument=instrument,
            scores={"legal_basis": (3, "")},
            assessed_on=datetime.date(2026, 5, 1),
        )
    with pytest.raises(ValueError, match="from 0 to 4"):
        _assess(desks.caseworker, instrument, {"budget": 5})
    assert not Assessment.objects.exists()
    form = AssessmentForm(
        {"assessed_on": "2026-05-01", **{f"score_{c}": "2" for c in CRITERIA}, "score_budget": "7"}
    )
    assert not form.is_valid()
    assert form.errors["score_budget"] == ["Give “Budget” a score from 0 to 4."]


def test_countries_compare_by_the_latest_assessment_of_instruments_in_force(desks):
    cw = desks.caseworker
    law = _instrument(cw, "GT", title="Law 1")
    _assess(cw, law, {"legal_basis": 1}, datetime.date(2025, 1, 1))  # superseded below
    _assess(cw, law, {"legal_basis": 4, "budget": 0})
    mechanism = _instrument(cw, "GT", title="Mechanism")
    _assess(cw, mechanism, {"legal_basis": 3, "budget": 1})
    _instrument(cw, "GT", title="Never assessed")
    repealed = _instrument(cw, "HN", status="repealed", title="Old decree")
    _assess(cw, repealed, {"legal_basis": 0})
    policy = _instrument(cw, "HN", title="Policy")
    _assess(cw, policy, {"legal_basis": 1})
    result = queries.compare(cw, ["GT", "HN"])
    by_label = dict(result.rows)
    legal = vocabularies.load("policy_criteria").label("legal_basis")
    budget = vocabularies.load("policy_criteria").label("budget")
    # GT legal basis: (4 + 3) / 2 = 3.5; budget (0 + 1) / 2 = 0.5. HN: the repealed decree
    # does not count: legal basis 1, budget 2.
    assert [value for _name, value in by_label[legal]] == ["3.5", "1"]
    assert [value for _name, value in by_label[budget]] == ["0.5", "2"]
    # All criteria, GT: law (4 + 0 + 9 × 2) = 22, mechanism (3 + 1 + 18) = 22 → 44 / 22 = 2.
    assert [value for _name, value in result.overall] == ["2", "1.9"]
    assert [n for _name, n in result.counted] == [2, 1]


def test_an_instrument_belongs_to_its_desk_and_a_stale_edit_saves_nothing(desks, signed_in_client):
    instrument = _instrument(desks.caseworker)
    outsider = signed_in_client(desks.outsider)
    assert outsider.get(f"/observatory/instruments/{instrument.id}/").status_code == 404
    actions.save_instrument(
        actor=desks.coordinator,
        data=actions.InstrumentData("GT", "policy", "Renamed"),
        instrument=instrument,
        expected_version=1,
    )
    with pytest.raises(EditConflict):
        actions.save_instrument(
            actor=desks.caseworker,
            data=actions.InstrumentData("GT", "policy", "Stale"),
            instrument=instrument,
            expected_version=1,
        )
    instrument.refresh_from_db()
    assert instrument.title == "Renamed"
    client = signed_in_client(desks.caseworker)
    page = client.post(
        f"/observatory/instruments/{instrument.id}/",
        {
            "country": "GT",
            "kind": "policy",
            "title": "Mine",
            "status": "in_force",
            "row_version": "1",
        },
    )
    assert page.status_code == 409 and "Renamed" in page.content.decode()
