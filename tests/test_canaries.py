"""A seized server reveals no defender (security.md "Required tests": canary scan).

Every identifying field in the registry gets a unique canary, written through the real action
functions and views; then the database at rest (SQLite file and WAL, or pg_dump), the logs, the
session table and the temp directory are searched for any encoding of any canary.
"""

import io
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from protectdesk.accounts.models import Session
from protectdesk.cases import actions
from protectdesk.incidents.models import Incident
from protectdesk.records import registry
from protectdesk.records.fields import identifying_fields, undeclared_fields
from protectdesk.records.models import Case
from tests import canary as scan
from tests.conftest import keyring_of, sign_in
from tests.images import jpeg_with_exif


def test_every_field_of_a_case_record_declares_its_class():
    assert undeclared_fields() == []


def test_the_registry_knows_the_identifying_fields():
    names = {f"{model._meta.label}.{field.name}" for model, field in identifying_fields()}
    assert {"cases.Defender.name", "cases.Defender.contacts", "cases.Case.staff_notes"} <= names


def _write_case_and_defender(desks, client, values, extra):
    keyring = keyring_of(desks.caseworker)
    profile = actions.DefenderProfile(
        kind="community", country="GT", subdivision="GT-16", **values["cases.Defender"]
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


def _write_attachments(desks, client, values, extra):
    case = desks.case
    url, record = f"/cases/{case.id}/files/", f"cases.case:{case.id}"
    content = scan.canary("filecontent")
    extra.append(content)
    shared = SimpleUploadedFile(
        values["attachments.Attachment"]["meta_shared"] + ".txt", f"notes {content} end".encode()
    )
    staff = SimpleUploadedFile(
        values["attachments.Attachment"]["meta_staff"] + ".txt", b"staff only text " * 10
    )
    assert client.post(url, {"record": record, "file": shared}).status_code == 302
    assert (
        client.post(url, {"record": record, "file": staff, "staff_only": "on"}).status_code == 302
    )
    # A photo whose EXIF carries a canary description and GPS position: both must vanish.
    exif_canary = scan.canary("exif")
    extra.append(exif_canary)
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_exif(description=exif_canary))
    assert client.post(url, {"record": record, "file": photo}).status_code == 302
    return case


def _write_incident(desks, client, values, extra):
    from protectdesk.incidents.actions import PerpetratorEntry, SourceEntry, When
    from tests.incidents.helpers import log_incident_with

    incident = values["incidents.Incident"]
    exact_date = "1987-03-29"  # a real date (the form only accepts dates); its month is in clear
    incident["exact_date"] = exact_date  # the canary of this field is the full date
    log_incident_with(
        desks.caseworker,
        desks.case,
        when=When("exact", 1987, "1987-03", exact_date),
        title=incident["title"],
        exact_time=incident["exact_time"],
        place=incident["place"],
        narrative=incident["narrative"],
        consequences=incident["consequences"],
        authority_details=incident["authority_details"],
        reaction=incident["reaction"],
        analysis=incident["analysis"],
        perpetrators=(
            PerpetratorEntry(
                new_actor_type="state_police", new_actor_name=values["incidents.Actor"]["name"]
            ),
        ),
        sources=(
            SourceEntry(
                "witness", "likely_reliable", values["incidents.IncidentSource"]["description"]
            ),
        ),
    )
    from protectdesk.incidents import actions as incident_actions
    from protectdesk.incidents.models import Actor

    target = Actor.objects.get(case=desks.case)
    incident_actions.update_actor(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        target=target,
        actor_type="state_police",
        name=values["incidents.Actor"]["name"],
        notes=values["incidents.Actor"]["notes"],
        expected_version=target.row_version,
    )
    # And through the web form, as a caseworker types it.
    web_narrative = scan.canary("webnarrative")
    extra.append(web_narrative)
    response = client.post(
        f"/cases/{desks.case.id}/incidents/new/",
        {
            "title": scan.canary("webtitle"),
            "when": "2026-10",
            "country": "GT",
            "subdivision": "GT-16",
            "types": ["death_threat"],
            "nature": "digital",
            "narrative": web_narrative,
            "authority_response": "not_reported",
            "perpetrators-TOTAL_FORMS": "2",
            "perpetrators-INITIAL_FORMS": "0",
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    # And as the defender reports one from their own account (kept as reported, too).
    defender = Client()
    sign_in(defender, desks.defender.login)
    reported = values["incidents.Incident"]["as_reported"]
    response = defender.post(
        f"/cases/{desks.case.id}/incidents/report/",
        {
            "title": reported,
            "when": "2026-10-02",
            "place": (place := scan.canary("reportplace")),
            "types": ["surveillance"],
            "nature": "physical",
            "narrative": (story := scan.canary("reportnarrative")),
        },
    )
    assert response.status_code == 302, response.content[:3000]
    extra.extend([reported, place, story])
    assert defender.get(response["Location"]).status_code == 200
    return desks.case


def _write_consent(desks, client, values, extra):
    import datetime

    actions.record_consent(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        choice=actions.ConsentChoice(
            True,
            True,
            False,
            False,
            datetime.date(2026, 10, 1),
            partners=values["cases.Consent"]["partners"],
            notes=values["cases.Consent"]["notes"],
        ),
    )
    return desks.case


def _write_threats_through_the_web(desks, client, values, extra):
    """The actors map and an assessment as a caseworker types them, and their pages viewed."""
    case = desks.case
    name, interests, pattern, facts = (
        scan.canary(k) for k in ("webactor", "webinterests", "webpattern", "webfacts")
    )
    extra.extend([name, interests, pattern, facts])
    base = f"/cases/{case.id}"
    posted = client.post(
        f"{base}/actors/",
        {"actor_type": "state_police", "name": name, "stance": "resisting", "interests": interests},
    )
    assert posted.status_code == 302, posted.content[:2000]
    incident = Incident.objects.filter(case=case).first()
    posted = client.post(
        f"{base}/threats/new/",
        {"title": scan.canary("webassessment"), "facts": facts, "incidents": [str(incident.id)]},
    )
    assert posted.status_code == 302, posted.content[:2000]
    step_two = posted["Location"]
    posted = client.post(step_two, {"pattern": pattern, "row_version": "1"})
    assert posted.status_code == 302, posted.content[:2000]
    assessment = step_two.split("/threats/")[1].split("/")[0]
    printed = client.get(f"{base}/plan/plan.pdf?lang=es")  # the plans writer made a plan here
    assert printed.status_code == 200 and b"".join(printed.streaming_content).startswith(b"%PDF")
    for page in (
        f"{base}/actors/",
        step_two,
        f"{base}/threats/{assessment}/",
        f"{base}/threats/{assessment}/history/",
        f"{base}/threats/{assessment}/history/1/",
    ):
        assert client.get(page).status_code == 200, page
    return case


#: model label → the writer that fills that model's identifying fields through real actions.
WRITERS = {
    "incidents.Incident": _write_incident,
    "incidents.Actor": _write_incident,
    "incidents.IncidentSource": _write_incident,
    "cases.Consent": _write_consent,
    "cases.Case": _write_case_and_defender,
    "cases.Defender": _write_case_and_defender,
    "attachments.Attachment": _write_attachments,
    "threats (web forms)": _write_threats_through_the_web,  # after the registered writers
}


def _registered(writer):
    """A module's canary writer (declared in its integration.py), run as the caseworker."""

    def write(desks, client, values, extra):
        written = writer(desks.caseworker, keyring_of(desks.caseworker), desks.case, values)
        return written or desks.case

    return write


_WRAPPED = {writer: _registered(writer) for writer in set(registry.CANARY_WRITERS.values())}
WRITERS.update({label: _WRAPPED[writer] for label, writer in registry.CANARY_WRITERS.items()})
WRITERS["threats (web forms)"] = WRITERS.pop("threats (web forms)")  # last: it needs an incident


def _view_workshop_pages(client, compartment):
    from protectdesk.training.models import CoachingSession, Participant, Workshop

    workshop = Workshop.objects.get(case=compartment)
    base = f"/training/{workshop.id}/"
    pages = [base, base + "results/", base + "edit/"]
    for participant in Participant.objects.filter(workshop=workshop):
        pages += [
            f"{base}participants/{participant.id}/",
            f"{base}participants/{participant.id}/assessment/pre/",
        ]
        for session in CoachingSession.objects.filter(participant=participant):
            pages.append(f"{base}participants/{participant.id}/coaching/{session.id}/")
    for page in pages:
        assert client.get(page).status_code == 200, page


def _view_directory_pages(client, directory):
    from protectdesk.partners.models import Partner, PartnerContact

    pages = ["/partners/"]
    for partner in Partner.objects.filter(case=directory):
        pages.append(f"/partners/{partner.id}/")
        for contact in PartnerContact.objects.filter(partner=partner):
            pages.append(f"/partners/{partner.id}/contacts/{contact.id}/")
    for page in pages:
        assert client.get(page).status_code == 200, page


def _decrypted_text(keyring, model, case):
    """Everything decrypted from the records of ``model`` in ``case``, as one string."""
    records = model.objects.filter(pk=case.pk) if model is Case else model.objects.filter(case=case)
    texts = []
    for record in records:
        opened = keyring.opened(record)
        for _model, field in identifying_fields():
            if isinstance(record, _model):
                texts.append(str(getattr(opened, field.name)))
    return " ".join(texts)


@pytest.mark.django_db(transaction=True)
def test_no_canary_at_rest(desks):
    started = time.time()
    planted: dict[str, dict[str, str]] = {}
    for model, field in identifying_fields():
        planted.setdefault(model._meta.label, {})[field.name] = scan.canary(
            f"{model._meta.model_name}{field.name}"
        )
    assert set(planted) <= set(WRITERS), f"no canary writer for {set(planted) - set(WRITERS)}"
    client = Client()
    sign_in(client, desks.caseworker.login)
    extra: list[str] = []
    cases = {}
    for writer in WRITERS.values():
        if writer not in cases:
            cases[writer] = writer(desks, client, planted, extra)

    # Through the web as well: a case opened with the form, its page viewed.
    web = scan.canary("webname")
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
    for case in set(cases.values()):
        if case.kind == "workshop":  # its pages, each showing the decrypted fields
            _view_workshop_pages(client, case)
            continue
        if case.kind == "directory":
            _view_directory_pages(client, case)
            continue
        assert client.get(f"/cases/{case.id}/").status_code == 200
        # Exports with identifying data are streamed or built in memory: nothing reaches disk.
        for fmt in ("csv", "xlsx", "json"):
            export = client.post(f"/cases/{case.id}/export/", {"file_format": fmt, "confirm": "on"})
            body = b"".join(export.streaming_content) if export.streaming else export.content
            assert export.status_code == 200 and body

    # Every planted canary really went into its field (so the scan below means something).
    keyring = keyring_of(desks.caseworker)
    for model, field in identifying_fields():
        case = cases[WRITERS[model._meta.label]]
        assert planted[model._meta.label][field.name] in _decrypted_text(keyring, model, case), (
            model,
            field.name,
        )

    canaries = [value for fields in planted.values() for value in fields.values()] + [web, *extra]
    # A backup archive of all this, made by the real command.
    archive = Path(settings.DATA_DIR) / "canary.pdbackup"
    call_command("backup", output=str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert archive.stat().st_size > 1000
    connection.close()  # let SQLite write its WAL as a real server process would leave it
    places = {
        **scan.database_at_rest(),
        **scan.log_files(),
        **scan.files_under(Path(tempfile.gettempdir()), started),
        **scan.files_under(
            Path(settings.DATA_DIR), 0
        ),  # encrypted files, upload temp dir, everything
    }
    leaks = {where: found for where, blob in places.items() if (found := scan.find(canaries, blob))}
    # The printed plan was built in memory: no PDF anywhere on disk.
    leaks.update({where: ["a PDF"] for where, blob in places.items() if blob.startswith(b"%PDF")})
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


@pytest.mark.django_db
def test_the_database_scan_covers_the_job_queue():
    """The scan reads the whole database, the background-job tables with the rest (a real
    rotation job fills and scans them in tests/records/test_jobs.py)."""
    from django_tasks_db.models import DBTaskResult

    from protectdesk.records.models import Job, JobKey, JobSecret, JobWorker

    at_rest = b"".join(scan.database_at_rest().values())
    for model in (DBTaskResult, Job, JobSecret, JobKey, JobWorker):
        assert model._meta.db_table.encode() in at_rest, model._meta.db_table
