"""Image cleaning with bounded memory: measured, not assumed.

A 388 KB PNG (zlib-compressed zeros, written here by hand) describes 9,990 × 9,990 RGBA pixels:
400 MB once decoded; before the fix one upload of it took 1.15 GB. Each measurement runs the
real encrypting upload handler (``uploads.encrypt_bytes``, the path every upload takes) in a
child process and reads that process's peak resident memory (``VmHWM``) above its baseline,
the peak having been reset to the baseline first (``/proc/self/clear_refs``). Four uploads at
once are four threads of one child, as four requests reach one server process.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest

from protectdesk.attachments.actions import upload_refusal
from protectdesk.attachments.uploads import EncryptedUpload
from tests.cli import CommandLine

MB = 1024 * 1024
ONE_UPLOAD_LIMIT = 300 * MB
FOUR_UPLOADS_LIMIT = 1024 * MB

# --- PNGs written by hand ---------------------------------------------------------------------

GREYSCALE, RGB, RGBA = 0, 2, 6
_CHANNELS = {GREYSCALE: 1, RGB: 3, RGBA: 4}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _exif_orientation(value: int) -> bytes:
    """A TIFF-structured EXIF block holding only an orientation (PNG's eXIf chunk)."""
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, value, 0)  # Orientation, SHORT, 1 value
    return b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1) + entry + struct.pack(">I", 0)


def zlib_png(width: int, height: int, colour_type: int, *, orientation: int = 0) -> bytes:
    """A PNG of zeros: one IDAT, compressed row by row (the test itself stays small)."""
    compressor = zlib.compressobj(6)
    row = b"\x00" * (1 + width * _CHANNELS[colour_type])  # filter byte 0, then the pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    exif = _chunk(b"eXIf", _exif_orientation(orientation)) if orientation else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + exif
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photos")
    made = {
        # The issue's file: 388 KB, 9,990 × 9,990 RGBA.
        "colour-9990": zlib_png(9990, 9990, RGBA),
        # The same size in greyscale: a quarter of the pixels' bytes, accepted and cleaned.
        "grey-9990": zlib_png(9990, 9990, GREYSCALE),
        # The largest colour photo accepted, and turned upright: two copies at once.
        "colour-25mp-rotated": zlib_png(5000, 5000, RGB, orientation=6),
    }
    assert 380_000 < len(made["colour-9990"]) < 400_000, "the issue's 388 KB file"
    paths = {}
    for name, data in made.items():
        paths[name] = folder / f"{name}.png"
        paths[name].write_bytes(data)
    return paths


# --- the measuring child ----------------------------------------------------------------------

_CHILD = r"""
import io, json, os, sys, threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protectdesk.settings")
import django

django.setup()
from PIL import Image

from protectdesk.attachments import uploads
from protectdesk.crypto import stream


def kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


paths = sys.argv[1:]
photos = [open(path, "rb").read() for path in paths]
calibrate = int(os.environ.get("PROBE_ALLOCATE_MB", "0"))
baseline = kib("VmRSS")
try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # peak := now
    reset = True
except OSError:
    reset = False  # the peak then also counts start-up: it can only overstate
results = [None] * len(photos)


def upload(i):
    results[i] = uploads.encrypt_bytes(os.path.basename(paths[i]), photos[i])


if calibrate:
    ballast = b"x" * (calibrate * 1024 * 1024)  # resident at once: bytes are written out
threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(photos))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
peak = kib("VmHWM")
report = []
for result in results:
    entry = {"error": result.error, "detail": result.error_detail, "cleaned": result.cleaned}
    if not result.error:
        with open(result.temp_path, "rb") as source:
            plain = b"".join(stream.decrypt_chunks(result.key, result.context(), source))
        with Image.open(io.BytesIO(plain)) as image:
            entry["size"] = list(image.size)
            entry["exif"] = bool(image.getexif())
        result.temp_path.unlink()
    report.append(entry)
print(json.dumps({"baseline": baseline * 1024, "peak": peak * 1024, "reset": reset, "uploads": report}))
"""


def measure(tmp_path: Path, paths: list[Path], *, allocate_mb: int = 0) -> dict:
    """Upload ``paths`` at once (one thread each) in a fresh process; its peak above baseline."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    env = CommandLine(data_dir, None).env()
    env["PROBE_ALLOCATE_MB"] = str(allocate_mb)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *map(str, paths)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["above_baseline"] = result["peak"] - result["baseline"]
    print(  # shown with -s, and in the report of a failure
        f"{[p.name for p in paths]}: peak {result['above_baseline'] / MB:.0f} MB above a "
        f"baseline of {result['baseline'] / MB:.0f} MB (peak reset: {result['reset']})"
    )
    return result


# --- the tests --------------------------------------------------------------------------------


def test_the_measurement_sees_memory_that_is_used(tmp_path, photos):
    """The probe is not blind: 150 MB held during the uploads shows up in the peak."""
    result = measure(tmp_path, [photos["colour-9990"]], allocate_mb=150)
    assert result["above_baseline"] >= 145 * MB


def test_the_issues_9990_png_is_refused_from_its_header_well_under_300_mb(tmp_path, photos):
    result = measure(tmp_path, [photos["colour-9990"]])
    (upload,) = result["uploads"]
    assert upload["error"] == "pixels"
    assert upload["detail"] == {"width": 9990, "height": 9990, "megapixels": 25}
    assert result["above_baseline"] < ONE_UPLOAD_LIMIT
    assert result["above_baseline"] < 50 * MB, "refused from the header: nothing was decoded"


def test_a_9990_greyscale_png_is_cleaned_under_300_mb(tmp_path, photos):
    result = measure(tmp_path, [photos["grey-9990"]])
    (upload,) = result["uploads"]
    assert upload["error"] == "" and upload["cleaned"]
    assert upload["size"] == [9990, 9990]
    assert result["above_baseline"] < ONE_UPLOAD_LIMIT


def test_the_largest_colour_photo_turned_upright_is_cleaned_under_300_mb(tmp_path, photos):
    result = measure(tmp_path, [photos["colour-25mp-rotated"]])
    (upload,) = result["uploads"]
    assert upload["error"] == "" and upload["cleaned"]
    assert upload["size"] == [5000, 5000] and not upload["exif"]
    assert result["above_baseline"] < ONE_UPLOAD_LIMIT


@pytest.mark.parametrize("photo", ["colour-9990", "grey-9990", "colour-25mp-rotated"])
def test_four_uploads_at_once_stay_under_1_gb_and_are_cleaned_one_at_a_time(
    tmp_path, photos, photo
):
    one = measure(tmp_path, [photos[photo]])
    four = measure(tmp_path, [photos[photo]] * 4)
    assert [u["error"] for u in four["uploads"]] == [one["uploads"][0]["error"]] * 4
    assert four["above_baseline"] < FOUR_UPLOADS_LIMIT
    # One at a time: four together cost far less than four times one (not cleaned at once).
    assert four["above_baseline"] < 2 * one["above_baseline"] + 50 * MB


def test_the_refusal_says_how_large_the_photo_is_and_what_to_do():
    upload = EncryptedUpload(
        id=uuid.uuid4(),
        key=b"k" * 32,
        temp_path=Path("/nonexistent"),
        original_name="big.png",
        error="pixels",
        error_detail={"width": 9990, "height": 9990, "megapixels": 25},
    )
    assert upload_refusal(upload) == (
        "This photo is 9,990 × 9,990 pixels; photos up to 25 megapixels are accepted. "
        "Resize it and upload it again."
    )
