"""The demo desk's capacity building: two workshops with participants, their self-assessments
before and after, and coaching follow-ups, written through the training module's actions.

Everyone here is fictional. The first workshop, for the Río Verde community council, is run by
the trainer with the caseworker who accompanies the community: its spokesperson takes part as
a linked defender (the caseworker sees her name, the trainer her case reference), and one of
her coaching actions has become a measure of her protection plan. The second, for women
journalists, is the trainer's alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.library.models import Resource
from protectdesk.plans import actions as plan_actions
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.training import actions
from protectdesk.training.models import Participant, Workshop

#: The shipped questionnaire's statements, in order (scores below follow this order).
STATEMENTS = (
    "analyse_risk",
    "assess_threat",
    "react_incident",
    "protect_devices",
    "manage_stress",
    "follow_plan",
    "organisation_security",
)


@dataclass(frozen=True)
class DemoParticipant:
    name: str = ""
    linked: str = ""  # the defender's name in the demo cases: linked to that case
    organisation: str = ""
    contacts: str = ""
    gender: str = ""
    age_band: str = ""
    sector: str = ""
    kind: str = "individual"
    before: tuple[int | None, ...] = ()
    after: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class DemoWorkshop:
    topic: str
    starts_on: datetime.date
    ends_on: datetime.date
    subdivision: str
    venue: str
    modules: tuple[str, ...]
    methods: str
    materials: tuple[str, ...]  # library slugs
    participants: tuple[DemoParticipant, ...]


RIO_VERDE = DemoWorkshop(
    topic="Security workshop for the Río Verde community council (fictional)",
    starts_on=datetime.date(2026, 9, 14),
    ends_on=datetime.date(2026, 9, 15),
    subdivision="GT-16",
    venue="Parish hall of Río Verde, side room (fictional)",
    modules=("risk_analysis", "threat_assessment", "incidents", "security_wheel"),
    methods="Risk map drawn on the floor with the council; threat cases from the last year read "
    "in small groups; the organisational security wheel scored together.",
    materials=(
        "risk-in-three-questions",
        "reading-a-threat",
        "after-an-incident",
        "turning-the-wheel",
    ),
    participants=(
        DemoParticipant(
            linked="Rosa Caal (fictional)",
            organisation="Río Verde community council",
            before=(2, 2, 1, 2, 2, 1, 2),
            after=(4, 3, 4, 3, 3, 3, 4),
        ),
        DemoParticipant(
            "Tomás Ical (fictional)",
            organisation="Río Verde community council",
            contacts="Through the community radio",
            gender="man",
            age_band="45-59",
            sector="land_environment",
            before=(2, 1, 2, 1, 3, 1, 2),
            after=(3, 3, 3, 2, 3, 2, 3),
        ),
        DemoParticipant(
            "Marta Choc (fictional)",
            organisation="Río Verde women's committee",
            gender="woman",
            age_band="30-44",
            sector="land_environment",
            before=(1, 2, 1, 1, 2, 1, 1),
            after=(3, 3, 3, 2, 3, 2, 3),
        ),
        DemoParticipant(
            "Lucas Xol (fictional)",
            organisation="Río Verde youth group",
            gender="man",
            age_band="18-29",
            sector="indigenous_peoples",
            before=(2, 2, 2, 3, 2, 1, 2),
            after=(3, 2, 4, 4, 3, 2, 3),
        ),
        DemoParticipant(
            "Elena Pop (fictional)",
            organisation="Río Verde community council",
            gender="woman",
            age_band="60+",
            sector="land_environment",
            before=(3, 2, 2, 1, None, 2, 3),
            after=(3, 3, 3, 2, None, 2, 3),
        ),
        DemoParticipant(
            "Andrés Caal (fictional)",
            organisation="Río Verde community council",
            gender="man",
            age_band="30-44",
            sector="land_environment",
            before=(2, 2, 1, 2, 2, 2, 2),
        ),  # left on the first day: no self-assessment after
    ),
)

JOURNALISTS = DemoWorkshop(
    topic="Digital security for women journalists (fictional)",
    starts_on=datetime.date(2026, 10, 20),
    ends_on=datetime.date(2026, 10, 20),
    subdivision="GT-01",
    venue="Meeting room of a press association, Guatemala City (fictional)",
    modules=("digital_security", "wellbeing"),
    methods="Phones on the table: each participant locks hers, checks her backups and sets "
    "disappearing messages; a closing circle on stress after online attacks.",
    materials=("phones-at-checkpoints", "rest-is-protection"),
    participants=tuple(
        DemoParticipant(
            name,
            organisation=outlet,
            gender="woman",
            age_band=age,
            sector="journalism_media",
            before=before,
            after=after,
        )
        for name, outlet, age, before, after in (
            (
                "Sofía Ramírez (fictional)",
                "Community radio",
                "30-44",
                (3, 2, 2, 1, 2, 2, 2),
                (3, 3, 3, 4, 3, 3, 2),
            ),
            (
                "Valeria Tzoc (fictional)",
                "Online newspaper",
                "18-29",
                (2, 2, 2, 2, 2, 1, 2),
                (3, 2, 3, 4, 3, 2, 2),
            ),
            (
                "Gabriela Luna (fictional)",
                "Freelance",
                "30-44",
                (3, 3, 2, 2, 1, 2, 1),
                (3, 3, 3, 3, 2, 2, 1),
            ),
            (
                "Inés Morales (fictional)",
                "Regional weekly",
                "45-59",
                (2, 2, 1, 1, 2, 1, 2),
                (2, 3, 2, 3, 3, 2, 2),
            ),
            (
                "Lucía Ajú (fictional)",
                "Indigenous women's radio",
                "18-29",
                (1, 1, 1, 1, 2, 1, 1),
                (3, 2, 2, 3, 3, 2, 2),
            ),
        )
    ),
)


def _answers(scores: tuple[int | None, ...]) -> dict[str, int]:
    return {code: score for code, score in zip(STATEMENTS, scores, strict=False) if score}


def _run(
    workshop: DemoWorkshop,
    trainer: User,
    keyring: Keyring,
    cases: dict[str, Case],
    resources: dict[str, Resource],
) -> tuple[Workshop, dict[str, Participant]]:
    made = actions.create_workshop(
        actor=trainer,
        keyring=keyring,
        data=actions.WorkshopData(
            topic=workshop.topic,
            starts_on=workshop.starts_on,
            ends_on=workshop.ends_on,
            country="GT",
            subdivision=workshop.subdivision,
            venue=workshop.venue,
            modules=workshop.modules,
            methods=workshop.methods,
            materials=tuple(
                ("", resources[slug].id) for slug in workshop.materials if slug in resources
            ),
        ),
    )
    people: dict[str, Participant] = {}
    for person in workshop.participants:
        participant = actions.add_participant(
            actor=trainer,
            keyring=keyring,
            workshop=made,
            data=actions.ParticipantData(
                name=person.name,
                organisation=person.organisation,
                contacts=person.contacts,
                case_reference=cases[person.linked].reference if person.linked else "",
                gender=person.gender,
                age_band=person.age_band,
                sector=person.sector,
                defender_kind=person.kind,
                counted=True,
            ),
        )
        people[person.name or person.linked] = participant
        for phase, scores, day in (
            ("pre", person.before, workshop.starts_on),
            ("post", person.after, workshop.ends_on),
        ):
            if scores:
                actions.record_assessment(
                    actor=trainer,
                    keyring=keyring,
                    participant=participant,
                    phase=phase,
                    answers=_answers(scores),
                    filled_on=day,
                )
    return made, people


def create_training(
    trainer: User,
    trainer_keyring: Keyring,
    caseworker: User,
    caseworker_keyring: Keyring,
    cases: dict[str, Case],
) -> int:
    """The demo's two workshops; returns how many participants they have."""
    resources = {r.slug: r for r in Resource.objects.filter(desk_id=trainer.desk_id)}
    rio_verde, people = _run(RIO_VERDE, trainer, trainer_keyring, cases, resources)
    actions.add_trainer(actor=trainer, keyring=trainer_keyring, workshop=rio_verde, user=caseworker)
    rosa = people["Rosa Caal (fictional)"]
    first = actions.save_coaching(
        actor=caseworker,
        keyring=caseworker_keyring,
        participant=rosa,
        data=actions.CoachingData(
            held_on=datetime.date(2026, 10, 6),
            notes="Rosa tried the alert signal with the council: two of five members answered "
            "within the hour. The radio announcer can relay it at night.",
            actions=(
                "Agree a second alert signal with the community radio for nights.",
                "Keep a copy of the criminal complaint documents outside the community.",
            ),
        ),
    )
    if plan_actions.current(cases["Rosa Caal (fictional)"]) is not None:
        actions.action_to_measure(
            actor=caseworker, keyring=caseworker_keyring, session=first, index=0
        )
    actions.save_coaching(
        actor=trainer,
        keyring=trainer_keyring,
        participant=people["Marta Choc (fictional)"],
        data=actions.CoachingData(
            held_on=datetime.date(2026, 10, 8),
            notes="Marta now logs each incident of the women's committee in the notebook from "
            "the workshop; she wants help to talk about stress with the younger women.",
            actions=("Share the well-being guide with the women's committee.",),
            next_on=timezone.localdate() + datetime.timedelta(days=5),
        ),
    )
    _journalists, others = _run(JOURNALISTS, trainer, trainer_keyring, cases, resources)
    actions.save_coaching(
        actor=trainer,
        keyring=trainer_keyring,
        participant=others["Lucía Ajú (fictional)"],
        data=actions.CoachingData(
            held_on=datetime.date(2026, 11, 3),
            notes="Lucía moved her sources' contacts off her personal phone; the radio's shared "
            "computer still has no screen lock.",
            actions=("Set a screen lock on the radio's shared computer.",),
            next_on=timezone.localdate() + datetime.timedelta(days=10),
        ),
    )
    return len(people) + len(others)
