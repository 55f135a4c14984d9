"""The one exception the account actions raise for a request the rules refuse.

It has its own module because every concept raises it and views catch it, whichever action
they called; a refusal is shown to the user, unlike a ``PermissionError``, which is a bug or
a forged request.
"""

from __future__ import annotations


class AccountError(Exception):
    """A request the rules refuse; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
