"""One message per rule, the same on the pages and in the API; text that would break pages or
files is refused at every door, and a file name is sent so that any code reads right."""

from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from apps.students.models import Course, Student
from apps.students.tests.form_data import course_form_data, student_form_data
from project.testing import REGISTRAR, fill, given
from project.testing_web import ApiTestCase

ONE_LINE = "Use one line of plain text: no line breaks, tabs or invisible control characters."
BAD_CODE = "A course code is 2 to 20 letters, digits or hyphens, like MATH101."


class TestARegistrarBreakingARuleOnAPageAndInTheApi(ApiTestCase):
    role = REGISTRAR
    math = given("students.course", code="MATH101", capacity=5)
    ada = given("students.student", email="ada@school.example")
    enrolled = given("students.student", _quantity=2)
    enrollments = given("students.enrollment", student=enrolled, course=math, _quantity=2)

    def page_error(self, path, form_id, field, typed):
        page = fill(self.get(path).forms[form_id], typed).submit()
        self.assertEqual(page.status_code, 200)
        return page.html.select_one(f"form#{form_id} #errors-{field}").get_text(" ", strip=True)

    def api_error(self, path, method, field, data):
        response = getattr(self, f"api_{method}")(path, data, expect_errors=True)
        self.assertEqual(response.status_code, 400, response.text)
        return " ".join(response.json[field])

    def test_reads_the_same_message_in_both(self):
        math_form, math_api = f"/courses/{self.math.pk}/edit/", reverse("api:course-detail", args=[self.math.pk])
        cases = [
            # (rule, page, form id, field, typed, API path, method, sent, message)
            ("taken course code", "/courses/new/", "course-form", "code", course_form_data(code="math101"),
             reverse("api:course-list"), "post", {"code": "math101", "title": "T", "capacity": 3},
             "A course with this code already exists."),
            ("full-width course code", "/courses/new/", "course-form", "code",
             course_form_data(code="\uff2d\uff21\uff34\uff28101"), reverse("api:course-list"), "post",
             {"code": "\uff2d\uff21\uff34\uff28101", "title": "T", "capacity": 3},
             "A course with this code already exists."),
            ("code with a line break", "/courses/new/", "course-form", "code", course_form_data(code="ART\n140"),
             reverse("api:course-list"), "post", {"code": "ART\n140", "title": "T", "capacity": 3}, BAD_CODE),
            ("taken email", "/students/new/", "student-form", "email", student_form_data(email="ADA@school.example"),
             reverse("api:student-list"), "post", {**student_form_data(), "email": "ADA@school.example"},
             "A student with this email already exists."),
            ("capacity below the students enrolled", math_form, "course-form", "capacity", {"capacity": "1"},
             math_api, "patch", {"capacity": 1}, "Capacity cannot be lower than the 2 students already enrolled."),
            ("minimum capacity", math_form, "course-form", "capacity", {"capacity": "0"},
             math_api, "patch", {"capacity": 0}, "A course has at least 1 seat."),
            ("required first name", "/students/new/", "student-form", "first_name", student_form_data(first_name=""),
             reverse("api:student-list"), "post", {**student_form_data(), "first_name": ""}, "Enter the first name."),
            ("direction override in a name", "/students/new/", "student-form", "last_name",
             student_form_data(last_name="Hopper\u202egpj"), reverse("api:student-list"), "post",
             {**student_form_data(), "last_name": "Hopper\u202egpj"}, ONE_LINE),
            ("line break in a title", math_form, "course-form", "title", {"title": "Art\nHistory"},
             math_api, "patch", {"title": "Art\nHistory"}, ONE_LINE),
            ("zero-width space in a title", math_form, "course-form", "title", {"title": "Art\u200bHistory"},
             math_api, "patch", {"title": "Art\u200bHistory"}, ONE_LINE),
        ]  # fmt: skip
        for rule, path, form_id, field, typed, api_path, method, sent, message in cases:
            with self.subTest(rule):
                self.assertEqual(self.page_error(path, form_id, field, typed), message)
                self.assertEqual(self.api_error(api_path, method, field, sent), message)
        self.assertEqual(
            list(Course.objects.values_list("code", "title", "capacity")), [("MATH101", self.math.title, 5)]
        )
        self.assertEqual(Student.objects.count(), 3)  # Ada and the two enrolled

    def test_may_write_line_breaks_and_tabs_in_notes_and_descriptions_kept_as_newlines(self):
        # However they are sent: a browser sends a text box's line breaks as "\r\n".
        response = self.api_patch(
            reverse("api:course-detail", args=[self.math.pk]), {"description": "Week 1:\r\n\tsets\rWeek 2"}
        )
        self.assertEqual(response.json["description"], "Week 1:\n\tsets\nWeek 2")
        page = fill(self.get(f"/students/{self.ada.pk}/edit/").forms["student-form"], {"notes": "One\r\nTwo"}).submit()
        self.assertEqual(page.status_code, 302)
        self.assertEqual(Student.objects.get(pk=self.ada.pk).notes, "One\nTwo")
        self.assertEqual(Course.objects.get(pk=self.math.pk).description, "Week 1:\n\tsets\nWeek 2")


class TestARosterDownloadOfACourseWithAnOddCode(ApiTestCase):
    role = REGISTRAR
    course = given("students.course", code="ART140")

    def test_is_named_so_that_any_code_reads_right_and_never_fails(self):
        # A code saved before today's rules, holding what a header cannot: a quote, a semicolon, a line break.
        Course.objects.filter(pk=self.course.pk).update(code='A"R;T\n\u041c\u0410\u0422')  # and Cyrillic letters
        baker.make_recipe("students.enrollment", course=self.course)

        response = self.get(reverse("courses:roster_export", args=[self.course.pk]))

        self.assertEqual(response.status_code, 200)
        today = f"{timezone.localdate():%Y-%m-%d}"
        self.assertEqual(
            response.headers["Content-Disposition"],
            f"attachment; filename*=utf-8''A%22R%3BT%0A%D0%9C%D0%90%D0%A2-roster-{today}.csv",
        )
