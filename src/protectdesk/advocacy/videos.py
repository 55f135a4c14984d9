"""Every write of video advocacy: a video of a case, the people filmed and their consent.

**Consent gates publication, and its loss acts at once.** :func:`publish` refuses while any
person filmed has no consent recorded, has withdrawn it, or refused to appear and is still in
the final edit; a video with nobody recorded is published only when the publisher states that
no one can be recognised in it. Once published, the edit is fixed (who is in the final edit
cannot change until it is taken down), so the same rule tells whether the published video
still has everyone's consent: any write that breaks it — a withdrawal, a consent changed to
"not asked" or "refused", a new person recorded without consent — flags the video in the same
transaction (``flagged_on``), and the video page, the case page and the dashboard say to take
it down. The flag goes when it is marked as taken down, or when everyone's consent holds again.

**One lock order.** Every write of a video or of a person in it locks the video's row first,
then the write path locks the case: a publication and a withdrawal at the same moment run one
after the other, and the second sees the first.

The media files are the video's attachments (``attachments``: encrypted per file, staff-only
because the record type says so), so rotation, backups and removal already reach them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from protectdesk.accounts.models import User
from protectdesk.advocacy.models import (
    Channel,
    FilmConsent,
    FilmedPerson,
    Video,
    VideoKind,
    VideoStatus,
)
from protectdesk.lib.refusals import Refusal
from protectdesk.records import actions as records
from protectdesk.records.keyring import Keyring
from protectdesk.records.keys import require_staff_member
from protectdesk.records.models import Case


class VideoError(Refusal):
    """A write of video advocacy the rules refuse (see :class:`~protectdesk.lib.refusals.Refusal`)."""


@dataclass(frozen=True)
class VideoData:
    title: str
    kind: str = VideoKind.CLIP
    channel: str = ""
    description: str = ""
    anonymity: str = ""
    where: str = ""


def _locked(video: Video) -> Video:
    """The video's row, locked for this transaction (always taken before the case's)."""
    return Video.objects.select_for_update().get(pk=video.pk)


def save_video(
    *,
    actor: User,
    keyring: Keyring,
    case: Case,
    data: VideoData,
    video: Video | None = None,
    expected_version: int | None = None,
) -> Video:
    require_staff_member(keyring, case.id)
    if data.kind not in VideoKind.values or (data.channel and data.channel not in Channel.values):
        raise ValueError("unknown kind or channel")
    with transaction.atomic():
        if video is not None:
            _locked(video)
        target = video or Video(case=case, created_by=actor)
        target.kind, target.channel = data.kind, data.channel
        return records.save(
            actor,
            keyring,
            target,
            {
                "title": data.title,
                "description": data.description,
                "anonymity": data.anonymity,
                "where": data.where,
            },
            audit="video.saved",
            expected_version=expected_version,
            detail={"kind": data.kind},
        )


@dataclass(frozen=True)
class PersonData:
    name: str
    consent: str = FilmConsent.MISSING
    consent_on: datetime.date | None = None
    in_final_cut: bool = True
    notes: str = ""


def save_person(
    *,
    actor: User,
    keyring: Keyring,
    video: Video,
    data: PersonData,
    person: FilmedPerson | None = None,
    expected_version: int | None = None,
) -> FilmedPerson:
    """A person filmed and what they agreed to. A new answer clears an earlier withdrawal."""
    require_staff_member(keyring, video.case_id)
    if data.consent not in FilmConsent.values:
        raise ValueError(f"unknown consent {data.consent!r}")
    if data.consent and data.consent_on is None:
        raise VideoError("consent_on", _("Enter the day they gave their answer."))
    with transaction.atomic():
        locked = _locked(video)
        published = locked.status == VideoStatus.PUBLISHED
        if published and person is not None and data.in_final_cut != person.in_final_cut:
            raise VideoError(
                "in_final_cut",
                _(
                    "The video is published: who appears in it cannot change now. Take it "
                    "down first, or record their answer as it is."
                ),
            )
        target = person or FilmedPerson(case_id=video.case_id, video=video)
        new_answer = person is None or (data.consent, data.consent_on) != (
            person.consent,
            person.consent_on,
        )
        target.consent, target.consent_on = data.consent, data.consent_on
        target.in_final_cut = data.in_final_cut
        withdrawn = person.withdrawn_on if person is not None else None
        if new_answer and data.consent and withdrawn is not None:
            if data.consent_on is not None and data.consent_on < withdrawn:
                raise VideoError(
                    "consent_on",
                    _(
                        "They withdrew their consent on %(day)s: date their new answer that "
                        "day or later."
                    )
                    % {"day": withdrawn.isoformat()},
                )
            target.withdrawn_on = None
        saved = records.save(
            actor,
            keyring,
            target,
            {"name": data.name, "notes": data.notes},
            audit="video.person_saved",
            expected_version=expected_version,
            detail={"consent": data.consent or "missing", "in_final_cut": data.in_final_cut},
            audit_target=locked,
        )
        _settle_flag(actor, keyring, locked)
    video.flagged_on, video.row_version = locked.flagged_on, locked.row_version
    return saved


def withdraw_consent(
    *,
    actor: User,
    keyring: Keyring,
    person: FilmedPerson,
    withdrawn_on: datetime.date,
    expected_version: int,
) -> FilmedPerson:
    """The person takes back their consent; a published video is flagged at once."""
    require_staff_member(keyring, person.case_id)
    if not person.consent:
        raise VideoError("withdrawn_on", _("No consent is recorded for this person."))
    if person.consent_on and withdrawn_on < person.consent_on:
        raise VideoError(
            "withdrawn_on",
            _("Their consent was recorded on %(day)s: the withdrawal cannot be earlier.")
            % {"day": person.consent_on.isoformat()},
        )
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=person.video_id)
        person.withdrawn_on = withdrawn_on
        records.save(
            actor,
            keyring,
            person,
            {},
            audit="video.consent_withdrawn",
            expected_version=expected_version,
            audit_target=video,
        )
        _settle_flag(actor, keyring, video, day=withdrawn_on)
    person.video = video
    return person


def blockers(video: Video) -> list[FilmedPerson]:
    """The people whose consent stops publication (see the module)."""
    return [
        person
        for person in video.people.all()
        if not person.consent
        or person.withdrawn_on is not None
        or (person.consent == FilmConsent.REFUSED and person.in_final_cut)
    ]


def publish(
    *,
    actor: User,
    keyring: Keyring,
    video: Video,
    published_on: datetime.date,
    nobody_recognisable: bool,
    expected_version: int,
) -> Video:
    require_staff_member(keyring, video.case_id)
    with transaction.atomic():
        # Lock the video: a consent withdrawn at the same moment waits, then sees it published.
        _locked(video)
        stopped = blockers(video)
        if stopped:
            raise VideoError(
                "consent",
                _(
                    "%(count)s person's consent is missing, withdrawn or a refusal to appear: "
                    "record their answer (or cut them out of the final edit) before publishing."
                )
                % {"count": len(stopped)},
            )
        if not video.people.exists() and not nobody_recognisable:
            raise VideoError(
                "nobody_recognisable",
                _(
                    "Nobody filmed is recorded: add each person who appears and their consent, "
                    "or confirm that no one can be recognised in the video."
                ),
            )
        if not video.channel:
            raise VideoError("channel", _("Choose the channel it is published on first."))
        if published_on > timezone.localdate():
            raise VideoError("published_on", _("Enter a publication day up to today."))
        video.status, video.flagged_on = VideoStatus.PUBLISHED, None
        return records.save(
            actor,
            keyring,
            video,
            {"published_on": published_on.isoformat()},
            audit="video.published",
            expected_version=expected_version,
            detail={"channel": video.channel},
        )


def take_down(*, actor: User, keyring: Keyring, video: Video, expected_version: int) -> Video:
    require_staff_member(keyring, video.case_id)
    with transaction.atomic():
        _locked(video)
        video.status, video.flagged_on = VideoStatus.WITHDRAWN, None
        return records.save(
            actor, keyring, video, {}, audit="video.taken_down", expected_version=expected_version
        )


def _settle_flag(
    actor: User, keyring: Keyring, video: Video, day: datetime.date | None = None
) -> None:
    """On a published ``video`` (locked by the caller): flag it when someone's consent no
    longer holds, clear the flag when everyone's holds again."""
    if video.status != VideoStatus.PUBLISHED:
        return
    stopped = bool(blockers(video))
    if stopped and video.flagged_on is None:
        video.flagged_on = day or timezone.localdate()
        code = "video.flagged"
    elif not stopped and video.flagged_on is not None:
        video.flagged_on = None
        code = "video.flag_cleared"
    else:
        return
    records.save(actor, keyring, video, {}, audit=code, expected_version=video.row_version)
