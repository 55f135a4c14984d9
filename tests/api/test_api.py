"""The JSON API's tokens and operations: what a token is and opens, how it stops working, and
what the operations answer (security.md, "The JSON API")."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from protectdesk.accounts import actions as account_actions
from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.actions import invitations
from protectdesk.accounts.models import Role
from protectdesk.api import actions
from protectdesk.api.models import Scope, Token, TokenKey
from protectdesk.audit.models import AuditEntry
from protectdesk.incidents.models import Incident
from tests.api.conftest import ApiClient, make_token
from tests.conftest import PASSWORD, keyring_of, sign_in

INCIDENT = {
    "title": "Car outside the office",
    "when": "2026-11",
    "narrative": "A grey car stood outside for three nights.",
    "types": ["surveillance"],
}


def _cases(client: ApiClient):
    return client.get("/api/v1/cases/")


def test_a_token_is_stored_as_a_digest_and_a_wrapped_key_only(desks):
    text = make_token(desks.caseworker, Scope.READ, label="Rosa's notebook CANARY-LABEL")
    token = Token.objects.get()
    assert text.startswith("pd1_") and len(text) == 68
    assert bytes(token.digest) and text.encode() not in bytes(token.digest)
    assert len(bytes(TokenKey.objects.get(token=token).wrapped_private_key)) > 32
    assert bytes(token.label) and b"Rosa" not in bytes(token.label)
    # A statistics token carries no key at all.
    make_token(desks.coordinator, Scope.STATISTICS)
    assert not TokenKey.objects.filter(token__scope=Scope.STATISTICS).exists()
    assert actions.label_of(token, keyring_of(desks.caseworker)._private_key) == (
        "Rosa's notebook CANARY-LABEL"
    )


def test_a_statistics_token_cannot_read_a_case(desks):
    client = ApiClient(make_token(desks.coordinator, Scope.STATISTICS))
    assert client.get("/api/v1/statistics/incidents-by-type/").status_code == 200
    for path in (
        "/api/v1/cases/",
        f"/api/v1/cases/{desks.case.id}/",
        f"/api/v1/cases/{desks.case.id}/incidents/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["type"] == "/api/v1/docs/#problem-forbidden"


def test_expired_revoked_forged_and_missing_tokens_get_401(desks):
    text = make_token(desks.caseworker, Scope.READ)
    client = ApiClient(text)
    assert _cases(client).status_code == 200
    # The right id with another secret.
    forged = text[:-8] + ("A" if text[-8] != "A" else "B") + text[-7:]
    for bad in (forged, "pd1_" + "x" * 64, "not a token", ""):
        response = ApiClient(bad).get("/api/v1/cases/")
        assert response.status_code == 401, bad
        assert response["WWW-Authenticate"] == 'Bearer realm="protectdesk"'
        assert response["Content-Type"] == "application/problem+json"
    Token.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _cases(client).status_code == 401
    assert actions.destroy_expired() == 1
    other = make_token(desks.caseworker, Scope.READ)
    token = Token.objects.get()
    assert actions.revoke_token(actor=desks.caseworker, token_id=token.pk)
    assert not Token.objects.exists(), "revoking deletes the row and its copy of the key"
    assert _cases(ApiClient(other)).status_code == 401


def test_a_colleague_cannot_revoke_my_token(desks):
    make_token(desks.caseworker, Scope.READ)
    token = Token.objects.get()
    assert not actions.revoke_token(actor=desks.coordinator, token_id=token.pk)
    assert Token.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("change", ["deactivated", "role changed", "new key pair"])
def test_an_account_that_changes_loses_its_tokens(desks, change):
    text = make_token(desks.caseworker2, Scope.WRITE)
    if change == "deactivated":
        desk_actions.set_active(actor=desks.coordinator, user=desks.caseworker2, active=False)
    elif change == "role changed":
        desk_actions.change_role(actor=desks.coordinator, user=desks.caseworker2, role=Role.TRAINER)
    else:
        invitation, secret = invitations.invite(
            actor=desks.coordinator,
            role=desks.caseworker2.role,
            login=desks.caseworker2.login,
            user=desks.caseworker2,
        )
        account_actions.accept_invitation(
            invitation=invitation, token=secret, password=PASSWORD, display_name=""
        )
    assert not Token.objects.filter(owner=desks.caseworker2).exists()
    assert _cases(ApiClient(text)).status_code == 401
    dropped = AuditEntry.objects.filter(action="api.tokens_dropped").latest("seq")
    assert dropped.detail["reason"] == change


def test_a_session_cookie_does_not_open_the_api(desks):
    client = Client()
    sign_in(client, desks.caseworker.login)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert not response.cookies, "the API sets no cookie"


def test_a_write_token_logs_an_incident_readable_on_the_page(desks):
    client = ApiClient(make_token(desks.caseworker, Scope.WRITE))
    response = client.post(f"/api/v1/cases/{desks.case.id}/incidents/", INCIDENT)
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["title"] == INCIDENT["title"] and made["when"] == "2026-11"
    assert made["analysis"] == "" and made["country"] == "GT"
    incident = Incident.objects.get(pk=made["id"])
    assert keyring_of(desks.caseworker).opened(incident).narrative == INCIDENT["narrative"]
    read = client.get(f"/api/v1/cases/{desks.case.id}/incidents/{made['id']}/").json()
    assert read == made
    assert AuditEntry.objects.filter(action="incident.created").exists()


def test_a_read_token_cannot_write(desks):
    client = ApiClient(make_token(desks.caseworker, Scope.READ))
    assert client.post(f"/api/v1/cases/{desks.case.id}/incidents/", INCIDENT).status_code == 403
    assert not Incident.objects.exists()


def test_the_defenders_token_reports_with_the_defenders_fields_only(desks):
    client = ApiClient(make_token(desks.defender, Scope.WRITE))
    refused = client.post(
        f"/api/v1/cases/{desks.case.id}/incidents/", {**INCIDENT, "analysis": "staff words"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"pointer": "#/analysis", "detail": "Only the desk's staff set this field."}
    ]
    made = client.post(f"/api/v1/cases/{desks.case.id}/incidents/", INCIDENT)
    assert made.status_code == 201
    assert made.json()["reported_by_defender"] is True and made.json()["analysis"] is None
    # The defender reads the case but not its staff side.
    assert client.get(f"/api/v1/cases/{desks.case.id}/export/").status_code == 404


def test_bad_bodies_get_the_forms_messages_in_the_callers_language(desks):
    client = ApiClient(make_token(desks.caseworker, Scope.WRITE))
    url = f"/api/v1/cases/{desks.case.id}/incidents/"
    response = client.post(
        url, {**INCIDENT, "title": "", "when": "31/02/2026"}, headers={"Accept-Language": "es"}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "Hay valores que corregir"
    pointers = {e["pointer"] for e in problem["errors"]}
    assert pointers == {"#/title", "#/when"}
    assert all(e["detail"] and "31/02/2026" not in e["detail"] for e in problem["errors"])
    wrong_types = client.post(url, {**INCIDENT, "types": "surveillance", "severity": "high"})
    assert {e["pointer"] for e in wrong_types.json()["errors"]} == {"#/types", "#/severity"}
    not_json = client.client.post(
        url, b"{not json", content_type="application/json", headers=client.headers
    )
    assert not_json.status_code in (400, 422)
    assert not_json["Content-Type"] == "application/problem+json"
    assert not Incident.objects.exists(), "nothing is saved from a refused body"


def test_pages_link_to_their_neighbours_and_refuse_oversized_pages(desks):
    from tests.incidents.helpers import log_incident_with

    for _ in range(3):
        log_incident_with(desks.caseworker, desks.case)
    client = ApiClient(make_token(desks.caseworker, Scope.READ))
    url = f"/api/v1/cases/{desks.case.id}/incidents/"
    first = client.get(url, data={"page_size": 2}).json()
    assert (first["total"], len(first["items"]), first["previous"]) == (3, 2, None)
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert {i["id"] for i in first["items"] + second["items"]} == set(
        str(i) for i in Incident.objects.values_list("id", flat=True)
    )
    for bad in ({"page_size": 101}, {"page": 0}, {"page": "two"}):
        response = client.get(url, data=bad)
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["pointer"] in ("page", "page_size")


def test_every_call_is_audited_and_the_rate_limit_answers_429(desks, monkeypatch):
    monkeypatch.setattr(actions, "CALLS_PER_MINUTE", 3)
    text = make_token(desks.caseworker, Scope.READ)
    client = ApiClient(text)
    before = AuditEntry.objects.filter(action="api.call").count()
    statuses = [_cases(client).status_code for _ in range(6)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429, 429] or statuses[3] == 429  # a new minute may begin
    refused = _cases(client)
    if refused.status_code == 429:
        assert 1 <= int(refused["Retry-After"]) <= 60
    calls = AuditEntry.objects.filter(action="api.call").order_by("seq")[before:]
    # Every answered call, and the first refusal of the minute, not each refusal after it.
    assert [c.detail["status"] for c in calls][:4] == [200, 200, 200, 429]
    assert all(c.detail["operation"] == "GET /api/v1/cases/" for c in calls)
    assert all(c.actor_id == desks.caseworker.id for c in calls)


def test_unknown_paths_and_server_errors_are_problem_documents(desks, monkeypatch):
    client = ApiClient(make_token(desks.caseworker, Scope.READ))
    missing = client.get("/api/v1/nothing-here/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    from protectdesk.api import endpoints

    def broken(*args, **kwargs):
        raise RuntimeError("Ana Test Defender")

    monkeypatch.setattr(endpoints, "_case_out", broken)
    failed = client.get("/api/v1/cases/")
    assert failed.status_code == 500
    assert "Ana Test Defender" not in failed.content.decode()
    assert json.loads(failed.content)["type"].endswith("#problem-server-error")


def test_statistics_are_the_analytics_pages_numbers(desks):
    from protectdesk.analytics import queries
    from protectdesk.analytics.catalogue import VIEWS

    client = ApiClient(make_token(desks.analyst, Scope.STATISTICS))
    body = client.get("/api/v1/statistics/incidents-by-type/").json()
    published = queries.publish(VIEWS["incidents-by-type"], queries.own_scope(desks.analyst), {})
    assert [t["total"] for t in body["tables"]] == [t.total for t in published.tables]
    assert body["smallest_group"] == queries.own_scope(desks.analyst).k
    assert client.get("/api/v1/statistics/incidents-by-type/?scope=network").status_code == 404


def test_the_api_never_writes_a_plaintext_log_line(desks, caplog):
    client = ApiClient(make_token(desks.caseworker, Scope.WRITE))
    with caplog.at_level("DEBUG"):
        client.post(f"/api/v1/cases/{desks.case.id}/incidents/", INCIDENT)
        client.post(f"/api/v1/cases/{desks.case.id}/incidents/", {**INCIDENT, "when": "bad"})
    for secret in (INCIDENT["narrative"], INCIDENT["title"], client.headers["Authorization"][7:]):
        assert secret not in caplog.text


@pytest.mark.parametrize("remedy", ["password changed", "signed out everywhere"])
def test_the_remedies_for_a_leak_stop_every_token(desks, remedy):
    from protectdesk.accounts.actions import my_account

    text = make_token(desks.caseworker, Scope.READ)
    if remedy == "password changed":
        my_account.change_password(
            user=desks.caseworker, old_password=PASSWORD, new_password="a whole new passphrase 42"
        )
    else:
        my_account.revoke_sessions(user=desks.caseworker)
    assert _cases(ApiClient(text)).status_code == 401
    assert not Token.objects.exists() and not TokenKey.objects.exists()
    assert AuditEntry.objects.filter(action="api.tokens_dropped").latest("seq").detail == {
        "count": 1,
        "reason": remedy,
    }


def test_a_desk_that_requires_two_factor_stops_tokens_of_staff_without_it(desks):
    text = make_token(desks.caseworker, Scope.READ)
    desks.desk.require_staff_2fa = True
    desks.desk.save(update_fields=["require_staff_2fa"])
    assert _cases(ApiClient(text)).status_code == 401


def test_a_token_with_a_key_lives_90_days_at_most(desks):
    with pytest.raises(actions.TokenRefused):
        make_token(desks.caseworker, Scope.READ, days=365)
    make_token(desks.coordinator, Scope.STATISTICS, days=365)


def test_the_defender_does_not_learn_whether_staff_analysed_an_incident(desks):
    from tests.incidents.helpers import log_incident_with

    incident = log_incident_with(desks.caseworker, desks.case, analysis="A pattern of watching.")
    assert incident.step == "analysed"
    url = f"/api/v1/cases/{desks.case.id}/incidents/{incident.id}/"
    assert ApiClient(make_token(desks.caseworker, Scope.READ)).get(url).json()["step"] == "analysed"
    seen = ApiClient(make_token(desks.defender, Scope.READ)).get(url).json()
    assert (seen["step"], seen["analysis"]) == ("registered", None)


def test_absurd_pages_and_bodies_are_refused_not_sent_to_the_database(desks, settings):
    client = ApiClient(make_token(desks.caseworker, Scope.WRITE))
    url = f"/api/v1/cases/{desks.case.id}/incidents/"
    assert client.get(url, data={"page": 10**30}).status_code == 422
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    huge = client.post(url, {**INCIDENT, "narrative": "x" * 4096})
    assert huge.status_code == 413
    assert huge["Content-Type"] == "application/problem+json"
    assert not Incident.objects.exists()
