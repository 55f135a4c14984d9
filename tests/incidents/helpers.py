"""Building incidents through the real actions, for tests."""

from __future__ import annotations

from typing import Any

from protectdesk.incidents import actions
from protectdesk.incidents.actions import IncidentData, When
from tests.conftest import keyring_of


def log_incident_with(user, case, **overrides: Any):
    values: dict[str, Any] = {
        "when": When("exact", 2026, "2026-10", "2026-10-12"),
        "country": "GT",
        "subdivision": "GT-16",
        "title": "Car outside the office",
        "narrative": "A white pickup without plates waited outside the office for three nights.",
        "types": ("surveillance",),
        "nature": "physical",
    }
    values.update(overrides)
    return actions.log_incident(
        actor=user, keyring=keyring_of(user), case=case, data=IncidentData(**values)
    )
