"""How incidents plug into attachments, search and navigation (called from AppConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Role


def register() -> None:
    from protectdesk.attachments import registry as attachments
    from protectdesk.incidents.models import Actor, Incident
    from protectdesk.lib import context
    from protectdesk.search import registry as search

    attachments.register(
        attachments.AttachableType(
            "incidents.incident",
            exists=lambda case, record_id: Incident.objects.filter(
                case=case, pk=record_id
            ).exists(),
            url=lambda case, record_id: (
                reverse("incidents:detail", args=[case.id, record_id]) + "#attachments"
            ),
        )
    )
    search.register(
        search.SearchableType(
            "incidents.incident",
            Incident,
            _("Security incident"),
            lambda case, record_id: reverse("incidents:detail", args=[case.id, record_id]),
        )
    )
    search.register(
        search.SearchableType(
            "incidents.actor",
            Actor,
            _("Actor"),
            lambda case, record_id: reverse("incidents:actors", args=[case.id]),
        )
    )
    entry = (
        "incidents:list",
        _("Incidents"),
        frozenset({Role.COORDINATOR, Role.CASEWORKER, Role.ADMIN}),
    )
    if entry not in context.NAVIGATION:
        context.NAVIGATION.insert(1, entry)
