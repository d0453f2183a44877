"""The audit log as the pages leave it. The auth events (audit.py's receivers of
Django's login signals) are asserted here once; the password pages' lines come
from their services (each asserted in test_services.py) and are checked here as
a visit to each page leaves them, with what only the page knows (how many
accounts a reset request names).
"""

import re

from django.core import mail
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from project.testing import KNOWN_PASSWORD, given, token_for
from project.testing_web import WebTestCase

SIGNUP_PASSWORD = "Saffron-Glacier-Tuba-31"
RESET_PASSWORD = "Walnut-Comet-Harp-58"
CHANGED_PASSWORD = "Pebble-Orbit-Fennel-90"
MISTYPED_PASSWORD = "Almost-" + KNOWN_PASSWORD


class TestTheAuthAuditLog(WebTestCase):
    member = given("accounts.viewer", username="mary", email="mary@school.example")

    def test_records_a_successful_login(self):
        with self.assertLogs("apps.accounts", level="INFO") as logs:
            self.log_in("mary@school.example", KNOWN_PASSWORD)

        self.assertEqual(logs.output, [f"INFO:apps.accounts:login succeeded user_id={self.member.pk} username=mary"])

    def test_records_a_failed_login_with_the_name_tried(self):
        with self.assertLogs("apps.accounts", level="INFO") as logs:
            self.log_in("marie", MISTYPED_PASSWORD)

        self.assertEqual(logs.output, ["WARNING:apps.accounts:login failed username='marie'"])
        self.assertLoggedInAs(None)

    def test_records_a_logout(self):
        self.log_in("mary", KNOWN_PASSWORD)
        page = self.get("/accounts/profile/")

        with self.assertLogs("apps.accounts", level="INFO") as logs:
            page.forms["logout-form"].submit()

        self.assertEqual(logs.output, [f"INFO:apps.accounts:logout user_id={self.member.pk}"])

    def test_records_the_logout_of_a_session_without_a_user(self):
        """Django's logout() of a session nobody is logged in to sends the signal with no user."""
        with self.assertLogs("apps.accounts", level="INFO") as logs:
            self.client.logout()

        self.assertEqual(logs.output, ["INFO:apps.accounts:logout user_id=None"])

    def test_records_a_password_change_with_who_changed_it_and_the_end_of_their_token(self):
        token_for(self.member)
        form = self.get("/accounts/password/change/", user=self.member).forms["password-change-form"]
        form["old_password"] = KNOWN_PASSWORD
        form["new_password1"] = form["new_password2"] = CHANGED_PASSWORD

        with self.assertLogs("apps.accounts", level="INFO") as logs:
            form.submit()

        self.assertEqual(
            logs.output,
            [
                f"INFO:apps.accounts:password changed user_id={self.member.pk}",
                f"INFO:apps.accounts:api token revoked user_id={self.member.pk} reason=password changed tokens=1",
            ],
        )
        self.member.refresh_from_db()
        self.assertTrue(self.member.check_password(CHANGED_PASSWORD))

    def test_records_a_password_reset_without_saying_whether_the_email_is_known(self):
        for email, matching in (("MARY@school.example", 1), ("nobody@school.example", 0)):
            with self.subTest(email=email):
                form = self.get("/accounts/password/reset/").forms["password-reset-form"]
                form["email"] = email

                with self.assertLogs("apps.accounts", level="INFO") as logs:
                    form.submit()

                self.assertEqual(
                    logs.output, [f"INFO:apps.accounts:password reset requested matching_accounts={matching}"]
                )
                self.assertNotIn(email.lower(), "\n".join(logs.output).lower())

    def test_records_a_completed_password_reset_and_the_end_of_the_token(self):
        token_for(self.member)
        form = self.get("/accounts/password/reset/").forms["password-reset-form"]
        form["email"] = "mary@school.example"
        form.submit()
        link = re.search(r"https?://\S+", mail.outbox[0].body).group()
        form = self.app.get(link).follow().forms["password-reset-confirm-form"]
        form["new_password1"] = form["new_password2"] = RESET_PASSWORD

        with self.assertLogs("apps.accounts", level="INFO") as logs:
            form.submit()

        self.assertEqual(
            logs.output,
            [
                f"INFO:apps.accounts:password reset completed user_id={self.member.pk}",
                f"INFO:apps.accounts:api token revoked user_id={self.member.pk} reason=password reset tokens=1",
            ],
        )
        self.member.refresh_from_db()
        self.assertTrue(self.member.check_password(RESET_PASSWORD))


class TestTheAuditLogKeepingSecrets(WebTestCase):
    def test_never_contains_a_password_or_an_api_token(self):
        with self.assertLogs("apps.accounts", level="INFO") as logs:
            # Sign up, mistype, log in, look at and replace the token, change and reset the password.
            form = self.get("/accounts/signup/").forms["signup-form"]
            form["username"], form["email"] = "hedy", "hedy@school.example"
            form["first_name"], form["last_name"] = "Hedy", "Lamarr"
            form["password1"] = form["password2"] = SIGNUP_PASSWORD
            form.submit().follow().forms["logout-form"].submit()
            self.log_in("hedy", MISTYPED_PASSWORD)
            self.log_in("hedy", SIGNUP_PASSWORD)
            hedy = User.objects.get(username="hedy")
            profile = self.get("/accounts/profile/").forms["regenerate-token-form"].submit().follow()
            first_token = Token.objects.get(user=hedy).key
            profile.click(linkid="regenerate-token").forms["regenerate-token-form"].submit()
            second_token = Token.objects.get(user=hedy).key
            form = self.get("/accounts/password/change/").forms["password-change-form"]
            form["old_password"] = SIGNUP_PASSWORD
            form["new_password1"] = form["new_password2"] = CHANGED_PASSWORD
            form.submit().follow().forms["logout-form"].submit()
            form = self.get("/accounts/password/reset/").forms["password-reset-form"]
            form["email"] = "hedy@school.example"
            form.submit()
            link = re.search(r"https?://\S+", mail.outbox[0].body).group()
            form = self.app.get(link).follow().forms["password-reset-confirm-form"]
            form["new_password1"] = form["new_password2"] = RESET_PASSWORD
            form.submit()
            self.log_in("hedy", RESET_PASSWORD)
            self.get("/api/students/", headers=self.api_headers(second_token), expect_errors=True)

        self.assertNotEqual(first_token, second_token)
        events = "\n".join(logs.output)
        for event in (
            "sign-up",
            "login succeeded",
            "login failed",
            "logout",
            "api token created",
            "api token regenerated",
            "api token revoked",
            "password changed",
            "password reset requested",
            "password reset completed",
        ):
            self.assertIn(event, events)
        for secret in (
            SIGNUP_PASSWORD,
            MISTYPED_PASSWORD,
            CHANGED_PASSWORD,
            RESET_PASSWORD,
            first_token,
            second_token,
        ):
            with self.subTest(secret=secret):
                self.assertNotIn(secret, events)
