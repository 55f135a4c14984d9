"""The demo desk's observatory: two countries' protection instruments (fictional summaries of
the kind of instruments States adopt, not accounts of real ones), assessed twice for one of
them so the history shows change."""

from __future__ import annotations

import datetime

from protectdesk import vocabularies
from protectdesk.accounts.models import User
from protectdesk.advocacy import actions

#: (country, kind, title, status, adopted on, summary, assessments: [(day, {criterion: score})])
INSTRUMENTS = [
    (
        "GT",
        "policy",
        "Public policy for the protection of defenders (fictional)",
        "in_force",
        datetime.date(2023, 3, 1),
        "Sets up an inter-institutional table and a risk assessment unit; no budget line.",
        [
            (datetime.date(2024, 2, 1), {"legal_basis": 1, "budget": 0, "participation": 2}),
            (datetime.date(2026, 2, 1), {"legal_basis": 2, "budget": 1, "participation": 3}),
        ],
    ),
    (
        "GT",
        "mechanism",
        "Unit for the analysis of attacks against defenders (fictional)",
        "in_force",
        datetime.date(2021, 6, 15),
        "Police-led unit: escorts and patrols; collective and differential measures absent.",
        [(datetime.date(2026, 2, 1), {"integral_approach": 0, "collective_protection": 0})],
    ),
    (
        "HN",
        "law",
        "Law for the protection of defenders, journalists and justice operators (fictional)",
        "in_force",
        datetime.date(2015, 5, 15),
        "A national protection system with a council in which civil society takes part.",
        [(datetime.date(2026, 3, 10), {"legal_basis": 4, "participation": 3, "impunity": 1})],
    ),
]


def create_observatory(coordinator: User) -> int:
    criteria = sorted(vocabularies.load("policy_criteria").codes())
    for country, kind, title, status, adopted, summary, assessments in INSTRUMENTS:
        instrument = actions.save_instrument(
            actor=coordinator,
            data=actions.InstrumentData(country, kind, title, status, adopted, summary),
        )
        for day, scores in assessments:
            actions.assess(
                actor=coordinator,
                instrument=instrument,
                scores={
                    code: (scores.get(code, 2), "Fictional demo reasoning.") for code in criteria
                },
                assessed_on=day,
            )
    return len(INSTRUMENTS)
