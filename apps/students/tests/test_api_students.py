"""The students endpoints of the REST API, as a client holding a token uses them."""

import json
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from apps.students.models import Enrollment, Student
from project.testing import ANONYMOUS, REGISTRAR, UNKNOWN_ID, VIEWER, given, make_user
from project.testing_web import ApiTestCase


def list_url():
    return reverse("api:student-list")


def detail_url(pk):
    return reverse("api:student-detail", kwargs={"pk": pk})


def absolute(path):
    return f"http://testserver{path}"


def age_today(born):
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def years_ago(years, days=0):
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days)


def student_json(student, courses=()):
    """What the API shows for `student`, written out field by field."""
    return {
        "id": student.pk,
        "url": absolute(detail_url(student.pk)),
        "student_number": f"S{student.pk:06d}",
        "first_name": student.first_name,
        "last_name": student.last_name,
        "email": student.email,
        "date_of_birth": student.date_of_birth.isoformat() if student.date_of_birth else None,
        "age": age_today(student.date_of_birth) if student.date_of_birth else None,
        "status": student.status,
        "enrolled_on": student.enrolled_on.isoformat(),
        "notes": student.notes,
        "courses": list(courses),
    }


NEW_STUDENT = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@school.example",
    "date_of_birth": "2009-12-09",
    "status": "active",
    "enrolled_on": "2025-09-01",
    "notes": "Debugs everything.",
}


class TestARegistrarUsingTheStudentsApi(ApiTestCase):
    role = REGISTRAR
    math = given("students.course", code="MATH101", title="Calculus")
    ada = given(
        "students.student", first_name="Ada", last_name="Lovelace", email="ada@school.example", notes="Loves engines."
    )
    enrollment = given("students.enrollment", student=ada, course=math)

    def test_lists_students_field_by_field(self):
        response = self.api_get(list_url())
        self.assertEqual(response.content_type, "application/json")
        self.assertEqual(
            response.json,
            {"count": 1, "next": None, "previous": None, "results": [student_json(self.ada, ["MATH101"])]},
        )

    def test_reads_one_student_field_by_field(self):
        response = self.api_get(detail_url(self.ada.pk))
        self.assertEqual(response.json, student_json(self.ada, ["MATH101"]))
        self.assertEqual(response.json["student_number"], self.ada.student_number)

    def test_creates_a_student_and_answers_201_with_its_location(self):
        response = self.api_post(list_url(), NEW_STUDENT, status=201)
        grace = Student.objects.get(email="grace@school.example")
        self.assertEqual(response.headers["Location"], absolute(detail_url(grace.pk)))
        self.assertEqual(response.json, student_json(grace))
        self.assertEqual(
            (grace.first_name, grace.last_name, grace.date_of_birth, grace.status, grace.enrolled_on, grace.notes),
            ("Grace", "Hopper", date(2009, 12, 9), "active", date(2025, 9, 1), "Debugs everything."),
        )
        self.assertEqual(grace.student_number, f"S{grace.pk:06d}")

    def test_creates_a_student_from_the_required_fields_alone(self):
        required = {"first_name": "Alan", "last_name": "Turing", "email": "alan@school.example"}
        response = self.api_post(list_url(), required, status=201)
        alan = Student.objects.get(pk=response.json["id"])
        self.assertEqual(
            (alan.status, alan.enrolled_on, alan.date_of_birth, alan.notes),
            ("active", timezone.localdate(), None, ""),
        )
        self.assertEqual(response.json["age"], None)
        self.assertEqual(response.json["courses"], [])

    def test_reads_a_body_in_the_character_set_its_content_type_names(self):
        typed = {"first_name": "Zoë", "last_name": "Ångström", "email": "zoe@school.example"}
        body = json.dumps(typed, ensure_ascii=False)
        response = self.app.post(
            list_url(),
            body.encode("latin-1"),
            headers=self.api_headers(self.token),
            content_type="application/json; charset=latin-1",
            status=201,
        )
        zoe = Student.objects.get(pk=response.json["id"])
        self.assertEqual((zoe.first_name, zoe.last_name, response.json["last_name"]), ("Zoë", "Ångström", "Ångström"))

    def test_replaces_a_student_with_put(self):
        replacement = {**NEW_STUDENT, "email": "ada.king@school.example", "status": "graduated"}
        response = self.api_put(detail_url(self.ada.pk), replacement)
        self.ada.refresh_from_db()
        self.assertEqual(response.json, student_json(self.ada, ["MATH101"]))
        self.assertEqual(
            (self.ada.first_name, self.ada.email, self.ada.status, self.ada.notes),
            ("Grace", "ada.king@school.example", "graduated", "Debugs everything."),
        )

    def test_changes_one_field_with_patch_and_keeps_the_others(self):
        response = self.api_patch(detail_url(self.ada.pk), {"status": "withdrawn"})
        self.assertEqual(response.json["status"], "withdrawn")
        self.ada.refresh_from_db()
        self.assertEqual(
            (self.ada.status, self.ada.first_name, self.ada.email, self.ada.notes),
            ("withdrawn", "Ada", "ada@school.example", "Loves engines."),
        )

    def test_may_empty_the_notes_but_is_told_they_may_not_be_null(self):
        refused = self.api_patch(detail_url(self.ada.pk), {"notes": None}, status=400)
        self.assertApiError(refused, 400, {"notes": ["This field may not be null."]})
        self.ada.refresh_from_db()
        self.assertEqual(self.ada.notes, "Loves engines.")

        self.assertEqual(self.api_patch(detail_url(self.ada.pk), {"notes": ""}).json["notes"], "")
        self.ada.refresh_from_db()
        self.assertEqual(self.ada.notes, "")

    def test_cannot_change_the_student_number(self):
        response = self.api_patch(detail_url(self.ada.pk), {"student_number": "X999"})
        self.assertEqual(response.json["student_number"], f"S{self.ada.pk:06d}")
        self.ada.refresh_from_db()
        self.assertEqual(self.ada.student_number, f"S{self.ada.pk:06d}")

    def test_deletes_a_student_and_their_enrollments(self):
        response = self.api_delete(detail_url(self.ada.pk), status=204)
        self.assertEqual(response.body, b"")
        self.assertFalse(Student.objects.filter(pk=self.ada.pk).exists())
        self.assertFalse(Enrollment.objects.filter(student_id=self.ada.pk).exists())
        self.api_get(detail_url(self.ada.pk), status=404)

    def test_gets_404_for_an_unknown_student_whatever_the_method(self):
        for method in ("api_get", "api_put", "api_patch", "api_delete"):
            with self.subTest(method):
                call = getattr(self, method)
                args = (NEW_STUDENT,) if method in ("api_put", "api_patch") else ()
                response = call(detail_url(UNKNOWN_ID), *args, status=404)
                self.assertApiError(response, 404, {"detail": "No Student matches the given query."})

    def test_gets_a_json_404_for_an_id_too_long_for_the_database(self):
        for path in (f"{list_url()}{'1' * 19}/", f"{list_url()}{10**30}/"):
            with self.subTest(path):
                response = self.api_get(path, status=404)
                self.assertApiError(response, 404, {"detail": "Not found."})

    def test_gets_405_for_a_method_the_endpoint_does_not_have(self):
        response = self.api_put(list_url(), NEW_STUDENT, status=405)
        self.assertApiError(response, 405, {"detail": 'Method "PUT" not allowed.'})
        response = self.api_post(detail_url(self.ada.pk), NEW_STUDENT, status=405)
        self.assertApiError(response, 405, {"detail": 'Method "POST" not allowed.'})

    def test_is_told_each_missing_required_field(self):
        response = self.api_post(list_url(), {}, status=400)
        self.assertApiError(
            response,
            400,
            {
                "first_name": ["Enter the first name."],
                "last_name": ["Enter the last name."],
                "email": ["Enter the email address."],
            },
        )
        self.assertEqual(Student.objects.count(), 1)

    def test_cannot_reuse_an_email_in_another_letter_case(self):
        for method, path in (("api_post", list_url()), ("api_put", None)):
            with self.subTest(method):
                if path is None:
                    other = baker.make_recipe("students.student")
                    path = detail_url(other.pk)
                call = getattr(self, method)
                data = {**NEW_STUDENT, "email": "ADA@School.Example"}
                response = call(path, data, status=400)
                self.assertApiError(response, 400, {"email": ["A student with this email already exists."]})
        self.assertEqual(Student.objects.filter(email__iexact="ada@school.example").count(), 1)

    def test_may_change_the_letter_case_of_their_own_email(self):
        self.api_patch(detail_url(self.ada.pk), {"email": "Ada@School.Example"})
        self.ada.refresh_from_db()
        self.assertEqual(self.ada.email, "Ada@School.Example")

    def test_cannot_be_born_in_the_future_or_more_than_120_years_ago(self):
        tomorrow = timezone.localdate() + timedelta(days=1)
        cases = [
            (tomorrow, "Date of birth cannot be in the future."),
            (years_ago(120, days=1), "Date of birth cannot be more than 120 years ago."),
        ]
        for born, message in cases:
            with self.subTest(born=born):
                data = {**NEW_STUDENT, "date_of_birth": born.isoformat()}
                response = self.api_post(list_url(), data, status=400)
                self.assertApiError(response, 400, {"date_of_birth": [message]})
        self.assertFalse(Student.objects.filter(email=NEW_STUDENT["email"]).exists())

    def test_may_be_born_today_or_exactly_120_years_ago(self):
        for email, born in (("today@school.example", timezone.localdate()), ("old@school.example", years_ago(120))):
            with self.subTest(born=born):
                data = {**NEW_STUDENT, "email": email, "date_of_birth": born.isoformat()}
                self.api_post(list_url(), data, status=201)
                self.assertEqual(Student.objects.get(email=email).date_of_birth, born)

    def test_creates_a_student_a_viewer_can_read_and_nobody_else_can_delete(self):
        response = self.api_post(list_url(), NEW_STUDENT, status=201)
        viewer = make_user(VIEWER)
        path = response.headers["Location"]
        self.assertEqual(self.api_get(path, user=viewer).json["last_name"], "Hopper")
        self.assertNoAccess(self.api_delete(path, user=viewer, status=403))
        self.assertNoAccess(self.api_delete(path, user=ANONYMOUS, status=401))
        self.assertTrue(Student.objects.filter(email=NEW_STUDENT["email"]).exists())

    def test_is_told_what_is_wrong_with_each_invalid_field(self):
        data = {**NEW_STUDENT, "email": "not-an-email", "status": "expelled", "enrolled_on": "01/09/2025"}
        response = self.api_post(list_url(), data, status=400)
        self.assertApiError(
            response,
            400,
            {
                "email": ["Enter an email address like name@school.example."],
                "status": ["Choose Active, Graduated or Withdrawn."],
                "enrolled_on": ["Enter the enrollment date as YYYY-MM-DD, like 2024-09-02."],
            },
        )

    def test_is_told_an_email_is_taken_together_with_the_other_invalid_fields(self):
        data = {**NEW_STUDENT, "email": "ADA@school.example", "status": "expelled"}
        response = self.api_post(list_url(), data, status=400)
        self.assertApiError(
            response,
            400,
            {
                "email": ["A student with this email already exists."],
                "status": ["Choose Active, Graduated or Withdrawn."],
            },
        )
        self.assertEqual(Student.objects.count(), 1)


class TestAViewerUsingTheStudentsApi(ApiTestCase):
    role = VIEWER
    ada = given("students.student", email="ada@school.example")

    def test_can_list_students(self):
        response = self.api_get(list_url())
        self.assertEqual(response.json["results"], [student_json(self.ada)])

    def test_can_read_a_student(self):
        self.assertEqual(self.api_get(detail_url(self.ada.pk)).json, student_json(self.ada))

    def test_can_read_with_the_session_of_its_browser(self):
        response = self.app.get(detail_url(self.ada.pk), user=self.user)
        self.assertEqual(response.json, student_json(self.ada))
