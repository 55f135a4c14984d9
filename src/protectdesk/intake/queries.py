"""What the case page shows of the reports that came through the public form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protectdesk.attachments import queries as attachment_queries
from protectdesk.attachments.actions import AttachmentCard
from protectdesk.intake.models import ReceivedReport
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case


@dataclass(frozen=True)
class ReceivedRow:
    report: Any  # the opened record (keyring.opened)
    files: list[AttachmentCard]


def received_reports(keyring: Keyring, case: Case) -> list[ReceivedRow]:
    if not keyring.has_staff_key(case.id):
        return []
    return [
        ReceivedRow(
            keyring.opened(report),
            attachment_queries.attachments_of(keyring, case, "intake.receivedreport", report.id),
        )
        for report in ReceivedReport.objects.filter(case=case)
    ]
