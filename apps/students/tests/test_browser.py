"""Registrars and viewers working with students in a real browser (headless Chromium)."""

from datetime import date

import pytest
from django.test import tag
from model_bakery import baker

from apps.students.models import Course, Enrollment, Student
from project.testing import REGISTRAR, VIEWER, make_user
from project.testing_browser import BrowserTestCase


@tag("browser")
class TestARegistrarInTheBrowser(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.user = make_user(REGISTRAR)
        self.log_in_by_session(self.user)

    def test_fixes_a_bad_email_and_lands_on_the_new_students_page(self):
        self.open("students:list")
        self.click("#add-student")
        self.assertPath("students:create")
        label, box = self.find("label[for=id_first_name]"), self.find("#id_first_name")
        self.assertLessEqual(label.rect["y"] + label.rect["height"], box.rect["y"], "each label above its box")
        typed = {
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": "grace-at-school",
            "date_of_birth": "2008-12-09",
            "status": "graduated",
            "notes": "Prefers COBOL.",
        }
        self.fill("student-form", **typed)
        self.submit("student-form")

        self.assertPath("students:create")
        self.assertFieldErrorShown("student-form", "email", "Enter an email address like name@school.example.")
        self.assertEqual({field: self.value_of("student-form", field) for field in typed}, typed)
        self.assertFalse(Student.objects.exists())

        self.fill("student-form", email="grace@school.example")
        self.double_click_submit_on_a_slow_line("student-form")  # the second click sends nothing

        student = Student.objects.get()
        self.assertPath("students:detail", student.pk)
        self.assertMessageShown(f"Added student Grace Hopper ({student.student_number}).")
        self.assertEqual(self.driver.switch_to.active_element.text, self.messages()[0], "read out first")
        self.wait_for_text(student.student_number, "#student-number")
        self.assertEqual(
            (student.first_name, student.last_name, student.email, student.date_of_birth, student.status),
            ("Grace", "Hopper", "grace@school.example", date(2008, 12, 9), Student.Status.GRADUATED),
        )
        self.assertEqual(student.notes, "Prefers COBOL.")

    def test_searches_the_list_and_pages_through_it(self):
        baker.make_recipe("students.student", first_name="Sam", last_name="Pupil", _quantity=30)
        hopper = baker.make_recipe("students.student", first_name="Grace", last_name="Hopper")
        by_name = list(Student.objects.order_by("last_name", "first_name", "id").values_list("pk", flat=True))

        self.open("students:list")
        self.wait_for_text("31 students found.", "#result-count")
        self.wait_for_text("Page 1 of 2", "#page-position")
        self.assertEqual(self.shown_student_ids(), by_name[:25])
        # Where the user is stands out: the page among the pages, the section in the menu.
        current, other = self.find(".pagination [aria-current=page]"), self.find(".pagination ol a[href$='page=2']")
        self.assertEqual((current.text, other.text), ("1", "2"))
        self.assertNotEqual(self.looks(current), self.looks(other))
        self.assertNotEqual(self.looks(self.find("#nav-students")), self.looks(self.find("#nav-courses")))

        self.click("#next-page")
        self.wait_for_text("Page 2 of 2", "#page-position")
        self.assertEqual(self.shown_student_ids(), by_name[25:])
        self.assertNotShown("#next-page")

        self.fill("student-search-form", q="pupil")
        self.submit("student-search-form")
        self.wait_for_text("30 students found.", "#result-count")
        self.assertNotIn(hopper.pk, self.shown_student_ids())
        self.click("#next-page")
        self.wait_for_text("Page 2 of 2", "#page-position")
        self.assertEqual(self.shown_student_ids(), by_name[26:])  # Hopper sorts first
        self.assertEqual(self.value_of("student-search-form", "q"), "pupil")

        self.fill("student-search-form", q=hopper.student_number)
        self.submit("student-search-form")
        self.wait_for_text("1 student found.", "#result-count")
        self.assertEqual(self.shown_student_ids(), [hopper.pk])
        self.assertNotShown("#pagination")

        # A search that cannot run: the box, its error read out with it, has the focus to fix it.
        self.fill("student-search-form", q="a b c d e f g h i j k")
        self.submit("student-search-form")
        self.wait_for_text("Search for at most 10 words (this search has 11).", "#errors-q")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "id_q")

    @pytest.mark.deep
    def test_keeps_screenshots_of_the_main_pages_on_a_desktop_and_on_a_phone(self):
        """The main pages at each window size in turn, each screenshot in test-artifacts/screens/; the
        student form submitted empty puts its error summary in focus. (`make test` opens each of these
        pages once: in a journey, or in the phone tour of test_browser_phone.)"""
        enrollment = baker.make_recipe(
            "students.enrollment",
            student__first_name="Zoë",
            student__last_name="Ångström-Gutiérrez",
            student__email="zoe.angstrom-gutierrez@a-rather-long-school-domain.example",
            course__code="ART140",
            course__title="Drawing and Painting",
            course__capacity=1,
        )
        student, course = enrollment.student, enrollment.course
        baker.make_recipe("students.student", _quantity=30)  # the list gets page numbers
        pages = [
            ("student-list", "students:list", ()),
            ("student", "students:detail", (student.pk,)),
            ("unenroll", "students:unenroll", (student.pk, enrollment.pk)),
            ("course-list", "courses:list", ()),
            ("course", "courses:detail", (course.pk,)),
            ("profile", "accounts:profile", ()),
            ("student-form", "students:create", ()),
        ]
        for size in ("desktop", "phone"):
            if size == "phone":
                self.use_phone_size()
            for name, page, args in pages:
                with self.subTest(size=size, page=name):
                    self.open(page, *args)
                    self.screenshot(name)
            self.submit("student-form")  # empty: every required field missing
            self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "error-summary")
            self.screenshot("student-form-errors")
        self.assertEqual(Student.objects.count(), 31)
        self.assertTrue(Enrollment.objects.filter(pk=enrollment.pk).exists())

    def shown_student_ids(self):
        """The ids of the students the table shows, in order (read in one call, not one per row)."""
        rows = self.driver.execute_script(
            'return [...document.querySelectorAll("#student-table tbody tr")].map((row) => row.id);'
        )
        return [int(row.removeprefix("student-")) for row in rows]


@tag("browser")
class TestAViewerInTheBrowser(BrowserTestCase):
    def test_sees_no_write_buttons_and_is_refused_the_add_student_page(self):
        viewer = make_user(VIEWER)
        student = baker.make_recipe("students.student", first_name="Ada", last_name="Lovelace")
        course = baker.make_recipe("students.course")
        self.log_in_by_session(viewer)

        self.open("students:list")
        self.find(f"#student-{student.pk}")
        self.assertNotShown("#add-student")
        self.click(f"#student-{student.pk} a")
        self.assertPath("students:detail", student.pk)
        self.wait_for_text("Ada Lovelace", "h1")
        self.assertNotShown("#edit-student", "#delete-student", "#enroll-form")
        self.open("courses:detail", course.pk)
        self.find("#course-record")
        self.assertNotShown("#edit-course", "#delete-course")

        self.open("students:create")
        self.wait_for_text("You don't have permission to do that", "h1")
        self.assertNotShown("#student-form")
        self.assertEqual(list(Student.objects.values_list("pk", flat=True)), [student.pk])
        self.assertFalse(Enrollment.objects.exists())
        self.assertEqual(Course.objects.count(), 1)
