"""Timing the listed pages of a generated tier, inside one process on its database.

``protectdesk bench measure`` (the runner's child, one per tier and database) signs in as
the first desk's coordinator and as the caseworker who owns the first Spanish-language case
with a risk analysis and a plan, through the real login form, and times each page of
:func:`page_list` with Django's test client: the request goes through every middleware, the
view, the templates and the database, with no network and no browser, so what is measured is
the server's time. Three requests warm each page up; then ``samples`` timed requests give the
median and the 95th percentile (nearest rank).

Three more numbers per page, each from the same process and data:

* **decryption off** — the same requests with decryption *short-circuited* (:func:`short_circuit`):
  every symmetric decryption (field envelopes, the session's private key) and every sealed-box
  opening (case keys) answered from a table filled by one earlier request. Only this process is
  patched, and only inside the ``with`` block; nothing about the product changes.
* **floor** — what any design must at least do to show the page: one raw SQL query per table
  fetching exactly the encrypted values the page decrypted (recorded by :func:`recording`), the
  case keys opened from their sealed boxes, and each value decrypted with libsodium. A page
  that decrypts nothing (the coordinator's dashboard: clear fields only) has its own reads
  replayed as raw SQL instead.
* **weight** — bytes of the HTML and of the style sheets it links, and requests to other hosts.
"""

from __future__ import annotations

import functools
import json
import re
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from protectdesk.accounts.models import User
from protectdesk.benchmarks.generate import TIERS, _login
from protectdesk.cases.models import Defender
from protectdesk.crypto import aead, casekeys, envelope, userkeys
from protectdesk.crypto.casekeys import Purpose
from protectdesk.incidents.models import Incident
from protectdesk.plans.models import PlanVersion
from protectdesk.records import keyring as keyring_module
from protectdesk.records.keyring import Keyring, case_id_of, encrypted_fields_of
from protectdesk.records.models import Case, CaseKeyBox
from protectdesk.risk.models import RiskAnalysis, Scenario

WARM_UP = 3

#: A word of the Spanish narratives, in a few percent of them (the keyword search).
SEARCH_WORD = "vehículo"


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # "coordinator" | "caseworker"
    url: str
    data: dict[str, Any] | None = None  # POST when given


@dataclass
class Subjects:
    coordinator: User
    caseworker: User
    case: Case
    incident: Incident
    analysis: RiskAnalysis


def find_subjects() -> Subjects:
    """The case every case-level page shows: the first Spanish-language case (by reference)
    of the first desk with a risk analysis with scenarios and a plan."""
    coordinator = User.objects.get(login=_login(1, "coordinator", 1))
    planned = set(PlanVersion.objects.values_list("case_id", flat=True))
    analysed = set(Scenario.objects.values_list("case_id", flat=True))
    for case in Case.objects.filter(desk=coordinator.desk).order_by("reference"):
        if case.id not in planned or case.id not in analysed:
            continue
        owner = case.created_by
        keyring = _keyring_unlocked(owner)
        defender = Defender.objects.get(case=case)
        if not re.search(r"[áéíóúñ]", str(keyring.opened(defender).description)):
            continue
        incident = (
            Incident.objects.filter(case=case).order_by("-year", "-month", "-created_at").first()
        )
        analysis = RiskAnalysis.objects.filter(case=case).order_by("-created_at").first()
        if incident is None or analysis is None:
            continue
        return Subjects(coordinator, owner, case, incident, analysis)
    raise LookupError("no Spanish case with a risk analysis and a plan: generate a tier first")


_PASSWORD: dict[str, str] = {}
_KEYRINGS: dict[uuid.UUID, Keyring] = {}


def _keyring_unlocked(user: User) -> Keyring:
    if user.pk not in _KEYRINGS:
        private_key = userkeys.open_private_key(
            bytes(user.sealed_private_key or b""), _PASSWORD["value"], str(user.id)
        )
        _KEYRINGS[user.pk] = Keyring(user, private_key)
    return _KEYRINGS[user.pk]


def page_list(subjects: Subjects) -> list[Page]:
    case, incident, analysis = subjects.case, subjects.incident, subjects.analysis
    defender_country = Defender.objects.get(case=case).country
    return [
        Page("dashboard", "coordinator", "/"),
        Page("incident list", "caseworker", "/incidents/"),
        Page(
            "incident list, filtered",
            "caseworker",
            "/incidents/",
            {"types": list(incident.types[:1]), "country": defender_country, "severity_min": 2},
        ),
        Page("keyword search", "caseworker", "/search/", {"query": SEARCH_WORD}),
        Page("case page", "caseworker", reverse("cases:detail", args=[case.id])),
        Page(
            "incident page", "caseworker", reverse("incidents:detail", args=[case.id, incident.id])
        ),
        Page(
            "risk analysis page",
            "caseworker",
            reverse("risk:analysis", args=[case.id, analysis.id]),
        ),
        Page("plan page", "caseworker", reverse("plans:plan", args=[case.id])),
        Page("plan PDF", "caseworker", reverse("plans:pdf", args=[case.id])),
    ]


def signed_in(user: User, password: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")  # a host the settings allow
    response = client.post("/login/", {"login": user.login, "password": password})
    if response.status_code != 302 or not client.cookies.get("pd_key"):
        raise RuntimeError(f"signing in as {user.login} failed ({response.status_code})")
    return client


def request(client: Client, page: Page) -> Any:
    response = client.get(page.url) if page.data is None else client.post(page.url, page.data)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: status {response.status_code}")
    if getattr(response, "streaming", False):
        b"".join(getattr(response, "streaming_content"))  # noqa: B009
    return response


def timings(call: Callable[[], Any], samples: int) -> dict[str, float]:
    """Median and p95 (nearest rank) in milliseconds of ``samples`` calls after warm-up."""
    for _ in range(WARM_UP):
        call()
    seen = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        seen.append((time.perf_counter() - started) * 1000)
    seen.sort()
    return {
        "median_ms": statistics.median(seen),
        "p95_ms": seen[min(len(seen) - 1, max(0, round(0.95 * len(seen)) - 1))],
    }


# --- decryption short-circuited ---------------------------------------------------------------


class _MemoSodium:
    """``nacl.bindings`` as the ``aead`` module sees it, with the AEAD decryption memoised."""

    def __init__(self, real: Any, table: dict[tuple[bytes, ...], bytes]) -> None:
        self._real, self._table = real, table

    def crypto_aead_xchacha20poly1305_ietf_decrypt(
        self, ciphertext: bytes, ad: bytes, nonce: bytes, key: bytes
    ) -> bytes:
        index = (bytes(ciphertext), bytes(ad), bytes(nonce), bytes(key))
        if index not in self._table:
            self._table[index] = self._real.crypto_aead_xchacha20poly1305_ietf_decrypt(
                ciphertext, ad, nonce, key
            )
        return self._table[index]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@contextmanager
def short_circuit() -> Iterator[None]:
    """Inside the block, each decryption is done once and then answered from a table."""
    aead_table: dict[tuple[bytes, ...], bytes] = {}
    box_table: dict[tuple[bytes, bytes], bytes] = {}
    real_sodium, real_open = getattr(aead, "sodium"), userkeys.open_sealed  # noqa: B009

    def open_sealed(private_key: bytes, box: bytes) -> bytes:
        index = (bytes(private_key), bytes(box))
        if index not in box_table:
            box_table[index] = real_open(private_key, box)
        return box_table[index]

    setattr(aead, "sodium", _MemoSodium(real_sodium, aead_table))  # noqa: B010
    userkeys.open_sealed = open_sealed
    try:
        yield
    finally:
        setattr(aead, "sodium", real_sodium)  # noqa: B010
        userkeys.open_sealed = real_open


# --- the floor ----------------------------------------------------------------------------------


@dataclass
class Recorded:
    """The encrypted values one request decrypted: table → record id → field names."""

    values: dict[str, dict[uuid.UUID, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    cases: dict[tuple[str, uuid.UUID], uuid.UUID] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(fields) for rows in self.values.values() for fields in rows.values())


@contextmanager
def recording() -> Iterator[Recorded]:
    recorded = Recorded()
    real = Keyring.open_value

    def open_value(self: Keyring, record: Any, name: str) -> Any:
        spec = encrypted_fields_of(type(record))[name]
        if getattr(record, spec.attname) is not None:
            table = record._meta.db_table
            recorded.values[table][record.pk].add(spec.column)
            recorded.cases[(table, record.pk)] = case_id_of(record)
        return real(self, record, name)

    keyring_module.Keyring.open_value = open_value  # type: ignore[method-assign]
    try:
        yield recorded
    finally:
        keyring_module.Keyring.open_value = real  # type: ignore[method-assign]


def floor(recorded: Recorded, user: User, private_key: bytes) -> int:
    """Fetch the recorded values with raw SQL and decrypt them; returns how many."""
    case_ids = sorted(set(recorded.cases.values()), key=str)
    if not case_ids:
        return 0
    quote = connection.ops.quote_name
    keys: dict[tuple[uuid.UUID, int, int], bytes] = {}
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(case_ids))
        cursor.execute(
            f"SELECT case_id, purpose, version, sealed FROM {quote(CaseKeyBox._meta.db_table)} "  # noqa: S608 - quoted catalogue names
            f"WHERE recipient_id = %s AND case_id IN ({placeholders})",
            [_db_id(user.pk), *(_db_id(c) for c in case_ids)],
        )
        boxes = cursor.fetchall()
        for case_id, purpose, version, sealed in boxes:
            case_uuid = _uuid(case_id)
            keys[(case_uuid, int(purpose), int(version))] = casekeys.open_case_key(
                private_key, bytes(sealed), case_uuid, Purpose(purpose), int(version)
            )
        opened = 0
        for table, rows in recorded.values.items():
            columns = sorted(set().union(*rows.values()))
            ids = list(rows)
            cursor.execute(
                f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608 - quoted catalogue names
                f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
                [_db_id(i) for i in ids],
            )
            for row in cursor.fetchall():
                record_id = _uuid(row[0])
                case_id = recorded.cases[(table, record_id)]
                for column, blob in zip(columns, row[1:], strict=True):
                    if blob is None or column not in rows[record_id]:
                        continue
                    header = envelope.parse(bytes(blob))
                    key = keys[(case_id, int(header.purpose), header.key_version)]
                    place = envelope.Place(table, column, record_id, case_id)  # column = field
                    envelope.unseal(key, place, bytes(blob))
                    opened += 1
    return opened


def replay(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql.replace("%", "%%"))
            cursor.fetchall()


def _db_id(value: uuid.UUID) -> Any:
    return value if connection.vendor == "postgresql" else value.hex


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# --- weight -------------------------------------------------------------------------------------

_LINKS = re.compile(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')
_EXTERNAL = re.compile(rb'(?:src|href|action)="(?:https?:)?//', re.IGNORECASE)


def weight(response: Any) -> dict[str, int]:
    if (
        getattr(response, "streaming", False)
        or response["Content-Type"] != "text/html; charset=utf-8"
    ):
        return {"html_bytes": 0, "css_bytes": 0, "third_party_requests": 0}
    html = response.content
    css = 0
    for href in _LINKS.findall(html):
        path = finders.find(href.decode().split("?")[0].removeprefix("/static/"))
        css += Path(str(path)).stat().st_size if path else 0
    return {
        "html_bytes": len(html),
        "css_bytes": css,
        "third_party_requests": len(_EXTERNAL.findall(html)),
    }


# --- one tier ------------------------------------------------------------------------------------


def measure_here(*, tier: str, samples: int, password: str, out_path: str) -> None:
    """Measure every page of this database's tier and write the numbers as JSON."""
    _PASSWORD["value"] = password
    from protectdesk.threats import actions as threat_actions

    threat_actions.refresh_all_flags()  # as `protectdesk serve` does at start
    subjects = find_subjects()
    clients = {
        "coordinator": signed_in(subjects.coordinator, password),
        "caseworker": signed_in(subjects.caseworker, password),
    }
    users = {"coordinator": subjects.coordinator, "caseworker": subjects.caseworker}
    results: dict[str, Any] = {
        "tier": tier,
        "database": connection.vendor,
        "rows": {
            "cases": Case.objects.count(),
            "incidents": Incident.objects.count(),
            "users": User.objects.count(),
        },
        "size": TIERS[tier].incidents,
        "pages": {},
    }
    for page in page_list(subjects):
        client = clients[page.who]
        call = functools.partial(request, client, page)
        with CaptureQueriesContext(connection) as queries:
            response = call()
        # Kept now: the next request's request_started signal empties the connection's log.
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        entry: dict[str, Any] = {"queries": len(queries), **weight(response)}
        entry["normal"] = timings(call, samples)
        with short_circuit():
            entry["decryption_off"] = timings(call, samples)
        with recording() as recorded:
            call()
        user = users[page.who]
        private_key = _keyring_unlocked(user)._private_key or b""
        entry["decrypted_values"] = recorded.count
        if recorded.count:
            entry["floor"] = timings(functools.partial(floor, recorded, user, private_key), samples)
        else:  # clear fields only (the dashboard): its own reads, replayed as raw SQL
            entry["floor"] = timings(functools.partial(replay, reads), samples)
        results["pages"][page.name] = entry
    # For scale: a signed-in page that shows no case data (middleware, session, the key from
    # the cookie, a template), the share of every page no query or decryption explains.
    account = Page("my account", "caseworker", reverse("accounts:account"))
    results["baseline"] = timings(
        functools.partial(request, clients["caseworker"], account), samples
    )
    results["search"] = search_versus_like(subjects, samples)
    Path(out_path).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def search_versus_like(subjects: Subjects, samples: int) -> dict[str, Any]:
    from protectdesk.benchmarks.plaintext import like_search, plaintext_copy
    from protectdesk.search import queries

    keyring = _keyring_unlocked(subjects.caseworker)
    blind = timings(lambda: queries.search(keyring, SEARCH_WORD), samples)
    hits = queries.search(keyring, SEARCH_WORD).total
    with plaintext_copy(_keyring_unlocked) as plain:
        member_cases = [str(c) for c in queries.searchable_cases(keyring)]
        like = timings(lambda: like_search(plain, SEARCH_WORD, member_cases), samples)
        like_hits = like_search(plain, SEARCH_WORD, member_cases)[0]
        rows = plain.execute("SELECT count(*) FROM incident").fetchone()[0]
    return {
        "word": SEARCH_WORD,
        "blind_index": blind,
        "blind_index_hits": hits,
        "like_scan": like,
        "like_scan_hits": like_hits,
        "plaintext_rows": rows,
    }
