"""Whatever a client sends, the API answers with a 4xx and a JSON reason, never a 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection
from django.test import SimpleTestCase
from django.urls import reverse
from model_bakery import baker

from apps.students.models import Course, Enrollment, Student
from project.api.errors import exception_handler
from project.testing import REGISTRAR, given
from project.testing_web import ApiTestCase

STUDENTS = reverse("api:student-list")
COURSES = reverse("api:course-list")
ENROLLMENTS = reverse("api:enrollment-list")
TOKEN = reverse("api:token")

VALID_STUDENT = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@school.example"}
VALID_COURSE = {"code": "PHYS201", "title": "Mechanics", "capacity": 12}

REQUIRED = "This field is required."
NOT_NULL = "This field may not be null."
NOT_A_STRING = "Not a valid string."
NO_NUL = "Null characters are not allowed."
NOT_AN_INTEGER = "Enter the number of seats as a whole number, like 30."
BAD_DATE = "Enter the date of birth as YYYY-MM-DD, like 2009-12-16."
BAD_EMAIL = "Enter an email address like name@school.example."
BAD_CODE = "A course code is 2 to 20 letters, digits or hyphens, like MATH101."


def pk_of_type(type_name):
    return f"Incorrect type. Expected pk value, received {type_name}."


def largest_capacity():
    """The database's largest positive integer (SQLite and PostgreSQL differ)."""
    return connection.ops.integer_field_range("PositiveIntegerField")[1]


class TestARegistrarSendingUnexpectedInput(ApiTestCase):
    role = REGISTRAR
    student = given("students.student", email="ada@school.example")
    course = given("students.course", code="MATH101")
    enrollment = given("students.enrollment", student=student, course=course)

    def write_endpoints(self):
        """Every (method, path) that reads a JSON body."""
        student = reverse("api:student-detail", kwargs={"pk": self.student.pk})
        course = reverse("api:course-detail", kwargs={"pk": self.course.pk})
        return [
            ("POST", STUDENTS),
            ("PUT", student),
            ("PATCH", student),
            ("POST", COURSES),
            ("PUT", course),
            ("PATCH", course),
            ("POST", ENROLLMENTS),
            ("POST", TOKEN),
        ]

    def send(self, method, path, body, content_type="application/json", status=400):
        return self.app.request(
            path,
            method=method,
            body=body.encode() if isinstance(body, str) else body,
            headers={**self.api_headers(self.token), "Content-Type": content_type},
            status=status,
        )

    def assertNothingChanged(self):
        self.assertEqual(
            (Student.objects.count(), Course.objects.count(), Enrollment.objects.count()),
            (1, 1, 1),
        )
        self.student.refresh_from_db()
        self.course.refresh_from_db()
        self.assertEqual((self.student.first_name, self.course.code), ("Ada", "MATH101"))

    def test_gets_400_for_malformed_json_everywhere(self):
        for body in ('{"first_name": ', "{'single': 'quotes'}", "[1, 2", '{"capacity": NaN}', "\x00"):
            for method, path in self.write_endpoints():
                with self.subTest(method=method, path=path, body=body):
                    response = self.send(method, path, body)
                    self.assertApiError(response, 400)
                    self.assertTrue(response.json["detail"].startswith("JSON parse error"), response.json)
        self.assertNothingChanged()

    def test_gets_415_for_a_body_that_is_not_json_everywhere(self):
        bodies = [
            ("application/x-www-form-urlencoded", "first_name=Grace"),
            ("text/plain", "Grace Hopper"),
            (
                "multipart/form-data; boundary=xx",
                "--xx\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--xx--\r\n",
            ),
            ("application/xml", "<student/>"),
        ]
        for content_type, body in bodies:
            media_type = content_type.split(";")[0]
            for method, path in self.write_endpoints():
                with self.subTest(method=method, path=path, content_type=media_type):
                    response = self.send(method, path, body, content_type=content_type, status=415)
                    self.assertApiError(
                        response, 415, {"detail": f'Unsupported media type "{content_type}" in request.'}
                    )
        self.assertNothingChanged()

    def test_gets_400_for_json_that_is_not_an_object(self):
        for body, type_name in (("[]", "list"), ("[1]", "list"), ("3", "int"), ('"text"', "str"), ("true", "bool")):
            for method, path in self.write_endpoints():
                with self.subTest(method=method, path=path, body=body):
                    response = self.send(method, path, body)
                    self.assertApiError(
                        response,
                        400,
                        {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {type_name}."]},
                    )
        self.assertNothingChanged()

    def test_gets_400_for_a_json_null_body(self):
        for method, path in self.write_endpoints():
            with self.subTest(method=method, path=path):
                self.assertApiError(self.send(method, path, "null"), 400, {"non_field_errors": ["No data provided"]})
        self.assertNothingChanged()

    def test_gets_a_field_error_for_each_value_of_the_wrong_type(self):
        course = self.course.pk
        other = baker.make_recipe("students.student").pk
        cases = [
            # (path, valid body, field, value sent, messages)
            (STUDENTS, VALID_STUDENT, "first_name", ["Grace"], [NOT_A_STRING]),
            (STUDENTS, VALID_STUDENT, "first_name", {"x": 1}, [NOT_A_STRING]),
            (STUDENTS, VALID_STUDENT, "first_name", None, ["Enter the first name."]),
            (STUDENTS, VALID_STUDENT, "first_name", "", ["Enter the first name."]),
            (STUDENTS, VALID_STUDENT, "first_name", "G" * 101, ["A first name can be at most 100 characters."]),
            (STUDENTS, VALID_STUDENT, "first_name", "Gra\x00ce", [NO_NUL]),
            (STUDENTS, VALID_STUDENT, "last_name", "\ud800", ["Surrogate characters are not allowed: U+D800."]),
            (STUDENTS, VALID_STUDENT, "email", 42, [BAD_EMAIL]),
            (STUDENTS, VALID_STUDENT, "email", ["grace@school.example"], [BAD_EMAIL]),
            (STUDENTS, VALID_STUDENT, "email", "grace\x00@school.example", [NO_NUL, BAD_EMAIL]),
            (STUDENTS, VALID_STUDENT, "date_of_birth", 20000101, [BAD_DATE]),
            (STUDENTS, VALID_STUDENT, "date_of_birth", "2000-02-30", [BAD_DATE]),
            (STUDENTS, VALID_STUDENT, "date_of_birth", {"year": 2000}, [BAD_DATE]),
            (STUDENTS, VALID_STUDENT, "date_of_birth", "1" * 30, [BAD_DATE]),
            (STUDENTS, VALID_STUDENT, "status", 1, ["Choose Active, Graduated or Withdrawn."]),
            (STUDENTS, VALID_STUDENT, "status", None, ["Choose a status."]),
            (STUDENTS, VALID_STUDENT, "enrolled_on", None, ["Enter the date the student enrolled."]),
            (STUDENTS, VALID_STUDENT, "notes", "a\x00", [NO_NUL]),
            (COURSES, VALID_COURSE, "capacity", "ten", [NOT_AN_INTEGER]),
            (COURSES, VALID_COURSE, "capacity", "", [NOT_AN_INTEGER]),
            (COURSES, VALID_COURSE, "capacity", [12], [NOT_AN_INTEGER]),
            (COURSES, VALID_COURSE, "capacity", {"seats": 12}, [NOT_AN_INTEGER]),
            (COURSES, VALID_COURSE, "capacity", None, ["Enter the number of seats."]),
            (COURSES, VALID_COURSE, "capacity", True, [NOT_AN_INTEGER]),
            (COURSES, VALID_COURSE, "capacity", 1.5, [NOT_AN_INTEGER]),
            (COURSES, VALID_COURSE, "capacity", 10**30, ["That is more seats than a course can have."]),
            (COURSES, VALID_COURSE, "capacity", 2**31, ["That is more seats than a course can have."]),  # any database
            (COURSES, VALID_COURSE, "capacity", -(10**30), ["A course has at least 1 seat."]),
            (COURSES, VALID_COURSE, "code", ["PHYS201"], [NOT_A_STRING]),
            (COURSES, VALID_COURSE, "code", "P" * 21, [BAD_CODE]),
            (COURSES, VALID_COURSE, "code", "   ", ["Enter the course code."]),
            (COURSES, VALID_COURSE, "code", "PH\x00YS", [BAD_CODE, NO_NUL]),
            (COURSES, VALID_COURSE, "title", None, ["Enter the title."]),
            (ENROLLMENTS, {"student": other, "course": course}, "student", "abc", [pk_of_type("str")]),
            (ENROLLMENTS, {"student": other, "course": course}, "student", [other], [pk_of_type("list")]),
            (ENROLLMENTS, {"student": other, "course": course}, "student", {"id": other}, [pk_of_type("dict")]),
            (ENROLLMENTS, {"student": other, "course": course}, "student", None, [NOT_NULL]),
            (ENROLLMENTS, {"student": other, "course": course}, "student", True, [pk_of_type("bool")]),
            (ENROLLMENTS, {"student": other, "course": course}, "student", float(other), [pk_of_type("float")]),
            (
                ENROLLMENTS,
                {"student": other, "course": course},
                "student",
                10**30,
                [f'Invalid pk "{10**30}" - object does not exist.'],
            ),
            (
                ENROLLMENTS,
                {"student": other, "course": course},
                "student",
                -1,
                ['Invalid pk "-1" - object does not exist.'],
            ),
            (ENROLLMENTS, {"student": other, "course": course}, "course", f"{course}\x00", [pk_of_type("str")]),
            (ENROLLMENTS, {"student": other, "course": course}, "course", "", [NOT_NULL]),
            (TOKEN, {"username": "someone", "password": "x"}, "username", ["someone"], [NOT_A_STRING]),
            (TOKEN, {"username": "someone", "password": "x"}, "username", None, [NOT_NULL]),
            (TOKEN, {"username": "someone", "password": "x"}, "username", "some\x00one", [NO_NUL]),
            (TOKEN, {"username": "someone", "password": "x"}, "password", {"x": 1}, [NOT_A_STRING]),
        ]
        for path, valid, field, value, messages in cases:
            with self.subTest(path=path, field=field, value=value):
                response = self.api_post(path, {**valid, field: value}, status=400)
                self.assertApiError(response, 400, {field: messages})
        self.assertEqual(Enrollment.objects.count(), 1)
        self.assertFalse(Student.objects.filter(email=VALID_STUDENT["email"]).exists())
        self.assertFalse(Course.objects.filter(code="PHYS201").exists())

    def test_gets_400_for_numbers_too_big_for_any_integer(self):
        # Regression: {"student": 1e309} reached the database lookup as infinity and crashed with a 500.
        body = f'{{"student": 1e309, "course": {self.course.pk}}}'
        self.assertApiError(self.send("POST", ENROLLMENTS, body), 400, {"student": [pk_of_type("float")]})
        body = '{"code": "PHYS201", "title": "Mechanics", "capacity": 1e309}'
        self.assertApiError(self.send("POST", COURSES, body), 400, {"capacity": [NOT_AN_INTEGER]})
        self.assertNothingChanged()

    def test_stores_unicode_text_exactly_as_sent(self):
        data = {"first_name": "Zoë", "last_name": "Ødegård-李", "email": "zoe@school.example", "notes": "🎓 ñ ß ǅ"}
        response = self.api_post(STUDENTS, data, status=201)
        stored = Student.objects.get(pk=response.json["id"])
        self.assertEqual((stored.first_name, stored.last_name, stored.notes), ("Zoë", "Ødegård-李", "🎓 ñ ß ǅ"))
        course = {"code": "éco101", "title": "Économie ♫", "capacity": 3}
        response = self.api_post(COURSES, course, status=201)
        self.assertEqual((response.json["code"], response.json["title"]), ("ÉCO101", "Économie ♫"))

    def test_gets_a_json_404_for_ids_and_paths_the_api_does_not_have(self):
        # Regression: paths no route matched answered the site's HTML 404 page.
        paths = [
            f"{STUDENTS}abc/",
            f"{STUDENTS}{10**30}/",
            f"{COURSES}{'9' * 19}/",
            f"{ENROLLMENTS}{'9' * 19}/",
            f"{reverse('api:student-detail', kwargs={'pk': self.student.pk})}extra/",
            "/api/nothing/",
        ]
        for path in paths:
            for method in ("GET", "DELETE", "POST"):
                with self.subTest(path=path, method=method):
                    response = self.app.request(path, method=method, headers=self.api_headers(self.token), status=404)
                    self.assertApiError(response, 404, {"detail": "Not found."})
        self.assertNothingChanged()

    def test_gets_a_json_400_for_a_host_the_site_does_not_serve(self):
        for path in (STUDENTS, TOKEN):
            with self.subTest(path=path):
                response = self.api_post(
                    path, VALID_STUDENT, headers={"Host": "records.elsewhere.example"}, status=400
                )
                self.assertApiError(response, 400, {"detail": "The request could not be read."})
        self.assertNothingChanged()

    def test_is_sent_to_the_address_with_a_trailing_slash(self):
        response = self.api_get(STUDENTS.rstrip("/"), status=301)
        self.assertEqual(response.location, STUDENTS)


class TestTheApiErrorHandler(SimpleTestCase):
    """Errors raised outside a serializer still answer JSON with a 4xx."""

    def test_gives_the_field_errors_of_a_validation_error_about_fields(self):
        response = exception_handler(DjangoValidationError({"email": ["Taken."]}), {})
        self.assertEqual((response.status_code, response.data), (400, {"email": ["Taken."]}))

    def test_gives_non_field_errors_for_a_validation_error_about_the_whole_record(self):
        response = exception_handler(DjangoValidationError(["Nope.", "Never."]), {})
        self.assertEqual((response.status_code, response.data), (400, {"non_field_errors": ["Nope.", "Never."]}))

    def test_answers_409_for_a_clash_with_a_record_saved_at_the_same_moment(self):
        """A unique rule's race lost on PostgreSQL, when no check can name the clash any more."""
        response = exception_handler(IntegrityError("duplicate key value violates unique constraint"), {})
        detail = "This conflicts with a record saved at the same moment. Reload and try again."
        self.assertEqual((response.status_code, response.data), (409, {"detail": detail}))
