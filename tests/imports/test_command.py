"""``protectdesk import FILE --as LOGIN [--case REF] [--dry-run]``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from protectdesk.cases.models import Defender
from protectdesk.imports.models import ImportMapping, ImportSheet
from protectdesk.incidents.models import Incident
from protectdesk.records.models import Case
from tests.conftest import PASSWORD, keyring_of
from tests.imports.helpers import csv_bytes, row


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return str(path)


def run(path, user, password_file, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import", str(path), actor=user.login, password_file=password_file, stdout=out,
        stderr=err, **options,
    )  # fmt: skip
    return out.getvalue(), err.getvalue()


def test_a_desk_import_from_the_command_line(desks, tmp_path, password_file):
    path = tmp_path / "incidents.csv"
    path.write_bytes(csv_bytes([row(n) for n in range(6)]))
    before = Case.objects.count()

    out, err = run(path, desks.caseworker, password_file)

    assert "6 rows check out: 3 defenders (new cases), 6 incidents." in out
    assert "Imported 6 incidents in 3 new cases." in out
    assert "\rchecking" in err and "\rsaving   [" in err and "100%" in err
    assert Case.objects.count() == before + 3
    mine = Defender.objects.filter(case__desk=desks.desk)
    names = {keyring_of(desks.caseworker).opened(d).name for d in mine}
    assert {"Defender Number 0", "Defender Number 1", "Defender Number 2"} <= names
    assert not ImportSheet.objects.exists(), "the command keeps no copy of the file"
    assert ImportMapping.objects.count() == 1


def test_a_file_with_errors_prints_the_report_and_exits_non_zero(desks, tmp_path, password_file):
    path = tmp_path / "incidents.csv"
    path.write_bytes(csv_bytes([row(1), row(2, types="amenaza", country="Guatemala"), row(3)]))
    before = Incident.objects.count()
    out = io.StringIO()
    with pytest.raises(CommandError, match="the file has 2 problems: nothing was saved"):
        call_command(
            "import", str(path), actor=desks.caseworker.login, password_file=password_file,
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    report = out.getvalue()
    assert "row 3, column I · country: Write the country as its two-letter ISO code" in report
    assert "Did you mean “GT” (Guatemala)?" in report
    assert "row 3, column K · types: This is not one of the codes" in report
    assert Incident.objects.count() == before


def test_a_dry_run_saves_nothing_and_a_case_import_fills_the_case(desks, tmp_path, password_file):
    path = tmp_path / "incidents.csv"
    path.write_bytes(csv_bytes([row(n) for n in range(3)]))
    before = Incident.objects.count()
    out, _err = run(path, desks.caseworker, password_file, dry_run=True)
    assert "Dry run: nothing was saved." in out and Incident.objects.count() == before

    out, _err = run(path, desks.caseworker, password_file, case=desks.case.reference)
    assert "Imported 3 incidents." in out
    assert Incident.objects.filter(case=desks.case).count() == 3
    with pytest.raises(CommandError, match="not a staff member"):
        run(path, desks.caseworker2, password_file, case=desks.case.reference)
    with pytest.raises(CommandError, match="only coordinators and caseworkers"):
        run(path, desks.admin, password_file)


def test_refusals_of_the_whole_file(desks, tmp_path, password_file):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        run(empty, desks.caseworker, password_file)
    big = tmp_path / "big.csv"
    with open(big, "wb") as out:
        out.truncate(50 * 1024 * 1024)  # sparse: no 50 MB in memory or on disk
    with pytest.raises(CommandError, match="split it into files under 25 MB"):
        run(big, desks.caseworker, password_file)
