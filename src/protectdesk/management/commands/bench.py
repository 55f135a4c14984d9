"""``protectdesk bench generate|run``: synthetic desks and the benchmarks measured on them.

protectdesk bench generate --tier S|M --as LOGIN [--password-file FILE] [--seed N]
    fill this (fresh) database with a tier of fictional desks, acting as LOGIN, the first
    desk's coordinator; every generated account gets LOGIN's password.
protectdesk bench run --tier S|M [--postgres URL] [--no-load] [--samples N]
    make the databases it needs (in its own folder, or on the PostgreSQL server at URL),
    measure the pages and write bench/results/ (see protectdesk.benchmarks.run).
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from protectdesk.management.passwords import read_password, signed_in


class Command(BaseCommand):
    help = "Generate benchmark data (bench generate) or run the benchmarks (bench run)."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        generate = verbs.add_parser("generate", help="fill a fresh database with a tier")
        generate.add_argument("--tier", choices=("S", "M"), required=True)
        generate.add_argument("--as", dest="login", required=True, help="the coordinator")
        generate.add_argument("--password-file")
        generate.add_argument("--seed", type=int, default=1)
        generate.add_argument(
            "--anchor", type=date.fromisoformat, default=None, help="last day of the log"
        )
        run = verbs.add_parser("run", help="measure the pages of a tier (and S, for growth)")
        run.add_argument("--tier", choices=("S", "M"), required=True)
        run.add_argument("--postgres", default="", help="postgres://… server for that half")
        run.add_argument("--samples", type=int, default=0, help="timed requests per page")
        run.add_argument("--no-load", action="store_true", help="skip the locust load run")
        run.add_argument("--keep", action="store_true", help="reuse generated databases")
        measure = verbs.add_parser("measure", help=None)  # the runner's child process
        measure.add_argument("--tier", choices=("S", "M"), required=True)
        measure.add_argument("--samples", type=int, default=20)
        measure.add_argument("--password-file", required=True)
        measure.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "generate":
            self._generate(options)
        elif verb == "run":
            import psycopg

            from protectdesk.benchmarks import run

            if options["postgres"] and not options["postgres"].startswith(
                ("postgres://", "postgresql://")
            ):
                raise CommandError("--postgres takes a URL: postgres://user@host:port/database")
            try:
                run.main(
                    tier=options["tier"],
                    postgres=options["postgres"],
                    samples=options["samples"],
                    load=not options["no_load"],
                    keep=options["keep"],
                    out=sys.stdout,
                )
            except psycopg.OperationalError as error:
                raise CommandError(f"The PostgreSQL server did not answer: {error}") from None
            except (RuntimeError, OSError) as error:
                raise CommandError(f"The benchmark run stopped: {error}") from None
        else:
            from protectdesk.benchmarks import pages

            pages.measure_here(
                tier=options["tier"],
                samples=options["samples"],
                password=read_password(options["password_file"], ""),
                out_path=options["out"],
            )

    def _generate(self, options: dict[str, Any]) -> None:
        from protectdesk.benchmarks.generate import TIERS, BenchError, Generator

        password = read_password(options["password_file"], "Your password: ")
        actor, _keyring = signed_in(options["login"], None, password)
        try:
            summary = Generator(
                actor, password, TIERS[options["tier"]], options["seed"], options["anchor"]
            ).run()
        except BenchError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Tier {options['tier']}: {summary.desks} desks, {summary.staff} staff, "
            f"{summary.cases:,} cases, {summary.incidents:,} incidents, {summary.plans} plans, "
            f"{summary.analyses} risk analyses, {summary.assessments} threat assessments, "
            f"{summary.files} files in {summary.seconds:.0f} s "
            f"({summary.rate:,.0f} incidents/s)."
        )
