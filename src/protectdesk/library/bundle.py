"""The offline bundle: the published library in one language, as static pages in one zip.

``protectdesk library bundle --language es`` (or the link on the library's pages) writes a zip
that opens from a USB stick with no server: ``index.html`` lists every published resource that
has a version in the language, each version is a page of its own (``<address>.html``) with its
file beside it (``files/<address>/<name>``) and the stylesheet (``app.css``). Every link is
relative and nothing loads from anywhere else, so the pages work from disk, offline, in any
browser with JavaScript off. Drafts are never in it.

Names inside the zip are ASCII (a file's name slugified, its extension kept) and every link is
percent-encoded, so the pages work from any file system and any unzip tool. The public link
serves a zip built once per state of the library (:func:`open_cached`).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from protectdesk import vocabularies
from protectdesk.library import actions
from protectdesk.library.models import LANGUAGES, Status, Version

#: A fixed time for every entry, so the same library gives the same zip.
_ENTRY_TIME = (2026, 1, 1, 0, 0, 0)
#: Files that are compressed already (images; PDF streams; zip containers such as docx, odt
#: and epub): deflating them again costs time and gains nothing, so they are stored.
_STORED_KINDS = frozenset({"pdf", "zip", "jpeg", "png"})


def versions_in(language: str) -> list[Version]:
    return list(
        Version.objects.filter(resource__status=Status.PUBLISHED, language=language)
        .select_related("resource")
        .order_by("-resource__published_on", "title")
    )


def file_name_in_bundle(version: Version) -> str:
    """``files/<address>/<name>``, the name in ASCII: a zip names its entries in whatever
    encoding the tool that opens it guesses, and a link must match the name on disk."""
    stem, dot, extension = version.file_name.rpartition(".")
    if not dot:
        stem, extension = version.file_name, ""
    safe_stem = slugify(stem) or "file"
    safe_extension = slugify(extension)
    name = f"{safe_stem}.{safe_extension}" if safe_extension else safe_stem
    return f"files/{version.resource.slug}/{name}"


def _href(name: str) -> str:
    return quote(name)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _stylesheet() -> bytes:
    found = finders.find("protectdesk/app.css")
    path = Path(str(found)) if found else Path(settings.STATIC_ROOT) / "protectdesk/app.css"
    return path.read_bytes()


def _entries(language: str, versions: list[Version]) -> Iterator[tuple[str, bytes | Path]]:
    topics = vocabularies.load("library_topics")
    made = timezone.localdate()
    with translation.override(language):
        yield (
            "index.html",
            render_to_string(
                "library/bundle/index.html",
                {
                    "language": language,
                    "entries": [
                        {"version": v, "href": _href(f"{v.resource.slug}.html")} for v in versions
                    ],
                    "made": made,
                },
            ).encode(),
        )
        for version in versions:
            resource = version.resource
            yield (
                f"{resource.slug}.html",
                render_to_string(
                    "library/bundle/version.html",
                    {
                        "language": language,
                        "version": version,
                        "resource": resource,
                        "paragraphs": _paragraphs(version.body),
                        "topics": [topics.label(code) for code in resource.topics],
                        "file": _href(file_name_in_bundle(version)) if version.file_name else "",
                    },
                ).encode(),
            )
            if version.file_name:
                path = actions.file_path(version.id, version.file_sha256)
                if path.exists():
                    yield file_name_in_bundle(version), path
    yield "app.css", _stylesheet()


def write(language: str, out: BinaryIO, versions: list[Version] | None = None) -> int:
    """Write the bundle of ``language`` to ``out`` (of ``versions``, by default those published
    now); returns how many resources it holds."""
    if language not in dict(LANGUAGES):
        raise ValueError(f"no such language: {language!r}")
    if versions is None:
        versions = versions_in(language)
    kinds = {file_name_in_bundle(v): v.file_kind for v in versions if v.file_name}
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in _entries(language, versions):
            info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(content, Path):
                # Streamed, not read whole (a file may be 25 MB). Not ZipFile.write: it stamps
                # the file's own time and mode, and the same library must give the same zip.
                if kinds.get(name) in _STORED_KINDS:
                    info.compress_type = zipfile.ZIP_STORED
                info.file_size = content.stat().st_size
                with content.open("rb") as source, bundle.open(info, "w") as entry:
                    shutil.copyfileobj(source, entry, 64 * 1024)
            else:
                bundle.writestr(info, content)
            count += name.endswith(".html") and name != "index.html"
    return count


# --- the zip the public link serves ------------------------------------------------------


def _cache_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "cache" / "library"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def fingerprint(language: str, versions: list[Version]) -> str:
    """What the bundle of ``versions`` is made of: each version and resource as saved (ids, row
    versions, times, file contents) and the release of the product (its pages and stylesheet)."""
    try:
        release = metadata.version("protectdesk")
    except metadata.PackageNotFoundError:
        release = "unknown"
    digest = hashlib.sha256(f"bundle 1\n{release}\n{language}\n".encode())
    for v in sorted(versions, key=lambda v: str(v.id)):
        r = v.resource
        digest.update(
            f"{v.id} {v.row_version} {v.updated_at.isoformat()} {v.file_sha256} "
            f"{r.id} {r.row_version} {r.updated_at.isoformat()}\n".encode()
        )
    digest.update(hashlib.sha256(_stylesheet()).digest())
    return digest.hexdigest()[:32]


def open_cached(language: str) -> BinaryIO:
    """The bundle of ``language`` as it is now, opened for reading: built and kept on disk (under
    the data directory) the first time it is asked for, then served as it is until the library
    changes. Anyone may ask for it without signing in, so a flood of requests must not mean a
    flood of builds: one build per state of the library, one builder at a time per language."""
    if language not in dict(LANGUAGES):
        raise ValueError(f"no such language: {language!r}")
    versions = versions_in(language)
    folder = _cache_dir()
    path = folder / f"{language}-{fingerprint(language, versions)}.zip"
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    with (folder / f"{language}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the lock file closes
        try:
            return path.open("rb")  # built while this request waited for the lock
        except FileNotFoundError:
            pass
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{language}-", suffix=".zip")
        try:
            with os.fdopen(handle, "w+b") as out:
                write(language, out, versions)
            os.replace(temp, path)  # whole or not at all: a reader never sees half a zip
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        opened = path.open("rb")
        for stale in folder.glob(f"{language}-*.zip"):
            if stale != path:  # an open file stays readable to whoever is sending it
                stale.unlink(missing_ok=True)
        return opened
