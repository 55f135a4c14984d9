"""Pages of video advocacy (staff of the case only): a video with its files, the people filmed
and their consent, and publication (refused while a consent is missing or withdrawn)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk.advocacy import videos
from protectdesk.advocacy.models import FilmedPerson, Video, VideoStatus
from protectdesk.advocacy.video_forms import PersonForm, PublishForm, VideoForm, WithdrawPersonForm
from protectdesk.attachments import queries as attachment_queries
from protectdesk.attachments.uploads import max_upload_megabytes
from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.lib.access import current_user
from protectdesk.records.access import case_view, conflict_page
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case

DETAIL = "advocacy/video.html"
#: Said when a write leaves a published video without everyone's consent.
FLAGGED = gettext_noop(
    "The video is published and someone filmed no longer consents to it: it is flagged. "
    "Take it down on every channel now, then mark it as taken down."
)


def _video_or_404(case: Case, video_id: uuid.UUID) -> Video:
    return get_object_or_404(Video, case=case, pk=video_id)


def _person_or_404(video: Video, person_id: uuid.UUID) -> FilmedPerson:
    return get_object_or_404(FilmedPerson, video=video, pk=person_id)


def _page(video: Video, anchor: str = "") -> str:
    url = reverse("advocacy:video", args=[video.case_id, video.id])
    return url + (f"#{anchor}" if anchor else "")


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def edit(
    request: HttpRequest, case: Case, keyring: Keyring, video_id: uuid.UUID | None = None
) -> HttpResponse:
    existing = _video_or_404(case, video_id) if video_id else None
    initial: dict[str, Any] = {}
    if existing is not None:
        opened = keyring.opened(existing)
        initial = {
            name: getattr(opened, name)
            for name in ("title", "kind", "channel", "description", "anonymity", "where")
        }
        initial["row_version"] = existing.row_version
    form = VideoForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "form": form,
        "video": existing,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = videos.save_video(
                    actor=current_user(request),
                    keyring=keyring,
                    case=case,
                    data=form.to_data(),
                    video=existing,
                    expected_version=form.cleaned_data["row_version"] if existing else None,
                )
            except EditConflict:
                if existing is None:
                    raise
                return conflict_page(
                    request, "advocacy/video_edit.html", context, form, keyring, existing
                )
            messages.success(request, _("The video is saved."))
            return redirect(_page(saved))
        return render(request, "advocacy/video_edit.html", context, status=400)
    return render(request, "advocacy/video_edit.html", context)


def _new_person_form(data: Any = None) -> PersonForm:
    """The form that adds a person on the video's page (no row version: nothing to edit)."""
    form = PersonForm(data)
    del form.fields["row_version"]
    return form


def _detail_context(
    request: HttpRequest, keyring: Keyring, case: Case, video: Video, **forms: Any
) -> dict[str, Any]:
    people = list(video.people.all())
    blocked = {person.id for person in videos.blockers(video)}
    return {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "video": keyring.opened(video),
        "people": [(keyring.opened(person), person.id in blocked) for person in people],
        "blocked": len(blocked),
        "publish_form": forms.get("publish_form")
        or PublishForm(
            initial={
                "published_on": timezone.localdate().isoformat(),
                "row_version": video.row_version,
            }
        ),
        "person_form": forms.get("person_form") or _new_person_form(),
        "files": attachment_queries.attachments_of(keyring, case, "advocacy.video", video.id),
        "record_key": f"advocacy.video:{video.id}",
        "can_upload": True,
        "is_staff": True,
        "staff_files": True,
        "max_upload_mb": max_upload_megabytes(),
    }


@require_GET
@case_view(staff_only=True)
def detail(request: HttpRequest, case: Case, keyring: Keyring, video_id: uuid.UUID) -> HttpResponse:
    video = _video_or_404(case, video_id)
    record_access(request, "video.viewed", video)
    return render(request, DETAIL, _detail_context(request, keyring, case, video))


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def person(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    video_id: uuid.UUID,
    person_id: uuid.UUID | None = None,
) -> HttpResponse:
    """A person filmed, added (from the video's page) or edited on their own page."""
    video = _video_or_404(case, video_id)
    existing = _person_or_404(video, person_id) if person_id else None
    initial: dict[str, Any] = {}
    if existing is not None:
        opened = keyring.opened(existing)
        initial = {
            "name": opened.name,
            "consent": existing.consent,
            "consent_on": existing.consent_on.isoformat() if existing.consent_on else "",
            "in_final_cut": existing.in_final_cut,
            "notes": opened.notes,
            "row_version": existing.row_version,
        }
    if request.method == "GET":
        if existing is None:
            return redirect(_page(video, "people"))
        return render(
            request,
            "advocacy/video_person.html",
            _person_context(keyring, case, video, existing, PersonForm(initial=initial)),
        )
    form = PersonForm(request.POST, initial=initial) if existing else _new_person_form(request.POST)
    if form.is_valid():
        try:
            videos.save_person(
                actor=current_user(request),
                keyring=keyring,
                video=video,
                data=form.to_data(),
                person=existing,
                expected_version=form.cleaned_data.get("row_version") if existing else None,
            )
        except EditConflict:
            if existing is None:
                raise
            context = _person_context(keyring, case, video, existing, form)
            return conflict_page(
                request, "advocacy/video_person.html", context, form, keyring, existing
            )
        except videos.VideoError as error:
            form.add_error(error.code, error.message)
        else:
            if video.flagged_on:
                messages.error(request, _(FLAGGED))
            else:
                messages.success(request, _("The person filmed is saved."))
            return redirect(_page(video, "people"))
    if existing is None:
        return render(
            request,
            DETAIL,
            _detail_context(request, keyring, case, video, person_form=form),
            status=400,
        )
    return render(
        request,
        "advocacy/video_person.html",
        _person_context(keyring, case, video, existing, form),
        status=400,
    )


def _person_context(
    keyring: Keyring,
    case: Case,
    video: Video,
    person: FilmedPerson,
    form: PersonForm,
    withdraw_form: WithdrawPersonForm | None = None,
) -> dict[str, Any]:
    return {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "video": keyring.opened(video),
        "person": keyring.opened(person),
        "form": form,
        "withdraw_form": withdraw_form
        or WithdrawPersonForm(
            initial={
                "withdrawn_on": timezone.localdate().isoformat(),
                "row_version": person.row_version,
            }
        ),
    }


@require_POST
@case_view(staff_only=True)
def withdraw(
    request: HttpRequest,
    case: Case,
    keyring: Keyring,
    video_id: uuid.UUID,
    person_id: uuid.UUID,
) -> HttpResponse:
    video = _video_or_404(case, video_id)
    target = _person_or_404(video, person_id)
    form = WithdrawPersonForm(request.POST)
    if form.is_valid():
        try:
            withdrawn = videos.withdraw_consent(
                actor=current_user(request),
                keyring=keyring,
                person=target,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                expected_version=form.cleaned_data["row_version"],
            )
        except EditConflict:
            target.refresh_from_db()
            form.add_error(None, _("Someone changed this person's record: check it and try again."))
        except videos.VideoError as error:
            form.add_error("withdrawn_on", error.message)
        else:
            if withdrawn.video.flagged_on:
                messages.error(request, _(FLAGGED))
            else:
                messages.success(request, _("The withdrawal of consent is recorded."))
            return redirect(_page(video, "people"))
    initial = {"name": keyring.text(target, "name"), "row_version": target.row_version}
    return render(
        request,
        "advocacy/video_person.html",
        _person_context(keyring, case, video, target, PersonForm(initial=initial), form),
        status=400,
    )


@require_POST
@case_view(staff_only=True)
def publish(
    request: HttpRequest, case: Case, keyring: Keyring, video_id: uuid.UUID
) -> HttpResponse:
    video = _video_or_404(case, video_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            videos.publish(
                actor=current_user(request),
                keyring=keyring,
                video=video,
                published_on=form.cleaned_data["published_on"],
                nobody_recognisable=form.cleaned_data["nobody_recognisable"],
                expected_version=form.cleaned_data["row_version"],
            )
        except EditConflict:
            video.refresh_from_db()
            form.add_error(None, _("Someone changed this video: check it and publish again."))
        except videos.VideoError as error:
            field = error.code if error.code in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, _("The video is marked as published."))
            return redirect(_page(video))
    return render(
        request,
        DETAIL,
        _detail_context(request, keyring, case, video, publish_form=form),
        status=400,
    )


@require_POST
@case_view(staff_only=True)
def take_down(
    request: HttpRequest, case: Case, keyring: Keyring, video_id: uuid.UUID
) -> HttpResponse:
    video = _video_or_404(case, video_id)
    if video.status != VideoStatus.PUBLISHED:
        messages.error(request, _("This video is not published."))
        return redirect(_page(video))
    try:
        version = int(request.POST.get("row_version", ""))
    except ValueError:
        version = -1
    try:
        videos.take_down(
            actor=current_user(request), keyring=keyring, video=video, expected_version=version
        )
    except EditConflict:
        messages.error(request, _("Someone changed this video: check it and try again."))
        return redirect(_page(video))
    messages.success(request, _("The video is marked as taken down."))
    return redirect(_page(video))
