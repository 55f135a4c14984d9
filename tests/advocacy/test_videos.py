"""Video advocacy: publication refused while any consent is missing or withdrawn (a test per
gate), a withdrawal on a published video flags it at once, files are staff-only; and the
observatory's public country page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from protectdesk.advocacy import actions, videos
from protectdesk.advocacy.models import Video
from tests.conftest import keyring_of

DAY = datetime.date(2026, 11, 2)


def _video(user, case, channel="website"):
    return videos.save_video(
        actor=user,
        keyring=keyring_of(user),
        case=case,
        data=videos.VideoData("Water is life", channel=channel, anonymity="No faces of children"),
    )


def _person(user, video, name, consent="identified", in_final_cut=True):
    return videos.save_person(
        actor=user,
        keyring=keyring_of(user),
        video=video,
        data=videos.PersonData(name, consent, DAY if consent else None, in_final_cut),
    )


def _answer(user, video, person, data):
    """Edit ``person`` (as loaded now) with ``data``."""
    person.refresh_from_db()
    return videos.save_person(
        actor=user,
        keyring=keyring_of(user),
        video=video,
        person=person,
        data=data,
        expected_version=person.row_version,
    )


def _publish(user, video, nobody=False):
    video.refresh_from_db()
    return videos.publish(
        actor=user,
        keyring=keyring_of(user),
        video=video,
        published_on=DAY,
        nobody_recognisable=nobody,
        expected_version=video.row_version,
    )


def _withdraw(user, person):
    person.refresh_from_db()
    return videos.withdraw_consent(
        actor=user,
        keyring=keyring_of(user),
        person=person,
        withdrawn_on=datetime.date(2026, 11, 20),
        expected_version=person.row_version,
    )


def test_publication_is_refused_while_a_consent_is_missing(desks):
    user = desks.caseworker
    video = _video(user, desks.case)
    _person(user, video, "Rosa")
    _person(user, video, "The man at the well, 1:12", consent="")
    with pytest.raises(videos.VideoError, match="1 person's consent"):
        _publish(user, video)
    assert Video.objects.get(pk=video.pk).status == "draft"


def test_publication_is_refused_while_a_consent_is_withdrawn(desks):
    user = desks.caseworker
    video = _video(user, desks.case)
    rosa = _person(user, video, "Rosa", consent="blurred")
    _withdraw(user, rosa)
    with pytest.raises(videos.VideoError, match="withdrawn"):
        _publish(user, video)
    # Recorded again (they agreed once more): the way is open.
    _answer(
        user, video, rosa, videos.PersonData("Rosa", "blurred_voice", datetime.date(2026, 11, 22))
    )
    assert _publish(user, video).status == "published"


def test_publication_is_refused_while_someone_who_refused_is_in_the_final_edit(desks):
    user = desks.caseworker
    video = _video(user, desks.case)
    refused = _person(user, video, "The neighbour", consent="refused")
    with pytest.raises(videos.VideoError):
        _publish(user, video)
    _answer(
        user, video, refused, videos.PersonData("The neighbour", "refused", DAY, in_final_cut=False)
    )
    assert _publish(user, video).status == "published"


def test_publication_with_nobody_recorded_needs_a_statement(desks):
    user = desks.caseworker
    video = _video(user, desks.case)
    with pytest.raises(videos.VideoError, match="no one can be recognised"):
        _publish(user, video)
    assert _publish(user, video, nobody=True).status == "published"


def test_a_withdrawal_flags_a_published_video_at_once(desks, signed_in_client):
    user = desks.caseworker
    video = _video(user, desks.case)
    rosa = _person(user, video, "Rosa")
    _publish(user, video)
    client = signed_in_client(user)
    rosa.refresh_from_db()
    answer = client.post(
        f"/cases/{desks.case.id}/videos/{video.id}/people/{rosa.id}/withdraw/",
        {"withdrawn_on": "2026-11-20", "row_version": str(rosa.row_version)},
        follow=True,
    )
    assert "it is flagged" in answer.content.decode()
    video.refresh_from_db()
    assert video.flagged_on == datetime.date(2026, 11, 20) and video.status == "published"
    home = client.get("/").content.decode()
    assert "Consent withdrawn from a published video: take it down" in home
    case_page = client.get(f"/cases/{desks.case.id}/").content.decode()
    assert "consent withdrawn: take it down" in case_page
    taken = client.post(
        f"/cases/{desks.case.id}/videos/{video.id}/take-down/",
        {"row_version": str(video.row_version)},
    )
    assert taken.status_code == 302
    video.refresh_from_db()
    assert video.status == "withdrawn" and video.flagged_on is None
    assert "Consent withdrawn from a published video" not in client.get("/").content.decode()


def test_a_videos_files_are_staff_only_whatever_the_form_says(desks):
    from protectdesk.attachments import actions as attachment_actions
    from protectdesk.attachments.uploads import encrypt_bytes
    from protectdesk.records.keyring import NoCaseAccess

    user = desks.caseworker
    video = _video(user, desks.case)
    made = attachment_actions.add_attachment(
        actor=user,
        keyring=keyring_of(user),
        case=desks.case,
        record_type="advocacy.video",
        record_id=video.id,
        upload=encrypt_bytes("cut.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 60),
        staff_only=False,
    )
    assert made.staff_only and made.meta_shared is None
    refused = encrypt_bytes("cut.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 60)
    with pytest.raises(NoCaseAccess):
        attachment_actions.add_attachment(
            actor=desks.defender,
            keyring=keyring_of(desks.defender),
            case=desks.case,
            record_type="advocacy.video",
            record_id=video.id,
            upload=refused,
            staff_only=False,
        )
    refused.temp_path.unlink()  # what the request's cleanup would do (uploads.PendingUploadCleanup)


def test_a_country_page_is_public_only_once_a_coordinator_publishes_it(desks):
    instrument = actions.save_instrument(
        actor=desks.caseworker,
        data=actions.InstrumentData("HN", "law", "Ley de protección", adopted_on=DAY),
    )
    address = f"/public/observatory/{desks.desk.id}/HN/"
    anonymous = Client()
    assert anonymous.get(address).status_code == 404
    with pytest.raises(PermissionError):
        actions.publish_country(actor=desks.caseworker, country="HN", published=True)
    actions.publish_country(actor=desks.coordinator, country="HN", published=True)
    page = anonymous.get(address + "?lang=es")
    assert page.status_code == 200 and instrument.title in page.content.decode()
    assert not page.cookies, "a public page sets no cookie"
    # Another country stays private.
    assert anonymous.get(f"/public/observatory/{desks.desk.id}/GT/").status_code == 404
    actions.publish_country(actor=desks.coordinator, country="HN", published=False)
    assert anonymous.get(address).status_code == 404


def test_a_consent_changed_on_a_published_video_flags_it_and_the_edit_is_fixed(desks):
    user = desks.caseworker
    video = _video(user, desks.case)
    rosa = _person(user, video, "Rosa")
    _publish(user, video)
    with pytest.raises(videos.VideoError, match="cannot change now"):
        _answer(user, video, rosa, videos.PersonData("Rosa", "refused", DAY, in_final_cut=False))
    _answer(user, video, rosa, videos.PersonData("Rosa", "refused", DAY))
    video.refresh_from_db()
    assert video.flagged_on is not None
    # Her consent recorded again: everyone's holds, the flag goes.
    _answer(user, video, rosa, videos.PersonData("Rosa", "identified", datetime.date(2026, 11, 21)))
    video.refresh_from_db()
    assert video.flagged_on is None
    # Someone new recorded without consent on the published video: flagged at once.
    _person(user, video, "The driver, 0:58", consent="")
    video.refresh_from_db()
    assert video.flagged_on is not None
    assert keyring_of(user).text(video, "published_on") == DAY.isoformat()


def test_a_new_answer_after_a_withdrawal_is_not_dated_before_it(desks, signed_in_client):
    user = desks.caseworker
    video = _video(user, desks.case)
    rosa = _person(user, video, "Rosa")
    _publish(user, video)
    _withdraw(user, rosa)  # on 2026-11-20
    with pytest.raises(videos.VideoError, match="2026-11-20"):
        _answer(
            user, video, rosa, videos.PersonData("Rosa", "blurred", datetime.date(2026, 11, 10))
        )
    # Through the page, a change that leaves a published video without consent says so.
    second = _video(user, desks.case)
    other = _person(user, second, "Don Mateo", consent="identified")
    _publish(user, second)
    second.refresh_from_db()
    assert second.flagged_on is None
    client = signed_in_client(user)
    answer = client.post(
        f"/cases/{desks.case.id}/videos/{second.id}/people/{other.id}/",
        {"name": "Don Mateo", "consent": "", "in_final_cut": "on", "row_version": "1"},
        follow=True,
    )
    assert "it is flagged" in answer.content.decode()
    second.refresh_from_db()
    assert second.flagged_on is not None
