"""The benchmark harness on the small tier: it generates, measures and reports (no timings
are asserted: speed lives in bench/results, measured by ``protectdesk bench run``)."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from protectdesk.benchmarks import generate, pages, run
from protectdesk.benchmarks.generate import TIERS
from protectdesk.crypto import aead
from protectdesk.incidents.models import Incident, IncidentPerpetrator
from protectdesk.plans.models import PlanVersion
from protectdesk.records.models import Case, CaseMember, SearchToken
from protectdesk.risk.models import Scenario
from protectdesk.threats.models import ThreatAssessment
from tests.conftest import PASSWORD, make_desk

pytestmark = pytest.mark.django_db(transaction=False)
COORDINATOR = generate._login(1, "coordinator", 1)
ANCHOR = date(2026, 11, 30)


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture
def small_tier(password_file: Path) -> Path:
    make_desk("Bench desk 1", "B1", COORDINATOR)
    call_command(
        "bench",
        "generate",
        "--tier=S",
        f"--as={COORDINATOR}",
        f"--password-file={password_file}",
        f"--anchor={ANCHOR.isoformat()}",
    )
    pages._PASSWORD["value"] = PASSWORD
    pages._KEYRINGS.clear()
    return password_file


def test_the_small_tier_is_written_like_real_data(small_tier: Path) -> None:
    tier = TIERS["S"]
    assert Case.objects.count() == tier.defenders
    assert Incident.objects.count() == tier.incidents
    # Through the real path: sealed (no plaintext column), indexed, members, links, plans.
    assert SearchToken.objects.filter(record_type="incidents.incident").count() > tier.incidents
    assert not Incident.objects.filter(narrative=None).exists()
    assert IncidentPerpetrator.objects.exists()
    assert PlanVersion.objects.exists()
    assert Scenario.objects.exists()
    assert ThreatAssessment.objects.exists()
    assert CaseMember.objects.count() > tier.defenders, "some cases have a second member"
    months = set(Incident.objects.values_list("month", flat=True))
    assert len(months) > 12, "two years of incidents, not one day"


def test_the_harness_measures_every_page_and_reports_ratios(
    small_tier: Path, tmp_path: Path
) -> None:
    out = tmp_path / "measured.json"
    pages.measure_here(tier="S", samples=1, password=PASSWORD, out_path=str(out))
    measured = json.loads(out.read_text(encoding="utf-8"))
    names = [page.name for page in pages.page_list(pages.find_subjects())]
    assert list(measured["pages"]) == names
    for name, page in measured["pages"].items():
        assert page["queries"] > 0, name
        assert page["normal"]["median_ms"] > 0, name
        assert page["floor"]["median_ms"] > 0, name
        assert page["third_party_requests"] == 0, name
        if name not in ("dashboard",):
            assert page["decrypted_values"] > 0, f"{name} shows encrypted values"
    assert measured["baseline"]["median_ms"] > 0
    search = measured["search"]
    assert search["plaintext_rows"] == TIERS["S"].incidents
    assert search["blind_index_hits"] > 0
    report = {
        "when": "now",
        "tier": "S",
        "machine": run.machine(),
        "samples": 1,
        "targets": {k: {"what": v[0], "target": v[1]} for k, v in run.TARGETS.items()},
        "ratios": run.ratios({connection.vendor: {"S": measured}}),
    }
    table = run.table(report)
    for name in names:
        assert f"| {name} |" in table
    assert "| plan PDF |" in table and table.count(" – |") >= 1, "a PDF has no page weight"
    assert "*My account*" in table


def test_decryption_short_circuited_decrypts_each_value_once(small_tier: Path) -> None:
    subjects = pages.find_subjects()
    client = pages.signed_in(subjects.caseworker, PASSWORD)
    page = next(p for p in pages.page_list(subjects) if p.name == "case page")
    calls = []
    real = aead.sodium.crypto_aead_xchacha20poly1305_ietf_decrypt

    def counting(*args: bytes) -> bytes:
        calls.append(args)
        return real(*args)

    original = aead.sodium
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(original, "crypto_aead_xchacha20poly1305_ietf_decrypt", counting)
        with pages.short_circuit():
            pages.request(client, page)
            first = len(calls)
            pages.request(client, page)
        assert first > 0
        # The second request decrypts nothing the first did (the session key is new: none).
        assert len(calls) - first <= 1
        pages.request(client, page)
        assert len(calls) - first > first // 2, "outside the block decryption is real again"


def test_the_floor_decrypts_exactly_what_the_page_decrypted(small_tier: Path) -> None:
    subjects = pages.find_subjects()
    client = pages.signed_in(subjects.caseworker, PASSWORD)
    page = next(p for p in pages.page_list(subjects) if p.name == "incident list")
    with pages.recording() as recorded:
        pages.request(client, page)
    private_key = pages._keyring_unlocked(subjects.caseworker)._private_key or b""
    assert recorded.count > 0
    assert pages.floor(recorded, subjects.caseworker, private_key) == recorded.count


def test_generating_is_deterministic_for_a_seed() -> None:
    first = generate.plan_people(TIERS["S"], seed=7)
    again = generate.plan_people(TIERS["S"], seed=7)
    other = generate.plan_people(TIERS["S"], seed=8)
    assert [p.person for p in first] == [p.person for p in again]
    assert [p.person.profile.name for p in first] != [p.person.profile.name for p in other]
    assert sum(p.person.incidents for p in first) == TIERS["S"].incidents


@pytest.mark.parametrize("cases", [1, 7, 50, 5000])
def test_incident_counts_sum_to_the_tier_and_give_every_case_one(cases: int) -> None:
    counts = generate.incident_counts(cases * 20, cases, random.Random(1))  # noqa: S311 - seeded, not a secret
    assert sum(counts) == cases * 20
    assert min(counts) >= 1
    if cases >= 50:
        assert max(counts) > 3 * 20, "long-tailed: some cases hold far more than the mean"


def test_generate_refuses_a_database_that_already_holds_cases(
    small_tier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="already holds cases"):
        call_command(
            "bench", "generate", "--tier=S", f"--as={COORDINATOR}", f"--password-file={small_tier}"
        )


def test_generate_refuses_a_wrong_password(password_file: Path, tmp_path: Path) -> None:
    make_desk("Bench desk 1", "B1", COORDINATOR)
    wrong = tmp_path / "wrong"
    wrong.write_text("not the password at all\n", encoding="utf-8")
    with pytest.raises(CommandError, match="do not match"):
        call_command(
            "bench", "generate", "--tier=S", f"--as={COORDINATOR}", f"--password-file={wrong}"
        )
    assert not Case.objects.exists()
