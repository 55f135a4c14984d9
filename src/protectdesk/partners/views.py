"""Partner pages (the directory, a partner with its contacts) and a case's referrals.

The directory's pages are for its members; a coordinator or caseworker who is not one yet is
told who can give it to them. A partner id from another desk, or one the viewer cannot open,
answers 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from protectdesk import vocabularies
from protectdesk.accounts.forms import RecoveryPhraseForm
from protectdesk.accounts.models import Role
from protectdesk.audit.actions import record_access
from protectdesk.cases import queries as case_queries
from protectdesk.lib.access import current_user, role_required
from protectdesk.partners import actions, queries
from protectdesk.partners.forms import ContactForm, PartnerForm, ReferralForm
from protectdesk.partners.models import Partner, Referral
from protectdesk.records import rotation
from protectdesk.records.access import case_view, conflict_page
from protectdesk.records.actions import EditConflict
from protectdesk.records.keyring import Keyring, keyring_for
from protectdesk.records.models import Case

ROLES = tuple(actions.DIRECTORY_ROLES)


def _directory_or_404(keyring: Keyring) -> Case:
    directory = queries.member_directory(keyring)
    if directory is None:
        raise Http404
    return directory


@require_http_methods(["GET"])
@role_required(*ROLES)
def directory(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    keyring = keyring_for(request)
    found = actions.directory_of(viewer.desk_id)
    context: dict[str, Any] = {"exists": found is not None}
    opened = queries.member_directory(keyring)
    if opened is None:
        if found is not None:
            holders = actions.usable_holders(found)
            context["holders"] = queries.people(holders)
            context["can_recover"] = not holders and viewer.role == Role.COORDINATOR
            context["recovery_form"] = RecoveryPhraseForm()
        return render(request, "partners/directory.html", context)
    service = request.GET.get("service", "")
    country = request.GET.get("country", "").upper()
    services = vocabularies.load("partner_services")
    context.update(
        opened=True,
        rows=queries.partner_rows(keyring, opened, service, country),
        waiting=actions.waiting(opened),
        services=services.choices(),
        service=service if service in services.codes() else "",
        country=country,
    )
    return render(request, "partners/directory.html", context)


@require_POST
@role_required(*ROLES)
def open_directory(request: HttpRequest) -> HttpResponse:
    actions.open_directory(actor=current_user(request), keyring=keyring_for(request))
    messages.success(
        request,
        _("The partner directory is open: give it to your colleagues below, one by one."),
    )
    return redirect("partners:directory")


@require_POST
@role_required(*ROLES)
def give_access(request: HttpRequest) -> HttpResponse:
    keyring = keyring_for(request)
    chosen = []
    for value in request.POST.getlist("user"):
        try:
            chosen.append(uuid.UUID(value))
        except ValueError:
            continue
    given = actions.give_access(
        actor=current_user(request),
        keyring=keyring,
        directory=_directory_or_404(keyring),
        user_ids=chosen,
    )
    messages.success(
        request,
        ngettext(
            "%(count)d colleague can open the partner directory now.",
            "%(count)d colleagues can open the partner directory now.",
            given,
        )
        % {"count": given},
    )
    return redirect("partners:directory")


@require_POST
@role_required(Role.COORDINATOR)
def recover(request: HttpRequest) -> HttpResponse:
    """Open the directory again with the desk's recovery phrase (nobody left who can)."""
    form = RecoveryPhraseForm(request.POST)
    if form.is_valid():
        try:
            actions.recover_directory(
                actor=current_user(request), phrase=form.cleaned_data["phrase"]
            )
        except actions.PartnerError as error:
            form.add_error("phrase", error.message)
        else:
            messages.success(request, _("You can open the partner directory again."))
            return redirect("partners:directory")
    found = actions.directory_of(current_user(request).desk_id)
    context = {
        "exists": found is not None,
        "holders": queries.people(actions.usable_holders(found)) if found else "",
        "can_recover": True,
        "recovery_form": form,
    }
    return render(request, "partners/directory.html", context, status=400)


@require_POST
@role_required(*ROLES)
def rotate_keys(request: HttpRequest) -> HttpResponse:
    """New keys for the directory (after a member left under suspicion): every partner and
    contact re-encrypted, the old keys destroyed. Tens of records: within the request."""
    keyring = keyring_for(request)
    done = rotation.rotate(
        actor=current_user(request), keyring=keyring, case=_directory_or_404(keyring)
    )
    messages.success(
        request,
        ngettext(
            "The partner directory has new keys: %(count)d record was re-encrypted.",
            "The partner directory has new keys: %(count)d records were re-encrypted.",
            done.converted,
        )
        % {"count": done.converted},
    )
    return redirect("partners:directory")


def _partner_form_page(
    request: HttpRequest, keyring: Keyring, partner: Partner | None
) -> HttpResponse:
    directory = _directory_or_404(keyring)
    initial: dict[str, Any] = {}
    if partner is not None:
        initial = {
            "name": keyring.text(partner, "name"),
            "description": keyring.text(partner, "description"),
            "services": partner.services,
            "countries": partner.countries,
            "active": partner.active,
            "row_version": partner.row_version,
        }
    form = PartnerForm(request.POST if request.method == "POST" else None, initial=initial)
    context: dict[str, Any] = {"form": form, "partner": partner}
    if partner is not None:
        context["contacts"] = [keyring.opened(c) for c in partner.contacts.all()]
        context["name"] = initial["name"]
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = actions.save_partner(
                    actor=current_user(request),
                    keyring=keyring,
                    directory=directory,
                    data=form.to_data(),
                    partner=partner,
                    expected_version=form.cleaned_data["row_version"] if partner else None,
                )
            except EditConflict:
                if partner is None:
                    raise
                return conflict_page(
                    request, "partners/partner.html", context, form, keyring, partner
                )
            except actions.PartnerError as error:
                form.add_error("name", error.message)
            else:
                messages.success(request, _("The partner is saved."))
                return redirect("partners:partner", partner_id=saved.id)
        return render(request, "partners/partner.html", context, status=400)
    if partner is not None:
        record_access(request, "partners.partner_viewed", partner)
    return render(request, "partners/partner.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*ROLES)
def new_partner(request: HttpRequest) -> HttpResponse:
    return _partner_form_page(request, keyring_for(request), None)


@require_http_methods(["GET", "POST"])
@role_required(*ROLES)
def partner(request: HttpRequest, partner_id: uuid.UUID) -> HttpResponse:
    keyring = keyring_for(request)
    return _partner_form_page(request, keyring, queries.partner_in(keyring, partner_id))


@require_http_methods(["GET", "POST"])
@role_required(*ROLES)
def contact(
    request: HttpRequest, partner_id: uuid.UUID, contact_id: uuid.UUID | None = None
) -> HttpResponse:
    keyring = keyring_for(request)
    target = queries.partner_in(keyring, partner_id)
    existing = queries.contact_in(target, contact_id) if contact_id else None
    initial: dict[str, Any] = {}
    if existing is not None:
        opened = keyring.opened(existing)
        initial = {
            "name": opened.name,
            "role": opened.role,
            "channels": opened.channels,
            "notes": opened.notes,
            "row_version": existing.row_version,
        }
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {
        "form": form,
        "partner": target,
        "name": keyring.text(target, "name"),
        "contact": existing,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_contact(
                    actor=current_user(request),
                    keyring=keyring,
                    partner=target,
                    data=form.to_data(),
                    contact=existing,
                    expected_version=form.cleaned_data["row_version"] if existing else None,
                )
            except EditConflict:
                if existing is None:
                    raise
                return conflict_page(
                    request, "partners/contact.html", context, form, keyring, existing
                )
            messages.success(request, _("The contact person is saved."))
            return redirect(reverse("partners:partner", args=[target.id]) + "#contacts")
        return render(request, "partners/contact.html", context, status=400)
    record_access(request, "partners.partner_viewed", target)
    return render(request, "partners/contact.html", context)


@require_POST
@role_required(*ROLES)
def remove_contact(
    request: HttpRequest, partner_id: uuid.UUID, contact_id: uuid.UUID
) -> HttpResponse:
    keyring = keyring_for(request)
    target = queries.partner_in(keyring, partner_id)
    actions.remove_contact(
        actor=current_user(request), keyring=keyring, contact=queries.contact_in(target, contact_id)
    )
    messages.success(request, _("The contact person is removed."))
    return redirect(reverse("partners:partner", args=[target.id]) + "#contacts")


# --- referrals (pages of a case) ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@case_view(staff_only=True)
def referral(
    request: HttpRequest, case: Case, keyring: Keyring, referral_id: uuid.UUID | None = None
) -> HttpResponse:
    """A new referral of the case, or one edited (its status and outcome as it goes)."""
    existing = None
    initial: dict[str, Any] = {}
    if referral_id is not None:
        existing = Referral.objects.filter(case=case, pk=referral_id).first()
        if existing is None:
            raise Http404
        initial = {
            "partner": keyring.text(existing, "partner_ref"),
            "service": existing.service,
            "referred_on": existing.referred_on.isoformat(),
            "status": existing.status,
            "follow_up_on": existing.follow_up_on.isoformat() if existing.follow_up_on else "",
            "outcome": keyring.text(existing, "outcome"),
            "row_version": existing.row_version,
        }
    partners = queries.partner_choices(keyring, case.desk_id)
    if existing is not None and initial["partner"] not in {value for value, _l in partners}:
        partners.append((initial["partner"], _("The partner chosen before")))
    form = ReferralForm(
        request.POST if request.method == "POST" else None, initial=initial, partners=partners
    )
    context = {
        "case": case,
        "defender": case_queries.defender_of(keyring, case),
        "form": form,
        "referral": existing,
        "has_directory": queries.member_directory(keyring) is not None,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = actions.save_referral(
                    actor=current_user(request),
                    keyring=keyring,
                    case=case,
                    data=form.to_data(),
                    referral=existing,
                    expected_version=form.cleaned_data["row_version"] if existing else None,
                )
                if form.cleaned_data["add_measure"]:
                    actions.referral_to_measure(
                        actor=current_user(request), keyring=keyring, referral=saved
                    )
            except EditConflict:
                if existing is None:
                    raise
                return conflict_page(
                    request, "partners/referral.html", context, form, keyring, existing
                )
            except actions.PartnerError as error:
                field = {"service_not_offered": "service", "follow_up_before": "follow_up_on"}
                form.add_error(
                    field.get(error.code, "add_measure" if error.code == "no_plan" else "partner"),
                    error.message,
                )
            else:
                messages.success(request, _("The referral is saved."))
                return redirect(reverse("cases:detail", args=[case.id]) + "#referrals")
        return render(request, "partners/referral.html", context, status=400)
    return render(request, "partners/referral.html", context)
