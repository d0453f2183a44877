from django.contrib import messages

from apps.accounts.throttling import LOCKOUT_MESSAGE
from project.testing import KNOWN_PASSWORD, VIEWER, fill
from project.testing_web import WebTestCase

NEW_PASSWORD = "Marmalade-Harbour-1962"
MISMATCH = "The two passwords are not the same. Type the same password in both boxes."


class TestAMemberChangingTheirPassword(WebTestCase):
    role = VIEWER

    def fill_in(self, old, new1, new2):
        form = self.get("/accounts/password/change/").forms["password-change-form"]
        return fill(form, {"old_password": old, "new_password1": new1, "new_password2": new2})

    def assertPasswordUnchanged(self):
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(KNOWN_PASSWORD))

    def test_must_know_the_old_password(self):
        response = self.fill_in("not-my-password", NEW_PASSWORD, NEW_PASSWORD).submit()

        self.assertFieldError(
            response,
            "password-change-form",
            "old_password",
            "That is not your current password. Type it again.",
        )
        self.assertPasswordUnchanged()

    def test_must_type_the_new_password_twice_the_same(self):
        response = self.fill_in(KNOWN_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x").submit()

        self.assertFieldError(response, "password-change-form", "new_password2", MISMATCH)
        self.assertEqual(response.forms["password-change-form"]["new_password1"].value, "")
        self.assertPasswordUnchanged()

    def test_cannot_pick_a_weak_password(self):
        response = self.fill_in(KNOWN_PASSWORD, "12345678", "12345678").submit()

        self.assertFieldError(response, "password-change-form", "new_password2", "This password is too common.")
        self.assertPasswordUnchanged()


class TestSomeoneGuessingTheCurrentPasswordOfASignedInAccount(WebTestCase):
    """A browser left signed in: its current password is guessed like a login's, five at most."""

    role = VIEWER

    def guess(self, old, page=None):
        form = (page or self.get("/accounts/password/change/")).forms["password-change-form"]
        typed = {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        return fill(form, typed).submit(expect_errors=True)

    def test_is_locked_out_at_the_fifth_wrong_guess_and_then_even_with_the_right_one(self):
        page = None
        with self.assertLogs("apps.accounts", "WARNING") as logs:
            for attempt in range(1, 5):
                page = self.guess(f"guess-{attempt}", page)
                self.assertFieldError(
                    page, "password-change-form", "old_password", "That is not your current password. Type it again."
                )
            page = self.guess("guess-5", page)

        self.assertEqual(page.status_code, 429)
        self.assertIn(LOCKOUT_MESSAGE, page.html.select_one("#password-change-form").get_text())
        self.assertEqual(self.guess(KNOWN_PASSWORD, page).status_code, 429)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(KNOWN_PASSWORD))
        self.assertEqual(sum("login failed" in line for line in logs.output), 5)
        # The account's lock, at every door: an API token for it from this address too.
        token = {"username": self.user.username, "password": KNOWN_PASSWORD}
        self.assertEqual(self.app.post_json("/api/token/", token, expect_errors=True).status_code, 429)


class TestThePasswordPages(WebTestCase):
    role = VIEWER

    def test_name_the_current_and_the_new_password_in_the_sites_words(self):
        page = self.get("/accounts/password/change/")

        labels = [label.get_text() for label in page.html.select("#password-change-form label")]
        self.assertEqual(labels, ["Current password:", "New password:", "New password again:"])
        self.assertEqual(
            page.html.select_one("#id_new_password2_helptext").get_text(),
            "Type the same new password again, to be sure of it.",
        )


class TestAMemberWhoChangedTheirPassword(WebTestCase):
    role = VIEWER

    def test_stays_logged_in_and_logs_in_next_time_with_the_new_one(self):
        self.log_in(self.user.username, KNOWN_PASSWORD)
        form = self.get("/accounts/password/change/", user=None).forms["password-change-form"]
        typed = {"old_password": KNOWN_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        response = fill(form, typed).submit()

        self.assertRedirectsTo(response, "accounts:profile")
        profile = response.follow()
        self.assertMessage(
            profile,
            "Your password was changed. Any API token of your account was ended: "
            "create a new one on your profile page if a program needs it.",
            level=messages.SUCCESS,
        )
        self.assertLoggedInAs(self.user)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))

        profile.forms["logout-form"].submit()
        self.assertLoggedInAs(None)
        self.assertEqual(self.log_in(self.user.username, KNOWN_PASSWORD).status_code, 200)
        self.assertLoggedInAs(None)
        self.assertRedirectsTo(self.log_in(self.user.username, NEW_PASSWORD), "students:list")
        self.assertLoggedInAs(self.user)
