"""Importing through the web: upload, choose the columns, dry run, confirm; desk and case
imports; nothing saved unless the whole file is valid; the sheet file gone afterwards."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from protectdesk.audit.models import AuditEntry
from protectdesk.cases.models import Defender
from protectdesk.imports import actions, bulk, storage
from protectdesk.imports.models import ImportMapping, ImportSheet, SheetState
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.models import Incident
from protectdesk.records.models import Case, CaseMember, MemberKind, SearchToken
from tests.conftest import keyring_of
from tests.imports.helpers import HEADER, csv_bytes, private_key_of, row, xlsx_bytes


def upload(client, data: bytes, name: str = "incidents.csv", url: str = "/import/"):
    return client.post(url, {"sheet": SimpleUploadedFile(name, data)})


def uploaded_sheet(client, data: bytes, **kwargs) -> ImportSheet:
    response = upload(client, data, **kwargs)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportSheet.objects.get(pk=response["Location"].split("/")[2])


def mapping_of(sheet: ImportSheet) -> dict[str, str]:
    """The mapping form as the page offers it (a case import lists no defender column)."""
    skip = {"case_reference"} | {n for n in HEADER if n.startswith("defender_")}
    return {
        f"column_{n}": "" if sheet.case_id and name in skip else name
        for n, name in enumerate(sheet.mapping)
    }


def stored_files() -> list[Path]:
    return list((Path(settings.DATA_DIR) / "imports").glob("*"))


def spooled_files() -> list[Path]:
    return list((Path(settings.DATA_DIR) / "tmp").glob("*"))


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), Defender.objects.count(), Incident.objects.count()


def test_a_file_with_one_bad_row_saves_nothing_and_reports_that_row(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    rows = [row(n) for n in range(10)]
    rows[6] = row(6, month="2025-13")  # the spreadsheet's row 8
    sheet = uploaded_sheet(client, csv_bytes(rows))
    before = counts()

    checked = client.post(f"/import/{sheet.id}/", mapping_of(sheet))

    assert checked.status_code == 400
    page = checked.content.decode()
    assert page.count("<title>Error:") == 1
    assert "The file has 1 problem, listed below: nothing was saved" in page
    table = re.search(r"<tbody>(.*?)</tbody>", page, re.S)[1]
    assert re.search(
        r'<th scope="row">8</th><td data-label="Column">G · month</td>'
        r'<td data-label="Problem">There is no month 13',
        table,
    )
    assert "2025-13" not in page, "the report names the row and column, never the value"
    sheet.refresh_from_db()
    assert sheet.state == SheetState.UPLOADED
    assert counts() == before
    assert not AuditEntry.objects.filter(action="import.applied").exists()
    # Confirming is refused until the file checks out.
    refused = client.post(f"/import/{sheet.id}/confirm/", follow=True)
    assert "Check the file first" in refused.content.decode()
    assert counts() == before


def test_a_desk_import_opens_a_case_per_defender_with_its_incidents(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    rows = [row(n) for n in range(6)]  # defenders 0, 1, 2 with two incidents each
    rows[2] = row(2, severity="1")
    rows[3] = row(3, exact_date="", month="", severity="", types="Amenaza de muerte")
    sheet = uploaded_sheet(client, csv_bytes(rows))
    assert sheet.mapping == HEADER, "headings named as the format names them map themselves"
    assert [p.name for p in stored_files()] == [str(sheet.id)] and not spooled_files()
    before = set(Case.objects.values_list("id", flat=True))

    checked = client.post(f"/import/{sheet.id}/", mapping_of(sheet), follow=True)
    assert checked.status_code == 200
    assert "The file checks out: 6 rows, 3 defender(s). Nothing is saved yet." in (
        checked.content.decode()
    )
    assert Case.objects.count() == len(before)
    done = client.post(f"/import/{sheet.id}/confirm/", follow=True)

    assert "The file is imported and deleted." in done.content.decode()
    new = Case.objects.exclude(id__in=before)
    assert new.count() == 3
    keyring = keyring_of(desks.caseworker)
    names = {}
    for case in new:
        assert CaseMember.objects.filter(
            case=case, user=desks.caseworker, kind=MemberKind.STAFF
        ).exists()
        defender = Defender.objects.get(case=case)
        assert (defender.kind, defender.country, defender.sectors) == (
            "individual",
            "GT",
            ["land_environment"],
        )
        names[keyring.opened(defender).name] = case
    assert set(names) == {"Defender Number 0", "Defender Number 1", "Defender Number 2"}
    second = Incident.objects.filter(case=names["Defender Number 1"]).order_by("created_at")
    assert second.count() == 2
    exact, yearly = second
    assert (exact.year, exact.month, exact.date_precision, exact.country, exact.subdivision) == (
        2025,
        "2025-03",
        "exact",
        "GT",
        "GT-16",
    )
    assert exact.types == ["intimidation", "surveillance"] and exact.severity == 1
    assert exact.severity_by_hand  # given, where the types' default is higher
    opened = keyring.opened(exact)
    assert (opened.title, opened.exact_date, opened.place) == (
        "Incident title 2",
        "2025-03-03",
        "Street 2",
    )
    assert (yearly.date_precision, yearly.month, yearly.types) == ("year", "", ["death_threat"])
    assert yearly.severity == incident_actions.derived_severity(["death_threat"])
    assert SearchToken.objects.filter(case=names["Defender Number 1"]).exists()
    applied = AuditEntry.objects.get(action="import.applied")
    assert applied.detail == {"sheet": str(sheet.id), "rows": 6, "cases": 3, "incidents": 6}
    sheet.refresh_from_db()
    assert (sheet.state, sheet.imported_count) == (SheetState.IMPORTED, 6)
    assert stored_files() == [] and not spooled_files(), "the sheet file is gone after import"
    again = client.post(f"/import/{sheet.id}/confirm/", follow=True)
    assert "not waiting to be imported" in again.content.decode() or "Check the file" in (
        again.content.decode()
    )
    assert Incident.objects.filter(case__in=new).count() == 6


def test_a_case_import_logs_every_row_in_the_case(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    case = desks.case
    page = client.get(f"/cases/{case.id}/")
    assert f'href="/cases/{case.id}/import/"'.encode() in page.content
    rows = [row(n, defender_name=f"Ignored {n}", defender_kind="ignored") for n in range(4)]
    sheet = uploaded_sheet(client, csv_bytes(rows), url=f"/cases/{case.id}/import/")
    assert sheet.case_id == case.id
    before = Case.objects.count()
    checked = client.post(f"/import/{sheet.id}/", mapping_of(sheet), follow=True)
    assert "The file checks out: 4 rows. Nothing is saved yet." in checked.content.decode()
    client.post(f"/import/{sheet.id}/confirm/")

    assert Case.objects.count() == before
    titles = {
        keyring_of(desks.caseworker).opened(i).title for i in Incident.objects.filter(case=case)
    }
    assert titles == {f"Incident title {n}" for n in range(4)}
    applied = AuditEntry.objects.get(action="import.applied")
    assert applied.object_id == str(case.id) and applied.detail["incidents"] == 4
    assert stored_files() == []


def test_an_xlsx_with_a_formula_cell_is_reported(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    values = row(1)
    rows = [HEADER, [values[n] for n in HEADER], [values[n] for n in HEADER]]
    rows[2][HEADER.index("title")] = '=HYPERLINK("http://evil.example","click me")'
    sheet = uploaded_sheet(client, xlsx_bytes(rows), name="incidents.xlsx")
    assert sheet.file_format == "xlsx"
    checked = client.post(f"/import/{sheet.id}/", mapping_of(sheet))
    assert checked.status_code == 400
    page = checked.content.decode()
    assert (
        '<th scope="row">3</th><td data-label="Column">N · title</td>'
        '<td data-label="Problem">This cell is a formula.'
    ) in page
    assert "evil.example" not in page


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.csv", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "photo.csv", "This is not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls", "old Excel file"),
        (
            (",".join(f"c{n}" for n in range(200)) + "\r\n").encode(),
            "wide.csv",
            "The file has 200 columns; an import reads at most 100",
        ),
    ],
)
def test_a_refused_file_is_reported_on_the_upload_form(desks, signed_in_client, data, name, words):
    client = signed_in_client(desks.caseworker)
    response = upload(client, data, name)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error:" in page and words in page
    assert 'href="#id_sheet"' in page
    assert not ImportSheet.objects.exists() and stored_files() == [] and not spooled_files()


def test_a_file_over_the_upload_limit_is_refused_with_advice(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    big = b"title\r\n" + b"x" * (25 * 1024 * 1024 + 10)
    response = upload(client, big, "big.csv")
    assert response.status_code == 400
    assert "split it into files under 25 MB" in response.content.decode()
    assert not spooled_files() and not ImportSheet.objects.exists()


def test_the_mapping_is_remembered_for_the_same_header(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    odd = ["Quién", "Clase", "Dónde vive", "Cuándo", "Dónde", "Qué", "Cómo", "Encabezado", "Relato"]
    chosen = [
        "defender_name", "defender_kind", "defender_country", "year", "country", "types",
        "nature", "title", "narrative",
    ]  # fmt: skip
    values = row(1)
    data = csv_bytes([{h: values[c] for h, c in zip(odd, chosen, strict=True)}], odd)
    first = uploaded_sheet(client, data)
    assert first.mapping != chosen
    form = {f"column_{n}": name for n, name in enumerate(chosen)}
    assert client.post(f"/import/{first.id}/", form).status_code == 302
    remembered = ImportMapping.objects.get()
    assert remembered.columns == chosen and remembered.desk_id == desks.desk.id
    assert len(remembered.header_digest) == 64 and "Qui" not in str(remembered.__dict__)

    second = uploaded_sheet(client, data)
    assert second.mapping == chosen
    page = client.get(f"/import/{second.id}/").content.decode()
    assert '<option value="defender_name" selected>' in page
    # Another desk does not get this desk's mapping.
    assert actions.suggested_mapping(desks.outsider_caseworker, odd) != chosen


def test_choosing_a_column_twice_or_leaving_out_a_required_one_is_refused(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    sheet = uploaded_sheet(client, csv_bytes([row(1)]))
    form = mapping_of(sheet)
    form["column_1"] = "title"  # defender_name's column now says title, twice
    response = client.post(f"/import/{sheet.id}/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "is chosen for column B already" in page
    assert "Choose the column of the file that holds “name of the defender”" in page


def test_an_exception_halfway_saves_nothing(desks, signed_in_client, monkeypatch):
    client = signed_in_client(desks.caseworker)
    sheet = uploaded_sheet(client, csv_bytes([row(n) for n in range(8)]))
    client.post(f"/import/{sheet.id}/", mapping_of(sheet))
    before = counts()
    audit_before = AuditEntry.objects.count()
    real, calls = bulk.new_incident, []

    def failing(*args):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(bulk, "new_incident", failing)
    with pytest.raises(RuntimeError):
        actions.apply(
            actor=desks.caseworker,
            keyring=keyring_of(desks.caseworker),
            sheet=sheet,
            key=actions.sheet_key(sheet, private_key_of(desks.caseworker))[0],
        )
    assert len(calls) == 5 and counts() == before
    assert list(
        AuditEntry.objects.order_by("seq").values_list("action", flat=True)[audit_before:]
    ) == ["import.failed"], "only the failure is recorded: every other entry rolled back"
    sheet.refresh_from_db()
    assert sheet.state == SheetState.FAILED and stored_files() == []
    assert (
        "nothing was saved, and the file is deleted"
        in client.get(f"/import/{sheet.id}/").content.decode()
    )


def test_cancelling_deletes_the_file(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    sheet = uploaded_sheet(client, csv_bytes([row(1)]))
    response = client.post(f"/import/{sheet.id}/cancel/")
    assert response.status_code == 302 and response["Location"] == "/import/"
    sheet.refresh_from_db()
    assert sheet.state == SheetState.CANCELLED and stored_files() == []
    assert AuditEntry.objects.filter(action="import.cancelled").count() == 1


def test_sheets_older_than_a_day_are_removed_on_the_next_upload(desks, signed_in_client):
    import datetime
    import os

    from django.utils import timezone

    client = signed_in_client(desks.caseworker)
    old = uploaded_sheet(client, csv_bytes([row(1)]))
    ImportSheet.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    orphan = storage.path_for(uuid.uuid4())
    orphan.write_bytes(b"ciphertext of nobody")
    day_ago = timezone.now().timestamp() - 25 * 3600
    os.utime(orphan, (day_ago, day_ago))
    new = uploaded_sheet(client, csv_bytes([row(2)]))
    old.refresh_from_db()
    assert old.state == SheetState.CANCELLED
    assert [p.name for p in stored_files()] == [str(new.id)]
    assert "upload it again" in client.get(f"/import/{old.id}/").content.decode() or (
        "cancelled" in client.get(f"/import/{old.id}/").content.decode()
    )


def test_a_sheet_is_its_uploaders_only(desks, signed_in_client):
    mine = uploaded_sheet(signed_in_client(desks.caseworker), csv_bytes([row(1)]))
    colleague = signed_in_client(desks.coordinator)
    assert colleague.get(f"/import/{mine.id}/").status_code == 404
    assert colleague.post(f"/import/{mine.id}/confirm/").status_code == 404
    assert colleague.post(f"/import/{mine.id}/", mapping_of(mine)).status_code == 404
    assert stored_files() != []


def test_the_stored_sheet_and_its_row_hold_no_plaintext(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    secret = "Zacarías Quintanilla Secretname"
    sheet = uploaded_sheet(client, csv_bytes([row(1, defender_name=secret)]), name=f"{secret}.csv")
    stored = storage.path_for(sheet.id).read_bytes()
    assert secret.encode() not in stored and b"Zacar" not in stored
    assert secret.encode() not in bytes(sheet.sealed) and secret not in str(sheet.mapping)
    key, name = actions.sheet_key(sheet, private_key_of(desks.caseworker))
    assert name == f"{secret}.csv"
    assert secret.encode() in storage.plaintext(sheet.id, key)


def test_protectdesk_check_removes_sheets_older_than_a_day(desks, signed_in_client):
    import datetime

    from django.utils import timezone

    from protectdesk.imports import checks

    client = signed_in_client(desks.caseworker)
    old = uploaded_sheet(client, csv_bytes([row(1)]))
    fresh = uploaded_sheet(client, csv_bytes([row(2)]))
    ImportSheet.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert checks.expired_sheets() == []
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.state, fresh.state) == (SheetState.CANCELLED, SheetState.UPLOADED)
    assert [p.name for p in stored_files()] == [str(fresh.id)]
