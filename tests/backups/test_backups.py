"""Backups: encrypted, sealed to the recovery key, restored byte-for-byte and atomically."""

import json
import signal

import pytest

from protectdesk.backups.database import Database
from tests.cli import fresh_command_line

pytestmark = pytest.mark.django_db  # commands use their own databases; this reads the engine

PASSWORD = "protect-demo-2026"

#: Prints, as JSON, everything each demo account can decrypt: names, notes, files' plaintext.
DECRYPT_ALL = r"""
import hashlib, json
from protectdesk.accounts.models import User
from protectdesk.attachments import queries as aq
from protectdesk.cases import queries
from protectdesk.records.keyring import Keyring
from protectdesk.crypto import userkeys
result = {}
for login in ["caseworker@demo.example", "caseworker2@demo.example", "coordinator@demo.example", "demo-defender"]:
    user = User.objects.get(login=login)
    ring = Keyring(user, userkeys.open_private_key(bytes(user.sealed_private_key), "protect-demo-2026", str(user.id)))
    seen = []
    for card in queries.my_cases(ring):
        case = card.case
        files = []
        for f in aq.attachments_of(ring, case, "cases.case", case.id):
            _card, chunks = aq.plaintext(ring, f.attachment)
            files.append([f.name, hashlib.sha256(b"".join(chunks)).hexdigest()])
        notes = ring.opened(case).staff_notes if ring.has_staff_key(case.id) else None
        seen.append([case.reference, card.defender.name, card.defender.contacts, notes, sorted(files)])
    result[login] = sorted(seen)
print("DECRYPTED" + json.dumps(result, sort_keys=True))
"""


def _decrypted(cli) -> dict:
    out = cli.run("shell", "-c", DECRYPT_ALL).stdout
    return json.loads(out.split("DECRYPTED", 1)[1])


def _database(cli) -> Database:
    if cli.database_url:
        from urllib.parse import urlparse

        url = urlparse(cli.database_url)
        return Database(
            "postgresql",
            name=url.path.lstrip("/"),
            host=url.hostname or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "",
        )
    return Database("sqlite", path=cli.data_dir / "protectdesk.sqlite3")


@pytest.fixture
def source(tmp_path):
    for cli in fresh_command_line(tmp_path / "source"):
        cli.run("migrate", "--noinput")
        cli.run("demo")
        yield cli


@pytest.fixture
def target(tmp_path):
    yield from fresh_command_line(tmp_path / "target")


@pytest.fixture
def archive_and_phrase(source, tmp_path):
    archive = tmp_path / "demo.pdbackup"
    result = source.run("backup", "--output", str(archive))
    assert "Backup written" in result.stdout
    phrase = tmp_path / "phrase"
    phrase.write_text(
        (source.data_dir / "demo-recovery-phrase.txt").read_text().splitlines()[1] + "\n"
    )
    return archive, phrase


def test_round_trip_restores_every_record_and_file(source, target, archive_and_phrase):
    from protectdesk.backups.database import checksums

    archive, phrase = archive_and_phrase
    before = _decrypted(source)
    assert sum(len(v) for v in before.values()) >= 6 and any(
        c[4] for v in before.values() for c in v
    ), "demo has cases and files"
    result = target.run("restore", str(archive), "--phrase-file", str(phrase))
    assert "verified against the backup's checksums" in result.stdout
    assert _decrypted(target) == before
    source_sums, target_sums = checksums(_database(source)), checksums(_database(target))
    # The source gained one audit entry after the snapshot (the "backup created" record).
    assert {t: s for t, s in source_sums.items() if not t.startswith("audit_")} == {
        t: s for t, s in target_sums.items() if not t.startswith("audit_")
    }
    assert target.run("audit", "verify").returncode == 0
    # Encrypted files are byte-for-byte the same.
    for path in (source.data_dir / "files").rglob("*"):
        if path.is_file():
            assert (
                target.data_dir / "files" / path.relative_to(source.data_dir / "files")
            ).read_bytes() == path.read_bytes()


def test_the_archive_is_ciphertext(archive_and_phrase):
    archive, _phrase = archive_and_phrase
    data = archive.read_bytes()
    assert data.startswith(b"PDBK")
    for clear in [
        b"fictional",
        b"Fernanda",
        b"SQLite format",
        b"PGDMP",
        b"manifest",
        b"audit_auditentry",
    ]:
        assert clear not in data


def test_restore_refuses_a_non_empty_target_without_force(source, archive_and_phrase):
    archive, phrase = archive_and_phrase
    refused = source.run("restore", str(archive), "--phrase-file", str(phrase), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    forced = source.run("restore", str(archive), "--phrase-file", str(phrase), "--force")
    assert "Restored" in forced.stdout


def test_wrong_phrase_and_tampering_touch_nothing(target, archive_and_phrase, tmp_path):
    archive, phrase = archive_and_phrase
    from protectdesk.crypto import recovery, userkeys

    stranger = tmp_path / "stranger"
    stranger.write_text(recovery.to_phrase(userkeys.generate_keypair().private_key) + "\n")
    wrong = target.run("restore", str(archive), "--phrase-file", str(stranger), check=False)
    assert wrong.returncode != 0 and "does not open this backup" in wrong.stderr
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 1
    tampered = tmp_path / "tampered.pdbackup"
    tampered.write_bytes(bytes(data))
    bad = target.run("restore", str(tampered), "--phrase-file", str(phrase), check=False)
    assert bad.returncode != 0 and "cannot be opened" in bad.stderr
    truncated = tmp_path / "truncated.pdbackup"
    truncated.write_bytes(archive.read_bytes()[:-100])
    cut = target.run("restore", str(truncated), "--phrase-file", str(phrase), check=False)
    assert cut.returncode != 0 and "cannot be opened" in cut.stderr
    assert (
        _database(target).engine != "sqlite"
        or not (target.data_dir / "protectdesk.sqlite3").exists()
    )
    from protectdesk.backups.database import has_tables

    assert not has_tables(_database(target))
    assert not list((target.data_dir / "files").rglob("*.*"))


@pytest.mark.parametrize("step", ["verified", "staged", "checked", "files-moved", "committed"])
def test_a_killed_restore_leaves_the_target_untouched_or_complete(
    source, target, archive_and_phrase, step
):
    from protectdesk.backups.database import has_tables

    archive, phrase = archive_and_phrase
    process = target.popen(
        "restore",
        str(archive),
        "--phrase-file",
        str(phrase),
        extra_env={"PROTECTDESK_RESTORE_PAUSE_AT": step},
    )
    line = process.stdout.readline()
    assert line.strip() == f"PAUSED {step}", process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    database = _database(target)
    if step == "committed":
        assert has_tables(database)
        assert target.run("audit", "verify").returncode == 0
        # Complete means everything: every account reads all it read in the source.
        assert _decrypted(target) == _decrypted(source)
    else:
        assert not has_tables(database), f"half-restored after being killed at {step}"
    # Whatever happened, running the restore again completes it (stale staging is cleared).
    again = target.run(
        "restore",
        str(archive),
        "--phrase-file",
        str(phrase),
        *(["--force"] if step == "committed" else []),
    )
    assert "Restored" in again.stdout
    assert target.run("audit", "verify").returncode == 0
    assert not (target.data_dir / ".restore").exists()
