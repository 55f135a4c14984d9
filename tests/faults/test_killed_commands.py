"""``kill -9`` of the real ``protectdesk`` process in the middle of an import and of a backup.

Each command pauses at a fault-injection point (an environment variable, as the restore's
``PROTECTDESK_RESTORE_PAUSE_AT``), says ``PAUSED`` and is killed with SIGKILL there: no
``finally``, no rollback by Python, only what the database and the file system guarantee.

One small desk (migrated once per module: a case, its defender, a file) is copied for each
test, on the engine under test (a SQLite file, or ``CREATE DATABASE … TEMPLATE`` on
PostgreSQL).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import uuid

import psycopg
import pytest

from tests import canary as scan
from tests.cli import CommandLine, fresh_command_line
from tests.imports.helpers import csv_bytes, row

PASSWORD = "a long coordinator passphrase"
LOGIN = "coord@desk.example"
EVIDENCE = b"the photo of the car, as evidence"

DESK = f"""
from protectdesk.accounts.models import User
from protectdesk.attachments import actions as files
from protectdesk.attachments.uploads import encrypt_bytes
from protectdesk.cases import actions
from protectdesk.crypto import userkeys
from protectdesk.records.keyring import Keyring
user = User.objects.get(login="{LOGIN}")
ring = Keyring(user, userkeys.open_private_key(bytes(user.sealed_private_key), "{PASSWORD}", str(user.id)))
case = actions.open_case(actor=user, keyring=ring, profile=actions.DefenderProfile(
    kind="individual", country="GT", subdivision="GT-16", name="Killed Process Defender"))
files.add_attachment(actor=user, keyring=ring, case=case, record_type="cases.case",
    record_id=case.id, upload=encrypt_bytes("car.txt", {EVIDENCE!r}), staff_only=False)
print("CASE", case.reference)
"""

#: Everything the coordinator can decrypt of the case, as JSON, after ``audit verify`` (which
#: fails the command, so the test, when the chain is broken).
READ = f"""
import json
from django.core.management import call_command
call_command("audit", "verify")
from protectdesk.accounts.models import User
from protectdesk.attachments import queries as aq
from protectdesk.cases.models import Defender
from protectdesk.crypto import userkeys
from protectdesk.incidents.models import Incident
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import Case
user = User.objects.get(login="{LOGIN}")
ring = Keyring(user, userkeys.open_private_key(bytes(user.sealed_private_key), "{PASSWORD}", str(user.id)))
case = Case.objects.get()
files = [b"".join(aq.plaintext(ring, f.attachment)[1]).decode()
         for f in aq.attachments_of(ring, case, "cases.case", case.id)]
print("READ" + json.dumps({{
    "defender": ring.opened(Defender.objects.get(case=case)).name,
    "files": files,
    "narratives": sorted(ring.opened(i).narrative for i in Incident.objects.filter(case=case)),
}}))
"""


def _read(cli: CommandLine) -> dict:
    return json.loads(cli.run("shell", "-c", READ).stdout.split("READ", 1)[1])


@pytest.fixture(scope="module")
def base_desk(tmp_path_factory, django_db_setup, django_db_blocker):
    """One migrated desk for the module's tests to copy (migrating is the slow part)."""
    for cli in fresh_command_line(tmp_path_factory.mktemp("base")):
        cli.run("migrate", "--noinput")
        password = cli.data_dir.parent / "pw"
        password.write_text(PASSWORD + "\n")
        made = cli.run("init", "--desk-name", "Desk", "--country", "GT", "--email", LOGIN,
                       "--password-file", str(password)).stdout.splitlines()  # fmt: skip
        at = next(n for n, line in enumerate(made) if "DESK RECOVERY PHRASE" in line)
        (cli.data_dir.parent / "phrase").write_text(made[at + 2].strip() + "\n")
        reference = cli.run("shell", "-c", DESK).stdout.split("CASE ", 1)[1].split()[0]
        yield cli, reference, password


@pytest.fixture
def desk(base_desk, tmp_path):
    """A copy of the module's desk: its data directory, and its database on the same engine."""
    base, reference, password = base_desk
    data_dir = tmp_path / "data"
    shutil.copytree(base.data_dir, data_dir)
    if base.database_url is None:
        yield CommandLine(data_dir, None), reference, password
        return
    server, base_name = base.database_url.rsplit("/", 1)
    name = f"pd_copy_{uuid.uuid4().hex[:12]}"
    admin = f"{server}/postgres".replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base_name}"')
    try:
        yield CommandLine(data_dir, f"{server}/{name}"), reference, password
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kill_when_paused(process: subprocess.Popen[str], step: str) -> str:
    """Kill ``process`` once it paused at ``step``; what it printed before pausing."""
    if process.stdout is None:
        raise RuntimeError("no stdout to read")
    printed = []
    for line in process.stdout:
        if line.startswith(f"PAUSED {step}"):
            break
        printed.append(line)
    else:
        raise AssertionError(
            f"never paused at {step}: {process.stderr.read() if process.stderr else ''}"
        )
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return "".join(printed)


# --- import ---------------------------------------------------------------------------------

#: With the pause point set, the bulk writer's batches are 5 rows: the kill comes once 5 rows
#: are written inside the import's transaction, before the rest and the commit.
ROWS = 12


def test_a_killed_import_saves_nothing_and_runs_again(desk, tmp_path):
    cli, reference, password = desk
    stories = [scan.canary("killedimport") for _ in range(2)]
    rows = [row(n, case_reference="", narrative=f"{stories[n % 2]} row {n}") for n in range(ROWS)]
    sheet = tmp_path / "incidents.csv"
    sheet.write_bytes(csv_bytes(rows))
    temp = tmp_path / "process-tmp"  # the process's TMPDIR, to see what it leaves there
    temp.mkdir()
    cli.extra_env["TMPDIR"] = str(temp)
    args = ["import", str(sheet), "--as", LOGIN, "--case", reference,
            "--password-file", str(password)]  # fmt: skip
    process = cli.popen(*args, extra_env={"PROTECTDESK_IMPORT_PAUSE_AFTER_ROWS": "5"})
    _kill_when_paused(process, "5")

    # All or nothing: nothing of the rows written before the kill is there.
    killed = _read(cli)
    assert killed["narratives"] == [], "a killed import left half its rows"
    assert killed["defender"] == "Killed Process Defender" and killed["files"] == [
        EVIDENCE.decode()
    ]
    # No plaintext left behind: not in the process's temp dir, not in the data directory.
    left = {**scan.files_under(temp, since=0), **scan.files_under(cli.data_dir, since=0)}
    assert not scan.find(stories, b"".join(left.values()))

    again = cli.run(*args)
    assert f"Imported {ROWS} incidents." in again.stdout
    narratives = _read(cli)["narratives"]
    assert len(narratives) == ROWS and len(set(narratives)) == ROWS
    assert f"{stories[1]} row {ROWS - 1}" in narratives


# --- backup ---------------------------------------------------------------------------------


def test_a_killed_backup_leaves_no_archive_and_the_next_one_restores(base_desk, desk, tmp_path):
    cli, _reference, _password = desk
    phrase = base_desk[0].data_dir.parent / "phrase"
    folder = tmp_path / "backups"
    folder.mkdir()
    # Killed once the dump is in the archive, then once the whole archive is written (not yet
    # renamed into place): neither leaves anything under the archive's name, and each backup
    # deletes the .partial the one before it left.
    stale = None
    for step in ("database", "written"):
        killed = folder / f"killed-at-{step}.pdbackup"
        process = cli.popen("backup", "--output", str(killed),
                            extra_env={"PROTECTDESK_BACKUP_PAUSE_AT": step})  # fmt: skip
        printed = _kill_when_paused(process, step)
        assert stale is None or f"Deleted {stale}" in printed
        assert not killed.exists(), f"a backup killed at {step} left an archive under its name"
        stale = folder / f"{killed.name}.partial"
        assert stale.exists()  # what a kill leaves behind
        assert sorted(p.name for p in folder.iterdir()) == [stale.name]

    archive = folder / "after.pdbackup"
    done = cli.run("backup", "--output", str(archive))
    assert "Backup written" in done.stdout and f"Deleted {stale}" in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["after.pdbackup"]

    for target in fresh_command_line(tmp_path / "target"):
        target.run("restore", str(archive), "--phrase-file", str(phrase))
        assert _read(target) == _read(cli)  # each also verifies its audit chain


def test_the_clean_up_spares_the_partial_archive_of_a_backup_still_running(tmp_path):
    """The lock is what tells a dead backup's ``.partial`` from a live one's."""
    import fcntl
    import os

    from protectdesk.management.commands.backup import remove_stale_partials

    live, dead = tmp_path / "live.pdbackup.partial", tmp_path / "dead.pdbackup.partial"
    live.write_bytes(b"PDBK being written")
    dead.write_bytes(b"PDBK killed half way")
    fd = os.open(live, os.O_WRONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a backup holds its file while it writes
        assert remove_stale_partials(tmp_path) == [dead]
        assert live.exists() and not dead.exists()
    finally:
        os.close(fd)  # the writer is gone: its file is now a dead one
    assert remove_stale_partials(tmp_path) == [live]
