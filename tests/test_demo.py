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
