"""A sheet of canaries imported through the web: none of them is at rest anywhere — not in
the upload spool, the stored sheet, the database (the sheet's row, its mapping, the audit
log), the logs or the temp directory — while every one of them was imported."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from protectdesk.cases.models import Defender
from protectdesk.imports import storage
from protectdesk.imports.models import ImportSheet
from protectdesk.incidents.models import Incident
from tests import canary as scan
from tests.conftest import keyring_of, sign_in
from tests.imports.helpers import HEADER, csv_bytes, row

TEXTS = ("title", "narrative", "place", "consequences", "reaction", "authority_details")


def at_rest(since: float) -> dict[str, bytes]:
    connection.close()  # let SQLite write its WAL as a server process would leave it
    return {
        **scan.database_at_rest(),
        **scan.log_files(),
        **scan.files_under(Path(tempfile.gettempdir()), since),
        **scan.files_under(Path(settings.DATA_DIR), 0),
    }


def leaks_in(places: dict[str, bytes], canaries: list[str]) -> dict[str, list[str]]:
    return {where: hit for where, blob in places.items() if (hit := scan.find(canaries, blob))}


@pytest.mark.django_db(transaction=True)
def test_no_canary_of_an_imported_sheet_is_at_rest(desks):
    started = time.time()
    client = Client()
    sign_in(client, desks.caseworker.login)
    names = [scan.canary(f"importname{k}") for k in range(2)]
    texts = {(n, t): scan.canary(f"import{t}{n}") for n in range(4) for t in TEXTS}
    rows = [
        row(n, defender_name=names[n // 2], **{t: texts[(n, t)] for t in TEXTS}) for n in range(4)
    ]
    data = csv_bytes(rows, [*HEADER, *(t for t in TEXTS if t not in HEADER)])
    filename = scan.canary("filename") + ".csv"
    planted = [*names, *texts.values(), filename]
    sheets = []
    for url in ("/import/", f"/cases/{desks.case.id}/import/"):
        response = client.post(url, {"sheet": SimpleUploadedFile(filename, data)})
        assert response.status_code == 302, response.content[:2000]
        sheet = ImportSheet.objects.get(pk=response["Location"].split("/")[2])
        page = client.get(f"/import/{sheet.id}/")
        assert filename.encode() in page.content  # opened for the uploader, in memory
        sheets.append(sheet)
    assert all(storage.path_for(s.id).exists() for s in sheets)
    waiting = leaks_in(at_rest(started), planted)
    assert not waiting, f"identifying data at rest while the sheets wait: {waiting}"

    for sheet in sheets:
        sheet.refresh_from_db()
        skip = ("defender_", "case_") if sheet.case_id else ()
        form = {
            f"column_{n}": "" if skip and name.startswith(skip) else name
            for n, name in enumerate(sheet.mapping)
        }
        assert client.post(f"/import/{sheet.id}/", form).status_code == 302
        assert client.post(f"/import/{sheet.id}/confirm/").status_code == 302
        assert b"Imported: 4 incidents" in client.get(f"/import/{sheet.id}/").content

    keyring = keyring_of(desks.caseworker)
    mine = Incident.objects.filter(case__desk=desks.desk)
    opened = {str(getattr(keyring.opened(i), t)) for i in mine for t in TEXTS}
    opened |= {str(keyring.opened(d).name) for d in Defender.objects.filter(case__desk=desks.desk)}
    assert set(names) | set(texts.values()) <= opened, "every canary was imported"
    assert not any(storage.path_for(s.id).exists() for s in sheets)
    leaks = leaks_in(at_rest(started), planted)
    assert not leaks, f"identifying data at rest: {leaks}"
