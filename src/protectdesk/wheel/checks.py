"""``protectdesk check`` refuses a wheel definition file the loader would refuse (a missing
translation, a code used twice), with the loader's message naming the wheel and the spoke."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.checks import CheckMessage, Error, register

from protectdesk.wheel import definitions


@register()
def wheel_definitions(
    app_configs: Any = None, path: Path | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """An error for a wheels file that does not load (``path``: another file, for tests)."""
    try:
        definitions.load(path)
    except ValueError as error:
        return [
            Error(
                str(error),
                hint="Correct vocabularies/wheels.yaml: every wheel and spoke needs a code used "
                "once and a label in en, es, fr and pt.",
                id="protectdesk.E130",
            )
        ]
    return []
