"""Writing and restoring backup archives.

Inside the encryption, the archive is a tar stream of:

* ``database.sqlite3`` or ``database.pgdump`` — a consistent dump (see :mod:`.database`);
* ``files/<case>/<attachment>.<generation>`` — the attachments, already encrypted;
* ``files/library/<version>.<sha256 prefix>`` — the public library's files (public by design,
  so stored in clear like its text; inside the archive they are encrypted with everything else);
* ``secret.key`` — the server secret (it keys the audit chain);
* ``manifest.json`` — last: engine, the SHA-256 of every member, and every table's checksum.

Restore runs in two passes. The first decrypts and checks everything (every chunk, every
member's hash against the manifest, the final tag) and writes nothing. The second writes a
staging copy, verifies the restored tables against the manifest's checksums, moves the files
into place (invisible until a database refers to them), then commits with one atomic step: a
rename of the SQLite file, or ``ALTER DATABASE … RENAME`` on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from psycopg import sql

from protectdesk.backups import database as db
from protectdesk.backups.progress import Progress
from protectdesk.crypto import archive, recovery, stream
from protectdesk.lib.env import open_private

FORMAT = 1
_FILE_MEMBER = re.compile(
    r"^files/(?:[0-9a-f-]{36}/[0-9a-f-]{36}\.[0-9]+|library/[0-9a-f-]{36}\.[0-9a-f]{32})$"
)
_FIXED_MEMBERS = {"database.sqlite3", "database.pgdump", "secret.key", "manifest.json"}
_BLOCK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that must stop; the message is for the operator."""


Checkpoint = Callable[[str], None]


def _no_checkpoint(step: str) -> None:
    return None


# --- writing --------------------------------------------------------------------------------


def _add(tar: tarfile.TarFile, name: str, data: bytes | IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, 0, 0o600
    tar.addfile(info, io.BytesIO(data) if isinstance(data, bytes) else data)


class _HashingReader:
    def __init__(self, source: BinaryIO, progress: Progress) -> None:
        self.source, self.progress, self.sha = source, progress, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha.update(data)
        self.progress.advance(len(data))
        return data


def create(
    out: BinaryIO,
    *,
    source: db.Database,
    files_dir: Path,
    secret: str,
    recipients: list[bytes],
    progress_out: Any = None,
    checkpoint: Checkpoint | None = None,
) -> dict[str, Any]:
    """Write one archive to ``out``; returns the manifest.

    ``checkpoint`` is called with ``"database"`` once the dump is written and ``"written"`` once
    the whole archive is (the interruption test pauses there to kill the process).
    """
    checkpoint = checkpoint or _no_checkpoint
    snap = db.snapshot(source)
    files = sorted(
        p
        for p in files_dir.rglob("*")
        if p.is_file() and _FILE_MEMBER.match(p.relative_to(files_dir.parent).as_posix())
    )
    total = len(snap.data) + sum(p.stat().st_size for p in files)
    progress = Progress("Backing up", total, progress_out)
    key, context = archive.write_header(out, recipients)
    encryptor = stream.Encryptor(key, context, out)
    members: dict[str, str] = {}
    with tarfile.open(fileobj=encryptor, mode="w|") as tar:  # type: ignore[call-overload]
        _add(tar, snap.filename, snap.data, len(snap.data))
        members[snap.filename] = hashlib.sha256(snap.data).hexdigest()
        progress.advance(len(snap.data))
        checkpoint("database")
        for path in files:
            name = path.relative_to(files_dir.parent).as_posix()
            with open(path, "rb") as handle:
                reader = _HashingReader(handle, progress)
                _add(tar, name, reader, path.stat().st_size)  # type: ignore[arg-type]
            members[name] = reader.sha.hexdigest()
        secret_bytes = secret.encode("utf-8")
        _add(tar, "secret.key", secret_bytes, len(secret_bytes))
        members["secret.key"] = hashlib.sha256(secret_bytes).hexdigest()
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": source.engine,
            "database": snap.filename,
            "members": members,
            "tables": snap.checksums,
        }
        raw = json.dumps(manifest, indent=1, sort_keys=True).encode()
        _add(tar, "manifest.json", raw, len(raw))
    encryptor.finish()
    progress.finish()
    checkpoint("written")
    return manifest


# --- reading --------------------------------------------------------------------------------


@dataclass
class Verified:
    manifest: dict[str, Any]
    sizes: dict[str, int] = field(default_factory=dict)


def _members(source: BinaryIO, private_key: bytes) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    key, context = archive.open_header(source, private_key)
    reader = stream.DecryptingReader(key, context, source)
    with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
        for info in tar:
            if not info.isfile() or not (
                info.name in _FIXED_MEMBERS or _FILE_MEMBER.match(info.name)
            ):
                raise BackupError(
                    f"the archive holds an unexpected entry ({info.name[:60]!r}); refusing it"
                )
            handle = tar.extractfile(info)
            if handle is None:
                raise RuntimeError("handle is not set (a bug, not bad input)")
            yield info, handle
    # Drain to the final chunk (a truncated archive raises StreamError here). Tar pads its
    # stream with zero blocks to a full record; anything else after the end is refused.
    while rest := reader.read(_BLOCK):
        if rest.strip(b"\0"):
            raise BackupError("the archive has data after its end")


def verify(path: Path, private_key: bytes) -> Verified:
    """Pass 1: read and authenticate the whole archive, check every member against the manifest."""
    hashes: dict[str, str] = {}
    sizes: dict[str, int] = {}
    manifest: dict[str, Any] | None = None
    with open(path, "rb") as source:
        for info, handle in _members(source, private_key):
            if info.name == "manifest.json":
                manifest = json.loads(handle.read())
                continue
            sha = hashlib.sha256()
            while block := handle.read(_BLOCK):
                sha.update(block)
            hashes[info.name], sizes[info.name] = sha.hexdigest(), info.size
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError("the archive has no manifest of a known format")
    if hashes != manifest["members"]:
        raise BackupError("the archive's contents do not match its manifest")
    return Verified(manifest, sizes)


# --- restoring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreTarget:
    database: db.Database
    data_dir: Path
    files_dir: Path
    secret_path: Path  # where the server secret is read from
    secret_is_default: bool  # True when the secret lives in the data dir (no explicit file)


@dataclass
class RestoreReport:
    tables: int
    files: int
    secret_note: str = ""
    tokens_dropped: int = 0


#: Tables emptied in the restored database before it is made visible (child tables first).
NOT_RESTORED = ("api_tokenkey", "api_token")


def restore(
    path: Path,
    phrase: str,
    target: RestoreTarget,
    *,
    force: bool = False,
    checkpoint: Checkpoint = _no_checkpoint,
    progress_out: Any = None,
) -> RestoreReport:
    private_key = recovery.from_phrase(phrase)
    verified = verify(path, private_key)
    manifest = verified.manifest
    checkpoint("verified")
    if manifest["engine"] != target.database.engine:
        raise BackupError(
            f"this backup is from {manifest['engine']} and the target is {target.database.engine}: "
            "restore into the same kind of database (cross-engine restore is not supported)"
        )
    if db.has_tables(target.database) and not force:
        raise BackupError("the target database is not empty; use --force to replace it")
    staging_dir = target.data_dir / ".restore"
    shutil.rmtree(staging_dir, ignore_errors=True)
    staging_dir.mkdir(mode=0o700)
    staging_db = _staging_database(target.database, staging_dir)
    progress = Progress("Restoring", sum(verified.sizes.values()), progress_out)
    moved: list[tuple[Path, Path]] = []
    secret = b""
    with open(path, "rb") as source:
        for info, handle in _members(source, private_key):
            if info.name == manifest["database"]:
                data = handle.read()
                if staging_db.engine == "sqlite":
                    if staging_db.path is None:
                        raise RuntimeError("staging_db.path is not set (a bug, not bad input)")
                    db.load_sqlite(data, staging_db.path)
                else:
                    db.load_pg(data, staging_db)
                progress.advance(len(data))
            elif info.name == "secret.key":
                secret = handle.read()
                progress.advance(len(secret))
            elif info.name.startswith("files/"):
                staged = staging_dir / info.name
                staged.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                with open_private(staged) as out:
                    while block := handle.read(_BLOCK):
                        out.write(block)
                        progress.advance(len(block))
                    out.flush()
                    os.fsync(out.fileno())
                moved.append((staged, target.files_dir / info.name.removeprefix("files/")))
    progress.finish()
    checkpoint("staged")
    if db.checksums(staging_db) != manifest["tables"]:
        raise BackupError(
            "the restored tables do not match the backup's checksums; nothing was changed"
        )
    checkpoint("checked")
    # API tokens are never restored: one revoked since the backup was made (with its copy of
    # its owner's private key) would work again. Their owners make new ones.
    tokens = db.empty_tables(staging_db, NOT_RESTORED)
    # Files first: without a database that refers to them they are inert ciphertext.
    for staged, final in moved:
        final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.replace(staged, final)
    checkpoint("files-moved")
    note = _install_secret(secret, target)
    _commit(staging_db, target.database, force)
    checkpoint("committed")
    shutil.rmtree(staging_dir, ignore_errors=True)
    return RestoreReport(
        tables=len(manifest["tables"]), files=len(moved), secret_note=note, tokens_dropped=tokens
    )


def _staging_database(target: db.Database, staging_dir: Path) -> db.Database:
    if target.engine == "sqlite":
        return db.Database("sqlite", path=staging_dir / "protectdesk.sqlite3")
    staging = target.named(f"{target.name}__restoring")
    with target.connect_pg("postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(staging.name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(staging.name)))
    return staging


def _commit(staging: db.Database, target: db.Database, force: bool) -> None:
    """The one atomic step that makes the restored data visible."""
    if target.engine == "sqlite":
        if staging.path is None:
            raise RuntimeError("staging.path is not set (a bug, not bad input)")
        if target.path is None:
            raise RuntimeError("target.path is not set (a bug, not bad input)")
        if force:
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{target.path}{suffix}").unlink(missing_ok=True)
        os.replace(staging.path, target.path)
        return
    with target.connect_pg("postgres") as conn:
        if db.pg_exists(target, target.name):
            if db.has_tables(target):
                aside = f"{target.name}__before_restore_{int(time.time())}"
                conn.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                        sql.Identifier(target.name), sql.Identifier(aside)
                    )
                )
            else:
                conn.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(target.name))
                )
        conn.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(staging.name), sql.Identifier(target.name)
            )
        )


def _install_secret(secret: bytes, target: RestoreTarget) -> str:
    if not secret:
        return ""
    current = target.secret_path.read_bytes().strip() if target.secret_path.exists() else b""
    if current == secret.strip():
        return ""
    if target.secret_is_default:
        temp = target.secret_path.with_suffix(".restoring")
        _write_private(temp, secret.strip() + b"\n")
        os.replace(temp, target.secret_path)
        return f"The server secret from the backup is now in {target.secret_path}."
    saved = target.data_dir / "secret-from-backup.key"
    _write_private(saved, secret.strip() + b"\n")
    return (
        f"The backup's server secret differs from {target.secret_path}; it was saved to {saved}. "
        "Point PROTECTDESK_SECRET_KEY_FILE at it, or `audit verify` will report the chain as altered."
    )


def _write_private(path: Path, data: bytes) -> None:
    """The server secret is never readable by others, not even while it is being written."""
    with open_private(path) as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
