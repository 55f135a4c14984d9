"""The one shape of a write the rules refuse: ``code`` names the rule (often the form field it
is about), ``message`` says it, translated, with how to fix it. Each module names its own
subclass (``PartnerError``, ``VideoError``…) so callers catch only what they expect."""

from __future__ import annotations


class Refusal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
