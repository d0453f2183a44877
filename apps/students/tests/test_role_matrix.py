from itertools import count
from urllib.parse import urlsplit

from django.urls import resolve, reverse
from model_bakery import baker

from apps.students.models import Course, Enrollment, Student
from project.testing import ANONYMOUS, REGISTRAR, VIEWER, WebTestCase, make_user

from .form_data import course_form_data, student_form_data

LOGIN = "to login"

# What each role gets on each page of the students/courses UI. A URL name in
# the registrar column means "redirected there after the change succeeded".
MATRIX = [
    # page                 method   anonymous  viewer  registrar
    ("students:list",      "GET",   LOGIN,     200,    200),
    ("students:detail",    "GET",   LOGIN,     200,    200),
    ("students:export",    "GET",   LOGIN,     200,    200),
    ("students:create",    "GET",   LOGIN,     403,    200),
    ("students:update",    "GET",   LOGIN,     403,    200),
    ("students:delete",    "GET",   LOGIN,     403,    200),
    ("students:create",    "POST",  LOGIN,     403,    "students:detail"),
    ("students:update",    "POST",  LOGIN,     403,    "students:detail"),
    ("students:delete",    "POST",  LOGIN,     403,    "students:list"),
    ("students:enroll",    "POST",  LOGIN,     403,    "students:detail"),
    ("students:unenroll",  "GET",   LOGIN,     403,    200),
    ("students:unenroll",  "POST",  LOGIN,     403,    "students:detail"),
    ("courses:list",       "GET",   LOGIN,     200,    200),
    ("courses:detail",     "GET",   LOGIN,     200,    200),
    ("courses:roster_export", "GET", LOGIN,    200,    200),
    ("courses:create",     "GET",   LOGIN,     403,    200),
    ("courses:update",     "GET",   LOGIN,     403,    200),
    ("courses:delete",     "GET",   LOGIN,     403,    200),
    ("courses:create",     "POST",  LOGIN,     403,    "courses:detail"),
    ("courses:update",     "POST",  LOGIN,     403,    "courses:detail"),
    ("courses:delete",     "POST",  LOGIN,     403,    "courses:list"),
]  # fmt: skip

# Which records each page's URL names.
URL_ARGS = {
    "students:detail": ["student"],
    "students:update": ["student"],
    "students:delete": ["student"],
    "students:enroll": ["student"],
    "students:unenroll": ["student", "enrollment"],
    "courses:detail": ["course"],
    "courses:roster_export": ["course"],
    "courses:update": ["empty_course"],
    "courses:delete": ["empty_course"],
}

_unique = count(1)


def fresh_records():
    """A student in one course, and a course nobody is in yet (each row gets its own)."""
    enrollment = baker.make_recipe("students.enrollment")
    empty = baker.make_recipe("students.course")
    return {
        "student": enrollment.student,
        "course": enrollment.course,
        "enrollment": enrollment,
        "empty_course": empty,
    }


def form_data(page, records):
    n = next(_unique)
    if page.startswith("students:"):
        return {**student_form_data(email=f"matrix{n}@school.example"), "course": records["empty_course"].pk}
    return course_form_data(code=f"MTX{n}")


def database_state():
    return (
        list(Student.objects.values_list("id", "first_name", "email").order_by("id")),
        list(Course.objects.values_list("id", "code", "title", "capacity").order_by("id")),
        list(Enrollment.objects.values_list("id", "student_id", "course_id").order_by("id")),
    )


class TestWhoMayDoWhat(WebTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.users = {ANONYMOUS: None, VIEWER: make_user(VIEWER), REGISTRAR: make_user(REGISTRAR)}

    def test_every_role_on_every_page(self):
        for page, method, *outcomes in MATRIX:
            for role, expected in zip((ANONYMOUS, VIEWER, REGISTRAR), outcomes, strict=True):
                with self.subTest(role=role or "anonymous", method=method, page=page):
                    self.app.reset()
                    records = fresh_records()
                    path = reverse(page, args=[records[name].pk for name in URL_ARGS.get(page, [])])
                    before = database_state()
                    user = self.users[role]
                    if method == "GET":
                        response = self.get(path, user=user, expect_errors=True)
                    else:
                        response = self.post(path, form_data(page, records), user=user, expect_errors=True)

                    if expected == LOGIN:
                        self.assertRedirectsToLogin(response, path)
                    elif expected == 403:
                        self.assertContains(response, "You don't have permission to do that", status_code=403)
                    elif expected == 200:
                        self.assertEqual(response.status_code, 200)
                    else:
                        self.assertEqual(response.status_code, 302)
                        self.assertEqual(resolve(urlsplit(response.location).path).view_name, expected)
                        self.assertNotEqual(database_state(), before, "the change was made")
                        continue
                    self.assertEqual(database_state(), before, "nothing changed")
