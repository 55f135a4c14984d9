"""The ``protectdesk`` command as an installer and operator would run it."""

import pytest

from tests.cli import fresh_command_line

pytestmark = (
    pytest.mark.django_db
)  # only so PostgreSQL settings are read; commands use their own DB


@pytest.fixture
def cli(tmp_path):
    yield from fresh_command_line(tmp_path)


def test_demo_then_audit_verify_then_tamper(cli):
    cli.run("migrate", "--noinput")
    out = cli.run("demo", "--if-empty").stdout
    for login in [
        "admin@demo.example",
        "coordinator@demo.example",
        "caseworker@demo.example",
        "caseworker2@demo.example",
        "demo-defender",
    ]:
        assert login in out
    assert "Demo desk already exists" not in out
    again = cli.run("demo").stdout
    assert "already exists" in again  # idempotent
    verified = cli.run("audit", "verify")
    assert verified.returncode == 0 and "OK:" in verified.stdout
    head = verified.stdout.split("Head: ")[1].split()[0]
    assert cli.run("audit", "verify", "--head", head).returncode == 0

    cli.sql("UPDATE audit_auditentry SET action = 'logout' WHERE seq = 2")
    broken = cli.run("audit", "verify", check=False)
    assert broken.returncode == 1
    assert "entry 2" in broken.stderr


def test_init_with_password_file_prints_the_recovery_phrase_once(cli, tmp_path):
    password_file = tmp_path / "pw"
    password_file.write_text("a long coordinator passphrase\n")
    result = cli.run(
        "init",
        "--desk-name",
        "Mesa de Protección",
        "--country",
        "gt",
        "--email",
        "coord@desk.example",
        "--name",
        "Coord",
        "--password-file",
        str(password_file),
    )
    assert "RECOVERY PHRASE" in result.stdout and "the data is gone" in result.stdout
    phrase_line = result.stdout.split("=" * 69)[2].strip().splitlines()[0]
    assert len(phrase_line.split()) == 11
    again = cli.run(
        "init",
        "--desk-name",
        "x",
        "--country",
        "GT",
        "--email",
        "a@b.example",
        "--password-file",
        str(password_file),
        check=False,
    )
    assert again.returncode != 0 and "already has a desk" in again.stderr
    # The phrase is never stored anywhere in the data directory.
    for path in cli.data_dir.rglob("*"):
        if path.is_file():
            assert phrase_line.replace(" ", "").encode() not in path.read_bytes().replace(b" ", b"")


def test_init_refuses_bad_input_clearly(cli, tmp_path):
    password_file = tmp_path / "pw"
    password_file.write_text("short\n")
    result = cli.run(
        "init",
        "--desk-name",
        "D",
        "--country",
        "GT",
        "--email",
        "c@d.example",
        "--password-file",
        str(password_file),
        check=False,
    )
    assert result.returncode != 0 and "too short" in result.stderr
    result = cli.run(
        "init",
        "--desk-name",
        "D",
        "--country",
        "XX",
        "--email",
        "c@d.example",
        "--password-file",
        str(password_file),
        check=False,
    )
    assert result.returncode != 0 and "not an ISO 3166-1" in result.stderr


def test_password_is_never_a_flag(cli):
    result = cli.run("init", "--password", "x", check=False)
    assert result.returncode != 0


def test_deployment_check_fails_in_development_and_passes_when_configured(cli, tmp_path):
    dev = cli.run("check", check=False)
    assert dev.returncode != 0
    assert "protectdesk.W001" in dev.stderr and "protectdesk.W003" in dev.stderr
    key_file = tmp_path / "secret.key"
    key_file.write_text("k" * 20 + "-production-secret-" + "z" * 40)
    key_file.chmod(0o600)
    cli.data_dir.chmod(0o700)
    cli.extra_env.update(
        PROTECTDESK_SECRET_KEY_FILE=str(key_file),
        PROTECTDESK_HTTPS="1",
        PROTECTDESK_ALLOWED_HOSTS="desk.example.org",
    )
    production = cli.run("check", check=False)
    assert production.returncode == 0, production.stderr
    cli.extra_env.pop("PROTECTDESK_HTTPS")
    cli.extra_env["PROTECTDESK_ONION"] = "1"
    onion = cli.run("check", check=False)
    assert onion.returncode == 0, onion.stderr


def test_other_django_commands_stay_reachable(cli):
    result = cli.run("showmigrations", "audit")
    assert "0001_initial" in result.stdout


REINVITE = """
from protectdesk.accounts import actions
from protectdesk.accounts.models import User
coordinator = User.objects.get(login="coordinator@demo.example")
user = User.objects.get(login="caseworker@demo.example")
invitation, token = actions.invite(actor=coordinator, role=user.role, login=user.login, user=user)
actions.accept_invitation(invitation=invitation, token=token, password="caseworker new passphrase", display_name="Camilo")
"""

CAN_OPEN = """
from protectdesk.accounts.models import User
from protectdesk.records.keyring import Keyring
from protectdesk.records.models import CaseMember
from protectdesk.crypto import userkeys
user = User.objects.get(login="caseworker@demo.example")
key = userkeys.open_private_key(bytes(user.sealed_private_key), "caseworker new passphrase", str(user.id))
ring = Keyring(user, key)
cases = [m.case_id for m in CaseMember.objects.filter(user=user)]
print("OPEN", sum(ring.can_open(c) for c in cases), "OF", len(cases))
"""


def test_recover_restores_access_from_the_command_line(cli, tmp_path):
    cli.run("migrate", "--noinput")
    cli.run("demo")
    phrase = (cli.data_dir / "demo-recovery-phrase.txt").read_text().splitlines()[1]
    cli.run("shell", "-c", REINVITE)
    locked = cli.run("shell", "-c", CAN_OPEN).stdout
    total = int(locked.split("OPEN 0 OF ")[1].split()[0])
    assert total >= 3
    password_file, phrase_file = tmp_path / "pw", tmp_path / "phrase"
    password_file.write_text("protect-demo-2026\n")
    phrase_file.write_text("not a phrase\n")
    args = [
        "recover",
        "--as",
        "coordinator@demo.example",
        "--user",
        "caseworker@demo.example",
        "--password-file",
        str(password_file),
        "--phrase-file",
        str(phrase_file),
    ]
    wrong = cli.run(*args, check=False)
    assert wrong.returncode != 0 and "typo" in wrong.stderr
    phrase_file.write_text(phrase + "\n")
    # The demo caseworker also trains the Río Verde workshop: a compartment recovered with them.
    assert f"Access restored to {total} cases. And to 1 workshop." in cli.run(*args).stdout
    assert f"OPEN {total} OF {total}" in cli.run("shell", "-c", CAN_OPEN).stdout
    assert cli.run("audit", "verify").returncode == 0


def test_audit_verify_fails_on_an_emptied_log_once_a_desk_exists(cli, tmp_path):
    cli.run("migrate", "--noinput")
    fresh = cli.run("audit", "verify")  # never initialised: nothing to have lost yet
    assert fresh.returncode == 0 and "OK: 0 entries" in fresh.stdout
    cli.init_desk(tmp_path)
    assert cli.run("audit", "verify").returncode == 0
    cli.sql("DELETE FROM audit_auditentry")
    emptied = cli.run("audit", "verify", check=False)
    assert emptied.returncode == 1 and "OK:" not in emptied.stdout
    assert "the audit log is empty" in emptied.stderr
    cli.sql("DELETE FROM audit_audithead")
    truncated = cli.run("audit", "verify", check=False)
    assert truncated.returncode == 1 and "the audit log is empty" in truncated.stderr
