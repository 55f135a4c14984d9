"""Password hashing: Django's Argon2 hasher with explicit, pinned parameters.

RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes). The test settings use a
cheaper subclass; ``tests/accounts/test_passwords.py`` pins these production values.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ProtectDeskArgon2Hasher(Argon2PasswordHasher):
    time_cost = 3
    memory_cost = 64 * 1024  # KiB
    parallelism = 4
