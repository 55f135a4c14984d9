"""A small case with incidents, built through the real actions, for the export tests."""

from __future__ import annotations

from tests.incidents.helpers import log_incident_with


def two_incidents(desks, **first):
    """Two incidents of ``desks.case``: one exact-dated with two types, one of a month."""
    from protectdesk.incidents.actions import When

    values = {"types": ("surveillance", "death_threat"), "place": "Zona 1, Cobán", **first}
    a = log_incident_with(desks.caseworker, desks.case, **values)
    b = log_incident_with(
        desks.caseworker,
        desks.case,
        when=When("month", 2026, "2026-11"),
        title="Phone call",
        narrative="An anonymous call at night.",
        types=("stalking", "surveillance"),
        nature="digital",
        subdivision="",
    )
    return a, b
