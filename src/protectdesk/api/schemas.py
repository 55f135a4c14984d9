"""The shapes the API reads and writes (pydantic, through django-ninja): the OpenAPI schema is
generated from these, so what the documentation says is what the code does."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Schema
from pydantic import Field


class Term(Schema):
    code: str
    label: str = Field(
        description="In the caller's language (Accept-Language, else the account's)."
    )
    extra: dict[str, Any] = Field(
        default_factory=dict, description="The vocabulary's own data: HURIDOCS code, severity."
    )


class VocabularySummary(Schema):
    name: str
    terms: int


class Vocabulary(Schema):
    name: str
    terms: list[Term]


class StatisticsView(Schema):
    slug: str
    title: str
    counts: str = Field(description="What the numbers count (incidents, risk analyses, ...).")
    dimensions: list[str]


class Group(Schema):
    codes: list[str]
    labels: list[str]
    count: int


class StatisticsTable(Schema):
    by: list[str]
    groups: list[Group]
    total: int


class StatisticsResult(Schema):
    view: StatisticsView
    scope: str = Field(description="own: the desk's records; network: the pooled desks'.")
    smallest_group: int = Field(description="k: no published group is smaller.")
    withheld: int | None = Field(
        description="Records withheld because their groups were too small (in the network "
        "pool only 0 or null: “some”)."
    )
    filters: dict[str, list[str]]
    tables: list[StatisticsTable]


class Defender(Schema):
    kind: str
    country: str
    subdivision: str
    sectors: list[str]
    name: str = Field(description="Decrypted with the token's keys.")


class Case(Schema):
    id: uuid.UUID
    reference: str
    status: str
    opened: str = Field(description="The month the case was opened, YYYY-MM.")
    membership: str = Field(description="staff, or defender (the defender's own account).")
    defender: Defender | None


class IncidentSummary(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    title: str
    when: str = Field(description="YYYY-MM-DD, YYYY-MM or YYYY: as precisely as it is known.")
    country: str
    subdivision: str
    types: list[str]
    nature: str
    severity: int
    step: str
    reported_by_defender: bool
    version: int = Field(description="The row version: it changes with every edit.")


class Incident(IncidentSummary):
    exact_time: str
    place: str
    narrative: str
    consequences: str
    affected: list[str]
    authority_response: str
    authority_details: str
    reaction: str
    analysis: str | None = Field(description="Staff only: null for the defender's own account.")


class IncidentIn(Schema):
    """A new incident. Codes come from the vocabularies (/api/v1/vocabularies/). The defender's own
    account sends only title, when, place, types, nature, narrative and consequences."""

    title: str
    when: str = Field(description="YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, MM/YYYY or YYYY.")
    narrative: str
    types: list[str] = Field(description="Codes of the incident_types vocabulary.")
    nature: str = Field("physical", description="physical or digital.")
    country: str = Field("", description="ISO 3166-1 alpha-2; the case's country if empty.")
    subdivision: str = Field("", description="ISO 3166-2 code of the region.")
    exact_time: str = Field("", description="HH:MM.")
    place: str = ""
    consequences: str = ""
    affected: list[str] = Field(default_factory=list)
    authority_response: str = Field("not_reported", description="authority_responses code.")
    authority_details: str = ""
    reaction: str = ""
    analysis: str = ""
    severity: int | None = Field(None, description="1–5; derived from the types if null.")


MOST_PER_PAGE = 100
#: No list is this long; a larger page number is refused, not sent to the database.
MOST_PAGES = 100_000


class Paging(Schema):
    page: int = Field(1, ge=1, le=MOST_PAGES, description="Which page, from 1.")
    page_size: int = Field(50, ge=1, le=MOST_PER_PAGE, description="Items a page, at most 100.")


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page of ``item``: the items, where this page is, and links to its neighbours."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "items": list[item],  # type: ignore[valid-type]
                "page": int,
                "page_size": int,
                "total": int,
                "next": str | None,
                "previous": str | None,
            }
        },
    )


CasePage = page_of(Case, "CasePage")
IncidentPage = page_of(IncidentSummary, "IncidentPage")


class ProblemError(Schema):
    pointer: str = Field(description="A JSON Pointer into the body (#/title) or a parameter name.")
    detail: str


class Problem(Schema):
    """RFC 9457 problem details (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[ProblemError] = Field(default_factory=list)
