from datetime import date

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from model_bakery import baker

from apps.students import rules
from project.testing import RecordsTestCase, given, on_day

TODAY = date(2024, 6, 15)


class TestTheDateOfBirthRule(SimpleTestCase):
    def assertRefused(self, value, message):
        with self.assertRaisesMessage(ValidationError, message):
            rules.validate_date_of_birth(value)

    def test_accepts_today_and_every_day_up_to_exactly_120_years_ago(self):
        with on_day(TODAY):
            for value in (TODAY, date(2008, 2, 29), date(1904, 6, 15)):
                with self.subTest(value=value):
                    self.assertIsNone(rules.validate_date_of_birth(value))

    def test_refuses_a_day_in_the_future(self):
        with on_day(TODAY):
            self.assertRefused(date(2024, 6, 16), "Date of birth cannot be in the future.")

    def test_refuses_a_day_more_than_120_years_ago(self):
        with on_day(TODAY):
            self.assertRefused(date(1904, 6, 14), "Date of birth cannot be more than 120 years ago.")

    def test_on_29_february_counts_back_to_28_february_when_that_year_had_no_leap_day(self):
        # 1900 was not a leap year, so "120 years before 2020-02-29" is 1900-02-28.
        with on_day(date(2020, 2, 29)):
            self.assertIsNone(rules.validate_date_of_birth(date(1900, 2, 28)))
            self.assertRefused(date(1900, 2, 27), "more than 120 years ago")


class TestTheStudentEmailRule(RecordsTestCase):
    ada = given("students.student", email="ada@school.example")

    def test_refuses_an_email_taken_in_another_letter_case(self):
        with self.assertRaisesMessage(ValidationError, "A student with this email already exists."):
            rules.validate_unique_student_email("ADA@School.Example")

    def test_lets_a_student_keep_their_own_email(self):
        self.assertIsNone(rules.validate_unique_student_email("Ada@school.example", self.ada))

    def test_accepts_an_email_nobody_has(self):
        self.assertIsNone(rules.validate_unique_student_email("grace@school.example"))


class TestTheCapacityRule(RecordsTestCase):
    course = given("students.course", capacity=5)
    students = given("students.student", _quantity=2)
    enrollments = given("students.enrollment", student=students, course=course, _quantity=2)

    def test_refuses_a_capacity_below_the_students_already_enrolled(self):
        message = "Capacity cannot be lower than the 2 students already enrolled."
        with self.assertRaisesMessage(ValidationError, message):
            rules.validate_capacity(self.course, 1)

    def test_accepts_a_capacity_equal_to_the_enrollments(self):
        self.assertIsNone(rules.validate_capacity(self.course, 2))

    def test_has_nothing_to_check_for_a_new_course_or_a_missing_capacity(self):
        with self.assertNumQueries(0):
            self.assertIsNone(rules.validate_capacity(None, 1))
            self.assertIsNone(rules.validate_capacity(baker.prepare_recipe("students.course"), 1))
            self.assertIsNone(rules.validate_capacity(self.course, None))


class TestCourseCodes(SimpleTestCase):
    def test_are_trimmed_and_upper_cased(self):
        self.assertEqual(rules.normalise_course_code("  bio110 "), "BIO110")
