"""What the owner of an account is told once signed in, and how long a refused attempt waits.

The messages carry counts and dates only (they are stored in the session until shown): never
a name, an address or anything about who tried.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from protectdesk.accounts import queries
from protectdesk.accounts.actions.signin import SignInNotices
from protectdesk.accounts.models import User


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def wait_message(seconds: float) -> str:
    """The "wait and try again" sentence, rounded up: seconds below a minute, then minutes."""
    if seconds < 60:
        count = max(1, math.ceil(seconds))
        return ngettext(
            "Wait %(count)d second and try again.", "Wait %(count)d seconds and try again.", count
        ) % {"count": count}
    count = math.ceil(seconds / 60)
    return ngettext(
        "Wait %(count)d minute and try again.", "Wait %(count)d minutes and try again.", count
    ) % {"count": count}


def delayed_message(seconds: float) -> str:
    """The refusal during a delay: the same for every name, existing or not."""
    return "{} {}".format(
        _("Too many failed sign-in attempts for this e-mail or handle."), wait_message(seconds)
    )


def tell_owner(request: HttpRequest, user: User, notices: SignInNotices) -> None:
    """Queue the sign-in notices as messages for the next page."""
    failed = notices.failed_attempts
    if failed is not None:
        text = ngettext(
            "There was %(count)d failed attempt to sign in to your account since you last "
            "signed in (first on %(first)s, last on %(last)s). If it was not you, someone may "
            "be guessing your password: tell your coordinator.",
            "There were %(count)d failed attempts to sign in to your account since you last "
            "signed in (first on %(first)s, last on %(last)s). If they were not yours, someone "
            "may be guessing your password: tell your coordinator.",
            failed.count,
        ) % {"count": failed.count, "first": _when(failed.first_at), "last": _when(failed.last_at)}
        if not queries.has_confirmed_totp(user):
            text += " " + _(
                "Turn on two-factor authentication on your account page: with it, a guessed "
                "password is not enough to sign in."
            )
        messages.warning(request, text)
    if notices.keys_replaced is not None:
        messages.warning(
            request,
            _(
                "A coordinator gave you a new invitation on %(date)s. Accepting it replaced "
                "your password and your encryption keys, so the cases you are a member of stay "
                "closed to you until a coordinator or an administrator restores your access "
                "with the desk's recovery phrase. If a case does not open, ask them."
            )
            % {"date": _day(notices.keys_replaced.created_at)},
        )
    if notices.open_reinvitation is not None:
        messages.warning(
            request,
            _(
                "A new invitation for your account was made on %(date)s and has not been used. "
                "Whoever accepts it replaces your password and your encryption keys, and your "
                "cases stay closed to you until your access is restored with the desk's "
                "recovery phrase. If you did not ask for it, ask a coordinator to revoke it."
            )
            % {"date": _day(notices.open_reinvitation.created_at)},
        )
