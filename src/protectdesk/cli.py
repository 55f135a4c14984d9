"""The ``protectdesk`` command: the project's commands plus every Django management command.

protectdesk serve          run the app (gunicorn; runserver when PROTECTDESK_DEBUG=1) and
                           its background worker (--no-worker to run the worker elsewhere)
protectdesk worker         the background-job worker alone (serve starts one)
protectdesk init           create the database, the first desk and its coordinator
protectdesk demo           create the demo desk (fictional people only)
protectdesk audit verify   verify the audit chain [--head SEQ:HASH]
protectdesk check          Django's deployment checks plus the project's own
protectdesk library bundle --language es   the published library as a zip of offline pages
protectdesk <command>      any other Django management command (migrate, shell, ...)
"""

from __future__ import annotations

import os
import sys

from protectdesk.lib.env import use_private_umask


def main(argv: list[str] | None = None) -> None:
    # Before anything can create a file: the database, its WAL, logs, keys and backups that
    # any command writes are the service user's only (security.md: a shared or seized server).
    use_private_umask()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protectdesk.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "check":
        args = [args[0], "check", "--deploy", "--fail-level", "WARNING", *args[2:]]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
