"""Plan forms: the version's objectives and review date, a measure, a protocol, a contingency
plan with its check-in schedule, a check-in."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.lib.forms import PRIVATE_INPUT, Form, PlannedDayField, private_text, set_choices
from protectdesk.plans import actions
from protectdesk.plans.models import MeasureStatus, Strategy


def _row_version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def _plan_version() -> forms.IntegerField:
    """The number of the plan version the form was loaded from: a part is found by its kind in
    the version, and each version's copy starts its own row versions, so the row version alone
    cannot tell a page loaded before a review from one loaded after it."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PlanForm(Form):
    threats_to_reduce = private_text(_("Threats to reduce"), rows=3)
    vulnerabilities_to_reduce = private_text(_("Vulnerabilities to reduce"), rows=3)
    capacities_to_raise = private_text(_("Capacities to raise"), rows=3)
    next_review = PlannedDayField(
        label=_("Next review"),
        help_text=_("YYYY-MM-DD. Six months from the plan's date unless you choose otherwise."),
    )
    staff_notes = private_text(
        _("Staff notes on the plan"),
        rows=3,
        help_text=_("Staff key: the defender's own account does not see these notes."),
    )
    row_version = _row_version()
    plan_version = _plan_version()

    def data_for_action(self) -> actions.PlanData:
        data = self.cleaned_data
        return actions.PlanData(
            next_review=data["next_review"],
            threats_to_reduce=data["threats_to_reduce"],
            vulnerabilities_to_reduce=data["vulnerabilities_to_reduce"],
            capacities_to_raise=data["capacities_to_raise"],
            staff_notes=data["staff_notes"],
        )


class MeasureForm(Form):
    description = private_text(
        _("Measure"),
        rows=3,
        required=True,
        error_messages={"required": _("Say what the measure is: what will be done.")},
    )
    strategy = forms.ChoiceField(
        label=_("Strategy"), choices=Strategy.choices, widget=forms.RadioSelect
    )
    target = forms.ChoiceField(
        label=_("What it targets"),
        required=False,
        help_text=_("A threat scenario of the risk analysis, or a vulnerability or capacity."),
    )
    builds_capacity = forms.BooleanField(
        label=_("It builds a capacity (training, contacts, equipment) rather than acting now"),
        required=False,
    )
    owner = forms.CharField(
        label=_("Who carries it out"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
    )
    owner_is_defender = forms.BooleanField(
        label=_("The defender carries it out (they can mark it done themselves)"), required=False
    )
    due = PlannedDayField(
        label=_("Due date"), required=False, help_text=_("YYYY-MM-DD, not before the plan's date.")
    )
    cost = forms.CharField(
        label=_("Cost"), required=False, max_length=200, widget=forms.TextInput(attrs=PRIVATE_INPUT)
    )
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    resource = forms.ChoiceField(
        label=_("A guide from the library"),
        required=False,
        help_text=_("A manual, guide or tool that helps carry the measure out."),
    )
    row_version = _row_version()

    def __init__(
        self,
        *args: Any,
        targets: list[tuple[str, str]] = (),  # type: ignore[assignment]
        resources: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target", [("", _("Nothing in particular")), *targets])
        set_choices(self, "resource", [("", _("None")), *resources])

    def data_for_action(self) -> actions.MeasureData:
        data = self.cleaned_data
        target = data["target"]
        scenario = uuid.UUID(target[2:]) if target.startswith("s:") else None
        component = target[2:] if target.startswith("c:") else ""
        return actions.MeasureData(
            description=data["description"],
            strategy=data["strategy"],
            status=data["status"],
            target_scenario_id=scenario,
            target_component=component,
            builds_capacity=data["builds_capacity"],
            owner=data["owner"],
            owner_is_defender=data["owner_is_defender"],
            due=data["due"],
            cost=data["cost"],
            resource_id=uuid.UUID(data["resource"]) if data["resource"] else None,
        )


class ProtocolForm(Form):
    text = private_text(
        _("Protocol"),
        rows=10,
        required=True,
        error_messages={"required": _("Write the protocol, or start from the template.")},
    )
    row_version = _row_version()
    plan_version = _plan_version()


_NO_SCHEDULE = _("Fill in all three to schedule check-ins, or none of them.")


class ContingencyForm(Form):
    steps = private_text(
        _("Steps"),
        rows=8,
        required=True,
        error_messages={"required": _("Write the steps, or start from the template.")},
    )
    who = private_text(_("Who does what"), rows=4)
    contacts = private_text(
        _("Emergency contacts"),
        rows=3,
        help_text=_("Encrypted. Names and numbers to call, in order."),
    )
    checkin_every_hours = forms.IntegerField(
        label=_("Check in every (hours)"), required=False, min_value=1, max_value=168
    )
    checkin_from = forms.DateTimeField(
        label=_("Check-ins from"),
        required=False,
        help_text=_("YYYY-MM-DD HH:MM in UTC, for a field trip, a hearing, a period of risk."),
    )
    checkin_until = forms.DateTimeField(
        label=_("Check-ins until"), required=False, help_text=_("YYYY-MM-DD HH:MM in UTC")
    )

    row_version = _row_version()
    plan_version = _plan_version()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get(n) for n in ("checkin_every_hours", "checkin_from", "checkin_until")]
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            for name, value in zip(
                ("checkin_every_hours", "checkin_from", "checkin_until"), parts, strict=True
            ):
                if value is None and name not in self.errors:
                    self.add_error(name, _NO_SCHEDULE)
        elif all(p is not None for p in parts):
            self._check_schedule(data)
        return data

    def _check_schedule(self, data: dict[str, Any]) -> None:
        if data["checkin_until"] <= data["checkin_from"]:
            self.add_error("checkin_until", _("Choose an end after the start of the check-ins."))
            return
        if data["checkin_until"] <= timezone.now():
            self.add_error(
                "checkin_until", _("Choose an end still to come: this schedule is already over.")
            )
            return
        schedule = actions.Schedule(
            data["checkin_every_hours"], data["checkin_from"], data["checkin_until"]
        )
        try:
            actions.checkin_slots(schedule, timezone.now())
        except actions.TooManyCheckIns as many:
            self.add_error(
                "checkin_every_hours",
                _(
                    "This makes %(count)s check-ins; at most %(limit)s can be scheduled. Check in "
                    "less often, or schedule a shorter period."
                )
                % {"count": many.count, "limit": actions.MAX_CHECKINS},
            )

    def data_for_action(self) -> actions.ContingencyData:
        data = self.cleaned_data
        schedule = None
        if (
            data.get("checkin_every_hours")
            and data.get("checkin_from")
            and data.get("checkin_until")
        ):
            schedule = actions.Schedule(
                data["checkin_every_hours"], data["checkin_from"], data["checkin_until"]
            )
        return actions.ContingencyData(data["steps"], data["who"], data["contacts"], schedule)


class CheckInForm(Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
    )


def default_next_review() -> datetime.date:
    return timezone.localdate() + actions.REVIEW_AFTER
