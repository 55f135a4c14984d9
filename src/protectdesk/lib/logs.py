"""Logging filter that keeps tracebacks but drops exception messages and request objects.

An exception message can carry a value (a database error quoting the row it rejected, a
ValueError quoting its input). Our own code never puts identifying data into exceptions, but
third-party code might, so log records keep the frames and the exception *type* only.
"""

from __future__ import annotations

import logging
import traceback


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
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
