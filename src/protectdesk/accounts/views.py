"""Sign-in, invitations and the account page. Thin: the rules live in actions/."""

from __future__ import annotations

import base64
import io
from datetime import datetime
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
from django_otp.plugins.otp_totp.models import TOTPDevice

from protectdesk.accounts import flow, notices, queries, session_keys, setup
from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.actions import invitations, my_account, signin, throttle, two_factor
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    CodeForm,
    DelayedLoginForm,
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
from protectdesk.lib.forms import rebind


def _next_url(request: HttpRequest, default: str = "home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


# --- sign in --------------------------------------------------------------------------------


def _wait(moment: datetime) -> float:
    return throttle.seconds_until(moment)


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_next_url(request))
    stage = flow.pending_stage(request)
    if request.method == "GET" and stage and flow.pending_user(request, stage):
        return redirect("accounts:login_code" if stage == flow.CODE else "accounts:login_enrol")
    # The code field is offered during a delay; a form that carries it is read with it.
    form_class = DelayedLoginForm if "code" in request.POST else LoginForm
    form: LoginForm = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = _sign_in(request, form)
        if isinstance(outcome, HttpResponse):
            return outcome
        form = outcome
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def _sign_in(request: HttpRequest, form: LoginForm) -> HttpResponse | LoginForm:
    """The password step: a response, or the form to show again with its error.

    Outside a delay the attempt is counted first, then the password checked (one Argon2 hash,
    known name or not). During a delay see :func:`_sign_in_during_delay`.
    """
    typed = form.cleaned_data["login"]
    password = form.cleaned_data["password"]
    code = str(form.cleaned_data.get("code") or "").strip()
    attempt = throttle.begin_attempt(typed)
    if attempt.delayed:
        return _sign_in_during_delay(request, form, attempt, password, code)
    user = auth.authenticate(request, login=typed, password=password)
    if user is None:
        retry_at = throttle.note_login_failure(attempt)
        message = _("The e-mail or handle and password do not match an active account.")
        if retry_at is not None:
            message += " " + notices.wait_message(_wait(retry_at))
        form.add_error(None, message)
        return form
    if not isinstance(user, User):
        raise TypeError("expected User")
    throttle.refund_attempt(attempt)
    return _after_password(request, user, password, code)


def _sign_in_during_delay(
    request: HttpRequest, form: LoginForm, attempt: throttle.Attempt, password: str, code: str
) -> HttpResponse | LoginForm:
    """During a delay only password *and* second factor together sign in, at once.

    Without a code the attempt is refused unchecked. With one, the answer to anything short of
    both right is the same refusal (throttle.sign_in_during_delay does the same work for every
    case), so it tells nobody whether the password, the code or the name was right.
    """
    shown = form if isinstance(form, DelayedLoginForm) else DelayedLoginForm(request.POST)
    shown.is_valid()
    rebind(shown, code="")  # a one-time code is never echoed back
    refusal = notices.delayed_message(_wait(attempt.delayed_until or throttle.clock()))
    if not code:
        throttle.refuse(attempt)
        shown.add_error(None, refusal)
        return shown
    typed = form.cleaned_data["login"]
    outcome = throttle.sign_in_during_delay(attempt, typed, password, code)
    if outcome.user is None:
        shown.add_error(
            None,
            refusal
            + " "
            + _(
                "The password and code did not sign you in: check both, or wait and sign in as usual."
            ),
        )
        return shown
    user = outcome.user
    flow.complete(
        request, user, device=outcome.device, private_key=signin.unlock_private_key(user, password)
    )
    if outcome.used_recovery_code:
        _recovery_codes_left(request, user)
    return _with_language(HttpResponseRedirect(_next_url(request)), user)


def _after_password(request: HttpRequest, user: User, password: str, code: str) -> HttpResponse:
    private_key = signin.unlock_private_key(user, password)
    device = queries.confirmed_totp_device(user)
    if device is not None and code and _code_accepted(request, user, device, code):
        # The code was typed with the password (the form offered it during a delay that has
        # ended since): no need to ask for it again.
        flow.complete(request, user, device=device, private_key=private_key)
        response: HttpResponse = HttpResponseRedirect(_next_url(request))
    elif device is not None:
        flow.begin_pending(request, user, flow.CODE, private_key)
        response = redirect("accounts:login_code")
    elif user.must_use_2fa:
        flow.begin_pending(request, user, flow.ENROL, private_key)
        response = redirect("accounts:login_enrol")
    else:
        flow.complete(request, user, private_key=private_key)
        response = HttpResponseRedirect(_next_url(request))
    return _with_language(response, user)


def _code_accepted(request: HttpRequest, user: User, device: TOTPDevice, code: str) -> bool:
    """A code typed on the sign-in form: a recovery code or the authenticator's (throttled)."""
    code = code.replace(" ", "")
    if "-" in code:
        if two_factor.use_recovery_code(user=user, code=code):
            _recovery_codes_left(request, user)
            return True
    elif device.verify_token(code):
        return True
    signin.note_second_factor_failure(user)
    return False


def _with_language(response: HttpResponse, user: User) -> HttpResponse:
    if user.language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            samesite="Strict",
            httponly=True,
            secure=settings.HTTPS,
        )
    return response


def _recovery_codes_left(request: HttpRequest, user: User) -> None:
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


@public
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    user = flow.pending_user(request, flow.CODE)
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
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
            _recovery_codes_left(request, user)
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
    form = EnrolForm(request.POST if request.method == "POST" else None)
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
    form = UnlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        attempt = throttle.begin_attempt(user.login)
        if attempt.delayed_until is not None:
            throttle.refuse(attempt)
            form.add_error(None, notices.delayed_message(_wait(attempt.delayed_until)))
        else:
            try:
                private_key = signin.unlock_private_key(user, form.cleaned_data["password"])
            except WrongPassword:
                form.add_error("password", _wrong_password(attempt))
            else:
                session_keys.begin(request, user.id, private_key)
                signin.note_unlock(user, attempt)
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
        request.POST if request.method == "POST" else None,
        initial={"display_name": invitation.display_name},
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
    form = FirstRunForm(request.POST if request.method == "POST" else None)
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
    return render(
        request,
        "accounts/account.html",
        {**_account_context(user, ChangePasswordForm()), **_reauth_forms()},
    )


@require_POST
@signed_in
def change_password(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ChangePasswordForm(request.POST)
    attempt = throttle.begin_attempt(user.login) if form.is_valid() else None
    if attempt is not None and attempt.delayed_until is not None:
        throttle.refuse(attempt)
        form.add_error(None, notices.delayed_message(_wait(attempt.delayed_until)))
    elif attempt is not None:
        try:
            my_account.change_password(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except WrongPassword:
            form.add_error("old_password", _wrong_password(attempt))
        except ValidationError as error:
            throttle.refund_attempt(attempt)  # the old password was right; the new one is weak
            form.add_error("new_password", error)
        else:
            throttle.refund_attempt(attempt)
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
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and (not moving or password_ok(user, form)):
        done = _confirm_enrolment(request, user, form, during_login=False)
        if done is not None:
            return done
    return render(
        request, "accounts/totp_enrol.html", _enrol_context(request, form, during_login=False)
    )


def _wrong_password(attempt: throttle.Attempt) -> str:
    """Audit a wrong password typed while signed in (it counts like a failed sign-in)."""
    retry_at = throttle.note_login_failure(attempt)
    message = _("This password is not right.")
    if retry_at is not None:
        message += " " + notices.wait_message(_wait(retry_at))
    return message


def password_ok(user: User, form: forms.Form) -> bool:
    """Is ``form``'s ``password`` the user's? Counted like a sign-in (slowed after failures);
    the error goes on the form. Also used by the API token page."""
    attempt = throttle.begin_attempt(user.login)
    if attempt.delayed_until is not None:
        throttle.refuse(attempt)
        form.add_error(None, notices.delayed_message(_wait(attempt.delayed_until)))
        return False
    if not user.check_password(form.cleaned_data["password"]):
        form.add_error("password", _wrong_password(attempt))
        return False
    throttle.refund_attempt(attempt)
    return True


def _reauth_forms(**bound: ReauthForm) -> dict[str, ReauthForm]:
    """The two password confirmations of the account page (each with its own field ids)."""
    forms = {
        "codes_form": ReauthForm(auto_id="reauth-codes-%s"),
        "off_form": ReauthForm(auto_id="reauth-off-%s"),
    }
    forms.update(bound)
    return forms


def _reauthenticated(request: HttpRequest, user: User, auto_id: str) -> ReauthForm | None:
    """The password typed with a sensitive change, checked (failures count like sign-ins).

    ``None`` when it is right; otherwise the bound form with its error, for the account page
    to show again with the error summary (nothing else on the page is lost).
    """
    form = ReauthForm(request.POST, auto_id=auto_id)
    if not form.is_valid():
        return form
    attempt = throttle.begin_attempt(user.login)
    if attempt.delayed_until is not None:
        throttle.refuse(attempt)
        form.add_error("password", notices.delayed_message(_wait(attempt.delayed_until)))
        return form
    if not user.check_password(form.cleaned_data["password"]):
        form.add_error("password", _wrong_password(attempt))
        return form
    throttle.refund_attempt(attempt)
    return None


def _account_page_again(request: HttpRequest, user: User, **bound: ReauthForm) -> HttpResponse:
    context = {**_account_context(user, ChangePasswordForm()), **_reauth_forms(**bound)}
    return render(request, "accounts/account.html", context, status=400)


@require_POST
@signed_in
def totp_disable(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    refused = _reauthenticated(request, user, "reauth-off-%s")
    if refused is not None:
        return _account_page_again(request, user, off_form=refused)
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
    refused = _reauthenticated(request, user, "reauth-codes-%s")
    if refused is not None:
        return _account_page_again(request, user, codes_form=refused)
    codes = two_factor.new_recovery_codes(user=user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "after_login": False})
