"""Login throttling per typed name only: never by IP, nothing about the client stored."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from protectdesk.accounts.models import LoginThrottle
from tests.conftest import PASSWORD


def _fail(client, login, times):
    for _ in range(times):
        response = client.post("/login/", {"login": login, "password": "wrong password!!"})
    return response


def test_five_failures_lock_the_name_even_for_the_right_password(desks, client, settings):
    response = _fail(client, desks.caseworker.login, settings.PROTECTDESK_LOGIN_FAILURE_LIMIT)
    assert b"Too many failed attempts" in response.content
    response = client.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
    assert response.status_code == 200
    assert b"Too many failed attempts" in response.content


def test_lock_is_per_name_not_per_client(desks, client, settings):
    _fail(client, desks.caseworker.login, settings.PROTECTDESK_LOGIN_FAILURE_LIMIT)
    # Same client (same IP, as behind Tor): another account is unaffected.
    response = client.post("/login/", {"login": desks.caseworker2.login, "password": PASSWORD})
    assert response.status_code == 302


def test_lock_lifts_after_the_cool_off(desks, client, settings):
    _fail(client, desks.caseworker.login, settings.PROTECTDESK_LOGIN_FAILURE_LIMIT)
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    response = client.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
    assert response.status_code == 302


def test_old_failures_are_forgiven(desks, client, settings):
    _fail(client, desks.caseworker.login, settings.PROTECTDESK_LOGIN_FAILURE_LIMIT - 1)
    LoginThrottle.objects.update(last_failure_at=timezone.now() - timedelta(hours=1))
    _fail(client, desks.caseworker.login, 1)
    assert (
        client.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD}).status_code
        == 302
    )


def test_no_ip_user_agent_or_typed_name_is_stored(desks, client, settings):
    _fail(client, "someone-typed-this@test.example", settings.PROTECTDESK_LOGIN_FAILURE_LIMIT)
    client.post(
        "/login/",
        {"login": desks.caseworker.login, "password": PASSWORD},
        HTTP_USER_AGENT="CanaryBrowser/9.9",
        REMOTE_ADDR="203.0.113.77",
    )
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            dump = repr(cursor.fetchall())
            assert "203.0.113.77" not in dump, table
            assert "CanaryBrowser" not in dump, table
            assert "someone-typed-this" not in dump, table
