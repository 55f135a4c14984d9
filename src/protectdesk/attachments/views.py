"""Uploading, downloading and removing attachments (members only; others get 404).

An upload redirects to the record's files section (``#attachments``), far down its page, so
what the user is told about it (stored, renamed, refused) is placed there, next to the upload
form (``placed_messages``), not in the page-wide list at the top, off-screen.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from protectdesk.attachments import actions, names, queries
from protectdesk.attachments.forms import UploadForm
from protectdesk.attachments.templatetags.placed_messages import placed_tag
from protectdesk.attachments.uploads import EncryptedUploadedFile
from protectdesk.audit.actions import record_access
from protectdesk.crypto import StreamError
from protectdesk.lib.access import current_user
from protectdesk.records import registry
from protectdesk.records.access import case_view
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case


def _record_of(case: Case, value: str) -> tuple[str, uuid.UUID]:
    record_type, _sep, raw_id = value.partition(":")
    try:
        record_id = uuid.UUID(raw_id)
    except ValueError:
        raise Http404 from None
    kind = registry.attachable_types().get(record_type)
    if kind is None or not kind.exists(case, record_id):
        raise Http404
    return record_type, record_id


def _back_to(case: Case, record_type: str, record_id: uuid.UUID) -> str:
    """Where the record's files are listed (its page, at the files section)."""
    return registry.TYPES[record_type].url(case, record_id) + "#attachments"


def _files_section(record_type: str, record_id: uuid.UUID) -> str:
    """The place of a record's files section, for messages shown there (``_section.html``)."""
    return placed_tag(f"files:{record_type}:{record_id}")


@require_POST
@case_view()
def upload(request: HttpRequest, case: Case, keyring: Keyring) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    record_type, record_id = _record_of(case, request.POST.get("record") or f"cases.case:{case.id}")
    back = _back_to(case, record_type, record_id)
    here = _files_section(record_type, record_id)
    uploaded = request.FILES.get("file")
    if not isinstance(uploaded, EncryptedUploadedFile) or not form.is_valid():
        messages.error(request, actions.refusal_message("missing"), extra_tags=here)
        return HttpResponseRedirect(back)
    if uploaded.upload.error:
        messages.error(request, actions.upload_refusal(uploaded.upload), extra_tags=here)
        return HttpResponseRedirect(back)
    try:
        actions.add_attachment(
            actor=current_user(request),
            keyring=keyring,
            case=case,
            record_type=record_type,
            record_id=record_id,
            upload=uploaded.upload,
            staff_only=form.cleaned_data["staff_only"],
        )
    except actions.AttachmentRefused as refused:
        messages.error(request, refused.message, extra_tags=here)
    else:
        if uploaded.upload.cleaned:
            messages.success(
                request,
                _(
                    "The photo is stored, encrypted, without its hidden metadata (location, camera)."
                ),
                extra_tags=here,
            )
        else:
            messages.success(request, _("The file is stored, encrypted."), extra_tags=here)
        notice = actions.name_of(uploaded.upload).notice()
        if notice:
            messages.warning(request, notice, extra_tags=here)
    return HttpResponseRedirect(back)


@require_GET
@case_view()
def download(
    request: HttpRequest, case: Case, keyring: Keyring, attachment_id: uuid.UUID
) -> HttpResponse | StreamingHttpResponse:
    """Stream the plaintext only after the whole file has passed authentication."""
    attachment = queries.attachment_in_case(keyring, case, attachment_id)
    if attachment is None:
        raise Http404
    try:
        card, chunks = queries.plaintext(keyring, attachment)
    except (StreamError, FileNotFoundError):
        return render(request, "errors/tampered.html", status=500)
    record_access(request, "attachment.downloaded", attachment)
    response = StreamingHttpResponse(chunks, content_type=card.content_type)
    response["Content-Length"] = str(card.size)
    response["Content-Disposition"] = names.content_disposition(card.name)
    return response


@require_POST
@case_view(staff_only=True)
def remove(
    request: HttpRequest, case: Case, keyring: Keyring, attachment_id: uuid.UUID
) -> HttpResponse:
    attachment = queries.attachment_in_case(keyring, case, attachment_id)
    if attachment is None:
        raise Http404
    back = _back_to(case, attachment.record_type, attachment.record_id)
    actions.remove_attachment(actor=current_user(request), keyring=keyring, attachment=attachment)
    messages.success(
        request,
        _("The file is removed."),
        extra_tags=_files_section(attachment.record_type, attachment.record_id),
    )
    return HttpResponseRedirect(back)
