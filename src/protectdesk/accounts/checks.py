"""The project's own deployment checks, run by ``protectdesk check`` (Django's ``--deploy``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from protectdesk.crypto.kdf import PRODUCTION_KDF

#: Any permission for the group or other users.
_NOT_OWNER = stat.S_IRWXG | stat.S_IRWXO


def _exposed_in(data_dir: Path) -> list[str]:
    """Paths under the data directory (relative, sorted) that others than its owner can use.

    One ``lstat`` per entry: fine for a command run by hand, even over many attachments.
    """
    exposed = []
    for root, dirs, files in os.walk(data_dir):
        for name in [*dirs, *files]:
            path = Path(root) / name
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:  # a temporary file that went away meanwhile
                continue
            if not stat.S_ISLNK(mode) and mode & _NOT_OWNER:
                exposed.append(path.relative_to(data_dir).as_posix())
    return sorted(exposed)


@register(Tags.security, deploy=True)
def deployment_checks(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if not os.environ.get("PROTECTDESK_SECRET_KEY_FILE"):
        problems.append(
            Warning(
                "The secret key was generated into the data directory.",
                hint="Create a key file outside the data directory (and outside backups' reach) "
                "and point PROTECTDESK_SECRET_KEY_FILE at it.",
                id="protectdesk.W001",
            )
        )
    if settings.SECRET_KEY_PATH.exists():
        mode = settings.SECRET_KEY_PATH.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            problems.append(
                Warning(
                    "The secret key file is readable by other users.",
                    hint=f"chmod 600 {settings.SECRET_KEY_PATH}",
                    id="protectdesk.W002",
                )
            )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(
            Error(
                "PROTECTDESK_ALLOWED_HOSTS contains '*'.",
                hint="List the host names the desk is reached by.",
                id="protectdesk.E001",
            )
        )
    if not settings.HTTPS and not settings.ONION:
        problems.append(
            Warning(
                "Neither HTTPS nor onion-service mode is set.",
                hint="Serve behind an HTTPS reverse proxy and set PROTECTDESK_HTTPS=1, or as an onion "
                "service and set PROTECTDESK_ONION=1.",
                id="protectdesk.W003",
            )
        )
    if settings.DATA_DIR.exists() and settings.DATA_DIR.stat().st_mode & _NOT_OWNER:
        problems.append(
            Warning(
                "The data directory is accessible to its group or to other users.",
                hint=f"chmod 700 {settings.DATA_DIR}",
                id="protectdesk.W004",
            )
        )
    exposed = _exposed_in(settings.DATA_DIR)
    if exposed:
        problems.append(
            Warning(
                f"{len(exposed)} files or folders in the data directory are accessible to their "
                f"group or to other users: {', '.join(exposed[:3])}"
                + (", ..." if len(exposed) > 3 else "."),
                hint=f"chmod -R go-rwx {settings.DATA_DIR}, and give whatever created them the "
                "umask 077 that protectdesk's own commands and server use.",
                id="protectdesk.W005",
            )
        )
    kdf = settings.PROTECTDESK_KDF
    if kdf.opslimit < PRODUCTION_KDF.opslimit or kdf.memlimit < PRODUCTION_KDF.memlimit:
        problems.append(
            Error(
                "Argon2id parameters for private keys are below the production minimum.",
                hint="Do not run real desks with test settings.",
                id="protectdesk.E002",
            )
        )
    return problems
