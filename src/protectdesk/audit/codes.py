"""Every audit action code with its label for the audit page. Unknown codes are refused.

The platform's codes are listed here; each domain module registers its own from its
``integration.py`` with :func:`register`, so adding a module edits no file of another.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # accounts
    "desk.created": _("Desk created"),
    "desk.settings_changed": _("Desk settings changed"),
    "login.succeeded": _("Signed in"),
    "login.failed": _("Failed sign-in"),
    "login.locked": _("Sign-in locked after repeated failures"),
    "login.second_factor_failed": _("Wrong two-factor code"),
    "login.unlocked": _("Session unlocked"),
    "logout": _("Signed out"),
    "sessions.revoked": _("Signed out of all sessions"),
    "invitation.created": _("Invitation created"),
    "invitation.revoked": _("Invitation revoked"),
    "invitation.accepted": _("Invitation accepted"),
    "account.role_changed": _("Role changed"),
    "account.deactivated": _("Account deactivated"),
    "account.reactivated": _("Account reactivated"),
    "account.password_changed": _("Password changed"),
    "account.keypair_created": _("Encryption keys created"),
    "account.totp_enabled": _("Two-factor authentication enabled"),
    "account.totp_disabled": _("Two-factor authentication removed"),
    "account.recovery_codes_created": _("Recovery codes created"),
    "account.recovery_code_used": _("Recovery code used"),
    # cases and keys
    "case.created": _("Case opened"),
    "case.viewed": _("Case viewed"),
    "case.status_changed": _("Case status changed"),
    "case.member_added": _("Member added to case"),
    "case.member_removed": _("Member removed from case"),
    "case.access_recovered": _("Access restored with the recovery phrase"),
    "case.rotation_started": _("Key rotation started"),
    "case.rotation_finished": _("Key rotation finished"),
    "case.consent_changed": _("Consent record changed"),
    "case.notes_updated": _("Staff notes updated"),
    "defender.created": _("Defender registered"),
    "defender.updated": _("Defender profile updated"),
    "defender.linked": _("Defender linked to an organisation or community"),
    "defender.unlinked": _("Defender link removed"),
    "desk_secret.created": _("Desk secret created"),
    "desk_secret.granted": _("Desk secret given to an account"),
    "desk_secret.restored": _("Desk secret restored with the recovery phrase"),
    "desk_secret.revoked": _("Desk secret withdrawn from an account"),
    "desk_secret.renewed": _("Desk secret replaced by a new one"),
    # the records floor
    "record.damaged": _("Damaged record found"),
    "job.started": _("Background job started"),
    "job.finished": _("Background job finished"),
    "job.failed": _("Background job failed"),
    "backup.created": _("Backup created"),
    "backup.restored": _("Backup restored"),
}


def register(codes: dict[str, Promise]) -> None:
    """Add a module's audit codes; a code may be registered once, with one label."""
    for code, label in codes.items():
        if code in ACTIONS and ACTIONS[code] != label:
            raise ValueError(f"audit code {code!r} is registered twice with different labels")
        ACTIONS[code] = label
