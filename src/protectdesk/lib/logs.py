"""Logging filter that keeps tracebacks but drops exception messages and request objects.

The log file handler writes files only the service user can read (0600), whatever the process
umask, and so does every file it rotates to.

The public intake's 4xx answers (``/report/…``: a wrong receipt, a throttled attempt) are not
logged at all: each line would date a person's visit to the second.

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
#: An API token anywhere in a line (a library that logs a malformed Authorization header).
_API_TOKENS = re.compile(r"pd1_[A-Za-z0-9_+/=-]{20,}")


def redact_paths(text: str) -> str:
    return _API_TOKENS.sub("pd1_[redacted]", _TOKEN_PATHS.sub(r"\1[redacted]", text))


#: Public pages whose 4xx answers are a person's actions (a mistyped receipt, an empty
#: message, a throttled attempt): no log line may date them to the second. The JSON API's
#: 4xx are answers to callers (a refused token, a refused body), each in the audit log when
#: a token was valid; logging them too would let anyone without a token flood the log.
_QUIET_PATHS = re.compile(r"^/(?:report|api)/")


def _is_quiet(record: logging.LogRecord) -> bool:
    """A 4xx of a public intake page (``django.request``, or ``django.security`` for a body
    too large), or its "form closed" 503: each would date a person's visit. A real error
    (500) is still logged: path and exception type only."""
    if not (record.name == "django.request" or record.name.startswith("django.security.")):
        return False
    if (
        record.name == "django.request"
        and record.levelno >= logging.ERROR
        and getattr(record, "status_code", None) != 503
    ):
        return False
    request = getattr(record, "request", None)
    path = getattr(request, "path", "") or ""
    if not path and isinstance(record.args, tuple):
        path = next((a for a in record.args if isinstance(a, str)), "")
    return bool(_QUIET_PATHS.match(path))


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _is_quiet(record):
            return False
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
