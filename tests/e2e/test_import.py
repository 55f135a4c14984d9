"""A desk's own 5,000-row sheet through the browser, JavaScript off: upload, say which column is
which (one heading of the desk's own), read the dry run's report of the three bad rows (five cells), fix
them, upload again (the mapping is remembered), check, import in the background job with its
progress page. Every page is checked for weight, scripts and by axe-core; the report at 360 px.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from protectdesk.cases.models import Defender
from protectdesk.imports.models import ImportSheet, SheetState
from protectdesk.incidents.models import Incident
from protectdesk.records import jobs
from protectdesk.records.models import Job, JobKind
from tests.conftest import add_user, keyring_of, make_desk
from tests.imports.helpers import HEADER, row

pytestmark = pytest.mark.e2e

ROWS = 5_000
#: The desk calls its narrative column this; no heading list knows it.
OWN_HEADING = "Relato del hecho"
#: Row index → the bad value it carries (the spreadsheet row is index + 2, after the header).
BAD = {
    99: {"month": "2025-13"},
    2_499: {"types": "survelliance"},
    4_999: {"year": "2031", "month": "2031-01", "exact_date": "2031-01-05"},
}


def sheet(fixed: bool) -> bytes:
    header = [OWN_HEADING if name == "narrative" else name for name in HEADER]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for n in range(ROWS):
        values = row(n, **({} if fixed else BAD.get(n, {})))
        values[OWN_HEADING] = values["narrative"]
        writer.writerow([values.get(name, "") for name in header])
    return out.getvalue().encode("utf-8")


def upload(me, data: bytes) -> None:
    me.goto("/import/")
    me.page.locator("#id_sheet").set_input_files(
        files=[{"name": "registro-2025.csv", "mimeType": "text/csv", "buffer": data}]
    )
    me.click(me.page.get_by_role("button", name="Upload and choose the columns"))


def test_import_a_five_thousand_row_sheet_fix_its_bad_rows_and_import_it(
    journey, audit, server, monkeypatch
):
    monkeypatch.setattr(jobs, "_WORKER", None)
    _desk, coordinator, _phrase = make_desk("Import Desk", "ID", "coord@id.example")
    caseworker = add_user(coordinator, "caseworker", "cw@id.example", "Inés Importer")
    me = journey("caseworker")
    me.sign_in(caseworker.login)
    me.goto("/import/")
    me.check("upload", phone=True)

    upload(me, sheet(fixed=False))
    me.check("mapping")
    position = HEADER.index("narrative")
    own = me.page.locator(f"#id_column_{position}")
    expect(own).to_have_value("")  # not a heading the importer knows
    expect(me.page.locator(f"#id_column_{HEADER.index('title')}")).to_have_value("title")
    own.select_option("narrative")
    me.page.get_by_role("button", name="Check the file").click()
    me.page.wait_for_load_state("load")
    me.check("report", phone=True, status=400)
    summary = me.page.locator("main")
    expect(summary).to_contain_text("The file has 5 problems, listed below: nothing was saved")
    findings = me.page.locator("table tbody tr")
    expect(findings).to_have_count(5)
    texts = [re.sub(r"\s+", " ", text) for text in findings.all_inner_texts()]
    assert texts[0].startswith("101 G · month There is no month 13"), texts
    assert texts[1].startswith("2501 K · types") and "surveillance" in texts[1], texts
    for text, column in zip(texts[2:], ("F · year", "G · month", "H · exact_date"), strict=True):
        assert text.startswith(f"5001 {column} This date is in the future"), texts
    assert Incident.objects.count() == 0 and Defender.objects.count() == 0

    # Fixed in the desk's own spreadsheet program, uploaded again: the mapping is remembered.
    me.click(me.page.get_by_role("button", name="Cancel and delete the file"))
    upload(me, sheet(fixed=True))
    expect(me.page.locator(f"#id_column_{position}")).to_have_value("narrative")
    me.click(me.page.get_by_role("button", name="Check the file"))
    expect(me.page.locator("[role=status]")).to_contain_text(
        "The file checks out: 5000 rows, 2500 defender(s). Nothing is saved yet."
    )
    me.check("checked")

    jobs.start_worker()
    try:
        me.click(me.page.get_by_role("button", name="Import now"))
        expect(me.page.locator("[role=status]")).to_contain_text(
            "Waiting for the background worker"
        )
        me.check("queued", phone=True)
        job = Job.objects.get(kind=JobKind.IMPORT)
        jobs.run_job.call(str(job.id))
    finally:
        jobs.stop_worker()
    me.goto(me.page.url)
    expect(me.page.locator("[role=status]")).to_contain_text(
        "Imported: 5000 incidents, in 2500 new case(s). The file is deleted."
    )
    me.check("imported", phone=True)
    assert ImportSheet.objects.filter(state=SheetState.IMPORTED).count() == 1
    assert Incident.objects.count() == ROWS and Defender.objects.count() == ROWS // 2
    keyring = keyring_of(caseworker)
    last = Incident.objects.order_by("-created_at").first()
    assert keyring.opened(last).narrative.startswith("What happened in incident")

    me.click(me.page.get_by_role("link", name="See the cases"))
    me.check("cases")
    audit.assert_clean()
