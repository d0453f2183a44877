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
from project.sqlite.functions import CaseFolded
from project.testing import RecordsTestCase

UNIQUE_EMAILS = ("accounts.viewer", "students.student")


def schema_editor():
    # Not entered as a context: on SQLite that turns foreign keys off, which a test's
    # transaction forbids; dropping an index needs neither.
    return connection.schema_editor()


def store_as_typed(student, email):
    """As emails were stored before: not composed (the app's own writes compose them now)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE students_student SET email = %s WHERE id = %s", [email, student.pk])


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

    def test_folds_for_the_unique_indexes_as_both_databases_do(self):
        baker.make_recipe("accounts.viewer", email="Zoë@LYCÉE.example", first_name="", last_name="Straße")
        folded = User.objects.annotate(
            email_folded=CaseFolded("email"),
            name_folded=CaseFolded("last_name"),
            nothing=CaseFolded(NullIf("first_name", Value(""))),
        )

        self.assertEqual(
            list(folded.values_list("email_folded", "name_folded", "nothing")),
            [("zoë@lycée.example", "strasse", None)],
        )


class TestAnEmailInAnotherForm(RecordsTestCase):
    def test_is_refused_by_the_database_itself_whatever_its_letters(self):
        twins = [
            ("zoe@lycée.example", "zoe@LYCÉE.example"),
            ("zoe@lycée.example", "ZOE@LYCÉE.EXAMPLE"),
            ("zoe@lycée.example", "zoe@lyce\u0301e.example"),  # the accent typed as a mark of its own
            ("n@οδος.example", "n@ΟΔΟΣ.example"),
            ("a@straße.example", "a@STRASSE.example"),
            ("b@lycee.example", "b@\uff4c\uff59\uff43\uff45\uff45.example"),  # in full-width letters
        ]
        for recipe in UNIQUE_EMAILS:
            for email, twin in twins:
                with self.subTest(recipe, twin=twin):
                    kept = baker.make_recipe(recipe, email=email)
                    with self.assertRaises(IntegrityError), transaction.atomic():
                        baker.make_recipe(recipe, email=twin)
                    self.assertEqual(list(type(kept).objects.filter(email__in=[email, twin])), [kept])
                    kept.delete()

    def test_is_stored_as_it_looks(self):
        for recipe in UNIQUE_EMAILS:
            with self.subTest(recipe):
                saved = baker.make_recipe(recipe, email="zoe@lyce\u0301e.example")
                self.assertEqual(type(saved).objects.get(pk=saved.pk).email, "zoe@lycée.example")

    def test_held_twice_stops_the_migration_naming_each_pair(self):
        # As the databases held them before: their index did not tell these apart.
        schema_editor().remove_constraint(Student, Student._meta.constraints[0])
        first = baker.make_recipe("students.student", email="zoe@LYCÉE.example")
        second = baker.make_recipe("students.student", email="zoe@lycée.example")
        baker.make_recipe("students.student", email="asa@school.example")
        fourth = baker.make_recipe("students.student", email="åsa@school.example")
        fifth = baker.make_recipe("students.student", email="n@οδος.example")
        sixth = baker.make_recipe("students.student", email="N@ΟΔΟΣ.example")
        store_as_typed(fourth, "a\u030asa@school.example")  # å as a mark of its own
        migration = import_module("apps.students.migrations.0007_emails_unique_in_every_letter_case")

        with self.assertRaises(CommandError) as stopped:
            migration.store_emails_composed(django_apps, schema_editor())

        self.assertEqual(
            str(stopped.exception),
            "Each email of a student must be unique in any letter case, and these are not: "
            f"zoe@LYCÉE.example (id {first.pk}) and zoe@lycée.example (id {second.pk}); "
            f"n@οδος.example (id {fifth.pk}) and N@ΟΔΟΣ.example (id {sixth.pk}). "
            "Change all but one of each, then run migrate again.",
        )
        self.assertEqual(Student.objects.get(pk=fourth.pk).email, "a\u030asa@school.example", "nothing composed")
        self.assertEqual(Student.objects.count(), 6)

    def test_are_stored_composed_by_the_migration_when_none_is_held_twice(self):
        composed = baker.make_recipe("students.student", email="ada@lycée.example")
        student = baker.make_recipe("students.student", email="zoe@school.example")
        store_as_typed(student, "zoe@lyce\u0301e.example")
        self.assertEqual(Student.objects.get(pk=student.pk).email, "zoe@lyce\u0301e.example")
        migration = import_module("apps.students.migrations.0007_emails_unique_in_every_letter_case")

        migration.store_emails_composed(django_apps, schema_editor())

        self.assertEqual(Student.objects.get(pk=student.pk).email, "zoe@lycée.example")
        self.assertEqual(Student.objects.get(pk=composed.pk).email, "ada@lycée.example")
