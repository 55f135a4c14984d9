"""The demo desk: fictional people only, created through the same actions as real data.

Every demo account shares one documented password. The demo desk does not require 2FA.
Cases are opened, shared and given a defender account through the real action functions, so
the demo database is encrypted exactly like a real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from protectdesk.accounts import actions
from protectdesk.accounts.models import Desk, Role, User
from protectdesk.attachments import actions as attachment_actions
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.cases import actions as case_actions
from protectdesk.crypto import userkeys
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case, CaseStatus

DEMO_PASSWORD = "protect-demo-2026"  # noqa: S105 - the documented, public demo password
COORDINATOR = "coordinator@demo.example"
CASEWORKER = "caseworker@demo.example"
CASEWORKER2 = "caseworker2@demo.example"
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
    DemoAccount(DEFENDER_HANDLE, "", Role.DEFENDER),
]


@dataclass(frozen=True)
class DemoIncident:
    """A fictional incident; ``actor`` names an actor of the case (created once, then reused)."""

    when: str  # as typed in the form: YYYY-MM-DD, YYYY-MM or YYYY
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
        incidents=(
            DemoIncident(
                "2026-10-02",
                ("death_threat",),
                "physical",
                "Amenaza de muerte en el mercado",
                "Un hombre se le acercó en el mercado y le dijo que si seguía hablando con la prensa no vería la cosecha.",
                place="Mercado municipal",
                actor=("private_security", "Guardias de la hidroeléctrica (ficticio)"),
                confidence="possible",
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
                "Campanha de difamação",
                "Uma conta anônima publicou a foto dela chamando-a de traidora da pátria; a publicação foi compartilhada centenas de vezes.",
                actor=("media", "@fake_account_demo (fictional)"),
                confidence="confirmed",
            ),
        ),
        files=(
            ("screenshot-smear-post.png", b"", False),  # drawn at run time, see _demo_image
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
                "Cambriolage du bureau",
                "Le bureau a été cambriolé pendant la nuit ; seuls les ordinateurs portables ont été volés, l'argent est resté sur place.",
                analysis="Le vol ciblé des ordinateurs suggère une recherche d'informations sur les survivantes accompagnées.",
                reaction="Mots de passe changés et comptes vérifiés le lendemain.",
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
                "Ameaças por telefone",
                "Duas integrantes da rede receberam ameaças de morte por telefone depois da assembleia regional.",
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


def demo_exists() -> bool:
    return User.objects.filter(login=COORDINATOR).exists()


def _keyring(user: User) -> Keyring:
    user.refresh_from_db()
    private_key = userkeys.open_private_key(
        bytes(user.sealed_private_key or b""), DEMO_PASSWORD, str(user.id)
    )
    return Keyring(user, private_key)


def create_demo() -> str:
    """Create the demo desk, its accounts and cases; returns the recovery phrase (demo only)."""
    with transaction.atomic():
        created = actions.create_desk(
            name="Demo Protection Desk",
            country="GT",
            languages=[code for code, _ in settings.LANGUAGES],
            reference_prefix="GT",
            require_staff_2fa=False,
            coordinator_login=COORDINATOR,
            coordinator_name="Carla Coordinator",
            coordinator_password=DEMO_PASSWORD,
        )
        users: dict[str, User] = {COORDINATOR: created.coordinator}
        for account in ACCOUNTS:
            if account.login in users or account.role == Role.DEFENDER:
                continue
            invitation, token = actions.invite(
                actor=created.coordinator,
                role=account.role,
                login=account.login,
                display_name=account.name,
            )
            users[account.login] = actions.accept_invitation(
                invitation=invitation,
                token=token,
                password=DEMO_PASSWORD,
                display_name=account.name,
            )
        for demo in CASES:
            _open(demo, users)
    return created.recovery_phrase


def _demo_image() -> bytes:
    """A fictional screenshot of a smear post, drawn here (no file shipped, nothing real)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 200), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 350, 190), outline=(180, 180, 190))
    draw.text((24, 28), "@fake_account_demo", fill=(20, 20, 20))
    draw.text((24, 60), "This 'journalist' is paid by foreigners.", fill=(20, 20, 20))
    draw.text((24, 84), "We know where she lives.", fill=(160, 20, 20))
    draw.text((24, 160), "FICTIONAL DEMO IMAGE", fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _open(demo: DemoCase, users: dict[str, User]) -> Case:
    owner = users[demo.owner]
    keyring = _keyring(owner)
    case = case_actions.open_case(
        actor=owner, keyring=keyring, profile=demo.profile, staff_notes=demo.staff_notes
    )
    for login in demo.also:
        case_actions.add_member(actor=owner, keyring=keyring, case=case, user=users[login])
    if demo.status != CaseStatus.OPEN:
        case_actions.change_status(actor=owner, keyring=keyring, case=case, status=demo.status)
    _incidents(demo, owner, keyring, case)
    case_actions.record_consent(
        actor=owner,
        keyring=keyring,
        case=case,
        choice=case_actions.ConsentChoice(
            True, False, True, False, date(2026, 9, 1), notes="Given in person (fictional)."
        ),
    )
    if demo.member_of:
        collective = _by_name(keyring, demo.member_of)
        case_actions.link_defender(actor=owner, keyring=keyring, case=case, collective=collective)
    for name, raw, staff_only in demo.files:
        data = raw or _demo_image()
        attachment_actions.add_attachment(
            actor=owner,
            keyring=keyring,
            case=case,
            record_type="cases.case",
            record_id=case.id,
            upload=encrypt_bytes(name, data),
            staff_only=staff_only,
        )
    if demo.defender_account:
        _user, invitation, token = case_actions.invite_defender(
            actor=owner, keyring=keyring, case=case, handle=DEFENDER_HANDLE
        )
        actions.accept_invitation(
            invitation=invitation, token=token, password=DEMO_PASSWORD, display_name=""
        )
    return case


def _incidents(demo: DemoCase, owner: User, keyring: Keyring, case: Case) -> None:
    from protectdesk.incidents import actions as incident_actions
    from protectdesk.incidents.forms import parse_when
    from protectdesk.incidents.models import Actor

    for item in demo.incidents:
        perpetrators: tuple[incident_actions.PerpetratorEntry, ...] = ()
        if item.actor:
            existing = next(
                (
                    a
                    for a in Actor.objects.filter(case=case)
                    if keyring.opened(a).name == item.actor[1]
                ),
                None,
            )
            perpetrators = (
                incident_actions.PerpetratorEntry(
                    actor_id=existing.id if existing else None,
                    new_actor_type=item.actor[0],
                    new_actor_name=item.actor[1],
                    confidence=item.confidence,
                ),
            )
        incident_actions.log_incident(
            actor=owner,
            keyring=keyring,
            case=case,
            data=incident_actions.IncidentData(
                when=parse_when(item.when),
                country=case.desk.country,
                subdivision="",
                title=item.title,
                narrative=item.narrative,
                types=item.types,
                nature=item.nature,
                place=item.place,
                analysis=item.analysis,
                reaction=item.reaction,
                authority_response=item.authority_response,
                perpetrators=perpetrators,
            ),
        )


def _by_name(keyring: Keyring, name: str) -> Case:
    from protectdesk.cases import queries

    return next(
        card.case
        for card in queries.my_cases(keyring)
        if card.defender and card.defender.name == name
    )


def demo_desk() -> Desk | None:
    user = User.objects.select_related("desk").filter(login=COORDINATOR).first()
    return user.desk if user else None
