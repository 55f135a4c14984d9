"""Synthetic desks for benchmarks: fictional people, written like real data.

``protectdesk bench generate --tier S|M --as LOGIN --password-file FILE`` fills a database
that holds no case yet (a fresh ``protectdesk init``) with a tier of :data:`TIERS`:

* **Who.** The named account is the first desk's coordinator; the other desks are created
  as ``init`` creates one, each with its own coordinator; every desk gets a second
  coordinator and caseworkers through the real invitations. Every generated account shares
  the named account's password (read from the prompt or the file, never stored): a bench
  database is fictional and made to be measured, never a real desk.
* **What.** Each defender takes a demo defender (``demo_people_*``) as archetype — country,
  region and places, language of the narratives, kind of work and its mix of incident
  types, the actors who threaten them, a plan template — with a fictional name of that
  language (:mod:`protectdesk.benchmarks.names`). How many incidents a case has is drawn
  from a long-tailed distribution (a few cases hold most of the log) scaled to the tier's
  exact total; a case is *calm*, *steady* or *escalating* (the demo's scripted last three
  months); dates cluster in two bursts a year per desk (an election, a harvest) on top of a
  log that thins towards the present. Some cases get a threat assessment, a risk analysis
  and a plan, some incidents a file, a few a source.
* **How.** Through the same encryption and indexing path as real data: cases by
  ``cases.actions.open_cases``, actors, incidents and sources by ``records.create_many``
  (sealed under each case's keys, indexed, audited once per kind and batch), perpetrator
  links in bulk and then the watchers once per case (``records.changed``), so the escalation
  flags and plan reviews are those the forms would give; assessments, analyses, plans and
  files through their own actions. One transaction per caseworker's share of a desk.
* **Deterministic.** The same seed and anchor date (``--anchor``, default today: the last
  day of the log) give the same people, texts, dates and numbers. Ids, nonces and keys are
  random, as they must be.
"""

from __future__ import annotations

import math
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TextIO

from django.db import transaction

from protectdesk.accounts import actions as account_actions
from protectdesk.accounts.models import Role, User
from protectdesk.benchmarks import names
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import userkeys
from protectdesk.demo_generated import DEFENDERS, TEXTS, CaseWriter, Planned, schedule
from protectdesk.demo_people import DemoDefender
from protectdesk.imports.bulk import new_incident
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.models import Actor, Incident, IncidentPerpetrator, IncidentSource
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseStatus
from protectdesk.threats import actions as threat_actions

BATCH = 500  # incidents per create_many


@dataclass(frozen=True)
class Tier:
    """How big a generated desk network is."""

    name: str
    desks: int
    staff_per_desk: int  # two coordinators, the rest caseworkers
    defenders: int
    incidents: int
    plans: float = 0.12  # share of cases with a protection plan …
    risk: float = 0.7  # … of which start from a risk analysis
    assessments: float = 0.15  # share of cases with a threat assessment
    files: float = 0.01  # files per incident
    closed: float = 0.1  # share of cases closed


TIERS = {
    "S": Tier("S", desks=1, staff_per_desk=10, defenders=50, incidents=1_000),
    "M": Tier("M", desks=10, staff_per_desk=20, defenders=5_000, incidents=100_000),
}
EMAIL_DOMAIN = "bench.example"


class BenchError(Exception):
    """The generator refuses: the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    desks: int
    staff: int
    cases: int
    incidents: int
    plans: int
    analyses: int
    assessments: int
    files: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.incidents / self.seconds if self.seconds else 0.0


class Progress:
    """A one-line progress bar with the rate and time left, on a terminal (or every 10 %)."""

    def __init__(self, total: int, out: TextIO | None = None, what: str = "incidents") -> None:
        self.total, self.what, self.out = total, what, out if out is not None else sys.stderr
        self.done, self.started = 0, time.monotonic()
        self._last_tenth = -1
        self._tty = self.out.isatty()

    def add(self, count: int) -> None:
        self.done += count
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        filled = int(30 * self.done / self.total) if self.total else 30
        line = (
            f"[{'#' * filled}{'.' * (30 - filled)}] {self.done:,}/{self.total:,} {self.what}"
            f"  {rate:,.0f}/s  {int(left) // 60}m{int(left) % 60:02d}s left"
        )
        tenth = 10 * self.done // max(1, self.total)
        if self._tty:
            self.out.write("\r" + line)
            if self.done >= self.total:
                self.out.write("\n")
        elif tenth != self._last_tenth:
            self.out.write(line + "\n")
        self._last_tenth = tenth
        self.out.flush()


# --- who ---------------------------------------------------------------------------------


@dataclass
class Staff:
    user: User
    keyring: Keyring


def _login(desk: int, role: str, number: int) -> str:
    return f"{role}{number}.desk{desk}@{EMAIL_DOMAIN}"


def _staff(actor: User, password: str, tier: Tier) -> list[list[User]]:
    """Per desk, its accounts: the coordinators first, then the caseworkers."""
    desks: list[list[User]] = []
    for number in range(1, tier.desks + 1):
        if number == 1:
            coordinator = actor
        else:
            coordinator = account_actions.create_desk(
                name=f"Bench desk {number}",
                country=actor.desk.country,
                languages=list(actor.desk.languages),
                reference_prefix=f"B{number}",
                require_staff_2fa=False,
                coordinator_login=_login(number, "coordinator", 1),
                coordinator_name=f"Coordinator {number}.1 (fictional)",
                coordinator_password=password,
            ).coordinator
        people = [coordinator]
        for index in range(2, tier.staff_per_desk + 1):
            role = Role.COORDINATOR if index == 2 else Role.CASEWORKER
            login = _login(number, "coordinator" if index == 2 else "caseworker", index)
            name = f"{role.label} {number}.{index} (fictional)"
            invitation, token = account_actions.invite(
                actor=coordinator, role=role, login=login, display_name=name
            )
            people.append(
                account_actions.accept_invitation(
                    invitation=invitation, token=token, password=password, display_name=name
                )
            )
        desks.append(people)
    return desks


def _keyring(user: User, password: str) -> Keyring:
    user.refresh_from_db()
    return Keyring(
        user,
        userkeys.open_private_key(bytes(user.sealed_private_key or b""), password, str(user.id)),
    )


# --- what ----------------------------------------------------------------------------------


def incident_counts(total: int, cases: int, rng: random.Random) -> list[int]:
    """``cases`` counts summing to ``total``: long-tailed (log-normal), at least one each."""
    if cases <= 0 or total < cases:
        raise ValueError("every case needs at least one incident")
    weights = [rng.lognormvariate(0.0, 0.9) for _ in range(cases)]
    scale = (total - cases) / sum(weights)
    shares = [w * scale for w in weights]
    counts = [1 + math.floor(s) for s in shares]
    by_remainder = sorted(range(cases), key=lambda i: shares[i] - math.floor(shares[i]))
    for index in by_remainder[::-1][: total - sum(counts)]:
        counts[index] += 1
    return counts


@dataclass(frozen=True)
class PlannedCase:
    index: int
    desk: int
    person: DemoDefender
    also: tuple[int, ...]  # other caseworkers (indexes into the desk's staff)
    owner: int
    assessment: bool


def plan_people(tier: Tier, seed: int) -> list[PlannedCase]:
    """Who the tier's defenders are, desk by desk (no database access)."""
    rng = random.Random(f"protectdesk-bench-{seed}-people")  # noqa: S311 - fictional data
    counts = incident_counts(tier.incidents, tier.defenders, rng)
    caseworkers = range(2, tier.staff_per_desk)  # indexes of a desk's caseworkers
    planned = []
    for index, count in enumerate(counts):
        archetype = DEFENDERS[rng.randrange(len(DEFENDERS))]
        language = archetype.language
        profile = archetype.profile
        if profile.kind == "individual":
            full = names.person(language, rng)
            subject = full.split()[0]
            profile = replace(profile, name=f"{full} (fictional)", aliases="")
        else:
            subject = archetype.subject
            profile = replace(profile, name=f"{profile.name} · {index + 1}")
        roll = rng.random()
        tension = (
            "calm" if roll < 0.25 else "escalating" if roll > 0.92 and count >= 8 else "steady"
        )
        has_plan = rng.random() < tier.plans
        template = archetype.plan
        if template is None:
            template = rng.randrange(len(TEXTS[language].plans))
        owner = rng.choice(caseworkers)
        also = (rng.choice([c for c in caseworkers if c != owner]),) if rng.random() < 0.5 else ()
        person = replace(
            archetype,
            profile=profile,
            subject=subject,
            incidents=count,
            tension=tension,
            status=CaseStatus.CLOSED if rng.random() < tier.closed else CaseStatus.OPEN,
            member_of="",
            also=(),
            plan=template if has_plan else None,
            risk=has_plan and rng.random() < tier.risk,
            attachments=sum(rng.random() < tier.files for _ in range(count)),
        )
        planned.append(
            PlannedCase(
                index=index,
                desk=index % tier.desks,
                person=person,
                also=also,
                owner=owner,
                assessment=rng.random() < tier.assessments,
            )
        )
    return planned


def burst_days(desk: int, seed: int) -> list[int]:
    """Days (before the anchor) around which a desk's incidents cluster: two a year."""
    rng = random.Random(f"protectdesk-bench-{seed}-bursts-{desk}")  # noqa: S311 - fictional data
    return sorted(rng.randint(20, 700) for _ in range(4))


def with_bursts(planned: list[Planned], bursts: Sequence[int], rng: random.Random) -> list[Planned]:
    """About a third of the unscripted incidents moved into a burst (± three weeks)."""
    moved = []
    for item in planned:
        if not item.scripted and rng.random() < 0.33:
            days = max(1, min(729, rng.choice(bursts) + rng.randint(-21, 21)))
            item = replace(item, days_ago=days)
        moved.append(item)
    return sorted(moved, key=lambda p: -p.days_ago)


# --- writing ---------------------------------------------------------------------------------


class Generator:
    def __init__(
        self,
        actor: User,
        password: str,
        tier: Tier,
        seed: int = 1,
        anchor: date | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.actor, self.password, self.tier, self.seed = actor, password, tier, seed
        self.anchor = anchor or date.today()
        self.out = out if out is not None else sys.stderr
        self.counts: dict[str, int] = dict.fromkeys(
            ("plans", "analyses", "assessments", "files"), 0
        )

    def run(self) -> Summary:
        if self.actor.role != Role.COORDINATOR:
            raise BenchError("bench generate acts as a coordinator (the first desk's).")
        if Case.objects.exists():
            raise BenchError(
                "This database already holds cases. Generate into a fresh database "
                "(protectdesk migrate, then protectdesk init) made for benchmarks only."
            )
        started = time.monotonic()
        self.out.write(f"Creating {self.tier.desks * self.tier.staff_per_desk} staff accounts…\n")
        desks = _staff(self.actor, self.password, self.tier)
        keyrings: dict[uuid.UUID, Keyring] = {}
        people = plan_people(self.tier, self.seed)
        progress = Progress(self.tier.incidents, self.out)
        for desk_index, staff in enumerate(desks):
            bursts = burst_days(desk_index, self.seed)
            mine = [p for p in people if p.desk == desk_index]
            for owner_index in sorted({p.owner for p in mine}):
                owner = staff[owner_index]
                if owner.pk not in keyrings:
                    keyrings[owner.pk] = _keyring(owner, self.password)
                share = [p for p in mine if p.owner == owner_index]
                with transaction.atomic():
                    self._write_share(owner, keyrings[owner.pk], staff, share, bursts, progress.add)
        return Summary(
            desks=len(desks),
            staff=sum(map(len, desks)),
            cases=len(people),
            incidents=progress.done,
            seconds=time.monotonic() - started,
            **self.counts,
        )

    def _write_share(
        self,
        owner: User,
        keyring: Keyring,
        staff: list[User],
        share: list[PlannedCase],
        bursts: Sequence[int],
        tick: Callable[[int], None],
    ) -> None:
        """One caseworker's cases of a desk: opened together, then written in batches."""
        cases = case_actions.open_cases(
            actor=owner, keyring=keyring, profiles=[p.person.profile for p in share], keep_keys=True
        )
        writers = []
        for planned, case in zip(share, cases, strict=True):
            writer = CaseWriter(planned.person, planned.index, owner, keyring)
            writer.rng = random.Random(  # noqa: S311 - fictional data
                f"protectdesk-bench-{self.seed}-{planned.index}"
            )
            writer.case = case
            for other in planned.also:
                case_actions.add_member(actor=owner, keyring=keyring, case=case, user=staff[other])
            writers.append(writer)
        self._actors(owner, keyring, writers)
        incidents = self._incidents(owner, keyring, writers, bursts, tick)
        for planned, writer in zip(share, writers, strict=True):
            assert writer.case is not None  # noqa: S101 - narrows the type
            written = incidents[writer.case.id]
            if planned.assessment:
                self._assess(owner, keyring, writer, written)
            if planned.person.plan is not None:
                writer.plan()
                self.counts["plans"] += 1
                self.counts["analyses"] += planned.person.risk
            writer.attach(written)
            self.counts["files"] += min(planned.person.attachments, len(written))
            if planned.person.status != CaseStatus.OPEN:
                case_actions.change_status(
                    actor=owner, keyring=keyring, case=writer.case, status=planned.person.status
                )

    def _actors(self, owner: User, keyring: Keyring, writers: list[CaseWriter]) -> None:
        actors, values = [], []
        for writer in writers:
            assert writer.case is not None  # noqa: S101 - narrows the type
            for item in writer.person.actors:
                actors.append(
                    Actor(
                        case_id=writer.case.id,
                        actor_type=item.actor_type,
                        created_by=owner,
                        stance=item.stance,
                        influence=item.influence,
                    )
                )
                values.append(
                    {"name": item.name, "interests": item.interests, "resources": item.resources}
                )
                writer.actor_ids.append(actors[-1].id)
        records.create_many(owner, keyring, actors, values, audit="actor.created", watch=False)

    def _incidents(
        self,
        owner: User,
        keyring: Keyring,
        writers: list[CaseWriter],
        bursts: Sequence[int],
        tick: Callable[[int], None],
    ) -> dict[uuid.UUID, list[Incident]]:
        """Every incident of the writers' cases, in batches; then links and watchers."""
        pending: list[tuple[Incident, dict[str, Any], incident_actions.IncidentData]] = []
        written: dict[uuid.UUID, list[Incident]] = {}
        links: list[IncidentPerpetrator] = []
        sources: list[tuple[IncidentSource, dict[str, Any]]] = []

        def flush() -> None:
            if not pending:
                return
            records.create_many(
                owner,
                keyring,
                [incident for incident, _texts, _data in pending],
                [texts for _incident, texts, _data in pending],
                audit="incident.created",
                watch=False,
            )
            for incident, _texts, data in pending:
                for entry in data.perpetrators:
                    if entry.actor_id is None:
                        continue  # generated links always name one of the case's actors
                    links.append(
                        IncidentPerpetrator(
                            case_id=incident.case_id,
                            incident=incident,
                            actor_id=entry.actor_id,
                            confidence=entry.confidence,
                            possibly_false=entry.possibly_false,
                        )
                    )
                sources.extend(incident_actions.source_row(incident, s) for s in data.sources)
            tick(len(pending))
            pending.clear()

        for writer in writers:
            assert writer.case is not None  # noqa: S101 - narrows the type
            planned = with_bursts(schedule(writer.person, writer.rng), bursts, writer.rng)
            written[writer.case.id] = []
            for item in planned:
                data = writer.incident_data(item, today=self.anchor)
                incident, texts = new_incident(owner, writer.case.id, data)
                incident.case = writer.case
                pending.append((incident, texts, data))
                written[writer.case.id].append(incident)
                if len(pending) >= BATCH:
                    flush()
        flush()
        IncidentPerpetrator.objects.bulk_create(links, batch_size=BATCH)
        if sources:
            records.create_many(
                owner,
                keyring,
                [row for row, _ in sources],
                [values for _, values in sources],
                audit=None,
                watch=False,
            )
        for incidents in written.values():
            # The watchers see the whole log with its perpetrators, as after the last form.
            records.changed(owner, keyring, incidents[-1])
        return written

    def _assess(
        self, owner: User, keyring: Keyring, writer: CaseWriter, written: list[Incident]
    ) -> None:
        """A threat assessment of the case's most serious incident, through its steps."""
        assert writer.case is not None  # noqa: S101 - narrows the type
        worst = max(written, key=lambda i: (i.severity, i.year, i.month))
        opened = keyring.opened(worst)
        assessment = threat_actions.start_assessment(
            actor=owner,
            keyring=keyring,
            case=writer.case,
            facts=threat_actions.Facts(str(opened.title), str(opened.narrative), (worst.id,)),
        )
        analyses = writer.texts.analyses
        steps: list[threat_actions.StepData] = [
            threat_actions.Pattern(writer.rng.choice(analyses)),
            threat_actions.Objective(
                writer.rng.choice(("stop_work", "force_action", "punish", "intimidate_others"))
            ),
            threat_actions.Source(
                writer.actor_ids[0] if writer.actor_ids else None,
                writer.rng.choice(("likely", "possible")),
                source_notes=writer.rng.choice(analyses),
            ),
            threat_actions.Conclusion(
                "declared" if worst.severity >= 4 else "possible",
                writer.rng.choice(("yes", "unknown")),
                writer.rng.choice(("yes", "unknown", "no")),
                writer.rng.randint(2, 5),
                writer.rng.choice(analyses),
            ),
        ]
        assessment = threat_actions.save_steps(
            actor=owner, keyring=keyring, assessment=assessment, steps=steps
        )
        self.counts["assessments"] += 1
