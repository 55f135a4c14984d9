"""Everything the desk writes is for the service user only: files 0600, directories 0700."""

import logging
import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from protectdesk.accounts.checks import deployment_checks
from protectdesk.lib.logs import PrivateRotatingFileHandler
from tests.cli import fresh_command_line, on_postgresql

pytestmark = (
    pytest.mark.django_db
)  # only so PostgreSQL settings are read; commands use their own DB


@pytest.fixture
def permissive_umask():
    """The 022 most shells start with: the desk must not rely on its caller's umask."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def cli(tmp_path, permissive_umask):
    yield from fresh_command_line(tmp_path)


def _exposed(root):
    """Every path under ``root`` its group or other users could read, write or enter."""
    return sorted(
        f"{path.relative_to(root)} {oct(stat.S_IMODE(path.lstat().st_mode))}"
        for path in root.rglob("*")
        if stat.S_IMODE(path.lstat().st_mode) & 0o077
    )


def test_init_and_backup_write_nothing_others_can_read(cli, tmp_path):
    cli.init_desk(tmp_path)
    cli.run("backup")
    written = {path.relative_to(cli.data_dir).as_posix() for path in cli.data_dir.rglob("*")}
    assert {"secret.key", "logs/protectdesk.log", "files", "backups"} <= written
    if not on_postgresql():
        assert "protectdesk.sqlite3" in written
    assert any(name.endswith(".pdbackup") for name in written)
    assert _exposed(cli.data_dir) == []


def test_files_left_open_by_an_earlier_version_are_tightened(cli, tmp_path):
    cli.init_desk(tmp_path)
    loose = [
        cli.data_dir / "secret.key",
        cli.data_dir / "logs" / "protectdesk.log",
        *cli.data_dir.glob("protectdesk.sqlite3*"),
    ]
    for path in loose:
        path.chmod(0o644)
    for directory in ("files", "logs", "static"):
        (cli.data_dir / directory).chmod(0o755)
    cli.run("audit", "verify")  # any command will do
    assert _exposed(cli.data_dir) == []


def test_sqlite_gives_its_wal_and_shm_the_database_files_mode(tmp_path, permissive_umask):
    # What the settings rely on: once the database file is 0600, so are the files beside it.
    path = tmp_path / "db.sqlite3"
    path.touch(mode=0o600)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        assert {p.name for p in tmp_path.iterdir()} >= {"db.sqlite3-wal", "db.sqlite3-shm"}
        assert _exposed(tmp_path) == []
    finally:
        conn.close()


def test_rotated_logs_stay_private(tmp_path, permissive_umask):
    handler = PrivateRotatingFileHandler(str(tmp_path / "app.log"), maxBytes=100, backupCount=2)
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "x" * 60, None, None)
    try:
        for _ in range(5):
            handler.emit(record)
    finally:
        handler.close()
    assert len(list(tmp_path.glob("app.log*"))) == 3
    assert _exposed(tmp_path) == []


def test_deployment_check_names_what_others_can_read(settings, tmp_path):
    data_dir = tmp_path / "data"
    (data_dir / "logs").mkdir(parents=True, mode=0o700)
    data_dir.chmod(0o700)
    log = data_dir / "logs" / "protectdesk.log"
    log.write_text("")
    log.chmod(0o600)
    settings.DATA_DIR = data_dir

    def ids():
        return {problem.id for problem in deployment_checks()}

    assert not {"protectdesk.W004", "protectdesk.W005"} & ids()
    log.chmod(0o640)
    (exposed,) = [problem for problem in deployment_checks() if problem.id == "protectdesk.W005"]
    assert "logs/protectdesk.log" in exposed.msg
    log.chmod(0o600)
    data_dir.chmod(0o750)
    assert "protectdesk.W004" in ids()


def test_the_wsgi_module_sets_the_private_umask_first(cli):
    # For a server run straight from gunicorn or uWSGI, without `protectdesk serve`.
    script = "import os, protectdesk.wsgi; print(oct(os.umask(0)))"
    result = subprocess.run(
        [sys.executable, "-c", script], env=cli.env(), capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0o77"
    assert _exposed(cli.data_dir) == []


def test_gunicorn_is_configured_with_the_private_umask():
    from protectdesk.management.commands.serve import _Gunicorn

    server = _Gunicorn({"bind": "127.0.0.1:0", "workers": 1, "threads": 1})
    assert server._app.cfg.umask == 0o077
