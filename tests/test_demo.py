"""The demo desk: fictional, encrypted through the real path, usable as the README promises."""

import pytest
from django.test import Client

from protectdesk import demo
from protectdesk.accounts.models import User
from protectdesk.search import queries
from tests.conftest import keyring_of, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_desk(db, settings):
    demo.create_demo()


def test_every_demo_account_signs_in_with_the_documented_password(demo_desk):
    for account in demo.ACCOUNTS:
        sign_in(Client(), account.login, demo.DEMO_PASSWORD)


def test_the_caseworker_finds_incidents_by_narrative_words_in_all_four_languages(demo_desk):
    caseworker = User.objects.get(login=demo.CASEWORKER)
    keyring = keyring_of(caseworker, demo.DEMO_PASSWORD)
    for language, query in [
        ("en", "followed newsroom"),
        ("es", "camioneta blanca"),
        ("fr", "cambriolé ordinateurs"),
        ("pt", "conta anonima traidora"),
    ]:
        results = queries.search(keyring, query)
        assert results.total == 1, language
        assert results.hits[0].title == "Security incident", language


def test_the_demo_is_idempotent_and_need_to_know_holds(demo_desk):
    assert demo.demo_exists()
    caseworker2 = User.objects.get(login=demo.CASEWORKER2)
    keyring = keyring_of(caseworker2, demo.DEMO_PASSWORD)
    assert queries.search(keyring, "camioneta blanca").total == 0  # not their case


def test_the_demo_shows_an_escalating_flagged_case_and_assessments_in_two_languages(demo_desk):
    from protectdesk.threats.models import Escalation, ThreatAssessment

    caseworker = User.objects.get(login=demo.CASEWORKER)
    keyring = keyring_of(caseworker, demo.DEMO_PASSWORD)
    flagged = {
        row.case.reference: [flag["code"] for flag in row.flags]
        for row in Escalation.objects.exclude(flags=[]).select_related("case")
    }
    rosa = next(
        a.case for a in ThreatAssessment.objects.filter(steps_done=5).select_related("case")
    )
    # Stored at month precision; which months the dates fall in depends on the day the demo
    # is made, but these hold on any day (the incidents are 75, 40, 12 and 5 days old).
    assert {"more_often", "repeated_perpetrator", "likely_threat"} <= set(flagged[rosa.reference])
    titles = {keyring.opened(a).title: a.steps_done for a in ThreatAssessment.objects.all()}
    assert titles["Amenaza de muerte a Rosa por hablar con la prensa"] == 5  # Spanish, all steps
    assert titles["“We know where she lives”: smear campaign turning to threats"] == 3  # English

    client = Client()
    sign_in(client, demo.COORDINATOR, demo.DEMO_PASSWORD)
    page = client.get("/flagged/").content.decode()
    assert rosa.reference in page and "Rosa Caal" not in page  # the coordinator is no member
    # The caseworker, a member, sees the threat followed by the attack (exact dates).
    worker = Client()
    sign_in(worker, demo.CASEWORKER, demo.DEMO_PASSWORD)
    case_page = worker.get(f"/cases/{rosa.id}/").content.decode()
    assert "From words to acts" in case_page and "Agresión en el camino" in case_page
