"""Library pages: public reading and search (no sign-in, no cookie), and the staff's editing.

The public pages render with ``library/public_base.html``, which has no form that needs a
CSRF token and no language form: nothing on them calls for a cookie, so none is set (a
visitor from Tor Browser leaves nothing behind). Their language is the ``lang`` of the
address, else the browser's; it sets both the interface and the versions shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk import vocabularies
from protectdesk.accounts.models import ACCOUNT_MANAGERS, STAFF_ROLES
from protectdesk.attachments import names, sniff
from protectdesk.attachments.actions import upload_refusal
from protectdesk.attachments.uploads import EncryptedUploadedFile
from protectdesk.crypto import stream
from protectdesk.lib.access import current_user, public, role_required
from protectdesk.lib.languages import reader_language
from protectdesk.library import actions, bundle, queries
from protectdesk.library.forms import (
    ResourceForm,
    SearchForm,
    VersionForm,
    reserved_slug_message,
)
from protectdesk.library.models import LANGUAGES, Resource, Status, Version
from protectdesk.records.actions import EditConflict

CODES = dict(LANGUAGES)
_KINDS = {kind.code: kind for kind in actions.FILE_KINDS}


def _language_name(code: str) -> str:
    """The language's name in the language of the page (staff pages: "the Spanish version")."""
    return str(translation.get_language_info(code)["name_translated"])


def _reader(request: HttpRequest) -> Any:
    user = request.user
    return user if user.is_authenticated else None


def _language(request: HttpRequest) -> str:
    return reader_language(request.GET.get("lang", ""))


def _public(
    request: HttpRequest, template: str, language: str, context: dict[str, Any]
) -> HttpResponse:
    with translation.override(language):
        return render(request, template, {"language": language, "languages": LANGUAGES, **context})


def _visible(request: HttpRequest, slug: str) -> Resource:
    resource = queries.visible_resources(_reader(request)).filter(slug=slug).first()
    if resource is None:
        raise Http404
    return resource


class _Topics:
    """A resource's topic labels, read when the template shows them (in the page's language)."""

    def __init__(self, resource: Resource) -> None:
        self._codes = resource.topics

    def __iter__(self) -> Iterator[str]:
        topics = vocabularies.load("library_topics")
        return iter([topics.label(code) for code in self._codes])


def _topics(resource: Resource) -> _Topics:
    return _Topics(resource)


@public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    searching = "q" in request.GET
    with translation.override(language):
        form = SearchForm(request.GET if searching else None, initial={"lang": language})
        found: list[queries.Found] | None = None
        if searching and form.is_valid() and form.cleaned_data["q"].strip():
            language = form.cleaned_data["lang"]
            found = queries.search(_reader(request), form.cleaned_data["q"], [language])
    listed = (
        Version.objects.filter(
            resource__in=queries.visible_resources(_reader(request)), language=language
        )
        .select_related("resource")
        .order_by("-resource__published_on", "title")
    )
    response = _public(
        request,
        "library/index.html",
        language,
        {"form": form, "found": found, "listed": list(listed) if found is None else []},
    )
    return response if form.is_valid() or not form.is_bound else _with_status(response, 400)


def _with_status(response: HttpResponse, status: int) -> HttpResponse:
    response.status_code = status
    return response


@public
@require_GET
def resource(request: HttpRequest, slug: str) -> HttpResponse:
    item = _visible(request, slug)
    language = _language(request)
    versions = list(item.versions.all())
    return _public(
        request,
        "library/resource.html",
        language,
        {"resource": item, "versions": versions, "topics": _topics(item)},
    )


@public
@require_GET
def version(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    item = _visible(request, slug)
    shown = item.versions.filter(language=lang).first()
    if shown is None:
        raise Http404
    paragraphs = [p.strip() for p in shown.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return _public(
        request,
        "library/version.html",
        lang,
        {
            "resource": item,
            "version": shown,
            "paragraphs": paragraphs,
            "others": [v for v in item.versions.all() if v.language != lang],
            "topics": _topics(item),
        },
    )


@public
@require_GET
def download(request: HttpRequest, slug: str, lang: str) -> FileResponse:
    item = _visible(request, slug)
    shown = item.versions.filter(language=lang).exclude(file_name="").first()
    if shown is None:
        raise Http404
    path = actions.file_path(shown.id, shown.file_sha256)
    if not path.exists():
        raise Http404
    kind = _KINDS.get(shown.file_kind, sniff.TEXT)
    response = FileResponse(path.open("rb"), content_type=kind.content_type)
    response["Content-Disposition"] = names.content_disposition(shown.file_name)
    return response


@public
@require_GET
def offline(request: HttpRequest, lang: str) -> FileResponse:
    """The offline bundle of the published library in ``lang`` (a zip of static pages).

    Anyone may ask for it, as often as they like: it is built once per state of the library
    and served from disk after that (:func:`bundle.open_cached`), not rebuilt per request.
    """
    if lang not in CODES:
        raise Http404
    return FileResponse(
        bundle.open_cached(lang),
        as_attachment=True,
        filename=f"protection-desk-library-{lang}.zip",
        content_type="application/zip",
    )


# --- the staff's pages ----------------------------------------------------------------------


def _own(request: HttpRequest, resource_id: Any) -> Resource:
    return get_object_or_404(Resource, pk=resource_id, desk_id=current_user(request).desk_id)


def _refusal(refused: actions.LibraryRefused) -> str:
    messages_by_code = {
        "slug": _("Use lower-case letters, digits and single hyphens, up to 80 characters."),
        "slug_taken": _("Another resource already has this address: choose another one."),
        "slug_reserved": reserved_slug_message(refused.detail.get("slug", "")),
        "topics": _("Choose at least one topic from the list."),
        "choice": _("Choose one of the options in the list."),
        "title": _("Enter the title in this language, up to 200 characters."),
        "too_long": _("This text is too long: up to 200,000 characters."),
        "empty": _("Give a text, a summary or a file: a version needs something to read."),
        "file_too_large": _("This file is larger than 25 MB: choose a smaller one."),
        "file_empty": _("This file is empty: choose the file again."),
        "no_version": _("Add at least one language version before publishing."),
        "published": _("Withdraw the resource to draft before deleting it."),
        "published_locked": _(
            "This resource is published: only a coordinator or an administrator can change or "
            "delete it. Ask one of them to make the change, or to withdraw it to draft."
        ),
        "in_use": _(
            "A protection plan links this resource: it stays, so that the plan's "
            "history stays whole."
        ),
    }
    if refused.code == "upload":
        return refused.detail["message"]
    if refused.code == "file_kind":
        return (
            _(
                "This file is %(actual)s. A library file is a PDF, an office or e-book document, "
                "plain text or an image."
            )
            % refused.detail
        )
    if refused.code == "file_lies":
        return (
            _(
                "This file is %(actual)s, not %(claimed)s as its name says. Choose the right file, "
                "or rename it so that its name says what it is."
            )
            % refused.detail
        )
    return str(messages_by_code.get(refused.code, _("This cannot be saved as it is.")))


_CONFLICT = _(
    "Someone saved this resource while you were editing it. Nothing of yours was saved: "
    "here it is as it is now."
)


@require_GET
@role_required(*STAFF_ROLES)
def manage(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    resources = Resource.objects.filter(desk_id=user.desk_id).prefetch_related("versions")
    return render(
        request,
        "library/manage.html",
        {"resources": resources, "can_publish": user.role in ACCOUNT_MANAGERS},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def new(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_resource(
                actor=current_user(request), data=form.data_for_action()
            )
        except actions.LibraryRefused as refused:
            form.add_error(refused.field or None, _refusal(refused))
        else:
            messages.success(request, _("Resource created as a draft. Now add its first language."))
            return HttpResponseRedirect(reverse("library:edit", args=[created.id]))
    status = 400 if form.is_bound else 200
    return render(request, "library/new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def edit(request: HttpRequest, resource_id: Any) -> HttpResponse:
    item = _own(request, resource_id)
    user = current_user(request)
    initial = {
        "slug": item.slug,
        "kind": item.kind,
        "audience": item.audience,
        "topics": item.topics,
        "licence": item.licence,
        "published_on": item.published_on,
        "row_version": item.row_version,
    }
    form = ResourceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_resource(
                actor=user,
                resource=item,
                data=form.data_for_action(),
                expected_version=form.cleaned_data["row_version"] or 0,
            )
        except EditConflict:
            messages.error(request, _CONFLICT)
        except actions.LibraryRefused as refused:
            if refused.code == "published_locked":  # published since the form was loaded
                messages.error(request, _refusal(refused))
                return HttpResponseRedirect(reverse("library:edit", args=[item.id]))
            form.add_error(refused.field or None, _refusal(refused))
        else:
            messages.success(request, _("Details saved."))
            return HttpResponseRedirect(reverse("library:edit", args=[item.id]))
    have = {v.language: v for v in item.versions.all()}
    return render(
        request,
        "library/edit.html",
        {
            "resource": item,
            "form": form,
            "languages": [(code, _language_name(code), have.get(code)) for code, _n in LANGUAGES],
            "can_publish": user.role in ACCOUNT_MANAGERS,
            "can_write": actions.may_write(user, item),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def edit_version(request: HttpRequest, resource_id: Any, lang: str) -> HttpResponse:
    item = _own(request, resource_id)
    if lang not in CODES:
        raise Http404
    existing = item.versions.filter(language=lang).first()
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "title": existing.title,
            "summary": existing.summary,
            "body": existing.body,
            "row_version": existing.row_version,
        }
    form = VersionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            upload = _upload_of(form.cleaned_data.get("file"))
            actions.save_version(
                actor=current_user(request),
                resource=item,
                data=form.data_for_action(lang),
                expected_version=form.cleaned_data["row_version"],
                upload=upload,
                remove_file=form.cleaned_data["remove_file"],
            )
        except EditConflict:
            messages.error(request, _CONFLICT)
            return HttpResponseRedirect(reverse("library:edit", args=[item.id]))
        except actions.LibraryRefused as refused:
            if refused.code == "published_locked":  # the page shows no form to correct
                messages.error(request, _refusal(refused))
                return HttpResponseRedirect(reverse("library:edit", args=[item.id]))
            form.add_error(refused.field or None, _refusal(refused))
        else:
            messages.success(
                request, _("%(language)s version saved.") % {"language": _language_name(lang)}
            )
            return HttpResponseRedirect(reverse("library:edit", args=[item.id]))
    return render(
        request,
        "library/version_form.html",
        {
            "resource": item,
            "version": existing,
            "form": form,
            "language_name": _language_name(lang),
            "can_write": actions.may_write(current_user(request), item),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _upload_of(uploaded: Any) -> actions.Upload | None:
    """The plaintext of a file the upload handler received (it encrypts every upload on
    arrival, cleaning images of their metadata first), or its refusal."""
    if uploaded is None:
        return None
    if not isinstance(uploaded, EncryptedUploadedFile):
        raise actions.LibraryRefused("file_empty", "file")
    upload = uploaded.upload
    if upload.error:
        raise actions.LibraryRefused("upload", "file", message=upload_refusal(upload))

    def chunks() -> Iterator[bytes]:
        with upload.temp_path.open("rb") as source:
            yield from stream.decrypt_chunks(upload.key, upload.context(), source)

    return actions.Upload(upload.original_name, upload.size, chunks())


def _expected(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("row_version", ""))
    except ValueError:
        return -1


@require_POST
@role_required(*ACCOUNT_MANAGERS)
def publish(request: HttpRequest, resource_id: Any) -> HttpResponse:
    item = _own(request, resource_id)
    wanted = request.POST.get("status") == Status.PUBLISHED
    try:
        actions.set_published(
            actor=current_user(request),
            resource=item,
            published=wanted,
            expected_version=_expected(request),
        )
    except EditConflict:
        messages.error(request, _CONFLICT)
    except actions.LibraryRefused as refused:
        messages.error(request, _refusal(refused))
    else:
        messages.success(request, _("Published.") if wanted else _("Withdrawn to draft."))
    return HttpResponseRedirect(reverse("library:edit", args=[item.id]))


@require_POST
@role_required(*STAFF_ROLES)
def delete(request: HttpRequest, resource_id: Any) -> HttpResponse:
    item = _own(request, resource_id)
    try:
        actions.delete_resource(
            actor=current_user(request), resource=item, expected_version=_expected(request)
        )
    except EditConflict:
        messages.error(request, _CONFLICT)
    except actions.LibraryRefused as refused:
        messages.error(request, _refusal(refused))
    else:
        messages.success(request, _("Resource deleted."))
        return HttpResponseRedirect(reverse("library:manage"))
    return HttpResponseRedirect(reverse("library:edit", args=[item.id]))


@require_POST
@role_required(*STAFF_ROLES)
def delete_version(request: HttpRequest, resource_id: Any, lang: str) -> HttpResponse:
    item = _own(request, resource_id)
    existing = get_object_or_404(Version, resource=item, language=lang)
    try:
        actions.delete_version(
            actor=current_user(request), version=existing, expected_version=_expected(request)
        )
    except EditConflict:
        messages.error(request, _CONFLICT)
    except actions.LibraryRefused as refused:
        messages.error(request, _refusal(refused))
    else:
        messages.success(
            request, _("%(language)s version deleted.") % {"language": _language_name(lang)}
        )
    return HttpResponseRedirect(reverse("library:edit", args=[item.id]))
