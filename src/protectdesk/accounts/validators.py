"""Password policy: at least 12 characters, not on a common list, not a single repeated pattern.

No composition rules (NIST SP 800-63B). Django's bundled common-password list is mostly
shorter than 12 characters, so the project bundles its own list of long common passwords
(keyboard walks, sequences, and common words in English, Spanish, French and Portuguese with
the usual suffixes) and checks both.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_EXTRA_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


@cache
def _extra_passwords() -> frozenset[str]:
    with gzip.open(_EXTRA_LIST, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


class BundledCommonPasswordValidator(CommonPasswordValidator):
    """Django's list plus the project's list of long common passwords."""

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        normalised = password.lower().strip()
        if normalised in _extra_passwords() or len(set(normalised)) < 5:
            raise ValidationError(
                _("This password is too common or too simple."), code="password_too_common"
            )
