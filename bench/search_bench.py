"""Encrypted search across 1,000 cases the user is a staff member of.

Reports the time of one search (every case's staff key unwrapped, one token per word per
case, indexed lookups) against a plain indexed query of the same number of rows.
"""

from __future__ import annotations

from bench.timing import median_seconds

CASES = 1000


def run() -> dict[str, float]:
    from protectdesk.accounts import actions
    from protectdesk.cases import actions as case_actions
    from protectdesk.cases.keyring import Keyring
    from protectdesk.cases.models import Case
    from protectdesk.crypto import userkeys
    from protectdesk.search import queries

    password = "search benchmark passphrase"
    created = actions.create_desk(
        name="Search bench",
        country="GT",
        languages=["en"],
        reference_prefix="SB",
        require_staff_2fa=False,
        coordinator_login="search@bench.example",
        coordinator_name="Bench",
        coordinator_password=password,
    )
    user = created.coordinator
    private_key = userkeys.open_private_key(bytes(user.sealed_private_key), password, str(user.id))
    ring = Keyring(user, private_key)
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
            list(Case.objects.filter(desk=created.desk).values_list("reference", "status")[:CASES])
        )

    assert search() == 1
    search_s = median_seconds(search, repeat=5)
    plain_s = median_seconds(plain, repeat=5)
    return {"search1000_ms": search_s * 1e3, "search1000_vs_plain_list_ratio": search_s / plain_s}
