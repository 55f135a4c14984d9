"""The public door: the report form, the receipt, and the conversation a person reads back.

Promises these views keep (security.md; the issue's "safe public door"):

* **No account, no JavaScript, no cookie.** Nothing here touches the session or the CSRF
  cookie, and the pages are served ``Cache-Control: no-store`` like every page. The receipt
  never appears in a URL: it travels in POST bodies and in a hidden field of the page that
  shows the conversation, so it reaches no access log and no browser history.
* **Cross-site posting**: Django's CSRF protection pairs a cookie with the form, so it cannot
  be used without setting one. These posts carry no ambient authority to abuse (no session,
  no key: a forged post can only send a report or a guess, which anyone can do directly), so
  the views are exempt from it and carry instead a one-time signed token
  (:mod:`django.core.signing`): it expires after :data:`TOKEN_HOURS`, and a form sent twice
  makes one submission (``Submission.form_token``), so a reload never files a duplicate.
* **Uploads** go through the project's only upload handler, which encrypts as bytes arrive
  and strips image metadata; it takes files from anonymous requests only on these views
  (``request.pd_public_upload``).
* **The language** is the ``lang`` of the link or of the form (a hidden field), never a cookie.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from protectdesk.attachments.actions import upload_refusal
from protectdesk.attachments.uploads import (
    FILES_ALLOWED,
    MAX_UPLOAD_BYTES,
    PUBLIC_UPLOAD,
    EncryptedUploadedFile,
)
from protectdesk.intake import actions, throttle
from protectdesk.intake.forms import AnswerForm, ReceiptForm, ReportForm
from protectdesk.lib.access import public
from protectdesk.lib.forms import Problem
from protectdesk.lib.languages import reader_language

TOKEN_HOURS = 6
_TOKEN_SALT = "protectdesk.intake.form"  # noqa: S105 - a signing namespace
#: A request larger than this is refused before it is read (five files at the upload limit).
MAX_REQUEST_BYTES = actions.MAX_FILES * MAX_UPLOAD_BYTES + 1024 * 1024


def _language(request: HttpRequest) -> str:
    asked = request.POST.get("lang", "") if request.method == "POST" else ""
    return reader_language(asked or request.GET.get("lang", ""))


def _language_of_link(request: HttpRequest) -> str:
    """The language without reading the body (a request refused before it is read)."""
    return reader_language(request.GET.get("lang", ""))


def _door(desk_id: uuid.UUID) -> Any:
    door = actions.door_of(desk_id)
    if door is None:
        raise Http404
    return door


def _page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    door = context["door"]
    context.setdefault("desk_name", door.desk.name)
    context["languages"] = settings.LANGUAGES
    return render(request, template, context, status=status)


def _new_token() -> str:
    return signing.dumps(secrets.token_urlsafe(16), salt=_TOKEN_SALT)


def _token_problem(token: str) -> str:
    try:
        signing.loads(token, salt=_TOKEN_SALT, max_age=TOKEN_HOURS * 3600)
    except signing.SignatureExpired:
        return _(
            "This form was open for more than %(hours)d hours. Check what you wrote and send "
            "it again."
        ) % {"hours": TOKEN_HOURS}
    except signing.BadSignature:
        return _("This form could not be checked. Check what you wrote and send it again.")
    return ""


def _too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


def _parsed(request: HttpRequest) -> bool:
    """Read the body now; False when Django refuses it (too many fields or files, a text
    part over its memory limit) — the caller answers with the "too large" page."""
    try:
        request.POST  # noqa: B018
    except (TooManyFilesSent, TooManyFieldsSent, RequestDataTooBig):
        return False
    return True


def _too_large_page(request: HttpRequest, door: Any) -> HttpResponse:
    """Refused before the body is read (so before its language is known)."""
    language = _language_of_link(request)
    with translation.override(language):
        context = {"door": door, "language": language}
        context["limit_mb"] = MAX_REQUEST_BYTES // (1024 * 1024)
        return _page(request, "intake/too_large.html", context, status=413)


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, desk_id: uuid.UUID) -> HttpResponse:
    door = _door(desk_id)
    if not door.accepting:  # before anything of the body is read (or its files encrypted)
        with translation.override(_language_of_link(request)):
            closed = {"door": door, "language": _language_of_link(request)}
            return _page(request, "intake/closed.html", closed, status=503)
    if request.method == "POST":
        if _too_large(request):
            return _too_large_page(request, door)
        # Before the body is read: the upload handler may take files from a person without
        # an account here (and only here), up to five.
        setattr(request, PUBLIC_UPLOAD, True)
        setattr(request, FILES_ALLOWED, actions.MAX_FILES)
        if not _parsed(request):
            return _too_large_page(request, door)
    language = _language(request)
    with translation.override(language):
        context: dict[str, Any] = {"door": door, "language": language}
        if request.method == "GET":
            context["form"] = ReportForm(initial={"token": _new_token()})
            return _page(request, "intake/report.html", context)
        form = ReportForm(request.POST)
        uploads = [
            item.upload
            for item in request.FILES.getlist("files")
            if isinstance(item, EncryptedUploadedFile)
        ]
        problems: list[Problem] = []
        token_problem = _token_problem(request.POST.get("token", ""))
        if token_problem:
            problems.append(Problem(token_problem))
        if len(uploads) > actions.MAX_FILES:
            problems.append(
                Problem(
                    _("Send at most %(n)d files with one report.") % {"n": actions.MAX_FILES},
                    _("Files"),
                    "id_files",
                )
            )
        for upload in uploads:
            if upload.error == "empty" and not upload.original_name:
                continue  # the file field was left empty
            if upload.error or upload.kind is None:
                problems.append(
                    Problem(
                        f"{upload.original_name}: {upload_refusal(upload)}",
                        _("Files"),
                        "id_files",
                    )
                )
        # A desk that takes no more now: the text is shown again, and no document is opened.
        busy = not throttle.allows(desk_id, throttle.SUBMISSIONS)
        if busy:
            problems.append(
                Problem(
                    _later_message(actions.TryLater(throttle.seconds_left(throttle.SUBMISSIONS)))
                )
            )
        kept = []
        for upload in uploads:
            if upload.error or upload.kind is None or busy:
                continue
            try:
                kept.append(actions.clean_file(upload))
            except actions.IntakeRefused as refused:
                problems.append(
                    Problem(f"{upload.original_name}: {refused.message}", _("Files"), "id_files")
                )
        status = 429 if busy else 400
        if form.is_valid() and not problems:
            data = form.cleaned_data
            try:
                received = actions.receive(
                    desk_id=desk_id,
                    report=actions.Report(
                        data["what"], data["when"], data["where"], data["who"], data["contact"]
                    ),
                    uploads=kept,
                    form_token=data["token"],
                )
            except actions.TryLater as later:
                # Shown again with everything typed: nothing is lost while the desk is busy.
                problems.append(Problem(_later_message(later)))
                status = 429
            except actions.IntakeRefused as refused:
                if refused.code == "sent":
                    context["message"] = refused.message
                    return _page(request, "intake/sent_twice.html", context, status=409)
                problems.append(Problem(refused.message))
            else:
                context["receipt"] = received.receipt
                context["files"] = len(kept)
                context["answer_form"] = ReceiptForm(initial={"receipt": received.receipt})
                return _page(request, "intake/receipt.html", context)
        for upload in kept:  # a cleaned copy is not the request's upload: remove it here
            if not upload.claimed:
                upload.temp_path.unlink(missing_ok=True)
        # Shown again with what was written; files must be chosen again (a browser cannot
        # be given them back), and the page says so. A token that failed is replaced; a good
        # one stays (it has not made a submission).
        typed = {k: request.POST.get(k, "") for k in ReportForm.base_fields}
        if token_problem:
            typed["token"] = _new_token()
        form = ReportForm(typed)
        form.is_valid()
        context.update(
            form=form,
            problems=problems,
            files_again=bool(uploads and any(u.original_name for u in uploads)),
        )
        return _page(request, "intake/report.html", context, status=status)


def _later_message(later: actions.TryLater) -> str:
    minutes = max(1, -(-later.seconds // 60))
    return ngettext(
        "The desk's form is receiving too many reports right now. Nothing was sent yet, and "
        "what you wrote is kept below: send it again in %(n)d minute.",
        "The desk's form is receiving too many reports right now. Nothing was sent yet, and "
        "what you wrote is kept below: send it again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, desk_id: uuid.UUID) -> HttpResponse:
    """Come back with the receipt: read the desk's replies and answer."""
    door = _door(desk_id)
    if request.method == "POST" and (_too_large(request) or not _parsed(request)):
        return _too_large_page(request, door)
    language = _language(request)
    with translation.override(language):
        context: dict[str, Any] = {"door": door, "language": language}
        if request.method == "GET":
            context["form"] = ReceiptForm()
            return _page(request, "intake/follow.html", context)
        form = ReceiptForm(request.POST)
        if form.is_valid():
            try:
                conversation = actions.open_for_person(
                    desk_id=desk_id, receipt=form.cleaned_data["receipt"]
                )
            except actions.TryLater as later:
                context["minutes"] = max(1, -(-later.seconds // 60))
                return _page(request, "intake/later.html", context, status=429)
            except actions.IntakeRefused as refused:
                form.add_error("receipt", refused.message)
            else:
                return _conversation_page(
                    request, context, conversation, form.cleaned_data["receipt"]
                )
        context["form"] = form
        return _page(request, "intake/follow.html", context, status=400)


def _conversation_page(
    request: HttpRequest,
    context: dict[str, Any],
    conversation: actions.Conversation,
    receipt: str,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context.update(
        conversation=conversation,
        answer_form=answer_form or AnswerForm(initial={"receipt": receipt}),
    )
    return _page(request, "intake/conversation.html", context, status=status)


@public
@csrf_exempt
@require_POST
def answer(request: HttpRequest, desk_id: uuid.UUID) -> HttpResponse:
    door = _door(desk_id)
    if _too_large(request) or not _parsed(request):
        return _too_large_page(request, door)
    language = _language(request)
    with translation.override(language):
        context: dict[str, Any] = {"door": door, "language": language}
        form = AnswerForm(request.POST)
        receipt = request.POST.get("receipt", "")
        try:
            if form.is_valid():
                try:
                    conversation = actions.answer(
                        desk_id=desk_id, receipt=receipt, text=form.cleaned_data["text"]
                    )
                except actions.IntakeRefused as refused:
                    if refused.code not in {"text", "full"}:
                        raise
                    form.add_error("text", refused.message)
                else:
                    context["sent"] = True
                    return _conversation_page(request, context, conversation, receipt)
            conversation = actions.open_for_person(desk_id=desk_id, receipt=receipt)
        except actions.TryLater as later:
            context["minutes"] = max(1, -(-later.seconds // 60))
            context["unsent"] = request.POST.get("text", "")
            return _page(request, "intake/later.html", context, status=429)
        except actions.IntakeRefused as refused:
            if refused.code == "receipt":
                receipt_form = ReceiptForm({"receipt": receipt})
                receipt_form.is_valid()
                receipt_form.add_error("receipt", refused.message)
                context["form"] = receipt_form
                return _page(request, "intake/follow.html", context, status=400)
            # The receipt no longer finds anything (destroyed meanwhile): say so, and keep
            # what they wrote on the page so they can copy it into a new report.
            context.update(message=refused.message, unsent=request.POST.get("text", ""))
            context["form"] = ReceiptForm()
            return _page(request, "intake/gone.html", context, status=410)
        return _conversation_page(request, context, conversation, receipt, form, status=400)
