import csv
import io

from django.contrib.auth import get_user_model
from model_bakery import baker

from apps.students.models import Enrollment, Student
from project.testing import ANONYMOUS, AWAITING_APPROVAL, KNOWN_PASSWORD, given
from project.testing_web import WebTestCase

from .form_data import student_form_data


class TestARegistrarsDay(WebTestCase):
    role = ANONYMOUS  # they arrive logged out and sign in like anybody else
    registrar = given("accounts.registrar", username="rita")
    math = given("students.course", code="MATH101", title="Algebra I", capacity=30)
    art = given("students.course", code="ART140", title="Drawing", capacity=1)
    art_seat = given("students.enrollment", course=art)  # its only seat is taken

    def test_adds_edits_finds_enrolls_exports_and_deletes_a_student(self):
        # Logs in from the home page.
        page = self.get("/").click(linkid="nav-login")
        form = page.forms["login-form"]
        form["username"], form["password"] = "rita", KNOWN_PASSWORD
        page = form.submit().follow()
        self.assertLoggedInAs(self.registrar)

        # Adds a student.
        page = page.click(linkid="add-student")
        form = page.forms["student-form"]
        typed = student_form_data(first_name="Zoë", last_name="Ångström", email="zoe@school.example")
        for field, value in typed.items():
            form[field] = value
        page = form.submit().follow()
        student = Student.objects.get(email="zoe@school.example")
        self.assertMessage(page, f"Added student Zoë Ångström ({student.student_number}).")
        self.assertEqual(page.html.select_one("#student-number").text, student.student_number)

        # Corrects the email.
        form = page.click(linkid="edit-student").forms["student-form"]
        form["email"] = "zoe.angstrom@school.example"
        page = form.submit().follow()
        self.assertMessage(page, f"Saved changes to Zoë Ångström ({student.student_number}).")
        student.refresh_from_db()
        self.assertEqual(student.email, "zoe.angstrom@school.example")

        # Finds her again from the list.
        form = page.click(linkid="nav-students").forms["student-search-form"]
        form["q"] = "zoë Ångström"  # (SQLite folds the case of ASCII letters only)
        page = form.submit()
        self.assertEqual(page.html.select_one("#result-count").text, "1 student found.")
        page = page.click("Ångström, Zoë")

        # Enrolls her in courses until one is full.
        form = page.forms["enroll-form"]
        form["course"] = str(self.math.pk)
        page = form.submit().follow()
        self.assertMessage(page, "Enrolled Zoë Ångström in MATH101.")
        form = page.forms["enroll-form"]
        form["course"] = str(self.art.pk)
        page = form.submit()
        self.assertFieldError(page, "enroll-form", "course", "ART140 is full")
        self.assertEqual(Enrollment.objects.filter(course=self.art).count(), 1)
        self.assertEqual(list(student.enrollments.values_list("course__code", flat=True)), ["MATH101"])

        # Changes her mind about MATH101.
        page = page.click(linkid="unenroll-MATH101").forms["unenroll-form"].submit().follow()
        self.assertMessage(page, "Removed Zoë Ångström from MATH101.")
        self.assertFalse(student.enrollments.exists())

        # Exports the search result and reads it back.
        page = page.click(linkid="nav-students")
        form = page.forms["student-search-form"]
        form["q"] = student.student_number
        export = form.submit().click(linkid="export-csv")
        rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 1)
        self.assertEqual(
            (rows[0]["Student number"], rows[0]["First name"], rows[0]["Email"], rows[0]["Courses"]),
            (student.student_number, "Zoë", "zoe.angstrom@school.example", ""),
        )

        # Deletes her, after the confirmation page.
        page = self.get(student.get_absolute_url()).click(linkid="delete-student")
        self.assertContains(page, f"Delete {student}?")
        self.assertTrue(Student.objects.filter(pk=student.pk).exists())
        page = page.forms["delete-student-form"].submit().follow()
        self.assertMessage(page, f"Deleted student Zoë Ångström ({student.student_number}).")
        self.assertNotContains(page, "zoe.angstrom@school.example")
        self.assertFalse(Student.objects.filter(pk=student.pk).exists())


class TestANewcomersFirstVisit(WebTestCase):
    role = ANONYMOUS

    def test_signs_up_and_sees_no_student_until_the_office_approves_the_account(self):
        student = baker.make_recipe("students.student", first_name="Ada", last_name="Lovelace")

        form = self.get("/").click(linkid="nav-signup").forms["signup-form"]
        form["username"], form["email"] = "newcomer", "newcomer@school.example"
        form["first_name"], form["last_name"] = "Nina", "Newcomer"
        form["password1"] = form["password2"] = KNOWN_PASSWORD
        page = form.submit()
        self.assertRedirectsTo(page, "home")
        page = page.follow()
        self.assertMessage(page, "Welcome to Student Records, newcomer!")
        self.assertContains(page, AWAITING_APPROVAL)

        for path in ("/students/", f"/students/{student.pk}/", "/students/export.csv", "/courses/"):
            with self.subTest(path=path):
                refused = self.get(path, status=403)
                self.assertContains(refused, AWAITING_APPROVAL, status_code=403)
                self.assertNotContains(refused, "Lovelace", status_code=403)
        newcomer = get_user_model().objects.get(username="newcomer")
        self.assertEqual(list(newcomer.groups.all()), [])
        self.assertEqual(Student.objects.get().last_name, "Lovelace")
