"""``protectdesk cleanup``: remove what must not outlive its time (run it from cron, hourly).

* sessions past their idle expiry, with the wrapped private keys they hold;
* the wrapped private keys of expired, unused defender invitations (and their unused accounts).

``protectdesk serve`` also runs it when it starts; sign-ins sweep expired sessions as they go.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from protectdesk.accounts import actions


class Command(BaseCommand):
    help = "Delete expired sessions and the keys of expired invitations."

    def handle(self, *args: Any, **options: Any) -> None:
        sessions = actions.clear_expired_sessions()
        invitations = actions.expire_invitations()
        self.stdout.write(
            f"Removed {sessions} expired sessions; closed {invitations} expired invitations."
        )
