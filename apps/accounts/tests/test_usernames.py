"""A username may not contain "@": email addresses are login names of their own."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse
from model_bakery import baker

from apps.accounts.models import User
from project.testing import SUPERUSER
from project.testing_web import WebTestCase

AT_SIGN = "A username may not contain “@”: your email address already logs you in."
PASSWORD = "Tangerine-Lighthouse-84"


class TestAnAnonymousVisitorSigningUpWithAnEmailAsUsername(WebTestCase):
    def test_is_told_a_username_may_not_contain_at_and_keeps_what_they_typed(self):
        form = self.app.get(reverse("accounts:signup")).forms["signup-form"]
        form["username"] = "grace@school.example"
        form["email"] = "grace@school.example"
        form["password1"] = form["password2"] = PASSWORD

        response = form.submit()

        self.assertFieldError(response, "signup-form", "username", AT_SIGN)
        self.assertEqual(response.forms["signup-form"]["username"].value, "grace@school.example")
        self.assertEqual(response.forms["signup-form"]["email"].value, "grace@school.example")
        self.assertFalse(User.objects.exists())
        self.assertLoggedInAs(None)

    def test_cannot_take_over_somebody_elses_email_as_a_username(self):
        owner = baker.make_recipe("accounts.viewer", email="ada@school.example")
        form = self.app.get(reverse("accounts:signup")).forms["signup-form"]
        form["username"] = "ada@school.example"
        form["email"] = "impostor@school.example"
        form["password1"] = form["password2"] = PASSWORD

        self.assertFieldError(form.submit(), "signup-form", "username", AT_SIGN)
        self.assertEqual(list(User.objects.all()), [owner])


class TestAnAdministratorNamingUsersInTheAdmin(WebTestCase):
    role = SUPERUSER

    def test_cannot_add_a_user_whose_username_contains_at(self):
        form = self.get(reverse("admin:accounts_user_add")).forms["user_form"]
        form["username"] = "dorothy@school.example"
        form["email"] = "dorothy@school.example"
        form["password1"] = form["password2"] = PASSWORD

        response = form.submit()

        self.assertEqual(response.status_code, 200)
        self.assertIn(AT_SIGN, response.html.select_one("#id_username_error").get_text())
        self.assertEqual(response.forms["user_form"]["username"].value, "dorothy@school.example")
        self.assertFalse(User.objects.filter(email="dorothy@school.example").exists())

    def test_cannot_rename_a_user_to_a_username_containing_at(self):
        member = baker.make_recipe("accounts.viewer", username="dorothy")
        form = self.get(reverse("admin:accounts_user_change", args=[member.pk])).forms["user_form"]
        form["username"] = "dorothy@school.example"

        response = form.submit("_save")

        self.assertEqual(response.status_code, 200)
        self.assertIn(AT_SIGN, response.html.select_one("#id_username_error").get_text())
        member.refresh_from_db()
        self.assertEqual(member.username, "dorothy")


class TestTheUsernameRule(SimpleTestCase):
    def errors_for(self, username):
        """What the rules say of `username` (the password aside): {field: messages}, {} when it passes."""
        try:
            baker.prepare_recipe("accounts.pending", username=username).clean_fields(exclude=["password"])
        except ValidationError as refusal:
            return refusal.message_dict
        return {}

    def test_refuses_at_anywhere_in_the_username(self):
        for username in ("a@b", "@ada", "ada@"):
            with self.subTest(username=username):
                self.assertEqual(self.errors_for(username), {"username": [AT_SIGN]})

    def test_accepts_letters_digits_and_the_other_signs(self):
        self.assertEqual(self.errors_for("ada.lovelace+1_x-y"), {})
