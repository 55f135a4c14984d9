"""Encrypted file streams: round trip at every size, and every kind of damage is caught."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protectdesk.crypto import StreamError, aead, stream

KEY = aead.new_key()
SMALL = 16  # a tiny chunk size makes multi-chunk files cheap to test


def _encrypt(data: bytes, context: str = "file-1", chunk: int = SMALL) -> bytes:
    out = io.BytesIO()
    stream.encrypt(
        KEY, context, [data[i : i + 7] for i in range(0, len(data), 7)] or [b""], out, chunk
    )
    return out.getvalue()


def _decrypt(blob: bytes, context: str = "file-1") -> bytes:
    return b"".join(stream.decrypt_chunks(KEY, context, io.BytesIO(blob)))


@given(st.binary(max_size=200))
def test_round_trip_any_size(data):
    blob = _encrypt(data)
    assert _decrypt(blob) == data
    assert stream.verify(KEY, "file-1", io.BytesIO(blob)) == len(data)


@pytest.mark.parametrize("size", [0, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL, 3 * SMALL + 5])
def test_chunk_boundaries(size):
    data = bytes(range(256))[:size] * 1
    assert _decrypt(_encrypt(data)) == data


def test_default_chunk_size_is_64_kib():
    assert stream.CHUNK_SIZE == 64 * 1024
    data = b"x" * (stream.CHUNK_SIZE * 2 + 10)
    out = io.BytesIO()
    stream.encrypt(KEY, "big", [data], out)
    assert b"".join(stream.decrypt_chunks(KEY, "big", io.BytesIO(out.getvalue()))) == data


def _chunks_of(blob: bytes) -> tuple[bytes, list[bytes]]:
    head, body = blob[: stream.HEADER_BYTES], blob[stream.HEADER_BYTES :]
    size = SMALL + stream.ABYTES
    return head, [body[i : i + size] for i in range(0, len(body), size)]


def test_reordered_chunks_fail():
    head, chunks = _chunks_of(_encrypt(b"a" * SMALL * 3 + b"tail"))
    swapped = head + chunks[1] + chunks[0] + b"".join(chunks[2:])
    with pytest.raises(StreamError, match="authentication"):
        _decrypt(swapped)


def test_dropped_or_duplicated_chunk_fails():
    head, chunks = _chunks_of(_encrypt(b"b" * SMALL * 3 + b"tail"))
    with pytest.raises(StreamError):
        _decrypt(head + b"".join(chunks[1:]))
    with pytest.raises(StreamError):
        _decrypt(head + chunks[0] + b"".join(chunks))


def test_truncation_at_a_chunk_boundary_is_reported():
    head, chunks = _chunks_of(_encrypt(b"c" * SMALL * 3 + b"tail"))
    with pytest.raises(StreamError, match="truncated"):
        _decrypt(head + b"".join(chunks[:-1]))


def test_trailing_data_is_reported():
    # After a short final chunk the extra byte joins it and breaks its authentication; after a
    # full-size final chunk it is reported as data after the end.
    with pytest.raises(StreamError):
        _decrypt(_encrypt(b"hello") + b"x")
    with pytest.raises(StreamError, match="after the final"):
        _decrypt(_encrypt(b"z" * SMALL) + b"x")


def test_another_context_fails():
    with pytest.raises(StreamError):
        _decrypt(_encrypt(b"evidence", "attachment-A"), "attachment-B")


@settings(max_examples=300)
@given(
    data=st.binary(min_size=1, max_size=120),
    position=st.integers(min_value=0),
    flip=st.integers(1, 255),
)
def test_any_single_byte_change_is_caught(data, position, flip):
    blob = bytearray(_encrypt(data))
    blob[position % len(blob)] ^= flip
    with pytest.raises(StreamError):
        _decrypt(bytes(blob))


@settings(max_examples=300)
@given(data=st.binary(max_size=120), cut=st.integers(min_value=1))
def test_any_truncation_is_caught(data, cut):
    blob = _encrypt(data)
    with pytest.raises(StreamError):
        _decrypt(blob[: len(blob) - 1 - (cut % len(blob))])


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_random_input_never_decrypts(garbage):
    with pytest.raises(StreamError):
        _decrypt(garbage)


def test_no_plaintext_before_verification_fails():
    """verify() reads everything first: a defect in the last chunk is found before any output."""
    blob = bytearray(_encrypt(b"first part is fine " * 4))
    blob[-1] ^= 1
    with pytest.raises(StreamError):
        stream.verify(KEY, "file-1", io.BytesIO(bytes(blob)))
