"""Sign-in, invitations and the account page. Thin: the rules live in actions/."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from protectdesk.accounts import flow, queries, session_keys, setup
from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.actions import invitations, my_account, signin, two_factor
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    CodeForm,
    EnrolForm,
    FirstRunForm,
    LoginForm,
    ReauthEnrolForm,
    ReauthForm,
    UnlockForm,
)
from protectdesk.accounts.models import User
from protectdesk.crypto import WrongPassword
from protectdesk.lib.access import current_user, public, signed_in


def _next_url(request: HttpRequest, default: str = "home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _minutes(seconds: float) -> int:
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


def _locked_message(remaining_seconds: float) -> str:
    minutes = _minutes(remaining_seconds)
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


# --- sign in --------------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_next_url(request))
    stage = flow.pending_stage(request)
    if request.method == "GET" and stage and flow.pending_user(request, stage):
        return redirect("accounts:login_code" if stage == flow.CODE else "accounts:login_enrol")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["login"]
        remaining = queries.lockout_remaining(typed)
        if remaining is not None or not signin.begin_attempt(typed):
            seconds = (
                remaining.total_seconds()
                if remaining
                else settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES * 60
            )
            form.add_error(None, _locked_message(seconds))
        else:
            user = auth.authenticate(request, login=typed, password=form.cleaned_data["password"])
            if user is None:
                if signin.note_login_failure(typed):
                    form.add_error(
                        None, _locked_message(settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES * 60)
                    )
                else:
                    form.add_error(
                        None, _("The e-mail or handle and password do not match an active account.")
                    )
            else:
                if not isinstance(user, User):
                    raise TypeError("expected User")
                return _after_password(request, user, form.cleaned_data["password"])
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def _after_password(request: HttpRequest, user: User, password: str) -> HttpResponse:
    private_key = signin.unlock_private_key(user, password)
    if queries.has_confirmed_totp(user):
        flow.begin_pending(request, user, flow.CODE, private_key)
        response = redirect("accounts:login_code")
    elif user.must_use_2fa:
        flow.begin_pending(request, user, flow.ENROL, private_key)
        response = redirect("accounts:login_enrol")
    else:
        flow.complete(request, user, private_key=private_key)
        response = HttpResponseRedirect(_next_url(request))
    if user.language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            samesite="Strict",
            httponly=True,
            secure=settings.HTTPS,
        )
    return response


@public
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    user = flow.pending_user(request, flow.CODE)
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        device = queries.confirmed_totp_device(user)
        if device is None:
            return redirect("accounts:login")
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error(None, _("Too many wrong codes. Wait a moment and try again."))
        elif device.verify_token(code):
            flow.complete(request, user, device=device)
            return HttpResponseRedirect(_next_url(request))
        elif "-" in code and two_factor.use_recovery_code(user=user, code=code):
            flow.complete(request, user, device=device)
            left = queries.unused_recovery_code_count(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code. %(count)d code is left.",
                    "You signed in with a recovery code. %(count)d codes are left.",
                    left,
                )
                % {"count": left},
            )
            return HttpResponseRedirect(_next_url(request))
        else:
            signin.note_second_factor_failure(user)
            form.add_error(
                "code",
                _(
                    "This code is not right. Check that your phone's clock is correct and try again."
                ),
            )
    return render(request, "accounts/login_code.html", {"form": form})


@public
@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Forced enrolment during sign-in, when the desk requires 2FA and the user has none."""
    user = flow.pending_user(request, flow.ENROL)
    if user is None:
        return redirect("accounts:login")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _confirm_enrolment(request, user, form, during_login=True)
        if done is not None:
            return done
    return render(
        request, "accounts/totp_enrol.html", _enrol_context(request, form, during_login=True)
    )


def _confirm_enrolment(
    request: HttpRequest, user: User, form: EnrolForm, *, during_login: bool
) -> HttpResponse | None:
    """Check the code against the enrolment secret: recovery codes page, or an error on the form."""
    codes = two_factor.confirm_totp(
        user=user, secret_hex=_enrolment_secret(request), code=form.cleaned_data["code"]
    )
    if codes is None:
        form.add_error(
            "code",
            _("This code is not right. Check that your phone's clock is correct and try again."),
        )
        return None
    request.session.pop(_ENROLMENT_SECRET, None)
    device = queries.confirmed_totp_device(user)
    if during_login:
        flow.complete(request, user, device=device)
    elif device is not None:
        otp_login(request, device)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "after_login": during_login}
    )


_ENROLMENT_SECRET = "pd_totp_secret"  # noqa: S105 - a session key name, not a secret


def _enrolment_secret(request: HttpRequest) -> str:
    """The secret being enrolled, kept in the session so the page and its QR code agree."""
    secret = request.session.get(_ENROLMENT_SECRET)
    if not isinstance(secret, str):
        secret = two_factor.new_enrolment_secret()
        request.session[_ENROLMENT_SECRET] = secret
    return secret


def _enrol_context(request: HttpRequest, form: EnrolForm, during_login: bool) -> dict[str, Any]:
    secret = base64.b32encode(bytes.fromhex(_enrolment_secret(request))).decode("ascii")
    return {
        "form": form,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "during_login": during_login,
    }


@public
@require_GET
def totp_qr(request: HttpRequest) -> HttpResponse:
    """The enrolment QR code as a PNG (no JavaScript): for the signed-in or enrolling user."""
    user = (
        request.user if isinstance(request.user, User) else flow.pending_user(request, flow.ENROL)
    )
    if user is None:
        raise Http404
    buffer = io.BytesIO()
    segno.make(two_factor.enrolment_uri(user, _enrolment_secret(request)), error="m").save(
        buffer, kind="png", scale=5, border=2
    )
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@require_http_methods(["GET", "POST"])
@signed_in
def unlock(request: HttpRequest) -> HttpResponse:
    """Re-enter the password when the browser lost its ``pd_key`` (or the session key changed)."""
    user = current_user(request)
    if session_keys.private_key(request) is not None:
        return HttpResponseRedirect(_next_url(request))
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        remaining = queries.lockout_remaining(user.login)
        if remaining is not None or not signin.begin_attempt(user.login):
            seconds = (
                remaining.total_seconds()
                if remaining
                else settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES * 60
            )
            form.add_error(None, _locked_message(seconds))
        else:
            try:
                private_key = signin.unlock_private_key(user, form.cleaned_data["password"])
            except WrongPassword:
                if signin.note_login_failure(user.login):
                    auth.logout(request)
                    session_keys.end(request)
                    messages.error(
                        request, _locked_message(settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES * 60)
                    )
                    return redirect("accounts:login")
                form.add_error("password", _("This password is not right."))
            else:
                session_keys.begin(request, user.id, private_key)
                signin.note_unlock(user)
                return HttpResponseRedirect(_next_url(request))
    return render(
        request, "accounts/unlock.html", {"form": form, "next": request.GET.get("next", "")}
    )


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        signin.note_logout(current_user(request))
    auth.logout(request)
    session_keys.end(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


# --- invitations ----------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = queries.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(
        request.POST or None, initial={"display_name": invitation.display_name}
    )
    if request.method == "POST" and form.is_valid():
        if request.user.is_authenticated:  # whoever was signed in here is signed out first
            auth.logout(request)
            session_keys.end(request)
        try:
            invitations.accept_invitation(
                invitation=invitation,
                token=token,
                password=form.cleaned_data["new_password"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your account is ready. Sign in with your new password."))
            return redirect("accounts:login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# --- first run ------------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def first_run(request: HttpRequest, token: str) -> HttpResponse:
    """Create the desk from the browser (token printed by ``protectdesk serve``)."""
    if not setup.token_is_valid(token):
        raise Http404
    form = FirstRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = desk_actions.create_desk(
                name=data["desk_name"],
                country=data["country"],
                languages=[code for code, _name in settings.LANGUAGES],
                reference_prefix=data["reference_prefix"] or data["country"],
                require_staff_2fa=data["require_staff_2fa"],
                coordinator_login=data["email"],
                coordinator_name=data["display_name"],
                coordinator_password=data["new_password"],
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            setup.spend_token()
            return render(
                request,
                "accounts/recovery_phrase.html",
                {"phrase": created.recovery_phrase, "login": created.coordinator.login},
            )
    return render(
        request, "accounts/first_run.html", {"form": form}, status=400 if form.errors else 200
    )


# --- the account page -----------------------------------------------------------------------


def _account_context(user: User, password_form: ChangePasswordForm) -> dict[str, Any]:
    return {
        "password_form": password_form,
        "has_totp": queries.has_confirmed_totp(user),
        "recovery_left": queries.unused_recovery_code_count(user),
        "session_count": user.sessions.count(),
        "idle_minutes": settings.PROTECTDESK_IDLE_MINUTES,
    }


@require_GET
@signed_in
def account(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(request, "accounts/account.html", _account_context(user, ChangePasswordForm()))


@require_POST
@signed_in
def change_password(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ChangePasswordForm(request.POST)
    if form.is_valid() and not signin.begin_attempt(user.login):
        form.add_error(None, _locked_message(settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES * 60))
    elif form.is_valid():
        try:
            my_account.change_password(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except WrongPassword:
            signin.note_login_failure(user.login)
            form.add_error("old_password", _("This password is not right."))
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            signin.clear_attempts(user.login)
            auth.update_session_auth_hash(request, user)
            my_account.revoke_sessions(user=user, keep_session_key=request.session.session_key)
            messages.success(
                request, _("Your password has been changed. Your other sessions are signed out.")
            )
            return redirect("accounts:account")
    return render(request, "accounts/account.html", _account_context(user, form), status=400)


@require_POST
@signed_in
def revoke_sessions(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere, this browser included."""
    user = current_user(request)
    my_account.revoke_sessions(user=user)
    auth.logout(request)
    session_keys.end(request)
    messages.info(request, _("All your sessions are signed out, including this one."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
@signed_in
def totp_enrol(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    moving = queries.has_confirmed_totp(user)
    form_class = ReauthEnrolForm if moving else EnrolForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid() and (not moving or _password_ok(user, form)):
        done = _confirm_enrolment(request, user, form, during_login=False)
        if done is not None:
            return done
    return render(
        request, "accounts/totp_enrol.html", _enrol_context(request, form, during_login=False)
    )


def _password_ok(user: User, form: forms.Form) -> bool:
    if not signin.begin_attempt(user.login):
        form.add_error(None, _locked_message(settings.PROTECTDESK_LOGIN_COOLOFF_MINUTES * 60))
        return False
    if not user.check_password(form.cleaned_data["password"]):
        signin.note_login_failure(user.login)
        form.add_error("password", _("This password is not right."))
        return False
    signin.clear_attempts(user.login)
    return True


def _reauthenticated(request: HttpRequest, user: User) -> bool:
    """The password typed with a sensitive change is right (failures count like sign-ins)."""
    form = ReauthForm(request.POST)
    if not form.is_valid() or not signin.begin_attempt(user.login):
        messages.error(request, _("Type your password to confirm this change."))
        return False
    if not user.check_password(form.cleaned_data["password"]):
        signin.note_login_failure(user.login)
        messages.error(request, _("This password is not right."))
        return False
    signin.clear_attempts(user.login)
    return True


@require_POST
@signed_in
def totp_disable(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not _reauthenticated(request, user):
        return redirect("accounts:account")
    try:
        two_factor.disable_totp(user=user)
    except AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-factor authentication is off for your account."))
    return redirect("accounts:account")


@require_POST
@signed_in
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not queries.has_confirmed_totp(user):
        messages.error(request, _("Set up two-factor authentication first."))
        return redirect("accounts:account")
    if not _reauthenticated(request, user):
        return redirect("accounts:account")
    codes = two_factor.new_recovery_codes(user=user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "after_login": False})
