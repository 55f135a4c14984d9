"""Evidence in the browser, JavaScript off: a photo with GPS, attached to an incident, goes in
and comes out without it; no part of the original is ever on disk in clear."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import caseworker_with_a_case
from tests.images import GPS_IFD, jpeg_with_exif

pytestmark = pytest.mark.e2e


def _on_disk(needle: bytes, since: float) -> list[str]:
    """Files under the data dir (any) and /tmp (written during the test) that hold ``needle``."""
    hits = []
    for root, newer_than in ((Path(settings.DATA_DIR), 0.0), (Path("/tmp"), since)):  # noqa: S108 - searched, not written
        # os.walk, not rglob: other processes (a parallel test's browser) delete their temp
        # folders while we walk, and rglob raises on a folder that vanished.
        paths = (Path(top) / name for top, _dirs, files in os.walk(root) for name in files)
        for path in paths:
            try:
                stat = path.stat()
                if not path.is_file() or stat.st_mtime < newer_than or stat.st_size > 50_000_000:
                    continue
                if needle in path.read_bytes():
                    hits.append(str(path))
            except OSError:
                continue
    return hits


def test_photo_with_gps_is_stored_and_downloaded_without_it(journey, audit, server):
    caseworker, case = caseworker_with_a_case(
        "Evidence Desk", "EV", "Eva Caseworker", "Lucía Example (fictional)"
    )
    from tests.incidents.helpers import log_incident_with

    incident = log_incident_with(caseworker, case, title="Threatening photo sent by message")
    started = time.time()
    marker = "EVIDENCE-EXIF-MARKER-7319"
    photo = jpeg_with_exif(description=marker, size=(320, 240))
    with Image.open(io.BytesIO(photo)) as image:
        assert image.getexif().get_ifd(GPS_IFD)

    worker = journey("caseworker")
    worker.sign_in(caseworker.login)
    worker.goto(f"/cases/{case.id}/incidents/{incident.id}/")
    worker.check("incident")
    worker.page.locator("input[type=file]").set_input_files(
        files=[{"name": "threat-photo.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    worker.click(worker.page.get_by_role("button", name="Upload"))
    expect(worker.page.locator(".messages")).to_contain_text("without its hidden metadata")
    worker.check("incident-with-photo", phone=True)

    with worker.page.expect_download() as download_info:
        worker.page.get_by_role("link", name="threat-photo.jpg").click()
    download = download_info.value
    assert download.suggested_filename == "threat-photo.jpg"
    data = Path(download.path()).read_bytes()
    Path(download.path()).unlink()
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (320, 240)
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
    assert marker.encode() not in data

    # No part of the original photo is anywhere on disk in clear (data dir, /tmp).
    at = photo.find(marker.encode())
    assert not _on_disk(marker.encode(), started)
    assert not _on_disk(photo[at - 60 : at + 60], started)  # the EXIF block around the marker
    assert not _on_disk(photo[-300:], started)  # the original's compressed pixels
    audit.assert_clean()


def test_a_file_name_with_quotes_and_accents_comes_back_as_it_was(journey, audit, server):
    """Chromium writes `"` in a file name as %22 in the form data; the list shows the name as
    chosen and the download carries it back (RFC 6266 / 5987)."""
    caseworker, case = caseworker_with_a_case(
        "Names Desk", "NM", "Nora Caseworker", "Inés Example (fictional)"
    )
    name = 'acta "final"; 100% señal.txt'
    worker = journey("caseworker")
    worker.sign_in(caseworker.login)
    worker.goto(f"/cases/{case.id}/")
    worker.page.get_by_label("Add a file").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": b"minutes of the meeting"}]
    )
    worker.click(worker.page.get_by_role("button", name="Upload"))
    files = worker.page.locator("#attachments ul.files")
    expect(files.get_by_role("link")).to_have_text([name])
    expect(files).not_to_contain_text("%22")
    worker.check("file-with-awkward-name")

    with worker.page.expect_download() as download_info:
        files.get_by_role("link", name=name).click()
    download = download_info.value
    assert Path(download.path()).read_bytes() == b"minutes of the meeting"
    Path(download.path()).unlink()
    # From filename* (the ASCII fallback would have lost "ñ" and "%"); Chromium itself makes
    # `"` safe for a file system. Never "%22" or "%2522".
    assert download.suggested_filename == name.replace('"', "_")
    audit.assert_clean()
