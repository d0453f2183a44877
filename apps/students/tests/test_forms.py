from datetime import date

from model_bakery import baker

from apps.students.forms import CourseForm, EnrollForm, StudentForm
from apps.students.models import Course
from project.testing import RecordsTestCase, given, on_day

from .form_data import course_form_data, student_form_data

TODAY = date(2024, 6, 15)
REQUIRED = "This field is required."


def email_of_length(length):
    """A well-formed address exactly `length` characters long (domain labels within 63)."""
    labels, left = [], length - len("a" * 64 + "@" + "org")  # each label takes its size + a dot
    while left:
        labels.append("d" * min(63, left - 1))
        left -= len(labels[-1]) + 1
    return f"{'a' * 64}@{'.'.join(labels)}.org"


class FormTestCase(RecordsTestCase):
    def assertRefusedAlone(self, cases, form_for):
        """For each (field, value, message): the form `form_for(field=value)` refuses that field alone, so."""
        for field, value, message in cases:
            with self.subTest(field=field, value=value[:30]):
                form = form_for(**{field: value})
                self.assertFormError(form, field, [message])
                self.assertEqual(list(form.errors), [field], "only the bad field is refused")


class TestTheStudentForm(FormTestCase):
    ada = given("students.student", email="ada@school.example")

    def setUp(self):
        self.enterContext(on_day(TODAY))

    def test_refuses_every_kind_of_bad_input_with_a_message_on_the_field(self):
        cases = [
            ("date_of_birth", "2024-06-16", "Date of birth cannot be in the future."),
            ("date_of_birth", "1904-06-14", "Date of birth cannot be more than 120 years ago."),
            ("date_of_birth", "15/06/2008", "Enter a valid date."),
            ("email", "ADA@School.Example", "A student with this email already exists."),
            ("email", "not-an-email", "Enter a valid email address."),
            ("email", email_of_length(255), "Ensure this value has at most 254 characters (it has 255)."),
            ("status", "expelled", "Select a valid choice. expelled is not one of the available choices."),
            ("first_name", "x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
            ("last_name", "x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
            ("enrolled_on", "someday", "Enter a valid date."),
            *[(field, "", REQUIRED) for field in ("first_name", "last_name", "email", "status", "enrolled_on")],
            ("first_name", "   ", REQUIRED),
        ]
        self.assertRefusedAlone(cases, lambda **typed: StudentForm(student_form_data(**typed)))

    def test_accepts_unicode_names_and_the_edges_of_the_rules(self):
        cases = [
            {"first_name": "Zoë", "last_name": "Ångström"},
            {"first_name": "李", "last_name": "雷"},
            {"first_name": "x" * 100, "last_name": "y" * 100},
            {"email": email_of_length(254)},
            {"date_of_birth": "1904-06-15"},  # exactly 120 years ago
            {"date_of_birth": "2024-06-15"},  # born today
            {"date_of_birth": "", "notes": ""},  # both optional
            {"status": "graduated"},
            {"status": "withdrawn"},
        ]
        for changes in cases:
            with self.subTest(**changes):
                form = StudentForm(student_form_data(**changes))
                self.assertTrue(form.is_valid(), form.errors)

    def test_saves_unicode_names_exactly_as_typed(self):
        student = StudentForm(student_form_data(first_name="Zoë", last_name="Ångström")).save()
        student.refresh_from_db()
        self.assertEqual(str(student), f"Zoë Ångström ({student.student_number})")

    def test_lets_a_student_keep_their_email_in_another_letter_case_when_edited(self):
        form = StudentForm(student_form_data(email="ADA@school.example"), instance=self.ada)
        self.assertTrue(form.is_valid(), form.errors)

    def test_offers_today_as_the_enrolment_date_of_a_new_student_only(self):
        self.assertEqual(StudentForm()["enrolled_on"].value(), TODAY)
        self.assertEqual(StudentForm(instance=self.ada)["enrolled_on"].value(), date(2024, 9, 1))

    def test_never_lets_the_student_number_be_typed_in(self):
        self.assertNotIn("student_number", StudentForm().fields)


class TestTheCourseForm(FormTestCase):
    math = given("students.course", code="MATH101", capacity=10)
    students = given("students.student", _quantity=3)
    enrollments = given("students.enrollment", student=students, course=math, _quantity=3)

    def test_refuses_every_kind_of_bad_input_with_a_message_on_the_field(self):
        at_least_one = "Ensure this value is greater than or equal to 1."
        cases = [
            ("capacity", "0", at_least_one),
            ("capacity", "-3", at_least_one),
            ("capacity", "many", "Enter a whole number."),
            ("capacity", "2.5", "Enter a whole number."),
            ("code", "math101", "Course with this Code already exists."),
            ("code", " Math101 ", "Course with this Code already exists."),
            ("code", "C" * 21, "Ensure this value has at most 20 characters (it has 21)."),
            ("title", "t" * 201, "Ensure this value has at most 200 characters (it has 201)."),
            *[(field, "", REQUIRED) for field in ("code", "title", "capacity")],
        ]
        self.assertRefusedAlone(cases, lambda **typed: CourseForm(course_form_data(**typed)))

    def test_stores_the_code_in_capitals(self):
        course = CourseForm(course_form_data(code=" bio110 ", title="t" * 200, description="")).save()
        self.assertEqual(Course.objects.get(pk=course.pk).code, "BIO110")

    def test_refuses_a_capacity_below_the_students_already_enrolled(self):
        form = CourseForm(course_form_data(code="MATH101", capacity="2"), instance=self.math)
        self.assertFormError(form, "capacity", ["Capacity cannot be lower than the 3 students already enrolled."])

    def test_accepts_a_capacity_equal_to_the_students_already_enrolled(self):
        form = CourseForm(course_form_data(code="math101", capacity="3"), instance=self.math)
        self.assertTrue(form.is_valid(), form.errors)


class TestTheEnrollForm(RecordsTestCase):
    student = given("students.student")
    art = given("students.course", code="ART140", title="Drawing", capacity=4)
    bio = given("students.course", code="BIO110", title="Biology", capacity=25)
    in_bio = given("students.enrollment", student=student, course=bio)

    def test_offers_the_courses_the_student_is_not_in_with_their_seats_left(self):
        menu = EnrollForm(student=self.student).fields["course"].widget.choices
        self.assertEqual(menu, [("", "Choose a course"), (self.art.pk, "ART140 — Drawing (4 seats left)")])

    def test_keeps_the_full_courses_of_one_form_to_itself(self):
        full = baker.make_recipe("students.course", code="CHEM130", capacity=1)
        baker.make_recipe("students.enrollment", course=full)
        self.assertEqual(EnrollForm(student=self.student).fields["course"].widget.full, {full.pk})
        full.delete_enrollments = full.enrollments.all().delete()
        self.assertEqual(EnrollForm(student=self.student).fields["course"].widget.full, set())
        self.assertEqual(EnrollForm.base_fields["course"].widget.full, set())

    def test_asks_for_a_course_that_exists(self):
        for value, message in (("", "Choose a course."), ("999999", "That course does not exist.")):
            with self.subTest(course=value):
                self.assertFormError(EnrollForm({"course": value}, student=self.student), "course", [message])
