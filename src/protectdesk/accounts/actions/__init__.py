"""Every write to accounts and desks, each with its audit entry, in one transaction.

Views and commands call these; they never save account models themselves. The actions live in
one module per concept (``desk``, ``invitations``, ``signin``, ``my_account``, ``two_factor``);
this package re-exports the ones other apps call, so they need not know how it is divided.
"""

from protectdesk.accounts.actions.desk import create_desk, set_active
from protectdesk.accounts.actions.invitations import (
    accept_invitation,
    expire_invitations,
    invite,
    new_defender_handle,
    prekeyed_invitation,
)
from protectdesk.accounts.actions.my_account import change_password, set_language
from protectdesk.accounts.actions.signin import clear_expired_sessions

__all__ = [
    "accept_invitation",
    "change_password",
    "clear_expired_sessions",
    "create_desk",
    "expire_invitations",
    "invite",
    "new_defender_handle",
    "prekeyed_invitation",
    "set_active",
    "set_language",
]
