"""A restore never brings a token back: one revoked since the backup was made would otherwise
open its owner's cases again (security.md, "The JSON API")."""

from __future__ import annotations

from tests.backups.test_backups import source, target  # noqa: F401 - fixtures

MAKE_TOKEN = """
from protectdesk.accounts.models import User
from protectdesk.api import actions
from protectdesk.crypto import userkeys
user = User.objects.get(login="caseworker@demo.example")
key = userkeys.open_private_key(bytes(user.sealed_private_key), "protect-demo-2026", str(user.id))
print(actions.create_token(actor=user, scope="read", days=7, private_key=key).text)
"""
COUNT = "from protectdesk.api.models import Token, TokenKey; print(Token.objects.count(), TokenKey.objects.count())"


def _last_line(result) -> str:
    """What the shell printed last (it may first say what it imported)."""
    return result.stdout.strip().splitlines()[-1]


def test_a_restored_desk_has_no_tokens(source, target, tmp_path):  # noqa: F811 - fixtures
    assert _last_line(source.run("shell", "-c", MAKE_TOKEN)).startswith("pd1_")
    assert _last_line(source.run("shell", "-c", COUNT)).split() == ["1", "1"]
    archive = tmp_path / "with-token.pdbackup"
    assert "Backup written" in source.run("backup", "--output", str(archive)).stdout
    phrase = tmp_path / "phrase"
    phrase.write_text(
        (source.data_dir / "demo-recovery-phrase.txt").read_text().splitlines()[1] + "\n"
    )
    restored = target.run("restore", str(archive), "--phrase-file", str(phrase))
    assert "API tokens were not restored" in restored.stdout
    assert _last_line(target.run("shell", "-c", COUNT)).split() == ["0", "0"]
    assert target.run("audit", "verify").returncode == 0
