"""Every write of the library: resources, their language versions, publishing.

Staff of a desk (coordinators, caseworkers, administrators) write its resources as drafts;
a coordinator or administrator publishes and withdraws them. Each write checks the row
version the form was loaded with (:class:`EditConflict`: nothing saved), keeps the full-text
entry of each version in the same transaction, and leaves an audit entry.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.accounts.models import ACCOUNT_MANAGERS, User
from protectdesk.audit.actions import record as audit_record
from protectdesk.library import fulltext
from protectdesk.library.models import (
    LANGUAGES,
    Audience,
    Kind,
    Licence,
    Resource,
    Status,
    Version,
)
from protectdesk.records.actions import EditConflict

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 80
MAX_TITLE = 200
MAX_TEXT = 200_000


class LibraryRefused(ValueError):
    """A write the library refuses; ``code`` names the rule (the form turns it into words)."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(code)
        self.code, self.field = code, field


@dataclass(frozen=True)
class ResourceData:
    slug: str
    kind: str
    audience: str
    topics: tuple[str, ...]
    licence: str
    published_on: datetime.date | None = None


@dataclass(frozen=True)
class VersionData:
    language: str
    title: str
    summary: str = ""
    body: str = ""


def _require_staff(actor: User, resource: Resource | None = None) -> None:
    if not actor.is_staff_member or (resource is not None and resource.desk_id != actor.desk_id):
        raise PermissionError("the library is written by the staff of its desk")


def _check(data: ResourceData) -> None:
    if not SLUG.match(data.slug) or len(data.slug) > MAX_SLUG:
        raise LibraryRefused("slug", "slug")
    for value, choices, field in (
        (data.kind, Kind.values, "kind"),
        (data.audience, Audience.values, "audience"),
        (data.licence, Licence.values, "licence"),
    ):
        if value not in choices:
            raise LibraryRefused("choice", field)
    known = vocabularies.load("library_topics").codes()
    if not data.topics or not set(data.topics) <= known:
        raise LibraryRefused("topics", "topics")


def create_resource(*, actor: User, data: ResourceData) -> Resource:
    _require_staff(actor)
    _check(data)
    resource = Resource(
        desk_id=actor.desk_id,
        slug=data.slug,
        kind=data.kind,
        audience=data.audience,
        topics=list(dict.fromkeys(data.topics)),
        licence=data.licence,
        published_on=data.published_on,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            resource.save(force_insert=True)
            audit_record("library.resource_created", actor=actor, target=resource)
    except IntegrityError:
        raise LibraryRefused("slug_taken", "slug") from None
    return resource


def update_resource(
    *, actor: User, resource: Resource, data: ResourceData, expected_version: int
) -> Resource:
    _require_staff(actor, resource)
    _check(data)
    try:
        with transaction.atomic():
            current = _locked(resource, expected_version)
            current.slug, current.kind, current.audience = data.slug, data.kind, data.audience
            current.topics = list(dict.fromkeys(data.topics))
            current.licence, current.published_on = data.licence, data.published_on
            _bump(current)
            audit_record("library.resource_updated", actor=actor, target=current)
    except IntegrityError:
        raise LibraryRefused("slug_taken", "slug") from None
    return current


def save_version(
    *, actor: User, resource: Resource, data: VersionData, expected_version: int | None
) -> Version:
    """Write (or rewrite) the version of ``resource`` in ``data.language``.

    ``expected_version`` is the version row's ``row_version`` the form showed, or None for a
    language the resource does not have yet (a second writer adding it first: a conflict).
    """
    _require_staff(actor, resource)
    if data.language not in dict(LANGUAGES):
        raise LibraryRefused("choice", "language")
    title = data.title.strip()
    if not title or len(title) > MAX_TITLE:
        raise LibraryRefused("title", "title")
    if len(data.summary) > MAX_TEXT or len(data.body) > MAX_TEXT:
        raise LibraryRefused("too_long", "body")
    with transaction.atomic():
        Resource.objects.select_for_update().get(pk=resource.pk)
        version = Version.objects.filter(resource=resource, language=data.language).first()
        if version is None:
            if expected_version is not None:
                raise EditConflict()
            version = Version(resource=resource, language=data.language)
        elif expected_version != version.row_version:
            raise EditConflict()
        else:
            version.row_version += 1
        version.title, version.summary, version.body = title, data.summary, data.body
        version.updated_at = timezone.now()
        version.save()
        fulltext.index(version.id, version.language, title, f"{data.summary}\n{data.body}")
        Resource.objects.filter(pk=resource.pk).update(updated_at=version.updated_at)
        audit_record(
            "library.version_saved",
            actor=actor,
            target=resource,
            detail={"language": data.language},
        )
    return version


def delete_version(*, actor: User, version: Version) -> None:
    resource = version.resource
    _require_staff(actor, resource)
    with transaction.atomic():
        fulltext.remove([version.id])
        version.delete()
        if resource.status == Status.PUBLISHED and not resource.versions.exists():
            Resource.objects.filter(pk=resource.pk).update(status=Status.DRAFT)
        audit_record(
            "library.version_deleted",
            actor=actor,
            target=resource,
            detail={"language": version.language},
        )


def set_published(
    *, actor: User, resource: Resource, published: bool, expected_version: int
) -> Resource:
    """Publish a resource (it needs at least one version) or withdraw it back to draft."""
    if actor.role not in ACCOUNT_MANAGERS or resource.desk_id != actor.desk_id:
        raise PermissionError("a coordinator of its desk publishes a resource")
    with transaction.atomic():
        current = _locked(resource, expected_version)
        if published and not current.versions.exists():
            raise LibraryRefused("no_version")
        current.status = Status.PUBLISHED if published else Status.DRAFT
        if published and current.published_on is None:
            current.published_on = timezone.localdate()
        _bump(current)
        audit_record(
            "library.published" if published else "library.withdrawn",
            actor=actor,
            target=current,
        )
    return current


def delete_resource(*, actor: User, resource: Resource, expected_version: int) -> None:
    _require_staff(actor, resource)
    with transaction.atomic():
        current = _locked(resource, expected_version)
        if current.status == Status.PUBLISHED:
            raise LibraryRefused("published")
        fulltext.remove(current.versions.values_list("id", flat=True))
        audit_record("library.resource_deleted", actor=actor, target=current)
        current.delete()


def _locked(resource: Resource, expected_version: int) -> Resource:
    current = Resource.objects.select_for_update().get(pk=resource.pk)
    if current.row_version != expected_version:
        raise EditConflict()
    return current


def _bump(resource: Resource) -> None:
    resource.row_version += 1
    resource.updated_at = timezone.now()
    resource.save()
