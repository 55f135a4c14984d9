"""The demo desk's fictional people, cases, incidents, actors and assessments (data only).

:mod:`protectdesk.demo` creates them through the real actions. Nothing here is real: every name
is marked fictional, and incidents dated ``days_ago`` are placed relative to the day the demo
is made, so the escalation flags of the last 30 and 90 days show whenever it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from protectdesk.accounts.models import Role
from protectdesk.cases import actions as case_actions
from protectdesk.records.models import CaseStatus

DEMO_PASSWORD = "protect-demo-2026"  # noqa: S105 - the documented, public demo password
COORDINATOR = "coordinator@demo.example"
CASEWORKER = "caseworker@demo.example"
CASEWORKER2 = "caseworker2@demo.example"
TRAINER = "trainer@demo.example"
ANALYST = "analyst@demo.example"
DEFENDER_HANDLE = "demo-defender"


@dataclass(frozen=True)
class DemoAccount:
    login: str
    name: str
    role: str


ACCOUNTS = [
    DemoAccount("admin@demo.example", "Ana Admin", Role.ADMIN),
    DemoAccount(COORDINATOR, "Carla Coordinator", Role.COORDINATOR),
    DemoAccount(CASEWORKER, "Camilo Caseworker", Role.CASEWORKER),
    DemoAccount(CASEWORKER2, "Catalina Caseworker", Role.CASEWORKER),
    DemoAccount(TRAINER, "Teresa Trainer", Role.TRAINER),
    DemoAccount(ANALYST, "Andrés Analyst", Role.ANALYST),
    DemoAccount(DEFENDER_HANDLE, "", Role.DEFENDER),
]


@dataclass(frozen=True)
class DemoIncident:
    """A fictional incident; ``actor`` names an actor of the case (created once, then reused).

    ``when`` is as typed in the form (YYYY-MM-DD, YYYY-MM or YYYY), or ``""`` with ``days_ago``
    for incidents dated from the day the demo is made, so its escalation flags (last 30 and
    90 days) show whenever it is made.
    """

    when: str
    types: tuple[str, ...]
    nature: str
    title: str
    narrative: str
    place: str = ""
    actor: tuple[str, str] | None = None  # (perpetrator type, name)
    confidence: str = "possible"
    analysis: str = ""
    reaction: str = ""
    authority_response: str = "not_reported"
    days_ago: int | None = None

    @property
    def typed_date(self) -> str:
        if self.days_ago is None:
            return self.when
        return (date.today() - timedelta(days=self.days_ago)).isoformat()


@dataclass(frozen=True)
class DemoActor:
    """An actor of the case's map: ``parent`` and relation targets name other demo actors."""

    actor_type: str
    name: str
    stance: str = "unknown"
    influence: int | None = None
    parent: str = ""
    interests: str = ""
    resources: str = ""
    relations: tuple[tuple[str, str], ...] = ()  # (kind, name of the other actor)


@dataclass(frozen=True)
class DemoAssessment:
    """A threat assessment answered up to ``len(steps)`` steps: (title, facts, incident titles)
    then the texts of steps 2–5 (see _assess)."""

    title: str
    facts: str
    incidents: tuple[str, ...]  # titles of the case's demo incidents
    pattern: str = ""
    objective: tuple[str, str] = ("", "")  # (code, how it was traced)
    source: tuple[str, str, bool, str] = (
        "",
        "",
        False,
        "",
    )  # (actor name, confidence, false?, why)
    conclusion: tuple[str, str, str, int, str, str, str] | None = None
    # (kind, intent, capacity, likelihood, rationale, what was declared, intent and capacity)


@dataclass(frozen=True)
class DemoCase:
    """A fictional defender. ``owner`` opens the case; ``also`` are added as members."""

    owner: str
    profile: case_actions.DefenderProfile
    staff_notes: str
    also: tuple[str, ...] = ()
    status: str = CaseStatus.OPEN
    defender_account: bool = False
    files: tuple[tuple[str, bytes, bool], ...] = ()
    incidents: tuple[DemoIncident, ...] = ()
    member_of: str = ""  # the name of a collective demo case this individual belongs to
    actors: tuple[DemoActor, ...] = ()  # recorded before the incidents, which may name them
    assessments: tuple[DemoAssessment, ...] = ()


CASES = [
    DemoCase(
        CASEWORKER,
        case_actions.DefenderProfile(
            kind="community",
            country="GT",
            subdivision="GT-16",
            sectors=("land_environment", "indigenous_peoples"),
            size_band="251-1000",
            name="Comunidad Río Verde (fictional)",
            aliases="Río Verde community council",
            contacts="Community radio, evenings only; via the parish office",
            location="Río Verde, 14 km north of the municipal seat (fictional)",
            description="Q'eqchi' community defending its river against a hydroelectric project; leaders face "
            "criminal complaints and surveillance.",
        ),
        "Security assessment pending; the council asked for accompaniment during the next assembly.",
        incidents=(
            DemoIncident(
                "2026-09-14",
                ("surveillance",),
                "physical",
                "Camioneta frente a la casa comunal",
                "Una camioneta blanca sin placas estuvo estacionada frente a la casa comunal durante tres "
                "noches seguidas. Dos hombres tomaban fotos de quienes entraban a la asamblea.",
                place="Casa comunal de Río Verde",
                actor=("private_security", "Guardias de la hidroeléctrica (ficticio)"),
                confidence="likely",
                analysis="Coincide con la fecha de la consulta comunitaria: parece buscar intimidar a quienes participan.",
                reaction="El consejo acordó no salir solos de noche y avisar por radio al llegar a casa.",
            ),
            DemoIncident(
                "2026-10",
                ("judicial_harassment",),
                "physical",
                "Denuncia penal contra tres líderes",
                "La empresa presentó una denuncia penal por usurpación contra tres integrantes del consejo comunitario.",
                actor=("company_national", "Hidroeléctrica del Norte S.A. (ficticia)"),
                confidence="confirmed",
                authority_response="investigation",
            ),
        ),
    ),
    DemoCase(
        CASEWORKER,
        case_actions.DefenderProfile(
            kind="individual",
            country="GT",
            subdivision="GT-16",
            sectors=("land_environment", "community_leadership"),
            gender="woman",
            age_band="45-59",
            name="Rosa Caal (fictional)",
            contacts="Through the community radio",
            location="Río Verde (fictional)",
            description="Spokesperson of the Río Verde community council.",
        ),
        "Most exposed person of the council: she speaks to the press.",
        member_of="Comunidad Río Verde (fictional)",
        actors=(
            DemoActor(
                "company_national",
                "Hidroeléctrica del Norte S.A. (ficticia)",
                stance="resisting",
                influence=5,
                interests="La concesión del río y la licencia ambiental que la consulta comunitaria pone en duda.",
                resources="Abogados en la capital, contratos con la municipalidad, una empresa de seguridad.",
                relations=(("funds", "Guardias de la hidroeléctrica (ficticio)"),),
            ),
            DemoActor(
                "private_security",
                "Guardias de la hidroeléctrica (ficticio)",
                stance="resisting",
                influence=3,
                parent="Hidroeléctrica del Norte S.A. (ficticia)",
                resources="Unos veinte hombres armados y dos vehículos sin placas.",
            ),
            DemoActor(
                "state_local_officials",
                "Alcaldía municipal (ficticia)",
                stance="neutral",
                influence=4,
                interests="Los ingresos prometidos por la hidroeléctrica; las elecciones del próximo año.",
                relations=(("pressures", "Parroquia de San Pedro (ficticia)"),),
            ),
            DemoActor(
                "religious_leaders",
                "Parroquia de San Pedro (ficticia)",
                stance="supporting",
                influence=3,
                resources="Radio comunitaria, acompañamiento a las asambleas.",
            ),
        ),
        incidents=(
            DemoIncident(
                "",
                ("intimidation",),
                "digital",
                "Llamadas en silencio de noche",
                "Durante una semana recibió llamadas de un número oculto a medianoche; nadie hablaba.",
                days_ago=75,
            ),
            DemoIncident(
                "",
                ("surveillance",),
                "physical",
                "Fotografiada al salir de la radio",
                "Dos hombres con el uniforme de los guardias la fotografiaron al salir de la radio comunitaria.",
                place="Radio comunitaria de Río Verde",
                actor=("private_security", "Guardias de la hidroeléctrica (ficticio)"),
                confidence="likely",
                days_ago=40,
            ),
            DemoIncident(
                "",
                ("death_threat",),
                "physical",
                "Amenaza de muerte en el mercado",
                "Un hombre se le acercó en el mercado y le dijo que si seguía hablando con la prensa no vería la cosecha.",
                place="Mercado municipal",
                actor=("private_security", "Guardias de la hidroeléctrica (ficticio)"),
                confidence="possible",
                days_ago=12,
            ),
            DemoIncident(
                "",
                ("physical_attack",),
                "physical",
                "Agresión en el camino a Río Verde",
                "Dos hombres en moto la empujaron de la bicicleta en el camino de regreso; le dijeron «te lo advertimos».",
                place="Camino de terracería a Río Verde, km 9",
                actor=("private_security", "Guardias de la hidroeléctrica (ficticio)"),
                confidence="likely",
                reaction="Atendida en el centro de salud; el consejo organizó acompañamiento para sus traslados.",
                days_ago=5,
            ),
        ),
        assessments=(
            DemoAssessment(
                "Amenaza de muerte a Rosa por hablar con la prensa",
                "El hombre del mercado le dijo que «no vería la cosecha» si seguía hablando con la prensa. "
                "Una semana después la empujaron de la bicicleta y le dijeron «te lo advertimos».",
                ("Amenaza de muerte en el mercado", "Agresión en el camino a Río Verde"),
                pattern="Cuatro incidentes en once semanas, cada vez más cerca de ella: llamadas, fotos, "
                "la amenaza y la agresión. Los tres últimos apuntan a los mismos guardias.",
                objective=(
                    "stop_work",
                    "Las amenazas llegan después de cada entrevista en la que ella habla de la consulta; "
                    "buscan que deje de ser la voz del consejo ante la prensa.",
                ),
                source=(
                    "Guardias de la hidroeléctrica (ficticio)",
                    "likely",
                    True,
                    "Uniformes de los guardias en las fotos; pero los uniformes se consiguen en el mercado: "
                    "alguien podría querer culpar a la empresa.",
                ),
                conclusion=(
                    "declared",
                    "yes",
                    "yes",
                    4,
                    "La amenaza ya se cumplió en parte (la agresión), el grupo tiene hombres y vehículos, "
                    "y la consulta es en tres semanas: es probable que vuelvan a actuar antes.",
                    "«Si sigues hablando con la prensa no verás la cosecha.»",
                    "Veinte hombres armados, vehículos propios, y ya la siguieron hasta su casa.",
                ),
            ),
        ),
    ),
    DemoCase(
        CASEWORKER,
        case_actions.DefenderProfile(
            kind="individual",
            country="GT",
            subdivision="GT-01",
            sectors=("journalism_media",),
            gender="woman",
            age_band="30-44",
            name="María Fernanda Coj (fictional)",
            aliases="Mafer",
            contacts="Signal only; no calls",
            location="Zona 1, Guatemala City (fictional)",
            description="Independent journalist covering corruption in municipal contracts; target of an online smear campaign.",
        ),
        "Consider a temporary relocation if the smear campaign escalates into physical threats.",
        defender_account=True,
        incidents=(
            DemoIncident(
                "2026-10-12",
                ("stalking", "intimidation"),
                "physical",
                "Followed from the newsroom",
                "A man photographed her leaving the newsroom, then followed her to the bus stop and took the same bus.",
                place="Zona 1, near the newsroom (fictional)",
                reaction="She changed her route home and shares her location with a colleague.",
            ),
            DemoIncident(
                "2026-10-20",
                ("stigmatisation", "online_harassment"),
                "digital",
                "Campaña de difamación en redes",
                "Una cuenta anónima publicó su foto llamándola traidora a la patria; la publicación se compartió cientos de veces.",
                actor=("media", "@fake_account_demo (fictional)"),
                confidence="confirmed",
            ),
        ),
        assessments=(
            DemoAssessment(
                "“We know where she lives”: smear campaign turning to threats",
                "An anonymous account posted her photo calling her a traitor; a reply under it said "
                "“we know where she lives”. Eight days earlier a stranger had trailed her home from work.",
                ("Followed from the newsroom", "Campaña de difamación en redes"),
                pattern="Two incidents in eight days, online and offline; the smear post came the day "
                "after her article on the municipal contracts.",
                objective=(
                    "stop_work",
                    "Each step follows an article on the contracts: the aim looks like silencing the "
                    "series before the next instalment.",
                ),
            ),
        ),
        files=(
            ("screenshot-smear-post.png", b"", False),  # drawn at run time (demo_image)
            (
                "statement-2026-10.txt",
                b"Statement (fictional): on 12 October a man photographed me leaving the newsroom, "
                b"then followed me to the bus stop.\n",
                False,
            ),
            (
                "source-contact.txt",
                b"Fictional: the driver who warned us works for the contractor.\n",
                True,
            ),
        ),
    ),
    DemoCase(
        CASEWORKER,
        case_actions.DefenderProfile(
            kind="organisation",
            country="GT",
            subdivision="GT-13",
            sectors=("womens_rights",),
            size_band="11-50",
            name="Colectivo Voces del Norte (fictional)",
            contacts="Office landline; coordinator's safe phone",
            location="Huehuetenango town centre (fictional)",
            description="Women's organisation supporting survivors of gender-based violence in rural municipalities.",
        ),
        "Office was broken into last year; digital security training scheduled.",
        also=(COORDINATOR,),
        incidents=(
            DemoIncident(
                "2025",
                ("raid", "property_damage"),
                "physical",
                "Robo en la oficina",
                "Entraron de noche a la oficina; solo se llevaron las computadoras portátiles, el dinero quedó en su lugar.",
                analysis="El robo dirigido a las computadoras sugiere que buscaban información sobre las sobrevivientes acompañadas.",
                reaction="Contraseñas cambiadas y cuentas revisadas al día siguiente.",
                authority_response="no_response",
            ),
        ),
    ),
    DemoCase(
        CASEWORKER2,
        case_actions.DefenderProfile(
            kind="network",
            country="GT",
            subdivision="GT-09",
            sectors=("community_leadership", "land_environment"),
            size_band="51-250",
            name="Red de Defensoras Rurales (fictional)",
            description="Network of rural women leaders across the western highlands.",
        ),
        "Network members report being followed after meetings.",
        incidents=(
            DemoIncident(
                "2026-08",
                ("death_threat",),
                "digital",
                "Amenazas por teléfono",
                "Dos integrantes de la red recibieron amenazas de muerte por teléfono después de la asamblea regional.",
            ),
        ),
    ),
    DemoCase(
        CASEWORKER2,
        case_actions.DefenderProfile(
            kind="individual",
            country="GT",
            subdivision="GT-09",
            sectors=("lawyers_justice",),
            gender="man",
            age_band="45-59",
            name="Julián Pérez Tzul (fictional)",
            contacts="Law office; assistant screens calls",
            description="Lawyer representing indigenous communities in land disputes; faces a defamation lawsuit.",
        ),
        "Lawsuit hearing in March; monitoring.",
        status=CaseStatus.MONITORING,
    ),
]
