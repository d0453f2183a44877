"""Letter case is folded for every letter, not A to Z alone, on SQLite as on PostgreSQL (project/sqlite)."""

from importlib import import_module

from django.apps import apps as django_apps
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import NullIf
from model_bakery import baker

from apps.accounts.models import User
from apps.students.models import Student
from project.sqlite.functions import UnicodeLower
from project.testing import RecordsTestCase

UNIQUE_EMAILS = ("accounts.viewer", "students.student")


def schema_editor():
    # Not entered as a context: on SQLite that turns foreign keys off, which a test's
    # transaction forbids; dropping an index needs neither.
    return connection.schema_editor()


class TestALookupThatIgnoresCase(RecordsTestCase):
    """What the People search, the logins, the password reset and the admin's searches build on."""

    def test_ignores_the_case_of_every_letter_of_a_value_or_of_another_column(self):
        zoe = baker.make_recipe("accounts.viewer", username="zoë_ångström", first_name="ZOË", last_name="Zoë Ån")
        baker.make_recipe("accounts.viewer", username="zoexangstrom", first_name="Zoe", last_name="Åsa")
        cases = [
            ("username__iexact", "ZOË_ÅNGSTRÖM"),
            ("username__icontains", "Ë_Å"),
            ("username__istartswith", "ZOË_"),
            ("username__iendswith", "ÅNGSTRÖM"),
            ("last_name__iexact", Value("ZOË ÅN")),
            ("last_name__icontains", F("first_name")),
            ("last_name__istartswith", F("first_name")),
            ("last_name__iendswith", Value("ån")),
        ]
        for lookup, value in cases:
            with self.subTest(lookup, value=value):
                self.assertEqual(list(User.objects.filter(**{lookup: value})), [zoe])
        self.assertEqual(list(User.objects.filter(last_name__iendswith=F("first_name"))), [])

    def test_compares_what_the_unique_indexes_hold_the_lower_case_of_every_letter(self):
        baker.make_recipe("accounts.viewer", email="Zoë@LYCÉE.example", first_name="")
        folded = User.objects.annotate(
            email_folded=UnicodeLower("email"), nothing=UnicodeLower(NullIf("first_name", Value("")))
        )

        self.assertEqual(list(folded.values_list("email_folded", "nothing")), [("zoë@lycée.example", None)])


class TestAnEmailInAnotherLetterCase(RecordsTestCase):
    def test_is_refused_by_the_database_itself_whatever_its_letters(self):
        for recipe in UNIQUE_EMAILS:
            with self.subTest(recipe):
                kept = baker.make_recipe(recipe, email="zoe@lycée.example")
                for twin in ("zoe@LYCÉE.example", "ZOE@LYCÉE.EXAMPLE"):
                    with self.assertRaises(IntegrityError), transaction.atomic():
                        baker.make_recipe(recipe, email=twin)
                model = type(kept)
                self.assertEqual(list(model.objects.filter(email__iexact="ZOE@Lycée.Example")), [kept])

    def test_held_twice_stops_the_migration_naming_each_pair(self):
        # As SQLite held them before: its index did not tell these apart.
        schema_editor().remove_constraint(Student, Student._meta.constraints[0])
        first = baker.make_recipe("students.student", email="zoe@LYCÉE.example")
        second = baker.make_recipe("students.student", email="zoe@lycée.example")
        third = baker.make_recipe("students.student", email="ÅSA@school.example")
        fourth = baker.make_recipe("students.student", email="åsa@school.example")
        # Two addresses, however alike in capitals: "STRASSE" is "strasse" in lower case, not "straße".
        baker.make_recipe("students.student", email="a@straße.example")
        baker.make_recipe("students.student", email="a@STRASSE.example")

        migration = import_module("apps.students.migrations.0007_emails_unique_in_every_letter_case")

        with self.assertRaises(CommandError) as stopped:
            migration.refuse_emails_one_in_any_case(django_apps, schema_editor())

        self.assertEqual(
            str(stopped.exception),
            "Each email of a student must be unique in any letter case, and these are not: "
            f"zoe@LYCÉE.example (id {first.pk}) and zoe@lycée.example (id {second.pk}); "
            f"ÅSA@school.example (id {third.pk}) and åsa@school.example (id {fourth.pk}). "
            "Change all but one of each, then run migrate again.",
        )
        self.assertEqual(Student.objects.count(), 6)
        self.assertEqual(User.objects.filter(email__iexact="zoe@lycée.example").count(), 0)
