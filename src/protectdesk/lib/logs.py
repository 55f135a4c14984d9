"""Logging filter that keeps tracebacks but drops exception messages and request objects.

The log file handler writes files only the service user can read (0600), whatever the process
umask, and so does every file it rotates to.

Also: one-time tokens in URL paths (``/invitation/<token>/``, ``/setup/<token>/``) are replaced by
``[redacted]`` in every log line, so a "Not Found" warning for a used or expired link does not
keep the link's secret next to the database.

An exception message can carry a value (a database error quoting the row it rejected, a
ValueError quoting its input). Our own code never puts identifying data into exceptions, but
third-party code might, so log records keep the frames and the exception *type* only.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import traceback
from io import TextIOWrapper
from pathlib import Path

from protectdesk.lib.env import make_private

#: One-time secrets that travel in URL paths (invitation and first-run links).
_TOKEN_PATHS = re.compile(r"(/(?:invitation|setup)/)[^/\s'\"]+")


def redact_paths(text: str) -> str:
    return _TOKEN_PATHS.sub(r"\1[redacted]", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_paths(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_paths(a) if isinstance(a, str) else a for a in record.args)
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, exc, tb = record.exc_info
            frames = "".join(traceback.format_tb(tb))
            name = exc_type.__qualname__ if exc_type else type(exc).__qualname__
            record.exc_text = (
                f"Traceback (most recent call last):\n{frames}{name}: [message redacted]"
            )
            record.exc_info = None
        # Django attaches the request to error records; nothing of it belongs in a log line.
        if hasattr(record, "request"):
            record.request = None
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that is 0600 from the moment it exists, like the database beside it."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        make_private(Path(self.baseFilename))  # a log written by an earlier version may be 0644
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)
