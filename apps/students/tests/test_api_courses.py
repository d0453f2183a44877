"""The courses endpoints of the REST API, as a client holding a token uses them."""

from django.urls import reverse

from apps.students.models import Course, Enrollment
from project.testing import REGISTRAR, UNKNOWN_ID, VIEWER, given
from project.testing_web import ApiTestCase

NEW_COURSE = {"code": "PHYS201", "title": "Mechanics", "capacity": 12, "description": "Forces and motion."}


def list_url():
    return reverse("api:course-list")


def detail_url(pk):
    return reverse("api:course-detail", kwargs={"pk": pk})


def course_json(course, enrolled=0):
    """What the API shows for `course`, written out field by field."""
    return {
        "id": course.pk,
        "url": f"http://testserver{detail_url(course.pk)}",
        "code": course.code,
        "title": course.title,
        "capacity": course.capacity,
        "description": course.description,
        "enrolled_count": enrolled,
        "seats_left": course.capacity - enrolled,
    }


class TestARegistrarUsingTheCoursesApi(ApiTestCase):
    role = REGISTRAR
    math = given("students.course", code="MATH101", title="Calculus", capacity=3)
    students = given("students.student", _quantity=2)
    enrollments = given("students.enrollment", student=students, course=math, _quantity=2)
    art = given("students.course", code="ART100", title="Drawing", capacity=10)

    def test_lists_courses_with_their_enrollment_count_and_seats_left(self):
        response = self.api_get(list_url())
        self.assertEqual(
            response.json,
            {
                "count": 2,
                "next": None,
                "previous": None,
                "results": [course_json(self.art), course_json(self.math, enrolled=2)],
            },
        )

    def test_reads_one_course_field_by_field(self):
        response = self.api_get(detail_url(self.math.pk))
        self.assertEqual(response.json, course_json(self.math, enrolled=2))

    def test_creates_a_course_and_answers_201_with_its_location(self):
        response = self.api_post(list_url(), NEW_COURSE, status=201)
        physics = Course.objects.get(code="PHYS201")
        self.assertEqual(response.headers["Location"], f"http://testserver{detail_url(physics.pk)}")
        self.assertEqual(response.json, course_json(physics))
        self.assertEqual(
            (physics.title, physics.capacity, physics.description), ("Mechanics", 12, "Forces and motion.")
        )

    def test_stores_the_code_in_capitals_without_surrounding_spaces(self):
        response = self.api_post(list_url(), {**NEW_COURSE, "code": "  phys201 "}, status=201)
        self.assertEqual(response.json["code"], "PHYS201")
        self.assertEqual(Course.objects.get(pk=response.json["id"]).code, "PHYS201")

    def test_cannot_reuse_a_code_in_another_letter_case(self):
        for method, path in (("api_post", list_url()), ("api_put", detail_url(self.art.pk))):
            with self.subTest(method):
                data = {**NEW_COURSE, "code": "Math101"}
                response = getattr(self, method)(path, data, status=400)
                self.assertApiError(response, 400, {"code": ["A course with this code already exists."]})
        self.assertEqual(Course.objects.filter(code__iexact="math101").count(), 1)
        self.assertEqual(Course.objects.get(pk=self.art.pk).code, "ART100")

    def test_may_resend_its_own_code_in_lower_case(self):
        response = self.api_patch(detail_url(self.math.pk), {"code": "math101"})
        self.assertEqual(response.json["code"], "MATH101")

    def test_replaces_a_course_with_put(self):
        response = self.api_put(detail_url(self.art.pk), NEW_COURSE)
        self.art.refresh_from_db()
        self.assertEqual(response.json, course_json(self.art))
        self.assertEqual(
            (self.art.code, self.art.title, self.art.capacity, self.art.description),
            ("PHYS201", "Mechanics", 12, "Forces and motion."),
        )

    def test_changes_the_capacity_with_patch_and_sees_the_seats_left(self):
        response = self.api_patch(detail_url(self.math.pk), {"capacity": 7})
        self.assertEqual((response.json["capacity"], response.json["seats_left"]), (7, 5))
        self.math.refresh_from_db()
        self.assertEqual((self.math.capacity, self.math.title), (7, "Calculus"))

    def test_needs_a_positive_capacity(self):
        for capacity in (0, -1):
            with self.subTest(capacity=capacity):
                data = {**NEW_COURSE, "capacity": capacity}
                response = self.api_post(list_url(), data, status=400)
                self.assertApiError(response, 400, {"capacity": ["A course has at least 1 seat."]})
        self.assertFalse(Course.objects.filter(code="PHYS201").exists())

    def test_cannot_lower_the_capacity_below_the_students_enrolled(self):
        response = self.api_patch(detail_url(self.math.pk), {"capacity": 1}, status=400)
        self.assertApiError(
            response, 400, {"capacity": ["Capacity cannot be lower than the 2 students already enrolled."]}
        )
        self.math.refresh_from_db()
        self.assertEqual(self.math.capacity, 3)

    def test_may_lower_the_capacity_to_exactly_the_students_enrolled(self):
        response = self.api_patch(detail_url(self.math.pk), {"capacity": 2})
        self.assertEqual(response.json["seats_left"], 0)

    def test_is_told_each_missing_required_field(self):
        response = self.api_post(list_url(), {"description": "No code"}, status=400)
        self.assertApiError(
            response,
            400,
            {
                "code": ["Enter the course code."],
                "title": ["Enter the title."],
                "capacity": ["Enter the number of seats."],
            },
        )

    def test_deletes_a_course_without_enrollments(self):
        response = self.api_delete(detail_url(self.art.pk), status=204)
        self.assertEqual(response.body, b"")
        self.assertFalse(Course.objects.filter(pk=self.art.pk).exists())

    def test_cannot_delete_a_course_that_still_has_students(self):
        response = self.api_delete(detail_url(self.math.pk), status=409)
        self.assertApiError(
            response,
            409,
            {"detail": "MATH101 still has enrolled students and cannot be deleted. Unenroll them first."},
        )
        self.assertTrue(Course.objects.filter(pk=self.math.pk).exists())
        self.assertEqual(Enrollment.objects.filter(course=self.math).count(), 2)

    def test_gets_404_for_an_unknown_course_whatever_the_method(self):
        for method in ("api_get", "api_put", "api_patch", "api_delete"):
            with self.subTest(method):
                args = (NEW_COURSE,) if method in ("api_put", "api_patch") else ()
                response = getattr(self, method)(detail_url(UNKNOWN_ID), *args, status=404)
                self.assertApiError(response, 404, {"detail": "No Course matches the given query."})


class TestAViewerUsingTheCoursesApi(ApiTestCase):
    role = VIEWER
    math = given("students.course", code="MATH101")

    def test_can_list_and_read_courses(self):
        self.assertEqual(self.api_get(list_url()).json["results"], [course_json(self.math)])
        self.assertEqual(self.api_get(detail_url(self.math.pk)).json, course_json(self.math))
