"""Encrypted search: finds what it should, only in cases the user can open, never in clear."""

import re
from typing import Any

from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from protectdesk.cases import actions
from protectdesk.crypto import blind_index, casekeys, text
from protectdesk.records.models import SearchToken
from tests import canary as scan
from tests.conftest import keyring_of


def _search(client, query, page=None):
    data = {"query": query}
    if page:
        data["page"] = page
    return client.post("/search/", data)


def _open(user, name, description="", notes=""):
    return actions.open_case(
        actor=user,
        keyring=keyring_of(user),
        profile=actions.DefenderProfile(
            kind="individual", country="GT", name=name, description=description
        ),
        staff_notes=notes,
    )


def test_finds_by_any_words_regardless_of_accents_case_and_order(desks, signed_in_client):
    _open(
        desks.caseworker,
        "Ramona Ixcot",
        notes="Una camioneta BLANCA sin placas estuvo frente a la oficina.",
    )
    client = signed_in_client(desks.caseworker)
    for query in [
        "camioneta blanca",
        "blanca camioneta",
        "CAMIONETAS blancas",
        '"camioneta blanca"',
        "oficina",
    ]:
        page = _search(client, query)
        assert page.status_code == 200
        assert b"Ramona Ixcot" in page.content, query
        assert b"<mark>" in page.content
    assert b"Ramona Ixcot" not in _search(client, "camioneta roja").content  # all words must match


def test_finds_in_each_language(desks, signed_in_client):
    _open(desks.caseworker, "Case EN", notes="A white pickup followed her home.")
    _open(desks.caseworker, "Case ES", notes="Una camioneta blanca la siguió hasta su casa.")
    _open(
        desks.caseworker, "Case FR", notes="Une camionnette blanche l’a suivie jusqu’à chez elle."
    )
    _open(desks.caseworker, "Case PT", notes="Uma caminhonete branca a seguiu até a casa dela.")
    client = signed_in_client(desks.caseworker)
    for query, expected in [
        ("white pickups", b"Case EN"),
        ("camioneta siguio", b"Case ES"),
        ("camionnette suivie", b"Case FR"),
        ("caminhonete seguiu ate", b"Case PT"),
    ]:
        content = _search(client, query).content
        assert expected in content, query
        assert (
            sum(name in content for name in [b"Case EN", b"Case ES", b"Case FR", b"Case PT"]) == 1
        )


def test_names_the_field_that_matched(desks, signed_in_client):
    _open(desks.caseworker, "Tomasa Quej", description="Leader of the water committee of San Juan")
    content = _search(signed_in_client(desks.caseworker), "water committee").content
    assert b"Defender profile" in content and b"description of their work" in content.lower()


def test_nothing_from_cases_the_user_cannot_open(desks, signed_in_client):
    secret = scan.canary("searchsecret")
    _open(desks.caseworker2, "Hidden Person", notes=f"meeting about {secret}")
    for user in (desks.caseworker, desks.coordinator, desks.admin):
        content = _search(signed_in_client(user), secret).content
        assert b"Hidden Person" not in content and b"0 results" in content
    assert b"Hidden Person" in _search(signed_in_client(desks.caseworker2), secret).content


def test_queries_never_travel_in_urls(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    page = client.get("/search/")
    assert re.search(rb'<form method="post" action="/search/"', page.content)
    # A query string is ignored, not executed.
    assert b"result" not in client.get("/search/?query=camioneta").content


def test_no_word_in_clear_in_the_token_table(desks):
    canary = scan.canary("tokentable")
    _open(desks.caseworker, canary, description=f"{canary} lives near the river", notes=canary)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM search_searchtoken")
        dump = repr(cursor.fetchall()).encode()
    assert not scan.find([canary], dump)
    assert not scan.find([canary.lower()], dump)
    assert SearchToken.objects.filter(field="name").exists()


def test_paging_by_post(desks, signed_in_client):
    for index in range(23):
        _open(desks.caseworker, f"Person {index}", notes="shared keyword threat")
    client = signed_in_client(desks.caseworker)
    first = _search(client, "keyword")
    assert b"23 results" in first.content and b"Page 1 of 2" in first.content
    second = _search(client, "keyword", page=2)
    assert b"Page 2 of 2" in second.content
    results = second.content.split(b'<ol class="results">')[1].split(b"</ol>")[0]
    assert results.count(b"<li>") == 3


def test_updating_text_replaces_its_tokens(desks, signed_in_client):
    keyring = keyring_of(desks.caseworker)
    case = _open(desks.caseworker, "Notes Person", notes="original wording")
    actions.update_staff_notes(
        actor=desks.caseworker,
        keyring=keyring,
        case=case,
        notes="entirely different",
        expected_version=case.row_version,
    )
    client = signed_in_client(desks.caseworker)
    assert b"Notes Person" not in _search(client, "original").content
    assert b"Notes Person" in _search(client, "different").content


def test_search_is_audited_without_the_query(desks, signed_in_client):
    from protectdesk.audit.models import AuditEntry

    _search(signed_in_client(desks.caseworker), "very private words")
    entry = AuditEntry.objects.filter(action="search.performed").latest("seq")
    assert "private" not in str(entry.detail) and entry.detail["cases"] >= 1


@given(st.text(max_size=60))
def test_tokens_are_deterministic_per_case_and_differ_across_cases(sample):
    one, two = (
        blind_index.search_key(casekeys.new_case_key()),
        blind_index.search_key(casekeys.new_case_key()),
    )
    assert blind_index.tokens_of(one, sample) == blind_index.tokens_of(one, sample)
    words = text.words(sample)
    if words:
        assert blind_index.tokens_of(one, sample).isdisjoint(blind_index.tokens_of(two, sample))


def test_every_searchable_field_is_indexed_by_its_writer(desks, signed_in_client):
    """A searchable field that its writer forgot to index would never be found: plant a word in
    each one, through the real actions, and find every one of them."""
    from protectdesk.records.fields import identifying_fields

    planted = {
        f"{m._meta.label}.{f.name}": scan.canary(f.name)
        for m, f in identifying_fields()
        if f.searchable
    }
    expected = dict(planted)
    actions.open_case(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        profile=actions.DefenderProfile(
            kind="individual",
            country="GT",
            name=planted.pop("cases.Defender.name"),
            aliases=planted.pop("cases.Defender.aliases"),
            location=planted.pop("cases.Defender.location"),
            description=planted.pop("cases.Defender.description"),
        ),
        staff_notes=planted.pop("cases.Case.staff_notes"),
    )
    from tests.incidents.helpers import log_incident_with

    log_incident_with(
        desks.caseworker,
        desks.case,
        title=planted.pop("incidents.Incident.title"),
        place=planted.pop("incidents.Incident.place"),
        narrative=planted.pop("incidents.Incident.narrative"),
        consequences=planted.pop("incidents.Incident.consequences"),
        authority_details=planted.pop("incidents.Incident.authority_details"),
        reaction=planted.pop("incidents.Incident.reaction"),
        analysis=planted.pop("incidents.Incident.analysis"),
    )
    from protectdesk.incidents import actions as incident_actions

    incident_actions.add_actor(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        case=desks.case,
        actor_type="state_police",
        name=planted.pop("incidents.Actor.name"),
        notes=planted.pop("incidents.Actor.notes"),
    )
    # Modules registered since round one bring their own writer (records.registry).
    from protectdesk.records import registry

    by_writer: dict[Any, list[str]] = {}
    for label, writer in registry.CANARY_WRITERS.items():
        by_writer.setdefault(writer, []).append(label)
    for writer, labels in by_writer.items():  # one writer fills all the labels it declared
        values = {
            label: {
                f.name: planted.pop(f"{label}.{f.name}", None) or scan.canary(f.name)
                for m, f in identifying_fields()
                if m._meta.label == label
            }
            for label in labels
        }
        writer(desks.caseworker, keyring_of(desks.caseworker), desks.case, values)
    assert not planted, f"extend this test with a writer for {sorted(planted)}"
    client = signed_in_client(desks.caseworker)
    for field, word in expected.items():
        # Found (a module may copy a record into its next version: then twice, never none).
        assert re.search(rb"\b[1-9] results?\b", _search(client, word).content), field
