"""Reading the library: what a reader may see, and full-text search over it.

Anyone (signed in or not) sees published resources; the staff of a desk also see its drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from protectdesk.accounts.models import User
from protectdesk.library import fulltext
from protectdesk.library.models import Resource, Status, Version


def visible_resources(reader: User | None) -> QuerySet[Resource]:
    published = Q(status=Status.PUBLISHED)
    if reader is not None and reader.is_authenticated and reader.is_staff_member:
        return Resource.objects.filter(published | Q(desk_id=reader.desk_id))
    return Resource.objects.filter(published)


def linkable_resources(desk_id: Any, published_only: bool = False) -> QuerySet[Resource]:
    """What a desk's plans and workshops may point to: published resources, and the desk's own
    drafts (``published_only``: not the drafts, for someone who is not the desk's staff, such
    as a trainer)."""
    if published_only:
        return Resource.objects.filter(status=Status.PUBLISHED)
    return Resource.objects.filter(Q(status=Status.PUBLISHED) | Q(desk_id=desk_id))


def resource_choices(
    desk_id: Any, language: str, published_only: bool = False
) -> list[tuple[str, str]]:
    """(id, title in ``language`` or the first version's) of the linkable resources."""
    choices = []
    for resource in linkable_resources(desk_id, published_only).prefetch_related("versions"):
        versions = list(resource.versions.all())
        if not versions:
            continue
        shown = next((v for v in versions if v.language == language), versions[0])
        choices.append((str(resource.id), shown.title))
    return sorted(choices, key=lambda choice: choice[1].casefold())


@dataclass(frozen=True)
class Found:
    version: Version
    rank: float


def search(reader: User | None, query: str, languages: list[str]) -> list[Found]:
    """Versions the reader may see, in ``languages``, holding every word of ``query``, best
    first. Raises :class:`fulltext.BadQuery` for a query that cannot be searched."""
    matches = fulltext.search(query, languages)
    versions = Version.objects.filter(
        pk__in=[m.version_id for m in matches], resource__in=visible_resources(reader)
    ).select_related("resource")
    by_id = {v.pk: v for v in versions}
    return [Found(by_id[m.version_id], m.rank) for m in matches if m.version_id in by_id]
