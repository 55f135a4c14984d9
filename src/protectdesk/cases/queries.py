"""Reads of cases, always scoped to what the viewer may see.

Two kinds of view exist. *Member views* decrypt: they need the viewer's keyring to open the
case and answer 404 otherwise. *Desk views* (the coordinator's overview) read statistical
fields and case references only, and never touch a key.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from protectdesk.accounts.models import ACCOUNT_MANAGERS, User
from protectdesk.cases.models import Defender
from protectdesk.crypto.userkeys import fingerprint
from protectdesk.records.keyring import Keyring, Opened
from protectdesk.records.models import Case, CaseKeyBox, CaseMember, MemberKind


@dataclass(frozen=True)
class CaseCard:
    """A case as a member sees it in lists: the case and its defender, decrypted on access."""

    case: Case
    defender: Opened | None
    kind: str


def member_kind(user: User, case: Case) -> str | None:
    return CaseMember.objects.filter(case=case, user=user).values_list("kind", flat=True).first()


#: Cases on one page of the case list (each card opens its defender's name).
PAGE_SIZE = 50


@dataclass(frozen=True)
class Paged:
    """One page of a list: its number (from 1), how many pages, and the whole list's size."""

    number: int
    pages: int
    total: int


def page_of(total: int, requested: Any) -> Paged:
    """Page ``requested`` (a query-string value: anything not a number is page 1) of ``total``
    items, clamped to the pages there are."""
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        number = int(str(requested))
    except ValueError:
        number = 1
    return Paged(min(max(number, 1), pages), pages, total)


def my_cases(keyring: Keyring, page: Paged | None = None) -> list[CaseCard]:
    """The viewer's cases with their defenders (all, or one ``page``), keys opened in one
    batch."""
    memberships_of = (
        CaseMember.objects.filter(user=keyring.user)
        .select_related("case")
        .order_by("-case__created_at", "case_id")
    )
    if page is not None:
        start = (page.number - 1) * PAGE_SIZE
        memberships_of = memberships_of[start : start + PAGE_SIZE]
    memberships = list(memberships_of)
    cases = [m.case for m in memberships]
    keyring.preload(case.id for case in cases)
    defenders = {d.case_id: d for d in Defender.objects.filter(case_id__in=[c.id for c in cases])}
    cards = []
    for membership in memberships:
        case = membership.case
        if not keyring.can_open(case.id):
            continue
        defender = defenders.get(case.id)
        cards.append(
            CaseCard(case, keyring.opened(defender) if defender else None, membership.kind)
        )
    return cards


def defender_of(keyring: Keyring, case: Case) -> Opened | None:
    defender = Defender.objects.filter(case=case).first()
    return keyring.opened(defender) if defender else None


def members_of(case: Case) -> list[CaseMember]:
    return list(
        CaseMember.objects.filter(case=case)
        .select_related("user")
        .order_by("kind", "user__display_name")
    )


def addable_staff(case: Case) -> list[User]:
    """Active staff of the desk with keys, not yet members."""
    members = CaseMember.objects.filter(case=case).values_list("user_id", flat=True)
    return list(
        User.objects.filter(
            desk_id=case.desk_id, is_active=True, role__in=["admin", "coordinator", "caseworker"]
        )
        .exclude(pk__in=members)
        .exclude(public_key=None)
        .order_by("display_name", "login")
    )


@dataclass(frozen=True)
class DeskRow:
    """A case in the desk overview: statistical fields and the reference, nothing decrypted."""

    case: Case
    defender_kind: str
    country: str
    subdivision: str
    is_member: bool
    member_count: int


def my_case_count(user: User) -> int:
    return CaseMember.objects.filter(user=user).count()


def desk_case_count(viewer: User) -> int:
    return Case.objects.filter(desk_id=viewer.desk_id).count()


def desk_case_counts(viewer: User) -> dict[str, int]:
    """The desk's cases by status (clear fields only)."""
    rows = (
        Case.objects.filter(desk_id=viewer.desk_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {status: n for status, n in rows}


def desk_overview(viewer: User, page: Paged | None = None) -> list[DeskRow]:
    """Every case of the desk (or one ``page`` of them), for coordinators: no names, no keys."""
    if viewer.role not in ACCOUNT_MANAGERS:
        raise PermissionError("the desk overview is for coordinators and administrators")
    shown = Case.objects.filter(desk_id=viewer.desk_id).order_by("-created_at", "id")
    if page is not None:
        start = (page.number - 1) * PAGE_SIZE
        shown = shown[start : start + PAGE_SIZE]
    cases = list(shown)
    ids = [case.id for case in cases]
    defenders = {
        d["case_id"]: d
        for d in Defender.objects.filter(case_id__in=ids).values(
            "case_id", "kind", "country", "subdivision"
        )
    }
    members: dict[uuid.UUID, list[uuid.UUID]] = {}
    for case_id, user_id in CaseMember.objects.filter(
        case_id__in=ids, kind=MemberKind.STAFF
    ).values_list("case_id", "user_id"):
        members.setdefault(case_id, []).append(user_id)
    rows = []
    for case in cases:
        defender: dict[str, Any] = dict(defenders.get(case.id) or {})
        staff = members.get(case.id, [])
        rows.append(
            DeskRow(
                case,
                defender.get("kind", ""),
                defender.get("country", ""),
                defender.get("subdivision", ""),
                viewer.id in staff,
                len(staff),
            )
        )
    return rows


def cases_awaiting_recovery(user: User) -> list[uuid.UUID]:
    """Compartments (cases and workshops) ``user`` is a member of but holds no key for (e.g.
    after a re-invitation): recovery restores them all."""
    member_of = set(CaseMember.compartments.filter(user=user).values_list("case_id", flat=True))
    if not user.public_key:
        return sorted(member_of)
    with_keys = set(
        CaseKeyBox.objects.filter(
            recipient=user,
            case_id__in=member_of,
            recipient_fingerprint=fingerprint(bytes(user.public_key)),
        ).values_list("case_id", flat=True)
    )
    return sorted(member_of - with_keys)


def accounts_awaiting_recovery(viewer: User) -> dict[uuid.UUID, int]:
    """For the staff page: accounts of the desk with cases they cannot open, and how many."""
    result = {}
    for user in User.objects.filter(desk_id=viewer.desk_id, is_active=True).exclude(
        public_key=None
    ):
        waiting = cases_awaiting_recovery(user)
        if waiting:
            result[user.id] = len(waiting)
    return result


def current_consent(keyring: Keyring, case: Case) -> Opened | None:
    from protectdesk.cases.models import Consent

    consent = Consent.objects.filter(case=case).order_by("-created_at").first()
    return keyring.opened(consent) if consent else None


def consent_history(keyring: Keyring, case: Case) -> list[Opened]:
    from protectdesk.cases.models import Consent

    return [
        keyring.opened(c) for c in Consent.objects.filter(case=case).order_by("-created_at")[1:]
    ]


@dataclass(frozen=True)
class LinkView:
    link: Any
    other: Case
    name: str  # empty when the viewer cannot open the other case
    direction: str  # "member_of" or "has_member"


def links_of(keyring: Keyring, case: Case) -> list[LinkView]:
    """Links to and from ``case``; the other defender's name only if the viewer can open it."""
    from protectdesk.cases.models import DefenderLink

    views = []
    links = list(
        DefenderLink.objects.filter(member_case=case).select_related("collective_case")
    ) + list(DefenderLink.objects.filter(collective_case=case).select_related("member_case"))
    others = [
        link.collective_case if link.member_case_id == case.id else link.member_case
        for link in links
    ]
    keyring.preload(other.id for other in others)
    defenders = {d.case_id: d for d in Defender.objects.filter(case__in=others)}
    for link, other in zip(links, others, strict=True):
        name = ""
        if keyring.can_open(other.id) and other.id in defenders:
            name = str(keyring.opened(defenders[other.id]).name)
        direction = "member_of" if link.member_case_id == case.id else "has_member"
        views.append(LinkView(link, other, name, direction))
    return views


def linkable_collectives(keyring: Keyring, case: Case) -> list[tuple[str, str]]:
    """Collective cases the viewer can open, to link an individual to."""
    from protectdesk.cases.models import COLLECTIVE_KINDS

    choices = []
    for card in my_cases(keyring):
        if (
            card.case.id != case.id
            and card.defender is not None
            and card.defender.kind in COLLECTIVE_KINDS
        ):
            choices.append((str(card.case.id), f"{card.defender.name} · {card.case.reference}"))
    return choices
