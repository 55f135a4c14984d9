"""``protectdesk worker``: run background jobs (``protectdesk serve`` starts one for you).

It is the database backend's own worker loop (``db_worker``'s) in a process that is also a job
worker in the sense of :mod:`protectdesk.records.jobs`: at start it registers itself and
publishes one-time public keys whose private halves it keeps in memory only, so the keys a job
needs reach it sealed to a key that dies with the job (or with this process). It takes tasks
from the default queue and from a queue of its own; while it runs, a heartbeat thread keeps it
known as alive and tops its keys up. Stop it with SIGTERM or Ctrl+C: a rotation under way stops
after its current batch, and its page asks to resume it from the case page.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from protectdesk.lib.env import use_private_umask
from protectdesk.records import jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background jobs (key rotations started from the web)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run the jobs already waiting, then exit"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue"
        )
        # Set by `protectdesk serve`: exit when that process is gone, even if it was killed.
        parser.add_argument("--parent", type=int, default=0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        # The CLI sets it already; again here for a worker started through call_command or
        # django-admin: whatever this process writes (logs, SQLite's WAL) is private.
        use_private_umask()
        identity = jobs.start_worker()
        heartbeat = None if options["batch"] else _Heartbeat(options["parent"])
        daily = None if options["batch"] else _DailyFlags()
        for thread in (heartbeat, daily):
            if thread is not None:
                thread.start()
        try:
            loop = _Loop(
                queue_names=[DEFAULT_TASK_QUEUE_NAME, identity.queue],
                interval=options["interval"],
                batch=options["batch"],
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=False,
                max_tasks=None,
                worker_id=str(identity.id),
                excluded_queue_names=[],
            )
            loop.configure_signals()
            loop.run()
        finally:
            for thread in (heartbeat, daily):
                if thread is not None:
                    thread.stop()
            jobs.stop_worker()


class _Loop(Worker):
    """The backend's worker loop (``db_worker``; no reloader: a child would not hold our keys).

    On SIGTERM or Ctrl+C the loop stops after the task under way; a job under way is told too,
    and stops at the end of its current batch instead of running to the end (rotation resumes).
    """

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        jobs.request_stop()
        super().shutdown(signum, frame)


class _Heartbeat(threading.Thread):
    """Says every few seconds that the worker is alive; stops the worker if its parent died."""

    def __init__(self, parent: int) -> None:
        super().__init__(name="protectdesk-job-heartbeat", daemon=True)
        self._parent = parent
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=5)

    def run(self) -> None:
        ticks = 0
        try:
            while not self._stopping.wait(1.0):
                if self._parent and os.getppid() != self._parent:
                    # `protectdesk serve` is gone: stop as if it had asked (the main thread's
                    # handler lets the job under way finish).
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                ticks += 1
                if ticks % jobs.HEARTBEAT_SECONDS:
                    continue
                try:
                    jobs.heartbeat()
                except DatabaseError as error:  # a busy database: try again next time
                    logger.warning("job worker heartbeat failed: %s", type(error).__name__)
        finally:
            connection.close()  # this thread's own connection


class _DailyFlags(threading.Thread):
    """Stores every case's escalation flags again when the date changes.

    The flags' windows ("the last 30 days") move with the calendar, and the desk-wide views read
    the rows stored today (``threats.queries.standing_today``), computing the others fresh; so
    once a day, in the background, every row is brought to today (``protectdesk serve`` did it
    at start). A busy database is tried again a minute later.
    """

    CHECK_SECONDS = 60.0

    def __init__(self) -> None:
        super().__init__(name="protectdesk-daily-flags", daemon=True)
        self._stopping = threading.Event()
        self._done_for = timezone.localdate()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=5)

    def run(self) -> None:
        try:
            while not self._stopping.wait(self.CHECK_SECONDS):
                self.tick()
        finally:
            connection.close()

    def tick(self) -> bool:
        """Refresh if the date changed since the last refresh; True when it refreshed."""
        from protectdesk.threats import actions as threat_actions

        today = timezone.localdate()
        if today == self._done_for:
            return False
        try:
            cases, flagged = threat_actions.refresh_all_flags()
        except DatabaseError as error:
            logger.warning("refreshing the flags failed: %s", type(error).__name__)
            return False
        self._done_for = today
        logger.info("flags refreshed for %s: %d cases, %d flagged", today, cases, flagged)
        return True
