"""A flood of failed logins from one address: after 20 in a minute, whatever the names, every
login door answers 429 before any password is checked; successful logins never count."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.accounts.throttling import FLOOD_MESSAGE
from project.testing import KNOWN_PASSWORD, given
from project.testing_web import WebTestCase

TOKEN = reverse("api:token")
WRONG = "not-the-password"
FLOOD_LIMIT = 20
OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.3"


class FloodTestCase(WebTestCase):
    member = given("accounts.superuser", username="hopper")

    def setUp(self):
        super().setUp()
        self.app.extra_environ["REMOTE_ADDR"] = OFFICE

    def ask_for_a_token(self, username, password=WRONG, address=OFFICE):
        return self.app.post_json(
            TOKEN,
            {"username": username, "password": password},
            extra_environ={"REMOTE_ADDR": address},
            expect_errors=True,
        )

    def fail(self, times):
        """`times` failed logins, each for a name of nobody, none of them five for one name."""
        for n in range(times):
            self.assertEqual(self.ask_for_a_token(f"guess{n}").status_code, 400)

    def log_in_on(self, login_path, password=KNOWN_PASSWORD):
        form = self.app.get(login_path).forms["login-form"]
        form["username"] = "hopper"
        form["password"] = password
        return form.submit(expect_errors=True)


class TestAFloodOfFailedLogins(FloodTestCase):
    def test_is_answered_429_from_the_21st_failure_on_even_with_the_right_password(self):
        self.fail(FLOOD_LIMIT)

        with self.assertLogs("apps.accounts", "WARNING") as logs:
            response = self.ask_for_a_token("hopper", KNOWN_PASSWORD)

        self.assertApiError(response, 429, {"detail": FLOOD_MESSAGE})
        self.assertIn(int(response.headers["Retry-After"]), range(1, 61))
        self.assertFalse(Token.objects.filter(user=self.member).exists())
        self.assertEqual(
            logs.output,
            [f"WARNING:apps.accounts:login refused: too many failures from address={OFFICE} username='hopper'"],
        )

    def test_closes_the_login_form_and_the_admin_login_too(self):
        self.fail(FLOOD_LIMIT)
        for login_path, errors in (
            (reverse("accounts:login"), "form#login-form .form-errors"),
            ("/admin/login/", ".errornote"),
        ):
            with self.subTest(login_path):
                response = self.log_in_on(login_path)

                self.assertEqual(response.status_code, 429)
                self.assertIn(FLOOD_MESSAGE, response.html.select_one(errors).get_text())
                self.assertLoggedInAs(None)

    def test_leaves_other_addresses_alone(self):
        self.fail(FLOOD_LIMIT)
        response = self.ask_for_a_token("hopper", KNOWN_PASSWORD, address=ELSEWHERE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json, {"token": Token.objects.get(user=self.member).key})

    def test_is_let_through_again_a_minute_after_the_oldest_of_the_failures(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.fail(1)
        with time_machine.travel(start + timedelta(seconds=30), tick=False):
            self.fail(FLOOD_LIMIT - 1)
            self.assertEqual(self.ask_for_a_token("hopper", KNOWN_PASSWORD).headers["Retry-After"], "30")
        with time_machine.travel(start + timedelta(seconds=61), tick=False):
            self.assertEqual(self.ask_for_a_token("hopper", KNOWN_PASSWORD).status_code, 200)


class TestAnOfficeBehindOneAddress(FloodTestCase):
    def test_is_never_slowed_by_its_own_successful_logins(self):
        for _ in range(FLOOD_LIMIT + 5):
            self.assertEqual(self.ask_for_a_token("hopper", KNOWN_PASSWORD).status_code, 200)
        self.fail(FLOOD_LIMIT - 1)
        self.assertEqual(self.ask_for_a_token("hopper", KNOWN_PASSWORD).status_code, 200)
