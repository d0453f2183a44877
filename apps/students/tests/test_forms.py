from datetime import date

from model_bakery import baker

from apps.students.forms import CourseForm, EnrollForm, StudentForm
from apps.students.models import Course
from project.testing import RecordsTestCase, given, on_day

from .form_data import course_form_data, student_form_data

TODAY = date(2024, 6, 15)

ONE_LINE = "Use one line of plain text: no line breaks, tabs or invisible control characters."


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
    zoe = given("students.student", email="zoe@lycée.example")

    def setUp(self):
        self.enterContext(on_day(TODAY))

    def test_refuses_every_kind_of_bad_input_with_a_message_on_the_field(self):
        cases = [
            ("date_of_birth", "2024-06-16", "Date of birth cannot be in the future."),
            ("date_of_birth", "1904-06-14", "Date of birth cannot be more than 120 years ago."),
            ("date_of_birth", "15/06/2008", "Enter the date of birth as YYYY-MM-DD, like 2009-12-16."),
            ("email", "ADA@School.Example", "A student with this email already exists."),
            ("email", "zoe@LYCÉE.example", "A student with this email already exists."),
            ("email", "not-an-email", "Enter an email address like name@school.example."),
            ("email", email_of_length(255), "An email address can be at most 254 characters."),
            ("status", "expelled", "Choose Active, Graduated or Withdrawn."),
            ("first_name", "x" * 101, "A first name can be at most 100 characters."),
            ("first_name", "Ada\u202e", ONE_LINE),
            ("last_name", "x" * 101, "A last name can be at most 100 characters."),
            (
                "notes",
                "Line one\nline two\u202e",
                "Remove the invisible control characters (such as text-direction overrides).",
            ),
            ("enrolled_on", "someday", "Enter the enrollment date as YYYY-MM-DD, like 2024-09-02."),
            ("first_name", "", "Enter the first name."),
            ("last_name", "", "Enter the last name."),
            ("email", "", "Enter the email address."),
            ("status", "", "Choose a status."),
            ("enrolled_on", "", "Enter the date the student enrolled."),
            ("first_name", "   ", "Enter the first name."),
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
        at_least_one = "A course has at least 1 seat."
        bad_code = "A course code is 2 to 20 letters, digits or hyphens, like MATH101."
        cases = [
            ("capacity", "0", at_least_one),
            ("capacity", "-3", at_least_one),
            ("capacity", "many", "Enter the number of seats as a whole number, like 30."),
            ("capacity", "2.5", "Enter the number of seats as a whole number, like 30."),
            ("code", "math101", "A course with this code already exists."),
            ("code", " Math101 ", "A course with this code already exists."),
            ("code", "\uff2d\uff21\uff34\uff28101", "A course with this code already exists."),
            ("code", "C" * 21, bad_code),
            ("code", "ART\n140", bad_code),
            ("code", "ART 140", bad_code),
            ("title", "t" * 201, "A title can be at most 200 characters."),
            ("title", "Art\u202e", ONE_LINE),
            ("code", "", "Enter the course code."),
            ("title", "", "Enter the title."),
            ("capacity", "", "Enter the number of seats."),
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
