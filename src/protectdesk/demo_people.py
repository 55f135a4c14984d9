"""What the demo knows of a defender whose incident log is generated (the people themselves
are in ``demo_people_es_pt`` and ``demo_people_fr_en``; all fictional).

:mod:`protectdesk.demo_generated` opens their cases and writes their incidents from the
templates of their language (``demo_texts_*``). Names of people and organisations are made up
and marked fictional; countries, regions and cities are real, so the statistics and maps mean
something. Collectives come before the individuals who belong to them (``member_of``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from protectdesk.cases.actions import DefenderProfile
from protectdesk.demo_cases import DemoActor
from protectdesk.records.models import CaseStatus


@dataclass(frozen=True)
class DemoDefender:
    """A fictional defender with a generated incident log.

    ``subject`` and ``group`` are how the narratives name them and their collective (see
    :mod:`protectdesk.demo_texts`); ``places`` gives, per kind of place, where incidents happen;
    ``focus`` picks the mix of incident types (``demo_generated.MIXES``); ``tension`` how the
    log reads: *calm* (no threats or physical harm, no actor named twice), *steady*, or
    *escalating* (a sparse past, then a scripted run of worse and worse incidents by the first
    actor in the last three months). ``plan`` picks one of the language's plan templates;
    ``risk`` starts it from a risk analysis, which gives the case a risk band.
    """

    owner: str
    language: str
    profile: DefenderProfile
    staff_notes: str
    subject: str
    group: str
    places: Mapping[str, tuple[str, ...]]  # office | public | road | home → places
    focus: str
    incidents: int
    tension: str = "steady"
    actors: tuple[DemoActor, ...] = ()
    regions: tuple[str, ...] = ()  # other first-level subdivisions some incidents happen in
    also: tuple[str, ...] = ()
    status: str = CaseStatus.OPEN
    member_of: str = ""
    plan: int | None = None
    risk: bool = False
    attachments: int = 0


def places(
    office: tuple[str, ...], public: tuple[str, ...], road: tuple[str, ...], home: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    return {"office": office, "public": public, "road": road, "home": home}
