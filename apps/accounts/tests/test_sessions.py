"""How long a session lasts, and what a password change or reset does to sessions and API tokens."""

import re

from django.core import mail
from rest_framework.authtoken.models import Token

from project.testing import KNOWN_PASSWORD, VIEWER, token_for
from project.testing_web import WebTestCase

NEW_PASSWORD = "Copper-Kettle-Meadow-88"
TWELVE_HOURS = 12 * 60 * 60


class TestASession(WebTestCase):
    role = VIEWER

    def test_lasts_twelve_hours_at_most(self):
        self.log_in(self.user.username, KNOWN_PASSWORD)

        self.assertEqual(self.app.session.get_expiry_age(), TWELVE_HOURS)
        cookie = next(cookie for cookie in self.app.cookiejar if cookie.name == "sessionid")
        self.assertIsNotNone(cookie.expires, "the session cookie expires")


class TestAMemberChangingTheirPassword(WebTestCase):
    role = VIEWER

    def change_password(self):
        form = self.app.get("/accounts/password/change/").forms["password-change-form"]
        form["old_password"] = KNOWN_PASSWORD
        form["new_password1"] = form["new_password2"] = NEW_PASSWORD
        return form.submit()

    def test_ends_their_other_sessions_and_keeps_this_one(self):
        office, laptop = self.app, self.app_class(extra_environ=self.extra_environ)
        for browser in (office, laptop):
            self.app = browser
            self.assertRedirectsTo(self.log_in(self.user.username, KNOWN_PASSWORD), "students:list")

        self.app = office
        self.assertRedirectsTo(self.change_password(), "accounts:profile")

        self.assertEqual(office.get("/students/").status_code, 200)
        self.app = laptop
        self.assertRedirectsToLogin(laptop.get("/students/"), "/students/")
        self.assertLoggedInAs(None)

    def test_ends_their_api_token(self):
        old_key = token_for(self.user)
        self.log_in(self.user.username, KNOWN_PASSWORD)

        self.change_password()

        self.assertFalse(Token.objects.filter(user=self.user).exists())
        response = self.app.get("/api/students/", headers=self.api_headers(old_key), status=401)
        self.assertApiError(response, 401, {"detail": "Invalid token."})


class TestAMemberResettingTheirPassword(WebTestCase):
    role = VIEWER

    def test_ends_their_api_token_and_every_session(self):
        old_key = token_for(self.user)
        self.log_in(self.user.username, KNOWN_PASSWORD)
        elsewhere = self.app
        self.app = self.app_class(extra_environ=self.extra_environ)
        form = self.app.get("/accounts/password/reset/").forms["password-reset-form"]
        form["email"] = self.user.email
        form.submit()
        link = re.search(r"https?://\S+", mail.outbox[0].body).group()
        form = self.app.get(link).follow().forms["password-reset-confirm-form"]
        form["new_password1"] = form["new_password2"] = NEW_PASSWORD

        self.assertRedirectsTo(form.submit(), "accounts:password_reset_complete")

        self.assertFalse(Token.objects.filter(user=self.user).exists())
        response = self.app.get("/api/students/", headers=self.api_headers(old_key), status=401)
        self.assertApiError(response, 401, {"detail": "Invalid token."})
        self.assertRedirectsToLogin(elsewhere.get("/students/"), "/students/")
