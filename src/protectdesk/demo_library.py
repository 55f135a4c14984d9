"""The demo desk's library: a dozen short guides in four languages (``demo_library_texts``),
written through the library's own actions; eleven published, one left a draft."""

from __future__ import annotations

import datetime

from protectdesk.accounts.models import User
from protectdesk.demo_library_texts import TEXTS
from protectdesk.library import actions

#: slug → (kind, audience, topics, licence, published on; None: left a draft)
RESOURCES: dict[str, tuple[str, str, tuple[str, ...], str, datetime.date | None]] = {
    "risk-in-three-questions": (
        "guide",
        "defenders",
        ("risk_analysis",),
        "cc-by-4.0",
        datetime.date(2025, 3, 10),
    ),
    "reading-a-threat": (
        "guide",
        "defenders",
        ("threat_assessment",),
        "cc-by-4.0",
        datetime.date(2025, 4, 2),
    ),
    "after-an-incident": (
        "tool",
        "organisations",
        ("incidents",),
        "cc-by-sa-4.0",
        datetime.date(2025, 5, 20),
    ),
    "phones-at-checkpoints": (
        "guide",
        "defenders",
        ("digital_security",),
        "cc-by-4.0",
        datetime.date(2025, 6, 14),
    ),
    "rest-is-protection": (
        "guide",
        "defenders",
        ("wellbeing",),
        "cc-by-nc-sa-4.0",
        datetime.date(2025, 7, 1),
    ),
    "a-plan-on-one-page": (
        "tool",
        "organisations",
        ("protection_plans",),
        "cc0-1.0",
        datetime.date(2025, 8, 19),
    ),
    "turning-the-wheel": (
        "tool",
        "organisations",
        ("security_wheel",),
        "cc-by-4.0",
        datetime.date(2025, 9, 9),
    ),
    "knowing-the-mechanisms": (
        "manual",
        "networks",
        ("legal_protection",),
        "cc-by-4.0",
        datetime.date(2025, 10, 27),
    ),
    "community-alert-networks": (
        "guide",
        "communities",
        ("collective_protection",),
        "cc-by-sa-4.0",
        datetime.date(2026, 1, 15),
    ),
    "women-defenders-risks": (
        "report",
        "organisations",
        ("gender", "risk_analysis"),
        "cc-by-4.0",
        datetime.date(2026, 3, 8),
    ),
    "documenting-for-later": (
        "manual",
        "defenders",
        ("incidents", "legal_protection"),
        "cc-by-4.0",
        datetime.date(2026, 6, 30),
    ),
    "safe-meetings": ("guide", "communities", ("collective_protection",), "cc-by-4.0", None),
}
#: Resources that come with a file: the text again as a checklist to print.
WITH_FILE = {"after-an-incident": "checklist", "a-plan-on-one-page": "plan"}


def create_library(coordinator: User, author: User) -> int:
    """Write the demo library as ``author`` (a caseworker) and publish it as ``coordinator``;
    returns how many resources were written."""
    for slug, (kind, audience, topics, licence, published_on) in RESOURCES.items():
        versions = []
        for language, (title, summary, body) in TEXTS[slug].items():
            upload = None
            if slug in WITH_FILE:
                content = f"{title}\n\n{body}\n".encode()
                upload = actions.Upload(
                    f"{WITH_FILE[slug]}-{language}.txt", len(content), [content]
                )
            versions.append((actions.VersionData(language, title, summary, body), upload))
        actions.create_with_versions(
            author=author,
            data=actions.ResourceData(slug, kind, audience, topics, licence, published_on),
            versions=versions,
            publisher=coordinator if published_on is not None else None,
        )
    return len(RESOURCES)
