from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase, TestCase
from model_bakery import baker

from apps.accounts.models import User
from apps.accounts.roles import ADMINISTRATORS, REGISTRARS, VIEWERS
from project.testing import RecordsTestCase, given


class TestAUserOnItsOwn(SimpleTestCase):
    def test_is_shown_by_username(self):
        user = baker.prepare_recipe("accounts.pending", username="ada")

        self.assertEqual(str(user), "ada")

    def test_who_is_a_superuser_is_an_administrator_whatever_their_groups(self):
        user = baker.prepare_recipe("accounts.superuser")

        self.assertEqual(user.role, "administrator")
        self.assertEqual(user.get_role_display(), "Administrator")

    def test_must_give_an_email_address(self):
        user = baker.prepare_recipe("accounts.pending", email="")

        with self.assertRaises(ValidationError) as raised:
            user.clean_fields()

        self.assertEqual(raised.exception.message_dict["email"], ["This field cannot be blank."])


class TestAUsersRole(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.viewers = Group.objects.get(name=VIEWERS)
        cls.registrars = Group.objects.get(name=REGISTRARS)

    def test_follows_the_strongest_group_they_are_in(self):
        cases = [
            ([], "none"),
            ([VIEWERS], "viewer"),
            ([REGISTRARS], "registrar"),
            ([VIEWERS, REGISTRARS], "registrar"),
            ([ADMINISTRATORS], "administrator"),
            ([VIEWERS, ADMINISTRATORS], "administrator"),
        ]
        for groups, role in cases:
            with self.subTest(groups=groups):
                user = baker.make_recipe("accounts.pending", groups=[Group.objects.get(name=name) for name in groups])

                self.assertEqual(user.role, role)

    def test_is_administrator_for_a_superuser_even_in_a_group(self):
        user = baker.make_recipe("accounts.superuser", groups=[self.viewers])

        self.assertEqual(user.role, "administrator")

    def test_comes_with_each_recipe(self):
        cases = {
            "pending": ("none", "Pending approval"),
            "roleless": ("none", "Pending approval"),
            "viewer": ("viewer", "Viewer"),
            "registrar": ("registrar", "Registrar"),
            "administrator": ("administrator", "Administrator"),
            "superuser": ("administrator", "Administrator"),
        }
        for recipe, (role, label) in cases.items():
            with self.subTest(recipe=recipe):
                user = baker.make_recipe(f"accounts.{recipe}")
                self.assertEqual((user.role, user.get_role_display()), (role, label))


class TestTwoUsersWithTheSameEmail(RecordsTestCase):
    first = given("accounts.pending", email="Ada.Lovelace@School.example")

    def test_cannot_both_be_saved_in_any_letter_case(self):
        for email in ("Ada.Lovelace@School.example", "ada.lovelace@school.example", "ADA.LOVELACE@SCHOOL.EXAMPLE"):
            with self.subTest(email=email), self.assertRaises(IntegrityError), transaction.atomic():
                baker.make_recipe("accounts.pending", email=email)

        self.assertEqual(User.objects.filter(email__iexact="ada.lovelace@school.example").count(), 1)

    def test_are_refused_by_validation_with_a_clear_message(self):
        second = baker.prepare_recipe("accounts.pending", email="ADA.lovelace@school.EXAMPLE")

        with self.assertRaises(ValidationError) as raised:
            second.full_clean()

        self.assertIn("A user with that email address already exists.", raised.exception.messages)

    def test_do_not_clash_with_a_different_address(self):
        second = baker.make_recipe("accounts.pending", email="ada.byron@school.example")

        second.full_clean()
        self.assertEqual(User.objects.count(), 2)


class TestTheNamesOfAnAccount(SimpleTestCase):
    def test_are_one_line_of_visible_text(self):
        account = baker.prepare_recipe("accounts.pending", first_name="Ada\u202e", last_name="Love\nlace")
        with self.assertRaises(ValidationError) as refusal:
            account.full_clean(exclude=["password", "username", "email"])
        message = "Use one line of plain text: no line breaks, tabs or invisible control characters."
        self.assertEqual(refusal.exception.message_dict, {"first_name": [message], "last_name": [message]})
