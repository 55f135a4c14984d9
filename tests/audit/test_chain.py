"""The audit chain detects edits, deletions, reordering and rewrites (security.md)."""

import threading

import pytest
from django.db import connection, transaction

from protectdesk.audit import chain
from protectdesk.audit.models import AuditEntry, AuditHead
from protectdesk.lib import server_keys


def _fill(n=6):
    for i in range(n):
        chain.append(
            action="login.succeeded",
            actor_id=None,
            desk_id=None,
            object_type="t",
            object_id=str(i),
            detail={"n": i},
        )


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_intact_chain_verifies(db):
    _fill()
    verdict = chain.verify()
    assert verdict.ok and verdict.count == 6
    assert verdict.head.startswith("6:")


def test_edited_entry_is_named(db):
    _fill()
    _sql("UPDATE audit_auditentry SET object_id = 'forged' WHERE seq = 3")
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == 3 and "altered" in verdict.problem


def test_edited_detail_is_detected(db):
    _fill()
    AuditEntry.objects.filter(seq=2).update(detail={"n": 99})
    assert chain.verify().broken_seq == 2


def test_deleted_entry_is_detected(db):
    _fill()
    _sql("DELETE FROM audit_auditentry WHERE seq = 4")
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == 4 and "missing" in verdict.problem


def test_deleted_tail_is_detected_by_the_head(db):
    _fill()
    _sql("DELETE FROM audit_auditentry WHERE seq = 6")
    verdict = chain.verify()
    assert not verdict.ok and "head" in verdict.problem


def test_reordered_entries_are_detected(db):
    _fill()
    _sql("UPDATE audit_auditentry SET seq = -1 WHERE seq = 2")
    _sql("UPDATE audit_auditentry SET seq = 2 WHERE seq = 3")
    _sql("UPDATE audit_auditentry SET seq = 3 WHERE seq = -1")
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == 2


def test_full_rewrite_with_the_server_key_is_caught_by_a_recorded_head(db):
    _fill()
    recorded = chain.verify().head
    # Someone holding the server secret rewrites history from entry 2 onwards, consistently.
    entries = list(AuditEntry.objects.order_by("seq"))
    prev = entries[0].entry_hash
    for entry in entries[1:]:
        entry.object_id = "rewritten"
        entry.prev_hash = prev
        entry.entry_hash = chain._hash_of(entry)
        entry.save()
        prev = entry.entry_hash
    AuditHead.objects.filter(pk=1).update(entry_hash=prev)
    assert chain.verify().ok  # consistent on its own...
    verdict = chain.verify(expected_head=recorded)
    assert (
        not verdict.ok and "recorded head" in verdict.problem
    )  # ...but not with the recorded head


def test_truncated_chain_loses_the_recorded_head(db):
    _fill()
    recorded = chain.verify().head
    _sql("DELETE FROM audit_auditentry WHERE seq >= 5")
    entry = AuditEntry.objects.get(seq=4)
    AuditHead.objects.filter(pk=1).update(seq=4, entry_hash=entry.entry_hash)
    assert chain.verify().ok
    assert not chain.verify(expected_head=recorded).ok


def test_a_chain_forged_without_the_key_fails(db, settings):
    _fill()
    settings.SECRET_KEY = "another-secret-" * 5
    server_keys.reset_cache()
    try:
        assert not chain.verify().ok
    finally:
        server_keys.reset_cache()


def test_malformed_head_argument_is_an_error(db):
    with pytest.raises(ValueError, match="looks like"):
        chain.verify(expected_head="nonsense")


def test_details_refuse_floats_and_objects(db):
    with pytest.raises(TypeError):
        chain.append(action="x", actor_id=None, desk_id=None, detail={"f": 1.5})
    with pytest.raises(TypeError):
        chain.append(action="x", actor_id=None, desk_id=None, detail={"o": object()})


def test_entry_rolls_back_with_the_change_it_records(db):
    _fill(2)

    def change_that_fails():
        with transaction.atomic():
            chain.append(action="login.succeeded", actor_id=None, desk_id=None)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert AuditEntry.objects.count() == 2
    assert chain.verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_cannot_fork_the_chain():
    errors = []

    def writer(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    chain.append(
                        action="login.succeeded", actor_id=None, desk_id=None, object_id=f"{n}-{i}"
                    )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    verdict = chain.verify()
    assert verdict.ok and verdict.count == 40


def test_a_never_initialised_database_verifies_as_an_empty_chain(db):
    # No desk and no account: nothing has happened yet, so there is no history to lose.
    verdict = chain.verify()
    assert verdict.ok and verdict.count == 0


def test_an_emptied_log_fails_once_the_database_has_desks_and_accounts(desks):
    assert chain.verify().ok
    _sql("DELETE FROM audit_auditentry")
    verdict = chain.verify()
    assert not verdict.ok and verdict.count == 0 and verdict.broken_seq == 1
    assert "empty" in verdict.problem


def test_an_emptied_log_without_its_head_fails_too(desks):
    # Truncating both tables leaves nothing to compare, but the desk itself is the evidence.
    _sql("DELETE FROM audit_auditentry")
    _sql("DELETE FROM audit_audithead")
    verdict = chain.verify()
    assert not verdict.ok and "empty" in verdict.problem


def test_a_deleted_head_row_is_named(db):
    _fill()
    _sql("DELETE FROM audit_audithead")
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == 7
    assert "head" in verdict.problem and "missing" in verdict.problem
