"""The library: manuals, guides, reports and tools, in language versions (methodology.md §8).

A library resource is **public writing**, not case data: its title, summary, text and file are
written to be published, so they are stored in clear (search over them is ordinary full-text
search, :mod:`protectdesk.library.fulltext`) and nothing identifying may be written into them —
the forms say so. What is not public is a *draft*: only the desk's staff see it, and the
public pages and the offline bundle show published resources only.

A resource belongs to the desk that wrote it; its slug is unique on the server, since the
public pages (``/library/<slug>/``) are the server's, not a desk's.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User

#: The languages a version can be written in: those the product ships.
LANGUAGES = (("en", "English"), ("es", "Español"), ("fr", "Français"), ("pt", "Português"))


class Kind(models.TextChoices):
    MANUAL = "manual", _("Manual")
    GUIDE = "guide", _("Guide")
    REPORT = "report", _("Report")
    TOOL = "tool", _("Tool")


class Audience(models.TextChoices):
    DEFENDERS = "defenders", _("Defenders")
    ORGANISATIONS = "organisations", _("Organisations")
    COMMUNITIES = "communities", _("Communities")
    NETWORKS = "networks", _("Networks")
    TRAINERS = "trainers", _("Trainers")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    RESERVED = "all-rights-reserved", _("All rights reserved")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Resource(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="library_resources")
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    #: Codes of ``vocabularies/library_topics.yaml``.
    topics = models.JSONField(_("topics"), default=list)
    licence = models.CharField(_("licence"), max_length=24, choices=Licence.choices)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_on", "slug"]
        indexes = [models.Index(fields=["status", "published_on"], name="library_published")]

    def __str__(self) -> str:
        return self.slug


class Version(models.Model):
    """One language of a resource: its text, its file, or both."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    #: The file, when there is one: stored under ``FILES_DIR/library/<version id>``.
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_kind = models.CharField(max_length=16, blank=True)  # attachments.sniff kind
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "language"], name="one_version_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} ({self.language})"
