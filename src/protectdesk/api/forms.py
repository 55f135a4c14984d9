from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from protectdesk.accounts.forms import ReauthForm
from protectdesk.accounts.models import User
from protectdesk.api import actions
from protectdesk.api.models import Scope


class TokenForm(ReauthForm):
    """A new personal access token: what it may do, for how long, a label, and the password."""

    label = forms.CharField(
        label=_("Label"),
        max_length=80,
        required=False,
        help_text=_("Encrypted; only you see it. What the token is for: “regional dashboard”."),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the token may do.")},
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=30,
        error_messages={"required": _("Choose when the token expires.")},
    )

    field_order = ["label", "scope", "days", "password"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Scope.choices)
        field: Any = self.fields["scope"]
        field.choices = [(s, labels[s]) for s in actions.scopes_for(user)]
        days: Any = self.fields["days"]
        days.choices = [
            (n, ngettext("%(days)d day", "%(days)d days", n) % {"days": n})
            for n in actions.LIFETIMES
        ]
        days.help_text = _(
            "A token that reads your cases lives at most %(days)d days; a statistics token up "
            "to a year."
        ) % {"days": actions.MOST_DAYS_WITH_KEY}
        self.fields["password"].help_text = _(
            "A token works without signing in: your password confirms it is you who makes it."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope, days = data.get("scope"), data.get("days")
        if scope and days and days not in actions.lifetimes_for(scope):
            self.add_error(
                "days",
                _(
                    "A token that reads your cases lives at most %(days)d days: choose a shorter time."
                )
                % {"days": actions.MOST_DAYS_WITH_KEY},
            )
        return data
