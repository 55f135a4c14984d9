"""User keypairs under passwords, sealed case keys, wrapped secrets, sub-keys."""

import uuid

import nacl.pwhash.argon2id
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protectdesk.crypto import EnvelopeError, WrongPassword, casekeys, kdf, userkeys, wrap
from protectdesk.crypto.casekeys import Purpose


def test_production_kdf_parameters_are_pinned():
    # security.md: at least 64 MiB and 3 passes in production.
    assert kdf.PRODUCTION_KDF.memlimit == 64 * 1024 * 1024
    assert kdf.PRODUCTION_KDF.opslimit == 3
    assert kdf.PRODUCTION_KDF.memlimit >= nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE


def test_private_key_opens_only_with_its_password_and_owner():
    keys = userkeys.generate_keypair()
    sealed = userkeys.seal_private_key(
        keys.private_key, "a long passphrase", "user-1", kdf.MINIMUM_KDF
    )
    assert userkeys.open_private_key(sealed, "a long passphrase", "user-1") == keys.private_key
    assert keys.private_key not in sealed
    with pytest.raises(WrongPassword):
        userkeys.open_private_key(sealed, "another passphrase", "user-1")
    with pytest.raises(WrongPassword):
        userkeys.open_private_key(sealed, "a long passphrase", "user-2")


def test_each_seal_has_its_own_salt():
    keys = userkeys.generate_keypair()
    one = userkeys.seal_private_key(keys.private_key, "pw", "u", kdf.MINIMUM_KDF)
    two = userkeys.seal_private_key(keys.private_key, "pw", "u", kdf.MINIMUM_KDF)
    assert one[14:30] != two[14:30]  # salt position: tag, version, u32, u64
    assert userkeys.kdf_params_of(one) == kdf.MINIMUM_KDF


@given(st.binary(max_size=120))
def test_sealed_private_key_parser_rejects_garbage(data):
    with pytest.raises((EnvelopeError, WrongPassword)):
        userkeys.open_private_key(data, "pw", "u")


def test_case_key_box_binds_case_purpose_and_version():
    member = userkeys.generate_keypair()
    case_id = uuid.uuid4()
    key = casekeys.new_case_key()
    box = casekeys.seal_case_key(member.public_key, case_id, Purpose.STAFF, 1, key)
    assert casekeys.open_case_key(member.private_key, box, case_id, Purpose.STAFF, 1) == key
    for args in [
        (uuid.uuid4(), Purpose.STAFF, 1),
        (case_id, Purpose.SHARED, 1),
        (case_id, Purpose.STAFF, 2),
    ]:
        with pytest.raises(EnvelopeError):
            casekeys.open_case_key(member.private_key, box, *args)
    stranger = userkeys.generate_keypair()
    with pytest.raises(EnvelopeError):
        casekeys.open_case_key(stranger.private_key, box, case_id, Purpose.STAFF, 1)


def test_wrapped_secret_is_bound_to_its_context():
    key = casekeys.new_case_key()
    blob = wrap.wrap(key, b"private", "session:alice")
    assert wrap.unwrap(key, blob, "session:alice") == b"private"
    with pytest.raises(EnvelopeError):
        wrap.unwrap(key, blob, "session:bob")
    with pytest.raises(EnvelopeError):
        wrap.unwrap(key, blob[:-1], "session:alice")


@given(st.binary(max_size=100))
def test_wrapped_secret_parser_rejects_garbage(data):
    with pytest.raises(EnvelopeError):
        wrap.unwrap(bytes(32), data, "ctx")


def test_subkeys_are_independent_per_purpose():
    master = b"x" * 100
    assert kdf.subkey(master, "pd-audit") != kdf.subkey(master, "pd-login")
    assert kdf.subkey(master, "pd-audit") == kdf.subkey(master, "pd-audit")
    assert len(kdf.subkey(master, "pd-audit")) == 32
