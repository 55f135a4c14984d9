"""Reading plans: the current version with its parts, warnings, versions compared, check-ins,
and the coordinator's dashboard."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.plans import actions
from protectdesk.plans.models import CheckIn, MeasureStatus, PlanVersion
from protectdesk.records.keyring import Keyring, Opened
from protectdesk.records.models import Case, CaseMember
from protectdesk.risk import actions as risk_actions
from protectdesk.risk.models import Scenario

#: A check-in is missed this long after it was due.
GRACE = datetime.timedelta(hours=1)
HIGH = ("high", "very_high")


def versions_of(case: Case) -> list[PlanVersion]:
    return list(PlanVersion.objects.filter(case=case).order_by("-number"))


def version_in(case: Case, number: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(case=case, number=number).first()


@dataclass
class PlanView:
    version: PlanVersion
    opened: Opened
    is_current: bool
    measures: list[dict[str, Any]] = field(default_factory=list)
    protocols: list[dict[str, Any]] = field(default_factory=list)
    contingencies: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    overdue: bool = False


def _targets(keyring: Keyring, case: Case, staff: bool | None = None) -> dict[str, str]:
    """What a measure can target, labelled; scenario titles (staff key) only for staff, and
    never when ``staff`` is False (the printed plan)."""
    labels = {f"c:{t.code}": t.label for t in vocabularies.load("risk_components").terms}
    newest = risk_actions.newest(case)
    if staff is None:
        staff = keyring.has_staff_key(case.id)
    if newest is not None and staff:
        for scenario in newest.scenarios.all():
            labels[f"s:{scenario.pk}"] = str(keyring.opened(scenario).title)
    return labels


def target_choices(
    keyring: Keyring, case: Case, keep: uuid.UUID | None = None
) -> list[tuple[str, str]]:
    """Scenarios of the newest analysis, then the components (what a measure can target);
    ``keep``: the measure's own target, still offered if it is a scenario of an earlier
    analysis (so editing the measure never drops it unasked)."""
    labels = _targets(keyring, case)
    scenarios = [
        (k, _("Scenario: %(title)s") % {"title": v})
        for k, v in labels.items()
        if k.startswith("s:")
    ]
    if keep is not None and f"s:{keep}" not in labels:
        earlier = Scenario.objects.filter(case=case, pk=keep).first()
        if earlier is not None:
            title = keyring.opened(earlier).title
            label = _("Scenario of an earlier analysis: %(title)s") % {"title": title}
            scenarios.insert(0, (f"s:{keep}", label))
    components = [(k, v) for k, v in labels.items() if k.startswith("c:")]
    return scenarios + components


def _guide(measure: Any, language: str, staff_desk_id: Any) -> dict[str, str] | None:
    """The library resource a measure links: its address and its title in ``language`` (or
    its first language), when it has a version and the reader may see it.

    A draft is seen only by the staff of the desk that writes it (``staff_desk_id``: the
    reader's desk when the reader is staff reading as staff, else None). A measure can keep
    linking a resource that was published when linked and has been withdrawn since (a review
    copies the link as it is), even one of another desk: its title is not shown then.
    """
    from protectdesk.library.models import Status

    resource = measure.resource
    if resource is None:
        return None
    if resource.status != Status.PUBLISHED and (
        staff_desk_id is None or resource.desk_id != staff_desk_id
    ):
        return None
    versions = list(resource.versions.all())
    if not versions:
        return None
    shown = next((v for v in versions if v.language == language), versions[0])
    return {"slug": resource.slug, "language": shown.language, "title": shown.title}


def plan_view(keyring: Keyring, version: PlanVersion, staff: bool | None = None) -> PlanView:
    """The version ready to show; ``staff=False`` shows a staff member what the defender sees
    (the printed plan)."""
    case = version.case
    if staff is None:
        staff = keyring.has_staff_key(case.id)
    latest = actions.current(case)
    view = PlanView(
        version, keyring.opened(version), latest is not None and latest.pk == version.pk
    )
    labels = _targets(keyring, case, staff)
    protocols = vocabularies.load("protocol_templates")
    contingencies = vocabularies.load("contingency_templates")
    today = timezone.localdate()
    language = (translation.get_language() or "en").split("-")[0]
    reader = keyring.user
    # The printed plan (staff=False) is the defender's: it shows no draft either.
    staff_desk_id = reader.desk_id if staff and reader.is_staff_member else None
    for measure in version.measures.select_related("resource").prefetch_related(
        "resource__versions"
    ):
        target = (
            labels.get(f"s:{measure.target_scenario_id}", _("a scenario of an earlier analysis"))
            if measure.target_scenario_id
            else labels.get(f"c:{measure.target_component}", "")
        )
        if measure.target_scenario_id and not staff:
            target = _("a threat scenario")  # its title is staff's
        view.measures.append(
            {
                "measure": measure,
                "opened": keyring.opened(measure),
                "target": target,
                "late": measure.due is not None
                and measure.due < today
                and measure.status not in (MeasureStatus.DONE, MeasureStatus.DROPPED),
                "can_mark": view.is_current
                and measure.status != MeasureStatus.DONE
                and (staff or measure.owner_is_defender),
                "guide": _guide(measure, language, staff_desk_id),
            }
        )
    for protocol in version.protocols.all():
        view.protocols.append(
            {
                "protocol": protocol,
                "label": protocols.label(protocol.kind),
                "opened": keyring.opened(protocol),
            }
        )
    for plan in version.contingencies.all():
        view.contingencies.append(
            {"plan": plan, "label": contingencies.label(plan.kind), "opened": keyring.opened(plan)}
        )
    view.overdue = view.is_current and version.next_review < today
    if staff and view.is_current:
        view.warnings = capacity_only_warnings(keyring, version)
    return view


def capacity_only_warnings(keyring: Keyring, version: PlanVersion) -> list[str]:
    """High-risk scenarios of the newest analysis whose measures all only build capacities:
    against a clear and present threat, raising capacities is too slow (methodology §4)."""
    newest = risk_actions.newest(version.case)
    if newest is None:
        return []
    measures = list(version.measures.exclude(status=MeasureStatus.DROPPED))
    warnings = []
    for scenario in newest.scenarios.filter(band__in=HIGH):
        aimed = [m for m in measures if _same_scenario(m.target_scenario_id, scenario)]
        if aimed and all(m.builds_capacity for m in aimed):
            warnings.append(
                _(
                    "“%(title)s” is at %(band)s risk and every measure against it builds a "
                    "capacity: against a clear and present threat that is too slow. Add a measure "
                    "that reduces the threat or a vulnerability now."
                )
                % {
                    "title": keyring.opened(scenario).title,
                    "band": scenario.get_band_display().lower(),
                }
            )
        elif not aimed:
            warnings.append(
                _("“%(title)s” is at %(band)s risk and no measure targets it yet.")
                % {
                    "title": keyring.opened(scenario).title,
                    "band": scenario.get_band_display().lower(),
                }
            )
    return warnings


def _same_scenario(target_id: uuid.UUID | None, scenario: Scenario) -> bool:
    """A measure aimed at this scenario, or at its copy in an earlier analysis."""
    if target_id is None:
        return False
    if target_id == scenario.pk:
        return True
    earlier = Scenario.objects.filter(pk=target_id).values_list("assessment_id", flat=True).first()
    return earlier is not None and earlier == scenario.assessment_id


# --- comparing two versions -----------------------------------------------------------------


def compare(keyring: Keyring, old: PlanVersion, new: PlanVersion) -> list[dict[str, Any]]:
    """Section by section, what each version says and whether it changed."""

    def texts(version: PlanVersion) -> dict[str, str]:
        opened = keyring.opened(version)
        out = {name: str(getattr(opened, name) or "") for name in actions.PLAN_TEXTS}
        out["measures"] = "\n".join(
            f"{keyring.opened(m).description} · {m.get_strategy_display()} · {m.get_status_display()}"
            + (f" · {m.due.isoformat()}" if m.due else "")
            for m in version.measures.all()
        )
        protocols = vocabularies.load("protocol_templates")
        out["protocols"] = "\n\n".join(
            f"{protocols.label(p.kind)}\n{keyring.opened(p).text}" for p in version.protocols.all()
        )
        contingencies = vocabularies.load("contingency_templates")
        out["contingencies"] = "\n\n".join(
            f"{contingencies.label(c.kind)}\n{keyring.opened(c).steps}"
            for c in version.contingencies.all()
        )
        out["next_review"] = version.next_review.isoformat()
        return out

    names = {
        "threats_to_reduce": _("Threats to reduce"),
        "vulnerabilities_to_reduce": _("Vulnerabilities to reduce"),
        "capacities_to_raise": _("Capacities to raise"),
        "measures": _("Measures"),
        "protocols": _("Preventive protocols"),
        "contingencies": _("Contingency plans"),
        "next_review": _("Next review"),
    }
    before, after = texts(old), texts(new)
    return [
        {"name": label, "old": before[key], "new": after[key], "changed": before[key] != after[key]}
        for key, label in names.items()
    ]


# --- check-ins ------------------------------------------------------------------------------


def missed_checkins(case_ids: list[uuid.UUID]) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(
            case_id__in=case_ids, done_at=None, due_at__lt=timezone.now() - GRACE
        ).select_related("case")
    )


def missed_checkin_cases(case_ids: Iterable[uuid.UUID] | QuerySet[Any]) -> list[uuid.UUID]:
    """The case of each missed check-in of these cases (a case once per check-in missed)."""
    return list(
        CheckIn.objects.filter(
            case_id__in=case_ids, done_at=None, due_at__lt=timezone.now() - GRACE
        ).values_list("case_id", flat=True)
    )


def upcoming_checkins(case: Case, limit: int = 5) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(case=case, done_at=None, due_at__gte=timezone.now() - GRACE)[:limit]
    )


def missed_for_member(user: User) -> list[CheckIn]:
    """Missed check-ins of every case ``user`` is a member of (staff or the defender)."""
    case_ids = list(
        CaseMember.objects.filter(user=user)
        .exclude(case__status="closed")
        .values_list("case_id", flat=True)
    )
    return missed_checkins(case_ids)
