"""Suppression that survives differencing (docs/research/issue18-design.md). No Django, no I/O.

Records come in as their clear statistical codes (one value per dimension; a set of codes for
a dimension a record can hold several of, such as an incident's types), the **party** they
belong to (the desk: pooled statistics mix several) and, optionally, their **subject** (the
case: six incidents of one defender are six records but one person, and a group of them must
not pass as "at least k"). A :class:`Family` fixes its dimensions;
an **atom** is one combination of values of all of them (a set-valued dimension contributes
the whole set, so an incident of types {A, B} is one atom, not two).

:func:`release` decides which records may enter published numbers:

* an atom with ``0 < n < k`` records, or with records of fewer than ``k`` subjects, is
  suppressed;
* in a pool, an atom is also suppressed when the records (or subjects) of the *other* parties
  than any one of them number ``0 < n - n_party < k`` (a desk that knows its own records could
  otherwise subtract them and read the rest of the network's small group);
* the families of one kind of record are released together: a record in a suppressed atom of
  any family is withheld from every family, and the test is repeated on what remains until
  no atom is suppressed. So every family counts the same records and totals agree across
  families (a difference of two families' totals would otherwise count what was withheld).

:func:`tabulate` answers a query (a grouping of at most two dimensions, filters on others)
with sums of surviving atoms only. Every published number is therefore 0 or at least ``k``,
and for any two published numbers of a family, the records counted by one and not the other
form a union of surviving atoms: 0 or at least ``k``. A suppressed atom's true count enters
nothing, so no set of published numbers pins it (``tests/analytics/test_suppression.py``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

#: A record's value in one dimension: a code, or the set of codes it holds.
Value = str | frozenset[str]
Atom = tuple[Value, ...]
#: A record's values in every dimension of the release, its party and its subject.
_Cell = tuple[Atom, str, str]

MIN_K = 2
MAX_K = 50
DEFAULT_K = 5


@dataclass(frozen=True)
class Family:
    """The dimensions a view fixes; its atoms are every combination of their values."""

    name: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """A table of ``family``: grouped by ``by`` (0–2 dimensions), keeping only records whose
    value in each filtered dimension is one of the given codes (a set-valued dimension: holds
    one of them)."""

    family: str
    by: tuple[str, ...] = ()
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    by: tuple[str, ...]
    cells: dict[tuple[str, ...], int]  # only groups with a published count above 0
    total: int  # records matching the filters (a record counts once however many cells)


@dataclass(frozen=True)
class Release:
    """What may be published about one kind of record: the surviving atoms of each family."""

    k: int
    families: dict[str, Family]
    atoms: dict[str, dict[Atom, int]]  # family → surviving atom → count (> 0)
    counted: int  # records given
    released: int  # records that enter published numbers
    m: int = 1  # the fewest subjects behind a published number
    withheld_subjects: int = 0  # the subjects of the records withheld

    @property
    def withheld(self) -> int:
        return self.counted - self.released

    def withheld_shown(self) -> int | None:
        """How many records were withheld, when that number may itself be said (0 or ≥ k);
        ``None`` means "some"."""
        n = self.withheld
        if n == 0:
            return 0
        return n if n >= self.k and self.withheld_subjects >= self.m else None

    def codes(self, family: str, dimension: str) -> set[str]:
        """Every code seen in a surviving atom of ``family`` in ``dimension``."""
        index = self.families[family].dimensions.index(dimension)
        seen: set[str] = set()
        for atom in self.atoms[family]:
            value = atom[index]
            seen.update(value if isinstance(value, frozenset) else (value,))
        return seen


def check_k(k: int) -> int:
    if not MIN_K <= k <= MAX_K:
        raise ValueError(f"k must be between {MIN_K} and {MAX_K}")
    return k


def _too_small(parties: Counter[str], subjects: Mapping[str, set[str]], k: int, m: int) -> bool:
    n = sum(parties.values())
    people = set().union(*subjects.values())
    if 0 < n < k or 0 < len(people) < m:
        return True
    for party, own in parties.items():
        if 0 < n - own < k:
            return True
        others = set().union(*(s for p, s in subjects.items() if p != party))
        if 0 < len(others) < m:
            return True
    return False


def release(
    records: Iterable[tuple[Mapping[str, Value], str] | tuple[Mapping[str, Value], str, str]],
    families: Sequence[Family],
    k: int,
    m: int = 1,
) -> Release:
    """Suppress at the atoms of every family of one kind of record, jointly (module docstring).

    ``records``: (values by dimension, party[, subject]) tuples; every dimension of every
    family must be present in each record's values. Without a subject, a record is its own."""
    check_k(k)
    dims = tuple(dict.fromkeys(d for family in families for d in family.dimensions))
    alive: Counter[_Cell] = Counter()
    for number, record in enumerate(records):
        values, party = record[0], record[1]
        subject = record[2] if len(record) > 2 else f"#{number}"
        alive[(tuple(values[d] for d in dims), party, subject)] += 1
    counted = sum(alive.values())
    given = dict(alive)
    indexes = {f.name: tuple(dims.index(d) for d in f.dimensions) for f in families}
    while True:
        doomed: set[_Cell] = set()
        for family in families:
            index = indexes[family.name]
            parties: dict[Atom, Counter[str]] = defaultdict(Counter)
            subjects: dict[Atom, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
            members: dict[Atom, list[_Cell]] = defaultdict(list)
            for cell, n in alive.items():
                atom = tuple(cell[0][i] for i in index)
                parties[atom][cell[1]] += n
                subjects[atom][cell[1]].add(cell[2])
                members[atom].append(cell)
            for atom, by_party in parties.items():
                if _too_small(by_party, subjects[atom], k, m):
                    doomed.update(members[atom])
        if not doomed:
            break
        for cell in doomed:
            del alive[cell]
    atoms: dict[str, dict[Atom, int]] = {}
    for family in families:
        counts: Counter[Atom] = Counter()
        for cell, n in alive.items():
            counts[tuple(cell[0][i] for i in indexes[family.name])] += n
        atoms[family.name] = dict(counts)
    withheld_subjects = {cell[2] for cell in given if cell not in alive}
    return Release(
        k=k,
        families={f.name: f for f in families},
        atoms=atoms,
        counted=counted,
        released=sum(alive.values()),
        m=m,
        withheld_subjects=len(withheld_subjects),
    )


def _codes(value: Value) -> tuple[str, ...]:
    return tuple(sorted(value)) if isinstance(value, frozenset) else (value,)


def _matches(value: Value, allowed: frozenset[str]) -> bool:
    if isinstance(value, frozenset):
        return bool(value & allowed)
    return value in allowed


def tabulate(published: Release, query: Query) -> Table:
    """The table ``query`` asks for, summed from surviving atoms only."""
    family = published.families[query.family]
    unknown = (set(query.by) | set(query.filters)) - set(family.dimensions)
    if unknown or len(query.by) > 2 or len(set(query.by)) != len(query.by):
        raise ValueError(f"query not within family {family.name}: {sorted(unknown)}")
    by = [family.dimensions.index(d) for d in query.by]
    filters = [(family.dimensions.index(d), codes) for d, codes in query.filters.items()]
    cells: Counter[tuple[str, ...]] = Counter()
    total = 0
    for atom, n in published.atoms[family.name].items():
        if not all(_matches(atom[i], codes) for i, codes in filters):
            continue
        total += n
        for group in product(*(_codes(atom[i]) for i in by)):
            cells[group] += n
    return Table(tuple(query.by), dict(cells), total)
