"""The demo desk's risk analyses and protection plans (data only; made by protectdesk.demo).

Keyed by the fictional defender's name in :mod:`protectdesk.demo_cases`. Dates are counted from
the day the demo is made, so the dashboard has a missed check-in, a plan overdue for review and
measures past due whenever it is made.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoScenario:
    """A threat scenario; ``assessment`` names a demo assessment of the case by its title."""

    title: str
    threat: int
    likelihood: int
    impact: int
    components: tuple[tuple[str, str, int, str], ...]  # (code, kind, rating, note)
    assessment: str = ""


@dataclass(frozen=True)
class DemoMeasure:
    description: str
    strategy: str
    owner: str
    due_in_days: int | None = None  # from the day the demo is made (negative: past due)
    builds_capacity: bool = False
    owner_is_defender: bool = False
    status: str = "planned"


@dataclass(frozen=True)
class DemoProtection:
    """A case's risk analysis and protection plan. Protocols and contingency plans start from
    the shipped templates, in ``language``; ``missed_check_in`` schedules check-ins that began
    a day ago, so one is already missed (the alarm on the members' home pages)."""

    scenarios: tuple[DemoScenario, ...]
    objectives: tuple[str, str, str]  # threats to reduce, vulnerabilities, capacities
    measures: tuple[DemoMeasure, ...]
    protocols: tuple[str, ...] = ()
    contingencies: tuple[str, ...] = ()
    missed_check_in: str = ""  # the kind of contingency plan whose check-in was missed
    threshold: str = "medium"
    decider: str = ""
    language: str = "es"
    review_due_days: int | None = None  # next review from today (negative: overdue)
    contact: str = "Mesa de protección (ficticia): +502 0000 0000"  # in contingency plans


V, C = "vulnerability", "capacity"

PROTECTION = {
    "Rosa Caal (fictional)": DemoProtection(
        scenarios=(
            DemoScenario(
                "Agresión en los traslados a Río Verde",
                5,
                4,
                5,
                (
                    ("exposure", V, 5, "Camino de terracería sin señal durante 9 km."),
                    ("field_work", V, 4, "Viaja sola en bicicleta."),
                    ("networks", C, 2, "Pocas relaciones con autoridades departamentales."),
                    ("community", C, 4, "El consejo organiza acompañamiento."),
                ),
                assessment="Amenaza de muerte a Rosa por hablar con la prensa",
            ),
            DemoScenario(
                "Denuncia penal por usurpación",
                3,
                3,
                4,
                (
                    ("legal", V, 4, "Sin abogada propia todavía."),
                    ("media_image", C, 3, "La radio comunitaria difunde su versión."),
                ),
            ),
        ),
        objectives=(
            "Que las agresiones en el camino no se repitan antes de la consulta.",
            "Traslados sola y sin comunicación.",
            "Acompañamiento, abogada y red de alerta con la parroquia.",
        ),
        measures=(
            DemoMeasure(
                "Acompañamiento en todos los traslados hasta la consulta.",
                "protection",
                "Consejo comunitario",
                due_in_days=-3,
            ),
            DemoMeasure(
                "Reunión con la fiscalía departamental para denunciar la agresión.",
                "deterrence",
                "Mesa de protección",
                due_in_days=10,
            ),
            DemoMeasure(
                "Taller de seguridad digital para el consejo.",
                "protection",
                "Mesa de protección",
                due_in_days=30,
                builds_capacity=True,
            ),
            DemoMeasure(
                "Avisar por radio al llegar a casa cada noche.",
                "protection",
                "Rosa",
                owner_is_defender=True,
                status="under_way",
            ),
        ),
        protocols=("field_trips", "communications"),
        contingencies=("physical_attack", "arrest_detention"),
        missed_check_in="physical_attack",
        threshold="medium",
        decider="La asamblea del consejo, con la mesa de protección.",
    ),
    "Comunidad Río Verde (fictional)": DemoProtection(
        scenarios=(
            DemoScenario(
                "Criminalización de los líderes del consejo",
                4,
                4,
                4,
                (
                    ("legal", V, 4, "Tres líderes denunciados, sin defensa común."),
                    ("organisation", C, 3, "El consejo se reúne cada semana."),
                    ("networks", C, 2, ""),
                ),
            ),
        ),
        objectives=(
            "La denuncia penal contra los tres líderes.",
            "Falta de defensa jurídica común.",
            "Red de abogados y observación internacional.",
        ),
        measures=(
            DemoMeasure(
                "Buscar un bufete que defienda a los tres líderes.",
                "protection",
                "Mesa de protección",
                due_in_days=14,
            ),
        ),
        protocols=("meetings",),
        contingencies=("arrest_detention",),
        review_due_days=-10,
    ),
    "María Fernanda Coj (fictional)": DemoProtection(
        scenarios=(
            DemoScenario(
                "Smear campaign turning into a physical attack",
                3,
                3,
                4,
                (
                    ("exposure", V, 4, "Her address circulates online."),
                    ("information_security", V, 3, ""),
                    ("networks", C, 4, "Press freedom groups follow her case."),
                ),
                assessment="“We know where she lives”: smear campaign turning to threats",
            ),
        ),
        objectives=(
            "Online threats reaching her home.",
            "Her address online; one route home.",
            "Support of press freedom groups.",
        ),
        measures=(
            DemoMeasure(
                "Ask the platform to take down the posts with her address.",
                "deterrence",
                "Desk caseworker",
                due_in_days=7,
            ),
            DemoMeasure(
                "Vary the route home and share her location with a colleague.",
                "protection",
                "María Fernanda",
                owner_is_defender=True,
            ),
        ),
        protocols=("communications",),
        contingencies=("digital_compromise",),
        language="en",
    ),
    "Colectivo Voces del Norte (fictional)": DemoProtection(
        scenarios=(
            DemoScenario(
                "Otro robo de información en la oficina",
                2,
                2,
                4,
                (
                    ("office_home", V, 3, "Cerradura cambiada, sin alarma."),
                    ("information_security", C, 4, "Discos cifrados desde el robo."),
                ),
            ),
        ),
        objectives=("", "La oficina sin alarma.", "Cifrado y copias de seguridad."),
        measures=(
            DemoMeasure(
                "Instalar una alarma en la oficina.",
                "protection",
                "Coordinadora del colectivo",
                due_in_days=20,
            ),
        ),
        protocols=("office_home",),
        contingencies=("raid",),
    ),
    "Red de Defensoras Rurales (fictional)": DemoProtection(
        scenarios=(
            DemoScenario(
                "Amenazas tras las asambleas regionales",
                3,
                3,
                3,
                (
                    ("communications", V, 3, ""),
                    ("community", C, 3, ""),
                ),
            ),
        ),
        objectives=(
            "Amenazas por teléfono.",
            "Números personales conocidos.",
            "Protocolo de comunicaciones de la red.",
        ),
        measures=(
            DemoMeasure(
                "Cambiar de número a las dos integrantes amenazadas.",
                "protection",
                "Coordinación de la red",
                due_in_days=-5,
            ),
        ),
        protocols=("communications",),
        contingencies=("evacuation_relocation",),
    ),
}


# --- security wheel sessions (issue 13) -----------------------------------------------------

SPOKES = (
    "experience",
    "training",
    "awareness",
    "planning",
    "responsibilities",
    "rules",
    "incident_response",
    "evaluation",
)


@dataclass(frozen=True)
class DemoWheel:
    """An organisational wheel session ``days_ago`` before the demo is made; each participant
    scores the eight spokes (in SPOKES order), with a barrier and a solution for the weakest."""

    days_ago: int
    title: str
    participants: tuple[tuple[str, tuple[int, ...], str, str], ...]


WHEELS = {
    "Colectivo Voces del Norte (fictional)": (
        DemoWheel(
            182,
            "Rueda de seguridad, primer semestre",
            (
                (
                    "Coordinadora",
                    (60, 20, 50, 30, 40, 30, 50, 10),
                    "Nadie tiene tiempo para formarse.",
                    "Un taller al trimestre.",
                ),
                (
                    "Acompañante 1",
                    (40, 10, 60, 20, 30, 20, 40, 10),
                    "No conocemos las reglas.",
                    "Reglas escritas y pegadas en la oficina.",
                ),
            ),
        ),
        DemoWheel(
            3,
            "Rueda de seguridad, tras el robo",
            (
                (
                    "Coordinadora",
                    (70, 60, 70, 50, 60, 40, 70, 30),
                    "Las reglas no se cumplen de noche.",
                    "Turnos para cerrar la oficina.",
                ),
                (
                    "Acompañante 1",
                    (60, 50, 80, 40, 50, 30, 60, 20),
                    "Nadie revisa lo que funciona.",
                    "Una reunión de evaluación cada mes.",
                ),
                (
                    "Acompañante 2",
                    (50, 40, 60, 40, 40, 20, 50, 20),
                    "Miedo a hablar de incidentes.",
                    "Un espacio de cuidado colectivo.",
                ),
            ),
        ),
    ),
}
