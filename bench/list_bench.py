"""A list of 50 records from 50 different cases: with decryption versus the same query without.

Runs against a temporary database (SQLite by default, PostgreSQL when DATABASE_URL is set) with
production settings, through the real actions.
"""

from __future__ import annotations

from bench.setup import bench_user
from bench.timing import median_seconds

CASES = 50


def run() -> dict[str, float]:
    from django.core.management import call_command

    from protectdesk.cases import actions as case_actions
    from protectdesk.cases import queries
    from protectdesk.cases.models import Defender
    from protectdesk.records.keyring import Keyring

    call_command("migrate", verbosity=0, interactive=False)
    user, private_key, setup_ring = bench_user("bench@bench.example", "BE")
    for index in range(CASES):
        case_actions.open_case(
            actor=user,
            keyring=setup_ring,
            profile=case_actions.DefenderProfile(
                kind="individual",
                country="GT",
                name=f"Defender number {index}",
                description="x" * 400,
            ),
        )

    def plain() -> list[tuple[object, ...]]:
        # The same rows and the same work, without keys: references and statistical codes.
        return [
            (d.case.reference, d.kind, d.country)
            for d in Defender.objects.select_related("case").all()[:CASES]
        ]

    def decrypted() -> list[str]:
        ring = Keyring(user, private_key)  # a fresh request: every case key unwrapped again
        return [str(card.defender.name) for card in queries.my_cases(ring)[:CASES]]

    assert len(decrypted()) == CASES
    plain_s = median_seconds(plain, repeat=9)
    decrypted_s = median_seconds(decrypted, repeat=9)
    return {
        "list50_plain_ms": plain_s * 1e3,
        "list50_decrypted_ms": decrypted_s * 1e3,
        "list50_ratio": decrypted_s / plain_s,
    }
