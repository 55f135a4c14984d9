"""Two search keys per case (crypto/blind_index.py): each field is indexed under the search key
of the key that seals it, so a defender's account finds what is in its own case's shared
fields and can never probe a staff-only one; round-one cases move over with their rotation."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from protectdesk.cases import actions
from protectdesk.cases.models import Defender
from protectdesk.crypto import blind_index
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records import registry, rotation
from protectdesk.records.models import Case, SearchToken
from protectdesk.search import queries
from tests.conftest import PASSWORD, keyring_of


def _search(client, query):
    return client.post("/search/", {"query": query})


def _give_words(desks, shared_word: str, staff_word: str) -> None:
    keyring = keyring_of(desks.caseworker)
    defender = Defender.objects.get(case=desks.case)
    actions.update_defender(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        profile=actions.DefenderProfile(
            kind="individual", country="GT", name="Dora Quiej", description=f"river {shared_word}"
        ),
        expected_version=defender.row_version,
    )
    actions.update_staff_notes(
        actor=desks.caseworker,
        keyring=keyring,
        case=desks.case,
        notes=f"informant {staff_word}",
        expected_version=Case.objects.get(pk=desks.case.pk).row_version,
    )


def test_each_field_is_indexed_under_the_search_key_of_its_own_key(desks):
    _give_words(desks, "cooperativa", "informante")
    purposes = dict(
        SearchToken.objects.filter(case=desks.case).values_list("field", "purpose").distinct()
    )
    assert purposes["description"] == Purpose.SHARED
    assert purposes["name"] == Purpose.SHARED
    assert purposes["staff_notes"] == Purpose.STAFF
    # The tokens are those of the two derived keys, which differ from each other.
    keys = keyring_of(desks.caseworker).keys_for(desks.case.id)
    shared = blind_index.search_key(keys.key(Purpose.SHARED, 1), Purpose.SHARED)
    staff = blind_index.search_key(keys.key(Purpose.STAFF, 1), Purpose.STAFF)
    assert shared != staff
    stored = {bytes(t) for t in SearchToken.objects.values_list("token", flat=True)}
    assert blind_index.tokens_of(shared, "cooperativa").pop() in stored
    assert blind_index.tokens_of(staff, "cooperativa").pop() not in stored
    assert blind_index.tokens_of(staff, "informante").pop() in stored
    assert blind_index.tokens_of(shared, "informante").pop() not in stored


def test_the_defender_finds_shared_words_and_never_staff_ones(desks, signed_in_client):
    _give_words(desks, "cooperativa", "informante")
    defender = signed_in_client(desks.defender)
    found = _search(defender, "cooperativa")
    assert found.status_code == 200 and b"1 result" in found.content
    assert b"Dora Quiej" in found.content
    hidden = _search(defender, "informante")
    assert hidden.status_code == 200 and b"0 results" in hidden.content
    # Staff find both.
    staff = signed_in_client(desks.caseworker)
    assert b"1 result" in _search(staff, "cooperativa").content
    assert b"1 result" in _search(staff, "informante").content
    # Under the hood: the defender's keyring holds no staff key to make such a token with.
    keyring = keyring_of(desks.defender)
    assert not keyring.keys_for(desks.case.id).has(Purpose.STAFF)
    wanted = queries._case_tokens(keyring, [desks.case.id], ["informante"])
    assert {purpose for _case, purpose, _word in wanted.values()} == {int(Purpose.SHARED)}


def test_a_defender_search_stays_inside_their_own_case(desks, signed_in_client):
    word = "aguacate"
    actions.open_case(
        actor=desks.caseworker,
        keyring=keyring_of(desks.caseworker),
        profile=actions.DefenderProfile(
            kind="individual", country="GT", name="Other Person", description=word
        ),
    )
    content = _search(signed_in_client(desks.defender), word).content
    assert b"0 results" in content and b"Other Person" not in content


def test_every_record_a_defender_can_find_links_to_a_page_they_can_open(desks, signed_in_client):
    """A hit's link must open for the defender: every record type with a searchable shared
    field points to a page the defender's account reaches."""
    client = signed_in_client(desks.defender)
    for label, kind in registry.TYPES.items():
        shared = [
            f.name
            for f in kind.model._meta.concrete_fields
            if getattr(f, "searchable", False) and getattr(f, "key_purpose", None) == Purpose.SHARED
        ]
        if not shared:
            continue
        record = kind.model._default_manager.filter(case=desks.case).first()
        if record is None:
            continue  # the fixture case has none of this type: nothing to find
        url = kind.url(desks.case, record.pk)
        assert client.get(url).status_code == 200, (label, url)


def _as_round_one(case: Case, keyring) -> None:
    """Index ``case`` as round one did: every searchable field under the staff search key."""
    from protectdesk.records.fields import searchable_fields
    from protectdesk.records.registry import TYPES, label_of

    SearchToken.objects.filter(case=case).delete()
    keys = keyring.keys_for(case.id)
    key = blind_index.search_key(keys.key(Purpose.STAFF, case.key_version), Purpose.STAFF)
    for label, kind in TYPES.items():
        manager = kind.model._default_manager
        records = manager.filter(pk=case.pk) if kind.model is Case else manager.filter(case=case)
        for record in records:
            for name in searchable_fields(kind.model):
                plain = str(keyring.open_value(record, name) or "")
                SearchToken.objects.bulk_create(
                    SearchToken(
                        case=case,
                        token=token,
                        key_version=case.key_version,
                        purpose=int(Purpose.STAFF),
                        record_type=label_of(record),
                        record_id=record.pk,
                        field=name,
                    )
                    for token in blind_index.tokens_of(key, plain)
                )
            assert label
    Case.objects.filter(pk=case.pk).update(search_keys=1)


def test_a_round_one_case_stays_searchable_by_staff_and_moves_over_with_its_rotation(
    desks, signed_in_client
):
    _give_words(desks, "cooperativa", "informante")
    _as_round_one(desks.case, keyring_of(desks.caseworker))
    staff, defender = signed_in_client(desks.caseworker), signed_in_client(desks.defender)
    assert b"1 result" in _search(staff, "cooperativa").content
    assert b"0 results" in _search(defender, "cooperativa").content  # not yet: staff key only

    # An interrupted rotation resumes and finishes the move.
    class Stop(Exception):
        pass

    def stop(_progress):
        raise Stop

    keyring = keyring_of(desks.caseworker)
    started = rotation.start(actor=desks.caseworker, keyring=keyring, case=desks.case)
    with pytest.raises(Stop):
        rotation.resume(
            actor=desks.caseworker,
            keyring=keyring,
            rotation=started,
            batch_size=1,
            after_batch=stop,
        )
    assert Case.objects.get(pk=desks.case.pk).search_keys == 1
    rotation.resume(actor=desks.caseworker, keyring=keyring_of(desks.caseworker), rotation=started)

    case = Case.objects.get(pk=desks.case.pk)
    assert case.search_keys == 2 and case.key_version == 2
    assert not SearchToken.objects.filter(case=case, key_version=1).exists()
    assert not SearchToken.objects.filter(
        case=case, field="description", purpose=int(Purpose.STAFF)
    ).exists()
    assert b"1 result" in _search(defender, "cooperativa").content
    assert b"0 results" in _search(defender, "informante").content
    assert b"1 result" in _search(staff, "cooperativa").content
    assert b"1 result" in _search(staff, "informante").content


def test_the_command_line_moves_every_round_one_case_of_a_member(desks, tmp_path, capsys):
    keyring = keyring_of(desks.caseworker)
    _as_round_one(desks.case, keyring)
    second = actions.open_case(
        actor=desks.caseworker,
        keyring=keyring,
        profile=actions.DefenderProfile(kind="organisation", country="KE", name="Second"),
    )
    password_file = tmp_path / "pw"
    password_file.write_text(PASSWORD)
    call_command(
        "rotate",
        "--one-key-cases",
        "--as",
        desks.caseworker.login,
        "--password-file",
        str(password_file),
    )
    out = capsys.readouterr().out
    assert desks.case.reference in out and second.reference not in out
    assert Case.objects.get(pk=desks.case.pk).search_keys == 2
    assert Case.objects.get(pk=second.pk).key_version == 1  # already on two keys: left alone
    # Run again: nothing left to do.
    call_command(
        "rotate",
        "--one-key-cases",
        "--as",
        desks.caseworker.login,
        "--password-file",
        str(password_file),
    )
    assert "No case" in capsys.readouterr().out
