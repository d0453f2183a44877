from django.test import SimpleTestCase
from model_bakery import baker

from apps.accounts.forms import LoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm, SignUpForm
from apps.accounts.models import User
from apps.accounts.tests.form_data import GOOD_PASSWORD, signup_form_data
from project.testing import KNOWN_PASSWORD, PENDING, RecordsTestCase, given
from project.testing_web import WebTestCase

BAD_LOGIN = "Please enter a correct username or email and password."
MISMATCH = "The two passwords are not the same. Type the same password in both boxes."
DJANGO_REQUIRED = "This field is required."


class TestASignUpFormOnItsOwn(SimpleTestCase):
    """Checks that need no database: these inputs never reach a uniqueness query."""

    def test_asks_for_every_field_in_its_own_words(self):
        form = SignUpForm(data={})

        self.assertFalse(form.is_valid())
        for field, message in (
            ("username", "Choose a username."),
            ("email", "Enter your email address."),
            ("first_name", "Enter your first name."),
            ("last_name", "Enter your last name."),
            ("password1", "Choose a password."),
            ("password2", "Type the password again."),
        ):
            with self.subTest(field=field):
                self.assertFormError(form, field, [message])

    def test_refuses_a_malformed_email_and_mismatched_passwords(self):
        form = SignUpForm(
            data={"email": "ada-at-school", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "!"}
        )

        self.assertFalse(form.is_valid())
        self.assertFormError(form, "email", ["Enter an email address like name@school.example."])
        self.assertFormError(form, "password2", [MISMATCH])

    def test_explains_what_the_email_is_for(self):
        self.assertEqual(SignUpForm().fields["email"].help_text, "Used to reset your password.")
        self.assertEqual(
            list(SignUpForm().fields), ["username", "email", "first_name", "last_name", "password1", "password2"]
        )


class TestThePasswordFormsOnTheirOwn(SimpleTestCase):
    def test_ask_for_each_field_in_their_own_words(self):
        user = baker.prepare_recipe(f"accounts.{PENDING}")
        cases = [
            (PasswordChangeForm(user, data={}), "old_password", "Enter your current password."),
            (PasswordChangeForm(user, data={}), "new_password1", "Choose a new password."),
            (PasswordChangeForm(user, data={}), "new_password2", "Type the new password again."),
            (SetPasswordForm(user, data={}), "new_password1", "Choose a new password."),
            (SetPasswordForm(user, data={}), "new_password2", "Type the new password again."),
            (PasswordResetForm(data={}), "email", "Enter the email address of your account."),
            (PasswordResetForm(data={"email": "ada"}), "email", "Enter an email address like name@school.example."),
        ]
        for form, field, message in cases:
            with self.subTest(form=type(form).__name__, field=field):
                self.assertFalse(form.is_valid())
                self.assertFormError(form, field, [message])

    def test_say_so_when_the_new_passwords_differ(self):
        user = baker.prepare_recipe(f"accounts.{PENDING}")
        for form in (SetPasswordForm, PasswordChangeForm):
            with self.subTest(form=form.__name__):
                bound = form(user, data={"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD + "!"})
                self.assertFalse(bound.is_valid())
                self.assertFormError(bound, "new_password2", [MISMATCH])


class TestTheAccountPagesSubmittedEmpty(WebTestCase):
    """Every account form a visitor or member can send empty speaks the site's words."""

    role = PENDING

    def test_name_each_missing_field_and_never_use_djangos_default_words(self):
        for path, form_id, user, fields in (
            ("/accounts/signup/", "signup-form", None, 6),
            ("/accounts/login/", "login-form", None, 2),
            ("/accounts/password/reset/", "password-reset-form", None, 1),
            ("/accounts/password/change/", "password-change-form", ..., 3),
        ):
            with self.subTest(path=path):
                page = self.get(path, user=user).forms[form_id].submit()

                summary = page.html.select("#error-summary li")
                self.assertEqual(len(summary), fields, [item.get_text() for item in summary])
                self.assertNotContains(page, DJANGO_REQUIRED)
                self.assertNotContains(page, "This field")
                self.assertValidHtml(page)
        self.assertEqual(User.objects.count(), 1)


class TestASignUpForm(RecordsTestCase):
    existing = given("accounts.pending", username="taken", email="taken@school.example")

    def data(self, **changes):
        return signup_form_data(**changes)

    def test_saves_a_user_with_a_hashed_password(self):
        form = SignUpForm(data=self.data())

        self.assertTrue(form.is_valid(), form.errors)
        user = form.save()

        self.assertEqual((user.username, user.email), ("newcomer", "newcomer@school.example"))
        self.assertEqual(user.get_full_name(), "Nell Newcomer")
        self.assertNotEqual(user.password, GOOD_PASSWORD)
        self.assertTrue(user.check_password(GOOD_PASSWORD))
        self.assertEqual(user.role, "none")  # waiting for the office to give it a role

    def test_refuses_a_username_or_email_already_in_use_in_any_case(self):
        cases = [
            ("username", {"username": "TAKEN"}, "A user with that username already exists."),
            ("email", {"email": "Taken@School.Example"}, "A user with that email address already exists."),
        ]
        for field, changes, error in cases:
            with self.subTest(field=field):
                form = SignUpForm(data=self.data(**changes))

                self.assertFalse(form.is_valid())
                self.assertFormError(form, field, [error])
                self.assertEqual(form.non_field_errors(), [])

        self.assertEqual(User.objects.count(), 1)


class TestALoginFormOnItsOwn(SimpleTestCase):
    def test_asks_for_both_fields(self):
        form = LoginForm(data={})

        self.assertFalse(form.is_valid())
        self.assertFormError(form, "username", ["Enter your username or email."])
        self.assertFormError(form, "password", ["Enter your password."])

    def test_takes_a_username_or_an_email_address_up_to_254_characters(self):
        form = LoginForm(data={"username": "a" * 255, "password": "whatever"})

        self.assertEqual(form.fields["username"].label, "Username or email")
        self.assertFalse(form.is_valid())
        self.assertFormError(form, "username", ["Use at most 254 characters (this has 255)."])


class TestALoginForm(RecordsTestCase):
    member = given("accounts.viewer", username="ada", email="ada@school.example")
    former = given("accounts.inactive_user", username="former")

    def test_finds_the_user_by_email(self):
        form = LoginForm(data={"username": "ADA@school.example", "password": KNOWN_PASSWORD})

        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.get_user(), self.member)

    def test_gives_one_message_for_every_kind_of_refusal(self):
        # The same words whether the name is unknown, the password wrong or the account closed.
        for username, password in (("ada", "wrong"), ("nobody", KNOWN_PASSWORD), ("former", KNOWN_PASSWORD)):
            with self.subTest(username=username):
                form = LoginForm(data={"username": username, "password": password})

                self.assertFalse(form.is_valid())
                self.assertEqual(form.non_field_errors(), [BAD_LOGIN])
                self.assertIsNone(form.get_user())
