"""How imports plug into the floor (called from ``AppConfig.ready``): URLs, the case page's
link, navigation, audit codes, the job runner, routes and the canary writer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.audit import codes
from protectdesk.cases.actions import CASE_ROLES
from protectdesk.records import jobs, registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, JobKind
from protectdesk.records.registry import NavEntry, RouteRule, Section

#: A sheet's pages are its uploader's only: everyone else, of this desk or another, gets 404.
_NOT_THE_UPLOADER = {
    "admin": 404,
    "coordinator": 404,
    "caseworker2": 404,
    "outsider": 404,
    "outsider_caseworker": 404,
    "trainer": 404,
    "analyst": 404,
}

#: A small sheet in the interchange format (columns.py), for the routes' samples.
SAMPLE_CSV = (
    "defender_name,defender_kind,defender_country,year,month,country,types,nature,title,"
    "narrative\r\n"
    "Sample Defender,individual,GT,2025,2025-10,GT,surveillance,physical,Sample,"
    "A sample incident.\r\n"
)


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {}


def register() -> None:
    from protectdesk.imports import actions

    registry.register_urls("", "protectdesk.imports.urls")
    registry.register_section(
        Section("imports", "imports/_case_section.html", _case_section, order=31, staff_only=True)
    )
    registry.register_navigation(
        NavEntry("imports:upload", _("Import"), frozenset(CASE_ROLES), order=78)
    )
    codes.register(
        {
            "import.applied": _("Spreadsheet imported"),
            "import.cancelled": _("Spreadsheet import cancelled"),
            "import.received": _("Spreadsheet uploaded for import"),
            "import.failed": _("Spreadsheet import failed (nothing saved)"),
        }
    )
    jobs.register_runner(JobKind.IMPORT, actions.run_job)
    jobs.register_housekeeping(actions.remove_expired)
    registry.register_routes(
        {
            "imports:upload": RouteRule(
                "GET", "staff", member=200, defender=403, overrides={"admin": 403}
            ),
            "imports:case_upload": RouteRule("GET", "case", member=200),
            "imports:sheet": RouteRule(
                "GET",
                "staff",
                member=200,
                defender=404,
                sample=_sample_sheet,
                overrides=_NOT_THE_UPLOADER,
            ),
            "imports:confirm": RouteRule(
                "POST",
                "staff",
                member=302,
                defender=404,
                sample=_sample_sheet,
                overrides=_NOT_THE_UPLOADER,
            ),
            "imports:cancel": RouteRule(
                "POST",
                "staff",
                member=302,
                defender=404,
                sample=_sample_sheet,
                overrides=_NOT_THE_UPLOADER,
            ),
        }
    )
    registry.register_canary(["imports.ImportSheet"], _write_canaries)


def _sample_sheet(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """A desk import's sheet uploaded by ``actor``, through the real upload path."""
    from protectdesk.attachments.uploads import encrypt_bytes
    from protectdesk.imports import actions

    upload = encrypt_bytes("incidents.csv", SAMPLE_CSV.encode(), field_name="sheet")
    sheet = actions.receive(actor=actor, keyring=keyring, upload=upload)
    return {"sheet_id": sheet.id}


def _write_canaries(
    actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]
) -> None:
    """Import the canaries of the defender's and the incident's identifying columns: once as a
    desk import (a new case), once into ``case``, through the encrypting upload handler, the
    stored sheet, its dry run and the import itself."""
    import csv
    import io

    from protectdesk.attachments.uploads import encrypt_bytes
    from protectdesk.imports import actions

    # The canaries of the records an import writes (another writer may be given only its own).
    defender = values.get("cases.Defender") or {"name": "Imported defender"}
    incident = values.get("incidents.Incident") or {}
    texts = ("title", "narrative", "place", "consequences", "authority_details", "reaction")
    header = ["defender_name", "defender_kind", "defender_country", "year", "month", "country"]
    header += ["types", "nature", *texts]
    row = [defender["name"], "community", "GT", "2025", "2025-09", "GT", "surveillance"]
    row += ["digital", *(incident.get(name) or f"Imported {name}" for name in texts)]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, row])
    data = buffer.getvalue().encode("utf-8")
    for target in (None, case):
        upload = encrypt_bytes(f"{defender['name']}.csv", data, field_name="sheet")
        sheet = actions.receive(actor=actor, keyring=keyring, upload=upload, case=target)
        key = upload.key  # a request opens it from the box sealed to the uploader
        report = actions.check(actor=actor, sheet=sheet, key=key, mapping=list(sheet.mapping))
        if not report.ok:
            raise RuntimeError(f"the canary sheet does not check out: {report.error_count}")
        actions.confirm(actor=actor, keyring=keyring, sheet=sheet, key=key)
