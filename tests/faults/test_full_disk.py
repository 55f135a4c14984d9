"""A full disk while an upload is being encrypted to its spool file.

The disk is simulated under the real buffered file: :class:`FullDisk` replaces the file the
upload handler opens (``uploads.open_private``) by a ``BufferedWriter`` over a raw file that
writes what fits and then fails with ``OSError(ENOSPC)``, as a full file system does; the
bytes that fit really reach the disk, so a partial ciphertext exists until someone deletes it.
Where the error surfaces depends on the buffering, as it would: in ``write`` for a large file,
only at ``close`` for a small one, and after the photo was cleaned for an image.

A real full file system would need a mount (root, or a user namespace that CI may not allow),
and the spool directory must share its file system with the files directory for the final
rename, so the fault is injected at the file layer instead, deterministically.
"""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from protectdesk.attachments import uploads
from protectdesk.attachments.models import Attachment
from protectdesk.lib.env import open_private
from tests import canary as scan
from tests.conftest import make_attachment
from tests.images import jpeg_with_exif

FULL = b"disk is full, so this file could not be stored"


class _LimitedRaw(io.RawIOBase):
    def __init__(self, real: io.BufferedWriter, disk: FullDisk) -> None:
        self.real, self.disk = real, disk

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        room = self.disk.room(len(data))
        if room:
            self.real.write(bytes(data[:room]))
            self.real.flush()
        if room < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return room

    def close(self) -> None:
        self.real.close()
        super().close()


class FullDisk:
    """A disk with ``free`` bytes left (None: room enough), shared by every file opened on it."""

    def __init__(self, free: int | None) -> None:
        self.free = free
        self.opened: list[Path] = []

    def room(self, wanted: int) -> int:
        if self.free is None:
            return wanted
        room = min(wanted, self.free)
        self.free -= room
        return room

    def open(self, path: Path) -> io.BufferedWriter:
        self.opened.append(path)
        return io.BufferedWriter(_LimitedRaw(open_private(path), self))


@pytest.fixture
def own_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.FILES_DIR = settings.DATA_DIR / "files"
    settings.FILES_DIR.mkdir(parents=True)
    return settings.DATA_DIR


def _upload(client, case, name: str, data: bytes):
    fields = {"record": f"cases.case:{case.id}", "file": SimpleUploadedFile(name, data)}
    return client.post(f"/cases/{case.id}/files/", fields, follow=True)


def _text(label: str, size: int) -> tuple[bytes, list[str]]:
    marker = scan.canary(label)
    line = f"{marker} the witness saw the car again\n".encode()
    return (line * (size // len(line) + 1))[:size], [marker]


@pytest.mark.parametrize(
    ("what", "free"),
    [
        ("large-text", 100_000),  # full in the middle of the stream, in write()
        ("small-text", 100),  # the whole file fits the buffer: full only at close()
        ("photo", 500),  # a photo is encrypted after cleaning, in file_complete
    ],
)
def test_a_full_disk_refuses_the_upload_cleanly_and_it_succeeds_once_there_is_room(
    desks, signed_in_client, monkeypatch, own_data_dir, what, free
):
    case = desks.case
    kept = make_attachment(desks.caseworker, case, b"earlier evidence", "earlier.txt")
    if what == "photo":
        marker = scan.canary("photo")
        data, markers, name = jpeg_with_exif(marker, size=(400, 300)), [marker], "car.jpg"
    else:
        data, markers = _text(what, 300_000 if what == "large-text" else 2_000)
        name = "witness.txt"
    disk = FullDisk(free)
    monkeypatch.setattr(uploads, "open_private", disk.open)
    client = signed_in_client(desks.caseworker)

    response = _upload(client, case, name, data)

    assert disk.opened, "the upload must have met the full disk"
    assert response.status_code == 200 and FULL in response.content
    assert b"Traceback" not in response.content
    # Nothing half-saved: no row, no spool file, no stored file but the earlier one, no
    # plaintext anywhere in the data directory.
    assert list(Attachment.objects.filter(case=case)) == [kept]
    assert not [p for p in (own_data_dir / "tmp").iterdir()], "a partial spool file is left"
    stored = [p for p in own_data_dir.joinpath("files").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [f"{kept.id}.{kept.generation}"]
    left = b"".join(scan.files_under(own_data_dir, since=0).values())
    assert not scan.find(markers, left)
    # The rest of the case is intact and still reads.
    page = client.get(f"/cases/{case.id}/")
    assert b"Ana Test Defender" in page.content and b"earlier.txt" in page.content
    earlier = client.get(f"/cases/{case.id}/files/{kept.id}/")
    assert b"".join(earlier.streaming_content) == b"earlier evidence"

    disk.free = None  # the technical person made room
    again = _upload(client, case, name, data)
    assert b"is stored, encrypted" in again.content
    added = Attachment.objects.filter(case=case).exclude(pk=kept.pk).get()
    download = client.get(f"/cases/{case.id}/files/{added.id}/")
    body = b"".join(download.streaming_content)
    assert body == data if what != "photo" else body.startswith(b"\xff\xd8")
