"""Exporting incidents through the pages: content, HURIDOCS codes, what is identifying, the
confirmation, the audit entries, streaming and no file on disk."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from protectdesk.audit.models import AuditEntry
from protectdesk.exports import rows
from tests import canary as scan
from tests.exports.helpers import two_incidents


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _json(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def _url(desks) -> str:
    return f"/cases/{desks.case.id}/export/"


@pytest.fixture
def member(desks, signed_in_client):
    return signed_in_client(desks.caseworker)


def test_statistical_csv_of_a_case(desks, member):
    a, b = two_incidents(desks)
    response = member.get(_url(desks), {"format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    reference = desks.case.reference
    assert response["Content-Disposition"] == f'attachment; filename="{reference}.csv"'
    lines = _csv(response)
    by_id = {line["incident_id"]: line for line in lines}
    assert set(by_id) == {str(a.id), str(b.id)}
    first = by_id[str(a.id)]
    assert first["case_reference"] == reference
    assert first["defender_kind"] == "individual" and first["defender_country"] == "GT"
    assert first["types"] == "death_threat;surveillance"
    assert first["types_huridocs"] == "020100000000;040100000000"
    assert first["year"] == "2026" and first["month"] == "2026-10"
    assert first["subdivision"] == "GT-16" and first["nature"] == "physical"
    # stalking and surveillance share one HURIDOCS code: given once.
    assert by_id[str(b.id)]["types_huridocs"] == "040100000000"
    header = list(lines[0])
    assert header == rows.header(identifying=False)
    assert header.index("types_huridocs") == header.index("types") + 1
    for name in ("title", "narrative", "place", "exact_date", "defender_name"):
        assert name not in header


def test_statistical_export_holds_no_identifying_text(desks, member):
    planted = {n: scan.canary(n) for n in ("title", "narrative", "place", "reaction")}
    two_incidents(
        desks,
        title=planted["title"],
        narrative=planted["narrative"],
        reaction=planted["reaction"],
    )
    # place is given by the helper; a third incident carries its canary
    from tests.incidents.helpers import log_incident_with

    log_incident_with(desks.caseworker, desks.case, place=planted["place"])
    bodies = []
    for fmt in ("csv", "json"):
        bodies.append(b"".join(member.get(_url(desks), {"format": fmt}).streaming_content))
    bodies.append(member.get(_url(desks), {"format": "xlsx"}).content)
    desk_client = member.get("/exports/", {"format": "csv"})
    bodies.append(b"".join(desk_client.streaming_content))
    for body in bodies:
        assert not scan.find(list(planted.values()), body)
        assert b"Ana Test Defender" not in body
    # ... and the confirmed identifying export has them all.
    response = member.post(_url(desks), {"file_format": "csv", "confirm": "on"})
    body = b"".join(response.streaming_content)
    assert scan.find(list(planted.values()), body) == list(planted.values())


def test_identifying_json_needs_the_confirmation(desks, member):
    two_incidents(desks)
    refused = member.post(_url(desks), {"file_format": "json"})
    assert refused.status_code == 400
    assert b"<title>Error:" in refused.content
    assert not AuditEntry.objects.filter(action="export.identifying").exists()

    response = member.post(_url(desks), {"file_format": "json", "confirm": "on"})
    assert response.status_code == 200 and response.streaming
    assert response["Cache-Control"] == "no-store"
    name = f"{desks.case.reference}-identifying.json"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    doc = _json(response)
    assert doc["identifying"] is True
    first = next(i for i in doc["incidents"] if i["exact_date"])
    assert first["defender_name"] == "Ana Test Defender"
    assert first["title"] == "Car outside the office"
    assert first["place"] == "Zona 1, Cobán"
    assert first["exact_date"] == "2026-10-12"
    assert first["types"] == ["death_threat", "surveillance"]
    assert first["year"] == 2026 and isinstance(first["severity"], int)
    assert "analysis" not in first


def test_the_statistical_json(desks, member):
    two_incidents(desks)
    doc = _json(member.get(_url(desks), {"format": "json"}))
    assert doc["format"] == "protectdesk-incidents" and doc["version"] == 1
    assert doc["identifying"] is False
    assert {i["month"] for i in doc["incidents"]} == {"2026-10", "2026-11"}
    assert all("title" not in i for i in doc["incidents"])


def test_exports_are_audited_with_counts_only(desks, member):
    two_incidents(desks)
    member.get(_url(desks), {"format": "xlsx"})
    member.get("/exports/", {"format": "json"})
    member.post(_url(desks), {"file_format": "xlsx", "confirm": "on"})
    entries = list(AuditEntry.objects.filter(action__startswith="export.").order_by("seq"))
    assert [(e.action, e.detail["format"], e.detail["count"]) for e in entries] == [
        ("export.statistical", "xlsx", 2),
        ("export.statistical", "json", 2),
        ("export.identifying", "xlsx", 2),
    ]
    assert entries[0].object_id == str(desks.case.id)
    assert entries[2].object_id == str(desks.case.id)
    assert all(e.actor_id == desks.caseworker.id for e in entries)


def test_the_pages_without_a_format_download_nothing(desks, member):
    two_incidents(desks)
    page = member.get(_url(desks))
    assert page.status_code == 200 and b'name="confirm"' in page.content
    assert member.get("/exports/").status_code == 200
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()
    assert member.get(_url(desks), {"format": "pdf"}).status_code == 404


def test_the_desk_export_has_only_cases_the_viewer_works_on(desks, signed_in_client):
    two_incidents(desks)
    assert len(_csv(signed_in_client(desks.caseworker).get("/exports/", {"format": "csv"}))) == 2
    # The coordinator is not a member of the case; neither is caseworker2.
    for user in (desks.coordinator, desks.caseworker2):
        assert _csv(signed_in_client(user).get("/exports/", {"format": "csv"})) == []


def test_the_defender_cannot_export(desks, signed_in_client):
    client = signed_in_client(desks.defender)
    assert client.get(_url(desks), {"format": "csv"}).status_code == 404
    assert client.post(_url(desks), {"file_format": "csv", "confirm": "on"}).status_code == 404
    assert client.get("/exports/", {"format": "csv"}).status_code == 403


def test_xlsx_export_is_neutralised(desks, member):
    from tests.incidents.helpers import log_incident_with

    for title in ('=HYPERLINK("http://x","y")', "+cmd", "@SUM(1)"):
        log_incident_with(desks.caseworker, desks.case, title=title)
    response = member.post(_url(desks), {"file_format": "xlsx", "confirm": "on"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    titles = sorted(row[header.index("title")] for row in sheet.iter_rows(2, values_only=True))
    assert titles == ["'+cmd", '\'=HYPERLINK("http://x","y")', "'@SUM(1)"]
    response = member.post(_url(desks), {"file_format": "csv", "confirm": "on"})
    assert sorted(line["title"] for line in _csv(response)) == titles


def _files_under(root: Path) -> set[str]:
    found = set()
    for folder, _dirs, names in os.walk(root):
        found.update(os.path.join(folder, n) for n in names)
    return found


def test_identifying_xlsx_writes_no_file(desks, member, monkeypatch):
    two_incidents(desks)
    temp = Path(tempfile.gettempdir())
    made: list[str] = []
    real = tempfile.NamedTemporaryFile

    def spy(*args, **kwargs):  # catches a temp file even if it is deleted at once
        handle = real(*args, **kwargs)
        made.append(handle.name)
        return handle

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", spy)
    import openpyxl.worksheet._writer as sheet_writer

    monkeypatch.setattr(sheet_writer, "NamedTemporaryFile", spy)
    data = Path(settings.DATA_DIR)  # this test worker's own: any new file there is ours
    before_temp, before_data = _files_under(temp), _files_under(data)
    response = member.post(_url(desks), {"file_format": "xlsx", "confirm": "on"})
    assert response.status_code == 200
    assert made == []
    new = {
        p for p in _files_under(data) - before_data if not p.endswith(("-wal", "-shm", "-journal"))
    }
    assert new == set()
    # The temp dir is shared with the other test workers: a new file there is a leak only if
    # it holds a worksheet of ours (what openpyxl would have spooled).
    leaked = []
    for path in _files_under(temp) - before_temp:
        try:
            content = Path(path).read_bytes()
        except OSError:
            continue  # another worker's file, gone already
        if b"<worksheet" in content or b"<sheetData" in content:
            leaked.append(path)
    assert leaked == []
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 3


def test_the_spy_above_sees_openpyxls_own_save(monkeypatch, tmp_path):
    """Control: the plain openpyxl save writes a temp file, which the spy catches."""
    import openpyxl.worksheet._writer as sheet_writer
    from openpyxl import Workbook

    made: list[str] = []
    real = sheet_writer.NamedTemporaryFile

    def spy(*args, **kwargs):
        handle = real(*args, **kwargs)
        made.append(handle.name)
        return handle

    monkeypatch.setattr(sheet_writer, "NamedTemporaryFile", spy)
    Workbook().save(io.BytesIO())
    assert made
