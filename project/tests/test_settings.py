"""The settings each environment runs with: a fast, quiet suite and a production that passes Django's deploy checks."""

import os
import runpy
from unittest import mock

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import SimpleTestCase, override_settings

# What an operator sets before `make serve` (the key is a stand-in of the length Django asks for).
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "deploy-check-stand-in-" + "k3y" * 12,
    "ALLOWED_HOSTS": "records.school.example",
    "DATABASE_URL": "postgres://records@db.school.example/records",
}
# Where the suite keeps its own: the checks judge security, not this machine's database or files.
KEPT_FOR_THE_CHECK = {"DATABASES", "STORAGES", "CACHES", "LOGGING"}


def production_settings(environment):
    """The names project/settings/production.py defines when started with `environment` alone."""
    with mock.patch.dict(os.environ, environment, clear=True):
        module = runpy.run_module("project.settings.production")
    return {name: value for name, value in module.items() if name.isupper()}


def production_changes():
    """The production settings that differ from the suite's, except what KEPT_FOR_THE_CHECK keeps."""
    production = production_settings(PRODUCTION_ENVIRONMENT)
    return {
        name: value
        for name, value in production.items()
        if name not in KEPT_FOR_THE_CHECK and getattr(settings, name, object()) != value
    }


class TestTheProductionSettings(SimpleTestCase):
    def test_pass_every_deploy_check_django_has(self):
        changed = production_changes()
        self.assertIn("SECURE_SSL_REDIRECT", changed, "the production values really are the ones checked")
        with override_settings(**changed):
            problems = [
                message
                for message in checks.run_checks(include_deployment_checks=True)
                if message.is_serious(checks.WARNING)
            ]
        self.assertEqual(problems, [])

    def test_answer_behind_the_schools_https_proxy_with_the_browsers_protections_on(self):
        host = {"HTTP_HOST": "records.school.example"}
        with override_settings(**production_changes()):
            plain = self.client.get("/accounts/login/?next=/students/", **host)
            through_the_proxy = self.client.get("/accounts/login/", headers={"x-forwarded-proto": "https"}, **host)

        self.assertEqual(plain.status_code, 301)
        self.assertEqual(plain["Location"], "https://records.school.example/accounts/login/?next=/students/")
        self.assertEqual(through_the_proxy.status_code, 200, "no redirect loop behind the proxy")
        protections = {
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
            "Referrer-Policy": "same-origin",  # a search for a student's name stays on this site
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
        }
        self.assertEqual({name: through_the_proxy.headers.get(name) for name in protections}, protections)
        self.assertTrue(through_the_proxy.cookies["csrftoken"]["secure"])

    def test_refuse_to_start_without_a_secret_key_allowed_hosts_or_a_database_named(self):
        # Never a default database: make run's db.sqlite3 holds the demo accounts.
        for missing in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
            with self.subTest(missing=missing):
                environment = {name: value for name, value in PRODUCTION_ENVIRONMENT.items() if name != missing}
                with self.assertRaisesMessage(ImproperlyConfigured, f"Set the {missing} environment variable."):
                    production_settings(environment)

    def test_keep_debug_off_and_cookies_secure(self):
        production = production_settings(PRODUCTION_ENVIRONMENT)
        self.assertEqual(
            (production["DEBUG"], production["SESSION_COOKIE_SECURE"], production["CSRF_COOKIE_SECURE"]),
            (False, True, True),
        )
        self.assertEqual(production["ALLOWED_HOSTS"], ["records.school.example"])

    def test_send_mail_through_the_schools_server_named_in_the_environment(self):
        mail_server = {
            "EMAIL_HOST": "smtp.school.example",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "records",
            "EMAIL_HOST_PASSWORD": "mail-stand-in",
            "EMAIL_USE_TLS": "true",
            "DEFAULT_FROM_EMAIL": "Records Office <office@school.example>",
        }
        production = production_settings({**PRODUCTION_ENVIRONMENT, **mail_server})

        self.assertEqual(
            {name: production[name] for name in mail_server}, {**mail_server, "EMAIL_PORT": 587, "EMAIL_USE_TLS": True}
        )
        self.assertEqual(production["EMAIL_BACKEND"], "django.core.mail.backends.smtp.EmailBackend")

    def test_check_a_kept_database_connection_before_reusing_it(self):
        # A restarted PostgreSQL has ended every kept connection: the next request reconnects
        # instead of failing on it.
        database = production_settings(PRODUCTION_ENVIRONMENT)["DATABASES"]["default"]
        self.assertEqual((database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]), (60, True))


class TestTheTestSettings(SimpleTestCase):
    """What keeps the suite fast and honest; `manage.py test` always runs with them."""

    def test_are_the_ones_in_use(self):
        self.assertEqual(os.environ["DJANGO_SETTINGS_MODULE"], "project.settings.test")
        self.assertFalse(settings.DEBUG, "the suite sees what production shows")

    def test_hash_passwords_with_md5(self):
        self.assertEqual(settings.PASSWORD_HASHERS, ["django.contrib.auth.hashers.MD5PasswordHasher"])
        self.assertTrue(make_password("correct-horse").startswith("md5$"))

    def test_keep_the_database_in_memory_unless_pointed_at_postgresql(self):
        if os.environ.get("DATABASE_URL"):
            self.assertEqual(connection.vendor, "postgresql")
        else:
            self.assertEqual(connection.vendor, "sqlite")
            self.assertTrue(connection.is_in_memory_db())

    def test_deliver_mail_to_the_local_outbox(self):
        self.assertEqual(settings.EMAIL_BACKEND, "django.core.mail.backends.locmem.EmailBackend")
