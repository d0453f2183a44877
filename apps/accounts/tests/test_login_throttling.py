"""Password guessing: 5 failures in a row lock one account from one address for 15 minutes
(`AXES_COOLOFF_TIME`, which the message says).

The login form, the admin login and `POST /api/token/` share one count.
"""

from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import SimpleTestCase
from django.urls import reverse
from rest_framework.authtoken.models import Token

from apps.accounts.throttling import LOCKOUT_MESSAGE, in_words
from project.testing import KNOWN_PASSWORD, given
from project.testing_web import WebTestCase

WRONG = "not-the-password"
BAD_LOGIN = "Please enter a correct username or email and password."
TOKEN = reverse("api:token")
ANOTHER_ADDRESS = "192.0.2.7"


class ThrottlingTestCase(WebTestCase):
    member = given("accounts.superuser", username="hopper", email="Grace.Hopper@School.example")
    colleague = given("accounts.viewer", username="lovelace")

    def log_in(self, username, password, page=None):
        """The login form (of `page`, or freshly opened), where a 429 is an answer to look at, not an error."""
        form = (page or self.app.get(reverse("accounts:login"))).forms["login-form"]
        form["username"] = username
        form["password"] = password
        return form.submit(expect_errors=True)

    def fail_on_the_form(self, times, username="hopper"):
        """`times` wrong passwords in a row, each typed into the form the last answer showed again."""
        page = None
        for _ in range(times):
            page = self.log_in(username, WRONG, page)
        return page

    def ask_for_a_token(self, username="hopper", password=KNOWN_PASSWORD):
        return self.app.post_json(TOKEN, {"username": username, "password": password}, expect_errors=True)

    def from_address(self, address):
        self.app.extra_environ["REMOTE_ADDR"] = address

    def wind_the_clock_on(self, **elapsed):
        """Time passes for the lock: every recorded failure moves into the past."""
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(**elapsed))

    def clock_stopped_at(self, instant):
        """Every clock (Django's, which axes reads too) shows `instant` until the block ends."""
        return time_machine.travel(instant, tick=False)

    def assertLockedOutForm(self, response, errors="form#login-form .form-errors"):
        self.assertEqual(response.status_code, 429)
        self.assertIn(LOCKOUT_MESSAGE, response.html.select_one(errors).get_text())
        self.assertNotIn(BAD_LOGIN, response.text)
        self.assertLoggedInAs(None)

    def assertLockedOutApi(self, response, seconds_left=900):
        """429 with the message; Retry-After is the seconds left (a slow machine may have used up a few)."""
        self.assertApiError(response, 429, {"detail": LOCKOUT_MESSAGE})
        self.assertIn(int(response.headers["Retry-After"]), range(seconds_left - 30, seconds_left + 1))
        self.assertFalse(Token.objects.filter(user=self.member).exists())


class TestAVisitorGuessingPasswordsOnTheLoginForm(ThrottlingTestCase):
    def test_is_told_the_password_is_wrong_four_times_then_locked_out_at_the_fifth(self):
        for attempt in range(1, 5):
            with self.subTest(attempt=attempt):
                response = self.log_in("hopper", WRONG)
                self.assertEqual(response.status_code, 200)
                self.assertIn(BAD_LOGIN, response.html.select_one("form#login-form").get_text())

        response = self.log_in("hopper", WRONG)

        self.assertLockedOutForm(response)
        self.assertEqual(response.forms["login-form"]["username"].value, "hopper")
        self.assertEqual(AccessAttempt.objects.get().failures_since_start, 5)

    def test_is_refused_even_with_the_right_password_once_locked(self):
        self.fail_on_the_form(5)

        response = self.log_in("hopper", KNOWN_PASSWORD)

        self.assertLockedOutForm(response)
        self.assertEqual(AccessAttempt.objects.get().failures_since_start, 5)

    def test_gets_five_guesses_in_all_whichever_name_or_letter_case_is_typed(self):
        for typed in ("hopper", "HOPPER", "Grace.Hopper@School.example", "grace.hopper@school.example"):
            response = self.log_in(typed, WRONG)
        self.assertEqual(response.status_code, 200)

        response = self.log_in("Hopper", WRONG)

        self.assertLockedOutForm(response)
        self.assertEqual(list(AccessAttempt.objects.values_list("username", flat=True)), ["hopper"])

    def test_gets_five_guesses_in_all_at_a_name_of_nobody_in_any_letter_case(self):
        for typed in ("Mallory", "MALLORY", "mallory", "malLory"):
            self.log_in(typed, WRONG)

        response = self.log_in("MaLLoRY", WRONG)

        self.assertLockedOutForm(response)
        self.assertEqual(list(AccessAttempt.objects.values_list("username", flat=True)), ["mallory"])

    def test_starts_counting_again_after_logging_in(self):
        self.fail_on_the_form(4)
        self.assertRedirectsTo(self.log_in("hopper", KNOWN_PASSWORD), "students:list")
        self.assertFalse(AccessAttempt.objects.exists())
        self.app.reset()

        self.assertEqual(self.fail_on_the_form(4).status_code, 200)
        self.assertRedirectsTo(self.log_in("hopper", KNOWN_PASSWORD), "students:list")
        self.assertLoggedInAs(self.member)

    def test_does_not_lock_other_accounts_from_the_same_address(self):
        self.fail_on_the_form(5)

        response = self.log_in("lovelace", KNOWN_PASSWORD)

        self.assertRedirectsTo(response, "students:list")
        self.assertLoggedInAs(self.colleague)

    def test_does_not_lock_the_account_from_another_address(self):
        self.fail_on_the_form(5)
        self.from_address(ANOTHER_ADDRESS)

        response = self.log_in("hopper", KNOWN_PASSWORD)

        self.assertRedirectsTo(response, "students:list")
        self.assertLoggedInAs(self.member)

    def test_may_log_in_again_15_minutes_after_the_fifth_failure(self):
        self.fail_on_the_form(5)
        self.wind_the_clock_on(minutes=14)
        self.assertLockedOutForm(self.log_in("hopper", KNOWN_PASSWORD))

        self.wind_the_clock_on(minutes=1, seconds=1)
        response = self.log_in("hopper", KNOWN_PASSWORD)

        self.assertRedirectsTo(response, "students:list")
        self.assertLoggedInAs(self.member)
        self.assertFalse(AccessAttempt.objects.exists())

    def test_does_not_extend_the_lock_by_trying_during_it(self):
        self.fail_on_the_form(5)
        self.wind_the_clock_on(minutes=10)
        self.fail_on_the_form(3)
        self.wind_the_clock_on(minutes=5, seconds=1)

        self.assertRedirectsTo(self.log_in("hopper", KNOWN_PASSWORD), "students:list")


class TestAVisitorGuessingPasswordsOnTheAdminLogin(ThrottlingTestCase):
    def assertLockedOutAdmin(self, response):
        self.assertLockedOutForm(response, errors=".errornote")
        self.assertIn("login-form", response.forms)

    def log_in_to_the_admin(self, password):
        form = self.app.get(reverse("admin:login")).forms["login-form"]
        form["username"] = "hopper"
        form["password"] = password
        return form.submit(expect_errors=True)

    def test_is_locked_out_at_the_fifth_failure_and_then_even_with_the_right_password(self):
        for _ in range(4):
            self.assertEqual(self.log_in_to_the_admin(WRONG).status_code, 200)

        self.assertLockedOutAdmin(self.log_in_to_the_admin(WRONG))
        self.assertLockedOutAdmin(self.log_in_to_the_admin(KNOWN_PASSWORD))

    def test_shares_the_count_with_the_site_login_form(self):
        self.fail_on_the_form(3)
        self.log_in_to_the_admin(WRONG)

        self.assertLockedOutAdmin(self.log_in_to_the_admin(WRONG))
        self.assertLockedOutForm(self.log_in("hopper", KNOWN_PASSWORD))

    def test_lets_the_superuser_in_with_the_right_password_before_any_lock(self):
        self.log_in_to_the_admin(WRONG)

        response = self.log_in_to_the_admin(KNOWN_PASSWORD)

        self.assertRedirectsTo(response, "admin:index")
        self.assertLoggedInAs(self.member)
        self.assertFalse(AccessAttempt.objects.exists())


class TestAClientGuessingPasswordsForAnApiToken(ThrottlingTestCase):
    def test_is_answered_429_with_retry_after_at_the_fifth_failure(self):
        for _ in range(4):
            self.assertEqual(self.ask_for_a_token(password=WRONG).status_code, 400)

        self.assertLockedOutApi(self.ask_for_a_token(password=WRONG))

    def test_is_refused_even_with_the_right_password_once_locked(self):
        for _ in range(5):
            self.ask_for_a_token(password=WRONG)

        self.assertLockedOutApi(self.ask_for_a_token())
        self.assertEqual(AccessAttempt.objects.get().failures_since_start, 5)

    def test_is_told_how_many_seconds_the_lock_still_lasts(self):
        for _ in range(5):
            self.ask_for_a_token(password=WRONG)
        self.wind_the_clock_on(minutes=10)

        self.assertLockedOutApi(self.ask_for_a_token(), seconds_left=300)

    def test_is_told_to_wait_one_second_in_the_last_second_of_the_lock(self):
        for _ in range(5):
            self.ask_for_a_token(password=WRONG)
        lock_ends = AccessAttempt.objects.get().attempt_time + timedelta(minutes=15)

        with self.clock_stopped_at(lock_ends - timedelta(milliseconds=400)):
            response = self.ask_for_a_token()

        self.assertApiError(response, 429, {"detail": LOCKOUT_MESSAGE})
        self.assertEqual(response.headers["Retry-After"], "1")
        self.assertFalse(Token.objects.filter(user=self.member).exists())

    def test_shares_the_count_with_the_login_form_and_the_email_address(self):
        self.fail_on_the_form(3)
        self.ask_for_a_token("grace.hopper@school.example", WRONG)

        self.assertLockedOutApi(self.ask_for_a_token("GRACE.HOPPER@SCHOOL.EXAMPLE", WRONG))
        self.assertLockedOutForm(self.log_in("hopper", KNOWN_PASSWORD))

    def test_is_still_locked_out_with_a_nul_character_in_the_name(self):
        """The name is checked for the lock before the refusal of its NUL (which PostgreSQL could not store)."""
        for _ in range(5):
            self.ask_for_a_token(password=WRONG)

        self.assertLockedOutApi(self.ask_for_a_token("hop\x00per"))

    def test_is_locked_out_on_the_form_by_failures_on_the_api(self):
        for _ in range(5):
            self.ask_for_a_token(password=WRONG)

        self.assertLockedOutForm(self.log_in("hopper", KNOWN_PASSWORD))

    def test_starts_counting_again_after_getting_a_token(self):
        for _ in range(4):
            self.ask_for_a_token(password=WRONG)
        self.assertEqual(self.ask_for_a_token().status_code, 200)
        self.assertFalse(AccessAttempt.objects.exists())

        for _ in range(4):
            self.assertEqual(self.ask_for_a_token(password=WRONG).status_code, 400)
        self.assertEqual(self.ask_for_a_token().json, {"token": Token.objects.get(user=self.member).key})

    def test_does_not_lock_other_accounts_or_other_addresses(self):
        for _ in range(5):
            self.ask_for_a_token(password=WRONG)

        self.assertEqual(self.ask_for_a_token("lovelace").status_code, 200)
        self.from_address(ANOTHER_ADDRESS)
        self.assertEqual(self.ask_for_a_token().json, {"token": Token.objects.get(user=self.member).key})

    def test_gets_a_token_again_15_minutes_after_the_fifth_failure(self):
        for _ in range(5):
            self.ask_for_a_token(password=WRONG)
        self.wind_the_clock_on(minutes=14)
        self.assertLockedOutApi(self.ask_for_a_token(), seconds_left=60)

        self.wind_the_clock_on(minutes=1, seconds=1)

        self.assertEqual(self.ask_for_a_token().json, {"token": Token.objects.get(user=self.member).key})

    def test_is_still_told_about_bad_json_and_missing_fields(self):
        for body in ([], {"password": WRONG}, {"username": ["hopper"], "password": WRONG}):
            with self.subTest(body=body):
                response = self.app.post_json(TOKEN, body, expect_errors=True)
                self.assertApiError(response, 400)
        self.assertFalse(AccessAttempt.objects.exists())


class TestAVisitorTypingANameLongerThanAnyAccounts(ThrottlingTestCase):
    """Longer than any username or email (254 characters): nobody's, refused like any name of nobody."""

    name = "a" * 60_000  # SQLite refuses to compare a LIKE pattern this long

    def test_is_refused_at_every_door_and_never_with_a_server_error(self):
        form = self.log_in(self.name, WRONG)
        self.assertEqual(form.status_code, 200)
        self.assertLoggedInAs(None)
        admin = self.app.get(reverse("admin:login")).forms["login-form"]
        admin["username"], admin["password"] = self.name, WRONG
        self.assertEqual(admin.submit(expect_errors=True).status_code, 200)
        self.assertApiError(
            self.ask_for_a_token(self.name, WRONG),
            400,
            {"non_field_errors": ["Unable to log in with provided credentials."]},
        )

    def test_gets_five_guesses_like_any_name(self):
        for _ in range(4):
            self.assertEqual(self.ask_for_a_token(self.name, WRONG).status_code, 400)

        self.assertApiError(self.ask_for_a_token(self.name, WRONG), 429, {"detail": LOCKOUT_MESSAGE})
        self.assertEqual(AccessAttempt.objects.get().username, "a" * 254)


class TestAccountsWhoseUsernamesDifferOnlyInCase(ThrottlingTestCase):
    """Sign-up forbids them, but `createsuperuser` can make them: each is its own account."""

    lower = given("accounts.viewer", username="sam", email="sam.one@school.example")
    upper = given("accounts.viewer", username="Sam", email="sam.two@school.example")

    def test_are_locked_out_one_at_a_time(self):
        self.fail_on_the_form(5, username="Sam")

        self.assertLockedOutForm(self.log_in("Sam", KNOWN_PASSWORD))
        self.assertRedirectsTo(self.log_in("sam", KNOWN_PASSWORD), "students:list")
        self.assertLoggedInAs(self.lower)


class TestTheLockoutLog(ThrottlingTestCase):
    def test_has_a_line_for_each_locked_refusal_at_every_door_naming_the_account_never_the_password(self):
        self.fail_on_the_form(4)

        with self.assertLogs("apps.accounts", "INFO") as logs:
            self.log_in("hopper", WRONG)  # the fifth failure
            self.log_in("hopper", KNOWN_PASSWORD)
            self.ask_for_a_token("Grace.Hopper@School.example")

        locked = "WARNING:apps.accounts:login locked out username='hopper' address=127.0.0.1"
        self.assertEqual([line for line in logs.output if "locked out" in line], [locked] * 3)
        self.assertFalse([line for line in logs.output if WRONG in line or KNOWN_PASSWORD in line])


class TestTheLockoutWording(SimpleTestCase):
    def test_says_the_cool_off_time_of_the_settings(self):
        self.assertEqual(settings.AXES_COOLOFF_TIME, timedelta(minutes=15))
        self.assertEqual(LOCKOUT_MESSAGE, "Too many failed attempts. Try again in 15 minutes.")

    def test_puts_any_cool_off_time_in_words(self):
        for duration, words in [
            (timedelta(minutes=1), "1 minute"),
            (timedelta(hours=1), "1 hour"),
            (timedelta(hours=1, minutes=30), "1 hour, 30 minutes"),
        ]:
            with self.subTest(words):
                self.assertEqual(in_words(duration), words)
