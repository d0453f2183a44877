from django.contrib import messages

from apps.accounts.models import User
from apps.accounts.tests.form_data import GOOD_PASSWORD, signup_form_data
from project.testing import AWAITING_APPROVAL, given
from project.testing_web import WebTestCase

MISMATCH = "The two passwords are not the same. Type the same password in both boxes."
USERNAME_TAKEN = "A user with that username already exists."
EMAIL_TAKEN = "A user with that email address already exists."
BAD_USERNAME = "Enter a valid username. This value may contain only letters, numbers, and ./+/-/_ characters."
TOO_SHORT = "This password is too short. It must contain at least 8 characters."
LIKE_USERNAME = "The password is too similar to the username."
BAD_EMAIL = "Enter an email address like name@school.example."


def both_passwords(password):
    return {"password1": password, "password2": password}


class TestAnAnonymousVisitorSigningUp(WebTestCase):
    def fill_in_signup(self, **values):
        form = self.get("/accounts/signup/").forms["signup-form"]
        for field, value in values.items():
            form[field] = value
        return form

    def test_is_logged_in_welcomed_and_told_the_office_will_approve_the_account(self):
        form = self.fill_in_signup(
            **signup_form_data(username="grace", email="grace@school.example", first_name="Grace", last_name="Hopper")
        )

        response = form.submit()

        self.assertRedirectsTo(response, "home")
        page = response.follow()
        self.assertEqual(page.status_code, 200)
        self.assertMessage(page, "Welcome to Student Records, grace!", level=messages.SUCCESS)
        self.assertContains(page, AWAITING_APPROVAL)
        self.assertContains(page, 'id="logout-form"')
        self.assertNotContains(page, 'id="nav-students"')
        user = User.objects.get(username="grace")
        self.assertEqual(user.email, "grace@school.example")
        self.assertEqual((user.first_name, user.last_name), ("Grace", "Hopper"))
        self.assertTrue(user.check_password(GOOD_PASSWORD))
        self.assertEqual(list(user.groups.all()), [])
        self.assertEqual(user.role, "none")
        self.assertFalse(user.is_staff or user.is_superuser)
        self.assertLoggedInAs(user)

    def test_sees_each_field_of_the_form(self):
        page = self.get("/accounts/signup/")

        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            [name for name in page.forms["signup-form"].fields if name not in (None, "csrfmiddlewaretoken")],
            ["username", "email", "first_name", "last_name", "password1", "password2"],
        )
        self.assertContains(page, "Used to reset your password.")
        labels = [label.get_text() for label in page.html.select("#signup-form label")]
        self.assertEqual(labels, ["Username:", "Email:", "First name:", "Last name:", "Password:", "Password again:"])

    def test_finds_the_way_to_log_in_when_they_already_have_an_account(self):
        page = self.get("/accounts/signup/").click(linkid="signup-login")

        self.assertEqual(page.request.path, "/accounts/login/")
        self.assertIn("login-form", page.forms)
        self.assertFalse(User.objects.exists())
        self.assertLoggedInAs(None)


class TestAnAnonymousVisitorSigningUpWithBadInput(WebTestCase):
    existing = given("accounts.viewer", username="taken", email="taken@school.example")
    zoe = given("accounts.viewer", username="zoë_groß", email="zoe@lycée.example")

    def test_sees_the_error_beside_the_field_what_they_typed_and_no_account_is_made(self):
        good = signup_form_data()
        cases = [
            # (what goes wrong, what the visitor types differently, field with the error, error shown)
            ("duplicate username", {"username": "taken"}, "username", USERNAME_TAKEN),
            ("username in another case", {"username": "TaKeN"}, "username", USERNAME_TAKEN),
            ("username in another case beyond A to Z", {"username": "ZOË_GROSS"}, "username", USERNAME_TAKEN),
            ("username with spaces", {"username": "new comer"}, "username", BAD_USERNAME),
            ("email in another case", {"email": "Taken@School.EXAMPLE"}, "email", EMAIL_TAKEN),
            ("email in another case beyond A to Z", {"email": "zoe@LYCÉE.example"}, "email", EMAIL_TAKEN),
            ("email with the accent typed apart", {"email": "zoe@lyce\u0301e.example"}, "email", EMAIL_TAKEN),
            ("malformed email", {"email": "newcomer-at-school"}, "email", BAD_EMAIL),
            ("mismatched passwords", {"password2": GOOD_PASSWORD + "!"}, "password2", MISMATCH),
            ("short password", both_passwords("Tq7!x"), "password2", TOO_SHORT),
            ("common password", both_passwords("qwertyuiop"), "password2", "This password is too common."),
            ("numeric password", both_passwords("80417359261"), "password2", "This password is entirely numeric."),
            ("password like the username", both_passwords("newcomer1"), "password2", LIKE_USERNAME),
            ("missing username", {"username": ""}, "username", "Choose a username."),
            ("missing email", {"email": ""}, "email", "Enter your email address."),
            ("missing first name", {"first_name": ""}, "first_name", "Enter your first name."),
            ("last name of spaces", {"last_name": "   "}, "last_name", "Enter your last name."),
            ("missing password", {"password1": ""}, "password1", "Choose a password."),
            ("missing repeated password", {"password2": ""}, "password2", "Type the password again."),
            ("username too long", {"username": "n" * 151}, "username", "Use at most 150 characters (this has 151)."),
        ]
        users_before = User.objects.count()

        for label, changes, field, error in cases:
            with self.subTest(label):
                typed = {**good, **changes}
                form = self.get("/accounts/signup/").forms["signup-form"]
                for name, value in typed.items():
                    form[name] = value

                response = form.submit()

                self.assertFieldError(response, "signup-form", field, error)
                form = response.forms["signup-form"]
                self.assertEqual(form["username"].value, typed["username"])
                self.assertEqual(form["email"].value, typed["email"])
                self.assertEqual(form["first_name"].value, typed["first_name"])
                self.assertEqual(form["last_name"].value, typed["last_name"])
                self.assertEqual(form["password1"].value, "")
                self.assertEqual(form["password2"].value, "")
                self.assertEqual(User.objects.count(), users_before)
                self.assertLoggedInAs(None)
