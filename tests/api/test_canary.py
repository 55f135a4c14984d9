"""Nothing a token's owner or caller sends is found at rest: not the token, not its label, not
what an incident posted through the API says (database, WAL or pg_dump, and the log files)."""

from __future__ import annotations

import pytest

from protectdesk.api.models import Scope
from tests import canary as scan
from tests.api.conftest import ApiClient, make_token


@pytest.mark.django_db(transaction=True)
def test_no_token_label_or_posted_text_at_rest(desks):
    label, title, narrative, place = (
        scan.canary(k) for k in ("apilabel", "apititle", "apinarr", "apiplace")
    )
    text = make_token(desks.caseworker, Scope.WRITE, label=label)
    client = ApiClient(text)
    made = client.post(
        f"/api/v1/cases/{desks.case.id}/incidents/",
        {
            "title": title,
            "when": "2026-10-02",
            "narrative": narrative,
            "place": place,
            "types": ["surveillance"],
        },
    )
    assert made.status_code == 201
    assert made.json()["narrative"] == narrative
    refused = client.post(
        f"/api/v1/cases/{desks.case.id}/incidents/",
        {"title": title, "when": narrative, "narrative": narrative, "types": [place]},
    )
    assert refused.status_code == 422
    assert narrative not in refused.content.decode() and place not in refused.content.decode()
    secret = text[4:]
    canaries = [label, title, narrative, place]
    for where, blob in {**scan.database_at_rest(), **scan.log_files()}.items():
        assert scan.find(canaries, blob) == [], where
        assert secret.encode() not in blob, where
