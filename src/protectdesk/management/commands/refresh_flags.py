"""``protectdesk refresh_flags``: store every case's escalation flags as of today (run it daily).

The flags are stored whenever an incident or an assessment is saved; their windows ("the last
30 days") move with the calendar, so a case nobody wrote to keeps yesterday's flags until this
runs. Pages compute the flags fresh anyway; the stored rows are what statistics read. No key is
needed: the stored flags come from statistical fields only (``threats.queries.escalation_now``).
``protectdesk serve`` also runs it when it starts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from protectdesk.threats import actions


class Command(BaseCommand):
    help = "Store every case's escalation flags as of today."

    def handle(self, *args: Any, **options: Any) -> None:
        cases, flagged = actions.refresh_all_flags()
        self.stdout.write(f"Flags stored for {cases} cases; {flagged} flagged.")
