"""Workshops as compartments: who holds their keys, that they never show as cases, who may
train, changing a caseworker into a trainer, and a desk's own questionnaires."""

from __future__ import annotations

import html

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.models import Role
from protectdesk.cases import queries as case_queries
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records.keyring import NoCaseAccess
from protectdesk.records.models import Case, CaseKeyBox, CaseKind, CaseMember
from protectdesk.training import actions, queries
from protectdesk.training.models import DeskQuestionnaire
from protectdesk.training.questionnaires import FOLDER, QuestionnaireError
from tests.conftest import keyring_of
from tests.training.helpers import make_workshop

# --- a workshop's keys ----------------------------------------------------------------------


def test_a_new_workshop_is_sealed_to_its_trainer_and_the_recovery_key_only(desks):
    workshop = make_workshop(desks.trainer)
    compartment = Case.compartments.get(pk=workshop.case_id)
    assert compartment.kind == CaseKind.WORKSHOP
    assert compartment.reference.startswith("TD-W")
    boxes = set(CaseKeyBox.objects.filter(case=compartment).values_list("recipient_id", "purpose"))
    both = (Purpose.SHARED, Purpose.STAFF)
    assert boxes == {(desks.trainer.id, p) for p in both} | {(None, p) for p in both}
    assert keyring_of(desks.trainer).can_open(compartment.id)
    assert keyring_of(desks.trainer).opened(workshop).topic.startswith("Security for community")
    for other in (desks.coordinator, desks.caseworker2, desks.outsider):
        assert not keyring_of(other).can_open(compartment.id), other.login


def test_the_workshop_page_is_its_trainers_only(desks, signed_in_client):
    workshop = make_workshop(desks.trainer)
    url = f"/training/{workshop.id}/"
    page = signed_in_client(desks.trainer).get(url)
    assert page.status_code == 200
    assert b"Security for community radio reporters" in page.content
    for other in (desks.coordinator, desks.caseworker2, desks.outsider):
        assert signed_in_client(other).get(url).status_code == 404, other.login


def test_dates_in_the_wrong_order_make_no_workshop(desks):
    import datetime

    with pytest.raises(actions.TrainingError) as refused:
        make_workshop(
            desks.trainer,
            starts_on=datetime.date(2026, 3, 4),
            ends_on=datetime.date(2026, 3, 2),
        )
    assert refused.value.code == "ends_before_start"
    assert not Case.compartments.filter(kind=CaseKind.WORKSHOP).exists()


# --- a workshop is never a case -------------------------------------------------------------


def test_workshops_never_appear_as_cases(desks, signed_in_client):
    counts_before = case_queries.desk_case_counts(desks.coordinator)
    assert counts_before  # the desk has a case: the counts are not trivially empty
    workshop = make_workshop(desks.coordinator)
    compartment = Case.compartments.get(pk=workshop.case_id)

    assert not Case.objects.filter(pk=compartment.pk).exists()
    assert Case.objects.filter(pk=desks.case.pk).exists()
    assert case_queries.desk_case_counts(desks.coordinator) == counts_before
    assert not CaseMember.objects.filter(case=compartment).exists()
    assert CaseMember.compartments.filter(case=compartment, user=desks.coordinator).exists()

    listing = signed_in_client(desks.coordinator).get("/cases/")
    assert listing.status_code == 200
    assert desks.case.reference.encode() in listing.content  # the desk overview lists cases
    assert compartment.reference.encode() not in listing.content


def test_a_workshop_compartment_has_no_case_page(desks, signed_in_client):
    workshop = make_workshop(desks.trainer)
    client = signed_in_client(desks.trainer)
    assert client.get(f"/training/{workshop.id}/").status_code == 200  # they are a member
    assert client.get(f"/cases/{workshop.case_id}/").status_code == 404

    coordinators = make_workshop(desks.coordinator)
    coordinator = signed_in_client(desks.coordinator)
    assert coordinator.get(f"/cases/{coordinators.case_id}/").status_code == 404


# --- trainers -------------------------------------------------------------------------------


def test_only_a_trainer_of_the_workshop_adds_another(desks):
    workshop = make_workshop(desks.trainer)
    with pytest.raises(NoCaseAccess):
        actions.add_trainer(
            actor=desks.coordinator,
            keyring=keyring_of(desks.coordinator),
            workshop=workshop,
            user=desks.caseworker2,
        )
    assert not CaseMember.compartments.filter(
        case_id=workshop.case_id, user=desks.caseworker2
    ).exists()
    actions.add_trainer(
        actor=desks.trainer,
        keyring=keyring_of(desks.trainer),
        workshop=workshop,
        user=desks.caseworker2,
    )
    assert keyring_of(desks.caseworker2).opened(workshop).venue == "Parish hall behind the market"


@pytest.mark.parametrize("who", ["defender", "admin"])
def test_a_defender_or_an_administrator_cannot_train(desks, who):
    workshop = make_workshop(desks.trainer)
    with pytest.raises(actions.TrainingError) as refused:
        actions.add_trainer(
            actor=desks.trainer,
            keyring=keyring_of(desks.trainer),
            workshop=workshop,
            user=getattr(desks, who),
        )
    assert refused.value.code == "not_a_trainer"
    assert not CaseKeyBox.objects.filter(
        case_id=workshop.case_id, recipient=getattr(desks, who)
    ).exists()


def test_the_last_trainer_cannot_leave(desks):
    workshop = make_workshop(desks.trainer)
    with pytest.raises(actions.TrainingError) as refused:
        actions.remove_trainer(
            actor=desks.trainer,
            keyring=keyring_of(desks.trainer),
            workshop=workshop,
            user=desks.trainer,
        )
    assert refused.value.code == "last_trainer"
    assert keyring_of(desks.trainer).can_open(workshop.case_id)


def test_a_removed_trainer_loses_their_boxes_and_access(desks):
    workshop = make_workshop(desks.trainer)
    keyring = keyring_of(desks.trainer)
    actions.add_trainer(
        actor=desks.trainer, keyring=keyring, workshop=workshop, user=desks.caseworker2
    )
    assert CaseKeyBox.objects.filter(case_id=workshop.case_id, recipient=desks.caseworker2).exists()
    actions.remove_trainer(
        actor=desks.trainer, keyring=keyring, workshop=workshop, user=desks.caseworker2
    )
    assert not CaseKeyBox.objects.filter(
        case_id=workshop.case_id, recipient=desks.caseworker2
    ).exists()
    assert not keyring_of(desks.caseworker2).can_open(workshop.case_id)
    assert keyring_of(desks.trainer).can_open(workshop.case_id)  # the other one keeps it


# --- changing a role to trainer -------------------------------------------------------------


def test_a_caseworker_with_a_case_does_not_become_a_trainer(desks):
    with pytest.raises(AccountError) as refused:
        desk_actions.change_role(actor=desks.coordinator, user=desks.caseworker, role=Role.TRAINER)
    assert "their 1 case first" in str(refused.value)
    desks.caseworker.refresh_from_db()
    assert desks.caseworker.role == Role.CASEWORKER


def test_a_caseworker_without_a_case_becomes_a_trainer_even_with_workshops(desks):
    workshop = make_workshop(desks.caseworker2)  # a workshop membership is not a case
    desk_actions.change_role(actor=desks.coordinator, user=desks.caseworker2, role=Role.TRAINER)
    desks.caseworker2.refresh_from_db()
    assert desks.caseworker2.role == Role.TRAINER
    assert keyring_of(desks.caseworker2).can_open(workshop.case_id)


# --- a desk's own questionnaires ------------------------------------------------------------


def _shipped_definition(code: str) -> dict:
    definition = yaml.safe_load(
        (FOLDER / "security_self_assessment.yaml").read_text(encoding="utf-8")
    )
    definition["code"] = code
    definition["title"] = {language: f"Radio {language}" for language in definition["title"]}
    return definition


def test_a_coordinator_adds_a_questionnaire_and_workshops_are_offered_it(desks):
    assert "radio_self_check" not in dict(queries.questionnaire_choices(desks.trainer))
    actions.add_questionnaire(
        actor=desks.coordinator, definition=_shipped_definition("radio_self_check")
    )
    choices = dict(queries.questionnaire_choices(desks.trainer))
    assert choices["radio_self_check"] == "Radio en"
    assert "security_self_assessment" in choices
    assert "radio_self_check" not in dict(queries.questionnaire_choices(desks.outsider))
    workshop = make_workshop(desks.trainer, questionnaire="radio_self_check")
    assert workshop.questionnaire == "radio_self_check"


def test_a_questionnaire_code_is_used_once(desks):
    with pytest.raises(QuestionnaireError) as refused:
        actions.add_questionnaire(
            actor=desks.coordinator, definition=_shipped_definition("security_self_assessment")
        )
    assert "security_self_assessment is already used" in refused.value.problems[0]
    actions.add_questionnaire(actor=desks.coordinator, definition=_shipped_definition("mine"))
    with pytest.raises(QuestionnaireError):
        actions.add_questionnaire(actor=desks.coordinator, definition=_shipped_definition("mine"))
    assert DeskQuestionnaire.objects.filter(desk=desks.desk).count() == 1


def test_only_coordinators_add_questionnaires(desks):
    for who in (desks.caseworker, desks.trainer, desks.admin):
        with pytest.raises(PermissionError):
            actions.add_questionnaire(actor=who, definition=_shipped_definition("radio"))
    assert not DeskQuestionnaire.objects.exists()


def _upload(client, text: str):
    upload = SimpleUploadedFile("mine.yaml", text.encode(), content_type="application/x-yaml")
    return client.post("/training/questionnaires/", {"file": upload})


BAD_INDENTATION = """\
code: radio
title:
  en: Radio
  es: Radio
 fr: Radio
  pt: Radio
"""


def test_a_broken_yaml_upload_names_the_line(desks, signed_in_client):
    response = _upload(signed_in_client(desks.coordinator), BAD_INDENTATION)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    summary = page[page.index('id="error-summary"') :]
    assert "The file is not valid YAML (line 5)" in summary
    assert not DeskQuestionnaire.objects.exists()


def test_an_upload_with_two_problems_lists_both(desks, signed_in_client):
    definition = _shipped_definition("radio")
    definition["questions"][0]["module"] = "astrology"
    del definition["questions"][1]["pt"]
    response = _upload(signed_in_client(desks.coordinator), yaml.safe_dump(definition))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    summary = page[page.index('id="error-summary"') :]
    assert "question 1 (analyse_risk): module 'astrology' is not a curriculum module" in summary
    assert "question 2 (assess_threat): no text in pt" in summary
    assert not DeskQuestionnaire.objects.exists()


def test_a_good_upload_is_added(desks, signed_in_client):
    client = signed_in_client(desks.coordinator)
    response = _upload(client, yaml.safe_dump(_shipped_definition("radio"), allow_unicode=True))
    assert response.status_code == 302
    assert "Radio en" in client.get("/training/questionnaires/").content.decode()
    assert DeskQuestionnaire.objects.get(desk=desks.desk).added_by == desks.coordinator


def test_a_caseworker_cannot_open_the_questionnaires_page(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    assert client.get("/training/questionnaires/").status_code == 403
    response = _upload(client, yaml.safe_dump(_shipped_definition("radio")))
    assert response.status_code == 403
    assert not DeskQuestionnaire.objects.exists()
