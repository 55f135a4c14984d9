"""Test settings: the real settings with cheap key stretching and an isolated data directory."""

import os
import tempfile

# Each test process (and xdist worker) gets its own data directory: files, logs, secret key.
os.environ["PROTECTDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="pd-test-")
os.environ.pop("PROTECTDESK_SECRET_KEY_FILE", None)

from protectdesk.crypto.kdf import MINIMUM_KDF
from protectdesk.settings import *  # noqa: F403
from protectdesk.settings import DATA_DIR, DATABASES

# Cheap Argon2 for speed; tests/accounts/test_passwords.py pins the production parameters.
PASSWORD_HASHERS = ["tests.hashers.FastArgon2Hasher"]
PROTECTDESK_KDF = MINIMUM_KDF

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A real file (not :memory:) so canary tests can read the database and its WAL from disk.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

# The test suite's own throwaway module: proof that a module is only its declarations
# (tests/notes, tests/records/test_floor.py). Installing an app is the one line outside it.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.notes"]  # noqa: F405
