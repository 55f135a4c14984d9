"""PDFs built in memory from the app's own HTML, with nothing fetched from anywhere else.

WeasyPrint loads every stylesheet, font and image through a URL fetcher. The default one would
follow ``http(s):``, ``file:`` and ``data:`` URLs — a way for a value someone typed to make the
server read a local file or call out to another host while it prints a plan. :class:`StaticOnly`
serves **only the app's own static files** (found by Django's static finders, the path checked
to stay inside them) and refuses everything else with :class:`RefusedURL`, which WeasyPrint
treats as a missing resource.

The document is written to a ``BytesIO`` and returned as bytes: no PDF is ever written to disk.
WeasyPrint copies the ``@font-face`` fonts it loads into a temporary folder for the time of
the render: only the public font files shipped in ``static/protectdesk/fonts`` are ever there,
never text of the document.

One document is rendered at a time per process (:data:`_ONE_AT_A_TIME`), and a document whose
text is larger than :data:`MAX_CHARACTERS` is refused before rendering (:class:`TooLarge`): a
plan cannot tie up the server. WeasyPrint's own log is switched off in settings (its warnings
name the characters a font lacks: identifying text).
"""

from __future__ import annotations

import mimetypes
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The pretend origin documents are rendered under: a static URL is this host + STATIC_URL.
BASE_URL = "https://print.protectdesk.invalid/"
STATIC_PREFIX = "/" + settings.STATIC_URL.strip("/") + "/"


class RefusedURL(ValueError):
    """A resource the printed document may not load (another host, a file, data, …)."""


class TooLarge(ValueError):
    def __init__(self, characters: int) -> None:
        super().__init__(f"{characters} characters to print")
        self.characters = characters


class Busy(RuntimeError):
    """Another document is being rendered and did not finish in time."""


#: The most text a printed document may hold (a plan of ~80 pages).
MAX_CHARACTERS = 200_000
_ONE_AT_A_TIME = threading.BoundedSemaphore(1)


class StaticOnly(URLFetcher):  # type: ignore[misc]
    """Serves ``https://print.protectdesk.invalid/static/<path>`` from the static files only."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if (
            parts.scheme != "https"
            or parts.netloc != urlsplit(BASE_URL).netloc
            or not parts.path.startswith(STATIC_PREFIX)
            or parts.query
        ):
            raise RefusedURL(f"refused: {parts.scheme}: URL outside the app's static files")
        relative = unquote(parts.path[len(STATIC_PREFIX) :])
        if not relative or relative.startswith("/") or ".." in Path(relative).parts:
            raise RefusedURL("refused: not a static file path")
        found = finders.find(relative)
        if not found or isinstance(found, list):
            raise RefusedURL("refused: no such static file")
        path = Path(found).resolve()
        roots = [Path(p).resolve() for p in _static_roots()]
        if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
            raise RefusedURL("refused: outside the static files")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


def _static_roots() -> list[str]:
    """Where the static finders look (app ``static/`` folders, STATICFILES_DIRS)."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location and location not in roots:
                roots.append(location)
    return roots


def text_size(html: str) -> int:
    """How many characters of text ``html`` holds (tags aside)."""
    return len(re.sub(r"<[^>]*>", "", html))


def render(html: str, *, wait_seconds: float = 60) -> bytes:
    """``html`` (a whole document, its styles from the static files) as PDF bytes.

    :class:`TooLarge` before anything is rendered; :class:`Busy` if another render holds the
    process for longer than ``wait_seconds``."""
    size = text_size(html)
    if size > MAX_CHARACTERS:
        raise TooLarge(size)
    if not _ONE_AT_A_TIME.acquire(timeout=wait_seconds):
        raise Busy
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnly())
        return bytes(document.write_pdf())
    finally:
        _ONE_AT_A_TIME.release()
