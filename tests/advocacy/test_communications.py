"""International communications: the dossier holds exactly the facts chosen (never a
staff-only field unless chosen), consent gates export and submission, the exports in the
mechanism's language, tracking and the dashboard's reminders."""

from __future__ import annotations

import datetime
import io
import re
import secrets
import zipfile

import pytest
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader

from protectdesk.advocacy import communications, dossier
from protectdesk.advocacy.dossier import ChosenIncident, Facts
from protectdesk.advocacy.models import Communication
from protectdesk.cases import actions as case_actions
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.actions import IncidentData, SourceEntry, When
from protectdesk.lib import pdf as pdf_lib
from protectdesk.records import registry
from protectdesk.records.keyring import encrypted_fields_of
from protectdesk.records.models import STAFF
from tests.conftest import keyring_of, sign_in


def _mark(label: str) -> str:
    return f"MARK{label.upper()}{secrets.token_hex(4).upper()}"


def _draft(user, case, **overrides):
    data = {
        "mechanism": "un_sr_hrd",
        "kind": "urgent_appeal",
        "language": "en",
        "title": "Urgent appeal",
        "hrd_status": "Land defender of the Q'eqchi' community",
    }
    data.update(overrides)
    return communications.save_draft(
        actor=user,
        keyring=keyring_of(user),
        case=case,
        data=communications.DraftData(**data),
    )


def _consent(user, communication, day=datetime.date(2026, 11, 3)):
    return communications.record_consent(
        actor=user,
        keyring=keyring_of(user),
        communication=communication,
        given_on=day,
        notes="In person, at the office",
        expected_version=communication.row_version,
    )


def _facts(user, communication, facts):
    return communications.save_facts(
        actor=user,
        keyring=keyring_of(user),
        communication=communication,
        facts=facts,
        expected_version=communication.row_version,
    )


class World:
    """A case whose every text field holds a unique marker, three incidents and two actors."""

    def __init__(self, user) -> None:
        keyring = keyring_of(user)
        self.marks: dict[str, str] = {}
        profile = {
            name: self.mark(f"defender_{name}")
            for name in ("name", "aliases", "contacts", "location", "description")
        }
        self.case = case_actions.open_case(
            actor=user,
            keyring=keyring,
            profile=case_actions.DefenderProfile(kind="individual", country="GT", **profile),
            staff_notes=self.mark("staff_notes"),
        )
        self.actors = [
            incident_actions.add_actor(
                actor=user,
                keyring=keyring,
                case=self.case,
                actor_type="state_police",
                name=self.mark(f"actor{n}_name"),
                notes=self.mark(f"actor{n}_notes"),
                profile=incident_actions.ActorProfile(
                    interests=self.mark(f"actor{n}_interests"),
                    resources=self.mark(f"actor{n}_resources"),
                ),
            )
            for n in (1, 2)
        ]
        self.incidents = []
        for n, day in ((1, "2026-09-02"), (2, "2026-10-05"), (3, "2026-08-20")):
            texts = {
                name: self.mark(f"incident{n}_{name}")
                for name in (
                    "title",
                    "place",
                    "narrative",
                    "consequences",
                    "authority_details",
                    "reaction",
                    "exact_time",
                    "analysis",
                )
            }
            self.incidents.append(
                incident_actions.log_incident(
                    actor=user,
                    keyring=keyring,
                    case=self.case,
                    data=IncidentData(
                        when=When("exact", 2026, day[:7], day),
                        country="GT",
                        types=("death_threat",),
                        nature="physical",
                        authority_response="investigation",
                        sources=(
                            SourceEntry(
                                "witness",
                                "likely_reliable",
                                self.mark(f"incident{n}_source"),
                            ),
                        ),
                        **texts,
                    ),
                )
            )

    def mark(self, label: str) -> str:
        self.marks[label] = value = _mark(label)
        return value


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )
    return re.sub(r"<[^>]+>", "", xml)


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _every_staff_value(keyring, case) -> dict[str, str]:
    """Every staff-key value of every record of the case, but the communications' own."""
    found = {}
    for kind in registry.TYPES.values():
        if kind.model is Communication:
            continue
        staff_fields = [
            name
            for name, spec in encrypted_fields_of(kind.model).items()
            if spec.key_purpose == STAFF
        ]
        for record in kind.records_of(case):
            opened = keyring.opened(record)
            for name in staff_fields:
                value = str(getattr(opened, name) or "")
                if len(value) >= 8:
                    found[f"{kind.label}.{name}:{record.pk}"] = value
    return found


def test_the_dossier_holds_exactly_the_facts_chosen_and_no_staff_field_unless_chosen(desks):
    user = desks.caseworker
    world = World(user)
    first, _second, third = world.incidents
    communication = _consent(user, _draft(user, world.case, title=world.mark("comm_title")))
    communication = _facts(
        user,
        communication,
        Facts(
            incidents=(
                ChosenIncident(
                    first.id,
                    datetime.date(2026, 9, 2),
                    ("article_12",),
                    analysis=True,
                    sources=True,
                ),
                ChosenIncident(third.id, datetime.date(2026, 8, 20), ("article_9",)),
            ),
            actors=(world.actors[0].id,),
        ),
    )
    keyring = keyring_of(user)
    built = dossier.assemble(keyring, communication)
    dossier.check_exportable(communication, built)  # exportable: consent, dated violations

    wanted = (
        {"defender_name", "actor1_name", "comm_title"}
        | {
            f"incident{n}_{name}"
            for n in (1, 3)
            for name in ("title", "place", "narrative", "consequences", "authority_details")
        }
        | {"incident1_analysis", "incident1_source"}
    )
    exports = {
        "dossier": built.text(),
        "docx": _docx_text(dossier.to_docx(built)),
        "pdf": _pdf_text(pdf_lib.render(dossier.to_html(built))),
    }
    for where, text in exports.items():
        flat = re.sub(r"\s+", "", text)
        shown = {label for label, value in world.marks.items() if value in flat}
        assert shown == wanted, (where, sorted(shown ^ wanted))
    # A source says how it knows and how reliable it is (clear codes, their labels).
    assert "Witness, Likely reliable" in exports["docx"]
    # Generically: no staff-key value of the case is in the dossier unless it was chosen.
    chosen_staff = {
        world.marks[k] for k in ("actor1_name", "incident1_analysis", "incident1_source")
    }
    for field, value in _every_staff_value(keyring, world.case).items():
        if value not in chosen_staff:
            assert value not in exports["docx"] and value not in exports["dossier"], field
    # In order of the violations' dates, the earliest first.
    assert [v.title for v in built.violations] == [
        world.marks["incident3_title"],
        world.marks["incident1_title"],
    ]


def test_export_and_submission_are_refused_without_consent(desks):
    user = desks.caseworker
    client = Client()
    sign_in(client, user.login)
    communication = _draft(user, desks.case)
    from tests.incidents.helpers import log_incident_with

    incident = log_incident_with(user, desks.case)
    communication = _facts(
        user,
        communication,
        Facts((ChosenIncident(incident.id, datetime.date(2026, 10, 12)),)),
    )
    base = f"/cases/{desks.case.id}/communications/{communication.id}/"
    for file_format in ("docx", "pdf"):
        refused = client.get(base + f"dossier.{file_format}", follow=True)
        assert refused.status_code == 200 and b"consent to submit" in refused.content
        assert refused.redirect_chain[-1][0].endswith("#dossier")
    with pytest.raises(communications.CommunicationError, match="consent"):
        communications.save_tracking(
            actor=user,
            keyring=keyring_of(user),
            communication=communication,
            data=communications.TrackingData("submitted", datetime.date(2026, 11, 5)),
            expected_version=communication.row_version,
        )
    communication = _consent(user, communication)
    docx = client.get(base + "dossier.docx")
    assert docx.status_code == 200
    assert desks.case.reference not in docx["Content-Disposition"]
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(docx.streaming_content).startswith(b"PK")
    pdf = client.get(base + "dossier.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")

    # Withdrawn: refused again, with the day it was withdrawn.
    communications.withdraw_consent(
        actor=user,
        keyring=keyring_of(user),
        communication=communication,
        withdrawn_on=datetime.date(2026, 11, 10),
        notes="By phone",
        expected_version=communication.row_version,
    )
    refused = client.get(base + "dossier.pdf", follow=True)
    assert b"withdrew their consent" in refused.content and b"2026-11-10" in refused.content
    from protectdesk.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="communication.exported").count() == 2


def test_a_violation_without_a_date_is_refused_with_its_title(desks, signed_in_client):
    user = desks.caseworker
    from tests.incidents.helpers import log_incident_with

    incident = log_incident_with(user, desks.case, title="Threat at the checkpoint")
    communication = _consent(user, _draft(user, desks.case))
    client = signed_in_client(user)
    page = client.post(
        f"/cases/{desks.case.id}/communications/{communication.id}/facts/",
        {"incident_1": "on", "on_1": "", "row_version": str(communication.row_version)},
    )
    assert page.status_code == 400
    assert "Give the day “Threat at the checkpoint” happened" in page.content.decode()
    communication.refresh_from_db()
    assert (
        dossier.facts_of(keyring_of(user), communication) == Facts()
    )  # nothing lost, nothing saved
    # The write refuses it too (a forged form), and an undated choice is never exported.
    with pytest.raises(ValueError, match="every violation has a day"):
        _facts(user, communication, Facts((ChosenIncident(incident.id, None),)))
    undated = Facts((ChosenIncident(incident.id, None),))
    built = dossier.assemble(keyring_of(user), communication, undated)
    with pytest.raises(dossier.DossierRefused, match="has no date") as refused:
        dossier.check_exportable(communication, built)
    assert "checkpoint" not in refused.value.message  # it may travel in the session


def test_a_mechanism_receives_only_its_own_kinds(desks):
    with pytest.raises(communications.CommunicationError, match="does not receive"):
        _draft(desks.caseworker, desks.case, mechanism="iachr", kind="urgent_appeal")
    made = _draft(desks.caseworker, desks.case, mechanism="iachr", kind="precautionary_measures")
    assert made.kind == "precautionary_measures"


def test_facts_of_another_case_are_refused(desks):
    from protectdesk.records.keyring import NoCaseAccess
    from tests.incidents.helpers import log_incident_with

    user = desks.caseworker
    other = case_actions.open_case(
        actor=user,
        keyring=keyring_of(user),
        profile=case_actions.DefenderProfile(kind="individual", country="GT", name="Someone"),
    )
    elsewhere = log_incident_with(user, other)
    communication = _draft(user, desks.case)
    with pytest.raises(NoCaseAccess):
        _facts(
            user, communication, Facts((ChosenIncident(elsewhere.id, datetime.date(2026, 1, 2)),))
        )


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Violations, in order"),
        ("es", "Violaciones, en orden"),
        ("fr", "Violations, dans l'ordre"),
    ],
)
def test_the_dossier_is_exported_in_the_mechanisms_language(desks, language, heading):
    user = desks.caseworker
    from tests.incidents.helpers import log_incident_with

    incident = log_incident_with(user, desks.case)
    communication = _consent(user, _draft(user, desks.case, language=language))
    communication = _facts(
        user, communication, Facts((ChosenIncident(incident.id, datetime.date(2026, 10, 12)),))
    )
    with translation.override("pt"):  # whatever the user reads the app in
        client = Client()
        sign_in(client, user.login)
        response = client.get(
            f"/cases/{desks.case.id}/communications/{communication.id}/dossier.docx"
        )
    text = _docx_text(b"".join(response.streaming_content))
    assert heading in text.replace("’", "'")
    assert "Car outside the office" in text


def test_tracking_follow_ups_and_the_reminder_on_the_dashboard(desks, signed_in_client):
    user = desks.caseworker
    communication = _consent(user, _draft(user, desks.case))
    with pytest.raises(communications.CommunicationError, match="before the submission"):
        communications.save_tracking(
            actor=user,
            keyring=keyring_of(user),
            communication=communication,
            data=communications.TrackingData(
                "submitted", datetime.date(2026, 11, 20), answered_on=datetime.date(2026, 11, 1)
            ),
            expected_version=communication.row_version,
        )
    due = timezone.localdate() + datetime.timedelta(days=5)
    communication = communications.save_tracking(
        actor=user,
        keyring=keyring_of(user),
        communication=communication,
        data=communications.TrackingData(
            "draft", datetime.date(2026, 11, 5), reference="UA GTM 4/2026", due_on=due
        ),
        expected_version=communication.row_version,
    )
    assert communication.status == "submitted"  # a submission day moves it on
    communication = communications.add_follow_up(
        actor=user,
        keyring=keyring_of(user),
        communication=communication,
        on=datetime.date(2026, 11, 20),
        text="Reminder sent to the Special Rapporteur",
        next_due_on=due,
        expected_version=communication.row_version,
    )
    communication = communications.add_follow_up(
        actor=user,
        keyring=keyring_of(user),
        communication=communication,
        on=datetime.date(2026, 11, 12),
        text="New threat sent as additional information",
        next_due_on=due,
        expected_version=communication.row_version,
    )
    entries = keyring_of(user).open_value(communication, "follow_ups")
    assert [e["on"] for e in entries] == ["2026-11-12", "2026-11-20"]

    home = signed_in_client(user).get("/").content.decode()
    assert "Deadline of a communication to UN Special Rapporteur" in home
    assert due.isoformat() in home and desks.case.reference in home
    # Not for a colleague who is not on the case, nor once the communication is closed.
    assert (
        "Deadline of a communication"
        not in signed_in_client(desks.caseworker2).get("/").content.decode()
    )
    communications.save_tracking(
        actor=user,
        keyring=keyring_of(user),
        communication=communication,
        data=communications.TrackingData("closed", datetime.date(2026, 11, 5), due_on=due),
        expected_version=communication.row_version,
    )
    assert "Deadline of a communication" not in signed_in_client(user).get("/").content.decode()


def test_the_communication_page_shows_the_dossier_and_the_state_answer(desks, signed_in_client):
    user = desks.caseworker
    communication = _consent(user, _draft(user, desks.case, title="Appeal for Ana"))
    client = signed_in_client(user)
    base = f"/cases/{desks.case.id}/communications/{communication.id}/"
    saved = client.post(
        base + "tracking/",
        {
            "status": "answered",
            "submitted_on": "2026-11-05",
            "reference": "UA GTM 4/2026",
            "answered_on": "2026-11-25",
            "state_response": "The State says an investigation is open.",
            "row_version": str(communication.row_version),
        },
    )
    assert saved.status_code == 302
    page = client.get(base).content.decode()
    assert "Appeal for Ana" in page and "Ana Test Defender" in page
    assert "The State says an investigation is open." in page and "UA GTM 4/2026" in page
    # A stale form is refused and keeps what was typed.
    stale = client.post(
        base + "follow-ups/",
        {"followed_on": "2026-11-26", "text": "Asked the State again", "row_version": "1"},
    )
    assert stale.status_code == 409 and "Asked the State again" in stale.content.decode()
    # The case page lists it; the defender's account never sees it.
    assert "Appeal for Ana" in client.get(f"/cases/{desks.case.id}/").content.decode()
    assert signed_in_client(desks.defender).get(base).status_code == 404


def test_consent_dates_and_the_life_after_submission_hold_together(desks):
    user = desks.caseworker
    keyring = keyring_of(user)
    communication = _consent(user, _draft(user, desks.case), day=datetime.date(2026, 11, 3))
    with pytest.raises(communications.CommunicationError, match="cannot have been submitted"):
        communications.save_tracking(
            actor=user,
            keyring=keyring,
            communication=communication,
            data=communications.TrackingData("submitted", datetime.date(2026, 11, 1)),
            expected_version=communication.row_version,
        )
    communication = communications.save_tracking(
        actor=user,
        keyring=keyring,
        communication=communication,
        data=communications.TrackingData(
            "submitted", datetime.date(2026, 11, 4), due_on=datetime.date(2026, 12, 20)
        ),
        expected_version=communication.row_version,
    )
    assert communications.day_of(keyring, communication, "submitted_on") == datetime.date(
        2026, 11, 4
    )
    communication = communications.withdraw_consent(
        actor=user,
        keyring=keyring,
        communication=communication,
        withdrawn_on=datetime.date(2026, 11, 10),
        notes="She fears reprisals now",
        expected_version=communication.row_version,
    )
    opened = keyring.opened(communication)
    assert opened.consent_notes == "In person, at the office"  # how she agreed is kept
    assert opened.withdrawal_notes == "She fears reprisals now"
    # Already submitted: the State's answer is still recorded after the withdrawal.
    communication = communications.save_tracking(
        actor=user,
        keyring=keyring,
        communication=communication,
        data=communications.TrackingData(
            "answered",
            datetime.date(2026, 11, 4),
            answered_on=datetime.date(2026, 11, 25),
            due_on=datetime.date(2026, 12, 20),
        ),
        expected_version=communication.row_version,
    )
    assert communication.status == "answered"
    # A follow-up without a next deadline keeps the current one.
    communication = communications.add_follow_up(
        actor=user,
        keyring=keyring,
        communication=communication,
        on=datetime.date(2026, 11, 26),
        text="Sent comments on the answer",
        next_due_on=None,
        expected_version=communication.row_version,
    )
    assert communication.due_on == datetime.date(2026, 12, 20)
    # A new consent is not dated before the withdrawal.
    with pytest.raises(communications.CommunicationError, match="withdrew their consent"):
        _consent(user, communication, day=datetime.date(2026, 11, 5))
    # The days the State knows are not in clear.
    from protectdesk.advocacy.models import Communication as Model

    row = Model.objects.filter(pk=communication.pk).values()[0]
    assert "2026-11-04" not in str(row) and "2026-11-25" not in str(row)
