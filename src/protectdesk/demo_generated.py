"""The demo's generated cases: a few hundred incidents over two years, in four languages.

Each defender of :data:`DEFENDERS` (``demo_people_*``) gets a case opened by their owner,
their actors, an incident log drawn from a :class:`random.Random` seeded with the defender's
place in the list (the same log on every run; dates are counted back from the day the demo is
made), a few attachments and, for some, a risk analysis and a protection plan. Everything is
written through the real actions — sealed, indexed and audited like real data; only the
watchers that derive flags from a case run once per case (``records.actions.watchers_deferred``).

What the log looks like is data too: :data:`MIXES` (how often each type of incident happens to
each kind of work), :data:`ESCALATION` (the scripted last three months of an *escalating* case:
surveillance, threats, then an attempt on the defender's life, all by the same actor), and the
weights below for dates, attribution and what the authorities did.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from protectdesk import (
    demo_people_es_pt,
    demo_people_fr_en,
    demo_texts_en,
    demo_texts_es,
    demo_texts_fr,
    demo_texts_pt,
)
from protectdesk.accounts.models import User
from protectdesk.attachments import actions as attachment_actions
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.cases import actions as case_actions
from protectdesk.demo_people import DemoDefender
from protectdesk.demo_plans import demo_image, protect
from protectdesk.demo_protection import DemoMeasure, DemoProtection, DemoScenario
from protectdesk.demo_texts import Texts, Variant, capitalised, fill
from protectdesk.incidents import actions as incident_actions
from protectdesk.incidents.forms import parse_when
from protectdesk.incidents.models import Incident
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseStatus

#: Every generated defender, in the order their cases are opened (collectives first).
DEFENDERS: list[DemoDefender] = [*demo_people_es_pt.DEFENDERS, *demo_people_fr_en.DEFENDERS]

TEXTS: dict[str, Texts] = {
    "es": demo_texts_es.TEXTS,
    "pt": demo_texts_pt.TEXTS,
    "fr": demo_texts_fr.TEXTS,
    "en": demo_texts_en.TEXTS,
}

#: Relative frequency of each incident type, by the kind of work the defender does.
MIXES: dict[str, dict[str, int]] = {
    "land": {
        "surveillance": 10,
        "stalking": 4,
        "intimidation": 10,
        "death_threat": 7,
        "other_threat": 5,
        "stigmatisation": 8,
        "online_harassment": 2,
        "digital_attack": 1,
        "judicial_harassment": 8,
        "arbitrary_detention": 3,
        "physical_attack": 5,
        "raid": 2,
        "property_damage": 6,
        "attack_on_family": 2,
        "economic_pressure": 4,
        "suspicious_event": 7,
        "eviction": 4,
        "attempted_killing": 1,
    },
    "legal": {
        "surveillance": 9,
        "stalking": 5,
        "intimidation": 9,
        "death_threat": 5,
        "other_threat": 4,
        "stigmatisation": 9,
        "online_harassment": 3,
        "digital_attack": 6,
        "judicial_harassment": 10,
        "administrative_restriction": 3,
        "raid": 3,
        "suspicious_event": 6,
        "economic_pressure": 2,
        "attack_on_family": 1,
        "physical_attack": 1,
    },
    "media": {
        "online_harassment": 12,
        "stigmatisation": 10,
        "surveillance": 7,
        "stalking": 5,
        "digital_attack": 8,
        "intimidation": 8,
        "death_threat": 5,
        "other_threat": 4,
        "judicial_harassment": 6,
        "arbitrary_detention": 2,
        "physical_attack": 2,
        "raid": 1,
        "suspicious_event": 5,
        "economic_pressure": 2,
    },
    "women": {
        "online_harassment": 7,
        "stigmatisation": 10,
        "intimidation": 9,
        "other_threat": 5,
        "death_threat": 3,
        "surveillance": 5,
        "raid": 3,
        "property_damage": 3,
        "administrative_restriction": 5,
        "physical_attack": 3,
        "digital_attack": 3,
        "suspicious_event": 5,
        "attack_on_family": 2,
        "economic_pressure": 2,
    },
    "lgbti": {
        "online_harassment": 12,
        "stigmatisation": 10,
        "intimidation": 8,
        "physical_attack": 4,
        "other_threat": 5,
        "death_threat": 3,
        "administrative_restriction": 5,
        "raid": 2,
        "property_damage": 3,
        "digital_attack": 4,
        "arbitrary_detention": 2,
        "suspicious_event": 4,
        "economic_pressure": 3,
    },
    "search": {
        "stigmatisation": 8,
        "intimidation": 9,
        "death_threat": 5,
        "other_threat": 6,
        "surveillance": 7,
        "stalking": 3,
        "administrative_restriction": 3,
        "suspicious_event": 6,
        "online_harassment": 4,
        "physical_attack": 1,
        "property_damage": 2,
    },
    "gangs": {
        "death_threat": 7,
        "other_threat": 6,
        "intimidation": 9,
        "physical_attack": 5,
        "raid": 3,
        "property_damage": 5,
        "eviction": 4,
        "attempted_killing": 1,
        "attack_on_family": 3,
        "surveillance": 5,
        "suspicious_event": 5,
        "economic_pressure": 3,
        "stigmatisation": 2,
    },
}

#: Left out of a *calm* case: declared threats and physical harm (escalation.py's two tags).
THREAT_OR_HARM = frozenset(
    {
        "death_threat",
        "other_threat",
        "arbitrary_detention",
        "physical_attack",
        "raid",
        "property_damage",
        "attack_on_family",
        "eviction",
        "attempted_killing",
    }
)

#: A second type that often comes with the first (about one incident in five).
COMPANIONS = {
    "stalking": "intimidation",
    "surveillance": "intimidation",
    "raid": "property_damage",
    "online_harassment": "stigmatisation",
    "eviction": "property_damage",
    "attack_on_family": "other_threat",
}

#: The last three months of an escalating case, (days ago, type), all by its first actor: more
#: often, more serious, a declared threat and then an attempt on the defender's life.
ESCALATION = (
    (84, "surveillance"),
    (61, "other_threat"),
    (40, "stalking"),
    (24, "intimidation"),
    (13, "death_threat"),
    (3, "attempted_killing"),
)

AUTHORITY = {
    "not_reported": 40,
    "no_response": 18,
    "investigation": 12,
    "dismissed": 10,
    "hostile": 6,
    "protection": 4,
    "unknown": 10,
}
CONFIDENCE = {"confirmed": 15, "likely": 35, "possible": 35, "unknown": 15}
SOURCE_CONNECTIONS = ("victim", "witness", "victim_colleague", "victim_organisation", "reporter")
SOURCE_RELIABILITY = ("highly_reliable", "likely_reliable", "likely_reliable", "unsure")
FILE_NAMES = {
    "es": ("captura-mensaje-{day}.png", "declaracion-{day}.txt"),
    "pt": ("print-mensagem-{day}.png", "declaracao-{day}.txt"),
    "fr": ("capture-message-{day}.png", "declaration-{day}.txt"),
    "en": ("screenshot-message-{day}.png", "statement-{day}.txt"),
}
DAYS = 730  # two years back from the day the demo is made


@dataclass(frozen=True)
class Planned:
    """One incident to write: when, what, and which of the defender's actors (if named)."""

    days_ago: int
    types: tuple[str, ...]
    actor: int | None = None
    scripted: bool = False


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def schedule(person: DemoDefender, rng: random.Random) -> list[Planned]:
    """The defender's incidents, oldest first (dates as days before the demo is made)."""
    mix = MIXES[person.focus]
    if person.tension == "calm":
        mix = {code: weight for code, weight in mix.items() if code not in THREAT_OR_HARM}
    scripted = ESCALATION if person.tension == "escalating" else ()
    earliest = {"calm": 15, "steady": 1, "escalating": 96}[person.tension]
    unnamed = list(range(len(person.actors)))  # a calm case names each actor once at most
    planned = []
    for _ in range(person.incidents - len(scripted)):
        first = _weighted(rng, mix)
        types: tuple[str, ...] = (first,)
        companion = COMPANIONS.get(first)
        if companion and companion in mix and rng.random() < 0.2:
            types = (first, companion)
        actor = None
        if person.tension == "calm":
            if unnamed and rng.random() < 0.3:
                actor = unnamed.pop(0)
        elif person.actors and rng.random() < 0.3:
            # The first actor is the usual suspect: named twice as often as each other one.
            actor = rng.choice([0, *range(len(person.actors))])
        # Skewed towards the past (the log of a case known for a while): the last months hold
        # fewer incidents than a flat spread would, so windows rarely flag by chance alone.
        days = earliest + int((DAYS - 1 - earliest) * rng.random() ** 0.8)
        planned.append(Planned(days, types, actor))
    planned += [Planned(days, (code,), 0, scripted=True) for days, code in scripted]
    return sorted(planned, key=lambda p: -p.days_ago)


def _when(planned: Planned, rng: random.Random, today: date) -> incident_actions.When:
    """An exact date mostly; older incidents are sometimes known only by month or year."""
    day = today - timedelta(days=planned.days_ago)
    roll = rng.random()
    if planned.scripted or planned.days_ago <= 45:
        typed = day.isoformat() if planned.scripted or roll < 0.9 else day.isoformat()[:7]
    elif roll < 0.75:
        typed = day.isoformat()
    elif roll < 0.93:
        typed = day.isoformat()[:7]
    else:
        typed = str(day.year)
    return parse_when(typed)


class CaseWriter:
    """Writes one generated defender's case through the owner's keyring."""

    def __init__(self, person: DemoDefender, index: int, owner: User, keyring: Keyring) -> None:
        self.person = person
        self.texts = TEXTS[person.language]
        # Seeded per defender: a defender added at the end of the list changes no other log.
        self.rng = random.Random(f"protectdesk-demo-{index}")  # noqa: S311 - demo data only
        self.owner = owner
        self.keyring = keyring
        self.turns: dict[str, int] = {}  # incident type → next variant, so titles vary
        self.case: Case | None = None
        self.actor_ids: list[uuid.UUID] = []

    # --- the case ------------------------------------------------------------------------

    def open(self, users: dict[str, User], collectives: dict[str, Case]) -> Case:
        person, owner, keyring = self.person, self.owner, self.keyring
        case = case_actions.open_case(
            actor=owner, keyring=keyring, profile=person.profile, staff_notes=person.staff_notes
        )
        self.case = case
        for login in person.also:
            case_actions.add_member(actor=owner, keyring=keyring, case=case, user=users[login])
        if person.status != CaseStatus.OPEN:
            case_actions.change_status(
                actor=owner, keyring=keyring, case=case, status=person.status
            )
        case_actions.record_consent(
            actor=owner,
            keyring=keyring,
            case=case,
            choice=case_actions.ConsentChoice(
                True,
                self.rng.random() < 0.3,
                True,
                self.rng.random() < 0.5,
                date.today() - timedelta(days=self.rng.randint(30, DAYS)),
            ),
        )
        if person.member_of:
            case_actions.link_defender(
                actor=owner, keyring=keyring, case=case, collective=collectives[person.member_of]
            )
        for item in person.actors:
            self.actor_ids.append(
                incident_actions.add_actor(
                    actor=owner,
                    keyring=keyring,
                    case=case,
                    actor_type=item.actor_type,
                    name=item.name,
                    profile=incident_actions.ActorProfile(
                        stance=item.stance,
                        influence=item.influence,
                        interests=item.interests,
                        resources=item.resources,
                    ),
                ).id
            )
        return case

    def write(self) -> list[Incident]:
        """The incident log; the plan (if any) is made before the last two incidents, so a
        serious one logged after it can mark it for early review."""
        planned = schedule(self.person, self.rng)
        written: list[Incident] = []
        for number, item in enumerate(planned):
            if self.person.plan is not None and number == len(planned) - 2:
                self.plan()
            written.append(self.incident(item))
        self.attach(written)
        return written

    # --- incidents -----------------------------------------------------------------------

    def _variant(self, code: str) -> Variant:
        told = self.texts.variants[code]
        variants = [v for v in told if not v.only or self.person.focus in v.only] or told
        turn = self.turns.get(code, self.rng.randrange(len(variants)))
        self.turns[code] = turn + 1
        return variants[turn % len(variants)]

    def _slots(self, variant: Variant) -> dict[str, str]:
        rng, person = self.rng, self.person
        return {
            "subject": person.subject,
            "group": person.group,
            "place": rng.choice(person.places[variant.where]),
            "who": rng.choice(self.texts.who),
            "time": "",
        }

    def incident(self, item: Planned) -> Incident:
        assert self.case is not None  # noqa: S101 - open() comes first
        return incident_actions.log_incident(
            actor=self.owner, keyring=self.keyring, case=self.case, data=self.incident_data(item)
        )

    def incident_data(
        self, item: Planned, today: date | None = None
    ) -> incident_actions.IncidentData:
        """What the form would be given for ``item``: texts from the language's templates."""
        rng, texts, person, language = self.rng, self.texts, self.person, self.person.language
        today = today or date.today()
        variant = self._variant(item.types[0])
        slots = self._slots(variant)
        phrase, first_hour, last_hour = rng.choice(texts.times)
        slots["time"] = phrase
        if "{time}" not in variant.narrative:
            first_hour, last_hour = 9, 19  # the narrative does not say: office hours
        when = _when(item, rng, today)
        exact_time = ""
        if when.precision == "exact" and rng.random() < 0.3:
            exact_time = (
                f"{rng.randint(first_hour, last_hour):02d}:{rng.choice((0, 15, 30, 45)):02d}"
            )
        nature = variant.nature
        if len(item.types) > 1 and nature == "physical":
            second = self._variant(item.types[1]).nature
            nature = "both" if second == "digital" else nature
        kind = "digital" if nature == "digital" else "physical"
        reacted = rng.random() < (0.65 if item.days_ago > 20 else 0.35)
        analysed = rng.random() < (0.45 if item.days_ago > 30 else 0.2)
        authority = _weighted(rng, AUTHORITY)
        details = texts.authority.get(authority, ())
        collective = person.profile.kind != "individual"
        affected = {"colleagues" if person.profile.kind != "community" else "community"}
        if not collective or rng.random() < 0.5:
            affected.add("defender")
        if "attack_on_family" in item.types or (not collective and rng.random() < 0.1):
            affected.add("family")
        severity = None
        if rng.random() < 0.08:
            derived = incident_actions.derived_severity(item.types)
            severity = max(1, min(5, derived + rng.choice((-1, 1))))
        perpetrators: tuple[incident_actions.PerpetratorEntry, ...] = ()
        if item.actor is not None:
            perpetrators = (
                incident_actions.PerpetratorEntry(
                    actor_id=self.actor_ids[item.actor],
                    confidence="likely" if item.scripted else _weighted(rng, CONFIDENCE),
                    possibly_false=rng.random() < 0.05,
                ),
            )
        sources: tuple[incident_actions.SourceEntry, ...] = ()
        if rng.random() < 0.06:
            sources = (
                incident_actions.SourceEntry(
                    rng.choice(SOURCE_CONNECTIONS),
                    rng.choice(SOURCE_RELIABILITY),
                    fill(language, rng.choice(texts.sources), slots),
                ),
            )
        subdivision = person.profile.subdivision
        if person.regions and rng.random() < 0.15:
            subdivision = rng.choice(person.regions)
        return incident_actions.IncidentData(
            when=when,
            country=person.profile.country,
            subdivision=subdivision,
            exact_time=exact_time,
            title=capitalised(fill(language, variant.title, slots)),
            narrative=fill(language, variant.narrative, slots),
            types=item.types,
            nature=nature,
            place=capitalised(slots["place"]) if "{place}" in variant.narrative else "",
            consequences=(
                fill(language, rng.choice(texts.consequences[kind]), slots)
                if rng.random() < 0.4
                else ""
            ),
            affected=tuple(sorted(affected)),
            authority_response=authority,
            authority_details=(
                fill(language, rng.choice(details), slots) if details and rng.random() < 0.6 else ""
            ),
            reaction=(fill(language, rng.choice(texts.reactions[kind]), slots) if reacted else ""),
            analysis=fill(language, rng.choice(texts.analyses), slots) if analysed else "",
            severity=severity,
            perpetrators=perpetrators,
            sources=sources,
        )

    # --- files and plans -----------------------------------------------------------------

    def attach(self, written: list[Incident]) -> None:
        """Files on the most serious recent incidents: a drawn screenshot of a digital threat,
        or the defender's written statement."""
        if not self.person.attachments:
            return
        assert self.case is not None  # noqa: S101 - narrows the type
        chosen = sorted(written, key=lambda i: (i.severity, i.created_at), reverse=True)
        screenshot_name, statement_name = FILE_NAMES[self.person.language]
        for incident in chosen[: self.person.attachments]:
            opened = self.keyring.opened(incident)
            day = opened.exact_date or incident.month or str(incident.year)
            if incident.nature == "digital":
                name, data = screenshot_name, demo_image(self.texts.screenshot)
            else:
                name = statement_name
                data = self.texts.statement.format(
                    title=opened.title, day=day, narrative=opened.narrative
                ).encode("utf-8")
            attachment_actions.add_attachment(
                actor=self.owner,
                keyring=self.keyring,
                case=self.case,
                record_type="incidents.incident",
                record_id=incident.id,
                upload=encrypt_bytes(name.format(day=day), data),
                staff_only=False,
            )

    def plan(self) -> None:
        """A first plan from the language's template, with a risk analysis if ``risk``."""
        person, texts, language = self.person, self.texts, self.person.language
        assert self.case is not None  # noqa: S101 - narrows the type
        assert person.plan is not None  # noqa: S101 - narrows the type
        template = texts.plans[person.plan]
        slots = {"subject": person.subject, "group": person.group}
        dues = (-8, -2, 6, 14, 30, 45, None)
        protect(
            DemoProtection(
                scenarios=(
                    (
                        DemoScenario(
                            template.scenario,
                            template.threat,
                            template.likelihood,
                            template.impact,
                            template.components,
                        ),
                    )
                    if person.risk
                    else ()
                ),
                objectives=(
                    fill(language, template.objectives[0], slots),
                    fill(language, template.objectives[1], slots),
                    fill(language, template.objectives[2], slots),
                ),
                measures=tuple(
                    DemoMeasure(
                        fill(language, description, slots),
                        strategy,
                        fill(language, owner, slots),
                        due_in_days=self.rng.choice(dues),
                        owner_is_defender=owner == "{Subject}",
                        status="under_way" if number == 0 else "planned",
                    )
                    for number, (description, strategy, owner) in enumerate(template.measures)
                ),
                protocols=template.protocols,
                contingencies=template.contingencies,
                decider=texts.decider,
                language=language,
                contact=texts.contact,
            ),
            self.owner,
            self.keyring,
            self.case,
        )


def create_generated(users: dict[str, User], keyrings: dict[str, Keyring]) -> list[Case]:
    """Open every generated case, in :data:`DEFENDERS` order; returns the cases."""
    collectives: dict[str, Case] = {}
    cases = []
    for index, person in enumerate(DEFENDERS):
        owner, keyring = users[person.owner], keyrings[person.owner]
        writer = CaseWriter(person, index, owner, keyring)
        case = writer.open(users, collectives)
        collectives[str(person.profile.name)] = case
        with records.watchers_deferred():
            writer.write()
        cases.append(case)
    return cases
