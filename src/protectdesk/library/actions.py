"""Every write of the library: resources, their language versions, publishing.

Staff of a desk (coordinators, caseworkers, administrators) write its resources as drafts;
a coordinator or administrator publishes and withdraws them, and alone changes a resource
once it is published (:func:`may_write`). Each write checks the row version the form was
loaded with (:class:`EditConflict`: nothing saved), keeps the full-text entry of each version
in the same transaction, and leaves an audit entry.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from protectdesk import vocabularies
from protectdesk.accounts.models import ACCOUNT_MANAGERS, User
from protectdesk.attachments import names, sniff
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
#: Addresses the library itself uses: its pages (``/library/manage/``, ``manage/new/``,
#: ``/library/offline/``) and the names of the offline bundle (``index.html``, ``app.css``,
#: ``files/``), where a resource with one of these slugs would overwrite or shadow them.
RESERVED_SLUGS = frozenset({"manage", "offline", "new", "index", "app", "files"})
MAX_TITLE = 200
MAX_TEXT = 200_000
MAX_FILE_BYTES = 25 * 1024 * 1024
#: What a library file may be: documents to read, and pictures.
FILE_KINDS = (sniff.PDF, sniff.ZIP, sniff.OLE, sniff.TEXT, sniff.JPEG, sniff.PNG)


class LibraryRefused(ValueError):
    """A write the library refuses; ``code`` names the rule (the form turns it into words),
    ``detail`` what the message needs (the file's true and claimed types)."""

    def __init__(self, code: str, field: str = "", **detail: str) -> None:
        super().__init__(code)
        self.code, self.field, self.detail = code, field, detail


@dataclass(frozen=True)
class Upload:
    """A file the form received: its name as the browser sent it, and its chunks."""

    name: str
    size: int
    chunks: Iterable[bytes]


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


def may_write(actor: User, resource: Resource) -> bool:
    """Whether ``actor`` may change ``resource``: any staff of its desk while it is a draft; once
    it is published it is the desk's public word, so only those who publish (a coordinator or an
    administrator) change or delete it, as they alone decide what is published."""
    if not actor.is_staff_member or resource.desk_id != actor.desk_id:
        return False
    return resource.status != Status.PUBLISHED or actor.role in ACCOUNT_MANAGERS


def _require_writer(actor: User, resource: Resource) -> None:
    """:func:`may_write`, on the resource as locked by the write (not as the form loaded it: it
    may have been published since)."""
    _require_staff(actor, resource)
    if not may_write(actor, resource):
        raise LibraryRefused("published_locked")


def _check(data: ResourceData) -> None:
    if not SLUG.match(data.slug) or len(data.slug) > MAX_SLUG:
        raise LibraryRefused("slug", "slug")
    if data.slug in RESERVED_SLUGS:
        raise LibraryRefused("slug_reserved", "slug", slug=data.slug)
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
            _require_writer(actor, current)
            current.slug, current.kind, current.audience = data.slug, data.kind, data.audience
            current.topics = list(dict.fromkeys(data.topics))
            current.licence, current.published_on = data.licence, data.published_on
            _bump(current)
            audit_record("library.resource_updated", actor=actor, target=current)
    except IntegrityError:
        raise LibraryRefused("slug_taken", "slug") from None
    return current


def save_version(
    *,
    actor: User,
    resource: Resource,
    data: VersionData,
    expected_version: int | None,
    upload: Upload | None = None,
    remove_file: bool = False,
) -> Version:
    """Write (or rewrite) the version of ``resource`` in ``data.language``.

    ``expected_version`` is the version row's ``row_version`` the form showed, or None for a
    language the resource does not have yet (a second writer adding it first: a conflict).
    """
    _require_writer(actor, resource)  # again under the lock; here, before taking the upload
    if data.language not in dict(LANGUAGES):
        raise LibraryRefused("choice", "language")
    title = data.title.strip()
    if not title or len(title) > MAX_TITLE:
        raise LibraryRefused("title", "title")
    if len(data.summary) > MAX_TEXT or len(data.body) > MAX_TEXT:
        raise LibraryRefused("too_long", "body")
    received = _receive(upload) if upload is not None else None
    try:
        return _save_version(actor, resource, data, title, expected_version, received, remove_file)
    finally:
        if received is not None:
            received.temp.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Received:
    temp: Path
    name: str
    kind: sniff.Kind
    size: int
    sha256: str


def _receive(upload: Upload) -> _Received:
    """Check and write an upload to a temporary file; :class:`LibraryRefused` otherwise."""
    if upload.size > MAX_FILE_BYTES:
        raise LibraryRefused("file_too_large", "file")
    folder = Path(settings.DATA_DIR) / "tmp"
    folder.mkdir(mode=0o700, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix="library-")
    temp, digest, size, head = Path(name), hashlib.sha256(), 0, b""
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks:
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise LibraryRefused("file_too_large", "file")
                if len(head) < 512:
                    head += chunk[: 512 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise LibraryRefused("file_empty", "file")
        kind = sniff.sniff(head)
        if kind not in FILE_KINDS:
            raise LibraryRefused("file_kind", "file", actual=str(names.DESCRIPTIONS[kind]))
        stored = names.stored_name(upload.name, kind)
        if stored.claimed is not None:
            raise LibraryRefused(
                "file_lies",
                "file",
                actual=str(names.DESCRIPTIONS[kind]),
                claimed=str(names.DESCRIPTIONS[stored.claimed]),
            )
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return _Received(temp, stored.name, kind, size, digest.hexdigest())


def file_path(version_id: uuid.UUID, sha256: str) -> Path:
    """Where a version's file lives: named by its content, so that a write rolled back never
    leaves a row naming another file (a new file goes in beside the old one, and the old one
    goes once the transaction has committed)."""
    return Path(settings.FILES_DIR) / "library" / f"{version_id}.{sha256[:32]}"


def _remove_on_commit(version_id: uuid.UUID, sha256: str) -> None:
    if sha256:
        path = file_path(version_id, sha256)
        # Robust: a failing removal must not stop the callbacks after it (_UnlessCommitted).
        transaction.on_commit(lambda: path.unlink(missing_ok=True), robust=True)


class _UnlessCommitted:
    """The rollback hook Django lacks, for a file written to its final name inside a
    transaction: registered with ``on_commit``, it marks the file kept when the transaction
    commits; a rollback (of the transaction, or of the savepoint it was registered in) or a
    closed connection drops it unrun, and being dropped unrun removes the file.

    Writing the file before the commit, rather than moving it into place after, means the
    database never names a file that is not there; this removes what a rollback leaves behind.
    Django drops rolled-back callbacks at once, so CPython frees this there and then. The one
    case it cannot tell from a rollback: a non-robust ``on_commit`` callback registered before
    it raising after the commit (Django then drops the rest); the library's own are robust.
    """

    def __init__(self, path: Path) -> None:
        self.path, self.committed = path, False

    def __call__(self) -> None:
        self.committed = True

    def __del__(self) -> None:
        if not self.committed:
            self.path.unlink(missing_ok=True)


def _save_version(
    actor: User,
    resource: Resource,
    data: VersionData,
    title: str,
    expected_version: int | None,
    received: _Received | None,
    remove_file: bool,
) -> Version:
    with transaction.atomic():
        _require_writer(actor, Resource.objects.select_for_update().get(pk=resource.pk))
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
        old_sha256 = version.file_sha256
        if received is not None:
            version.file_name, version.file_kind = received.name, received.kind.code
            version.file_size, version.file_sha256 = received.size, received.sha256
        elif remove_file:
            version.file_name = version.file_kind = version.file_sha256 = ""
            version.file_size = 0
        if not (data.body.strip() or data.summary.strip() or version.file_name):
            raise LibraryRefused("empty", "body")
        version.save()
        if received is not None:
            final = file_path(version.id, received.sha256)
            final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # The same content saved again is already there for the committed row: a rollback
            # must leave that file, so only a file this write brings is removed with it.
            new_file = not final.exists()
            os.replace(received.temp, final)  # the same file system: data dir/tmp
            if new_file:
                transaction.on_commit(_UnlessCommitted(final), robust=True)
        if old_sha256 != version.file_sha256:
            _remove_on_commit(version.id, old_sha256)
        fulltext.index(version.id, version.language, title, f"{data.summary}\n{data.body}")
        Resource.objects.filter(pk=resource.pk).update(updated_at=version.updated_at)
        audit_record(
            "library.version_saved",
            actor=actor,
            target=resource,
            detail={"language": data.language},
        )
    return version


def delete_version(*, actor: User, version: Version, expected_version: int) -> None:
    """Delete one language version; ``expected_version`` is the ``row_version`` of the version
    the page showed (saved or deleted since: :class:`EditConflict`, nothing deleted)."""
    _require_staff(actor, version.resource)
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=version.resource_id)
        _require_writer(actor, resource)
        current = Version.objects.filter(pk=version.pk).first()
        if current is None or current.row_version != expected_version:
            raise EditConflict()
        fulltext.remove([current.id])
        _remove_on_commit(current.id, current.file_sha256)
        current.delete()
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
        _require_writer(actor, current)
        if current.status == Status.PUBLISHED:
            raise LibraryRefused("published")
        files = list(current.versions.values_list("id", "file_sha256"))
        fulltext.remove([version_id for version_id, _sha in files])
        audit_record("library.resource_deleted", actor=actor, target=current)
        try:
            with transaction.atomic():
                current.delete()
        except ProtectedError:
            raise LibraryRefused("in_use") from None
        for version_id, sha256 in files:
            _remove_on_commit(version_id, sha256)


def create_with_versions(
    *,
    author: User,
    data: ResourceData,
    versions: Iterable[tuple[VersionData, Upload | None]],
    publisher: User | None = None,
) -> Resource:
    """A resource with its versions in one go (written data: the demo library, the samples
    of the authorization matrix, tests), published by ``publisher`` when one is given."""
    with transaction.atomic():
        resource = create_resource(actor=author, data=data)
        for version, upload in versions:
            save_version(
                actor=author, resource=resource, data=version, expected_version=None, upload=upload
            )
        if publisher is not None:
            resource.refresh_from_db()
            resource = set_published(
                actor=publisher,
                resource=resource,
                published=True,
                expected_version=resource.row_version,
            )
    return resource


def _locked(resource: Resource, expected_version: int) -> Resource:
    current = Resource.objects.select_for_update().get(pk=resource.pk)
    if current.row_version != expected_version:
        raise EditConflict()
    return current


def _bump(resource: Resource) -> None:
    resource.row_version += 1
    resource.updated_at = timezone.now()
    resource.save()
