import re

from django.core import mail
from model_bakery import baker

from project.testing import KNOWN_PASSWORD, given
from project.testing_web import WebTestCase

NEW_PASSWORD = "Quartz-Pelican-Orchard-7"
MISMATCH = "The two passwords are not the same. Type the same password in both boxes."


class TestAMemberWhoForgotTheirPassword(WebTestCase):
    member = given("accounts.viewer", username="katherine", email="Katherine@School.example")

    def request_reset(self, email):
        page = self.get("/accounts/login/").click(linkid="forgot-password")
        form = page.forms["password-reset-form"]
        form["email"] = email
        return form.submit()

    def reset_link(self):
        self.assertEqual(len(mail.outbox), 1)
        links = re.findall(r"https?://\S+", mail.outbox[0].body)
        self.assertEqual(len(links), 1, mail.outbox[0].body)
        return links[0]

    def test_sets_a_new_password_from_the_emailed_link_which_works_once(self):
        response = self.request_reset("katherine@school.example")

        self.assertRedirectsTo(response, "accounts:password_reset_done")
        self.assertContains(response.follow(), "Check your inbox")
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["Katherine@School.example"])
        self.assertEqual(email.subject, "Reset your Student Records password")
        link = self.reset_link()
        self.assertEqual(
            email.body.rstrip(),  # what the reader sees: trailing blank lines do not show
            "Hello katherine,\n\n"
            "Someone asked to reset the password of your Student Records account.\n"
            "To choose a new password, open this link (it works once):\n\n"
            f"{link}\n\n"
            "If it was not you, ignore this email: your password stays as it is.",
        )

        response = self.app.get(link)
        self.assertEqual(response.status_code, 302)  # Django hides the token behind a set-password URL
        page = response.follow()
        form = page.forms["password-reset-confirm-form"]
        form["new_password1"] = NEW_PASSWORD
        form["new_password2"] = NEW_PASSWORD
        response = form.submit()

        self.assertRedirectsTo(response, "accounts:password_reset_complete")
        complete = response.follow()
        self.assertContains(complete, "Your new password is set")
        self.assertEqual(
            complete.html.select_one("#token-ended").get_text(),
            "Any API token of your account was ended: create a new one on your profile page if a program needs it.",
        )
        self.member.refresh_from_db()
        self.assertTrue(self.member.check_password(NEW_PASSWORD))
        self.assertLoggedInAs(None)

        login_page = complete.click(linkid="reset-complete-login")
        self.assertIn("login-form", login_page.forms)
        self.assertEqual(self.log_in("katherine", KNOWN_PASSWORD).status_code, 200)
        self.assertLoggedInAs(None)
        self.assertRedirectsTo(self.log_in("katherine", NEW_PASSWORD), "students:list")
        self.assertLoggedInAs(self.member)

        used_again = self.app.get(link).maybe_follow()
        self.assertEqual(used_again.status_code, 200)
        self.assertIsNotNone(used_again.html.select_one("#invalid-reset-link"))
        self.assertNotIn("password-reset-confirm-form", used_again.forms)

    def test_finds_the_account_whatever_the_letter_case_of_the_email(self):
        self.request_reset("KATHERINE@school.EXAMPLE")

        self.assertEqual([email.to for email in mail.outbox], [["Katherine@School.example"]])

    def test_finds_the_account_whatever_the_case_of_letters_beyond_a_to_z(self):
        baker.make_recipe("accounts.viewer", username="zoe", email="zoe@Lycée.example")

        self.request_reset("ZOE@LYCÉE.EXAMPLE")

        self.assertEqual([email.to for email in mail.outbox], [["zoe@Lycée.example"]])

    def test_must_choose_a_sound_new_password(self):
        self.request_reset("katherine@school.example")
        page = self.app.get(self.reset_link()).follow()
        labels = [label.get_text() for label in page.html.select("#password-reset-confirm-form label")]
        self.assertEqual(labels, ["New password:", "New password again:"])
        self.assertEqual(
            page.html.select_one("#id_new_password2_helptext").get_text(),
            "Type the same new password again, to be sure of it.",
        )
        form = page.forms["password-reset-confirm-form"]
        form["new_password1"] = NEW_PASSWORD
        form["new_password2"] = NEW_PASSWORD + "?"

        response = form.submit()

        self.assertFieldError(response, "password-reset-confirm-form", "new_password2", MISMATCH)
        self.member.refresh_from_db()
        self.assertTrue(self.member.check_password(KNOWN_PASSWORD))

    def test_sees_an_invalid_link_page_for_a_tampered_link(self):
        self.request_reset("katherine@school.example")
        link = self.reset_link()

        page = self.app.get(link[:-3] + "xyz/").maybe_follow()

        self.assertEqual(page.status_code, 200)
        self.assertIsNotNone(page.html.select_one("#invalid-reset-link"))
        self.assertIn("password-reset-form", page.click("Ask for a new one").forms)


class TestAVisitorAskingToResetAnUnknownEmail(WebTestCase):
    def test_gets_the_same_answer_and_no_email_is_sent(self):
        form = self.get("/accounts/password/reset/").forms["password-reset-form"]
        form["email"] = "stranger@elsewhere.example"

        response = form.submit()

        self.assertRedirectsTo(response, "accounts:password_reset_done")
        page = response.follow()
        self.assertContains(page, "If an account uses that address")
        self.assertIn("login-form", page.click(linkid="back-to-login").forms)
        self.assertEqual(mail.outbox, [])

    def test_can_ask_again_from_the_page_that_says_to_check_the_inbox(self):
        page = self.get("/accounts/password/reset/done/").click("ask again")

        self.assertEqual(page.request.path, "/accounts/password/reset/")
        self.assertIn("password-reset-form", page.forms)
        self.assertEqual(mail.outbox, [])

    def test_is_asked_for_a_valid_email_address(self):
        form = self.get("/accounts/password/reset/").forms["password-reset-form"]
        form["email"] = "not an address"

        response = form.submit()

        self.assertFieldError(
            response, "password-reset-form", "email", "Enter an email address like name@school.example."
        )
        self.assertEqual(mail.outbox, [])
