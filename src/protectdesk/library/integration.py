"""What the library module declares to the rest of the product (see docs/architecture.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from protectdesk.audit import codes


def register() -> None:
    codes.register(
        {
            "library.resource_created": _("Library resource created"),
            "library.resource_updated": _("Library resource details saved"),
            "library.resource_deleted": _("Library resource deleted"),
            "library.version_saved": _("Library resource language version saved"),
            "library.version_deleted": _("Library resource language version deleted"),
            "library.published": _("Library resource published"),
            "library.withdrawn": _("Library resource withdrawn to draft"),
        }
    )
