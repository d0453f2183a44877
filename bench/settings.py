"""Settings for the in-process app benchmark: the test settings on a database that persists.

The seeded rows must outlive one process (seeding 100,000 students once, then
measuring), so the database is an SQLite file under bench/work/ (one per size,
chosen with BENCH_SQLITE_PATH) or, with BENCH_DB=postgres, the PostgreSQL
database in DATABASE_URL. Everything else is project.settings.test.
"""

import os

from project.settings.test import *  # noqa: F403
from project.settings.test import BASE_DIR, database_from_env

DEBUG = False
DATABASES = {
    "default": database_from_env(
        f"sqlite:///{os.environ.get('BENCH_SQLITE_PATH', BASE_DIR / 'bench/work/bench.sqlite3')}"
    )
}
# Seeded users must also log in under the production settings (no MD5 there),
# so the seed hashes with PBKDF2; MD5 stays first for anything the tests do.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Live static-file rescanning is a test/dev convenience, not part of a request's cost.
WHITENOISE_AUTOREFRESH = False
