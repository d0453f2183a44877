from django.test import SimpleTestCase

from apps.accounts.forms import LoginForm, SignUpForm
from apps.accounts.models import User
from project.testing import KNOWN_PASSWORD, RecordsTestCase, given

GOOD_PASSWORD = "Lantern-Fjord-Bicycle-45"
BAD_LOGIN = "Please enter a correct username or email and password."
MISMATCH = "The two password fields didn\u2019t match."  # Django's typographic apostrophe


class TestASignUpFormOnItsOwn(SimpleTestCase):
    """Checks that need no database: these inputs never reach a uniqueness query."""

    def test_asks_for_every_field(self):
        form = SignUpForm(data={})

        self.assertFalse(form.is_valid())
        for field in ("username", "email", "password1", "password2"):
            with self.subTest(field=field):
                self.assertFormError(form, field, ["This field is required."])

    def test_refuses_a_malformed_email_and_mismatched_passwords(self):
        form = SignUpForm(
            data={"email": "ada-at-school", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "!"}
        )

        self.assertFalse(form.is_valid())
        self.assertFormError(form, "email", ["Enter a valid email address."])
        self.assertFormError(form, "password2", [MISMATCH])

    def test_explains_what_the_email_is_for(self):
        self.assertEqual(SignUpForm().fields["email"].help_text, "Used to reset your password.")
        self.assertEqual(list(SignUpForm().fields), ["username", "email", "password1", "password2"])


class TestASignUpForm(RecordsTestCase):
    existing = given("accounts.pending", username="taken", email="taken@school.example")

    def data(self, **changes):
        return {
            "username": "newcomer",
            "email": "newcomer@school.example",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            **changes,
        }

    def test_saves_a_user_with_a_hashed_password(self):
        form = SignUpForm(data=self.data())

        self.assertTrue(form.is_valid(), form.errors)
        user = form.save()

        self.assertEqual((user.username, user.email), ("newcomer", "newcomer@school.example"))
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
        self.assertFormError(form, "username", ["This field is required."])
        self.assertFormError(form, "password", ["This field is required."])

    def test_takes_a_username_or_an_email_address_up_to_254_characters(self):
        form = LoginForm(data={"username": "a" * 255, "password": "whatever"})

        self.assertEqual(form.fields["username"].label, "Username or email")
        self.assertFalse(form.is_valid())
        self.assertFormError(form, "username", ["Ensure this value has at most 254 characters (it has 255)."])


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
