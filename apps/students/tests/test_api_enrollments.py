"""Enrolling and unenrolling students through the REST API."""

from django.urls import reverse
from django.utils.dateparse import parse_datetime

from apps.students.models import Enrollment
from project.testing import REGISTRAR, UNKNOWN_ID, given
from project.testing_web import ApiTestCase


def list_url():
    return reverse("api:enrollment-list")


def detail_url(pk):
    return reverse("api:enrollment-detail", kwargs={"pk": pk})


class TestARegistrarUsingTheEnrollmentsApi(ApiTestCase):
    role = REGISTRAR
    ada = given("students.student", first_name="Ada", last_name="Lovelace")
    alan = given("students.student", first_name="Alan", last_name="Turing")
    math = given("students.course", code="MATH101", capacity=1)
    art = given("students.course", code="ART100", capacity=5)
    taken = given("students.enrollment", student=alan, course=math)

    def enroll(self, student, course, status=201):
        data = {"student": student.pk, "course": course.pk}
        return self.api_post(list_url(), data, status=status)

    def test_enrolls_a_student_and_answers_201_with_the_location(self):
        response = self.enroll(self.ada, self.art)
        enrollment = Enrollment.objects.get(student=self.ada, course=self.art)
        self.assertEqual(response.headers["Location"], f"http://testserver{detail_url(enrollment.pk)}")
        self.assertEqual(
            {**response.json, "enrolled_at": parse_datetime(response.json["enrolled_at"])},
            {
                "id": enrollment.pk,
                "student": self.ada.pk,
                "course": self.art.pk,
                "course_code": "ART100",
                "enrolled_at": enrollment.enrolled_at,
            },
        )

    def test_sees_the_course_on_the_student_afterwards(self):
        self.enroll(self.ada, self.art)
        student = self.api_get(reverse("api:student-detail", kwargs={"pk": self.ada.pk}))
        self.assertEqual(student.json["courses"], ["ART100"])
        course = self.api_get(reverse("api:course-detail", kwargs={"pk": self.art.pk}))
        self.assertEqual((course.json["enrolled_count"], course.json["seats_left"]), (1, 4))

    def test_may_send_the_ids_as_strings_of_digits(self):
        data = {"student": str(self.ada.pk), "course": str(self.art.pk)}
        self.api_post(list_url(), data, status=201)
        self.assertTrue(Enrollment.objects.filter(student=self.ada, course=self.art).exists())

    def test_cannot_enroll_a_student_in_a_full_course(self):
        response = self.enroll(self.ada, self.math, status=400)
        self.assertApiError(response, 400, {"course": ["MATH101 is full"]})
        self.assertEqual(list(Enrollment.objects.filter(course=self.math)), [self.taken])

    def test_cannot_enroll_a_student_twice_in_the_same_course(self):
        self.math.capacity = 5
        self.math.save()
        response = self.enroll(self.alan, self.math, status=400)
        self.assertApiError(response, 400, {"course": ["Alan Turing is already enrolled in MATH101."]})
        self.assertEqual(Enrollment.objects.filter(student=self.alan, course=self.math).count(), 1)

    def test_is_told_about_an_unknown_student_or_course(self):
        data = {"student": UNKNOWN_ID, "course": UNKNOWN_ID}
        response = self.api_post(list_url(), data, status=400)
        self.assertApiError(
            response,
            400,
            {
                "student": [f'Invalid pk "{UNKNOWN_ID}" - object does not exist.'],
                "course": [f'Invalid pk "{UNKNOWN_ID}" - object does not exist.'],
            },
        )

    def test_is_told_each_missing_field(self):
        response = self.api_post(list_url(), {}, status=400)
        self.assertApiError(
            response, 400, {"student": ["This field is required."], "course": ["This field is required."]}
        )

    def test_unenrolls_a_student_and_frees_the_seat(self):
        response = self.api_delete(detail_url(self.taken.pk), status=204)
        self.assertEqual(response.body, b"")
        self.assertFalse(Enrollment.objects.filter(pk=self.taken.pk).exists())
        self.enroll(self.ada, self.math)

    def test_gets_404_when_unenrolling_an_unknown_enrollment(self):
        response = self.api_delete(detail_url(UNKNOWN_ID), status=404)
        self.assertApiError(response, 404, {"detail": "No Enrollment matches the given query."})

    def test_cannot_list_read_or_change_enrollments(self):
        requests = [
            ("api_get", list_url(), 'Method "GET" not allowed.'),
            ("api_get", detail_url(self.taken.pk), 'Method "GET" not allowed.'),
            ("api_put", detail_url(self.taken.pk), 'Method "PUT" not allowed.'),
            ("api_patch", detail_url(self.taken.pk), 'Method "PATCH" not allowed.'),
            ("api_delete", list_url(), 'Method "DELETE" not allowed.'),
        ]
        for method, path, message in requests:
            with self.subTest(method=method, path=path):
                args = ({"course": self.art.pk},) if method in ("api_put", "api_patch") else ()
                response = getattr(self, method)(path, *args, status=405)
                self.assertApiError(response, 405, {"detail": message})
        self.assertEqual(list(Enrollment.objects.all()), [self.taken])
