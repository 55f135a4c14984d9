"""One error pattern for every form (issue 10), held for every form route of the app.

For each URL that takes a POST, :data:`FORMS` says either what invalid data to send (and which
fields the error summary must then name), or why the route has nothing to type. Each refusal is
posted as a persona allowed to use the form, and the page that answers must:

* answer 400 (409 for an edit conflict), with a ``<title>`` starting "Error:";
* open ``<main>`` with the summary (``role="alert"``, a heading), before the form;
* link every field in error from the summary to the id of its input (``<input>``, ``<select>``
  or ``<textarea>``, the first one of a group), the link naming the field's label and saying
  the same message that stands beside the field, joined to it by ``aria-describedby``;
* show again everything that was typed or chosen (passwords excepted: never echoed back).

A route that takes a POST and has no entry fails :func:`test_every_form_route_has_an_entry`:
adding a form means adding its refusal here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from protectdesk.accounts import setup
from protectdesk.accounts.actions import two_factor
from protectdesk.cases.models import Defender
from protectdesk.incidents.models import Actor, Incident
from tests.conftest import PASSWORD, sign_in
from tests.routes import MATRIX

# --- reading a page -------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    order: int  # position in the document
    text: str = ""
    fieldset: Element | None = None  # the nearest enclosing <fieldset>
    legend: str = ""  # a <fieldset>'s legend
    selected: list[str] = field(default_factory=list)  # a <select>'s chosen values
    options: list[str] = field(default_factory=list)  # a <select>'s values

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Page(HTMLParser):
    """The parts of an HTML page the pattern is about."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, Element] = {}
        self.elements: list[Element] = []
        self.labels: dict[str, str] = {}  # <label for=…> → its text
        self.summary: Element | None = None
        self.summary_links: list[tuple[str, str]] = []  # (href, text)
        self.summary_items: list[str] = []
        self.main_first: Element | None = None
        self.title = ""
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def _nearest(self, tag: str) -> Element | None:
        return next((e for e in reversed(self._open) if e.tag == tag), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, len(self.elements))
        element.fieldset = self._nearest("fieldset")
        self.elements.append(element)
        if "id" in element.attrs:
            assert element.attrs["id"] not in self.ids, f"id {element.attrs['id']!r} repeated"
            self.ids[element.attrs["id"]] = element
        if self._open and self._open[-1].tag == "main" and self.main_first is None:
            self.main_first = element
        if "error-summary" in element.classes:
            self.summary = element
        if tag == "option" and (select := self._nearest("select")) is not None:
            select.options.append(element.attrs.get("value", ""))
            if "selected" in element.attrs:
                select.selected.append(element.attrs.get("value", ""))
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if all(element.tag != tag for element in self._open):
            return  # a stray end tag closes nothing
        while self._open:
            element = self._open.pop()
            self._closed(element)
            if element.tag == tag:
                break

    def _closed(self, element: Element) -> None:
        text = " ".join(element.text.split())
        element.text = text
        if element.tag == "label" and "for" in element.attrs:
            self.labels[element.attrs["for"]] = text
        elif element.tag == "legend" and element.fieldset is not None:
            element.fieldset.legend = text
        elif element.tag == "title":
            self.title = text
        inside_summary = self.summary is not None and self.summary in self._open
        if inside_summary and element.tag == "a":
            self.summary_links.append((element.attrs.get("href", ""), text))
        elif inside_summary and element.tag == "li":
            self.summary_items.append(text)

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    # what the checks ask ---------------------------------------------------------------------

    def controls(self, name: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in ("input", "select", "textarea") and e.attrs.get("name") == name
        ]

    def label_of(self, control: Element) -> str:
        if control.attrs.get("type") in ("radio", "checkbox") and control.fieldset is not None:
            return control.fieldset.legend
        return self.labels.get(control.attrs.get("id", ""), "")

    def described_by(self, control: Element) -> list[Element]:
        """The elements that describe a control (a group's: its fieldset's)."""
        grouped = control.attrs.get("type") in ("radio", "checkbox") and control.fieldset
        owner = control.fieldset if grouped else control
        assert owner is not None
        ids = owner.attrs.get("aria-describedby", "").split()
        return [self.ids[i] for i in ids if i in self.ids]


# --- what each form route must do with invalid data ------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Invalid data for a form, and what the error summary must then name."""

    persona: str  # who posts: "anonymous" or an attribute of the desks fixture
    data: Callable[[Any], dict[str, Any]]  # desks → the invalid payload
    bad: tuple[str, ...]  # the posted field names the summary must link to
    status: tuple[int, ...] = (400,)
    client: Callable[[Any], Client] | None = None  # a client in a particular state
    fresh: bool = False  # a server with no desk yet (first run): posted from its own test


@dataclass(frozen=True)
class NothingToType:
    """A form route the pattern does not apply to, and why."""

    reason: str


BUTTONS = NothingToType("a button only (its values are fixed in the page)")
LIST_CHOICE = NothingToType(
    "one choice from a list and a button, in a table or a section: a value not on the list can "
    "only be forged, and is refused with a message after a redirect"
)


def _client_as(desks: Any, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        sign_in(client, getattr(desks, persona).login)
    return client


def _half_signed_in_with_code(desks: Any) -> Client:
    """A browser at the code step: the caseworker has an authenticator app."""
    secret = two_factor.new_enrolment_secret()
    code = f"{totp(bytes.fromhex(secret)):06d}"
    assert two_factor.confirm_totp(user=desks.caseworker, secret_hex=secret, code=code)
    client = Client()
    response = client.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login_code")
    return client


def _signed_in_with_two_factor(desks: Any) -> Client:
    """The caseworker, signed in, who has since set up an authenticator app."""
    client = _client_as(desks, "caseworker")
    secret = two_factor.new_enrolment_secret()
    code = f"{totp(bytes.fromhex(secret)):06d}"
    assert two_factor.confirm_totp(user=desks.caseworker, secret_hex=secret, code=code)
    return client


def _half_signed_in_must_enrol(desks: Any) -> Client:
    """A browser at the forced enrolment step: the desk now requires two-factor for staff."""
    desks.desk.require_staff_2fa = True
    desks.desk.save(update_fields=["require_staff_2fa"])
    client = Client()
    response = client.post("/login/", {"login": desks.caseworker.login, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login_enrol")
    return client


def _without_key(desks: Any) -> Client:
    """A signed-in browser that lost its ``pd_key`` cookie: it must unlock again."""
    client = _client_as(desks, "caseworker")
    del client.cookies["pd_key"]
    return client


def _incident(**extra: Any) -> dict[str, Any]:
    """An incident with a missing title, a day that does not exist, no type; a new actor with
    neither type nor name; a source described but not rated."""
    return {
        "title": "",
        "when": "31/02/2026",
        "exact_time": "21:40",
        "country": "GT",
        "subdivision": "GT-16",
        "place": "Corner of the market",
        "nature": "physical",
        "narrative": "Two men asked neighbours at what time she leaves home.",
        "consequences": "She changed her route.",
        "affected": ["defender", "family"],
        "authority_response": "not_reported",
        "reaction": "She stayed with relatives.",
        "perpetrators-TOTAL_FORMS": "2",
        "perpetrators-INITIAL_FORMS": "0",
        "perpetrators-0-actor": "new",
        "perpetrators-0-new_type": "",
        "perpetrators-0-new_name": "",
        "perpetrators-0-confidence": "likely",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-description": "The shopkeeper across the street",
        **extra,
    }


INCIDENT_BAD = (
    "title",
    "when",
    "types",
    "perpetrators-0-new_type",
    "perpetrators-0-new_name",
    "sources-0-connection",
    "sources-0-reliability",
)


def _with_an_incident(desks: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``data``, once the case has an incident to choose (a forged one is chosen instead)."""
    from tests.incidents.helpers import log_incident_with

    log_incident_with(desks.caseworker, desks.case)
    return data


def _defender_version(desks: Any) -> int:
    return int(Defender.objects.get(case=desks.case).row_version)


FORMS: dict[str, Refusal | NothingToType] = {
    # --- the shell and sign-in (the sign-in views answer 200 today; 400 is the pattern) ---
    "set_language": NothingToType("the language menu: an unknown language is ignored"),
    "accounts:login": Refusal(
        "anonymous",
        lambda desks: {"login": "someone@test.example", "password": ""},
        ("password",),
        status=(200, 400),
    ),
    "accounts:login_code": Refusal(
        "anonymous",
        lambda desks: {"code": ""},
        ("code",),
        status=(200, 400),
        client=_half_signed_in_with_code,
    ),
    "accounts:login_enrol": Refusal(
        "anonymous",
        lambda desks: {"code": ""},
        ("code",),
        status=(200, 400),
        client=_half_signed_in_must_enrol,
    ),
    "accounts:unlock": Refusal(
        "caseworker",
        lambda desks: {"password": ""},
        ("password",),
        status=(200, 400),
        client=_without_key,
    ),
    "accounts:logout": BUTTONS,
    "accounts:accept_invitation": Refusal(
        "anonymous",
        lambda desks: {
            "display_name": "Ana Nueva",
            "new_password": "a quiet river under the old bridge",
            "new_password_again": "a quiet river under the new bridge",
        },
        ("new_password_again",),
        status=(200, 400),
    ),
    "accounts:first_run": Refusal(
        "anonymous",
        lambda desks: {
            "desk_name": "",
            "country": "XX",
            "reference_prefix": "G T!",
            "email": "not an address",
            "display_name": "First Coordinator",
            "new_password": "first coordinator passphrase",
            "new_password_again": "first coordinator passphrase",
        },
        ("desk_name", "country", "reference_prefix", "email"),
        fresh=True,
    ),
    # --- my account ---
    "accounts:change_password": Refusal(
        "caseworker",
        lambda desks: {"old_password": "", "new_password": "one", "new_password_again": "two"},
        ("old_password", "new_password_again"),
    ),
    "accounts:revoke_sessions": BUTTONS,
    "accounts:totp_enrol": Refusal(
        "caseworker", lambda desks: {"code": ""}, ("code",), status=(200, 400)
    ),
    "accounts:totp_disable": Refusal(
        "caseworker",
        lambda desks: {"password": "not my password"},
        ("password",),
        client=_signed_in_with_two_factor,
    ),
    "accounts:recovery_codes": Refusal(
        "caseworker",
        lambda desks: {"password": ""},
        ("password",),
        client=_signed_in_with_two_factor,
    ),
    # --- staff and the desk ---
    "accounts:invite": Refusal(
        "coordinator",
        lambda desks: {"login": "not an address", "display_name": "Ana Nueva", "role": "pilot"},
        ("login", "role"),
    ),
    "accounts:reinvite": BUTTONS,
    "accounts:change_role": LIST_CHOICE,
    "accounts:set_active": BUTTONS,
    "accounts:revoke_invitation": BUTTONS,
    "accounts:desk_settings": Refusal(
        "coordinator",
        lambda desks: {"name": "", "require_staff_2fa": "on"},
        ("name", "languages"),
    ),
    # --- cases ---
    "api:tokens": Refusal(
        "caseworker",
        lambda d: {"label": "x" * 81, "scope": "", "days": "", "password": ""},
        ("label", "scope", "days", "password"),
    ),
    "api:revoke": BUTTONS,
    "cases:new": Refusal(
        "caseworker",
        lambda desks: {
            "kind": "",
            "name": "",
            "aliases": "Ani",
            "country": "GT",
            "subdivision": "GT-16",
            "location": "Zona 1, behind the church",
            "contacts": "+502 5555 0000",
            "sectors": ["land_environment"],
            "description": "w" * 20001,
        },
        ("kind", "name", "description"),
    ),
    "cases:edit_defender": Refusal(
        "caseworker",
        lambda desks: {
            "row_version": _defender_version(desks),
            "kind": "individual",
            "name": "",
            "aliases": "Ani",
            "country": "XX",
            "contacts": "Signal only",
        },
        ("name", "country"),
    ),
    "cases:consent": Refusal(
        "caseworker",
        lambda desks: {
            "given_on": "31/02/2026",
            "store_data": "on",
            "share_with_partners": "on",
            "partners": "",
            "notes": "Given by phone, with her lawyer present",
        },
        ("given_on", "partners"),
    ),
    "cases:notes": Refusal(
        "caseworker",
        lambda desks: {"staff_notes": "n" * 50001, "row_version": desks.case.row_version},
        ("staff_notes",),
    ),
    "cases:status": LIST_CHOICE,
    "cases:add_member": LIST_CHOICE,
    "cases:link": LIST_CHOICE,
    "cases:remove_member": BUTTONS,
    "cases:unlink": BUTTONS,
    "cases:invite_defender": BUTTONS,
    "cases:rotate": BUTTONS,
    "cases:restore_access": Refusal("coordinator", lambda desks: {"phrase": ""}, ("phrase",)),
    # --- files ---
    "attachments:upload": NothingToType(
        "a file: refused with a message placed at the files section (the uploads work)"
    ),
    "attachments:remove": BUTTONS,
    # --- incidents ---
    "incidents:list": Refusal(
        "caseworker",
        lambda desks: {
            "words": "market",
            "month_from": "2026-13",
            "month_to": "soon",
            "severity_min": "9",
            "types": ["surveillance"],
        },
        ("month_from", "month_to", "severity_min"),
    ),
    "incidents:new": Refusal("caseworker", lambda desks: _incident(), INCIDENT_BAD),
    "incidents:report": Refusal(
        "defender",
        lambda desks: {"title": "", "when": "2999-01-01", "narrative": "", "nature": "physical"},
        ("title", "when", "types", "narrative"),
    ),
    "incidents:review": BUTTONS,
    "cases:own_profile": Refusal(
        "defender",
        lambda desks: {"contacts": "x" * 4001, "row_version": str(_defender_version(desks))},
        ("contacts",),
    ),
    "incidents:edit": Refusal(
        "caseworker",
        lambda desks: _incident(row_version=str(Incident.objects.get(case=desks.case).row_version)),
        INCIDENT_BAD,
    ),
    # --- threats: the actors map and the five steps ---
    "threats:actors": Refusal(
        "caseworker",
        lambda desks: {
            "actor_type": "",
            "name": "",
            "stance": "resisting",
            "influence": "9",
            "notes": "Seen twice near the office",
        },
        ("actor_type", "name", "influence"),
    ),
    "threats:edit_actor": Refusal(
        "caseworker",
        lambda desks: {
            "actor_type": "state_police",
            "name": "",
            "stance": "",
            "notes": "Seen twice near the office",
            "row_version": str(Actor.objects.get(case=desks.case).row_version),
        },
        ("name", "stance"),
    ),
    "threats:add_relation": Refusal(
        "caseworker",
        lambda desks: {"relation-source": "", "relation-kind": "funds", "relation-target": ""},
        ("relation-source", "relation-target"),
    ),
    "threats:remove_relation": BUTTONS,
    "threats:new": Refusal(
        "caseworker",
        lambda desks: _with_an_incident(
            desks, {"title": "", "facts": "", "incidents": [str(uuid.uuid4())]}
        ),
        ("title", "incidents", "facts"),
    ),
    "threats:step": Refusal(
        "caseworker",
        lambda desks: {"pattern": "", "row_version": "1"},
        ("pattern",),
    ),
    # --- risk ---
    "risk:analyses": BUTTONS,
    "risk:analysis": Refusal(
        "caseworker",
        lambda desks: {"threshold": "extreme", "decider": "The assembly", "row_version": "1"},
        ("threshold",),
    ),
    "risk:new_scenario": Refusal(
        "caseworker",
        lambda desks: {
            "title": "",
            "threat": "7",
            "likelihood": "3",
            "impact": "",
            "kind_exposure": "vulnerability",
            "rating_exposure": "",
            "rating_networks": "4",
        },
        ("title", "threat", "impact", "rating_exposure", "kind_networks"),
    ),
    "risk:scenario": Refusal(
        "caseworker",
        lambda desks: {
            "title": "Attack on the road",
            "threat": "0",
            "likelihood": "3",
            "impact": "3",
            "row_version": "1",
        },
        ("threat",),
    ),
    "risk:delete_scenario": BUTTONS,
    # --- plans ---
    "plans:start": BUTTONS,
    "plans:review": BUTTONS,
    "plans:measure_done": BUTTONS,
    "plans:check_in": NothingToType("a button and an optional note: nothing to refuse"),
    "plans:edit": Refusal(
        "caseworker",
        lambda desks: {
            "threats_to_reduce": "Kept",
            "next_review": "2027-02-30",
            "row_version": "1",
        },
        ("next_review",),
    ),
    "plans:new_measure": Refusal(
        "caseworker",
        lambda desks: {
            "description": "",
            "strategy": "",
            "status": "planned",
            "due": "soon",
            "owner": "Kept",
        },
        ("description", "strategy", "due"),
    ),
    "plans:measure": Refusal(
        "caseworker",
        lambda desks: {
            "description": "",
            "strategy": "deterrence",
            "status": "planned",
            "row_version": "1",
        },
        ("description",),
    ),
    "plans:protocol": Refusal("caseworker", lambda desks: {"text": ""}, ("text",)),
    "plans:contingency": Refusal(
        "caseworker",
        lambda desks: {"steps": "", "who": "Kept", "checkin_every_hours": "6"},
        ("steps", "checkin_from", "checkin_until"),
    ),
    # --- wheel ---
    "wheel:sessions": Refusal(
        "caseworker",
        lambda desks: {"wheel": "travel", "held_on": "2026-02-30", "title": "Kept"},
        ("wheel", "held_on"),
    ),
    "wheel:session": Refusal(
        "caseworker",
        lambda desks: {
            "label": "Kept",
            "submission": str(uuid.uuid4()),
            "score_experience": "101",
            "score_training": "-1",
            "barriers_training": "Kept",
            "score_planning": "a lot",
            "solutions_rules": "Kept without a score",
        },
        ("score_experience", "score_training", "score_planning", "score_rules"),
    ),
    "wheel:make_measure": BUTTONS,
    # --- exports ---
    "exports:case": Refusal("caseworker", lambda desks: {"file_format": "xlsx"}, ("confirm",)),
    # --- imports ---
    "imports:upload": Refusal("caseworker", lambda desks: {}, ("sheet",)),
    "imports:case_upload": Refusal("caseworker", lambda desks: {}, ("sheet",)),
    "imports:sheet": Refusal(
        "caseworker", lambda desks: {"column_0": "title", "column_1": "title"}, ("column_1",)
    ),
    "imports:confirm": BUTTONS,
    "imports:cancel": BUTTONS,
    # --- search ---
    "search:search": Refusal("caseworker", lambda desks: {"query": "q" * 3000}, ("query",)),
    # --- library ---
    "library:new": Refusal(
        "caseworker",
        lambda desks: {
            "slug": "Not A Slug",
            "kind": "guide",
            "audience": "defenders",
            "licence": "cc-by-4.0",
            "published_on": "2026-03-31",
        },
        ("slug", "topics"),
    ),
    "library:edit": Refusal(
        "caseworker",
        lambda desks: {
            "slug": "draft-guide",
            "kind": "guide",
            "audience": "defenders",
            "topics": ["digital_security"],
            "licence": "cc-by-4.0",
            "published_on": "31/02/2026",
            "row_version": "1",
        },
        ("published_on",),
    ),
    "library:edit_version": Refusal(
        "caseworker",
        lambda desks: {"title": "", "summary": "Checklist", "body": "Lock the phone."},
        ("title",),
    ),
    "library:publish": BUTTONS,
    "library:delete": BUTTONS,
    "library:delete_version": BUTTONS,
    # --- training ---
    "training:new": Refusal(
        "trainer",
        lambda desks: {"topic": "", "starts_on": "31/02/2026", "country": "GT", "venue": "Hall"},
        ("topic", "starts_on", "modules"),
    ),
    "training:edit": Refusal(
        "trainer",
        lambda desks: {
            "topic": "",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-01",
            "country": "GT",
            "modules": ["risk_analysis"],
            "questionnaire": "security_self_assessment",
            "row_version": "1",
        },
        ("topic", "ends_on"),
    ),
    "training:delete": Refusal("trainer", lambda desks: {"confirm": "not it"}, ("confirm",)),
    "training:add_trainer": Refusal("trainer", lambda desks: {"user": ""}, ("user",)),
    "training:remove_trainer": BUTTONS,
    "training:rotate": BUTTONS,
    "training:new_participant": Refusal(
        "trainer", lambda desks: {"name": "", "organisation": "River network"}, ("name",)
    ),
    "training:participant": Refusal(
        "trainer",
        lambda desks: {"name": " ", "case_reference": "", "contacts": "Signal", "row_version": "1"},
        ("name",),
    ),
    "training:remove_participant": NothingToType(
        "a confirmation box and a button: without the tick, a message after a redirect"
    ),
    "training:assessment": Refusal(
        "trainer",
        lambda desks: {"filled_on": "2099-01-01", "q_analyse_risk": "3", "comments": "Late"},
        ("filled_on",),
    ),
    "training:new_coaching": Refusal(
        "trainer", lambda desks: {"held_on": "31/02/2026", "notes": "Called her."}, ("held_on",)
    ),
    "training:coaching": Refusal(
        "trainer",
        lambda desks: {
            "held_on": "2026-01-10",
            "next_on": "2026-01-01",
            "notes": "Called her.",
            "row_version": "1",
        },
        ("next_on",),
    ),
    "training:coaching_measure": BUTTONS,
    "training:questionnaires": Refusal("coordinator", lambda desks: {}, ("file",)),
    # --- partners ---
    "partners:open": BUTTONS,
    "partners:give_access": BUTTONS,
    "partners:rotate": BUTTONS,
    "partners:recover": Refusal("coordinator", lambda desks: {"phrase": ""}, ("phrase",)),
    "partners:new": Refusal(
        "caseworker",
        lambda desks: {
            "name": "",
            "description": "Takes cases within a week.",
            "countries": ["GT"],
        },
        ("name", "services"),
    ),
    "partners:partner": Refusal(
        "caseworker",
        lambda desks: {"name": "Sample legal clinic", "services": [], "row_version": "1"},
        ("services",),
    ),
    "partners:new_contact": Refusal(
        "caseworker", lambda desks: {"name": "", "role": "Lawyer"}, ("name",)
    ),
    "partners:contact": Refusal(
        "caseworker",
        lambda desks: {"name": "", "channels": "Signal", "row_version": "1"},
        ("name",),
    ),
    "partners:remove_contact": BUTTONS,
    "partners:new_referral": Refusal(
        "caseworker",
        lambda desks: {
            "partner": "",
            "service": "legal_aid",
            "referred_on": "31/02/2026",
            "status": "requested",
        },
        ("partner", "referred_on"),
    ),
    "partners:referral": Refusal(
        "caseworker",
        lambda desks: {
            "partner": "",
            "service": "legal_aid",
            "referred_on": "2026-11-02",
            "follow_up_on": "2026-10-01",
            "status": "accepted",
            "row_version": "1",
        },
        ("partner", "follow_up_on"),
    ),
    # --- the observatory ---
    "advocacy:new_instrument": Refusal(
        "caseworker",
        lambda desks: {
            "country": "GT",
            "kind": "law",
            "title": "",
            "status": "in_force",
            "document": "not an address",
        },
        ("title", "document"),
    ),
    "advocacy:instrument": Refusal(
        "caseworker",
        lambda desks: {
            "country": "GT",
            "kind": "policy",
            "title": "Sample protection policy",
            "status": "in_force",
            "adopted_on": "31/02/2024",
            "row_version": "1",
        },
        ("adopted_on",),
    ),
    "advocacy:assess": Refusal(
        "caseworker",
        lambda desks: {"assessed_on": "2026-05-01", "score_legal_basis": "7"},
        ("score_legal_basis", "score_budget"),
    ),
    "advocacy:publish": BUTTONS,
    # --- analytics ---
    "analytics:settings": Refusal(
        "coordinator",
        lambda desks: {"k": "1", "period": "fortnight", "regions": "on"},
        ("k", "period"),
    ),
    # --- international communications ---
    "advocacy:new_communication": Refusal(
        "caseworker",
        lambda desks: {
            "mechanism": "iachr",
            "kind": "urgent_appeal",
            "language": "es",
            "title": "",
            "publicity": "confidential",
        },
        ("kind", "title"),
    ),
    "advocacy:edit_communication": Refusal(
        "caseworker",
        lambda desks: {
            "mechanism": "un_sr_hrd",
            "kind": "urgent_appeal",
            "language": "de",
            "title": "Sample appeal",
            "publicity": "confidential",
            "row_version": "1",
        },
        ("language",),
    ),
    "advocacy:communication_facts": Refusal(
        "caseworker",
        lambda desks: _with_an_incident(
            desks, {"incident_1": "on", "on_1": "", "row_version": "1"}
        ),
        ("on_1",),
    ),
    "advocacy:communication_consent": Refusal(
        "caseworker",
        lambda desks: {"given_on": "2999-01-01", "consent_notes": "In person", "row_version": "1"},
        ("given_on",),
    ),
    "advocacy:communication_withdraw": Refusal(
        "caseworker",
        lambda desks: {"withdrawn_on": "31/02/2026", "row_version": "1"},
        ("withdrawn_on",),
    ),
    "advocacy:communication_tracking": Refusal(
        "caseworker",
        lambda desks: {
            "status": "submitted",
            "submitted_on": "2026-11-20",
            "answered_on": "2026-11-01",
            "reference": "UA GTM 1/2026",
            "row_version": "1",
        },
        ("answered_on",),
    ),
    "advocacy:communication_follow_up": Refusal(
        "caseworker",
        lambda desks: {"followed_on": "2026-11-20", "text": "", "row_version": "1"},
        ("text",),
    ),
    # --- video advocacy ---
    "advocacy:new_video": Refusal(
        "caseworker", lambda desks: {"title": "", "kind": "clip"}, ("title",)
    ),
    "advocacy:edit_video": Refusal(
        "caseworker",
        lambda desks: {"title": "", "kind": "clip", "row_version": "1"},
        ("title",),
    ),
    "advocacy:new_person": Refusal(
        "caseworker",
        lambda desks: {"name": "", "consent": "blurred", "in_final_cut": "on"},
        ("name", "consent_on"),
    ),
    "advocacy:person": Refusal(
        "caseworker",
        lambda desks: {"name": "Sample person", "consent": "identified", "row_version": "1"},
        ("consent_on",),
    ),
    "advocacy:withdraw_person": Refusal(
        "caseworker",
        lambda desks: {"withdrawn_on": "", "row_version": "1"},
        ("withdrawn_on",),
    ),
    "advocacy:publish_video": Refusal(
        "caseworker",
        lambda desks: {"published_on": "2999-01-01", "row_version": "1"},
        ("published_on",),
    ),
    "advocacy:take_down_video": BUTTONS,
    # --- the public intake (issue 18) ---
    "intake:report": Refusal(
        "anonymous",
        lambda desks: {"what": "", "where": "Cobán", "token": _intake_token(), "lang": "en"},
        ("what",),
    ),
    "intake:follow": Refusal("anonymous", lambda desks: {"receipt": "ABCD EFGH"}, ("receipt",)),
    "intake:answer": Refusal(
        "anonymous", lambda desks: {"receipt": _intake_receipt(desks), "text": ""}, ("text",)
    ),
    "intake:open_door": BUTTONS,
    "intake:change_door": Refusal(
        "coordinator",
        lambda desks: {"retention_days": "3", "row_version": "1"},
        ("retention_days",),
    ),
    "intake:give_key": LIST_CHOICE,
    "intake:take_key": BUTTONS,
    "intake:renew_key": BUTTONS,
    "intake:recover": Refusal("coordinator", lambda desks: {"phrase": ""}, ("phrase",)),
    "intake:reply": Refusal(
        "caseworker", lambda desks: {"text": "", "row_version": "1"}, ("text",)
    ),
    "intake:open_case": Refusal(
        "caseworker",
        lambda desks: {"kind": "individual", "name": "", "country": "GT", "row_version": "1"},
        ("name",),
    ),
    "intake:add_to_case": Refusal(
        "caseworker", lambda desks: {"case": "", "row_version": "1"}, ("case",)
    ),
    "intake:close": BUTTONS,
    # --- the test suite's own module (tests/notes) ---
    "notes:delete": BUTTONS,
}


def _intake_token() -> str:
    from protectdesk.intake.public_views import _new_token

    return _new_token()


def _intake_receipt(desks: Any) -> str:
    from protectdesk.intake import actions

    return actions.receive(
        desk_id=desks.desk.id,
        report=actions.Report("a report to answer"),
        uploads=[],
        form_token=_intake_token(),
    ).receipt


REFUSALS = sorted(name for name, entry in FORMS.items() if isinstance(entry, Refusal))


def test_every_form_route_has_an_entry(desks):
    """Every route that takes a POST (anything but 405 to an anonymous POST) is in FORMS."""
    takes_post = set()
    anonymous = Client()
    for name, route in MATRIX.items():
        if anonymous.post(reverse(name, kwargs=route.kwargs(desks)), {}).status_code != 405:
            takes_post.add(name)
    missing = takes_post - set(FORMS)
    stale = set(FORMS) - takes_post
    assert not missing, f"form routes with no refusal in FORMS: {sorted(missing)}"
    assert not stale, f"FORMS entries for routes that take no POST: {sorted(stale)}"


# --- the checks -----------------------------------------------------------------------------


def assert_the_pattern(html: str, data: dict[str, Any], bad: tuple[str, ...]) -> Page:
    """The error pattern on a page answering ``data``, whose ``bad`` fields are refused."""
    page = Page(html)
    assert page.title.startswith("Error:"), page.title
    summary = page.summary
    assert summary is not None, "no error summary"
    assert page.main_first is summary, "the summary is not the first thing in <main>"
    assert summary.attrs.get("role") == "alert"
    heading = page.ids.get(summary.attrs.get("aria-labelledby", ""))
    assert heading is not None and heading.tag == "h2" and heading.text
    assert page.summary_items, "the summary lists nothing"

    linked: dict[str, str] = {}  # name of the control → the summary line
    for href, text in page.summary_links:
        assert href.startswith("#"), href
        target = page.ids.get(href[1:])
        assert target is not None, f"{href} links to no element of the page"
        assert target.tag in ("input", "select", "textarea"), f"{href} is a <{target.tag}>"
        assert target.attrs.get("type") != "hidden", f"{href} links to a hidden input"
        assert target.order > summary.order, f"{href}: the summary is not before the form"
        label = page.label_of(target)
        assert label and f"{label}: " in text, f"{text!r} does not name {label!r}"
        message = text.split(f"{label}: ", 1)[1]
        beside = [e.text for e in page.described_by(target) if "error" in e.classes]
        assert beside, f"{href}: no error message joined to the field by aria-describedby"
        assert any(message in line for line in beside), (message, beside)
        linked[target.attrs.get("name", "")] = text
    missing = [name for name in bad if name not in linked]
    assert not missing, f"the summary does not link to {missing}; it says {page.summary_items}"

    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        controls = page.controls(name)
        for typed in map(str, values):
            _assert_kept(page, name, typed, controls)
    return page


def _assert_kept(page: Page, name: str, typed: str, controls: list[Element]) -> None:
    """What was typed or chosen for ``name`` is shown again (where the page has a control)."""
    if not controls or not typed:
        return
    kinds = {c.attrs.get("type", c.tag) for c in controls}
    if "password" in kinds:
        return  # never echoed back, by design
    if kinds <= {"radio", "checkbox"}:
        offered = [c for c in controls if c.attrs.get("value", "on") == typed]
        assert not offered or "checked" in offered[0].attrs, f"{name}={typed!r} not ticked"
        return
    control = controls[0]
    if control.tag == "select":
        if typed in control.options:
            assert typed in control.selected, f"{name}={typed!r} not selected"
        return
    shown = control.text if control.tag == "textarea" else control.attrs.get("value", "")
    assert " ".join(typed.split()) == " ".join(shown.split()), f"{name}: {typed[:40]!r} lost"


@pytest.mark.parametrize("name", [n for n in REFUSALS if not FORMS[n].fresh])
def test_invalid_data_is_refused_with_the_pattern(desks, name):
    entry = FORMS[name]
    assert isinstance(entry, Refusal)
    url = reverse(name, kwargs=MATRIX[name].kwargs(desks))
    client = entry.client(desks) if entry.client else _client_as(desks, entry.persona)
    data = entry.data(desks)
    response = client.post(url, data)
    assert response.status_code in entry.status, (name, response.status_code)
    assert_the_pattern(response.content.decode(), data, entry.bad)


def test_first_run_refuses_with_the_pattern(db):
    entry = FORMS["accounts:first_run"]
    assert isinstance(entry, Refusal) and entry.fresh
    token = setup.issue_token()
    assert token
    data = entry.data(None)
    response = Client().post(reverse("accounts:first_run", args=[token]), data)
    assert response.status_code in entry.status
    assert_the_pattern(response.content.decode(), data, entry.bad)


# --- what the messages say ------------------------------------------------------------------


def _summary_of(response: Any) -> list[str]:
    return Page(response.content.decode()).summary_items


def test_a_form_of_the_case_page_is_shown_again_with_the_summary_on_top(desks, signed_in_client):
    """The consent form sits low on the long case page: the summary is at the top of it."""
    client = signed_in_client(desks.caseworker)
    response = client.post(
        reverse("cases:consent", args=[desks.case.id]), {"given_on": "2099-01-01"}
    )
    assert response.status_code == 400
    page = Page(response.content.decode())
    assert page.main_first is page.summary
    [(href, text)] = page.summary_links
    assert href == "#id_given_on"
    assert text.startswith("Date consent was given: This date is in the future")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("31/02/2026", "February 2026 has no day 31: it has 28 days."),
        ("2026-02-30", "February 2026 has no day 30: it has 28 days."),
        ("29/02/2025", "February 2025 has no day 29: it has 28 days."),
        ("2026-13-01", "There is no month 13: months go from 1 to 12."),
        ("13/2026", "There is no month 13: months go from 1 to 12."),
        ("2099-01-01", "This date is in the future"),
        ("2099", "This date is in the future"),
        ("1900-05-01", "This date is too far in the past: enter a year from 1950 on."),
        ("yesterday", "This does not match any accepted format."),
        ("2026.10.12", "YYYY-MM-DD or DD/MM/YYYY, as YYYY-MM or MM/YYYY"),
    ],
)
def test_incident_dates_say_what_is_wrong(desks, signed_in_client, typed, says):
    client = signed_in_client(desks.caseworker)
    response = client.post(
        reverse("incidents:new", args=[desks.case.id]), _incident(title="T", when=typed)
    )
    assert response.status_code == 400
    when = [line for line in _summary_of(response) if line.startswith("When it happened:")]
    assert when and says in when[0], _summary_of(response)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2026-02-31", "February 2026 has no day 31"),
        ("31/04/2026", "April 2026 has no day 31: it has 30 days."),
        ("2099-12-01", "This date is in the future: enter a date up to today"),
        ("next week", "This does not match any accepted date format. Write it as YYYY-MM-DD"),
        ("", "Enter the date consent was given."),
    ],
)
def test_consent_dates_say_what_is_wrong(desks, signed_in_client, typed, says):
    client = signed_in_client(desks.caseworker)
    response = client.post(reverse("cases:consent", args=[desks.case.id]), {"given_on": typed})
    assert response.status_code == 400
    assert any(says in line for line in _summary_of(response)), _summary_of(response)


def test_a_valid_day_in_either_format_is_read(desks, signed_in_client):
    from protectdesk.cases import queries
    from tests.conftest import keyring_of

    client = signed_in_client(desks.caseworker)
    for typed in ("14/03/2026", "2026-03-15"):
        response = client.post(
            reverse("cases:consent", args=[desks.case.id]), {"given_on": typed, "store_data": "on"}
        )
        assert response.status_code == 302, _summary_of(response)
    consent = queries.current_consent(keyring_of(desks.caseworker), desks.case)
    assert consent is not None and str(consent.given_on) == "2026-03-15"


def test_an_over_long_search_is_refused_with_its_length_not_cut(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    page = client.get(reverse("search:search")).content.decode()
    assert "maxlength" not in page  # the browser would cut a paste silently
    assert "Up to 200 characters." in page  # said before typing
    response = client.post(reverse("search:search"), {"query": "q" * 3000})
    assert response.status_code == 400
    assert _summary_of(response) == [
        "Words to find: This is 3,000 characters; the limit is 200. Shorten it and search again."
    ]
    assert "q" * 3000 in response.content.decode()  # shown again whole, to shorten


def test_lengths_are_written_in_the_users_language(desks, signed_in_client):
    client = signed_in_client(desks.caseworker)
    client.cookies["django_language"] = "pt"
    response = client.post(
        reverse("cases:notes", args=[desks.case.id]),
        {"staff_notes": "n" * 50001, "row_version": desks.case.row_version},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "50.001" in content and "50.000" in content


def test_no_field_of_any_form_carries_maxlength_or_required(desks, signed_in_client):
    """Browsers neither cut what is typed nor answer in their own language before the page."""
    client = signed_in_client(desks.caseworker)
    pages = [
        reverse("cases:new"),
        reverse("cases:detail", args=[desks.case.id]),
        reverse("cases:edit_defender", args=[desks.case.id]),
        reverse("incidents:new", args=[desks.case.id]),
        reverse("threats:actors", args=[desks.case.id]),
        reverse("threats:new", args=[desks.case.id]),
        reverse("incidents:list"),
        reverse("search:search"),
        reverse("accounts:account"),
    ]
    for url in pages:
        page = Page(client.get(url).content.decode())
        for element in page.elements:
            if element.tag in ("input", "select", "textarea"):
                assert "maxlength" not in element.attrs, (url, element.attrs)
                assert "required" not in element.attrs, (url, element.attrs)


# --- the tags themselves ----------------------------------------------------------------------


def test_the_tags_list_problems_put_in_the_context_and_forms_a_view_validated(db):
    from django.template import Context, Template
    from django.utils import translation

    from protectdesk.lib.forms import Problem
    from protectdesk.search.forms import SearchForm

    template = Template(
        "{% load protectdesk_forms %}<title>{% error_title_prefix %}T</title>{% error_summary %}"
    )
    # In English, whatever language an earlier test of this worker left active.
    with translation.override("en"):
        quiet = SearchForm({"query": ""})  # bound, never validated by a view: says nothing
        assert template.render(Context({"form": quiet})).strip() == "<title>T</title>"
        refused = SearchForm({"query": ""})
        refused.is_valid()
        upload = Problem("The file is empty.", "Add a file", "id_file_x")
        page = Page(template.render(Context({"form": refused, "upload": upload})))
    assert page.title == "Error: T"
    assert page.summary_links == [
        ("#id_query", "Words to find: Enter the words to find."),
        ("#id_file_x", "Add a file: The file is empty."),
    ]


def test_showing_the_regions_of_a_country_is_no_error(desks, signed_in_client):
    """The "show the regions" button re-renders the form unvalidated: no summary, no title."""
    client = signed_in_client(desks.caseworker)
    response = client.post(
        reverse("incidents:new", args=[desks.case.id]), _incident(country="HN", refresh="1")
    )
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.summary is None and not page.title.startswith("Error:")
