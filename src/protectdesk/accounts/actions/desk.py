"""Creating a desk, changing its settings, and the roles and activity of its staff.

These are the writes that decide who runs a desk. They share one invariant: a desk always
keeps at least one active administrator or coordinator, or nobody could manage it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from protectdesk.accounts import desk_keys
from protectdesk.accounts.actions._common import _give_keypair, _require_manager
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.models import (
    ACCOUNT_MANAGERS,
    DEFENDER_EDITABLE,
    TEAM_ROLES,
    Desk,
    Role,
    Session,
    User,
    normalise_login,
)
from protectdesk.accounts.signals import account_deactivated, role_changed
from protectdesk.audit.actions import record
from protectdesk.crypto import recovery, userkeys

# --- desks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDesk:
    desk: Desk
    coordinator: User
    recovery_phrase: str = field(repr=False)  # shown once to the person, never logged


def create_desk(
    *,
    name: str,
    country: str,
    languages: list[str],
    reference_prefix: str,
    require_staff_2fa: bool,
    coordinator_login: str,
    coordinator_name: str,
    coordinator_password: str,
) -> NewDesk:
    """Create a desk, its recovery keypair and its first coordinator.

    The recovery private key is returned once, as a phrase, and never stored.
    """
    recovery_keys = userkeys.generate_keypair()
    with transaction.atomic():
        desk = Desk.objects.create(
            name=name,
            country=country.upper(),
            languages=languages,
            reference_prefix=reference_prefix.upper(),
            require_staff_2fa=require_staff_2fa,
            recovery_public_key=recovery_keys.public_key,
        )
        coordinator = User(
            desk=desk,
            role=Role.COORDINATOR,
            login=normalise_login(coordinator_login),
            display_name=coordinator_name,
        )
        validate_password(coordinator_password, coordinator)
        coordinator.set_password(coordinator_password)
        _give_keypair(coordinator, coordinator_password)
        coordinator.save()
        record("desk.created", actor=coordinator, target=desk)
        record("account.keypair_created", actor=coordinator, target=coordinator)
    return NewDesk(desk, coordinator, recovery.to_phrase(recovery_keys.private_key))


def update_desk(
    *,
    actor: User,
    desk: Desk,
    name: str,
    require_staff_2fa: bool,
    languages: list[str],
    defender_editable: list[str] | None = None,
) -> None:
    _require_manager(actor)
    editable = (
        list(desk.defender_editable)
        if defender_editable is None
        else [f for f in DEFENDER_EDITABLE if f in defender_editable]
    )
    with transaction.atomic():
        changed = sorted(
            field
            for field, value in (
                ("name", name),
                ("require_staff_2fa", require_staff_2fa),
                ("languages", languages),
                ("defender_editable", editable),
            )
            if getattr(desk, field) != value
        )
        desk.name, desk.require_staff_2fa, desk.languages = name, require_staff_2fa, languages
        desk.defender_editable = editable
        desk.save(update_fields=["name", "require_staff_2fa", "languages", "defender_editable"])
        record("desk.settings_changed", actor=actor, target=desk, detail={"fields": changed})


# --- roles and activity ---------------------------------------------------------------------


def _is_last_manager(user: User) -> bool:
    return (
        not User.objects.filter(desk_id=user.desk_id, role__in=ACCOUNT_MANAGERS, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


def change_role(*, actor: User, user: User, role: str) -> None:
    _require_manager(actor)
    if user.desk_id != actor.desk_id:
        raise PermissionError("account of another desk")
    if role not in TEAM_ROLES or user.role not in TEAM_ROLES:
        raise AccountError(
            _(
                "A defender account's role cannot be changed. Team roles are administrator, "
                "coordinator, caseworker, trainer and analyst."
            )
        )
    with transaction.atomic():
        # The row is locked while the rule is checked: a membership added at the same moment
        # (cases.actions.add_member locks it too) waits and sees the new role.
        given, user = user, User.objects.select_for_update().get(pk=user.pk)
        _refuse_memberships_of_another_role(user, role)
        if (
            user.role in ACCOUNT_MANAGERS
            and role not in ACCOUNT_MANAGERS
            and _is_last_manager(user)
        ):
            raise AccountError(
                _("The desk needs at least one active administrator or coordinator.")
            )
        if role == user.role:
            return
        old = user.role
        user.role = given.role = role
        user.save(update_fields=["role"])
        desk_keys.revoke(user)
        role_changed.send(sender=User, user=user, old=old, new=role, actor=actor)
        record("account.role_changed", actor=actor, target=user, detail={"from": old, "to": role})


def _refuse_memberships_of_another_role(user: User, role: str) -> None:
    """A trainer is a member of no case; an administrator of no workshop (workshops are run
    by coordinators, caseworkers and trainers): the memberships go first, then the role."""
    if role == Role.TRAINER and user.role != Role.TRAINER:
        cases = user.case_memberships.filter(case__kind="defender").count()
        if cases:
            raise AccountError(
                ngettext(
                    "A trainer works on workshops, not on cases: remove this person from their "
                    "%(count)d case first (on the case page), then change the role.",
                    "A trainer works on workshops, not on cases: remove this person from their "
                    "%(count)d cases first (on the case pages), then change the role.",
                    cases,
                )
                % {"count": cases}
            )
    if role == Role.ANALYST and user.role != Role.ANALYST:
        # An analyst holds no case key: counts come from clear fields (protectdesk.analytics).
        held = user.case_memberships.count()
        if held:
            raise AccountError(
                ngettext(
                    "An analyst sees statistics only and holds no keys: remove this person "
                    "from their %(count)d case or workshop first, then change the role.",
                    "An analyst sees statistics only and holds no keys: remove this person "
                    "from their %(count)d cases and workshops first, then change the role.",
                    held,
                )
                % {"count": held}
            )
    if role == Role.ADMIN and user.role != Role.ADMIN:
        workshops = user.case_memberships.filter(case__kind="workshop").count()
        if workshops:
            raise AccountError(
                ngettext(
                    "An administrator does not run workshops: remove this person from their "
                    "%(count)d workshop first (on the workshop page), then change the role.",
                    "An administrator does not run workshops: remove this person from their "
                    "%(count)d workshops first (on the workshop pages), then change the role.",
                    workshops,
                )
                % {"count": workshops}
            )


def set_active(*, actor: User, user: User, active: bool) -> None:
    _require_manager(actor)
    if user.desk_id != actor.desk_id:
        raise PermissionError("account of another desk")
    if not active and user.pk == actor.pk:
        raise AccountError(_("You cannot deactivate your own account."))
    if not active and user.role in ACCOUNT_MANAGERS and _is_last_manager(user):
        raise AccountError(_("The desk needs at least one active administrator or coordinator."))
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            Session.objects.filter(user=user).delete()
            account_deactivated.send(sender=User, user=user, actor=actor)
        record("account.reactivated" if active else "account.deactivated", actor=actor, target=user)
