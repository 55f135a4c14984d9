"""What analytics publishes: the kinds of record counted, their dimensions (codes and how to
label them) and the views, each a family of the suppression engine with its charts.

A view's family fixes its dimensions; every chart and filter of the view stays within them
(``suppression.tabulate`` refuses anything else). Families are small on purpose: the finer
they are, the more atoms fall below k (issue18-design.md, point 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protectdesk import vocabularies
from protectdesk.cases.models import DefenderKind, Gender
from protectdesk.incidents.models import Step
from protectdesk.plans.models import MeasureStatus, Strategy
from protectdesk.risk.models import Band
from protectdesk.threats import escalation

#: The code of an empty value ("not recorded"), whatever the dimension: never a stored code,
#: and not empty, which a filter form sends for "all".
NOT_RECORDED = "-"


def _period_label(code: str) -> str:
    if code.endswith("-x"):
        return _("%(year)s, month not known") % {"year": code[:4]}
    if "-Q" in code:
        year, quarter = code.split("-Q")
        return _("%(year)s, quarter %(quarter)s") % {"year": year, "quarter": quarter}
    return code


def _vocabulary(name: str) -> Callable[[str], str]:
    return lambda code: vocabularies.load(name).label(code)


def _choices(choices: type) -> Callable[[str], str]:
    return lambda code: str(dict(choices.choices).get(code, code))  # type: ignore[attr-defined]


_FLAGS = {
    escalation.MORE_OFTEN: gettext_lazy("Incidents more often"),
    escalation.SEVERITY_RISING: gettext_lazy("Severity rising"),
    escalation.REPEATED_PERPETRATOR: gettext_lazy("Repeated perpetrator"),
    escalation.THREAT_THEN_PHYSICAL: gettext_lazy("Threat followed by physical harm"),
    escalation.LIKELY_THREAT: gettext_lazy("Threat assessed as likely"),
}
_PLAN_STATES = {
    "up_to_date": gettext_lazy("Review not yet due"),
    "review_due": gettext_lazy("Review overdue"),
    "early_review": gettext_lazy("Early review asked for"),
}


@dataclass(frozen=True)
class Dimension:
    name: str  # also the filter's name in the URL
    title: Promise
    label: Callable[[str], str]
    several: bool = False  # a record can hold several codes (an incident's types)
    order: Callable[[str], object] | None = None  # default: by label

    def label_of(self, code: str) -> str:
        return _("Not recorded") if code == NOT_RECORDED else str(self.label(code))


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in [
        Dimension("period", gettext_lazy("Period"), _period_label, order=lambda c: c),
        Dimension("country", gettext_lazy("Country"), vocabularies.country_name),
        Dimension("region", gettext_lazy("Region"), vocabularies.subdivision_name),
        Dimension(
            "type", gettext_lazy("Type of incident"), _vocabulary("incident_types"), several=True
        ),
        Dimension(
            "perpetrator",
            gettext_lazy("Type of perpetrator"),
            _vocabulary("perpetrator_types"),
            several=True,
        ),
        Dimension("sector", gettext_lazy("Main sector of work"), _vocabulary("sectors")),
        Dimension("kind", gettext_lazy("Kind of defender"), _choices(DefenderKind)),
        Dimension("gender", gettext_lazy("Gender"), _choices(Gender)),
        Dimension("step", gettext_lazy("Handling"), _choices(Step)),
        Dimension(
            "authority",
            gettext_lazy("Response of the authorities"),
            _vocabulary("authority_responses"),
        ),
        Dimension("band", gettext_lazy("Risk band"), _choices(Band)),
        Dimension("flag", gettext_lazy("Most serious flag"), lambda c: str(_FLAGS.get(c, c))),
        Dimension("plan", gettext_lazy("Plan review"), lambda c: str(_PLAN_STATES.get(c, c))),
        Dimension("status", gettext_lazy("Status of the measure"), _choices(MeasureStatus)),
        Dimension("strategy", gettext_lazy("Strategy"), _choices(Strategy)),
        Dimension("participant_sector", gettext_lazy("Sector of work"), _vocabulary("sectors")),
    ]
}


@dataclass(frozen=True)
class Unit:
    """A kind of record counted; its views' families are released together."""

    name: str
    counted: Promise  # what the numbers count ("incidents")


UNITS = {
    u.name: u
    for u in [
        Unit("incidents", gettext_lazy("incidents")),
        Unit("analyses", gettext_lazy("risk analyses")),
        Unit("escalations", gettext_lazy("cases with escalation flags")),
        Unit("plans", gettext_lazy("current protection plans")),
        Unit("measures", gettext_lazy("measures of current plans")),
        Unit("participants", gettext_lazy("workshop participants")),
    ]
}


@dataclass(frozen=True)
class View:
    slug: str
    title: Promise
    unit: str
    dimensions: tuple[str, ...]  # the family (``region`` is dropped unless the desk shows it)
    charts: tuple[tuple[str, ...], ...]  # each chart's grouping: 1 or 2 dimensions
    summary: Promise


VIEWS: dict[str, View] = {
    v.slug: v
    for v in [
        View(
            "incidents-over-time",
            gettext_lazy("Incidents over time and by place"),
            "incidents",
            ("period", "country", "region"),
            (("period",), ("country",), ("region",)),
            gettext_lazy("When and where the incidents happened (the month, not the day)."),
        ),
        View(
            "incidents-by-type",
            gettext_lazy("Incidents by type"),
            "incidents",
            ("type",),
            (("type",),),
            gettext_lazy("An incident can be of several types: the bars add up to more."),
        ),
        View(
            "incidents-by-perpetrator",
            gettext_lazy("Incidents by type of perpetrator"),
            "incidents",
            ("perpetrator",),
            (("perpetrator",),),
            gettext_lazy("Who the incidents are attributed to, by kind of actor, never by name."),
        ),
        View(
            "incidents-by-defender",
            gettext_lazy("Incidents by who was targeted"),
            "incidents",
            ("kind", "gender"),
            (("kind",), ("gender",), ("kind", "gender")),
            gettext_lazy("The kind and gender of the defenders targeted."),
        ),
        View(
            "incidents-by-sector",
            gettext_lazy("Incidents by sector of work"),
            "incidents",
            ("sector",),
            (("sector",),),
            gettext_lazy(
                "The main sector of work of the defenders targeted (the first of theirs): each "
                "incident counts once. Every combination of sectors would be a group of its own, "
                "too small to show."
            ),
        ),
        View(
            "incidents-handling",
            gettext_lazy("Handling and the authorities' response"),
            "incidents",
            ("step", "authority"),
            (("step",), ("authority",)),
            gettext_lazy(
                "How far the desk has handled each incident, and what the authorities did when "
                "it was reported."
            ),
        ),
        View(
            "risk",
            gettext_lazy("Risk bands over time"),
            "analyses",
            ("band", "period"),
            (("band",), ("period", "band")),
            gettext_lazy("The band of each risk analysis, by when it was made."),
        ),
        View(
            "escalation",
            gettext_lazy("Escalation flags"),
            "escalations",
            ("flag",),
            (("flag",),),
            gettext_lazy(
                "Cases whose incidents raise escalation flags, each under its most serious flag."
            ),
        ),
        View(
            "escalation-over-time",
            gettext_lazy("Escalation over time"),
            "escalations",
            ("period",),
            (("period",),),
            gettext_lazy(
                "Cases with escalation flags, by the month of the latest incident behind them."
            ),
        ),
        View(
            "plans",
            gettext_lazy("Protection plans"),
            "plans",
            ("plan",),
            (("plan",),),
            gettext_lazy("The current plan of each case, by whether its review is due."),
        ),
        View(
            "measures",
            gettext_lazy("Measures of the plans"),
            "measures",
            ("status", "strategy"),
            (("status",), ("strategy",)),
            gettext_lazy("The measures of each case's current plan, by status and strategy."),
        ),
        View(
            "training",
            gettext_lazy("Training reach"),
            "participants",
            ("period", "gender", "participant_sector"),
            (("gender",), ("participant_sector",), ("period",)),
            gettext_lazy(
                "People who took part in the desk's workshops, by when the workshop began."
            ),
        ),
    ]
}


def views_of(unit: str) -> list[View]:
    return [v for v in VIEWS.values() if v.unit == unit]
