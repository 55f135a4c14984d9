"""Hostile or mismatched archives are refused before anything is written."""

import io
import json
import tarfile
from pathlib import Path

import pytest

from protectdesk.backups import archive
from protectdesk.backups.database import Database
from protectdesk.crypto import archive as sealed
from protectdesk.crypto import recovery, stream, userkeys


def _craft(path: Path, members: dict[str, bytes], public_key: bytes) -> None:
    with open(path, "wb") as out:
        key, context = sealed.write_header(out, [public_key])
        encryptor = stream.Encryptor(key, context, out)
        with tarfile.open(fileobj=encryptor, mode="w|") as tar:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        encryptor.finish()


@pytest.fixture
def keys():
    pair = userkeys.generate_keypair()
    return pair, recovery.to_phrase(pair.private_key)


def _target(tmp_path: Path, engine: str = "sqlite") -> archive.RestoreTarget:
    data = tmp_path / "data"
    (data / "files").mkdir(parents=True)
    database = (
        Database("sqlite", path=data / "protectdesk.sqlite3")
        if engine == "sqlite"
        else Database("postgresql", name="never_used")
    )
    return archive.RestoreTarget(database, data, data / "files", data / "secret.key", True)


def test_path_traversal_members_are_refused(tmp_path, keys):
    pair, phrase = keys
    path = tmp_path / "evil.pdbackup"
    _craft(path, {"../../evil.sh": b"#!/bin/sh\n", "manifest.json": b"{}"}, pair.public_key)
    with pytest.raises(archive.BackupError, match="unexpected entry"):
        archive.restore(path, phrase, _target(tmp_path))
    assert not (tmp_path / "evil.sh").exists() and not (tmp_path.parent / "evil.sh").exists()


def test_manifest_mismatch_is_refused(tmp_path, keys):
    pair, phrase = keys
    manifest = {
        "format": 1,
        "engine": "sqlite",
        "database": "database.sqlite3",
        "members": {"secret.key": "0" * 64},
        "tables": {},
    }
    path = tmp_path / "mismatch.pdbackup"
    _craft(
        path,
        {"secret.key": b"x" * 60, "manifest.json": json.dumps(manifest).encode()},
        pair.public_key,
    )
    with pytest.raises(archive.BackupError, match="do not match its manifest"):
        archive.restore(path, phrase, _target(tmp_path))
    assert not (tmp_path / "data" / "protectdesk.sqlite3").exists()


def test_cross_engine_restore_is_refused_clearly(tmp_path, keys):
    import hashlib

    pair, phrase = keys
    secret = b"s" * 60
    manifest = {
        "format": 1,
        "engine": "postgresql",
        "database": "database.pgdump",
        "members": {"secret.key": hashlib.sha256(secret).hexdigest()},
        "tables": {},
    }
    path = tmp_path / "pg.pdbackup"
    _craft(
        path,
        {"secret.key": secret, "manifest.json": json.dumps(manifest).encode()},
        pair.public_key,
    )
    with pytest.raises(archive.BackupError, match="cross-engine restore is not supported"):
        archive.restore(path, phrase, _target(tmp_path))
