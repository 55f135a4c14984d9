"""Field envelopes: round trip, binding to place and key, strict parsing of hostile input."""

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protectdesk.crypto import EnvelopeError, envelope
from protectdesk.crypto.casekeys import Purpose, new_case_key

CASE = uuid.UUID("11111111-1111-4111-8111-111111111111")
RECORD = uuid.UUID("22222222-2222-4222-8222-222222222222")
PLACE = envelope.Place("cases_defender", "name", RECORD, CASE)
KEY = new_case_key()


def test_round_trip_and_header():
    blob = envelope.seal(KEY, Purpose.SHARED, 3, PLACE, "María José".encode())
    assert envelope.unseal(KEY, PLACE, blob) == "María José".encode()
    header = envelope.parse(blob)
    assert (header.purpose, header.key_version) == (Purpose.SHARED, 3)
    assert b"Mar" not in blob


def test_lengths_are_padded_to_hide_short_values():
    short = envelope.seal(KEY, Purpose.SHARED, 1, PLACE, b"Al")
    longer = envelope.seal(KEY, Purpose.SHARED, 1, PLACE, b"Alexandra Maria")
    assert len(short) == len(longer)


@pytest.mark.parametrize(
    "other_place",
    [
        envelope.Place("cases_defender", "aliases", RECORD, CASE),  # another field
        envelope.Place("cases_defender", "name", uuid.uuid4(), CASE),  # another row
        envelope.Place("incidents_incident", "name", RECORD, CASE),  # another table
        envelope.Place("cases_defender", "name", RECORD, uuid.uuid4()),  # another case's key id
    ],
)
def test_ciphertext_moved_elsewhere_fails(other_place):
    blob = envelope.seal(KEY, Purpose.STAFF, 1, PLACE, b"secret")
    with pytest.raises(EnvelopeError):
        envelope.unseal(KEY, other_place, blob)


def test_relabelled_purpose_or_version_fails():
    blob = bytearray(envelope.seal(KEY, Purpose.STAFF, 1, PLACE, b"secret"))
    relabelled = bytes(blob[:2]) + bytes([Purpose.SHARED]) + bytes(blob[3:])
    with pytest.raises(EnvelopeError):
        envelope.unseal(KEY, PLACE, relabelled)
    bumped = bytes(blob[:6]) + bytes([2]) + bytes(blob[7:])
    with pytest.raises(EnvelopeError):
        envelope.unseal(KEY, PLACE, bumped)


def test_wrong_key_fails():
    blob = envelope.seal(KEY, Purpose.SHARED, 1, PLACE, b"secret")
    with pytest.raises(EnvelopeError):
        envelope.unseal(new_case_key(), PLACE, blob)


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_random_bytes_never_parse_into_plaintext(data):
    with pytest.raises(EnvelopeError):
        envelope.unseal(KEY, PLACE, data)


@settings(max_examples=300)
@given(
    plaintext=st.binary(max_size=300),
    position=st.integers(min_value=0),
    flip=st.integers(min_value=1, max_value=255),
)
def test_any_single_byte_change_is_detected(plaintext, position, flip):
    blob = bytearray(envelope.seal(KEY, Purpose.SHARED, 1, PLACE, plaintext))
    index = position % len(blob)
    blob[index] ^= flip
    with pytest.raises(EnvelopeError):
        envelope.unseal(KEY, PLACE, bytes(blob))


@settings(max_examples=200)
@given(plaintext=st.binary(max_size=300), cut=st.integers(min_value=1))
def test_truncation_is_detected(plaintext, cut):
    blob = envelope.seal(KEY, Purpose.SHARED, 1, PLACE, plaintext)
    with pytest.raises(EnvelopeError):
        envelope.unseal(KEY, PLACE, blob[: len(blob) - 1 - (cut % len(blob))])


@given(st.binary(max_size=500))
def test_round_trip_any_plaintext(plaintext):
    assert (
        envelope.unseal(KEY, PLACE, envelope.seal(KEY, Purpose.SHARED, 7, PLACE, plaintext))
        == plaintext
    )


def test_unknown_version_has_one_clear_error():
    blob = bytearray(envelope.seal(KEY, Purpose.SHARED, 1, PLACE, b"x"))
    blob[1] = 9
    with pytest.raises(EnvelopeError, match="unsupported version"):
        envelope.parse(bytes(blob))
    with pytest.raises(EnvelopeError, match="truncated"):
        envelope.parse(b"F\x01")
    with pytest.raises(EnvelopeError, match="not a field envelope"):
        envelope.parse(b"X" * 80)
