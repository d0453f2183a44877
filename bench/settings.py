"""The test settings on a database that outlives a process: an SQLite file per size
(BENCH_SQLITE_PATH) or the PostgreSQL database in DATABASE_URL (BENCH_DB=postgres)."""

import os

from project.settings.test import *  # noqa: F403
from project.settings.test import BASE_DIR, database_from_env

DEBUG = False
DATABASES = {"default": database_from_env(f"sqlite:///{os.environ.get('BENCH_SQLITE_PATH', BASE_DIR / 'bench.db')}")}
# Seeded users must also log in under the production settings (no MD5 there),
# so the seed hashes with PBKDF2; MD5 stays first for anything the tests do.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Live static-file rescanning is a test/dev convenience, not part of a request's cost.
WHITENOISE_AUTOREFRESH = False
