"""Keys never leave their room: nothing that holds a key prints it (issue 9).

A traceback logged with its locals, a debug page, an f-string in a log line: each calls
``repr``. Every object that carries key material must show ids, never the key.
"""

from __future__ import annotations

import base64

from protectdesk.accounts.actions import create_desk
from protectdesk.attachments.actions import open_attachment
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.crypto import userkeys
from protectdesk.crypto.casekeys import Purpose
from tests.conftest import PASSWORD, keyring_of, make_attachment


def _leaks(secret: bytes, printed: str) -> bool:
    forms = [repr(secret), secret.hex(), base64.b64encode(secret).decode(), str(list(secret))]
    return any(form in printed for form in forms)


def test_a_keyring_and_its_case_keys_print_no_key(desks):
    keyring = keyring_of(desks.caseworker)
    keys = keyring.keys_for(desks.case.id)
    staff_key = keys.key(Purpose.STAFF, 1)
    for printed in (repr(keyring), repr(keys), str(keys)):
        assert not _leaks(staff_key, printed)
    assert not _leaks(staff_key, repr(keys)) and not _leaks(keys.private_key, repr(keys))
    assert str(desks.case.id) in repr(keys)


def test_file_keys_and_private_keys_print_nothing(desks):
    upload = encrypt_bytes("a.txt", b"hello")
    assert not _leaks(upload.key, repr(upload))
    attachment = make_attachment(desks.caseworker, desks.case)
    opened = open_attachment(keyring_of(desks.caseworker), attachment)
    assert not _leaks(opened.key, repr(opened)) and not _leaks(opened.key, repr(opened.card))
    keypair = userkeys.generate_keypair()
    assert not _leaks(keypair.private_key, repr(keypair))


def test_a_new_desk_does_not_print_its_recovery_phrase(db):
    created = create_desk(
        name="Desk",
        country="GT",
        languages=["en"],
        reference_prefix="RP",
        require_staff_2fa=False,
        coordinator_login="rp@test.example",
        coordinator_name="Coordinator",
        coordinator_password=PASSWORD,
    )
    assert created.recovery_phrase not in repr(created)
