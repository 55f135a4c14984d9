"""Django upload handling that never writes an uploaded file in clear, not even temporarily.

Django's default handlers keep small uploads in memory and write large ones to ``/tmp`` in
clear. This handler replaces both (it is the only entry in ``FILE_UPLOAD_HANDLERS``):

* the type is sniffed from the first bytes; unknown types and HEIF images are refused;
* **images** up to :data:`MAX_IMAGE_BYTES` are held in memory, cleaned of metadata
  (``images.strip_metadata``, one at a time per process and only if their decoded pixels fit
  its budget), then encrypted; larger images are refused (we could not clean them without
  holding them);
* **other files** are encrypted chunk by chunk as they arrive, into a temporary file under
  ``<data dir>/tmp`` that holds only ciphertext, up to :data:`MAX_UPLOAD_BYTES`;
* a full disk (``ENOSPC``, or a quota's ``EDQUOT``) while that file is written is a refusal
  like the others ("space"): the partial ciphertext is deleted and the view says so, instead
  of the error escaping from the request's parsing as a server error;
* the file name is taken as the user chose it (``names.from_form`` undoes the browser's
  ``%22`` for ``"``);
* the per-file key and the original name stay in memory; the attachment action seals them
  into the attachment's envelope under the case key (if the user may attach there) and moves
  the ciphertext into place, and
  :class:`PendingUploadCleanup` deletes whatever a request left unclaimed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest, HttpResponse

from protectdesk.attachments import images, names, sniff, storage
from protectdesk.crypto import aead, stream
from protectdesk.lib.env import open_private

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_SNIFF_BYTES = 64
#: Form fields whose file is a sheet to import (``protectdesk.imports``): not sniffed here.
SHEET_FIELDS = frozenset({"sheet"})
SHEET = sniff.Kind("sheet", "application/octet-stream", "bin")
_PENDING = "_pd_pending_uploads"
#: Set on a request by a view that accepts files without an account (the public intake).
PUBLIC_UPLOAD = "pd_public_upload"
#: How many files a request may carry (set by a view that takes more than one); each file
#: past it is refused as it arrives ("count") and nothing of it is kept. Django's own limit
#: (``DATA_UPLOAD_MAX_NUMBER_FILES``) is higher and only stops a forged flood.
FILES_ALLOWED = "pd_files_allowed"
_COUNTED = "_pd_files_counted"
#: The write errors that mean "no room": a full file system or the service user's quota.
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


@dataclass
class EncryptedUpload:
    """What an upload became: ciphertext on disk, its key and description in memory only."""

    id: uuid.UUID
    key: bytes = field(repr=False)
    temp_path: Path
    original_name: str
    kind: sniff.Kind | None = None
    size: int = 0
    cleaned: bool = False
    #: A refusal code: "size", "image-size", "pixels", "busy", "type", "heif", "image", "empty",
    #: "count" (more files than the form takes), "space" (the disk was full)
    error: str = ""
    #: Numbers the refusal names (``pixels``: the image's width, height and the limit).
    error_detail: dict[str, int] = field(default_factory=dict)
    claimed: bool = field(default=False)

    def context(self) -> str:
        """Associated data binding the ciphertext to this attachment's first generation."""
        return file_context(self.id, 1)

    def plaintext(self) -> bytes:
        """The whole upload, decrypted in memory, for small files a module reads at once (a
        spreadsheet to import, a questionnaire). Nothing is written in clear."""
        out = io.BytesIO()
        with open(self.temp_path, "rb") as source:
            for chunk in stream.decrypt_chunks(self.key, self.context(), source):
                out.write(chunk)
        return out.getvalue()


def file_context(attachment_id: uuid.UUID, generation: int) -> str:
    return f"attachment:{attachment_id}:{generation}"


class EncryptedUploadedFile(UploadedFile):
    """Placed in ``request.FILES``: names the upload, offers no plaintext to read."""

    def __init__(self, upload: EncryptedUpload) -> None:
        super().__init__(
            file=io.BytesIO(b""),
            name="upload",
            content_type="application/octet-stream",
            size=upload.size,
        )
        self.upload = upload


class EncryptingUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self._upload: EncryptedUpload | None = None
        self._memory: bytearray | None = None
        self._encryptor: stream.Encryptor | None = None
        self._out: Any = None
        self._head = b""
        self._pending = b""

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        upload_id = uuid.uuid4()
        self._upload = EncryptedUpload(
            id=upload_id,
            key=aead.new_key(),
            temp_path=storage.temp_dir() / f"{upload_id}.part",
            # From a browser's form, the name carries the form encoding's escapes; a name
            # given by server code (encrypt_bytes) is taken as it is.
            original_name=names.from_form(file_name or "")
            if self.request is not None
            else file_name or "",
        )
        counted = 0
        if self.request is not None:
            counted = getattr(self.request, _COUNTED, 0) + 1
            setattr(self.request, _COUNTED, counted)
            pending = getattr(self.request, _PENDING, None)
            if pending is None:
                pending = []
                setattr(self.request, _PENDING, pending)
            pending.append(self._upload)
        self._memory, self._encryptor, self._out, self._head, self._pending = (
            None,
            None,
            None,
            b"",
            b"",
        )
        if field_name in SHEET_FIELDS:
            # A spreadsheet to import: the importer reads it and explains what it refuses
            # (an encoding, a binary file, a zip bomb) better than a type sniff could.
            self._upload.kind = SHEET
        if (
            self.request is not None
            and not getattr(getattr(self.request, "user", None), "is_authenticated", False)
            # The public intake's report form takes files from people without an account.
            and not getattr(self.request, PUBLIC_UPLOAD, False)
        ):
            self._upload.error = (
                "auth"  # parsed for the CSRF check of an anonymous post: keep nothing
            )
        elif self.request is not None and counted > getattr(self.request, FILES_ALLOWED, 1):
            self._upload.error = "count"
        elif content_length is not None and content_length > MAX_UPLOAD_BYTES:
            self._upload.error = "size"
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        upload = self._upload
        if upload is None:
            raise RuntimeError("upload is not set (a bug, not bad input)")
        if upload.error:
            return None
        if upload.kind is None:
            self._head += raw_data[: _SNIFF_BYTES - len(self._head)]
            if len(self._head) < _SNIFF_BYTES and len(raw_data) < _SNIFF_BYTES:
                # Keep what we have; identify the type when enough bytes (or the end) arrive.
                self._hold(raw_data)
                return None
            if not self._identify(self._head):
                return None
        upload.size += len(raw_data)
        is_image = upload.kind is not None and upload.kind.image
        if is_image and upload.size > MAX_IMAGE_BYTES:
            self._fail("image-size")
        elif upload.size > MAX_UPLOAD_BYTES:
            self._fail("size")
        elif is_image:
            if self._memory is None:
                raise RuntimeError("self._memory is not set (a bug, not bad input)")
            self._memory += raw_data
        else:
            self._encrypt(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        upload = self._upload
        if upload is None:
            return None
        if not upload.error and file_size == 0:
            upload.error = "empty"
        if not upload.error and upload.kind is None:
            self._identify(self._head)
        if upload.error:
            self._discard()
            return EncryptedUploadedFile(upload)
        if upload.kind is None:
            raise RuntimeError("upload.kind is not set (a bug, not bad input)")
        if upload.kind.image:
            if self._memory is None:
                raise RuntimeError("self._memory is not set (a bug, not bad input)")
            # One copy of the encoded photo, not two, while it is decoded.
            held, self._memory = bytes(self._memory), None
            try:
                cleaned = images.strip_metadata(held, upload.kind)
            except images.TooManyPixels as large:
                upload.error_detail = {
                    "width": large.width,
                    "height": large.height,
                    "megapixels": large.max_megapixels,
                }
                self._fail("pixels")
                return EncryptedUploadedFile(upload)
            except images.CleanerBusy:
                self._fail("busy")
                return EncryptedUploadedFile(upload)
            except images.UnreadableImage:
                self._fail("image")
                return EncryptedUploadedFile(upload)
            finally:
                del held
            upload.cleaned = True
            upload.size = 0
            self._encrypt(cleaned)
            if upload.error:  # the disk was full
                return EncryptedUploadedFile(upload)
        if self._encryptor is None:
            raise RuntimeError("self._encryptor is not set (a bug, not bad input)")
        try:
            self._encryptor.finish()
            self._out.close()  # a buffered file may meet the full disk only here
        except OSError as error:
            if error.errno not in _NO_SPACE:
                raise
            self._fail("space")
            return EncryptedUploadedFile(upload)
        upload.size = self._encryptor.plaintext_size
        return EncryptedUploadedFile(upload)

    # --- helpers ----------------------------------------------------------------------------

    def _hold(self, raw_data: bytes) -> None:
        # Bytes that arrived before the type is known stay in memory (at most 64 bytes).
        self._pending += raw_data

    def _identify(self, head: bytes) -> bool:
        upload = self._upload
        if upload is None:
            raise RuntimeError("upload is not set (a bug, not bad input)")
        try:
            upload.kind = sniff.sniff(head)
        except sniff.Refused as refused:
            self._fail(refused.reason)
            return False
        held, self._pending = self._pending, b""
        if upload.kind.image:
            self._memory = bytearray(held)
        elif held:
            self._encrypt(held)
        upload.size = len(held)
        return True

    def _encrypt(self, data: bytes) -> None:
        upload = self._upload
        if upload is None:
            raise RuntimeError("upload is not set (a bug, not bad input)")
        if upload.error:
            return
        try:
            if self._encryptor is None:
                # 0600 from the first byte; closed in file_complete/_discard.
                self._out = open_private(upload.temp_path)
                self._encryptor = stream.Encryptor(upload.key, upload.context(), self._out)
            self._encryptor.write(data)
        except OSError as error:
            if error.errno not in _NO_SPACE:
                raise
            self._fail("space")

    def _fail(self, reason: str) -> None:
        if self._upload is None:
            raise RuntimeError("self._upload is not set (a bug, not bad input)")
        self._upload.error = reason
        self._discard()

    def _discard(self) -> None:
        self._memory = None
        if self._out is not None and not self._out.closed:
            # Closing flushes what is buffered, which fails again on a full disk: the file
            # goes all the same, and its descriptor is released by close() either way.
            with contextlib.suppress(OSError):
                self._out.close()
        if self._upload is not None:
            self._upload.temp_path.unlink(missing_ok=True)


def encrypt_bytes(name: str, data: bytes, field_name: str = "file") -> EncryptedUpload:
    """Server-side files (demo data, future intake) through exactly the upload path."""
    handler = EncryptingUploadHandler(None)
    with contextlib.suppress(StopFutureHandlers):
        handler.new_file(field_name, name, "application/octet-stream", len(data))
    for start in range(0, max(len(data), 1), 64 * 1024):
        handler.receive_data_chunk(data[start : start + 64 * 1024], start)
    uploaded = handler.file_complete(len(data))
    if not isinstance(uploaded, EncryptedUploadedFile):
        raise TypeError("expected EncryptedUploadedFile")
    return uploaded.upload


class PendingUploadCleanup:
    """After the response: delete the ciphertext of any upload no view claimed."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)  # type: ignore[no-any-return]
        finally:
            for upload in getattr(request, _PENDING, []):
                if not upload.claimed:
                    upload.temp_path.unlink(missing_ok=True)


def max_upload_megabytes() -> int:
    return MAX_UPLOAD_BYTES // (1024 * 1024)
