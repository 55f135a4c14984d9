"""``protectdesk init``: create the database, the first desk and its first coordinator."""

from __future__ import annotations

import sys
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from protectdesk.accounts import actions
from protectdesk.accounts.models import Desk
from protectdesk.management.passwords import read_password
from protectdesk.management.recovery_notice import print_recovery_phrase


class Command(BaseCommand):
    help = "Create the database, the first desk and its first coordinator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--desk-name")
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code, e.g. GT")
        parser.add_argument(
            "--prefix", help="case reference prefix, e.g. GT (default: the country)"
        )
        parser.add_argument(
            "--languages", default="en,es,fr,pt", help="working languages, comma-separated"
        )
        parser.add_argument("--email", help="the coordinator's sign-in e-mail")
        parser.add_argument("--name", default="", help="the coordinator's display name")
        parser.add_argument(
            "--password-file", help="read the coordinator's password from this file"
        )
        parser.add_argument(
            "--no-staff-2fa", action="store_true", help="do not require 2FA for staff"
        )

    def _ask(self, value: str | None, prompt: str) -> str:
        if value:
            return value
        if not sys.stdin.isatty():
            raise CommandError(
                f"missing {prompt.lower()} (give it as an option when not at a terminal)"
            )
        return input(f"{prompt}: ").strip()

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if Desk.objects.exists():
            raise CommandError("this database already has a desk; nothing to initialise")
        name = self._ask(options["desk_name"], "Desk name")
        country = self._ask(options["country"], "Country (ISO code, e.g. GT)").upper()
        if pycountry.countries.get(alpha_2=country) is None:
            raise CommandError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        unknown = set(languages) - {code for code, _ in settings.LANGUAGES}
        if unknown or not languages:
            raise CommandError("languages must be among en, es, fr, pt")
        email = self._ask(options["email"], "Coordinator e-mail")
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address") from None
        password = read_password(
            options["password_file"], "Coordinator password (12 characters or more): ", confirm=True
        )
        try:
            created = actions.create_desk(
                name=name,
                country=country,
                languages=languages,
                reference_prefix=options["prefix"] or country,
                require_staff_2fa=not options["no_staff_2fa"],
                coordinator_login=email,
                coordinator_name=options["name"],
                coordinator_password=password,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Desk created. Sign in as {created.coordinator.login}.")
        )
        print_recovery_phrase(self.stdout, created.recovery_phrase)
