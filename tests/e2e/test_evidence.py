"""Evidence in the browser, JavaScript off: a photo with GPS goes in, comes out without it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from protectdesk.cases import actions
from tests.conftest import add_user, keyring_of, make_desk
from tests.images import GPS_IFD, jpeg_with_exif

pytestmark = pytest.mark.e2e


def _on_disk(needle: bytes) -> list[str]:
    hits = []
    for root in (Path(settings.DATA_DIR), Path("/tmp")):
        for path in root.rglob("*"):
            try:
                if (
                    path.is_file()
                    and path.stat().st_size < 50_000_000
                    and needle in path.read_bytes()
                ):
                    hits.append(str(path))
            except OSError:
                continue
    return hits


def test_photo_with_gps_is_stored_and_downloaded_without_it(journey, audit, server):
    _desk, coordinator, _phrase = make_desk("Evidence Desk", "EV", "coordinator@ev.example")
    caseworker = add_user(coordinator, "caseworker", "caseworker@ev.example", "Eva Caseworker")
    case = actions.open_case(
        actor=caseworker,
        keyring=keyring_of(caseworker),
        profile=actions.DefenderProfile(
            kind="individual", country="GT", name="Lucía Example (fictional)"
        ),
    )
    marker = "EVIDENCE-EXIF-MARKER-7319"
    photo = jpeg_with_exif(description=marker, size=(320, 240))
    with Image.open(io.BytesIO(photo)) as image:
        assert image.getexif().get_ifd(GPS_IFD)

    worker = journey("caseworker")
    worker.sign_in(caseworker.login)
    worker.goto(f"/cases/{case.id}/")
    worker.check("case")
    worker.page.locator("input[type=file]").set_input_files(
        files=[{"name": "threat-photo.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    worker.click(worker.page.get_by_role("button", name="Upload"))
    expect(worker.page.locator(".messages")).to_contain_text("without its hidden metadata")
    worker.check("case-with-photo", phone=True)

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
    assert not _on_disk(marker.encode())
    assert not _on_disk(photo[:200])
    audit.assert_clean()
