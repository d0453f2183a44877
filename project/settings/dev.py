"""Local development: `make run` serves this on an SQLite file."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
