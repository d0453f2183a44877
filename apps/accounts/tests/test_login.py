from apps.accounts.models import User
from project.testing import KNOWN_PASSWORD, given
from project.testing_web import WebTestCase

BAD_LOGIN = "Please enter a correct username or email and password."


class TestAMemberLoggingIn(WebTestCase):
    member = given("accounts.viewer", username="Hopper", email="Grace.Hopper@School.example")

    def test_lands_on_the_student_list_by_default(self):
        response = self.log_in("Hopper", KNOWN_PASSWORD)

        self.assertRedirectsTo(response, "students:list")
        self.assertEqual(response.follow().status_code, 200)
        self.assertLoggedInAs(self.member)

    def test_can_use_the_email_address_or_any_letter_case(self):
        for typed in ("Grace.Hopper@School.example", "hopper", "HOPPER", "grace.hopper@school.EXAMPLE"):
            with self.subTest(typed=typed):
                self.app.reset()  # a fresh browser: no session left from the last round

                response = self.log_in(typed, KNOWN_PASSWORD)

                self.assertRedirectsTo(response, "students:list")
                self.assertLoggedInAs(self.member)

    def test_is_taken_back_to_the_page_they_asked_for(self):
        response = self.get("/accounts/profile/")
        self.assertRedirectsToLogin(response, "/accounts/profile/")

        login_page = response.follow()
        self.assertEqual(
            login_page.html.select_one("#login-required").text,
            "Please log in to see that page. You will be taken back to it afterwards.",
        )
        self.assertEqual(login_page.forms["login-form"]["next"].value, "/accounts/profile/")
        login_page.forms["login-form"]["username"] = "hopper"
        login_page.forms["login-form"]["password"] = KNOWN_PASSWORD
        response = login_page.forms["login-form"].submit()

        self.assertRedirectsTo(response, "accounts:profile")
        self.assertContains(response.follow(), "Grace.Hopper@School.example")
        self.assertLoggedInAs(self.member)

    def test_finds_the_way_to_sign_up_when_they_have_no_account_yet(self):
        page = self.get("/accounts/login/", user=None).click(linkid="login-signup")

        self.assertEqual(page.request.path, "/accounts/signup/")
        self.assertIn("signup-form", page.forms)
        self.assertEqual(User.objects.count(), 1, "only the member")
        self.assertLoggedInAs(None)

    def test_is_given_no_explanation_when_they_came_to_log_in_of_their_own_accord(self):
        page = self.get("/").click(linkid="nav-login")
        self.assertIn("login-form", page.forms)
        self.assertIsNone(page.html.select_one("#login-required"))
        self.assertLoggedInAs(None)

    def test_is_never_sent_to_another_site(self):
        for next_path in ("https://evil.example/", "//evil.example/", "http://evil.example/accounts/profile/"):
            with self.subTest(next=next_path):
                self.app.reset()

                response = self.log_in("hopper", KNOWN_PASSWORD, next_path=next_path)

                self.assertRedirectsTo(response, "students:list")
                self.assertEqual(response.location, "/students/")
                self.assertLoggedInAs(self.member)


class TestAVisitorWithBadCredentials(WebTestCase):
    member = given("accounts.viewer", username="lovelace")
    former = given("accounts.inactive_user", username="babbage")

    def test_is_told_the_credentials_are_wrong_and_stays_logged_out(self):
        cases = [
            ("wrong password", "lovelace", "not-" + KNOWN_PASSWORD),
            ("unknown user", "nobody-here", KNOWN_PASSWORD),
            ("inactive user", "babbage", KNOWN_PASSWORD),
        ]
        for label, username, password in cases:
            with self.subTest(label):
                response = self.log_in(username, password)

                self.assertEqual(response.status_code, 200)
                errors = response.html.select_one("form#login-form .form-errors")
                self.assertIsNotNone(errors, "no form error shown")
                self.assertIn(BAD_LOGIN, errors.get_text())
                self.assertEqual(response.forms["login-form"]["username"].value, username)
                self.assertEqual(response.forms["login-form"]["password"].value, "")
                self.assertLoggedInAs(None)

    def test_must_fill_in_both_fields(self):
        response = self.log_in("", "")

        self.assertFieldError(response, "login-form", "username", "Enter your username or email.")
        self.assertFieldError(response, "login-form", "password", "Enter your password.")
        self.assertLoggedInAs(None)
