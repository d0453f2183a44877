from datetime import date
from importlib import import_module

from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import SimpleTestCase, TestCase
from model_bakery import baker

from apps.students.models import Course, Enrollment, Student
from project.testing import RecordsTestCase, given, on_day


class TestAStudentsAge(SimpleTestCase):
    def student_born(self, day):
        return baker.prepare_recipe("students.student", date_of_birth=day)

    def test_counts_whole_years_until_the_birthday(self):
        student = self.student_born(date(2008, 6, 15))
        self.assertEqual(student.age_on(date(2024, 6, 14)), 15)

    def test_goes_up_on_the_birthday_itself(self):
        student = self.student_born(date(2008, 6, 15))
        self.assertEqual(student.age_on(date(2024, 6, 15)), 16)

    def test_of_a_leap_day_baby_goes_up_on_1_march_in_a_common_year(self):
        student = self.student_born(date(2008, 2, 29))
        self.assertEqual(student.age_on(date(2025, 2, 28)), 16)
        self.assertEqual(student.age_on(date(2025, 3, 1)), 17)

    def test_of_a_leap_day_baby_goes_up_on_29_february_in_a_leap_year(self):
        student = self.student_born(date(2008, 2, 29))
        self.assertEqual(student.age_on(date(2028, 2, 28)), 19)
        self.assertEqual(student.age_on(date(2028, 2, 29)), 20)

    def test_is_counted_from_today_when_the_birthday_is_today(self):
        student = self.student_born(date(2010, 3, 7))
        with on_day(date(2024, 3, 7)):
            self.assertEqual(student.age, 14)

    def test_is_unknown_without_a_date_of_birth(self):
        self.assertIsNone(self.student_born(None).age)


class TestAStudentNumberFormat(SimpleTestCase):
    def test_is_an_s_and_six_digits(self):
        self.assertEqual(Student.number_for(123), "S000123")
        self.assertEqual(Student.number_for(1), "S000001")

    def test_grows_past_a_million_students_instead_of_wrapping(self):
        self.assertEqual(Student.number_for(1234567), "S1234567")


class TestAStudentNumber(TestCase):
    def test_is_derived_from_the_primary_key_when_the_student_is_saved(self):
        student = baker.make_recipe("students.student")
        self.assertEqual(student.student_number, Student.number_for(student.pk))
        self.assertEqual(student.get_absolute_url(), f"/students/{student.pk}/")
        self.assertEqual(Student.objects.get(pk=student.pk).student_number, Student.number_for(student.pk))

    def test_stays_the_same_when_the_student_is_saved_again(self):
        student = baker.make_recipe("students.student")
        number = student.student_number
        student.last_name = "Byron"
        student.save()
        student.refresh_from_db()
        self.assertEqual((student.student_number, student.last_name), (number, "Byron"))

    def test_differs_for_every_student(self):
        students = baker.make_recipe("students.student", _quantity=3)
        self.assertEqual(len({student.student_number for student in students}), 3)


class TestAStudentsSearchText(TestCase):
    def test_holds_names_and_email_without_case_or_accents_after_every_save(self):
        student = baker.make_recipe("students.student", first_name="Zoë", last_name="ÅNGSTRÖM", email="Z@X.example")
        self.assertEqual(Student.objects.get().search_text, "zoe\nangstrom\nz@x.example")
        student.last_name = "Straße"
        student.save(update_fields=["last_name"])
        self.assertEqual(Student.objects.get().search_text, "zoe\nstrasse\nz@x.example")
        student.notes = "only notes"
        student.save(update_fields=["notes"])
        self.assertEqual(Student.objects.get().notes, "only notes")

    def test_is_left_alone_by_a_save_of_other_fields_from_an_older_copy(self):
        student = baker.make_recipe("students.student", first_name="Ada", last_name="Lovelace", email="a@x.example")
        older_copy = Student.objects.get()
        student.last_name = "Byron"
        student.save(update_fields=["last_name"])
        older_copy.notes = "only notes"
        older_copy.save(update_fields=["notes"])
        self.assertEqual(
            Student.objects.values_list("search_text", "notes").get(), ("ada\nbyron\na@x.example", "only notes")
        )

    def test_is_filled_in_by_bulk_create_too_which_keeps_its_options(self):
        emile, twin = (
            baker.prepare_recipe("students.student", first_name="Émile", last_name="Zola", email=email)
            for email in ("e@z.example", "E@Z.example")
        )
        Student.objects.bulk_create([emile, twin], ignore_conflicts=True)  # the same email: the twin is skipped
        self.assertEqual(Student.objects.get().search_text, "emile\nzola\ne@z.example")

    def test_is_filled_in_for_existing_students_by_the_migration(self):
        backfill = import_module("apps.students.migrations.0003_student_search_text").fill_search_text
        baker.make_recipe("students.student", first_name="Émile", last_name="Zola", email="E@Z.example")
        Student.objects.update(search_text="")
        backfill(django_apps, None)
        self.assertEqual(Student.objects.get().search_text, "emile\nzola\ne@z.example")

    def test_is_read_anew_for_existing_students_by_the_migration(self):
        refill = import_module("apps.students.migrations.0009_search_reads_more_letters_as_typed").refill_search_text
        baker.make_recipe("students.student", first_name="Søren", last_name="O’Brien", email="S@Y.example")
        Student.objects.update(search_text="søren\no’brien\ns@y.example")  # as the search read them before
        refill(django_apps, None)
        self.assertEqual(Student.objects.get().search_text, "soren\no'brien\ns@y.example")


class TestHowRecordsAreNamed(SimpleTestCase):
    def test_a_saved_student_is_named_with_their_number(self):
        student = baker.prepare_recipe("students.student", first_name="Zoë", last_name="Ångström")
        student.student_number = "S000042"
        self.assertEqual(str(student), "Zoë Ångström (S000042)")

    def test_a_student_not_yet_numbered_is_named_by_name_only(self):
        student = baker.prepare_recipe("students.student", first_name="李", last_name="雷")
        self.assertEqual(str(student), "李 雷")
        self.assertEqual(student.full_name, "李 雷")

    def test_a_course_is_named_by_code_and_title(self):
        course = baker.prepare_recipe("students.course", code="MATH101", title="Algebra I")
        self.assertEqual(str(course), "MATH101 — Algebra I")

    def test_an_enrollment_names_the_student_and_the_course_code(self):
        student = baker.prepare_recipe("students.student", first_name="Ada", last_name="Lovelace")
        course = baker.prepare_recipe("students.course", code="MATH101")
        enrollment = baker.prepare_recipe("students.enrollment", student=student, course=course)
        self.assertEqual(str(enrollment), "Ada Lovelace in MATH101")


class TestACoursesSeatsLeft(RecordsTestCase):
    course = given("students.course", capacity=3)
    students = given("students.student", _quantity=2)
    enrollments = given("students.enrollment", course=course, student=students, _quantity=2)

    def test_counts_the_enrollments(self):
        self.assertEqual(Course.objects.get(pk=self.course.pk).seats_left, 1)

    def test_uses_the_enrolled_count_annotation_without_another_query(self):
        course = Course.objects.get(pk=self.course.pk)
        course.enrolled_count = 3
        with self.assertNumQueries(0):
            self.assertEqual(course.seats_left, 0)

    def test_is_never_negative(self):
        Course.objects.filter(pk=self.course.pk).update(capacity=1)  # bypasses the form's rule
        self.assertEqual(Course.objects.get(pk=self.course.pk).seats_left, 0)


class TestACourseCode(TestCase):
    def test_is_stored_in_capitals_without_surrounding_spaces(self):
        course = baker.make_recipe("students.course", code="  math101 ")
        self.assertEqual(Course.objects.get(pk=course.pk).code, "MATH101")
        self.assertEqual(str(course), "MATH101 — Introduction to Algebra")  # as saved
        self.assertEqual(course.get_absolute_url(), f"/courses/{course.pk}/")


class TestTheDatabaseItself(TestCase):
    """The last line of defence when a write bypasses forms and serializers."""

    def test_refuses_a_course_without_seats(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Course.objects.create(code="ZERO1", title="Nobody", capacity=0)

    def test_refuses_two_students_whose_emails_differ_only_in_case(self):
        baker.make_recipe("students.student", email="ada@school.example")
        with self.assertRaises(IntegrityError), transaction.atomic():
            baker.make_recipe("students.student", email="ADA@School.example")
        self.assertEqual(Student.objects.count(), 1)

    def test_refuses_the_same_student_twice_in_a_course(self):
        enrollment = baker.make_recipe("students.enrollment")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Enrollment.objects.create(student=enrollment.student, course=enrollment.course)

    def test_keeps_a_course_that_still_has_enrollments(self):
        enrollment = baker.make_recipe("students.enrollment")
        with self.assertRaises(ProtectedError), transaction.atomic():
            enrollment.course.delete()
        self.assertTrue(Course.objects.filter(pk=enrollment.course_id).exists())

    def test_removes_a_students_enrollments_with_the_student(self):
        enrollment = baker.make_recipe("students.enrollment")
        enrollment.student.delete()
        self.assertFalse(Enrollment.objects.exists())
        self.assertTrue(Course.objects.filter(pk=enrollment.course_id).exists())
