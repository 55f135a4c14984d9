"""Risk analyses through the real actions and pages: computed and stored, history kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protectdesk.risk import actions
from protectdesk.risk.models import CaseRisk, Component, RiskAnalysis, Scenario
from protectdesk.threats import actions as threat_actions
from tests.conftest import caseworker_with_a_case, keyring_of
from tests.incidents.helpers import log_incident_with

HIGH_RISK = actions.ScenarioData(
    "Attack on the road home",
    5,
    4,
    5,
    components=(
        actions.ComponentData("exposure", "vulnerability", 5, "No signal for 9 km"),
        actions.ComponentData("field_work", "vulnerability", 4),
        actions.ComponentData("networks", "capacity", 2),
    ),
)


def _analysis(desks):
    return actions.start_analysis(
        actor=desks.caseworker, keyring=keyring_of(desks.caseworker), case=desks.case
    )


def _save(desks, analysis, data=HIGH_RISK, scenario=None):
    return actions.save_scenario(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        analysis=analysis,
        data=data,
        scenario=scenario,
        expected_version=scenario.row_version if scenario else None,
    )


def test_a_scenario_is_computed_and_the_case_band_stored(desks):
    analysis = _analysis(desks)
    scenario = _save(desks, analysis)
    # T 5 × mean(V) 4.5 / mean(C) 2 = 11.25: very high; likelihood 4 × impact 5 = 20: very high.
    assert scenario.index == pytest.approx(11.25)
    assert (scenario.band, scenario.matrix_band) == ("very_high", "very_high")
    assert Component.objects.filter(scenario=scenario).count() == 3
    risk = CaseRisk.objects.get(case=desks.case)
    assert (risk.band, risk.analysis_id) == ("very_high", analysis.id)
    mild = _save(
        desks,
        analysis,
        actions.ScenarioData(
            "Smear",
            2,
            2,
            2,
            components=(
                actions.ComponentData("media_image", "vulnerability", 2),
                actions.ComponentData("networks", "capacity", 4),
            ),
        ),
    )
    assert mild.band == "low"  # 2 × 2 / 4 = 1.0, the lower limit of "low"
    assert CaseRisk.objects.get(case=desks.case).band == "very_high"  # the worst scenario


def test_the_page_explains_both_readings_and_what_pushes_it_up(desks, signed_in_client):
    analysis = _analysis(desks)
    _save(desks, analysis)
    page = (
        signed_in_client(desks.caseworker)
        .get(reverse("risk:analysis", args=[desks.case.id, analysis.id]))
        .content.decode()
    )
    assert "Index 11.2 = threat 5 × vulnerabilities 4.5 ÷ capacities 2: very high." in page
    assert "Likelihood 4 × impact 5 = 20 of 25: very high." in page
    assert "What pushes it up most: Exposure (vulnerability 5); " in page
    assert "Above the acceptable risk (Medium)." in page


def test_a_new_analysis_copies_the_newest_and_keeps_it_as_it_was(desks, signed_in_client):
    first = _analysis(desks)
    scenario = _save(desks, first)
    before = {
        row.pk: (bytes(row.title), row.index, row.band)
        for row in Scenario.objects.filter(analysis=first)
    }
    second = _analysis(desks)
    copy = second.scenarios.get()
    assert keyring_of(desks.caseworker).opened(copy).title == "Attack on the road home"
    assert copy.components.count() == 3 and copy.pk != scenario.pk
    # The earlier analysis refuses changes, through the action and through the page.
    with pytest.raises(actions.NotNewest):
        _save(desks, first, scenario=scenario)
    response = signed_in_client(desks.caseworker).post(
        reverse("risk:scenario", args=[desks.case.id, first.id, scenario.id]),
        {
            "title": "Changed",
            "threat": "1",
            "likelihood": "1",
            "impact": "1",
            "row_version": str(scenario.row_version),
        },
    )
    assert response.status_code == 400 and "a newer one exists" in response.content.decode()
    assert {
        row.pk: (bytes(row.title), row.index, row.band)
        for row in Scenario.objects.filter(analysis=first)
    } == before
    # What changed since: the copy lowered by a stronger capacity.
    lowered = actions.ScenarioData(
        "Attack on the road home",
        5,
        4,
        5,
        components=(
            actions.ComponentData("exposure", "vulnerability", 5),
            actions.ComponentData("networks", "capacity", 5),
        ),
    )
    _save(desks, second, lowered, scenario=copy)
    page = (
        signed_in_client(desks.caseworker)
        .get(reverse("risk:analysis", args=[desks.case.id, second.id]))
        .content.decode()
    )
    assert (
        f"Lower than on {first.analysed_on.isoformat()}: very high → high (index 11.2 → 5)." in page
    )


def test_bad_ratings_and_an_assessment_of_another_case_are_refused(desks):
    analysis = _analysis(desks)
    for wrong in (0, 6):
        with pytest.raises(ValueError, match="rated 1 to 5"):
            _save(desks, analysis, actions.ScenarioData("x", wrong, 3, 3))
    with pytest.raises(ValueError, match="component"):
        _save(
            desks,
            analysis,
            actions.ScenarioData(
                "x", 3, 3, 3, components=(actions.ComponentData("not_a_component", "capacity", 3),)
            ),
        )
    other_worker, other_case = caseworker_with_a_case("Far Desk", "FD", "Far Worker", "Far One")
    incident = log_incident_with(other_worker, other_case)
    theirs = threat_actions.start_assessment(
        actor=other_worker,
        keyring=keyring_of(other_worker),
        case=other_case,
        facts=threat_actions.Facts("t", "f", (incident.id,)),
    )
    with pytest.raises(actions.NotInCase):
        _save(desks, analysis, actions.ScenarioData("x", 3, 3, 3, assessment_id=theirs.id))
    assert not Scenario.objects.filter(analysis=analysis).exists()


def test_a_scenario_starts_from_an_assessment(desks, signed_in_client):
    incident = log_incident_with(desks.caseworker, desks.case)
    keyring = keyring_of(desks.caseworker)
    assessment = threat_actions.start_assessment(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        facts=threat_actions.Facts("Threat at the market", "f", (incident.id,)),
    )
    for data in (
        threat_actions.Pattern("p"),
        threat_actions.Objective("punish"),
        threat_actions.Source(None, "unknown"),
        threat_actions.Conclusion("declared", "yes", "unknown", 4, "r"),
    ):
        assessment = threat_actions.save_step(
            actor=desks.caseworker,
            keyring=keyring,
            assessment=assessment,
            data=data,
            expected_version=assessment.row_version,
        )
    analysis = _analysis(desks)
    page = (
        signed_in_client(desks.caseworker)
        .get(
            reverse("risk:new_scenario", args=[desks.case.id, analysis.id])
            + f"?from={assessment.id}"
        )
        .content.decode()
    )
    assert 'value="Threat at the market"' in page
    assert f'<option value="{assessment.id}" selected>' in page


def test_the_defender_sees_no_risk_analysis(desks, signed_in_client):
    analysis = _analysis(desks)
    scenario = _save(desks, analysis)
    client = signed_in_client(desks.defender)
    page = client.get(reverse("cases:detail", args=[desks.case.id])).content.decode()
    assert "Attack on the road home" not in page and "Current risk" not in page
    for url in (
        reverse("risk:analyses", args=[desks.case.id]),
        reverse("risk:analysis", args=[desks.case.id, analysis.id]),
        reverse("risk:scenario", args=[desks.case.id, analysis.id, scenario.id]),
    ):
        assert client.get(url).status_code == 404
    assert RiskAnalysis.objects.count() == 1
