"""Encrypted files: libsodium secretstream (XChaCha20-Poly1305) in fixed-size chunks.

Format v1::

    b"S" | 0x01 | chunk size (u32, big-endian) | secretstream header (24)
    chunk ciphertexts, each (chunk size + 17) bytes, the last one shorter or equal

* Every chunk is authenticated and chained to the previous one by secretstream's state, so a
  changed, dropped, duplicated or reordered chunk fails to decrypt.
* The last chunk carries the FINAL tag (it may be empty): a file cut at a chunk boundary has no
  FINAL chunk and is reported truncated; bytes after the FINAL chunk are reported too.
* Each chunk's associated data is the format header plus the caller's context (e.g. the
  attachment id and generation), so a whole file copied onto another record fails.
* :func:`decrypt_chunks` yields plaintext chunk by chunk; callers that hand plaintext to a
  person must run :func:`verify` over the whole file first, so a failure never arrives after
  part of the plaintext was already delivered.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import nacl.bindings as sodium
import nacl.exceptions

from protectdesk.crypto.errors import StreamError

TAG = b"S"
VERSION = 1
CHUNK_SIZE = 64 * 1024
_HEADER = struct.Struct(">ccI")
_SS_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES  # 24
ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES  # 17
HEADER_BYTES = _HEADER.size + _SS_HEADER
KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES  # 32
_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_MAX_CHUNK = 16 * 1024 * 1024


class Encryptor:
    """Encrypt a stream of bytes written in any pieces; call :meth:`finish` exactly once."""

    def __init__(
        self, key: bytes, context: str, out: BinaryIO, chunk_size: int = CHUNK_SIZE
    ) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("stream keys are 32 bytes")
        if not 0 < chunk_size <= _MAX_CHUNK:
            raise ValueError("chunk size out of range")
        self._out = out
        self._chunk_size = chunk_size
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = sodium.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        prefix = _HEADER.pack(TAG, bytes([VERSION]), chunk_size)
        self._ad = prefix + header + b"|" + context.encode("utf-8")
        out.write(prefix + header)
        self._buffer = bytearray()
        self.plaintext_size = 0
        self.ciphertext_size = HEADER_BYTES
        self._finished = False

    def write(self, data: bytes) -> None:
        if self._finished:
            raise ValueError("stream already finished")
        self._buffer += data
        self.plaintext_size += len(data)
        while len(self._buffer) >= self._chunk_size:
            # Always keep the last chunk back so the FINAL tag goes on real data when possible.
            if len(self._buffer) == self._chunk_size:
                break
            self._push(bytes(self._buffer[: self._chunk_size]), _MESSAGE)
            del self._buffer[: self._chunk_size]

    def finish(self) -> None:
        if self._finished:
            raise ValueError("stream already finished")
        self._push(bytes(self._buffer), _FINAL)  # at most one chunk is ever held back
        self._buffer.clear()
        self._finished = True

    def _push(self, chunk: bytes, tag: int) -> None:
        ciphertext = sodium.crypto_secretstream_xchacha20poly1305_push(
            self._state, chunk, self._ad, tag
        )
        self._out.write(ciphertext)
        self.ciphertext_size += len(ciphertext)


def encrypt(
    key: bytes, context: str, chunks: Iterable[bytes], out: BinaryIO, chunk_size: int = CHUNK_SIZE
) -> int:
    """Encrypt ``chunks`` into ``out``; returns the plaintext size."""
    encryptor = Encryptor(key, context, out, chunk_size)
    for chunk in chunks:
        encryptor.write(chunk)
    encryptor.finish()
    return encryptor.plaintext_size


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    parts = []
    remaining = size
    while remaining:
        piece = source.read(remaining)
        if not piece:
            break
        parts.append(piece)
        remaining -= len(piece)
    return b"".join(parts)


def decrypt_chunks(key: bytes, context: str, source: BinaryIO) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk; :class:`StreamError` on any defect."""
    if len(key) != KEY_BYTES:
        raise ValueError("stream keys are 32 bytes")
    head = _read_exactly(source, HEADER_BYTES)
    if len(head) < HEADER_BYTES:
        raise StreamError("encrypted file: truncated header")
    tag, version, chunk_size = _HEADER.unpack_from(head)
    if tag != TAG:
        raise StreamError("encrypted file: not an encrypted file")
    if version[0] != VERSION:
        raise StreamError("encrypted file: unsupported version")
    if not 0 < chunk_size <= _MAX_CHUNK:
        raise StreamError("encrypted file: invalid chunk size")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, head[_HEADER.size :], key)
    except nacl.exceptions.CryptoError:  # pragma: no cover - libsodium accepts any 24-byte header
        raise StreamError("encrypted file: bad header") from None
    ad = head + b"|" + context.encode("utf-8")
    while True:
        ciphertext = _read_exactly(source, chunk_size + ABYTES)
        if len(ciphertext) < ABYTES:
            raise StreamError("encrypted file: truncated (no final chunk)")
        try:
            plaintext, chunk_tag = sodium.crypto_secretstream_xchacha20poly1305_pull(
                state, ciphertext, ad
            )
        except (nacl.exceptions.CryptoError, RuntimeError, ValueError):
            raise StreamError(
                "encrypted file: a chunk failed authentication (tampered, reordered or wrong key)"
            ) from None
        if chunk_tag == _FINAL:
            if source.read(1):
                raise StreamError("encrypted file: data after the final chunk")
            yield plaintext
            return
        if len(ciphertext) < chunk_size + ABYTES:
            raise StreamError("encrypted file: truncated (short chunk without the final tag)")
        yield plaintext


def verify(key: bytes, context: str, source: BinaryIO) -> int:
    """Authenticate a whole encrypted file without keeping its plaintext; returns its size."""
    return sum(len(chunk) for chunk in decrypt_chunks(key, context, source))


class DecryptingReader:
    """A read-only file object over the plaintext of an encrypted stream (for tarfile)."""

    def __init__(self, key: bytes, context: str, source: BinaryIO) -> None:
        self._chunks = decrypt_chunks(key, context, source)
        self._buffer = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                self._done = True
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
