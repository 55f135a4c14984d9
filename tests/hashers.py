from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2Hasher(Argon2PasswordHasher):
    """Minimum cost: for tests only."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
