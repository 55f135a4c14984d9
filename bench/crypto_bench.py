"""Crypto primitives as the app uses them (no Django)."""

from __future__ import annotations

import uuid

from bench.timing import median_seconds
from protectdesk.crypto import casekeys, envelope, kdf, userkeys
from protectdesk.crypto.casekeys import Purpose


def run() -> dict[str, float]:
    key = casekeys.new_case_key()
    place = envelope.Place("cases_defender", "name", uuid.uuid4(), uuid.uuid4())
    name = "María Fernanda Coj Tzul".encode()
    narrative = (
        "The white pickup was parked outside the office again for three hours. " * 20
    ).encode()
    sealed_name = envelope.seal(key, Purpose.SHARED, 1, place, name)
    sealed_narrative = envelope.seal(key, Purpose.SHARED, 1, place, narrative)
    member = userkeys.generate_keypair()
    case_id = uuid.uuid4()
    box = casekeys.seal_case_key(member.public_key, case_id, Purpose.SHARED, 1, key)
    return {
        "field_encrypt_short_us": median_seconds(
            lambda: envelope.seal(key, Purpose.SHARED, 1, place, name), number=2000
        )
        * 1e6,
        "field_decrypt_short_us": median_seconds(
            lambda: envelope.unseal(key, place, sealed_name), number=2000
        )
        * 1e6,
        "field_encrypt_1_4kb_us": median_seconds(
            lambda: envelope.seal(key, Purpose.SHARED, 1, place, narrative), number=1000
        )
        * 1e6,
        "field_decrypt_1_4kb_us": median_seconds(
            lambda: envelope.unseal(key, place, sealed_narrative), number=1000
        )
        * 1e6,
        "case_key_unwrap_us": median_seconds(
            lambda: casekeys.open_case_key(member.private_key, box, case_id, Purpose.SHARED, 1),
            number=500,
        )
        * 1e6,
        "argon2id_production_ms": median_seconds(
            lambda: kdf.password_key("a long passphrase", bytes(16), kdf.PRODUCTION_KDF), repeat=5
        )
        * 1e3,
    }
