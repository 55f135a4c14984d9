"""Encrypted search across 1,000 cases the user is a staff member of.

Reports the time of one search (every case's staff key unwrapped, one token per word per
case, indexed lookups) against a plain indexed query of the same number of rows.
"""

from __future__ import annotations

from bench.setup import bench_user
from bench.timing import median_seconds

CASES = 1000


def run() -> dict[str, float]:
    from protectdesk.cases import actions as case_actions
    from protectdesk.records.keyring import Keyring
    from protectdesk.records.models import Case
    from protectdesk.search import queries

    user, private_key, ring = bench_user("search@bench.example", "SB")
    for index in range(CASES):
        notes = "routine follow up meeting with the community council"
        if index == 500:
            notes = "a white pickup without plates parked outside the office"
        case_actions.open_case(
            actor=user,
            keyring=ring,
            profile=case_actions.DefenderProfile(
                kind="individual", country="GT", name=f"Person {index}"
            ),
            staff_notes=notes,
        )

    def search() -> int:
        return queries.search(Keyring(user, private_key), "white pickup").total

    def plain() -> int:
        return len(
            list(Case.objects.filter(desk=user.desk).values_list("reference", "status")[:CASES])
        )

    assert search() == 1
    search_s = median_seconds(search, repeat=5)
    plain_s = median_seconds(plain, repeat=5)
    return {"search1000_ms": search_s * 1e3, "search1000_vs_plain_list_ratio": search_s / plain_s}
