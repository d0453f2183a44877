"""Students racing for the last seats: a course never takes more than its capacity.

Each racer is a thread with its own database connection; a barrier lets them
all go at once. Only PostgreSQL has the row locks (SELECT ... FOR UPDATE) the
enrollment service relies on, and real concurrent writers: SQLite skips.
"""

import threading
import unittest

from django.db import connection
from django.test import Client, TransactionTestCase
from model_bakery import baker
from rest_framework.authtoken.models import Token

from apps.students import services
from apps.students.models import Course, Enrollment, Student
from project.testing import REGISTRAR, make_user

RACERS = 24
SEATS = 5
FULL = "CHEM130 is full"
# Generous: a racer waits for the others at the start line and for the lock.
TIMEOUT_SECONDS = 60


@unittest.skipUnless(connection.vendor == "postgresql", "needs PostgreSQL row locks: run make test-postgres")
class TestStudentsRacingForTheLastSeats(TransactionTestCase):
    def setUp(self):
        self.registrar = make_user(REGISTRAR)
        self.course = baker.make_recipe("students.course", code="CHEM130", capacity=SEATS)
        self.students = baker.make_recipe("students.student", _quantity=RACERS)

    def race(self, attempt, *, get_ready=None):
        """`attempt(student)` for every student at the same moment, one thread each.

        Returns {student pk: what the attempt returned, or the exception it raised}.
        `get_ready(student)` runs in the thread before the start line.
        """
        start_line = threading.Barrier(RACERS, timeout=TIMEOUT_SECONDS)
        outcomes = {}

        def racer(student):
            try:
                context = get_ready(student) if get_ready else None
                connection.ensure_connection()  # this thread's own connection, opened before the start
                start_line.wait()
                outcomes[student.pk] = attempt(student, context)
            except Exception as error:  # reported by the test, not lost in the thread
                outcomes[student.pk] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=racer, args=(student,)) for student in self.students]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT_SECONDS)
        self.assertFalse([thread for thread in threads if thread.is_alive()], "some racers never finished")
        crashed = {pk: repr(outcome) for pk, outcome in outcomes.items() if isinstance(outcome, Exception)}
        self.assertEqual(crashed, {})
        self.assertEqual(len(outcomes), RACERS)
        return outcomes

    def assertCourseHoldsExactly(self, winners):
        """The winners, and nobody else, hold the seats; nothing half-written."""
        self.assertEqual(len(winners), SEATS)
        enrolled = set(Enrollment.objects.filter(course=self.course).values_list("student_id", flat=True))
        self.assertEqual(enrolled, set(winners))
        self.assertEqual(Enrollment.objects.count(), SEATS)
        self.assertEqual(Student.objects.filter(enrollments__isnull=True).count(), RACERS - SEATS)
        self.assertEqual(Course.objects.get(pk=self.course.pk).seats_left, 0)

    def test_the_enrollment_service_never_overbooks(self):
        def enroll(student, _):
            try:
                return services.enroll(student=student, course=self.course, actor=self.registrar)
            except services.EnrollmentRefused as refusal:
                return str(refusal)

        outcomes = self.race(enroll)

        winners = {pk: outcome for pk, outcome in outcomes.items() if isinstance(outcome, Enrollment)}
        refusals = [outcome for outcome in outcomes.values() if not isinstance(outcome, Enrollment)]
        self.assertCourseHoldsExactly(winners)
        self.assertEqual(refusals, [FULL] * (RACERS - SEATS))
        self.assertEqual(
            {enrollment.pk for enrollment in winners.values()},
            set(Enrollment.objects.values_list("pk", flat=True)),
        )

    def test_the_api_never_overbooks_and_tells_each_refused_client_the_course_is_full(self):
        token = Token.objects.create(user=self.registrar)

        def post_enrollment(student, client):
            response = client.post(
                "/api/enrollments/",
                {"student": student.pk, "course": self.course.pk},
                content_type="application/json",
                headers={"authorization": f"Token {token.key}", "accept": "application/json"},
            )
            return response.status_code, response.json()

        outcomes = self.race(post_enrollment, get_ready=lambda student: Client())

        winners = {pk: body for pk, (status, body) in outcomes.items() if status == 201}
        refusals = [(status, body) for status, body in outcomes.values() if status != 201]
        self.assertCourseHoldsExactly(winners)
        self.assertEqual(refusals, [(400, {"course": [FULL]})] * (RACERS - SEATS))
        self.assertEqual(
            {body["id"] for body in winners.values()}, set(Enrollment.objects.values_list("pk", flat=True))
        )

    def test_the_enroll_form_never_overbooks_and_shows_each_refused_registrar_the_course_is_full(self):
        def logged_in_client(student):
            client = Client()
            client.force_login(self.registrar)
            return client

        def press_enroll(student, client):
            response = client.post(f"/students/{student.pk}/enroll/", {"course": self.course.pk}, follow=True)
            page = response.content.decode()
            return response.status_code, f"Enrolled {student.full_name} in CHEM130." in page, FULL in page

        outcomes = self.race(press_enroll, get_ready=logged_in_client)

        answers = list(outcomes.values())
        winners = [pk for pk, (_, enrolled, _) in outcomes.items() if enrolled]
        self.assertCourseHoldsExactly(winners)
        self.assertEqual(answers.count((200, True, False)), SEATS)
        self.assertEqual(answers.count((200, False, True)), RACERS - SEATS)
