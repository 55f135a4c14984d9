"""``protectdesk serve``: the production WSGI server (gunicorn), or runserver in debug mode.

Beside it, as a child process, the background-job worker (``protectdesk worker``), stopped
when the server stops; ``--no-worker`` leaves that to you (e.g. a separate service).
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from protectdesk.lib.env import PRIVATE_UMASK


class Command(BaseCommand):
    help = "Serve Protection Desk (gunicorn; Django's runserver when PROTECTDESK_DEBUG=1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="host:port (default 127.0.0.1:8000)"
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background-job worker (run `protectdesk worker` yourself)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date. Run: protectdesk migrate")
        from protectdesk.accounts import actions as account_actions
        from protectdesk.accounts import setup

        account_actions.clear_expired_sessions()
        account_actions.expire_invitations()
        from protectdesk.threats import actions as threat_actions

        threat_actions.refresh_all_flags()  # the windows moved while the server was down

        token = setup.issue_token()
        if token:
            self.stdout.write(
                f"\n  This database has no desk yet. Create it in your browser at\n"
                f"    http://{options['bind']}/setup/{token}/\n"
                f"  (or stop the server and run: protectdesk init)\n\n"
            )
        connections.close_all()  # gunicorn forks; no connection may cross the fork
        worker = None if options["no_worker"] else start_worker()
        try:
            if settings.DEBUG:
                call_command("runserver", options["bind"], use_reloader=False)
            else:
                _Gunicorn(options).run()
        finally:
            stop_worker(worker)


#: How long a stopping worker may take to finish the batch it is converting (then: SIGKILL; the
#: rotation resumes from its last saved batch all the same).
WORKER_STOP_SECONDS = 30


def start_worker() -> subprocess.Popen[bytes]:
    """``protectdesk worker`` as a child process.

    In a session of its own, so a Ctrl+C meant for the server reaches it once, from us (a
    second signal would stop the job under way at once); ``--parent`` makes it exit should this
    process be killed without a chance to stop it.
    """
    return subprocess.Popen(  # noqa: S603 - our own interpreter and entry point, fixed arguments
        [sys.executable, "-m", "protectdesk.cli", "worker", "--parent", str(os.getpid())],
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    """Ask the worker to stop (a job under way stops after its current batch), then insist."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class _Gunicorn:
    def __init__(self, options: dict[str, Any]) -> None:
        from gunicorn.app.base import BaseApplication

        class Application(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", [options["bind"]])
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("timeout", 120)
                # No access log: request lines are not needed and should not pile up anywhere.
                self.cfg.set("accesslog", None)
                self.cfg.set("errorlog", "-")
                self.cfg.set("proc_name", "protectdesk")
                # Gunicorn's own umask (default 0) applies to what it creates itself, such as a
                # unix socket; private like everything else, so a proxy that runs as another
                # user connects over TCP.
                self.cfg.set("umask", PRIVATE_UMASK)
                # No runtime-management socket: one less thing listening on a desk's server.
                if "control_socket_disable" in self.cfg.settings:
                    self.cfg.set("control_socket_disable", True)

            def load(self) -> Any:
                from protectdesk.wsgi import application

                return application

        self._app = Application()

    def run(self) -> None:
        self._app.run()
