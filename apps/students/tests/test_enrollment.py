from django.contrib.messages import constants
from model_bakery import baker

from apps.students import services
from apps.students.models import Enrollment
from project.testing import REGISTRAR, RecordsTestCase, given
from project.testing_web import WebTestCase

MENU = [
    ("Choose a course", False),
    ("ART140 — Drawing (full)", True),
    ("MATH101 — Algebra I (30 seats left)", False),
]


class TestARegistrarEnrollingAStudent(WebTestCase):
    role = REGISTRAR
    student = given("students.student", first_name="Ada", last_name="Lovelace")
    math = given("students.course", code="MATH101", title="Algebra I", capacity=30)
    art = given("students.course", code="ART140", title="Drawing", capacity=1)
    bio = given("students.course", code="BIO110", title="Biology", capacity=25)
    art_seat = given("students.enrollment", course=art)  # the only seat is taken
    in_bio = given("students.enrollment", student=student, course=bio)

    def enroll_form(self):
        return self.get(f"/students/{self.student.pk}/").forms["enroll-form"]

    def menu(self, page):
        """The enroll menu as shown: (text, disabled) per option, and nothing chosen.

        `disabled` is a boolean attribute: present without a value (any value is invalid HTML)."""
        options = page.html.select("#enroll-form #id_course option")
        self.assertLessEqual({option["value"] for option in options if option.has_attr("selected")}, {""})
        return [(option.text, option.get("disabled") == "") for option in options]

    def assertEnrollments(self, *codes):
        self.assertEqual(
            list(Enrollment.objects.filter(student=self.student).values_list("course__code", flat=True)), list(codes)
        )

    def test_sees_the_course_among_the_students_enrollments(self):
        form = self.enroll_form()
        form["course"] = str(self.math.pk)
        page = form.submit()

        self.assertRedirectsTo(page, "students:detail", self.student.pk)
        page = page.follow()
        self.assertMessage(page, "Enrolled Ada Lovelace in MATH101.", constants.SUCCESS)
        self.assertIsNotNone(page.html.select_one("a#unenroll-MATH101"))
        self.assertEnrollments("BIO110", "MATH101")

    def test_is_offered_only_courses_the_student_is_not_in_with_the_seats_left_and_full_ones_disabled(self):
        page = self.get(f"/students/{self.student.pk}/")
        self.assertEqual(self.menu(page), MENU)
        self.assertEnrollments("BIO110")

    def test_in_a_full_course_is_told_it_is_full_and_nothing_changes(self):
        form = self.enroll_form()
        form["course"] = str(self.art.pk)
        page = form.submit()

        self.assertFieldError(page, "enroll-form", "course", "ART140 is full")
        summary = page.html.select_one("main > #error-summary")
        self.assertEqual((summary["role"], summary["tabindex"]), ("alert", "-1"), "announced, and focused by site.js")
        self.assertEqual(
            [(link["href"], link.get_text()) for link in summary.select("a")],
            [("#id_course", "Course: ART140 is full")],
        )
        self.assertEqual(summary.find_previous_sibling("h1").get_text(), "Ada Lovelace", "at the top, under the name")
        self.assertNotIn("role", page.html.select_one("#errors-course").attrs, "the summary is the one alert")
        menu = page.html.select_one("#id_course")
        self.assertEqual((menu["aria-invalid"], menu["aria-describedby"]), ("true", "id_course_error"))
        self.assertEqual(list(page.context["messages"]), [], "no flash message besides")
        self.assertEqual(page.text.count("ART140 is full"), 2, "in the summary and beside the menu")
        self.assertTrue(page.html.select_one("title").get_text().startswith("Error: Ada Lovelace"))
        self.assertIn("novalidate", page.html.select_one("#enroll-form").attrs)
        self.assertValidHtml(page)
        self.assertEqual(self.menu(page), MENU, "the same menu as before, nothing selected")
        self.assertEqual(page.request.path, f"/students/{self.student.pk}/enroll/")
        self.assertEnrollments("BIO110")
        self.assertEqual(Enrollment.objects.filter(course=self.art).count(), 1)

    def test_twice_in_the_same_course_is_told_so_and_nothing_changes(self):
        form = self.enroll_form()
        form["course"].force_value(str(self.bio.pk))  # no longer offered; a stale page still could
        page = form.submit()

        self.assertFieldError(page, "enroll-form", "course", "Ada Lovelace is already enrolled in BIO110.")
        self.assertEqual(self.menu(page), MENU, "BIO110 is still left out")
        self.assertEnrollments("BIO110")

    def test_in_a_course_that_does_not_exist_is_told_so(self):
        form = self.enroll_form()
        form["course"].force_value("999999")
        page = form.submit()

        self.assertFieldError(page, "enroll-form", "course", "That course does not exist.")
        self.assertEqual(self.menu(page), MENU)
        self.assertEnrollments("BIO110")

    def test_without_choosing_a_course_is_asked_to_choose_one(self):
        page = self.enroll_form().submit()

        self.assertFieldError(page, "enroll-form", "course", "Choose a course.")
        self.assertContains(page, "<h1>Ada Lovelace</h1>", html=True)
        self.assertEqual(page.html.select_one("#enrollment-table tbody tr td").text, "BIO110")
        self.assertEnrollments("BIO110")

    def test_finds_a_course_someone_else_enrolled_them_in_meanwhile_left_out(self):
        form = self.enroll_form()
        form["course"] = str(self.math.pk)
        Enrollment.objects.create(student=self.student, course=self.math)  # someone else was quicker
        page = form.submit()

        self.assertFieldError(page, "enroll-form", "course", "Ada Lovelace is already enrolled in MATH101.")
        self.assertEqual(self.menu(page), MENU[:2], "MATH101 now left out")
        self.assertEnrollments("BIO110", "MATH101")

    def test_sees_one_seat_in_the_singular(self):
        self.math.capacity = 1
        self.math.save()
        page = self.get(f"/students/{self.student.pk}/")
        self.assertEqual(self.menu(page)[2], ("MATH101 — Algebra I (1 seat left)", False))

    def test_cannot_use_a_link_instead_of_the_form_and_is_led_to_the_form(self):
        # The address a refused enroll leaves in the browser, opened again.
        page = self.get(f"/students/{self.student.pk}/enroll/", status=405)

        self.assertEqual(page.headers["Allow"], "POST")
        self.assertEqual(page.html.h1.text, "Nothing to show here")
        self.assertIsNotNone(page.html.select_one("#logout-form"), "the site's own page, its menu signed in")
        page = page.click(linkid="form-page-link")
        self.assertEqual(page.html.h1.text, "Ada Lovelace")
        self.assertIn("enroll-form", page.forms)
        self.assertEnrollments("BIO110")


class TestARegistrarUnenrollingAStudent(WebTestCase):
    role = REGISTRAR
    student = given("students.student", first_name="Ada", last_name="Lovelace")
    enrollment = given("students.enrollment", student=student, course__code="BIO110")

    def unenroll(self):
        page = self.get(f"/students/{self.student.pk}/").click(linkid="unenroll-BIO110")
        return page.forms["unenroll-form"].submit()

    def test_is_asked_to_confirm_first_and_can_change_their_mind(self):
        page = self.get(f"/students/{self.student.pk}/").click(linkid="unenroll-BIO110")

        self.assertContains(page, "<h1>Remove Ada Lovelace from BIO110?</h1>", html=True)
        self.assertEqual(page.html.select_one("#unenroll-form button")["class"], ["button-danger"])
        self.assertTrue(Enrollment.objects.filter(pk=self.enrollment.pk).exists(), "a GET changes nothing")
        page = page.click(linkid="cancel-unenroll")
        self.assertEqual(page.request.path, f"/students/{self.student.pk}/")
        self.assertTrue(Enrollment.objects.filter(pk=self.enrollment.pk).exists())

    def test_hears_which_course_each_unenroll_button_is_for(self):
        """A screen reader lists the buttons by name: each says its course, not just "Unenroll"."""
        page = self.get(f"/students/{self.student.pk}/")

        self.assertEqual(page.html.select_one("#unenroll-BIO110")["aria-label"], "Unenroll from BIO110")
        self.assertEqual(page.html.select_one("#unenroll-BIO110").get_text(), "Unenroll")

    def test_sees_the_course_gone_from_the_students_enrollments(self):
        page = self.unenroll()

        self.assertRedirectsTo(page, "students:detail", self.student.pk)
        page = page.follow()
        self.assertMessage(page, "Removed Ada Lovelace from BIO110.")
        self.assertContains(page, "Not enrolled in any course yet.")
        self.assertFalse(Enrollment.objects.exists())

    def test_cannot_unenroll_through_another_students_address(self):
        other = baker.make_recipe("students.student")
        response = self.get(f"/students/{other.pk}/enrollments/{self.enrollment.pk}/delete/", status=404)
        self.assertEqual(response.status_code, 404)
        self.assertTrue(Enrollment.objects.filter(pk=self.enrollment.pk).exists())

    def test_frees_the_seat_for_someone_else(self):
        self.unenroll()
        page = self.get(f"/courses/{self.enrollment.course_id}/")
        self.assertEqual(page.html.select_one("#seats-left").text, "30")
        self.assertEqual(self.enrollment.course.enrollments.count(), 0)


class TestTheEnrollmentService(RecordsTestCase):
    registrar = given("accounts.registrar")
    course = given("students.course", code="CHEM130", capacity=2)
    students = given("students.student", _quantity=3)

    def test_fills_the_last_seat_and_then_refuses(self):
        for student in self.students[:2]:
            services.enroll(student=student, course=self.course, actor=self.registrar)
        with self.assertRaisesMessage(services.EnrollmentRefused, "CHEM130 is full"):
            services.enroll(student=self.students[2], course=self.course, actor=self.registrar)
        self.assertEqual(self.course.enrollments.count(), 2)

    def test_refuses_a_student_already_enrolled_however_that_enrollment_was_made(self):
        student = self.students[0]
        baker.make_recipe("students.enrollment", student=student, course=self.course)  # as the admin makes one

        already = f"{student.full_name} is already enrolled in CHEM130."
        with self.assertRaisesMessage(services.EnrollmentRefused, already):
            services.enroll(student=student, course=self.course, actor=self.registrar)

        self.assertEqual(list(self.course.enrollments.values_list("student", flat=True)), [student.pk])
