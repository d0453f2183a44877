"""Settings shared by every environment; dev, test and production refine them."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


# How long an SQLite writer waits for the one before it, in seconds.
SQLITE_BUSY_TIMEOUT = 20


def database_from_env(default_url):
    """`DATABASE_URL` wins everywhere; otherwise the environment's SQLite default.

    Only writes take a transaction: every write is a service (apps/*/services.py)
    that runs in one. Reads run in autocommit, so on SQLite they never queue for
    the write lock (WAL lets them read beside a writer), and no login door checks
    a password inside a transaction. SQLite allows one writer at a time: each
    write transaction takes the write lock when it begins (IMMEDIATE), so
    simultaneous writers queue for up to SQLITE_BUSY_TIMEOUT seconds instead of
    failing with "database is locked" halfway through.
    """
    database = dj_database_url.config(default=default_url, conn_max_age=0)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["ENGINE"] = "project.sqlite"  # letter case folded as on PostgreSQL (project/sqlite/base.py)
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    return database


INSTALLED_APPS = [
    "apps.accounts.apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "concurrency",
    "apps.accounts",
    "apps.students",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their long cache lifetime.
    "project.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user is known (its 400 page shows their own navigation bar); still before
    # every view and the CSRF check, which run once every middleware has been called.
    "project.middleware.RequestBodyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out login's re-rendered form into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: a locked account is refused before its password is checked.
    "apps.accounts.throttling.LoginThrottleBackend",
    "apps.accounts.backends.UsernameOrEmailBackend",
]
CSRF_FAILURE_VIEW = "project.views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "students:list"
LOGOUT_REDIRECT_URL = "home"
# A session (and so a forgotten browser on an office computer) lasts a working day at most.
SESSION_COOKIE_AGE = 12 * 60 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
FORMAT_MODULE_PATH = ["project.formats"]  # one date format everywhere: 2009-12-16
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Lists, on the pages and in the API.
RECORDS_PER_PAGE = 25

# Edits carry the version they started from (django-concurrency); no
# database triggers are needed for its plain version numbers.
CONCURRENCY_AUTO_CREATE_TRIGGERS = False
DEFAULT_FROM_EMAIL = "Student Records <office@student-records.invalid>"

# Content-Security-Policy on every response (django-csp). Everything comes from
# this site and no inline code runs: templates use no <script> or <style>
# blocks and no style="" or on*="" attributes; put JavaScript and CSS in
# static/ files. The API docs (templates/api_docs.html) load their start-up
# script as a separate file for the same reason.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Swagger UI draws a few icons from data: URLs (images cannot run code).
        "img-src": [SELF, "data:"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}

# Login throttling (apps/accounts/throttling.py): 5 failures in a row for one
# account from one address lock that pair for AXES_COOLOFF_TIME (the lockout
# message and the API say it from here); a success resets the count. Attempts
# are kept in the database, shared by every worker.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "apps.accounts.throttling.login_name"
AXES_LOCKOUT_CALLABLE = "apps.accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The lock lasts AXES_COOLOFF_TIME from the fifth failure: tries during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful logins are already in the apps.accounts log.
AXES_DISABLE_ACCESS_LOG = True
# Every failure is also kept with its address and time (axes' failure log): more than
# LOGIN_FAILURES_PER_ADDRESS in a minute from one address, whatever the names, and every
# login door answers 429 before any password is checked. Successful logins never count.
AXES_HANDLER = "apps.accounts.throttling.LoginAttemptHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_FAILURES_PER_ADDRESS = 20

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["project.api.permissions.ModelPermissions"],
    # JSON with a nesting limit; the size limit is DATA_UPLOAD_MAX_MEMORY_SIZE (project/middleware.py).
    "DEFAULT_PARSER_CLASSES": ["project.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "project.api.pagination.Pagination",
    "PAGE_SIZE": RECORDS_PER_PAGE,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "project.api.filters.SortFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "project.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "project.api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Student Records API",
    "DESCRIPTION": "Students, courses and enrollments for the school office.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        "apps": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django": {"handlers": ["console"], "level": "WARNING"},
        # apps.accounts logs failures and lockouts itself, without the password.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
