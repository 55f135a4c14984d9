"""What each domain module plugs into the floor, declared from its own ``integration.py``.

A module never edits a central file to exist. In its ``AppConfig.ready`` it calls
``integration.register()``, which declares here:

* its **record types** (:class:`RecordType`): what one is called, where one is shown, whether
  files can be attached to it — search, attachments, rotation, deletion and the damaged-record
  check all find records through this list;
* its **case-page sections** (:class:`Section`): a template and a function that builds its
  context, shown on the case page in ``order``;
* its **URLs** (a prefix and its ``urls`` module), its **navigation** entries, its **audit codes** (``protectdesk.audit.codes.register``);
* hooks for records that own more than envelopes (:class:`Dependents`: files to destroy when
  their record goes, a custom rotation step);
* **watches** (:func:`register_watch`): what to recompute in a case when a record of given
  types is saved or deleted (escalation flags when an incident changes, for example), so a
  module reacts to another's writes without the writer knowing it exists;
* **reminders** (:func:`register_reminders`): what is due soon in the viewer's cases, for
  the home page (a communication's deadline, a flagged video, a referral to follow up);
* its **authorization-matrix routes** and **canary writers** (:class:`RouteRule`,
  :func:`register_canary`), which the test suite enumerates: a route or an identifying field
  without one fails the tests.

The registry holds declarations only, never keys or plaintext.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise

from protectdesk.records.fields import searchable_fields
from protectdesk.records.models import Case

if TYPE_CHECKING:
    from django.http import HttpRequest

    from protectdesk.accounts.models import User
    from protectdesk.records.keyring import Keyring


# --- record types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordType:
    """A kind of case record: ``model`` plus how people reach and name one."""

    model: type[models.Model]
    title: Promise  # what a record of this type is called ("Security incident")
    url: Callable[[Case, uuid.UUID], str]  # where a record is shown
    attachable: bool = False  # files can be attached to it (the upload form offers it)
    #: Its files are always staff-only (a record of the staff side of the case: a video).
    staff_files: bool = False

    @property
    def label(self) -> str:
        return label_of(self.model)

    @property
    def fields(self) -> list[str]:
        """The fields whose words go into the case's blind index."""
        return searchable_fields(self.model)

    def field_label(self, name: str) -> str:
        return str(getattr(self.model._meta.get_field(name), "verbose_name", None) or name)

    def exists(self, case: Case, record_id: uuid.UUID) -> bool:
        """Is ``record_id`` a record of this type in ``case``?"""
        if self.model is Case:
            return case.id == record_id
        return self.model._default_manager.filter(case=case, pk=record_id).exists()

    def records_of(self, case: Case) -> Any:
        manager = self.model._default_manager
        return manager.filter(pk=case.pk) if self.model is Case else manager.filter(case=case)


TYPES: dict[str, RecordType] = {}


def label_of(record: models.Model | type[models.Model]) -> str:
    """The stable label a record type is stored under ("incidents.incident")."""
    return str(record._meta.label_lower)


def register(kind: RecordType) -> None:
    TYPES[kind.label] = kind


def type_of(record: models.Model) -> RecordType | None:
    return TYPES.get(label_of(record))


def searchable_types() -> dict[str, RecordType]:
    return {label: kind for label, kind in TYPES.items() if kind.fields}


def attachable_types() -> dict[str, RecordType]:
    return {label: kind for label, kind in TYPES.items() if kind.attachable}


# --- records that own more than envelopes ---------------------------------------------------

#: (keyring, record, new key version) → True when it changed the record.
RotateStep = Callable[["Keyring", models.Model, int], bool]


@dataclass(frozen=True)
class Dependents:
    """What a module keeps for records of other modules, or for its own special records.

    ``on_delete`` runs inside the deleting transaction for every record being deleted (for
    example: remove the record's attachments and schedule their files for removal after
    commit). ``rotate`` replaces the generic re-sealing for the module's own ``model``;
    ``after_rotation`` runs after a rotation has committed (remove superseded files).
    """

    on_delete: Callable[[User | None, models.Model], None] | None = None
    model: type[models.Model] | None = None
    rotate: RotateStep | None = None
    after_rotation: Callable[[Case, int], None] | None = None


DEPENDENTS: list[Dependents] = []


def register_dependents(dependents: Dependents) -> None:
    if dependents not in DEPENDENTS:
        DEPENDENTS.append(dependents)


def rotate_step_for(model: type[models.Model]) -> RotateStep | None:
    for dependents in DEPENDENTS:
        if dependents.model is model and dependents.rotate is not None:
            return dependents.rotate
    return None


# --- watching other modules' writes -------------------------------------------------------

#: (actor, keyring, case) → recompute what the module derives from the case's records. Runs
#: inside the writing transaction, after the write; it must not write encrypted fields of the
#: watched types (it would be called again).
Watcher = Callable[["User | None", "Keyring", Case], None]


@dataclass(frozen=True)
class Watch:
    labels: frozenset[str]  # model labels, lower case ("incidents.incident")
    callback: Watcher


WATCHES: list[Watch] = []


def register_watch(labels: Iterable[str], callback: Watcher) -> None:
    watch = Watch(frozenset(label.lower() for label in labels), callback)
    if watch not in WATCHES:
        WATCHES.append(watch)


def watchers_for(label: str) -> list[Watcher]:
    return [watch.callback for watch in WATCHES if label.lower() in watch.labels]


# --- the printed plan ------------------------------------------------------------------------

#: (case, keyring) → a chart (``protectdesk.lib.charts.Chart``) or None: modules whose charts
#: belong on paper too (the latest security wheel) add one; the printed plan shows them all.
PrintChart = Callable[[Case, "Keyring"], Any]
PRINT_CHARTS: list[PrintChart] = []


def register_print_chart(chart: PrintChart) -> None:
    if chart not in PRINT_CHARTS:
        PRINT_CHARTS.append(chart)


# --- the case page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A part of the case page contributed by a module.

    ``context(request, case, keyring)`` returns the template's variables; it is called only
    for viewers who may see the section (``staff_only`` sections are skipped for the
    defender's account).
    """

    name: str  # also the anchor: <section id="{name}">
    template: str
    context: Callable[[HttpRequest, Case, Keyring], dict[str, Any]]
    order: int = 100
    staff_only: bool = False


SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    SECTIONS[:] = [s for s in SECTIONS if s.name != section.name] + [section]
    SECTIONS.sort(key=lambda s: (s.order, s.name))


# --- URLs ---------------------------------------------------------------------------------

#: (path prefix, urlconf module) of every module, included by protectdesk/urls.py in order.
URLS: list[tuple[str, str]] = []


def register_urls(prefix: str, urlconf: str) -> None:
    if (prefix, urlconf) not in URLS:
        URLS.append((prefix, urlconf))


# --- navigation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: Promise
    roles: frozenset[str]
    order: int = 100


NAVIGATION: list[NavEntry] = []


def register_navigation(entry: NavEntry) -> None:
    NAVIGATION[:] = [e for e in NAVIGATION if e.url_name != entry.url_name] + [entry]
    NAVIGATION.sort(key=lambda e: e.order)


# --- what the test suite enumerates ---------------------------------------------------------


@dataclass(frozen=True)
class RouteRule:
    """How one URL name must answer each persona (the authorization matrix).

    ``access`` is one of:

    * ``"case"`` — a route of one case: staff members get ``member``, the defender's account
      ``defender``, everyone else (other staff of the desk, other desks) 404, anonymous the
      sign-in page;
    * ``"staff"`` — signed-in staff of the desk get ``member``, the defender's account
      ``defender``;
    * ``"managers"`` — coordinators and administrators get ``member``, others 403;
    * ``"public"`` — everyone, signed in or not, gets ``member`` (the public library);
    * ``"trainers"`` — pages of the desk's training: the trainer gets ``member``, the
      defender's account ``defender`` (403 unless said), other staff 403 unless overridden;
    * ``"workshop"`` — a route of one workshop (``sample`` makes it, as the trainer): the
      trainer who made it gets ``member``, everyone else of the desk or another 404, anonymous
      the sign-in page.

    ``sample(actor, keyring, case)`` makes the record a route needs and returns the URL's
    keyword arguments besides ``case_id`` (it uses the module's own actions); ``overrides``
    names the personas that answer otherwise than their class (``{"admin": 403}``).
    """

    method: str
    access: str
    member: int
    defender: int = 404
    sample: Callable[[User, Keyring, Case], dict[str, Any]] | None = None
    overrides: Mapping[str, int | str] | None = None  # a status, or "login" (sign-in page)


ROUTES: dict[str, RouteRule] = {}


def register_routes(rules: dict[str, RouteRule]) -> None:
    ROUTES.update(rules)


#: A canary writer: (actor, keyring, case, values) → writes every identifying field of the
#: module's record types in ``case`` through the module's real actions, putting
#: ``values[model label][field name]`` (a unique canary string) in each. A module whose
#: records live in a compartment of their own (a workshop) returns that compartment.
CanaryWriter = Callable[["User", "Keyring", Case, dict[str, dict[str, str]]], "Case | None"]
#: model label ("notes.Note") → the writer that fills that model's identifying fields.
CANARY_WRITERS: dict[str, CanaryWriter] = {}


def register_canary(labels: Iterable[str], writer: CanaryWriter) -> None:
    for label in labels:
        CANARY_WRITERS[label] = writer


# --- reminders on the dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """Something due in a case the viewer works on, from clear fields only (a date, a status):
    shown on the home page by case reference, with where to act."""

    due: datetime.date
    reference: str
    text: str
    url: str


#: (viewer, today) → the module's reminders for the cases the viewer is a staff member of.
ReminderSource = Callable[["User", datetime.date], list[Reminder]]
REMINDERS: list[ReminderSource] = []
#: How far ahead the dashboard looks (what is overdue is always shown).
REMINDER_DAYS = 14


def register_reminders(source: ReminderSource) -> None:
    if source not in REMINDERS:
        REMINDERS.append(source)


def reminders_for(viewer: User, today: datetime.date) -> list[Reminder]:
    found = [reminder for source in REMINDERS for reminder in source(viewer, today)]
    return sorted(found, key=lambda r: (r.due, r.reference, r.text))
