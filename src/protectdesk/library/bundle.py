"""The offline bundle: the published library in one language, as static pages in one zip.

``protectdesk library bundle --language es`` (or the link on the library's pages) writes a zip
that opens from a USB stick with no server: ``index.html`` lists every published resource that
has a version in the language, each version is a page of its own (``<address>.html``) with its
file beside it (``files/<address>/<name>``) and the stylesheet (``app.css``). Every link is
relative and nothing loads from anywhere else, so the pages work from disk, offline, in any
browser with JavaScript off. Drafts are never in it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from protectdesk import vocabularies
from protectdesk.library import actions
from protectdesk.library.models import LANGUAGES, Status, Version

#: A fixed time for every entry, so the same library gives the same zip.
_ENTRY_TIME = (2026, 1, 1, 0, 0, 0)


def versions_in(language: str) -> list[Version]:
    return list(
        Version.objects.filter(resource__status=Status.PUBLISHED, language=language)
        .select_related("resource")
        .order_by("-resource__published_on", "title")
    )


def file_name_in_bundle(version: Version) -> str:
    return f"files/{version.resource.slug}/{version.file_name}"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _stylesheet() -> bytes:
    found = finders.find("protectdesk/app.css")
    path = Path(str(found)) if found else Path(settings.STATIC_ROOT) / "protectdesk/app.css"
    return path.read_bytes()


def _entries(language: str) -> Iterator[tuple[str, bytes | Path]]:
    versions = versions_in(language)
    topics = vocabularies.load("library_topics")
    made = timezone.localdate()
    with translation.override(language):
        yield (
            "index.html",
            render_to_string(
                "library/bundle/index.html",
                {"language": language, "versions": versions, "made": made},
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
                        "file": file_name_in_bundle(version) if version.file_name else "",
                    },
                ).encode(),
            )
            if version.file_name:
                path = actions.file_path(version.id, version.file_sha256)
                if path.exists():
                    yield file_name_in_bundle(version), path
    yield "app.css", _stylesheet()


def write(language: str, out: BinaryIO) -> int:
    """Write the bundle of ``language`` to ``out``; returns how many resources it holds."""
    if language not in dict(LANGUAGES):
        raise ValueError(f"no such language: {language!r}")
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in _entries(language):
            info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = content.read_bytes() if isinstance(content, Path) else content
            bundle.writestr(info, data)
            count += name.endswith(".html") and name != "index.html"
    return count
