"""The demo desk's public form and what came through it, written through the intake's actions.

Fictional reports. The coordinator opens the form and gives the intake key to the first
caseworker. Two people reported: one in Spanish, about threats to a water committee, with a
photo (cleaned of its metadata like any upload), not answered yet; one in English, from a
journalist's colleague, with a reply from the desk and an answer. The receipts are not kept
(nobody can open these two from the public side): try the form itself to see that side.
"""

from __future__ import annotations

import uuid

from protectdesk.accounts.models import User
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.demo_plans import demo_image
from protectdesk.intake import actions
from protectdesk.records.keyring import Keyring

REPORTS = (
    (
        actions.Report(
            what=(
                "Desde el lunes, dos hombres en moto vigilan la casa del comité de agua. Ayer "
                "dejaron un papel en la puerta: «dejen de meterse con el proyecto». (ficticio)"
            ),
            when="Lunes y martes de esta semana, en la tarde",
            where="Aldea Las Flores, cerca del tanque comunitario",
            who="La presidenta del comité de agua y su hija. Los hombres no son de la aldea.",
            contact="Por medio de la parroquia, preguntar por doña Elena (ficticio)",
        ),
        True,
        (),
    ),
    (
        actions.Report(
            what=(
                "A colleague who covers the mine has had her phone stolen twice and now gets "
                "calls at night from a hidden number. She asked me to write. (fictional)"
            ),
            where="The provincial capital",
            who="A local radio journalist; I do not want to give her name here yet.",
        ),
        False,
        (
            (None, "Thank you for writing. Would your colleague speak to us on Signal?"),
            ("person", "Yes. She will write from the number she uses for work."),
        ),
    ),
)


def create_intake(coordinator: User, coordinator_keyring: Keyring, caseworker: User) -> None:
    door = actions.open_door(actor=coordinator)
    actions.give_key(keyring=coordinator_keyring, user_ids=[caseworker.pk])
    for report, photo, messages in REPORTS:
        uploads = [encrypt_bytes("nota-en-la-puerta.png", demo_image())] if photo else []
        received = actions.receive(
            desk_id=door.desk_id, report=report, uploads=uploads, form_token=str(uuid.uuid4())
        )
        submission = received.submission
        for author, text in messages:
            if author is None:
                submission.refresh_from_db()
                actions.reply(
                    actor=coordinator,
                    submission=submission,
                    text=text,
                    expected_version=submission.row_version,
                )
            else:
                actions.answer(desk_id=door.desk_id, receipt=received.receipt, text=text)
