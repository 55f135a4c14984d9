"""Staff management and desk settings, for administrators and coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protectdesk.accounts import queries
from protectdesk.accounts.actions import desk as desk_actions
from protectdesk.accounts.actions import invitations
from protectdesk.accounts.actions.errors import AccountError
from protectdesk.accounts.forms import DeskSettingsForm, InviteForm, RoleForm
from protectdesk.accounts.models import ACCOUNT_MANAGERS, TEAM_ROLES, Invitation, Role
from protectdesk.lib.access import current_user, role_required

managers_only = role_required(*ACCOUNT_MANAGERS)


def _staff_page(request: HttpRequest, invite_form: InviteForm, status: int = 200) -> HttpResponse:
    viewer = current_user(request)
    accounts = queries.desk_accounts(viewer)
    attacked = queries.accounts_under_attack(accounts)
    return render(
        request,
        "accounts/staff.html",
        {
            "accounts": accounts,
            "under_attack": [(a, attacked[a.id]) for a in accounts if a.id in attacked],
            # re-inviting replaces the account's keys: coordinators only (actions/invitations)
            "can_reinvite": viewer.role == Role.COORDINATOR,
            "totp_users": queries.users_with_totp(accounts),
            "invitations": queries.open_invitations(viewer),
            "invite_form": invite_form,
            "staff_role_choices": [(r.value, r.label) for r in Role if r in TEAM_ROLES],
        },
        status=status,
    )


@require_GET
@managers_only
def staff(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, InviteForm())


@require_POST
@managers_only
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = invitations.invite(
                actor=current_user(request),
                role=form.cleaned_data["role"],
                login=form.cleaned_data["login"],
                display_name=form.cleaned_data["display_name"],
            )
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            return _show_invitation_link(request, invitation, token)
    return _staff_page(request, form, status=400)


def _show_invitation_link(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    """The link is shown once, in this response; only its hash is stored."""
    link = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[token]))
    return render(
        request, "accounts/invitation_link.html", {"invitation": invitation, "link": link}
    )


@require_POST
@managers_only
def reinvite(request: HttpRequest, user_id: str) -> HttpResponse:
    """A new invitation for an existing account (lost password): new password, new keys.

    Coordinators only; an administrator gets the staff page with the refusal (403).
    """
    user = queries.desk_account(current_user(request), user_id)
    if user is None:
        raise Http404
    try:
        invitation, token = invitations.invite(
            actor=current_user(request), role=user.role, login=user.login, user=user
        )
    except AccountError as error:
        messages.error(request, error.message)
        return _staff_page(request, InviteForm(), status=403)
    return _show_invitation_link(request, invitation, token)


@require_POST
@managers_only
def revoke_invitation(request: HttpRequest, invitation_id: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, desk_id=current_user(request).desk_id
    )
    invitations.revoke_invitation(actor=current_user(request), invitation=invitation)
    messages.success(request, _("The invitation is revoked; its link no longer works."))
    return redirect("accounts:staff")


@require_POST
@managers_only
def change_role(request: HttpRequest, user_id: str) -> HttpResponse:
    user = queries.desk_account(current_user(request), user_id)
    if user is None:
        raise Http404
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
    else:
        try:
            desk_actions.change_role(
                actor=current_user(request), user=user, role=form.cleaned_data["role"]
            )
        except AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role has been changed."))
    return redirect("accounts:staff")


@require_POST
@managers_only
def set_active(request: HttpRequest, user_id: str) -> HttpResponse:
    user = queries.desk_account(current_user(request), user_id)
    if user is None:
        raise Http404
    active = request.POST.get("active") == "1"
    try:
        desk_actions.set_active(actor=current_user(request), user=user, active=active)
    except AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The account is active again.")
            if active
            else _("The account is deactivated and its sessions are ended."),
        )
    return redirect("accounts:staff")


@require_http_methods(["GET", "POST"])
@managers_only
def desk_settings(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    desk = viewer.desk
    form = DeskSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": desk.name,
            "require_staff_2fa": desk.require_staff_2fa,
            "languages": desk.languages,
            "defender_editable": desk.defender_editable,
        },
    )
    if request.method == "POST" and form.is_valid():
        desk_actions.update_desk(
            actor=viewer,
            desk=desk,
            name=form.cleaned_data["name"],
            require_staff_2fa=form.cleaned_data["require_staff_2fa"],
            languages=list(form.cleaned_data["languages"]),
            defender_editable=list(form.cleaned_data["defender_editable"]),
        )
        messages.success(request, _("The desk settings have been saved."))
        return redirect("accounts:desk_settings")
    return render(
        request,
        "accounts/desk_settings.html",
        {"form": form, "desk": desk},
        status=400 if form.errors else 200,
    )
