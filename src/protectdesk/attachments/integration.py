"""How attachments plug into the floor (called from ``AppConfig.ready``).

Attachments belong to records of other modules, which mark their record types
``attachable``; this module needs no import of them. It tells the floor what to do with files
when a record is deleted or its case is rotated.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.attachments import actions, queries
from protectdesk.attachments import rotation as attachment_rotation
from protectdesk.attachments.models import Attachment
from protectdesk.attachments.uploads import encrypt_bytes, max_upload_megabytes
from protectdesk.audit import codes
from protectdesk.records import registry
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case


def _case_section(request: HttpRequest, case: Case, keyring: Keyring) -> dict[str, Any]:
    return {
        "files": queries.attachments_of(keyring, case, "cases.case", case.id),
        "can_upload": True,
        "record_key": f"cases.case:{case.id}",
        "max_upload_mb": max_upload_megabytes(),
    }


def register() -> None:
    registry.register_urls("cases/", "protectdesk.attachments.urls")
    registry.register_section(
        registry.Section("attachments", "attachments/_section.html", _case_section, order=50)
    )
    codes.register(
        {
            "attachment.added": _("Attachment added"),
            "attachment.downloaded": _("Attachment downloaded"),
            "attachment.removed": _("Attachment removed"),
        }
    )
    registry.register_dependents(
        registry.Dependents(
            on_delete=actions.on_record_deleted,
            model=Attachment,
            rotate=attachment_rotation.rotate_attachment,
            after_rotation=attachment_rotation.remove_old_files,
        )
    )
    registry.register_routes(
        {
            "attachments:upload": registry.RouteRule("POST", "case", member=302, defender=302),
            "attachments:download": registry.RouteRule(
                "GET", "case", member=200, defender=200, sample=_sample_attachment
            ),
            "attachments:remove": registry.RouteRule(
                "POST", "case", member=302, defender=404, sample=_sample_attachment
            ),
        }
    )


def _sample_attachment(actor: User, keyring: Keyring, case: Case) -> dict[str, Any]:
    """A small text file attached to the case (for the authorization matrix)."""
    upload = encrypt_bytes("sample.txt", b"matrix sample")
    attachment = actions.add_attachment(
        actor=actor,
        keyring=keyring,
        case=case,
        record_type="cases.case",
        record_id=case.id,
        upload=upload,
        staff_only=False,
    )
    return {"attachment_id": attachment.id}
