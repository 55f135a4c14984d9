"""Every write of capacity building: workshops and their trainers, participants, pre/post
self-assessments, coaching follow-ups, and a desk's own questionnaires.

Rules these functions keep (the reasoning is in :mod:`protectdesk.training.models`):

* a workshop is a compartment made like a case (:func:`create_workshop`): fresh keys, sealed
  to the trainer creating it and to the desk's recovery key; nothing else can open it;
* only its members (trainers) write or read inside it, with their keyring; coordinators,
  caseworkers and trainers of the desk may run workshops (:data:`TRAINING_ROLES`);
* adding a trainer needs a current trainer's keyring (the server alone cannot grant access);
  removing one deletes their boxes, and a workshop keeps at least one trainer;
* a linked participant's clear counts (gender, age band, sector, kind) are what the trainer
  enters, never copied from the defender's profile: a copy would let a trainer who is not a
  member read the profile, and let the database match the participant to the case;
* a participant is added once: the same defender's case, or the same name, twice in one
  workshop is refused with :class:`TrainingError` ``duplicate`` (names are compared after
  decryption, in memory, since the server cannot compare ciphertexts);
* the self-assessment *after* needs the one *before*, filled no later than it;
* an agreed coaching action becomes a measure of the defender's current plan only for a
  trainer who is also a staff member of that defender's case (their own keys of the case).
"""

from __future__ import annotations

import datetime
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts.models import Role, User
from protectdesk.audit.actions import record as audit_record
from protectdesk.cases.models import Consent
from protectdesk.crypto.casekeys import Purpose
from protectdesk.lib.refusals import Refusal
from protectdesk.library.models import Resource
from protectdesk.library.queries import linkable_resources
from protectdesk.plans import actions as plans
from protectdesk.plans.models import Measure, Strategy
from protectdesk.records import actions as records
from protectdesk.records import keys as case_keys
from protectdesk.records.keyring import Keyring, NoCaseAccess
from protectdesk.records.keys import fresh_user
from protectdesk.records.models import Case, CaseKind, CaseMember, MemberKind
from protectdesk.training import questionnaires
from protectdesk.training.models import (
    CoachingSession,
    DeskQuestionnaire,
    Material,
    Participant,
    Phase,
    SelfAssessment,
    Workshop,
    WorkshopSequence,
)

#: Who may run workshops: the desk's coordinators, caseworkers and trainers.
TRAINING_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER, Role.TRAINER})
#: The longest measure text the plan's form accepts (plans.forms.MeasureForm).
MEASURE_LIMIT = 20_000
MAX_ACTIONS = 20


class TrainingError(Refusal):
    """A write the rules refuse: ``code`` names the rule, ``message`` says it (translated)."""


# --- workshops ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopData:
    topic: str
    starts_on: datetime.date
    ends_on: datetime.date
    country: str
    subdivision: str = ""
    venue: str = ""
    modules: tuple[str, ...] = ()
    methods: str = ""
    questionnaire: str = "security_self_assessment"
    #: (module code or "", library resource id) pairs.
    materials: tuple[tuple[str, uuid.UUID], ...] = ()


def _require_trainer_role(actor: User) -> None:
    if actor.role not in TRAINING_ROLES:
        raise PermissionError("workshops are run by the desk's coordinators, caseworkers, trainers")


def _require_member(keyring: Keyring, compartment_id: uuid.UUID) -> None:
    """A trainer of the workshop, in a role that runs workshops (an account made
    administrator since keeps no workshop: accounts.actions refuses the change while it is
    a member, and this holds if a membership outlived it anyway)."""
    if keyring.user.role not in TRAINING_ROLES or not keyring.has_staff_key(compartment_id):
        raise NoCaseAccess("only the workshop's trainers do this")


def _check_workshop(actor: User, data: WorkshopData) -> None:
    """What only a forged form sends (the form says it in words first)."""
    known = vocabularies.load("curriculum_modules").codes()
    unknown = [code for code in data.modules if code not in known]
    if unknown or len(set(data.modules)) != len(data.modules):
        raise ValueError(f"modules must be distinct curriculum codes: {unknown}")
    if data.ends_on < data.starts_on:
        raise TrainingError(
            "ends_before_start",
            _("The last day is before the first day: check both dates."),
        )
    if questionnaire_for(actor, data.questionnaire) is None:
        raise ValueError(f"unknown questionnaire {data.questionnaire!r}")
    for module, resource_id in data.materials:
        if module and module not in data.modules:
            raise ValueError(f"material for a module the workshop does not take: {module!r}")
        if not _usable_resource(actor, resource_id):
            raise TrainingError(
                "resource_unavailable",
                _(
                    "One of the chosen library resources is no longer available (deleted, or "
                    "another desk's draft): choose the materials again."
                ),
            )


def _usable_resource(actor: User, resource_id: uuid.UUID) -> bool:
    return _linkable(actor).filter(pk=resource_id).exists()


def _linkable(actor: User) -> QuerySet[Resource]:
    """The library resources ``actor`` may choose: drafts are the desk's staff's to see."""
    return linkable_resources(actor.desk_id, published_only=not actor.is_staff_member)


def _next_reference(actor: User) -> str:
    year = timezone.now().year
    desk = actor.desk
    sequence, _created = WorkshopSequence.objects.select_for_update().get_or_create(
        desk=desk, year=year
    )
    WorkshopSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"{desk.reference_prefix}-W{year}-{sequence.last:03d}"


def _statistical(workshop: Workshop, data: WorkshopData) -> None:
    workshop.starts_on, workshop.ends_on = data.starts_on, data.ends_on
    workshop.country, workshop.subdivision = data.country.upper(), data.subdivision
    workshop.modules = list(data.modules)
    workshop.questionnaire = data.questionnaire


def _encrypted(data: WorkshopData) -> dict[str, str]:
    return {"topic": data.topic, "venue": data.venue, "methods": data.methods}


def module_for(modules: tuple[str, ...], topics: list[str]) -> str:
    """The first of the workshop's ``modules`` whose library topics (curriculum_modules.yaml)
    the resource covers: the module the guide is a material for; "" for the whole workshop."""
    curriculum = vocabularies.load("curriculum_modules")
    for code in modules:
        term = curriculum.get(code)
        if term is not None and set(term.extra.get("topics", ())) & set(topics):
            return code
    return ""


def _set_materials(actor: User, workshop: Workshop, data: WorkshopData) -> None:
    """The materials as chosen, each tied to the module it serves when the form left that to
    the topics; a draft the actor may not see (a trainer editing what a staff co-trainer
    chose) stays."""
    Material.objects.filter(workshop=workshop, resource__in=_linkable(actor)).delete()
    topics = dict(
        Resource.objects.filter(pk__in=[r for _m, r in data.materials]).values_list("id", "topics")
    )
    chosen = {
        (module or module_for(data.modules, topics.get(resource_id) or []), resource_id)
        for module, resource_id in data.materials
    }
    Material.objects.bulk_create(
        Material(workshop=workshop, module=module, resource_id=resource_id)
        for module, resource_id in sorted(chosen, key=str)
    )


def create_workshop(*, actor: User, keyring: Keyring, data: WorkshopData) -> Workshop:
    """A new workshop and its compartment: new keys, sealed to ``actor`` and the recovery key."""
    _require_trainer_role(actor)
    _check_workshop(actor, data)
    keys = case_keys.new_case_keys()
    with transaction.atomic():
        compartment = Case(
            desk=actor.desk,
            kind=CaseKind.WORKSHOP,
            reference=_next_reference(actor),
            created_by=actor,
        )
        keyring.adopt(compartment.id, 1, keys)
        records.save(actor, keyring, compartment, {"staff_notes": ""}, audit="workshop.created")
        CaseMember.compartments.create(
            case=compartment, user=actor, kind=MemberKind.STAFF, added_by=actor
        )
        case_keys.seal_to_holders(compartment, 1, keys, [(actor, (Purpose.SHARED, Purpose.STAFF))])
        workshop = Workshop(case=compartment, created_by=actor)
        _statistical(workshop, data)
        records.save(actor, keyring, workshop, _encrypted(data), audit=None)
        _set_materials(actor, workshop, data)
    keyring.forget(compartment.id)  # from now on the keys come from the boxes
    return workshop


def update_workshop(
    *,
    actor: User,
    keyring: Keyring,
    workshop: Workshop,
    data: WorkshopData,
    expected_version: int,
) -> Workshop:
    """Save edited details; a stale form raises ``EditConflict`` and saves nothing."""
    _require_member(keyring, workshop.case_id)
    _check_workshop(actor, data)
    if (
        data.questionnaire != workshop.questionnaire
        and SelfAssessment.objects.filter(participant__workshop=workshop).exists()
    ):
        raise TrainingError(
            "questionnaire_in_use",
            _(
                "Self-assessments are already recorded with this workshop's questionnaire: "
                "it cannot change now, or before and after would not compare."
            ),
        )
    with transaction.atomic():
        _statistical(workshop, data)
        records.save(
            actor,
            keyring,
            workshop,
            _encrypted(data),
            audit="workshop.updated",
            expected_version=expected_version,
        )
        _set_materials(actor, workshop, data)
    return workshop


def add_trainer(*, actor: User, keyring: Keyring, workshop: Workshop, user: User) -> CaseMember:
    """A current trainer seals the workshop's keys (every version they hold) to ``user``."""
    _require_member(keyring, workshop.case_id)
    user = fresh_user(user)
    if user.desk_id != actor.desk_id or user.role not in TRAINING_ROLES or not user.is_active:
        raise TrainingError(
            "not_a_trainer",
            _("Only active coordinators, caseworkers and trainers of this desk can train."),
        )
    if not user.has_keypair:
        raise TrainingError(
            "no_keys", _("This person has not signed in yet; add them after their first sign-in.")
        )
    compartment = workshop.case
    if CaseMember.compartments.filter(case=compartment, user=user).exists():
        raise TrainingError("already_trainer", _("This person is already a trainer of it."))
    with transaction.atomic():
        member = case_keys.admit(keyring, compartment, user, actor=actor)
        audit_record(
            "workshop.trainer_added",
            actor=actor,
            target=compartment,
            detail={"user": str(user.id)},
        )
    return member


def remove_trainer(*, actor: User, keyring: Keyring, workshop: Workshop, user: User) -> None:
    """Delete the membership and every box sealed to ``user`` for the workshop."""
    _require_member(keyring, workshop.case_id)
    compartment = workshop.case
    member = CaseMember.compartments.filter(case=compartment, user=user).first()
    if member is None:
        raise TrainingError("not_member", _("This person is not a trainer of this workshop."))
    others = (
        CaseMember.compartments.filter(
            case=compartment, user__is_active=True, user__role__in=TRAINING_ROLES
        )
        .exclude(user=user)
        .exclude(user__public_key=None)
    )
    if not others.exists():
        raise TrainingError(
            "last_trainer", _("A workshop needs at least one trainer who can still sign in.")
        )
    with transaction.atomic():
        case_keys.dismiss(member)
        audit_record(
            "workshop.trainer_removed",
            actor=actor,
            target=compartment,
            detail={"user": str(user.id)},
        )


def delete_workshop(*, actor: User, keyring: Keyring, workshop: Workshop) -> None:
    """The workshop, its compartment and everything in it (participants, answers, notes)."""
    _require_member(keyring, workshop.case_id)
    compartment = workshop.case
    records.delete(
        actor,
        keyring,
        compartment,
        audit="workshop.deleted",
        detail={"reference": compartment.reference},
    )


# --- participants ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantData:
    name: str = ""
    organisation: str = ""
    contacts: str = ""
    case_reference: str = ""  # a defender's case of the desk, instead of a name
    gender: str = ""
    age_band: str = ""
    sector: str = ""
    defender_kind: str = ""
    counted: bool = False  # agreed to be counted in anonymised statistics


def _comparable(name: str) -> str:
    """A name as compared for duplicates: case, accents and spacing do not count."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def linked_case(actor: User, reference: str) -> Case | None:
    """The defender's case of the actor's desk with this reference (references are in clear,
    so a trainer who is not a member learns only that the reference exists)."""
    return Case.objects.filter(desk_id=actor.desk_id, reference=reference.strip().upper()).first()


def _participant_values(
    actor: User, data: ParticipantData
) -> tuple[dict[str, str], dict[str, str]]:
    """(encrypted values, statistical values) for a participant."""
    statistical: dict[str, Any] = {
        "gender": data.gender,
        "age_band": data.age_band,
        "sector": data.sector,
        "defender_kind": data.defender_kind,
        "counted": data.counted,
    }
    if data.case_reference:
        case = linked_case(actor, data.case_reference)
        if case is None:
            raise TrainingError(
                "no_such_case",
                _(
                    "No case of this desk has the reference %(reference)s: check it on the "
                    "case page (for example TD-2026-0001)."
                )
                % {"reference": data.case_reference.strip().upper()[:40]},
            )
        encrypted = {
            "name": "",
            "organisation": data.organisation,
            "contacts": data.contacts,
            "linked_case": str(case.id),
        }
        # A defender with a case is counted only if their case's consent in force says so.
        latest = Consent.objects.filter(case=case).order_by("-created_at").first()
        statistical["counted"] = data.counted and bool(latest and latest.anonymised_statistics)
    elif not data.name.strip():
        raise TrainingError(
            "no_name",
            _("Enter the participant's name, or the reference of their case at the desk."),
        )
    else:
        encrypted = {
            "name": data.name.strip(),
            "organisation": data.organisation,
            "contacts": data.contacts,
            "linked_case": "",
        }
    return encrypted, statistical


def _refuse_duplicate(
    keyring: Keyring, workshop: Workshop, values: Mapping[str, str], exclude: Any = None
) -> None:
    name = _comparable(values["name"])
    for other in Participant.objects.filter(workshop=workshop).exclude(pk=exclude):
        same_case = (
            values["linked_case"] and keyring.text(other, "linked_case") == values["linked_case"]
        )
        same_name = name and _comparable(keyring.text(other, "name")) == name
        if same_case or same_name:
            raise TrainingError(
                "duplicate",
                _(
                    "This person is already a participant of the workshop: open them in the "
                    "list of participants instead of adding them again."
                ),
            )


def add_participant(
    *, actor: User, keyring: Keyring, workshop: Workshop, data: ParticipantData
) -> Participant:
    _require_member(keyring, workshop.case_id)
    encrypted, statistical = _participant_values(actor, data)
    with transaction.atomic():
        records.lock_case(workshop.case_id)  # two forms sent at once cannot both pass the check
        _refuse_duplicate(keyring, workshop, encrypted)
        participant = Participant(case_id=workshop.case_id, workshop=workshop, **statistical)
        return records.save(
            actor, keyring, participant, encrypted, audit="workshop.participant_added"
        )


def update_participant(
    *,
    actor: User,
    keyring: Keyring,
    participant: Participant,
    data: ParticipantData,
    expected_version: int,
) -> Participant:
    _require_member(keyring, participant.case_id)
    encrypted, statistical = _participant_values(actor, data)
    with transaction.atomic():
        records.lock_case(participant.case_id)
        _refuse_duplicate(keyring, participant.workshop, encrypted, exclude=participant.pk)
        for name, value in statistical.items():
            setattr(participant, name, value)
        return records.save(
            actor,
            keyring,
            participant,
            encrypted,
            audit="workshop.participant_updated",
            expected_version=expected_version,
        )


def remove_participant(*, actor: User, keyring: Keyring, participant: Participant) -> None:
    """The participant and their answers and coaching notes."""
    _require_member(keyring, participant.case_id)
    records.delete(actor, keyring, participant, audit="workshop.participant_removed")


# --- self-assessments -----------------------------------------------------------------------


def questionnaire_for(actor: User, code: str) -> questionnaires.Questionnaire | None:
    """A shipped questionnaire, or one of the actor's desk (validated again as it loads)."""
    found = questionnaires.shipped().get(code)
    if found is not None:
        return found
    own = DeskQuestionnaire.objects.filter(desk_id=actor.desk_id, code=code).first()
    if own is None:
        return None
    try:
        return questionnaires.validate(own.definition)
    except questionnaires.QuestionnaireError:
        return None


def record_assessment(
    *,
    actor: User,
    keyring: Keyring,
    participant: Participant,
    phase: str,
    answers: Mapping[str, int],
    filled_on: datetime.date,
    comments: str = "",
    expected_version: int | None = None,
) -> SelfAssessment:
    """Save one participant's answers before or after (a second save of the same phase is an
    edit: it needs the version the form was loaded with)."""
    _require_member(keyring, participant.case_id)
    if phase not in Phase.values:
        raise ValueError(f"unknown phase {phase!r}")
    questionnaire = questionnaire_for(actor, participant.workshop.questionnaire)
    if questionnaire is None:
        raise TrainingError(
            "no_questionnaire",
            _("This workshop's questionnaire is no longer available: ask a coordinator."),
        )
    questionnaire.check_answers(answers)  # ValueError: only a forged form sends one
    if not answers:
        raise TrainingError("no_answer", _("Answer at least one statement."))
    with transaction.atomic():
        records.lock_case(participant.case_id)
        found = {a.phase: a for a in SelfAssessment.objects.filter(participant=participant)}
        before = found.get(Phase.PRE)
        if phase == Phase.POST and before is None:
            raise TrainingError(
                "post_before_pre",
                _(
                    "Record the self-assessment before the workshop first: the one after is "
                    "compared with it."
                ),
            )
        if phase == Phase.POST and before is not None and filled_on < before.filled_on:
            raise TrainingError(
                "post_before_pre",
                _(
                    "The self-assessment after the workshop is dated before the one before it "
                    "(%(day)s): check the date."
                )
                % {"day": before.filled_on.isoformat()},
            )
        after = found.get(Phase.POST)
        if phase == Phase.PRE and after is not None and filled_on > after.filled_on:
            raise TrainingError(
                "post_before_pre",
                _(
                    "The self-assessment before the workshop is dated after the one after it "
                    "(%(day)s): check the date."
                )
                % {"day": after.filled_on.isoformat()},
            )
        existing = found.get(phase)
        if existing is not None:
            if expected_version is None:
                raise TrainingError(
                    "already_recorded",
                    _(
                        "This self-assessment is already recorded: it is shown below, change it "
                        "there."
                    ),
                )
            existing.filled_on = filled_on
            return records.save(
                actor,
                keyring,
                existing,
                {"answers": dict(answers), "comments": comments},
                audit="workshop.assessment_updated",
                expected_version=expected_version,
                detail={"phase": phase},
            )
        assessment = SelfAssessment(
            case_id=participant.case_id, participant=participant, phase=phase, filled_on=filled_on
        )
        try:
            with transaction.atomic():
                return records.save(
                    actor,
                    keyring,
                    assessment,
                    {"answers": dict(answers), "comments": comments},
                    audit="workshop.assessment_recorded",
                    detail={"phase": phase},
                )
        except IntegrityError:  # the unique constraint, behind the lock
            raise TrainingError(
                "already_recorded",
                _("This self-assessment is already recorded: it is shown below, change it there."),
            ) from None


# --- coaching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoachingData:
    held_on: datetime.date
    notes: str = ""
    actions: tuple[str, ...] = ()
    next_on: datetime.date | None = None


def _actions_value(data: CoachingData) -> list[dict[str, str]]:
    texts = [text.strip() for text in data.actions if text.strip()]
    if len(texts) > MAX_ACTIONS:
        raise ValueError("too many actions")
    return [{"text": text} for text in texts]


def action_texts(keyring: Keyring, session: CoachingSession) -> list[str]:
    """The session's agreed actions, in order ([] if damaged)."""
    items = keyring.opened(session).actions
    if not isinstance(items, list):
        return []
    return [str(item.get("text", "")) for item in items if isinstance(item, dict)]


def measures_in_plan(keyring: Keyring, case: Case) -> set[str]:
    """The texts of the measures of ``case``'s current plan, for a staff member of the case:
    an agreed action whose text is among them is already a measure. (Nothing in the workshop
    remembers it: a mark there would tie the workshop's record to the defender's case.)"""
    version = plans.current(case.id)
    if version is None or not keyring.has_staff_key(case.id):
        return set()
    return {
        keyring.text(measure, "description").strip()
        for measure in Measure.objects.filter(case_id=case.id, version=version)
    }


def save_coaching(
    *,
    actor: User,
    keyring: Keyring,
    participant: Participant,
    data: CoachingData,
    session: CoachingSession | None = None,
    expected_version: int | None = None,
) -> CoachingSession:
    """A new follow-up with ``participant``, or ``session`` edited."""
    _require_member(keyring, participant.case_id)
    if data.next_on is not None and data.next_on < data.held_on:
        raise TrainingError(
            "next_before_held",
            _("The next follow-up is before this session: check the two dates."),
        )
    if not data.notes.strip() and not any(text.strip() for text in data.actions):
        raise TrainingError("empty", _("Write notes on the session or at least one agreed action."))
    if session is None:
        session = CoachingSession(
            case_id=participant.case_id, participant=participant, created_by=actor
        )
        audit = "workshop.coaching_recorded"
    else:
        audit = "workshop.coaching_updated"
    session.held_on, session.next_on = data.held_on, data.next_on
    return records.save(
        actor,
        keyring,
        session,
        {"notes": data.notes, "actions": _actions_value(data)},
        audit=audit,
        expected_version=expected_version,
    )


def defender_case_of(keyring: Keyring, participant: Participant) -> Case | None:
    """The defender's case a participant is linked to, if the viewer can open it."""
    value = keyring.text(participant, "linked_case")
    if not value:
        return None
    try:
        case_id = uuid.UUID(value)
    except ValueError:
        return None
    case = Case.objects.filter(pk=case_id, desk_id=keyring.user.desk_id).first()
    if case is None or not keyring.can_open(case.id):
        return None
    return case


def action_to_measure(
    *, actor: User, keyring: Keyring, session: CoachingSession, index: int
) -> Measure:
    """Agreed action number ``index`` becomes a measure of the defender's current plan.

    Only the defender's case is written (a measure, audited there as any measure is): the
    workshop's records stay as they were, so the database ties no workshop record to the
    case. That the action is already a measure is read from the plan itself.
    """
    _require_member(keyring, session.case_id)
    case = defender_case_of(keyring, session.participant)
    if case is None or not keyring.has_staff_key(case.id):
        raise TrainingError(
            "no_case_access",
            _(
                "Only a staff member of the participant's case can add to their protection "
                "plan: ask one of them."
            ),
        )
    texts = action_texts(keyring, session)
    if not 0 <= index < len(texts):
        raise TrainingError("no_such_action", _("This action is no longer in the session."))
    text = texts[index].strip()[:MEASURE_LIMIT]
    with transaction.atomic():
        records.lock_case(case.id)
        version = plans.current(case.id)
        if version is None:
            raise TrainingError(
                "no_plan",
                _("Start the protection plan first: the measure goes into its current version."),
            )
        if text in measures_in_plan(keyring, case):
            raise TrainingError(
                "already_measure", _("This action is already a measure of the protection plan.")
            )
        return plans.save_measure(
            actor=actor,
            keyring=keyring,
            version=version,
            data=plans.MeasureData(
                description=text, strategy=Strategy.PROTECTION, builds_capacity=True
            ),
        )


# --- a desk's own questionnaires ------------------------------------------------------------


def add_questionnaire(*, actor: User, definition: Any) -> DeskQuestionnaire:
    """Add a questionnaire to the desk (coordinators). ``QuestionnaireError`` lists every
    problem of the definition; a code already used (shipped or the desk's) is refused."""
    if actor.role != Role.COORDINATOR:
        raise PermissionError("coordinators add questionnaires")
    checked = questionnaires.validate(definition)
    if (
        checked.code in questionnaires.shipped()
        or DeskQuestionnaire.objects.filter(desk_id=actor.desk_id, code=checked.code).exists()
    ):
        raise questionnaires.QuestionnaireError(
            [
                _("The code %(code)s is already used: give this one another code.")
                % {"code": checked.code}
            ]
        )
    with transaction.atomic():
        own = DeskQuestionnaire.objects.create(
            desk=actor.desk, code=checked.code, definition=definition, added_by=actor
        )
        audit_record("workshop.questionnaire_added", actor=actor, detail={"code": checked.code})
    return own
