"""Creating the desk from the browser on a fresh server: token-gated, phrase shown once."""

import re

from django.test import Client

from protectdesk.accounts import setup
from protectdesk.accounts.models import Desk, User
from protectdesk.crypto import recovery, userkeys
from tests.conftest import sign_in


def test_first_run_creates_the_desk_and_shows_the_phrase_once(db):
    token = setup.issue_token()
    assert token
    client = Client()
    assert client.get("/setup/wrong-token/").status_code == 404
    assert client.get(f"/setup/{token}/").status_code == 200
    password = "first coordinator passphrase"
    response = client.post(
        f"/setup/{token}/",
        {
            "desk_name": "Mesa de Protección",
            "country": "HN",
            "reference_prefix": "",
            "email": "first@desk.example",
            "display_name": "First",
            "new_password": password,
            "new_password_again": password,
            "require_staff_2fa": "on",
        },
    )
    assert response.status_code == 200
    phrase = (
        re.search(rb'<p class="phrase"><code>([A-Z2-7 ]+)</code>', response.content)
        .group(1)
        .decode()
    )
    desk = Desk.objects.get()
    assert desk.reference_prefix == "HN" and desk.require_staff_2fa
    assert userkeys.public_key_of(recovery.from_phrase(phrase)) == bytes(desk.recovery_public_key)
    assert User.objects.get(login="first@desk.example").role == "coordinator"
    # The token is spent and a desk exists: the page is gone for everyone.
    assert client.get(f"/setup/{token}/").status_code == 404
    assert setup.issue_token() is None


def test_first_run_validates_in_the_users_language(db):
    token = setup.issue_token()
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    response = client.post(
        f"/setup/{token}/",
        {
            "desk_name": "",
            "country": "HN",
            "email": "x",
            "new_password": "short",
            "new_password_again": "short",
        },
    )
    assert response.status_code == 400
    assert not Desk.objects.exists()
    assert b'lang="fr"' in response.content


def test_no_setup_once_a_desk_exists(desks):
    assert setup.issue_token() is None
    sign_in(Client(), desks.coordinator.login)
