from urllib.parse import urlsplit

from django.contrib.messages import constants
from model_bakery import baker

from apps.students.models import Course, Enrollment
from project.testing import REGISTRAR, VIEWER, fill, given
from project.testing_web import WebTestCase

from .form_data import course_form_data


class TestSomeoneBrowsingCourses(WebTestCase):
    role = VIEWER
    art = given("students.course", code="ART140", title="Drawing", capacity=3, description="x\ny")
    bio = given("students.course", code="BIO110", title="Biology", capacity=25)
    zed_in_art = given("students.enrollment", course=art, student__last_name="Zed")
    amy_in_art = given("students.enrollment", course=art, student__last_name="Amy")

    def test_sees_every_course_with_its_seats_left(self):
        page = self.get("/").follow().click(linkid="nav-courses")
        rows = [[cell.text for cell in row.select("td")] for row in page.html.select("#course-table tbody tr")]
        self.assertEqual(rows, [["ART140", "Drawing", "2", "3", "1"], ["BIO110", "Biology", "0", "25", "25"]])
        self.assertEqual(page.html.select(".badge-full"), [])
        self.assertEqual(Course.objects.count(), 2)

    def test_sees_full_courses_marked_on_the_list_and_on_their_page(self):
        baker.make_recipe("students.enrollment", course=self.art)
        page = self.get("/courses/")
        row = page.html.select_one(f"#course-{self.art.pk}")
        self.assertEqual(row.select_one(".seats-left").text, "0 Full")
        self.assertIsNone(page.html.select_one(f"#course-{self.bio.pk} .badge-full"))
        page = page.click("ART140")
        self.assertEqual(page.html.select_one("#seats-left").text, "0")
        self.assertEqual(page.html.select_one("#course-full").text, "Full")
        self.assertEqual(self.art.enrollments.count(), 3)

    def test_sees_a_roster_sorted_by_last_name_and_the_seats_left(self):
        page = self.get("/courses/").click("ART140")
        self.assertContains(page, "<h1>ART140 — Drawing</h1>", html=True)
        self.assertEqual(page.html.select_one("#course-capacity").text, "3")
        self.assertEqual(page.html.select_one("#seats-left").text, "1")
        self.assertEqual(page.html.select_one("#course-enrolled").text, "2")
        self.assertContains(page, "x<br>y")
        names = [row.a.text for row in page.html.select("#roster-table tbody tr")]
        self.assertEqual(names, ["Amy, Ada", "Zed, Ada"])
        self.assertEqual(page.click("Back to courses").request.path, "/courses/")
        self.assertEqual(Enrollment.objects.filter(course=self.art).count(), 2)

    def test_is_told_when_a_course_has_nobody_yet(self):
        page = self.get(f"/courses/{self.bio.pk}/")
        self.assertContains(page, "No students enrolled yet.")
        self.assertEqual(page.html.select_one("#seats-left").text, "25")

    def test_sees_no_controls_to_change_courses(self):
        self.assertIsNone(self.get("/courses/").html.select_one("#add-course"))
        page = self.get(f"/courses/{self.art.pk}/")
        self.assertIsNone(page.html.select_one("#edit-course"))
        self.assertIsNone(page.html.select_one("#delete-course"))
        self.assertIsNone(page.html.select_one("#course-in-use"), "nothing about deleting what they cannot delete")


class TestSomeoneWithoutCourses(WebTestCase):
    role = REGISTRAR

    def test_is_told_there_are_none_yet(self):
        page = self.get("/courses/")
        self.assertContains(page, "No courses yet.")
        self.assertFalse(Course.objects.exists())


class TestARegistrarAddingACourse(WebTestCase):
    role = REGISTRAR

    def test_sees_the_new_course_with_its_code_in_capitals(self):
        form = self.get("/courses/").click(linkid="add-course").forms["course-form"]
        page = fill(form, course_form_data(code="cs101", description="Loops")).submit()

        course = Course.objects.get()
        self.assertRedirectsTo(page, "courses:detail", course.pk)
        page = page.follow()
        self.assertMessage(page, "Added course CS101.")
        self.assertEqual(page.html.select_one("#seats-left").text, "20")
        self.assertEqual(
            (course.code, course.title, course.capacity, course.description), ("CS101", "Computing", 20, "Loops")
        )

    def test_with_bad_input_sees_each_error_beside_its_field_and_everything_typed_kept(self):
        baker.make_recipe("students.course", code="CS101")
        typed = {"code": "cs101", "title": "T" * 201, "capacity": "-1", "description": "Kept"}
        page = fill(self.get("/courses/new/").forms["course-form"], typed).submit()

        self.assertFieldError(page, "course-form", "code", "A course with this code already exists.")
        self.assertFieldError(page, "course-form", "title", "A title can be at most 200 characters.")
        self.assertFieldError(page, "course-form", "capacity", "A course has at least 1 seat.")
        self.assertEqual({field: page.forms["course-form"][field].value for field in typed}, typed)
        self.assertEqual(Course.objects.count(), 1)

    def test_finds_the_seats_box_counting_down_to_one_seat_at_least(self):
        box = self.get("/courses/new/").html.select_one("#course-form input[name=capacity]")
        self.assertEqual((box["type"], box["min"]), ("number", "1"))

    def test_with_a_capacity_that_is_not_a_number_is_told_so(self):
        typed = {"code": "", "title": "", "capacity": "lots"}
        page = fill(self.get("/courses/new/").forms["course-form"], typed).submit()

        self.assertFieldError(page, "course-form", "code", "Enter the course code.")
        self.assertFieldError(page, "course-form", "title", "Enter the title.")
        self.assertFieldError(page, "course-form", "capacity", "Enter the number of seats as a whole number, like 30.")
        self.assertEqual(page.forms["course-form"]["capacity"].value, "lots")
        self.assertFalse(Course.objects.exists())


class TestARegistrarEditingACourse(WebTestCase):
    role = REGISTRAR
    course = given("students.course", code="CHEM130", title="Chemistry", capacity=12)
    students = given("students.student", _quantity=3)
    enrollments = given("students.enrollment", student=students, course=course, _quantity=3)

    def open_form(self):
        return self.get(f"/courses/{self.course.pk}/").click(linkid="edit-course")

    def test_sees_the_changes_and_a_message(self):
        form = self.open_form().forms["course-form"]
        self.assertEqual((form["code"].value, form["capacity"].value), ("CHEM130", "12"))
        page = fill(form, {"title": "Chemistry Lab", "capacity": "3"}).submit()

        self.assertRedirectsTo(page, "courses:detail", self.course.pk)
        page = page.follow()
        self.assertMessage(page, "Saved changes to course CHEM130.")
        self.assertEqual(page.html.select_one("#seats-left").text, "0")
        self.course.refresh_from_db()
        self.assertEqual((self.course.title, self.course.capacity), ("Chemistry Lab", 3))

    def test_cannot_lower_the_capacity_below_the_students_enrolled(self):
        page = fill(self.open_form().forms["course-form"], {"capacity": "2", "title": "Renamed"}).submit()

        self.assertFieldError(
            page, "course-form", "capacity", "Capacity cannot be lower than the 3 students already enrolled."
        )
        self.assertEqual(page.forms["course-form"]["capacity"].value, "2")
        self.assertEqual(page.forms["course-form"]["title"].value, "Renamed")
        self.assertContains(page, "<h1>Edit CHEM130</h1>", html=True)
        self.course.refresh_from_db()
        self.assertEqual((self.course.title, self.course.capacity), ("Chemistry", 12))

    def test_refused_a_code_that_is_taken_still_sees_which_course_they_are_editing(self):
        baker.make_recipe("students.course", code="MATH101")
        page = fill(self.open_form().forms["course-form"], {"code": "math101"}).submit()

        self.assertFieldError(page, "course-form", "code", "A course with this code already exists.")
        self.assertEqual(page.forms["course-form"]["code"].value, "math101")
        self.assertEqual(page.html.h1.text, "Edit CHEM130")
        self.assertEqual(page.html.title.text, "Error: Edit CHEM130 · Student Records")
        self.assertEqual(Course.objects.get(pk=self.course.pk).code, "CHEM130")


class TestARegistrarDeletingACourse(WebTestCase):
    role = REGISTRAR
    empty = given("students.course", code="ART140", title="Drawing")
    busy = given("students.course", code="MATH101")
    enrollment = given("students.enrollment", course=busy)

    def test_is_asked_to_confirm_first(self):
        page = self.get(f"/courses/{self.empty.pk}/").click(linkid="delete-course")
        self.assertContains(page, "<h1>Delete ART140?</h1>", html=True)
        self.assertContains(page, '"Drawing"')
        self.assertTrue(Course.objects.filter(pk=self.empty.pk).exists())

    def test_sees_an_empty_course_gone_from_the_list_with_a_message(self):
        page = self.get(f"/courses/{self.empty.pk}/delete/").forms["delete-course-form"].submit()

        self.assertRedirectsTo(page, "courses:list")
        page = page.follow()
        self.assertMessage(page, "Deleted course ART140.")
        self.assertIsNone(page.html.select_one(f"#course-{self.empty.pk}"))
        self.assertFalse(Course.objects.filter(pk=self.empty.pk).exists())

    def test_sees_why_a_course_with_students_cannot_be_deleted_and_no_delete_button(self):
        course_page = self.get(f"/courses/{self.busy.pk}/")

        self.assertIsNone(course_page.html.select_one("#delete-course"))
        self.assertIsNotNone(course_page.html.select_one("#edit-course"))
        why = "MATH101 still has enrolled students and cannot be deleted. Unenroll them first: " \
              "see the 1 student on its roster."  # fmt: skip
        self.assertEqual(" ".join(course_page.html.select_one("#course-in-use").get_text().split()), why)
        delete_page = self.get(f"/courses/{self.busy.pk}/delete/")

        self.assertEqual(delete_page.status_code, 200)
        self.assertContains(delete_page, "<h1>MATH101 cannot be deleted</h1>", html=True)
        self.assertEqual(" ".join(delete_page.html.select_one("#course-in-use").get_text().split()), why)
        self.assertNotIn("delete-course-form", delete_page.forms)
        self.assertEqual(delete_page.html.select("main button"), [])
        roster = delete_page.click(linkid="see-roster")
        self.assertEqual(roster.request.path, f"/courses/{self.busy.pk}/")
        landing = urlsplit(delete_page.html.select_one("#see-roster")["href"]).fragment
        self.assertEqual(roster.html.find(id=landing or None).get_text(), "Roster", "lands on the roster itself")
        self.assertEqual(len(roster.html.select("#roster-table tbody tr")), 1)
        self.assertValidHtml(delete_page)
        self.assertEqual(Enrollment.objects.filter(course=self.busy).count(), 1)

    def test_sees_the_delete_button_on_an_empty_courses_page_and_no_refusal(self):
        page = self.get(f"/courses/{self.empty.pk}/")

        self.assertIsNotNone(page.html.select_one("#delete-course"))
        self.assertIsNone(page.html.select_one("#course-in-use"))

    def test_is_refused_for_a_course_with_students_and_nothing_is_deleted(self):
        """A page opened before the first student enrolled still sends the delete: the refusal stays."""
        page = self.post(f"/courses/{self.busy.pk}/delete/")

        self.assertRedirectsTo(page, "courses:detail", self.busy.pk)
        page = page.follow()
        self.assertMessage(
            page, "MATH101 still has enrolled students and cannot be deleted. Unenroll them first.", constants.ERROR
        )
        self.assertTrue(Course.objects.filter(pk=self.busy.pk).exists())
        self.assertEqual(Enrollment.objects.filter(course=self.busy).count(), 1)


class TestUnknownCourses(WebTestCase):
    role = REGISTRAR

    def test_give_the_not_found_page_and_change_nothing(self):
        baker.make_recipe("students.course")
        for method, path in [
            ("GET", "/courses/999999/"),
            ("GET", "/courses/999999/edit/"),
            ("POST", "/courses/999999/edit/"),
            ("GET", "/courses/999999/delete/"),
            ("POST", "/courses/999999/delete/"),
        ]:
            with self.subTest(method=method, path=path):
                if method == "GET":
                    response = self.get(path, status=404)
                else:
                    response = self.post(path, course_form_data(), status=404)
                self.assertContains(response, "Page not found", status_code=404)
        self.assertEqual(Course.objects.count(), 1)
