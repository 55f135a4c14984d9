"""The defender's own account reports an incident: shared key only, searchable by staff,
flagged until reviewed, and staff see what the defender wrote beside what they changed."""

from __future__ import annotations

from django.urls import reverse

from protectdesk.audit.models import AuditEntry
from protectdesk.cases import actions as case_actions
from protectdesk.incidents import actions
from protectdesk.incidents.models import Incident
from protectdesk.records.keyring import NoCaseAccess
from tests import canary as scan
from tests.conftest import keyring_of


def _report(client, case, **changes):
    data = {
        "title": "Moto sin placas frente a la casa",
        "when": "2026-11-20",
        "place": "Aldea El Naranjo",
        "types": ["surveillance"],
        "nature": "physical",
        "narrative": "Dos hombres en una motocicleta tomaron fotos de la casa.",
        "consequences": "",
    }
    data.update(changes)
    return client.post(reverse("incidents:report", args=[case.id]), data)


def test_the_defender_reports_and_a_caseworker_finds_it_by_keyword(desks, signed_in_client):
    word = scan.canary("report")
    response = _report(signed_in_client(desks.defender), desks.case, narrative=f"Vimos {word}.")
    assert response.status_code == 302
    incident = Incident.objects.get(case=desks.case)
    assert incident.reported_by_defender and incident.reviewed_at is None
    assert incident.created_by == desks.defender
    assert AuditEntry.objects.filter(action="incident.reported").count() == 1

    staff = signed_in_client(desks.caseworker)
    found = staff.post("/search/", {"query": word})
    assert b"1 result" in found.content
    assert reverse("incidents:detail", args=[desks.case.id, incident.id]).encode() in found.content
    page = staff.get(reverse("incidents:detail", args=[desks.case.id, incident.id]))
    assert b"Reported by the defender: not reviewed yet." in page.content
    assert b"What the defender reported" in page.content


def test_staff_see_what_they_changed_and_mark_it_reviewed(desks, signed_in_client):
    _report(signed_in_client(desks.defender), desks.case)
    incident = Incident.objects.get(case=desks.case)
    keyring = keyring_of(desks.caseworker)
    actions.update_incident(
        actor=desks.caseworker,
        keyring=keyring,
        incident=incident,
        data=actions.IncidentData(
            when=actions.When("exact", 2026, "2026-11", "2026-11-20"),
            country="GT",
            title="Vigilancia en moto",
            narrative="Dos hombres en una motocicleta tomaron fotos de la casa.",
            types=("surveillance",),
            nature="physical",
            place="Aldea El Naranjo",
        ),
        expected_version=incident.row_version,
    )
    staff = signed_in_client(desks.caseworker)
    url = reverse("incidents:detail", args=[desks.case.id, incident.id])
    page = staff.get(url).content.decode()
    section = page[page.index("What the defender reported") :]
    assert "Moto sin placas frente a la casa" in section  # as reported
    assert "Vigilancia en moto" in section and section.count(">changed<") == 1
    assert (
        staff.post(reverse("incidents:review", args=[desks.case.id, incident.id])).status_code
        == 302
    )
    incident.refresh_from_db()
    assert incident.reviewed_by == desks.caseworker and incident.reviewed_at is not None
    after = staff.get(url).content
    assert b"not reviewed yet" not in after and b"Mark as reviewed" not in after
    # The defender's account reads its report, never the staff comparison.
    mine = signed_in_client(desks.defender).get(url).content
    assert b"Vigilancia en moto" in mine and b"What the defender reported" not in mine


def test_a_bad_report_keeps_what_was_typed_and_saves_nothing(desks, signed_in_client):
    response = _report(signed_in_client(desks.defender), desks.case, when="2999-01-01", types=[])
    assert response.status_code == 400
    assert b"Dos hombres en una motocicleta" in response.content
    assert not Incident.objects.exists()


def test_only_the_defender_of_the_case_reports_from_this_form(desks, signed_in_client):
    assert (
        signed_in_client(desks.caseworker)
        .get(reverse("incidents:report", args=[desks.case.id]))
        .status_code
        == 404
    )
    other = case_actions.open_case(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name="Other"),
    )
    assert _report(signed_in_client(desks.defender), other).status_code == 404
    report = actions.DefenderReport(
        when=actions.When("year", 2026),
        country="GT",
        title="t",
        narrative="n",
        types=("surveillance",),
        nature="physical",
    )
    try:
        actions.report_incident(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            case=desks.case,
            report=report,
        )
    except NoCaseAccess:
        pass
    else:
        raise AssertionError("a staff member must use the full incident form")
    assert not Incident.objects.exists()
