from datetime import date

from bs4 import BeautifulSoup
from django.contrib.messages import constants
from django.test import RequestFactory
from django.utils import timezone
from model_bakery import baker

from apps.students.models import Course, Enrollment, Student
from apps.students.views import StudentCreateView
from project.testing import ANONYMOUS, KNOWN_PASSWORD, REGISTRAR, VIEWER, fill, given, make_user
from project.testing_web import WebTestCase

from .form_data import student_form_data


def typed_values(page, form_id, fields):
    form = page.forms[form_id]
    return {field: form[field].value for field in fields}


class TestARegistrarAddingAStudent(WebTestCase):
    role = REGISTRAR

    def open_form(self):
        return self.get("/students/").click(linkid="add-student")

    def test_sees_the_new_student_on_the_detail_page(self):
        page = fill(self.open_form().forms["student-form"], student_form_data(notes="Likes\ncompilers")).submit()

        student = Student.objects.get(email="grace.hopper@school.example")
        self.assertRedirectsTo(page, "students:detail", student.pk)
        page = page.follow()
        self.assertMessage(page, f"Added student Grace Hopper ({student.student_number}).", constants.SUCCESS)
        self.assertEqual(page.html.select_one("#student-number").text, student.student_number)
        self.assertContains(page, "Likes<br>compilers")
        self.assertEqual(
            (student.first_name, student.last_name, student.date_of_birth, student.status, student.enrolled_on),
            ("Grace", "Hopper", date(2008, 12, 9), "active", date(2024, 9, 2)),
        )

    def test_finds_today_already_filled_in_as_the_enrolment_date(self):
        form = self.open_form().forms["student-form"]
        self.assertEqual(form["enrolled_on"].value, timezone.localdate().isoformat())
        self.assertEqual(form["status"].value, "active")
        self.assertFalse(Student.objects.exists())

    def test_accepts_names_in_any_script(self):
        form = fill(self.open_form().forms["student-form"], student_form_data(first_name="李", last_name="雷"))
        page = form.submit().follow()
        self.assertContains(page, "<h1>李 雷</h1>", html=True)
        self.assertEqual(Student.objects.get().full_name, "李 雷")

    def test_with_bad_input_sees_each_error_beside_its_field_and_everything_typed_kept(self):
        baker.make_recipe("students.student", email="taken@school.example")
        typed = student_form_data(
            first_name="x" * 101, email="TAKEN@School.Example", date_of_birth="2999-01-01", notes="Keep me"
        )
        page = fill(self.open_form().forms["student-form"], typed).submit()

        self.assertFieldError(page, "student-form", "first_name", "A first name can be at most 100 characters.")
        self.assertFieldError(page, "student-form", "email", "A student with this email already exists.")
        self.assertFieldError(page, "student-form", "date_of_birth", "cannot be in the future")
        self.assertEqual(typed_values(page, "student-form", typed), typed)
        self.assertEqual(Student.objects.count(), 1)

    def test_with_required_fields_left_empty_is_asked_for_each_of_them(self):
        form = self.open_form().forms["student-form"]
        fill(form, {"first_name": "", "last_name": "", "email": "", "enrolled_on": "", "date_of_birth": "bad"})
        form["status"].force_value("expelled")
        page = form.submit()

        for field in ("first_name", "last_name", "email", "enrolled_on"):
            with self.subTest(field=field):
                self.assertFieldError(page, "student-form", field, "Enter the ")
        self.assertFieldError(page, "student-form", "status", "Choose Active, Graduated or Withdrawn.")
        self.assertFieldError(page, "student-form", "date_of_birth", "Enter the date of birth as YYYY-MM-DD")
        self.assertEqual(page.forms["student-form"]["date_of_birth"].value, "bad")
        self.assertFalse(Student.objects.exists())

    def test_sees_the_email_error_when_another_registrar_saved_that_email_after_the_form_was_checked(self):
        """What only the write can find out re-renders the form like any other error."""
        # A race no single request can stage (test_concurrency runs it for real), so the view goes step by step.
        request = RequestFactory().post("/students/new/", student_form_data(notes="Keep me"))
        request.user = self.user
        view = StudentCreateView()
        view.setup(request)
        view.object = None
        form = view.get_form()
        self.assertTrue(form.is_valid(), form.errors)
        theirs = baker.make_recipe("students.student", email="Grace.Hopper@School.example")

        page = view.form_valid(form).render()

        self.assertEqual(page.status_code, 200)
        html = BeautifulSoup(page.content, "lxml")
        errors = html.select_one("form#student-form #errors-email")
        self.assertIn("A student with this email already exists.", errors.get_text() if errors else "no email errors")
        self.assertEqual(html.select_one("form#student-form textarea[name=notes]").get_text().strip(), "Keep me")
        self.assertEqual(list(Student.objects.all()), [theirs])


class TestARegistrarEditingAStudent(WebTestCase):
    role = REGISTRAR
    student = given("students.student", first_name="Ada", email="ada@school.example")

    def open_form(self):
        return self.get(f"/students/{self.student.pk}/").click(linkid="edit-student")

    def test_of_a_record_saved_without_a_last_name_is_asked_for_one_before_saving_another_change(self):
        Student.objects.filter(pk=self.student.pk).update(last_name="")  # saved before today's rules
        form = self.open_form().forms["student-form"]
        form["notes"] = "Prefers Ada."

        page = form.submit()

        self.assertFieldError(page, "student-form", "last_name", "Enter the last name.")
        self.assertEqual(page.forms["student-form"]["notes"].value, "Prefers Ada.")
        self.assertEqual(Student.objects.values_list("last_name", "notes").get(), ("", self.student.notes))

    def test_finds_the_form_filled_in_with_the_record(self):
        page = self.open_form()
        self.assertEqual(page.html.select_one("#student-number").text, self.student.student_number)
        values = typed_values(page, "student-form", ["first_name", "email", "date_of_birth", "enrolled_on"])
        self.assertEqual(
            values,
            {
                "first_name": "Ada",
                "email": "ada@school.example",
                "date_of_birth": "2008-12-10",
                "enrolled_on": "2024-09-01",
            },
        )

    def test_sees_the_changes_and_a_message_on_the_detail_page(self):
        form = self.open_form().forms["student-form"]
        fill(form, {"last_name": "Byron", "status": "graduated", "email": "ADA@school.example"})
        page = form.submit()

        self.assertRedirectsTo(page, "students:detail", self.student.pk)
        page = page.follow()
        self.assertMessage(page, f"Saved changes to Ada Byron ({self.student.student_number}).")
        self.assertContains(page, "<dd>Graduated</dd>", html=True)
        self.student.refresh_from_db()
        self.assertEqual((self.student.last_name, self.student.status), ("Byron", "graduated"))
        self.assertEqual(self.student.email, "ADA@school.example")

    def test_cannot_change_the_student_number(self):
        number = self.student.student_number
        page = self.post(
            f"/students/{self.student.pk}/edit/", {**student_form_data(), "student_number": "S999999"}
        ).follow()
        self.assertEqual(page.html.select_one("#student-number").text, number)
        self.student.refresh_from_db()
        self.assertEqual((self.student.student_number, self.student.first_name), (number, "Grace"))

    def test_with_bad_input_sees_the_errors_with_what_they_typed_and_nothing_changes(self):
        baker.make_recipe("students.student", email="grace@school.example")
        typed = {
            "first_name": "",
            "last_name": "L" * 101,
            "email": "Grace@School.example",
            "date_of_birth": "1800-01-01",
        }
        page = fill(self.open_form().forms["student-form"], typed).submit()

        self.assertFieldError(page, "student-form", "first_name", "Enter the first name.")
        self.assertFieldError(page, "student-form", "last_name", "A last name can be at most 100 characters.")
        self.assertFieldError(page, "student-form", "email", "A student with this email already exists.")
        self.assertFieldError(page, "student-form", "date_of_birth", "more than 120 years ago")
        self.assertEqual(typed_values(page, "student-form", typed), typed)
        self.assertContains(page, "<h1>Edit Ada Lovelace</h1>", html=True)
        self.student.refresh_from_db()
        self.assertEqual((self.student.first_name, self.student.email), ("Ada", "ada@school.example"))


class TestARegistrarDeletingAStudent(WebTestCase):
    role = REGISTRAR
    student = given("students.student", first_name="Ada")
    courses = given("students.course", _quantity=2)
    enrollments = given("students.enrollment", student=student, course=courses, _quantity=2)

    def test_is_asked_to_confirm_first(self):
        page = self.get(f"/students/{self.student.pk}/").click(linkid="delete-student")
        self.assertContains(page, f"Delete {self.student}?")
        self.assertContains(page, "their 2 enrollments")
        self.assertTrue(Student.objects.filter(pk=self.student.pk).exists())

    def test_is_told_how_many_enrollments_go_with_the_student(self):
        lone = baker.make_recipe("students.enrollment").student
        self.assertContains(self.get(f"/students/{lone.pk}/delete/"), "their 1 enrollment.")

    def test_sees_the_student_gone_from_the_list_with_a_message(self):
        page = self.get(f"/students/{self.student.pk}/delete/").forms["delete-student-form"].submit()

        self.assertRedirectsTo(page, "students:list")
        page = page.follow()
        self.assertMessage(page, f"Deleted student {self.student}.")
        self.assertIsNone(page.html.select_one(f"#student-{self.student.pk}"))
        self.assertContains(page, "No students yet.")
        self.assertFalse(Student.objects.filter(pk=self.student.pk).exists())
        self.assertFalse(Enrollment.objects.exists(), "their enrollments go with them")
        self.assertEqual(Course.objects.count(), 2, "the courses stay")


class TestAViewerLookingAtAStudent(WebTestCase):
    role = VIEWER
    student = given(
        "students.student", first_name="Ada", date_of_birth=date(2000, 1, 1), status="withdrawn", notes="a\nb"
    )
    course = given("students.course", code="MATH101", title="Algebra I")
    enrollment = given("students.enrollment", student=student, course=course)

    def test_sees_the_whole_record_with_age_and_enrollments(self):
        page = self.get(f"/students/{self.student.pk}/")
        record = page.html.select_one("#student-record").get_text(" ", strip=True)
        for shown in (self.student.student_number, self.student.email, "2000-01-01", "Withdrawn", "2024-09-01"):
            self.assertIn(shown, record)
        self.assertEqual(page.html.select_one("#student-age").text, str(self.student.age))
        self.assertContains(page, "a<br>b")
        row = page.html.select_one("#enrollment-table tbody tr")
        enrolled = timezone.localdate(self.enrollment.enrolled_at).isoformat()
        self.assertEqual(
            [cell.get_text(strip=True) for cell in row.select("td")], ["MATH101", "Algebra I", enrolled, ""]
        )
        self.assertEqual(row.a["href"], f"/courses/{self.course.pk}/")

    def test_sees_dashes_where_nothing_is_known_yet(self):
        blank = baker.make_recipe("students.student", date_of_birth=None, notes="")
        page = self.get(f"/students/{blank.pk}/")
        self.assertEqual(page.html.select_one("#student-age").text, "—")
        self.assertContains(page, "Not enrolled in any course yet.")
        self.assertEqual(Enrollment.objects.filter(student=blank).count(), 0)

    def test_sees_a_student_born_this_year_aged_0(self):
        baby = baker.make_recipe("students.student", date_of_birth=timezone.localdate())
        page = self.get(f"/students/{baby.pk}/")
        self.assertEqual(page.html.select_one("#student-age").text, "0")

    def test_sees_no_controls_to_change_the_record(self):
        page = self.get(f"/students/{self.student.pk}/")
        for control in ("#edit-student", "#delete-student", "#enroll-form", "#unenroll-MATH101"):
            with self.subTest(control=control):
                self.assertIsNone(page.html.select_one(control))
        self.assertIsNone(self.get("/students/").html.select_one("#add-student"))


class TestAnAnonymousVisitorAndStudentRecords(WebTestCase):
    role = ANONYMOUS
    student = given("students.student")
    enrollment = given("students.enrollment", student=student)

    def test_is_sent_to_log_in_with_their_search_kept_for_afterwards(self):
        # (Who may open which page: project/tests/test_access.py.)
        self.assertRedirectsToLogin(self.get("/students/?q=ada&page=2"), "/students/?q=ada&page=2")

    def test_comes_back_to_the_student_after_logging_in(self):
        viewer = make_user(VIEWER)
        path = f"/students/{self.student.pk}/"
        login_page = self.get(path).follow()
        form = login_page.forms["login-form"]
        form["username"], form["password"] = viewer.username, KNOWN_PASSWORD
        page = form.submit()

        self.assertRedirectsTo(page, path)
        self.assertContains(page.follow(), self.student.student_number)
        self.assertLoggedInAs(viewer)


class TestUnknownStudents(WebTestCase):
    role = REGISTRAR

    def test_give_the_not_found_page_and_change_nothing(self):
        enrollment = baker.make_recipe("students.enrollment")
        other = baker.make_recipe("students.student")
        attempts = [
            ("GET", "/students/999999/"),
            ("GET", "/students/999999/edit/"),
            ("POST", "/students/999999/edit/"),
            ("GET", "/students/999999/delete/"),
            ("POST", "/students/999999/delete/"),
            ("POST", "/students/999999/enroll/"),
            ("POST", f"/students/{enrollment.student_id}/enrollments/999999/delete/"),
            # Another student's enrollment is not found under this student.
            ("POST", f"/students/{other.pk}/enrollments/{enrollment.pk}/delete/"),
            # Ids too long for the database column never reach it.
            ("GET", f"/students/{'9' * 30}/"),
        ]
        for method, path in attempts:
            with self.subTest(method=method, path=path):
                if method == "GET":
                    response = self.get(path, status=404)
                else:
                    response = self.post(path, {"course": enrollment.course_id}, status=404)
                self.assertContains(response, "Page not found", status_code=404)
        self.assertEqual((Student.objects.count(), Enrollment.objects.count()), (2, 1))
