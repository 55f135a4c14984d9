"""Every form of the app, posted hostile values through its real view, answers cleanly.

The forms and a payload for each come from ``tests/test_form_errors.FORMS`` (which fails when
a form route has no entry), so a new form is fuzzed here without editing this file. Each form
gets ``SWEEPS`` Hypothesis examples, a hostile payload each (``harness.hostile_payload``),
signed in as the persona the form is for. The desks are built once for all the plain forms:
building them is what costs, not the posts.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.harness import assert_clean_answer, hostile_payload
from tests.routes import MATRIX
from tests.test_form_errors import FORMS, REFUSALS, Refusal, _client_as

#: Payloads per form per run; HOSTILE_SWEEPS=200 for a long local run.
SWEEPS = int(os.environ.get("HOSTILE_SWEEPS", "4"))
#: Forms whose client is in a state of its own (half signed in, no key, two-factor on): each
#: is fuzzed from its own desks, as the state one leaves would break the others' sign-in.
STATEFUL = sorted(n for n in REFUSALS if FORMS[n].client and not FORMS[n].fresh)
PLAIN = sorted(n for n in REFUSALS if not FORMS[n].client and not FORMS[n].fresh)


def _target(desks: Any, name: str) -> tuple[str, dict[str, Any]]:
    entry = FORMS[name]
    assert isinstance(entry, Refusal)
    return reverse(name, kwargs=MATRIX[name].kwargs(desks)), entry.data(desks)


def _sweep(targets: list[tuple[str, Client, str, dict[str, Any]]]) -> None:
    @settings(
        max_examples=SWEEPS,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def post_everywhere(data: st.DataObject) -> None:
        for name, client, url, base in targets:
            payload = data.draw(hostile_payload(base), label=name)
            assert_clean_answer(client.post(url, payload), f"{name} {url}")

    post_everywhere()


def test_every_form_answers_hostile_values_cleanly(desks):
    """Each form from the same desks, in a savepoint rolled back after it: the payloads of
    ``FORMS`` expect the desks as the fixture makes them (one incident, one plan...)."""
    clients: dict[str, Client] = {}
    for name in PLAIN:
        entry = FORMS[name]
        assert isinstance(entry, Refusal)
        if entry.persona not in clients:
            clients[entry.persona] = _client_as(desks, entry.persona)
        with transaction.atomic():
            url, base = _target(desks, name)
            _sweep([(name, clients[entry.persona], url, base)])
            transaction.set_rollback(True)
    assert len(PLAIN) > 60  # every plain form of the app, not a few


@pytest.mark.parametrize("name", STATEFUL)
def test_a_form_in_a_state_of_its_own_answers_hostile_values_cleanly(desks, name):
    entry = FORMS[name]
    assert isinstance(entry, Refusal) and entry.client is not None
    url, base = _target(desks, name)
    _sweep([(name, entry.client(desks), url, base)])


# --- what the fuzzing found, held by name ----------------------------------------------------


def test_an_edit_posted_without_its_row_version_is_a_conflict_not_a_crash(desks):
    """A forged edit with no row version cannot show what it would overwrite: 409, as for
    a conflict (records.actions.save raised ValueError: a 500)."""
    name = "advocacy:person"
    url, base = _target(desks, name)
    client = _client_as(desks, "caseworker")
    del base["row_version"]
    response = client.post(url, {**base, "consent_on": "2026-01-01"})
    assert response.status_code == 409
    assert_clean_answer(response, name)


def test_an_empty_post_is_a_form_with_its_errors_not_a_blank_refusal(desks):
    """``request.POST or None`` read an empty POST as a GET: a 400 with no error shown."""
    url, _base = _target(desks, "plans:protocol")
    response = _client_as(desks, "caseworker").post(url, {})
    assert response.status_code == 400
    assert_clean_answer(response, "plans:protocol")
