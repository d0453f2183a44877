"""The one place for test settings: fast, quiet, deterministic."""

import os

from .base import *  # noqa: F403
from .base import LOGGING, TEMPLATES, database_from_env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# In-memory SQLite unless DATABASE_URL points the suite at PostgreSQL.
DATABASES = {"default": database_from_env("sqlite://:memory:")}
# The test database is built straight from the models instead of replaying
# every migration (about 0.15 s off each `manage.py test`, which matters most
# when running one module). Same tables, indexes and constraints; post_migrate
# still creates the role groups. `make lint` proves the migrations: it checks
# them against the models and applies them all to a throwaway database.
DATABASES["default"]["TEST"] = {"MIGRATE": False}
if DATABASES["default"]["ENGINE"] == "project.sqlite":  # pragma: no branch (else: make test-postgres)
    # In memory, as Django tests on SQLite anyway: named, since pytest-django knows SQLite by
    # the built-in backend's name and would give each xdist worker a test database file.
    DATABASES["default"]["TEST"]["NAME"] = ":memory:"
# django-webtest logs the `user=` of a request in through this backend; permissions stay the site's.
WEBTEST_AUTHENTICATION_BACKEND = "project.testing_web.UserOfTheCall"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Records are logged at INFO; tests capture them with assertLogs, so keep the
# console for real problems only.
# (A logger with no handler at all would print warnings through logging.lastResort.)
LOGGING = {**LOGGING, "handlers": {**LOGGING["handlers"]}, "loggers": {**LOGGING["loggers"]}}
LOGGING["handlers"]["null"] = {"class": "logging.NullHandler"}
LOGGING["loggers"]["apps"] = {"handlers": ["null"], "level": "INFO", "propagate": False}
LOGGING["loggers"]["axes"] = {"handlers": ["null"], "level": "ERROR", "propagate": False}
LOGGING["loggers"]["django"] = {"handlers": ["console"], "level": "ERROR"}

# django-coverage-plugin can only see templates compiled in debug mode; it
# costs time, so `make coverage` switches it on and nothing else does.
TEMPLATES[0]["OPTIONS"]["debug"] = os.environ.get("MEASURE_TEMPLATES") == "1"

# Serve static files from the app folders without collectstatic (live-server tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
