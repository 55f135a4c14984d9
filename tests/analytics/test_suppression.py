"""The suppression engine against random microdata: nothing below k, by any one number or by
the difference of any two (docs/research/issue18-design.md)."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from protectdesk.analytics.suppression import (
    Family,
    Query,
    Release,
    Table,
    Value,
    check_k,
    release,
    tabulate,
)

# Four dimensions: three of one code each, one ("tags") a record may hold several codes of.
DOMAIN: dict[str, tuple[str, ...]] = {
    "place": ("gt", "hn", "sv"),
    "year": ("2024", "2025"),
    "kind": ("a", "b", "c"),
    "tags": ("x", "y", "z"),
}
FAMILIES = (
    Family("place-year", ("place", "year")),
    Family("kind-tags-place", ("kind", "tags", "place")),
    Family("year-kind", ("year", "kind")),
)
FAMILY = {f.name: f for f in FAMILIES}

Record = dict[str, Value]


def _record() -> st.SearchStrategy[Record]:
    return st.fixed_dictionaries(
        {
            "place": st.sampled_from(DOMAIN["place"]),
            "year": st.sampled_from(DOMAIN["year"]),
            "kind": st.sampled_from(DOMAIN["kind"]),
            "tags": st.frozensets(st.sampled_from(DOMAIN["tags"]), max_size=2),
        }
    )


@st.composite
def _query(draw: st.DrawFn, family: str | None = None) -> Query:
    name = family or draw(st.sampled_from(sorted(FAMILY)))
    dims = FAMILY[name].dimensions
    by = tuple(draw(st.lists(st.sampled_from(dims), unique=True, max_size=2)))
    filtered = draw(st.lists(st.sampled_from(dims), unique=True, max_size=2))
    filters = {
        d: frozenset(draw(st.lists(st.sampled_from(DOMAIN[d]), unique=True, min_size=1)))
        for d in filtered
    }
    return Query(name, by, filters)


microdata = st.lists(st.tuples(_record(), st.sampled_from(("desk",))), min_size=0, max_size=150)
ks = st.integers(min_value=2, max_value=8)


def _published(table: Table) -> list[int]:
    return [*table.cells.values(), table.total]


def _matches(value: Value, allowed: frozenset[str]) -> bool:
    if isinstance(value, frozenset):
        return bool(value & allowed)
    return value in allowed


def _predicates(query: Query, table: Table) -> list[tuple[int, object]]:
    """Each published number of ``table`` with the predicate (over a record) it counts."""
    out: list[tuple[int, object]] = []

    def base(record: Record) -> bool:
        return all(_matches(record[d], codes) for d, codes in query.filters.items())

    out.append((table.total, base))
    for group, n in table.cells.items():

        def cell(record: Record, group: tuple[str, ...] = group) -> bool:
            return base(record) and all(
                _matches(record[d], frozenset({code}))
                for d, code in zip(query.by, group, strict=True)
            )

        out.append((n, cell))
    return out


def _released_records(records: list[Record], published: Release) -> list[Record]:
    """The records behind the release: those whose atom survives in every family (the engine
    withholds a record from all families or none)."""
    kept = []
    for record in records:
        if all(tuple(record[d] for d in f.dimensions) in published.atoms[f.name] for f in FAMILIES):
            kept.append(record)
    return kept


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(microdata, ks, _query(), _query())
def test_every_number_and_every_difference_is_zero_or_at_least_k(rows, k, q1, q2):
    published = release(rows, FAMILIES, k)
    t1, t2 = tabulate(published, q1), tabulate(published, q2)
    numbers = _published(t1) + _published(t2)
    assert all(n == 0 or n >= k for n in numbers)
    # Nested numbers (a total and its cells, a filtered table inside an unfiltered one):
    # whenever one number is at least the other, their difference is 0 or at least k when
    # the two count nested sets of records (checked on the records themselves below).
    records = [values for values, _party in rows]
    behind = _released_records(records, published)
    assert len(behind) == published.released
    counted = [
        (n, {i for i, r in enumerate(behind) if p(r)})  # type: ignore[operator]
        for n, p in _predicates(q1, t1) + _predicates(q2, t2)
    ]
    for n, members in counted:
        assert n == len(members), "a published number is the count of released records"
    if q1.family == q2.family:
        for (_n1, s1), (_n2, s2) in itertools.product(counted, repeat=2):
            # What one number counts and the other does not is a union of surviving atoms.
            only = len(s1 - s2)
            assert only == 0 or only >= k
            if s2 <= s1:
                assert len(s1) - len(s2) == 0 or len(s1) - len(s2) >= k


@settings(max_examples=200)
@given(microdata, ks, st.lists(_query(), min_size=2, max_size=4))
def test_differences_of_any_two_published_numbers_of_a_family(rows, k, queries):
    """Plain subtraction, as an attacker would do it: within a family, whenever two published
    numbers count nested groups (a cell and the total it is part of, the same cell filtered
    and not), their difference is 0 or at least k."""
    published = release(rows, FAMILIES, k)
    for q1, q2 in itertools.product(queries, repeat=2):
        if q1.family != q2.family:
            continue
        t1, t2 = tabulate(published, q1), tabulate(published, q2)
        for n in t1.cells.values():
            assert t1.total - n == 0 or t1.total - n >= k
        if not q2.filters:
            # q1's total is a subset of q2's (unfiltered) total
            assert t2.total - t1.total == 0 or t2.total - t1.total >= k
        if q1.by == q2.by and not q2.filters:
            for group, n in t1.cells.items():
                d = t2.cells.get(group, 0) - n
                assert d == 0 or d >= k


@settings(max_examples=200)
@given(microdata, ks)
def test_families_agree_on_totals_and_withheld_is_said_only_when_safe(rows, k):
    published = release(rows, FAMILIES, k)
    totals = {tabulate(published, Query(f.name)).total for f in FAMILIES}
    assert totals == {published.released}
    shown = published.withheld_shown()
    if shown is None:
        assert 0 < published.withheld < k
    else:
        assert shown == published.withheld and (shown == 0 or shown >= k)


def _atoms_of(family: Family, records: list[Record]) -> Counter[tuple[Value, ...]]:
    return Counter(tuple(r[d] for d in family.dimensions) for r in records)


ALL_QUERIES = [
    Query(f.name, by, {})
    for f in FAMILIES
    for size in range(3)
    for by in itertools.permutations(f.dimensions, size)
] + [
    Query(f.name, by, {d: frozenset({code})})
    for f in FAMILIES
    for by in [(), *((x,) for x in f.dimensions)]
    for d in f.dimensions
    for code in DOMAIN[d]
]


def _everything_published(rows: list[tuple[Record, str]], k: int) -> list[tuple[Query, Table]]:
    published = release(rows, FAMILIES, k)
    return [(q, tabulate(published, q)) for q in ALL_QUERIES]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(_record(), min_size=1, max_size=60),
    ks,
    st.sampled_from(FAMILIES),
    st.data(),
)
def test_no_published_number_pins_a_suppressed_atom(records, k, family, data):
    """Brute force over every query of every family: change a suppressed atom's count to any
    value from 1 to k-1 (its records otherwise unchanged, or new records in it) and not one
    published number moves. So no system of published numbers determines that count."""
    atoms = _atoms_of(family, records)
    small = [atom for atom, n in atoms.items() if n < k]
    assume(small)
    atom = data.draw(st.sampled_from(small))
    members = [r for r in records if tuple(r[d] for d in family.dimensions) == atom]
    others = [r for r in records if tuple(r[d] for d in family.dimensions) != atom]
    before = _everything_published([(r, "desk") for r in records], k)
    for count in range(1, k):
        # the atom's records repeated or cut to ``count`` (their other dimensions as found)
        changed = others + [members[i % len(members)] for i in range(count)]
        after = _everything_published([(r, "desk") for r in changed], k)
        assert after == before, (atom, count)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(_record(), st.sampled_from(("d1", "d2", "d3"))), max_size=150),
    ks,
    _query(),
)
def test_a_pool_never_lets_one_desk_subtract_itself(rows, k, query):
    """In a pool, every surviving atom minus any one desk's records in it is 0 or at least k:
    a desk knowing its own records cannot read another desk's small group off the pool."""
    published = release(rows, FAMILIES, k)
    kept = [
        (values, party)
        for values, party in rows
        if all(tuple(values[d] for d in f.dimensions) in published.atoms[f.name] for f in FAMILIES)
    ]
    assert len(kept) == published.released
    for family in FAMILIES:
        for atom, n in published.atoms[family.name].items():
            assert n >= k
            for desk in ("d1", "d2", "d3"):
                own = sum(
                    1
                    for values, party in kept
                    if party == desk and tuple(values[d] for d in family.dimensions) == atom
                )
                assert n - own == 0 or n - own >= k
    table = tabulate(published, query)
    assert all(n == 0 or n >= k for n in _published(table))


def test_worked_example_from_the_design_note():
    """ "All countries" 12 and "Guatemala" 9 would give away a group of 3: not any more."""
    rows = [({"place": "gt", "year": "2025"}, "desk")] * 9 + [
        ({"place": "hn", "year": "2025"}, "desk")
    ] * 3
    published = release(rows, [Family("f", ("place", "year"))], 5)
    assert tabulate(published, Query("f")).total == 9
    assert tabulate(published, Query("f", filters={"place": frozenset({"gt"})})).total == 9
    assert published.withheld_shown() is None  # "some": 3 is below k


def test_a_record_with_several_codes_is_one_atom():
    rows = [({"tags": frozenset({"x", "y"})}, "desk")] * 5 + [({"tags": frozenset({"y"})}, "d")]
    published = release(rows, [Family("f", ("tags",))], 5)
    table = tabulate(published, Query("f", by=("tags",)))
    assert table.cells == {("x",): 5, ("y",): 5} and table.total == 5


def test_k_is_bounded_and_queries_stay_in_their_family():
    with pytest.raises(ValueError, match="k must be between"):
        check_k(1)
    with pytest.raises(ValueError, match="k must be between"):
        check_k(51)
    published = release([], [Family("f", ("place",))], 5)
    with pytest.raises(ValueError, match="not within family"):
        tabulate(published, Query("f", by=("year",)))


subjects_microdata = st.lists(
    st.tuples(_record(), st.sampled_from(("desk",)), st.sampled_from(tuple("abcdef"))),
    min_size=0,
    max_size=120,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=subjects_microdata, k=ks, m=st.integers(min_value=1, max_value=4), data=st.data())
def test_every_published_number_counts_records_of_at_least_m_subjects(rows, k, m, data):
    """With subjects (the defenders behind the records), every published number, and every
    difference of two nested ones, counts records of 0 or at least ``m`` subjects."""
    published = release(rows, FAMILIES, k, m)
    records = [values for values, _party, _subject in rows]
    behind = _released_records(records, published)
    subject_of = {id(values): subject for values, _party, subject in rows}
    for _ in range(3):
        query = data.draw(_query())
        table = tabulate(published, query)
        for n, predicate in _predicates(query, table):
            people = {subject_of[id(r)] for r in behind if predicate(r)}
            assert n == 0 or (n >= k and len(people) >= m), (n, people, query)
