"""The desk incident list filters, counts and pages in SQL: the same rows, in the same order,
as filtering every incident in Python, on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools

import pytest

from protectdesk.imports.bulk import new_incident
from protectdesk.incidents import queries
from protectdesk.incidents.actions import IncidentData, When
from protectdesk.incidents.models import Incident
from protectdesk.records import actions as records
from protectdesk.search import queries as search_queries
from tests.conftest import keyring_of

TYPES = [
    ("surveillance",),
    ("death_threat", "surveillance"),
    ("raid",),
    ("eviction", "raid"),
    ("stigmatisation",),
]


@pytest.fixture
def logged(desks):
    """Eleven incidents of the caseworker's case over several months, one of another case."""
    keyring = keyring_of(desks.caseworker)
    made, texts = [], []
    for n, types in zip(range(11), itertools.cycle(TYPES), strict=False):
        month = f"2026-{1 + n % 4:02d}"
        incident, values = new_incident(
            desks.caseworker,
            desks.case.id,
            IncidentData(
                when=When("month", 2026, month),
                country="GT",
                title=f"Incident {n}",
                narrative="Tractor at the gate" if n % 3 == 0 else "A call at night",
                types=types,
                nature="physical",
            ),
        )
        made.append(incident)
        texts.append(values)
    records.create_many(desks.caseworker, keyring, made, texts, audit="incident.created")
    return keyring


def _reference(keyring, filters):
    """The list as it was made before: every matching incident filtered in Python."""
    found = list(queries._filtered(keyring, filters))
    if filters.types:
        found = [i for i in found if set(filters.types) & set(i.types)]
    if filters.words:
        matching = search_queries.matching_records(keyring, filters.words, "incidents.incident")
        found = [i for i in found if i.pk in matching]
    return [i.pk for i in found]


@pytest.mark.parametrize(
    "filters",
    [
        queries.Filters(),
        queries.Filters(types=("raid",)),
        queries.Filters(types=("death_threat", "eviction")),
        queries.Filters(types=("killing",)),
        queries.Filters(words="tractor"),
        queries.Filters(types=("surveillance",), words="tractor", month_from="2026-02"),
        queries.Filters(words="nowhere"),
    ],
)
@pytest.mark.parametrize("in_limit", [queries.IN_LIMIT, 0], ids=["pk-in", "many-matches"])
def test_the_pages_hold_what_python_filtering_found(desks, logged, monkeypatch, filters, in_limit):
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    monkeypatch.setattr(queries, "IN_LIMIT", in_limit)
    expected = _reference(logged, filters)
    seen = []
    first, total, pages = queries.incident_list(logged, filters, 1)
    assert total == len(expected) and pages == max(1, -(-len(expected) // 3))
    for page in range(1, pages + 1):
        rows, _total, _pages = queries.incident_list(logged, filters, page)
        seen += [row.incident.pk for row in rows]
    assert seen == expected
    # Pages out of range give the first or the last page, as before.
    assert [r.incident.pk for r in queries.incident_list(logged, filters, 0)[0]] == [
        r.incident.pk for r in first
    ]
    last = queries.incident_list(logged, filters, pages)[0]
    assert [r.incident.pk for r in queries.incident_list(logged, filters, 99)[0]] == [
        r.incident.pk for r in last
    ]


def test_the_type_filter_matches_list_elements_not_text(desks, logged):
    """ "raid" is no substring match of another code, and a code inside a title is no type."""
    Incident.objects.filter(types=["stigmatisation"]).update(types=["stigmatisation_raid"])
    rows, total, _pages = queries.incident_list(logged, queries.Filters(types=("raid",)), 1)
    assert total == 4 and all("raid" in row.incident.types for row in rows)
