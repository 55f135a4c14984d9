"""The dossier of an international communication: exactly the facts of the case chosen for it.

**What goes in, and what never does.** A communication carries a person's name and what was
done to them to a body outside the desk. The dossier is therefore assembled from an explicit
choice (:class:`Facts`, kept encrypted on the communication) and from a fixed list of fields,
never from "everything the case holds":

* the **victim**: the defender's name, kind, gender, country and region, sectors — never their
  contact details, exact address or aliases;
* each **violation** chosen (an incident of the case): the date the communication gives it,
  its title, place, what happened, harm, types, the response of the authorities and the
  articles of the UN Declaration it breaches. The desk's **analysis** and the incident's
  **sources** are staff-only: they are added per incident only when ticked;
* each **perpetrator** chosen (an actor of the case): its name and type — never the desk's
  notes on it, its interests or its resources;
* the texts written for the communication itself (why they are a defender, action taken,
  what is asked, source, confidentiality wishes) and the date of consent.

Nothing else is read: an incident that is not chosen is not even opened. The test of this
module writes a canary into every field of a case and checks that only the chosen ones come
out, in both exports.

**Consent gates the export.** :func:`check_exportable` refuses while the defender's consent to
this communication is not recorded or has been withdrawn, while no violation is chosen, and
while a chosen violation has no date. The files are built in memory and streamed (never
written on the server); the view audits each download.

The labels come out in the active language: render inside ``translation.override`` with the
mechanism's language (:data:`~protectdesk.advocacy.models.DOSSIER_LANGUAGES`).
"""

from __future__ import annotations

import datetime
import io
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.advocacy.models import (
    Communication,
    CommunicationKind,
    Mechanism,
    Publicity,
)
from protectdesk.cases.models import Defender, DefenderKind, Gender
from protectdesk.incidents.models import Actor, Incident, IncidentSource
from protectdesk.lib.refusals import Refusal
from protectdesk.records.keyring import Keyring


class DossierRefused(Refusal):
    """The dossier cannot be exported yet; ``message`` says how to fix it."""


# --- the choice of facts (stored encrypted on the communication) ---------------------------


@dataclass(frozen=True)
class ChosenIncident:
    id: uuid.UUID
    #: The day the communication gives the violation (mechanisms need one).
    on: datetime.date | None
    articles: tuple[str, ...] = ()
    analysis: bool = False
    sources: bool = False


@dataclass(frozen=True)
class Facts:
    incidents: tuple[ChosenIncident, ...] = ()
    actors: tuple[uuid.UUID, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "incidents": [
                {
                    "id": str(chosen.id),
                    "on": chosen.on.isoformat() if chosen.on else "",
                    "articles": list(chosen.articles),
                    "analysis": chosen.analysis,
                    "sources": chosen.sources,
                }
                for chosen in self.incidents
            ],
            "actors": [str(actor) for actor in self.actors],
        }

    @classmethod
    def from_json(cls, value: Any) -> Facts:
        if not isinstance(value, dict):
            return cls()
        incidents = []
        for item in value.get("incidents") or []:
            day = item.get("on") or ""
            incidents.append(
                ChosenIncident(
                    id=uuid.UUID(item["id"]),
                    on=datetime.date.fromisoformat(day) if day else None,
                    articles=tuple(item.get("articles") or ()),
                    analysis=bool(item.get("analysis")),
                    sources=bool(item.get("sources")),
                )
            )
        return cls(tuple(incidents), tuple(uuid.UUID(a) for a in value.get("actors") or ()))

    def chosen(self, incident_id: uuid.UUID) -> ChosenIncident | None:
        return next((c for c in self.incidents if c.id == incident_id), None)


def facts_of(keyring: Keyring, communication: Communication) -> Facts:
    return Facts.from_json(keyring.open_value(communication, "facts"))


# --- the dossier ----------------------------------------------------------------------------


@dataclass
class Victim:
    name: str
    kind: str
    gender: str
    place: str
    sectors: list[str]


@dataclass
class Violation:
    on: datetime.date | None
    title: str
    place: str
    narrative: str
    consequences: str
    types: list[str]
    articles: list[str]
    authorities: str
    analysis: str = ""
    sources: list[str] = field(default_factory=list)


@dataclass
class Perpetrator:
    name: str
    kind: str


@dataclass
class Dossier:
    mechanism: str
    kind: str
    language: str
    title: str
    prepared_on: datetime.date
    reference: str
    victim: Victim | None
    publicity: str
    hrd_status: str
    violations: list[Violation]
    perpetrators: list[Perpetrator]
    action_taken: str
    requests: str
    source: str
    confidentiality: str
    consent_on: datetime.date | None
    #: Chosen facts no longer in the case (deleted since): left out, and said so.
    missing: int = 0

    def text(self) -> str:
        """Every value of the dossier, one per line (for tests and the size check)."""
        lines = [self.title, self.reference, self.hrd_status, self.action_taken, self.requests]
        lines += [self.source, self.confidentiality]
        if self.victim:
            lines += [self.victim.name, self.victim.place, *self.victim.sectors]
        for item in self.violations:
            lines += [item.title, item.place, item.narrative, item.consequences]
            lines += [item.authorities, item.analysis, *item.sources, *item.articles]
        lines += [f"{p.name} {p.kind}" for p in self.perpetrators]
        return "\n".join(line for line in lines if line)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _victim(keyring: Keyring, communication: Communication) -> Victim | None:
    defender = Defender.objects.filter(case_id=communication.case_id).first()
    if defender is None:
        return None
    sectors = vocabularies.load("sectors")
    place = vocabularies.country_name(defender.country) if defender.country else ""
    if defender.subdivision:
        place = f"{vocabularies.subdivision_name(defender.subdivision)}, {place}"
    return Victim(
        name=keyring.text(defender, "name"),
        kind=_label(DefenderKind, defender.kind),
        gender=_label(Gender, defender.gender) if defender.gender else "",
        place=place,
        sectors=[sectors.label(code) for code in defender.sectors],
    )


def _violation(keyring: Keyring, incident: Incident, chosen: ChosenIncident) -> Violation:
    types = vocabularies.load("incident_types")
    responses = vocabularies.load("authority_responses")
    articles = vocabularies.load("un_declaration_articles")
    authorities = [
        responses.label(incident.authority_response) if incident.authority_response else "",
        keyring.text(incident, "authority_details"),
    ]
    return Violation(
        on=chosen.on,
        title=keyring.text(incident, "title"),
        place=keyring.text(incident, "place"),
        narrative=keyring.text(incident, "narrative"),
        consequences=keyring.text(incident, "consequences"),
        types=[types.label(code) for code in incident.types],
        articles=[articles.label(code) for code in chosen.articles],
        authorities=" — ".join(part for part in authorities if part),
        analysis=keyring.text(incident, "analysis") if chosen.analysis else "",
        sources=[_source(keyring, source) for source in incident.sources.all()]
        if chosen.sources
        else [],
    )


def _source(keyring: Keyring, source: IncidentSource) -> str:
    """A source as a mechanism reads it: who, and how they know and how reliable they are."""
    how = ", ".join(
        label
        for label in (
            vocabularies.load("source_connections").label(source.connection),
            vocabularies.load("source_reliability").label(source.reliability),
        )
        if label
    )
    who = keyring.text(source, "description")
    return f"{who} ({how})" if who and how else who or how


def assemble(keyring: Keyring, communication: Communication, facts: Facts | None = None) -> Dossier:
    """The dossier of ``communication`` from ``facts`` (by default the ones saved on it)."""
    facts = facts if facts is not None else facts_of(keyring, communication)
    opened = keyring.opened(communication)
    wanted = {chosen.id for chosen in facts.incidents}
    incidents = {
        incident.id: incident
        for incident in Incident.objects.filter(case_id=communication.case_id, pk__in=wanted)
    }
    violations = [
        _violation(keyring, incidents[chosen.id], chosen)
        for chosen in facts.incidents
        if chosen.id in incidents
    ]
    violations.sort(key=lambda item: item.on or datetime.date.max)
    actors = {
        actor.id: actor
        for actor in Actor.objects.filter(case_id=communication.case_id, pk__in=facts.actors)
    }
    types = vocabularies.load("perpetrator_types")
    perpetrators = [
        Perpetrator(keyring.text(actors[a], "name"), types.label(actors[a].actor_type))
        for a in facts.actors
        if a in actors
    ]
    return Dossier(
        mechanism=_label(Mechanism, communication.mechanism),
        kind=_label(CommunicationKind, communication.kind),
        language=communication.language,
        title=str(opened.title),
        prepared_on=timezone.localdate(),
        reference=keyring.text(communication, "reference"),
        victim=_victim(keyring, communication),
        publicity=_label(Publicity, communication.publicity),
        hrd_status=keyring.text(communication, "hrd_status"),
        violations=violations,
        perpetrators=perpetrators,
        action_taken=keyring.text(communication, "action_taken"),
        requests=keyring.text(communication, "requests"),
        source=keyring.text(communication, "source"),
        confidentiality=keyring.text(communication, "confidentiality"),
        consent_on=communication.consent_on,
        missing=len(wanted - set(incidents)) + len(set(facts.actors) - set(actors)),
    )


def check_exportable(communication: Communication, dossier: Dossier) -> None:
    """Refuse (:class:`DossierRefused`) what may not leave the desk yet."""
    if communication.consent_withdrawn_on is not None:
        raise DossierRefused(
            "consent_withdrawn",
            _(
                "The defender withdrew their consent to this communication on %(day)s: it "
                "cannot be exported. Record their consent again if they give it."
            )
            % {"day": communication.consent_withdrawn_on.isoformat()},
        )
    if communication.consent_on is None:
        raise DossierRefused(
            "no_consent",
            _(
                "The defender's consent to submit this communication is not recorded: ask "
                "them, then record the day they agreed before exporting."
            ),
        )
    if not dossier.violations:
        raise DossierRefused(
            "no_violation",
            _("The dossier has no violation: choose at least one incident of the case."),
        )
    if any(item.on is None for item in dossier.violations):
        # No title in the message: it may travel in the session (a redirect's message).
        raise DossierRefused(
            "violation_without_date",
            _(
                "A violation of the dossier has no date: choose the facts again and give each "
                "violation the day it happened."
            ),
        )


# --- the two exports ------------------------------------------------------------------------


def to_html(dossier: Dossier) -> str:
    return render_to_string("advocacy/dossier_print.html", {"dossier": dossier})


def to_docx(dossier: Dossier) -> bytes:
    """The dossier as a Word document, built in memory, with blank document properties
    (python-docx's template names no author; we clear the rest)."""
    from docx import Document

    document = Document()
    core = document.core_properties
    core.author = core.last_modified_by = core.comments = core.keywords = core.subject = ""
    core.title = ""
    core.created = core.modified = datetime.datetime.combine(
        dossier.prepared_on, datetime.time(), tzinfo=datetime.UTC
    )
    document.add_heading(dossier.title or dossier.kind, level=0)
    _pairs(
        document,
        [
            (_("Mechanism"), dossier.mechanism),
            (_("Kind of communication"), dossier.kind),
            (_("Prepared on"), dossier.prepared_on.isoformat()),
            (_("Reference"), dossier.reference),
        ],
    )
    document.add_heading(_("The victim"), level=1)
    if dossier.victim:
        victim = dossier.victim
        _pairs(
            document,
            [
                (_("Name"), victim.name),
                (_("Kind"), victim.kind),
                (_("Gender"), victim.gender),
                (_("Where"), victim.place),
                (_("Sectors"), ", ".join(victim.sectors)),
                (_("Publication of the name"), dossier.publicity),
            ],
        )
    document.add_heading(_("Why they are a human rights defender"), level=1)
    _text(document, dossier.hrd_status)
    document.add_heading(_("Violations, in order"), level=1)
    for number, item in enumerate(dossier.violations, start=1):
        day = item.on.isoformat() if item.on else ""
        document.add_heading(f"{number}. {day} — {item.title}", level=2)
        _pairs(
            document,
            [
                (_("Place"), item.place),
                (_("Kind of violation"), ", ".join(item.types)),
            ],
        )
        if item.articles:
            document.add_paragraph().add_run(
                _("Articles of the UN Declaration on Human Rights Defenders")
            ).bold = True
        for article in item.articles:
            document.add_paragraph(article, style="List Bullet")
        _labelled(document, _("What happened"), item.narrative)
        _labelled(document, _("Harm and consequences"), item.consequences)
        _labelled(document, _("Response of the authorities"), item.authorities)
        _labelled(document, _("Analysis"), item.analysis)
        for source in item.sources:
            _labelled(document, _("Source"), source)
    document.add_heading(_("Alleged perpetrators"), level=1)
    for person in dossier.perpetrators:
        document.add_paragraph(f"{person.name} ({person.kind})", style="List Bullet")
    if not dossier.perpetrators:
        document.add_paragraph(_("Not identified."))
    document.add_heading(_("Action already taken"), level=1)
    _text(document, dossier.action_taken)
    document.add_heading(_("What is asked"), level=1)
    _text(document, dossier.requests)
    document.add_heading(_("Source of the communication"), level=1)
    _text(document, dossier.source)
    document.add_heading(_("Consent and confidentiality"), level=1)
    if dossier.consent_on:
        document.add_paragraph(
            _("The victim consented to this communication on %(day)s.")
            % {"day": dossier.consent_on.isoformat()}
        )
    _text(document, dossier.confidentiality)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pairs(document: Any, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)


def _labelled(document: Any, label: str, value: str) -> None:
    if value:
        document.add_paragraph().add_run(label).bold = True
        _text(document, value)


def _text(document: Any, value: str) -> None:
    for part in (value or "").split("\n\n"):
        if part.strip():
            document.add_paragraph(part.strip())
