"""Threat assessments, the actors map and the stored flags, through the real actions and pages.

Step order, history, the bad inputs of issue 11 (out-of-order step, likelihood out of range, an
incident or an actor of another case, a sub-unit loop, a concurrent edit), and who sees what.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.actions import ActorProfile, PerpetratorEntry, When
from protectdesk.incidents.models import Actor, Incident
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import NoCaseAccess
from protectdesk.threats import actions, queries
from protectdesk.threats.models import AssessmentVersion, Escalation, ThreatAssessment
from tests.conftest import caseworker_with_a_case, keyring_of
from tests.incidents.helpers import log_incident_with

TODAY = datetime.date(2026, 12, 2)


@pytest.fixture
def today(monkeypatch):
    """The flags computed as on TODAY, whatever the real date (the windows are relative)."""
    monkeypatch.setattr(queries, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    return TODAY


def _days_ago(days: int) -> When:
    day = TODAY - datetime.timedelta(days=days)
    return When("exact", day.year, day.isoformat()[:7], day.isoformat())


def _start(desks: Any, *incidents: Incident) -> ThreatAssessment:
    incidents = incidents or (log_incident_with(desks.caseworker, desks.case),)
    return actions.start_assessment(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        facts=actions.Facts(
            "Threat at the market",
            "He said she would not see the harvest.",
            tuple(i.id for i in incidents),
        ),
    )


def _answer(desks: Any, assessment: ThreatAssessment, data: actions.StepData) -> ThreatAssessment:
    return actions.save_step(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        assessment=assessment,
        data=data,
        expected_version=assessment.row_version,
    )


PATTERN = actions.Pattern("Third incident since the consultation.")
OBJECTIVE = actions.Objective("stop_work", "", "She speaks to the press.")
SOURCE = actions.Source(None, "possible", True, "Men in the company's uniform; uniforms are sold.")
CONCLUSION = actions.Conclusion("declared", "yes", "yes", 4, "They have attacked others.")


# --- step order and history -----------------------------------------------------------------


def test_step_four_refuses_before_steps_one_to_three_and_saves_nothing(desks):
    assessment = _start(desks)
    with pytest.raises(actions.StepOutOfOrder) as refused:
        _answer(desks, assessment, SOURCE)
    assert refused.value.missing == [2, 3]
    assessment = _answer(desks, assessment, PATTERN)
    with pytest.raises(actions.StepOutOfOrder) as refused:
        _answer(desks, assessment, SOURCE)
    assert refused.value.missing == [3]
    with pytest.raises(actions.StepOutOfOrder):
        _answer(desks, assessment, CONCLUSION)
    assessment.refresh_from_db()
    assert assessment.steps_done == 2
    assert assessment.source_actor_id is None and assessment.attribution == ""
    assert AssessmentVersion.objects.filter(assessment=assessment).count() == 2
    for data in (OBJECTIVE, SOURCE, CONCLUSION):
        assessment = _answer(desks, assessment, data)
    assert assessment.steps_done == 5 and assessment.likelihood == 4


def test_history_keeps_every_earlier_version_readable(desks):
    assessment = _start(desks)
    assessment = _answer(desks, assessment, actions.Pattern("first reading"))
    assessment = _answer(desks, assessment, actions.Pattern("second reading"))
    keyring = keyring_of(desks.caseworker)
    versions = {v.number: keyring.opened(v).snapshot for v in assessment.versions.all()}
    assert sorted(versions) == [1, 2, 3]
    assert versions[1]["pattern"] == "" and versions[1]["facts"].startswith("He said")
    assert versions[2]["pattern"] == "first reading"
    assert versions[3]["pattern"] == "second reading"
    assert keyring.opened(assessment).pattern == "second reading"
    client_page = _client(desks).get(
        reverse("threats:version", args=[desks.case.id, assessment.id, 2])
    )
    assert client_page.status_code == 200 and b"first reading" in client_page.content
    assert b"second reading" not in client_page.content


def test_a_concurrent_edit_saves_nothing_and_shows_both(desks):
    assessment = _start(desks)
    stale_version = assessment.row_version
    assessment = _answer(desks, assessment, actions.Pattern("saved by a colleague"))
    with pytest.raises(EditConflict):
        actions.save_step(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            assessment=assessment,
            data=actions.Pattern("mine"),
            expected_version=stale_version,
        )
    response = _client(desks).post(
        reverse("threats:step", args=[desks.case.id, assessment.id, 2]),
        {"pattern": "typed by me", "row_version": str(stale_version)},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "saved by a colleague" in page and "typed by me" in page
    assert (
        keyring_of(desks.caseworker).opened(ThreatAssessment.objects.get(pk=assessment.pk)).pattern
        == "saved by a colleague"
    )


# --- bad input through the pages ------------------------------------------------------------


def _client(desks: Any):
    from django.test import Client

    from tests.conftest import sign_in

    client = Client()
    sign_in(client, desks.caseworker.login)
    return client


def test_step_four_page_before_steps_one_to_three(desks):
    assessment = _start(desks)
    url = reverse("threats:step", args=[desks.case.id, assessment.id, 4])
    client = _client(desks)
    shown = client.get(url)
    assert shown.status_code == 200
    assert b"answer these first" in shown.content and b'name="attribution"' not in shown.content
    posted = client.post(
        url,
        {"actor": "", "attribution": "likely", "source_notes": "typed first", "row_version": "1"},
    )
    assert posted.status_code == 400
    page = posted.content.decode()
    assert "Answer the steps before this one first (2 · Pattern, 3 · Objective)" in page
    assert "typed first" in page  # what was typed is still in the form
    assessment.refresh_from_db()
    assert assessment.steps_done == 1


@pytest.mark.parametrize("likelihood", ["0", "6", "four"])
def test_a_likelihood_out_of_range_is_refused_with_how_to_fix_it(desks, likelihood):
    assessment = _start(desks)
    for data in (PATTERN, OBJECTIVE, SOURCE):
        assessment = _answer(desks, assessment, data)
    response = _client(desks).post(
        reverse("threats:step", args=[desks.case.id, assessment.id, 5]),
        {
            "threat_kind": "declared",
            "intent": "yes",
            "capacity": "unknown",
            "likelihood": likelihood,
            "rationale": "kept",
            "row_version": str(assessment.row_version),
        },
    )
    assert response.status_code == 400
    assert "Rate the likelihood from 1 (very unlikely) to 5 (almost certain)" in (
        response.content.decode()
    )
    for out_of_range in (0, 6):  # the action refuses it too, whatever sends it
        with pytest.raises(ValueError, match="rated 1 to 5"):
            actions.save_step(
                actor=desks.caseworker,
                keyring=keyring_of(desks.caseworker),
                assessment=assessment,
                data=actions.Conclusion("declared", "yes", "yes", out_of_range, "x"),
                expected_version=assessment.row_version,
            )
    assessment.refresh_from_db()
    assert assessment.steps_done == 4 and assessment.likelihood is None


def test_an_incident_of_another_case_is_refused(desks):
    other_worker, other_case = caseworker_with_a_case("Far Desk", "FD", "Far Worker", "Far One")
    foreign = log_incident_with(other_worker, other_case)
    own = log_incident_with(desks.caseworker, desks.case)
    with pytest.raises(actions.NotInCase):
        _start(desks, own, foreign)
    assert not ThreatAssessment.objects.exists()
    response = _client(desks).post(
        reverse("threats:new", args=[desks.case.id]),
        {"title": "kept title", "facts": "kept facts", "incidents": [str(foreign.id)]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "kept title" in page and "kept facts" in page
    assert "Incidents it is about" in page
    assert not ThreatAssessment.objects.exists()


def test_an_actor_of_another_case_is_refused(desks):
    other_worker, other_case = caseworker_with_a_case("Far Desk", "FD", "Far Worker", "Far One")
    foreign = incident_actions.add_actor(
        actor=other_worker,
        keyring=keyring_of(other_worker),
        case=other_case,
        actor_type="state_police",
        name="Their unit",
    )
    assessment = _start(desks)
    for data in (PATTERN, OBJECTIVE):
        assessment = _answer(desks, assessment, data)
    with pytest.raises(actions.NotInCase):
        _answer(desks, assessment, actions.Source(foreign.id, "likely"))
    with pytest.raises(NoCaseAccess):
        incident_actions.add_actor(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            case=desks.case,
            actor_type="state_police",
            name="Sub-unit",
            profile=ActorProfile(parent_id=foreign.id),
        )
    response = _client(desks).post(
        reverse("threats:step", args=[desks.case.id, assessment.id, 4]),
        {
            "actor": str(foreign.id),
            "attribution": "likely",
            "row_version": str(assessment.row_version),
        },
    )
    assert response.status_code == 400
    assessment.refresh_from_db()
    assert assessment.steps_done == 3 and assessment.source_actor_id is None


def test_a_sub_unit_loop_is_refused_with_a_message(desks):
    keyring = keyring_of(desks.caseworker)

    def add(name: str, parent: Actor | None = None) -> Actor:
        return incident_actions.add_actor(
            actor=desks.caseworker,
            keyring=keyring,
            case=desks.case,
            actor_type="state_armed_forces",
            name=name,
            profile=ActorProfile(parent_id=parent.id if parent else None),
        )

    army = add("Army")
    brigade = add("Brigade", army)
    battalion = add("Battalion", brigade)
    with pytest.raises(incident_actions.ActorLoop):
        incident_actions.update_actor(
            actor=desks.caseworker,
            keyring=keyring,
            target=army,
            actor_type="state_armed_forces",
            name="Army",
            notes="",
            profile=ActorProfile(parent_id=battalion.id),
            expected_version=army.row_version,
        )
    response = _client(desks).post(
        reverse("threats:edit_actor", args=[desks.case.id, army.id]),
        {
            "actor_type": "state_armed_forces",
            "name": "Army (edited)",
            "parent": str(battalion.id),
            "stance": "resisting",
            "row_version": str(army.row_version),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot also contain it" in page and "Army (edited)" in page
    army.refresh_from_db()
    assert army.parent_id is None and army.row_version == 1
    self_parent = _client(desks).post(
        reverse("threats:edit_actor", args=[desks.case.id, army.id]),
        {
            "actor_type": "state_armed_forces",
            "name": "Army",
            "parent": str(army.id),
            "stance": "unknown",
            "row_version": "1",
        },
    )
    assert self_parent.status_code == 400  # itself is not even a choice


def test_the_map_groups_actors_by_stance_with_units_and_incidents(desks):
    keyring = keyring_of(desks.caseworker)
    army = incident_actions.add_actor(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        actor_type="state_armed_forces",
        name="Army",
        profile=ActorProfile(stance="resisting", influence=5, interests="the dam"),
    )
    unit = incident_actions.add_actor(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        actor_type="state_armed_forces",
        name="7th Battalion",
        profile=ActorProfile(stance="resisting", parent_id=army.id),
    )
    incident_actions.add_actor(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        actor_type="ngo",
        name="Parish office",
        profile=ActorProfile(stance="supporting"),
    )
    log_incident_with(
        desks.caseworker,
        desks.case,
        title="Checkpoint",
        perpetrators=(PerpetratorEntry(actor_id=unit.id, confidence="likely"),),
    )
    actions.add_relation(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        source_id=army.id,
        target_id=unit.id,
        kind="commands",
    )
    page = _client(desks).get(reverse("threats:actors", args=[desks.case.id])).content.decode()
    resisting, supporting = (
        page.index('id="stance-resisting"'),
        page.index('id="stance-supporting"'),
    )
    assert resisting < page.index("7th Battalion") < supporting < page.index("Parish office")
    assert page.index(">Army<") < page.index("7th Battalion")  # the larger actor first
    assert "part of Army" in page and "Checkpoint" in page and "5 / 5" in page
    assert "commands <strong>7th Battalion</strong>" in page


# --- who sees what --------------------------------------------------------------------------


def test_the_defender_sees_no_assessment_and_no_staff_key_actor_data(desks, signed_in_client):
    incident = log_incident_with(
        desks.caseworker,
        desks.case,
        title="Market threat",
        perpetrators=(
            PerpetratorEntry(
                new_actor_type="private_security", new_actor_name="Guard Captain Secret"
            ),
        ),
    )
    actor = Actor.objects.get(case=desks.case)
    incident_actions.update_actor(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        target=actor,
        actor_type="private_security",
        name="Guard Captain Secret",
        notes="Actor note secret",
        profile=ActorProfile(interests="Interest secret", resources="Resources secret"),
        expected_version=actor.row_version,
    )
    assessment = _start(desks, incident)
    _answer(desks, assessment, actions.Pattern("Pattern secret"))
    client = signed_in_client(desks.defender)
    seen = client.get(reverse("cases:detail", args=[desks.case.id])).content.decode()
    seen += client.get(
        reverse("incidents:detail", args=[desks.case.id, incident.id])
    ).content.decode()
    for secret in (
        "Guard Captain Secret",
        "Actor note secret",
        "Interest secret",
        "Resources secret",
        "Threat at the market",
        "Pattern secret",
        "He said she would not",
    ):
        assert secret not in seen
    for url in (
        reverse("threats:actors", args=[desks.case.id]),
        reverse("threats:detail", args=[desks.case.id, assessment.id]),
        reverse("threats:step", args=[desks.case.id, assessment.id, 2]),
        reverse("threats:history", args=[desks.case.id, assessment.id]),
        reverse("threats:version", args=[desks.case.id, assessment.id, 1]),
    ):
        assert client.get(url).status_code == 404, url
    keyring = keyring_of(desks.defender)
    assert not keyring.has_staff_key(desks.case.id)
    with pytest.raises(NoCaseAccess):
        actions.start_assessment(
            actor=desks.defender,
            keyring=keyring,
            case=desks.case,
            facts=actions.Facts("x", "y", (incident.id,)),
        )


# --- flags stored on the case ---------------------------------------------------------------


def test_flags_are_recomputed_on_incident_and_assessment_saves(desks, signed_in_client, today):
    guard = PerpetratorEntry(new_actor_type="private_security", new_actor_name="Guard")
    first = log_incident_with(
        desks.caseworker,
        desks.case,
        when=_days_ago(20),  # 2026-11-12
        types=("death_threat",),
        title="Threat",
        perpetrators=(guard,),
    )
    assert Escalation.objects.get(case=desks.case).flags == []
    actor = Actor.objects.get(case=desks.case)
    second = log_incident_with(
        desks.caseworker,
        desks.case,
        when=_days_ago(3),  # 2026-11-29
        types=("physical_attack",),
        title="Attack",
        perpetrators=(PerpetratorEntry(actor_id=actor.id),),
    )
    stored = Escalation.objects.get(case=desks.case)
    codes = [flag["code"] for flag in stored.flags]
    # Stored at month precision: both on 2026-11-15, 17 days ago, none before; one actor in
    # both. A threat and an attack in the same month are in no known order: no such flag.
    assert codes == ["more_often", "more_often", "repeated_perpetrator"]
    assert [f["days"] for f in stored.flags[:2]] == [30, 90]
    assert stored.gravity == 10 * 4 + 3  # a physical attack is severity 4; three flags
    assert stored.latest_month == "2026-11" and stored.computed_on == TODAY

    # The member sees, with the exact dates, that the attack came after the threat.
    page = (
        signed_in_client(desks.caseworker)
        .get(reverse("cases:detail", args=[desks.case.id]))
        .content.decode()
    )
    assert "From words to acts" in page and "Seen with the exact dates" in page
    assert page.count("Seen with the exact dates") == 1

    assessment = _start(desks, first, second)
    for data in (PATTERN, OBJECTIVE, SOURCE, CONCLUSION):
        assessment = _answer(desks, assessment, data)
    stored.refresh_from_db()
    assert "likely_threat" in [flag["code"] for flag in stored.flags]

    page = (
        signed_in_client(desks.caseworker)
        .get(reverse("cases:detail", args=[desks.case.id]))
        .content.decode()
    )
    assert "The same actor, Guard, is named in 2 incidents." in page
    assert ">Attack</a>" in page

    flagged = signed_in_client(desks.coordinator).get(reverse("threats:flagged")).content.decode()
    assert desks.case.reference in flagged
    assert "Ana Test Defender" not in flagged and "Guard" not in flagged  # not a member
    assert "The same actor is named in 2 incidents." in flagged
    assert "From words to acts" not in flagged  # month precision: not shown desk-wide


def test_stored_flags_tell_nothing_the_months_do_not(desks, today):
    """Two cases whose incidents differ only in their exact days (same months) store the same
    flags: nothing derived from an encrypted date is stored in clear."""
    worker = desks.caseworker
    other_worker, other = caseworker_with_a_case("Twin Desk", "TW", "Twin Worker", "Twin")
    for user, case, days in ((worker, desks.case, (40, 4, 3)), (other_worker, other, (35, 31, 30))):
        for day, types in zip(
            days, (("death_threat",), ("surveillance",), ("physical_attack",)), strict=True
        ):
            log_incident_with(user, case, when=_days_ago(day), types=types)
    one, two = (Escalation.objects.get(case=c) for c in (desks.case, other))
    assert [f["code"] for f in one.flags] == [f["code"] for f in two.flags] != []

    def shape(row):
        months = {str(i.pk): i.month for i in Incident.objects.filter(case=row.case)}
        return (
            [{**f, "incidents": [months[i] for i in f["incidents"]]} for f in row.flags],
            row.gravity,
            row.latest_month,
        )

    assert shape(one) == shape(two)
    # Control: with the exact days the two cases differ (only the first has two incidents in
    # the last 30 days), so the equality above is the months' doing.
    exact = {
        case.id: queries.escalation_now([case.id], queries.exact_days(keyring_of(user), case))
        for user, case in ((worker, desks.case), (other_worker, other))
    }
    codes = {k: [f.code for f in v[k].flags] for k, v in exact.items()}
    assert (
        codes[desks.case.id].count("more_often") == 2 and codes[other.id].count("more_often") == 1
    )


def test_flagged_cases_sort_by_recency_then_gravity(desks, signed_in_client, today):
    worker, older = desks.caseworker, desks.case
    keyring = keyring_of(worker)
    from protectdesk.cases import actions as case_actions

    def case_named(name: str):
        return case_actions.open_case(
            actor=worker,
            keyring=keyring,
            profile=case_actions.DefenderProfile(kind="individual", country="GT", name=name),
        )

    recent_mild, recent_grave = case_named("Mild"), case_named("Grave")
    for case, days, types in (
        (older, 200, ("surveillance",)),
        (older, 190, ("surveillance",)),
        (recent_mild, 4, ("surveillance",)),
        (recent_mild, 2, ("surveillance",)),
        (recent_grave, 5, ("physical_attack",)),
        (recent_grave, 2, ("physical_attack",)),
    ):
        log_incident_with(worker, case, when=_days_ago(days), types=types)
    # The older case's two incidents make no flag (too long ago); give it one by actor.
    actor = incident_actions.add_actor(
        actor=worker, keyring=keyring, case=older, actor_type="state_police", name="P"
    )
    for incident in Incident.objects.filter(case=older):
        incident_actions.update_incident(
            actor=worker,
            keyring=keyring,
            incident=incident,
            data=incident_actions.IncidentData(
                when=When(
                    incident.date_precision,
                    incident.year,
                    incident.month,
                    str(keyring.open_value(incident, "exact_date")),
                ),
                country="GT",
                title="t",
                narrative="n",
                types=tuple(incident.types),
                nature="physical",
                perpetrators=(PerpetratorEntry(actor_id=actor.id),),
            ),
            expected_version=incident.row_version,
        )
    page = signed_in_client(desks.coordinator).get(reverse("threats:flagged")).content.decode()
    # Both recent cases' latest incident is on the same day: the graver one comes first.
    order = [page.index(c.reference) for c in (recent_grave, recent_mild, older)]
    assert order == sorted(order)


def test_flagged_cases_stay_within_the_desk(desks, signed_in_client, today):
    """Another desk's coordinator never sees this desk's flagged case; an administrator sees
    it by reference only; a coordinator who is a member sees the name."""
    guard = PerpetratorEntry(new_actor_type="private_security", new_actor_name="Guard")
    log_incident_with(desks.caseworker, desks.case, when=_days_ago(9), perpetrators=(guard,))
    actor = Actor.objects.get(case=desks.case)
    log_incident_with(
        desks.caseworker,
        desks.case,
        when=_days_ago(2),
        perpetrators=(PerpetratorEntry(actor_id=actor.id),),
    )
    outsider = signed_in_client(desks.outsider).get(reverse("threats:flagged")).content.decode()
    assert desks.case.reference not in outsider and "No case is flagged" in outsider
    admin = signed_in_client(desks.admin).get(reverse("threats:flagged")).content.decode()
    assert desks.case.reference in admin and "Ana Test Defender" not in admin
    from protectdesk.cases import actions as case_actions

    case_actions.add_member(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        user=desks.coordinator,
    )
    member = signed_in_client(desks.coordinator).get(reverse("threats:flagged")).content.decode()
    assert "Ana Test Defender" in member
    home = signed_in_client(desks.coordinator).get("/").content.decode()
    assert "flagged: a threat getting worse" in home


def test_the_defender_sees_no_flag(desks, signed_in_client, today):
    guard = PerpetratorEntry(new_actor_type="private_security", new_actor_name="Guard")
    log_incident_with(desks.caseworker, desks.case, when=_days_ago(9), perpetrators=(guard,))
    actor = Actor.objects.get(case=desks.case)
    log_incident_with(
        desks.caseworker,
        desks.case,
        when=_days_ago(2),
        perpetrators=(PerpetratorEntry(actor_id=actor.id),),
    )
    assert Escalation.objects.get(case=desks.case).flags  # flagged
    page = signed_in_client(desks.defender).get(reverse("cases:detail", args=[desks.case.id]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Escalation flags" not in content and "The same actor" not in content
    assert signed_in_client(desks.defender).get(reverse("threats:flagged")).status_code == 403


def test_a_relation_already_on_the_map_is_refused_with_a_message(desks):
    keyring = keyring_of(desks.caseworker)
    one, two = (
        incident_actions.add_actor(
            actor=desks.caseworker,
            keyring=keyring,
            case=desks.case,
            actor_type="state_police",
            name=name,
        )
        for name in ("One", "Two")
    )
    data = {
        "relation-source": str(one.id),
        "relation-kind": "funds",
        "relation-target": str(two.id),
    }
    client = _client(desks)
    url = reverse("threats:add_relation", args=[desks.case.id])
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "relation-notes": "kept"})
    assert again.status_code == 400
    assert "already on the map" in again.content.decode() and "kept" in again.content.decode()
    with pytest.raises(actions.RelationExists):
        actions.add_relation(
            actor=desks.caseworker,
            keyring=keyring,
            case=desks.case,
            source_id=one.id,
            target_id=two.id,
            kind="funds",
        )
