"""Export → import: a case exported with its identifying data (CSV or XLSX), imported as a desk
import into a new case, exports the same statistical fields, exactly — and the same titles and
narratives once opened."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from protectdesk.cases import actions as case_actions
from protectdesk.cases.models import Defender
from protectdesk.incidents.actions import When
from protectdesk.incidents.models import Incident
from protectdesk.records.models import Case
from tests.conftest import keyring_of
from tests.imports.test_import import uploaded_sheet
from tests.incidents.helpers import log_incident_with

#: Fields that name the record or the case, not describe the incident: new after an import.
NEW_ON_IMPORT = ("incident_id", "case_reference")


def _statistical_rows(client, case: Case) -> list[dict[str, str]]:
    response = client.get(f"/cases/{case.id}/export/", {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    lines = list(csv.DictReader(io.StringIO(text, newline="")))
    for line in lines:
        for name in NEW_ON_IMPORT:
            line.pop(name)
    return sorted(lines, key=lambda line: sorted(line.items()))


def _a_varied_case(desks) -> Case:
    """A defender with every statistical field set, and incidents of every date precision."""
    user = desks.caseworker
    case = case_actions.open_case(
        actor=user,
        keyring=keyring_of(user),
        profile=case_actions.DefenderProfile(
            kind="individual",
            country="CO",
            subdivision="CO-ANT",
            sectors=("land_environment", "indigenous_peoples"),
            gender="woman",
            age_band="45-59",
            name="Yolanda Ñandú, « la maestra »",
        ),
    )
    log_incident_with(
        user,
        case,
        when=When("exact", 2025, "2025-02", "2025-02-14"),
        country="CO",
        subdivision="CO-ANT",
        types=("death_threat", "surveillance"),
        nature="physical",
        severity=5,
        affected=("defender", "family"),
        authority_response="investigation",
        title='=Amenaza; "firmada"',
        narrative="Una nota bajo la puerta:\n«sabemos dónde vive», con dos líneas.",
        place="Vereda El Retiro, casa 4",
    )
    log_incident_with(
        user,
        case,
        when=When("month", 2025, "2025-07"),
        country="CO",
        subdivision="",
        types=("stigmatisation",),
        nature="digital",
        affected=("colleagues",),
        authority_response="not_reported",
        title="Posts calling her a guerrilla",
        narrative="Three accounts shared her photo.",
    )
    log_incident_with(
        user,
        case,
        when=When("year", 2024),
        country="PA",
        subdivision="",
        types=("judicial_harassment",),
        nature="physical",
        severity=2,
        authority_response="hostile",
        title="A complaint for trespass",
        narrative="Filed by the company against the community's leaders.",
    )
    return case


@pytest.mark.parametrize(("file_format", "name"), [("csv", "exported.csv"), ("xlsx", "out.xlsx")])
def test_export_then_import_keeps_every_statistical_field(
    desks, signed_in_client, file_format, name
):
    client = signed_in_client(desks.caseworker)
    case = _a_varied_case(desks)
    before = _statistical_rows(client, case)
    assert len(before) == 3
    assert {line["date_precision"] for line in before} == {"exact", "month", "year"}

    exported = client.post(
        f"/cases/{case.id}/export/", {"file_format": file_format, "confirm": "on"}
    )
    assert exported.status_code == 200
    data = b"".join(exported.streaming_content) if exported.streaming else exported.content
    existing = set(Case.objects.values_list("id", flat=True))

    sheet = uploaded_sheet(client, data, name=name)
    offered = {f"column_{n}": column for n, column in enumerate(sheet.mapping)}
    checked = client.post(f"/import/{sheet.id}/", offered, follow=True)
    page = checked.content.decode()
    assert "The file checks out: 3 rows, 1 defender(s)." in page, re.sub(
        r"<[^>]+>|\s+", " ", page[page.find("<main") : page.find("<form")]
    )[:3000] + re.sub(r"<[^>]+>|\s+", " ", "".join(re.findall("<tbody>.*?</tbody>", page, re.S)))
    done = client.post(f"/import/{sheet.id}/confirm/", follow=True)
    assert "The file is imported and deleted." in done.content.decode()

    (new,) = Case.objects.exclude(id__in=existing)
    assert _statistical_rows(client, new) == before
    keyring = keyring_of(desks.caseworker)
    assert keyring.opened(Defender.objects.get(case=new)).name == "Yolanda Ñandú, « la maestra »"
    texts = {
        (keyring.opened(i).title, keyring.opened(i).narrative)
        for i in Incident.objects.filter(case=new)
    }
    assert texts == {
        (keyring.opened(i).title, keyring.opened(i).narrative)
        for i in Incident.objects.filter(case=case)
    }, "a cell the export neutralised (a leading '=') comes back as it was"


def test_the_header_of_an_export_maps_itself(desks, signed_in_client):
    """The mapping offered for an export's header maps every interchange column it holds and
    leaves the export's own columns (ids, HURIDOCS codes) out."""
    client = signed_in_client(desks.caseworker)
    case = _a_varied_case(desks)
    exported = client.post(f"/cases/{case.id}/export/", {"file_format": "csv", "confirm": "on"})
    data = b"".join(exported.streaming_content)
    response = client.post("/import/", {"sheet": SimpleUploadedFile("x.csv", data)})
    assert response.status_code == 302
    from protectdesk.imports.models import ImportSheet

    sheet = ImportSheet.objects.get(pk=response["Location"].split("/")[2])
    header = next(csv.reader(io.StringIO(data.decode().lstrip("\ufeff"))))
    offered = dict(zip(header, sheet.mapping, strict=True))
    assert offered["incident_id"] == "" and offered["types_huridocs"] == ""
    assert {k: v for k, v in offered.items() if v} == {
        k: k for k in header if k not in ("incident_id", "types_huridocs")
    }
