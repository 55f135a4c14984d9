"""A seized server reveals no defender (security.md "Required tests": canary scan).

Every identifying field in the registry gets a unique canary, written through the real action
functions and views; then the database at rest (SQLite file and WAL, or pg_dump), the logs, the
session table and the temp directory are searched for any encoding of any canary.
"""

import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from protectdesk.accounts.models import Session
from protectdesk.cases import actions
from protectdesk.cases.fields import identifying_fields, undeclared_fields
from protectdesk.cases.models import Case, Defender
from tests import canary as scan
from tests.conftest import keyring_of, sign_in


def test_every_field_of_a_case_record_declares_its_class():
    assert undeclared_fields() == []


def test_the_registry_knows_the_identifying_fields():
    names = {f"{model._meta.label}.{field.name}" for model, field in identifying_fields()}
    assert {"cases.Defender.name", "cases.Defender.contacts", "cases.Case.staff_notes"} <= names


#: How each model's identifying fields get written through real actions: model label → writer.
def _write_case_and_defender(desks, values):
    keyring = keyring_of(desks.caseworker)
    profile = actions.DefenderProfile(
        kind="community",
        country="GT",
        subdivision="GT-16",
        **{k: v for k, v in values["cases.Defender"].items()},
    )
    case = actions.open_case(
        actor=desks.caseworker, keyring=keyring, profile=profile, staff_notes="first"
    )
    actions.update_staff_notes(
        actor=desks.caseworker,
        keyring=keyring,
        case=case,
        notes=values["cases.Case"]["staff_notes"],
        expected_version=case.row_version,
    )
    return case


WRITERS = {"cases.Case": _write_case_and_defender, "cases.Defender": _write_case_and_defender}


@pytest.mark.django_db(transaction=True)
def test_no_canary_at_rest(desks):
    started = time.time()
    planted: dict[str, dict[str, str]] = {}
    for model, field in identifying_fields():
        planted.setdefault(model._meta.label, {})[field.name] = scan.canary(
            f"{model._meta.model_name}{field.name}"
        )
    assert set(planted) <= set(WRITERS), f"no canary writer for {set(planted) - set(WRITERS)}"
    case = _write_case_and_defender(desks, planted)

    # Through the web as well: a case opened with the form, its page viewed, its notes saved.
    web = scan.canary("webname")
    client = Client()
    sign_in(client, desks.caseworker.login)
    response = client.post(
        "/cases/new/",
        {
            "kind": "individual",
            "name": web,
            "country": "GT",
            "subdivision": "GT-01",
            "contacts": web + "-contact",
        },
    )
    assert response.status_code == 302
    assert web.encode() in client.get(response["Location"]).content
    assert client.get(f"/cases/{case.id}/").status_code == 200

    # Every planted canary really went into its field (so the scan below means something).
    keyring = keyring_of(desks.caseworker)
    opened = {
        "cases.Case": keyring.opened(Case.objects.get(pk=case.pk)),
        "cases.Defender": keyring.opened(Defender.objects.get(case=case)),
    }
    for label, fields in planted.items():
        for name, value in fields.items():
            assert getattr(opened[label], name) == value, (label, name)

    canaries = [value for fields in planted.values() for value in fields.values()] + [web]
    connection.close()  # let SQLite write its WAL as a real server process would leave it
    leaks = {}
    for where, blob in {
        **scan.database_at_rest(),
        **scan.log_files(),
        **scan.files_under(Path(tempfile.gettempdir()), started),
    }.items():
        found = scan.find(canaries, blob)
        if found:
            leaks[where] = found
    sessions = b"".join(
        s.session_data.encode() + repr(s.get_decoded()).encode() for s in Session.objects.all()
    )
    if scan.find(canaries, sessions):
        leaks["session table"] = scan.find(canaries, sessions)
    assert not leaks, f"identifying data found at rest: {leaks}"


@pytest.mark.django_db(transaction=True)
def test_the_scanner_finds_leaks_planted_on_purpose(desks):
    """Control: the scan above can fail. Plain text in a log, a clear column, a session."""
    import logging

    from protectdesk.accounts.models import Desk
    from protectdesk.accounts.sessions import SessionStore

    leaks = [scan.canary("control-log"), scan.canary("control-db"), scan.canary("control-session")]
    logging.getLogger("protectdesk.control").warning("planted %s", leaks[0])
    Desk.objects.filter(pk=desks.desk.pk).update(name=leaks[1])
    store = SessionStore()
    store["planted"] = leaks[2]
    store.save()
    connection.close()
    assert scan.find(leaks[:1], b"".join(scan.log_files().values()))
    at_rest = b"".join(scan.database_at_rest().values())
    assert scan.find(leaks[1:2], at_rest)
    assert scan.find(leaks[2:], at_rest), "base64-encoded session data is found too"
