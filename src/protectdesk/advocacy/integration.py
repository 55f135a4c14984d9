"""How advocacy plugs into the floor.

The observatory holds public information only (no case data): routes, navigation and audit
codes. Communications and videos are records of a defender's case: record types (a video
takes files, always staff-only), the case page's sections (staff only), the dashboard's
reminders, routes and the canary writers.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Role, User
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
from protectdesk.records.registry import NavEntry, RecordType, RouteRule, Section

_ROLES = frozenset({Role.COORDINATOR, Role.CASEWORKER})
#: An instrument names its desk: another desk's staff get 404, its administrator 403.
_OTHER_DESK = {"admin": 403, "outsider": 404, "outsider_caseworker": 404}


def register() -> None:
    registry.register_urls("", "protectdesk.advocacy.urls")
    registry.register_navigation(NavEntry("advocacy:index", _("Observatory"), _ROLES, order=57))
    codes.register(
        {
            "observatory.instrument_saved": _("Observatory instrument saved"),
            "observatory.assessed": _("Observatory instrument assessed"),
            "observatory.published": _("Observatory country page published"),
            "observatory.unpublished": _("Observatory country page made private"),
            "communication.saved": _("International communication saved"),
            "communication.viewed": _("International communication viewed"),
            "communication.facts_chosen": _("Facts of a communication's dossier chosen"),
            "communication.consent_recorded": _("Consent to a communication recorded"),
            "communication.consent_withdrawn": _("Consent to a communication withdrawn"),
            "communication.tracked": _("Progress of a communication saved"),
            "communication.followed_up": _("Follow-up of a communication recorded"),
            "communication.exported": _("Dossier of a communication exported"),
            "video.saved": _("Video saved"),
            "video.viewed": _("Video viewed"),
            "video.person_saved": _("Person filmed saved"),
            "video.consent_withdrawn": _("Consent of a person filmed withdrawn"),
            "video.flagged": _("Published video flagged: consent withdrawn"),
            "video.flag_cleared": _("Video flag cleared: consent recorded again"),
            "video.published": _("Video published"),
            "video.taken_down": _("Video taken down"),
        }
    )
    _register_case_records()
    own = {"admin": 403}
    registry.register_routes(
        {
            "advocacy:index": RouteRule("GET", "staff", member=200, defender=403, overrides=own),
            "advocacy:compare": RouteRule("GET", "staff", member=200, defender=403, overrides=own),
            "advocacy:country": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_country, overrides=own
            ),
            "advocacy:new_instrument": RouteRule(
                "GET", "staff", member=200, defender=403, overrides=own
            ),
            "advocacy:instrument": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_instrument, overrides=_OTHER_DESK
            ),
            "advocacy:assess": RouteRule(
                "GET", "staff", member=200, defender=403, sample=_instrument, overrides=_OTHER_DESK
            ),
            # Coordinators only: the caseworker and the others of the desk get 403.
            "advocacy:publish": RouteRule(
                "POST",
                "managers",
                member=302,
                sample=_country,
                overrides={"admin": 403, "outsider": 302},
            ),
            "advocacy:public_country": RouteRule("GET", "public", member=200, sample=_published),
        }
    )


def _made(actor: User) -> Any:
    from protectdesk.advocacy import actions
    from protectdesk.advocacy.models import Instrument

    existing = Instrument.objects.filter(desk_id=actor.desk_id).first()
    if existing is not None:
        return existing
    return actions.save_instrument(
        actor=actor,
        data=actions.InstrumentData(
            "GT", "policy", "Sample protection policy", adopted_on=datetime.date(2024, 5, 2)
        ),
    )


def _country(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"code": _made(actor).country}


def _instrument(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"instrument_id": _made(actor).id}


def _published(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    from protectdesk.advocacy import actions

    code = _made(actor).country
    coordinator = User.objects.get(desk_id=actor.desk_id, role=Role.COORDINATOR)
    actions.publish_country(actor=coordinator, country=code, published=True)
    return {"desk_id": actor.desk_id, "code": code}


# --- communications and videos: records of a defender's case -------------------------------


def _communication_page(case: Case, record_id: uuid.UUID) -> str:
    return reverse("advocacy:communication", args=[case.id, record_id])


def _video_page(case: Case, record_id: uuid.UUID) -> str:
    from protectdesk.advocacy.models import FilmedPerson

    person = FilmedPerson.objects.filter(case=case, pk=record_id).first()
    video_id = person.video_id if person else record_id
    return reverse("advocacy:video", args=[case.id, video_id])


def _sections(request: Any, case: Case, keyring: Keyring) -> dict[str, Any]:
    from protectdesk.advocacy import queries

    return {
        "communications": queries.communication_rows(keyring, case),
        "videos": queries.video_rows(keyring, case),
    }


def _register_case_records() -> None:
    from protectdesk.advocacy import queries
    from protectdesk.advocacy.models import Communication, FilmedPerson, Video

    registry.register(
        RecordType(Communication, _("International communication"), _communication_page)
    )
    registry.register(RecordType(Video, _("Video"), _video_page, attachable=True, staff_files=True))
    registry.register(RecordType(FilmedPerson, _("Person filmed"), _video_page))
    registry.register_section(
        Section("advocacy", "advocacy/_case_section.html", _sections, order=38, staff_only=True)
    )
    registry.register_reminders(queries.reminders)
    registry.register_routes(
        {
            "advocacy:new_communication": RouteRule("GET", "case", member=200),
            "advocacy:communication": RouteRule("GET", "case", member=200, sample=_communication),
            "advocacy:edit_communication": RouteRule(
                "GET", "case", member=200, sample=_communication
            ),
            "advocacy:communication_facts": RouteRule(
                "GET", "case", member=200, sample=_communication
            ),
            # An empty form: the page comes back with its errors.
            "advocacy:communication_consent": RouteRule(
                "POST", "case", member=400, sample=_communication
            ),
            "advocacy:communication_withdraw": RouteRule(
                "POST", "case", member=400, sample=_communication
            ),
            "advocacy:communication_tracking": RouteRule(
                "POST", "case", member=400, sample=_communication
            ),
            "advocacy:communication_follow_up": RouteRule(
                "POST", "case", member=400, sample=_communication
            ),
            # Without consent the export goes back to the page with the reason.
            "advocacy:communication_export": RouteRule("GET", "case", member=302, sample=_export),
            "advocacy:new_video": RouteRule("GET", "case", member=200),
            "advocacy:video": RouteRule("GET", "case", member=200, sample=_video),
            "advocacy:edit_video": RouteRule("GET", "case", member=200, sample=_video),
            "advocacy:new_person": RouteRule("GET", "case", member=302, sample=_video),
            "advocacy:person": RouteRule("GET", "case", member=200, sample=_person),
            "advocacy:withdraw_person": RouteRule("POST", "case", member=400, sample=_person),
            "advocacy:publish_video": RouteRule("POST", "case", member=400, sample=_video),
            "advocacy:take_down_video": RouteRule("POST", "case", member=302, sample=_video),
        }
    )
    registry.register_canary(["advocacy.Communication"], _canary_communication)
    registry.register_canary(["advocacy.Video", "advocacy.FilmedPerson"], _canary_video)


def _sample_communication(actor: User, keyring: Keyring, case: Case) -> Any:
    from protectdesk.advocacy import communications

    return communications.save_draft(
        actor=actor,
        keyring=keyring,
        case=case,
        data=communications.DraftData("un_sr_hrd", "urgent_appeal", "en", "Sample appeal"),
    )


def _communication(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"communication_id": _sample_communication(actor, keyring, case).id}


def _export(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {**_communication(actor, keyring, case), "file_format": "pdf"}


def _sample_video(actor: User, keyring: Keyring, case: Case) -> Any:
    from protectdesk.advocacy import videos

    return videos.save_video(
        actor=actor, keyring=keyring, case=case, data=videos.VideoData("Sample clip")
    )


def _video(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    return {"video_id": _sample_video(actor, keyring, case).id}


def _person(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    from protectdesk.advocacy import videos

    video = _sample_video(actor, keyring, case)
    person = videos.save_person(
        actor=actor, keyring=keyring, video=video, data=videos.PersonData("Sample person")
    )
    return {"video_id": video.id, "person_id": person.id}


def _canary_communication(
    actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]
) -> None:
    """A communication with every text a canary, facts chosen, consent, tracking, a follow-up
    and a withdrawal. The facts and follow-ups are JSON and the days of submission and answer
    are ISO days: their canaries ride in texts of the same record."""
    from protectdesk.advocacy import communications
    from protectdesk.advocacy.dossier import Facts

    text = values["advocacy.Communication"]
    made = communications.save_draft(
        actor=actor,
        keyring=keyring,
        case=case,
        data=communications.DraftData(
            "iachr",
            "precautionary_measures",
            "es",
            text["title"],
            hrd_status=text["hrd_status"],
            action_taken=text["action_taken"],
            requests=text["requests"],
            source=text["source"],
            confidentiality=f"{text['confidentiality']} {text['facts']}",
        ),
    )
    made = communications.save_facts(
        actor=actor,
        keyring=keyring,
        communication=made,
        facts=Facts(),
        expected_version=made.row_version,
    )
    made = communications.record_consent(
        actor=actor,
        keyring=keyring,
        communication=made,
        given_on=datetime.date(2026, 11, 3),
        notes=text["consent_notes"],
        expected_version=made.row_version,
    )
    made = communications.save_tracking(
        actor=actor,
        keyring=keyring,
        communication=made,
        data=communications.TrackingData(
            "submitted",
            submitted_on=datetime.date(2026, 11, 4),
            reference=text["reference"][:60],
            answered_on=datetime.date(2026, 11, 6),
            state_response=(
                f"{text['state_response']} {text['submitted_on']} {text['answered_on']}"
            ),
        ),
        expected_version=made.row_version,
    )
    made = communications.add_follow_up(
        actor=actor,
        keyring=keyring,
        communication=made,
        on=datetime.date(2026, 11, 7),
        text=text["follow_ups"],
        next_due_on=None,
        expected_version=made.row_version,
    )
    communications.withdraw_consent(
        actor=actor,
        keyring=keyring,
        communication=made,
        withdrawn_on=datetime.date(2026, 11, 8),
        notes=text["withdrawal_notes"],
        expected_version=made.row_version,
    )


def _canary_video(
    actor: User, keyring: Keyring, case: Case, values: dict[str, dict[str, str]]
) -> None:
    from protectdesk.advocacy import videos

    text = values["advocacy.Video"]
    video = videos.save_video(
        actor=actor,
        keyring=keyring,
        case=case,
        data=videos.VideoData(
            text["title"],
            description=text["description"],
            anonymity=text["anonymity"],
            where=f"{text['where']} {text['published_on']}",
        ),
    )
    person = values["advocacy.FilmedPerson"]
    videos.save_person(
        actor=actor,
        keyring=keyring,
        video=video,
        data=videos.PersonData(
            person["name"][:120], "blurred", datetime.date(2026, 11, 2), notes=person["notes"]
        ),
    )
