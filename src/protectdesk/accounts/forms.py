"""Account forms. Every label, help text and error goes through gettext."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import TEAM_ROLES, Role
from protectdesk.lib.forms import Form, set_choices

_NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}


class LoginForm(Form):
    login = forms.CharField(
        label=_("E-mail or handle"),
        max_length=254,
        error_messages={"required": _("Enter the e-mail or handle you sign in with.")},
        widget=forms.TextInput(
            attrs={**_NO_AUTOFILL, "autocomplete": "username", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class DelayedLoginForm(LoginForm):
    """The sign-in form during a delay: with a second factor the owner need not wait."""

    code = forms.CharField(
        label=_("Two-factor code"),
        required=False,
        max_length=32,
        help_text=_(
            "If your account uses two-factor authentication you need not wait: type your "
            "password again with the code from your authenticator app or one of your recovery "
            "codes."
        ),
        widget=forms.TextInput(attrs={**_NO_AUTOFILL, "autocomplete": "one-time-code"}),
    )


class UnlockForm(Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=1024,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class CodeForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        error_messages={
            "required": _(
                "Enter the six-digit code from your authenticator app, or a recovery code."
            )
        },
        help_text=_(
            "The six-digit code from your authenticator app, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                **_NO_AUTOFILL,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )


class EnrolForm(Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=16,
        error_messages={"required": _("Enter the six-digit code your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={**_NO_AUTOFILL, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class ReauthForm(Form):
    """Your password again, before changing how you sign in (a stolen session is not enough)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=1024,
        error_messages={"required": _("Enter your password to confirm this change.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ReauthEnrolForm(EnrolForm, ReauthForm):
    """Moving to a new phone: the code from the new app, and your password."""


class NewPasswordMixin(Form):
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=1024,
        error_messages={"required": _("Choose a new password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        max_length=1024,
        error_messages={"required": _("Type the new password again.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = " ".join(
            str(text) for text in password_validators_help_texts()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords differ."))
        return data


class AcceptInvitationForm(NewPasswordMixin):
    display_name = forms.CharField(
        label=_("Your name as colleagues will see it"),
        max_length=120,
        required=False,
    )
    field_order = ["display_name", "new_password", "new_password_again"]


class ChangePasswordForm(NewPasswordMixin):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=1024,
        error_messages={"required": _("Enter your current password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password", "new_password_again"]


class InviteForm(Form):
    login = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        error_messages={"required": _("Enter the e-mail address the person will sign in with.")},
        widget=forms.EmailInput(attrs=_NO_AUTOFILL),
        help_text=_("Used only to sign in. No e-mail is ever sent."),
    )
    display_name = forms.CharField(label=_("Name"), max_length=120, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in Role if role in TEAM_ROLES],
        initial=Role.CASEWORKER,
    )

    def clean_login(self) -> str:
        value = str(self.cleaned_data["login"]).strip()
        try:
            validate_email(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Enter an e-mail address in the form name@example.org.")
            ) from None
        return value


class RoleForm(Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in Role if role in TEAM_ROLES]
    )


class DeskSettingsForm(Form):
    name = forms.CharField(
        label=_("Desk name"),
        max_length=120,
        error_messages={"required": _("Enter the name of the desk.")},
    )
    require_staff_2fa = forms.BooleanField(
        label=_("Require two-factor authentication for staff"), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working language.")},
    )
    defender_editable = forms.MultipleChoiceField(
        label=_("What defenders may edit in their own profile"),
        choices=[
            ("name", _("Name")),
            ("aliases", _("Other names or aliases")),
            ("contacts", _("Contact details")),
            ("location", _("Exact place or address")),
            ("description", _("Description of their work")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Staff can always edit the whole profile."),
    )


class FirstRunForm(NewPasswordMixin):
    desk_name = forms.CharField(
        label=_("Name of the desk"),
        max_length=120,
        error_messages={"required": _("Enter the name of the desk.")},
    )
    country = forms.ChoiceField(label=_("Country"))
    reference_prefix = forms.CharField(
        label=_("Case reference prefix"),
        max_length=8,
        required=False,
        help_text=_("Case references look like GT-2026-0001. Leave empty to use the country code."),
    )
    email = forms.EmailField(
        label=_("Your e-mail (to sign in)"),
        max_length=254,
        error_messages={"required": _("Enter your e-mail address: you will sign in with it.")},
    )
    display_name = forms.CharField(
        label=_("Your name as colleagues will see it"), max_length=120, required=False
    )
    require_staff_2fa = forms.BooleanField(
        label=_("Require two-factor authentication for staff"), required=False, initial=True
    )
    field_order = [
        "desk_name",
        "country",
        "reference_prefix",
        "email",
        "display_name",
        "new_password",
        "new_password_again",
        "require_staff_2fa",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from protectdesk import vocabularies

        set_choices(self, "country", vocabularies.country_choices())

    def clean_reference_prefix(self) -> str:
        value = str(self.cleaned_data.get("reference_prefix") or "").strip().upper()
        if value and not value.replace("-", "").isalnum():
            raise forms.ValidationError(_("Use letters, digits and hyphens only."))
        return value


class RecoveryPhraseForm(Form):
    phrase = forms.CharField(
        label=_("Recovery phrase"),
        max_length=200,
        error_messages={"required": _("Enter the desk's recovery phrase.")},
        # Never echoed back into a page, even when the form is shown again with an error.
        widget=forms.PasswordInput(attrs=_NO_AUTOFILL, render_value=False),
        help_text=_(
            "Eleven groups of five letters and digits, as printed when the desk was created."
        ),
    )
