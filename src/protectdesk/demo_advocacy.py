"""The demo desk's international advocacy, written through the advocacy actions.

Rosa Caal's caseworker takes her case to the UN Special Rapporteur on human rights defenders:
an urgent appeal in Spanish with the three latest incidents, each with the articles of the
Declaration it breaches, and the hydroelectric company's guards as perpetrators. The whole life
of a communication: consent recorded, submitted, acknowledged with a reference, the State's
answer, two follow-ups and a deadline a week ahead (the dashboard reminds of it). A second
communication waits for her consent. A short video of the community has mixed consent — one
person not asked yet — so publishing it is refused until that is settled. Fictional people.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from protectdesk.accounts.models import User
from protectdesk.advocacy import communications, videos
from protectdesk.advocacy.dossier import ChosenIncident, Facts
from protectdesk.incidents.models import Actor, Incident
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

ROSA = "Rosa Caal (fictional)"
#: incident title → the articles of the UN Declaration the appeal says it breaches
ARTICLES = {
    "Fotografiada al salir de la radio": ("article_6", "article_12"),
    "Amenaza de muerte en el mercado": ("article_1", "article_12"),
    "Agresión en el camino a Río Verde": ("article_2", "article_9", "article_12"),
}


def _day_of(keyring: Keyring, incident: Incident) -> datetime.date:
    exact = keyring.text(incident, "exact_date")
    if exact:
        return datetime.date.fromisoformat(exact)
    return datetime.date.fromisoformat(f"{incident.month or incident.year}-01"[:10])


def create_advocacy(caseworker: User, keyring: Keyring, cases: dict[str, Case]) -> int:
    """Two communications and a video in Rosa Caal's case; returns the communications."""
    case = cases[ROSA]
    today = timezone.localdate()
    chosen = []
    for incident in Incident.objects.filter(case=case):
        title = keyring.text(incident, "title")
        if title in ARTICLES:
            chosen.append(ChosenIncident(incident.id, _day_of(keyring, incident), ARTICLES[title]))
    guards = [
        actor.id
        for actor in Actor.objects.filter(case=case)
        if keyring.text(actor, "name") == "Guardias de la hidroeléctrica (ficticio)"
    ]
    appeal = communications.save_draft(
        actor=caseworker,
        keyring=keyring,
        case=case,
        data=communications.DraftData(
            mechanism="un_sr_hrd",
            kind="urgent_appeal",
            language="es",
            title="Llamamiento urgente: amenazas y agresión contra Rosa Caal",
            hrd_status=(
                "Portavoz del consejo comunitario de Río Verde desde 2019; defiende el derecho "
                "de la comunidad a la consulta previa sobre la concesión del río."
            ),
            action_taken=(
                "Denuncia ante el Ministerio Público por la amenaza y la agresión; solicitud de "
                "medidas de protección a la Policía Nacional Civil, sin respuesta hasta hoy."
            ),
            requests=(
                "Que se pida al Estado medidas de protección acordadas con ella y con el "
                "consejo, y una investigación sobre los guardias de la hidroeléctrica."
            ),
            source="Demo Protection Desk, que acompaña a la defensora desde 2024.",
            publicity="confidential",
            confidentiality="No revelar el nombre de su hija ni la ruta de sus traslados.",
        ),
    )
    appeal = communications.save_facts(
        actor=caseworker,
        keyring=keyring,
        communication=appeal,
        facts=Facts(tuple(sorted(chosen, key=lambda c: c.on or today)), tuple(guards)),
        expected_version=appeal.row_version,
    )
    submitted = today - datetime.timedelta(days=4)
    appeal = communications.record_consent(
        actor=caseworker,
        keyring=keyring,
        communication=appeal,
        given_on=submitted,
        notes="En persona, en la radio comunitaria, con el consejo presente.",
        expected_version=appeal.row_version,
    )
    appeal = communications.save_tracking(
        actor=caseworker,
        keyring=keyring,
        communication=appeal,
        data=communications.TrackingData(
            status="submitted",
            submitted_on=submitted,
            reference="UA GTM 7/2026 (ficticio)",
            answered_on=today - datetime.timedelta(days=1),
            state_response=(
                "El Estado informa que la fiscalía abrió una investigación y ofrece patrullajes "
                "policiales; no menciona a los guardias."
            ),
            due_on=today + datetime.timedelta(days=7),
        ),
        expected_version=appeal.row_version,
    )
    for days, text in (
        (3, "Enviada información adicional: la agresión en el camino a Río Verde."),
        (0, "Comentarios a la respuesta del Estado: los patrullajes no fueron consultados."),
    ):
        appeal = communications.add_follow_up(
            actor=caseworker,
            keyring=keyring,
            communication=appeal,
            on=today - datetime.timedelta(days=days),
            text=text,
            next_due_on=today + datetime.timedelta(days=7),
            expected_version=appeal.row_version,
        )
    communications.save_draft(
        actor=caseworker,
        keyring=keyring,
        case=case,
        data=communications.DraftData(
            mechanism="iachr",
            kind="precautionary_measures",
            language="es",
            title="Solicitud de medidas cautelares para Rosa Caal y su familia",
            hrd_status="Portavoz del consejo comunitario de Río Verde.",
        ),
    )
    _video(caseworker, keyring, case, today)
    return 2


def _video(caseworker: User, keyring: Keyring, case: Case, today: datetime.date) -> None:
    clip = videos.save_video(
        actor=caseworker,
        keyring=keyring,
        case=case,
        data=videos.VideoData(
            title="El río es vida (clip)",
            kind="clip",
            channel="social",
            description="Tres minutos de la asamblea comunitaria para la campaña de la consulta.",
            anonymity="Ningún rostro de niñas o niños; no mostrar la entrada de la casa de Rosa.",
        ),
    )
    asked = today - datetime.timedelta(days=10)
    for name, consent, in_cut in (
        ("Rosa Caal (fictional)", "identified", True),
        ("Don Mateo, anciano del consejo (fictional)", "blurred_voice", True),
        ("Vecina en la asamblea, 1:40 (fictional)", "refused", False),
        ("Joven con la pancarta, 2:05 (fictional)", "", True),
    ):
        videos.save_person(
            actor=caseworker,
            keyring=keyring,
            video=clip,
            data=videos.PersonData(name, consent, asked if consent else None, in_cut),
        )
