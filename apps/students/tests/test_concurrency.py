"""Simultaneous users: no course overbooked, no edit overwritten, never a 500.

Each racer is a thread with its own database connection; a barrier lets them
all go at once. PostgreSQL queues them with row locks (SELECT ... FOR UPDATE)
and unique indexes; SQLite with IMMEDIATE transactions, which let one writer
in at a time while the others wait their turn (project/settings/base.py).

On SQLite the suite's in-memory database is shared-cache, where a busy table
fails at once (SQLITE_LOCKED) instead of waiting: these classes copy it to a
temporary file for their run, the kind of database `make run` uses.
"""

import os
import re
import sqlite3
import tempfile
import threading
from contextlib import closing, contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, TransactionTestCase
from model_bakery import baker

from apps.students import services
from apps.students.models import Course, Enrollment, Student
from project.testing import REGISTRAR, make_user, token_for

RACERS = 24
SEATS = 5
FULL = "CHEM130 is full"
STALE = services.StaleRecord.message
TAKEN = "A student with this email already exists."
# Generous: a racer waits for the others at the start line and for the lock.
TIMEOUT_SECONDS = 60


@contextmanager
def file_backed_sqlite():
    """Every connection opened meanwhile, in any thread, uses a file copy of the test database."""
    connection.ensure_connection()
    in_memory, in_memory_name = connection.connection, connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "races.sqlite3")
        with closing(sqlite3.connect(path)) as copy:
            in_memory.backup(copy)
        # The settings dict is shared by every thread's connection to "default".
        connection.settings_dict["NAME"] = path
        connection.connection = None  # the in-memory one stays open in `in_memory`, untouched
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["NAME"] = in_memory_name
            connection.connection = in_memory
            ContentType.objects.clear_cache()  # ids seen in the copy


class RaceTestCase(TransactionTestCase):
    """Threads that commit for real, on PostgreSQL and on SQLite alike."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if connection.vendor == "sqlite":
            cls.enterClassContext(file_backed_sqlite())

    def setUp(self):
        self.registrar = make_user(REGISTRAR)
        self.token = token_for(self.registrar)

    def race(self, attempt, *, get_ready=None):
        """`attempt(n, context)` for n in range(RACERS), all at the same moment, one thread each.

        Returns what each attempt returned, in order. An exception raised in a
        racer fails the test with its repr. `get_ready(n)` runs in the thread
        before the start line and gives the context.
        """
        start_line = threading.Barrier(RACERS, timeout=TIMEOUT_SECONDS)
        outcomes = {}

        def racer(n):
            try:
                context = get_ready(n) if get_ready else None
                connection.ensure_connection()  # this thread's own connection, opened before the start
                start_line.wait()
                outcomes[n] = attempt(n, context)
            except Exception as error:  # reported by the test, not lost in the thread
                outcomes[n] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT_SECONDS)
        self.assertFalse([thread for thread in threads if thread.is_alive()], "some racers never finished")
        crashed = {n: repr(outcome) for n, outcome in outcomes.items() if isinstance(outcome, Exception)}
        self.assertEqual(crashed, {})
        return [outcomes[n] for n in range(RACERS)]

    def api_client(self, n=None):
        return Client(headers={"authorization": f"Token {self.token}", "accept": "application/json"})

    def logged_in_client(self, n=None):
        client = Client()
        client.force_login(self.registrar)
        return client


class TestStudentsRacingForTheLastSeats(RaceTestCase):
    def setUp(self):
        super().setUp()
        self.course = baker.make_recipe("students.course", code="CHEM130", capacity=SEATS)
        self.students = baker.make_recipe("students.student", _quantity=RACERS)

    def assertCourseHoldsExactly(self, winners):
        """The winners, and nobody else, hold the seats; nothing half-written."""
        self.assertEqual(len(winners), SEATS)
        enrolled = set(Enrollment.objects.filter(course=self.course).values_list("student_id", flat=True))
        self.assertEqual(enrolled, {student.pk for student in winners})
        self.assertEqual(Enrollment.objects.count(), SEATS)
        self.assertEqual(Student.objects.filter(enrollments__isnull=True).count(), RACERS - SEATS)
        self.assertEqual(Course.objects.get(pk=self.course.pk).seats_left, 0)

    def test_the_enrollment_service_never_overbooks(self):
        def enroll(n, _):
            try:
                return services.enroll(student=self.students[n], course=self.course, actor=self.registrar)
            except services.EnrollmentRefused as refusal:
                return str(refusal)

        outcomes = self.race(enroll)

        winners = [outcome for outcome in outcomes if isinstance(outcome, Enrollment)]
        self.assertCourseHoldsExactly([enrollment.student for enrollment in winners])
        self.assertEqual([outcome for outcome in outcomes if outcome not in winners], [FULL] * (RACERS - SEATS))
        self.assertEqual(
            {enrollment.pk for enrollment in winners}, set(Enrollment.objects.values_list("pk", flat=True))
        )

    def test_the_api_never_overbooks_and_tells_each_refused_client_the_course_is_full(self):
        def post_enrollment(n, client):
            response = client.post(
                "/api/enrollments/",
                {"student": self.students[n].pk, "course": self.course.pk},
                content_type="application/json",
            )
            return response.status_code, response.json()

        outcomes = self.race(post_enrollment, get_ready=self.api_client)

        winners = [student for student, (status, _) in zip(self.students, outcomes, strict=True) if status == 201]
        self.assertCourseHoldsExactly(winners)
        refusals = [answer for answer in outcomes if answer[0] != 201]
        self.assertEqual(refusals, [(400, {"course": [FULL]})] * (RACERS - SEATS))
        created = {body["id"] for status, body in outcomes if status == 201}
        self.assertEqual(created, set(Enrollment.objects.values_list("pk", flat=True)))

    def test_the_enroll_form_never_overbooks_and_shows_each_refused_registrar_the_course_is_full(self):
        def press_enroll(n, client):
            student = self.students[n]
            response = client.post(f"/students/{student.pk}/enroll/", {"course": self.course.pk}, follow=True)
            page = response.content.decode()
            return response.status_code, f"Enrolled {student.full_name} in CHEM130." in page, FULL in page

        outcomes = self.race(press_enroll, get_ready=self.logged_in_client)

        winners = [student for student, (_, enrolled, _) in zip(self.students, outcomes, strict=True) if enrolled]
        self.assertCourseHoldsExactly(winners)
        self.assertEqual(outcomes.count((200, True, False)), SEATS)
        self.assertEqual(outcomes.count((200, False, True)), RACERS - SEATS)


def new_student(n, **changes):
    return {
        "first_name": "Grace",
        "last_name": f"Hopper{n}",
        "email": f"grace{n}@school.example",
        "date_of_birth": "2008-12-09",
        "status": "active",
        "enrolled_on": "2024-09-02",
        "notes": "",
        **changes,
    }


class TestRegistrarsCreatingStudentsAtTheSameMoment(RaceTestCase):
    def test_the_api_saves_every_one_of_them(self):
        def post_student(n, client):
            response = client.post("/api/students/", new_student(n), content_type="application/json")
            return response.status_code

        self.assertEqual(self.race(post_student, get_ready=self.api_client), [201] * RACERS)
        self.assertEqual(
            sorted(Student.objects.values_list("last_name", flat=True)), sorted(f"Hopper{n}" for n in range(RACERS))
        )
        numbers = set(Student.objects.values_list("student_number", flat=True))
        self.assertEqual(numbers, {Student.number_for(pk) for pk in Student.objects.values_list("pk", flat=True)})

    def test_the_service_saves_one_student_per_email_and_tells_the_others_it_is_taken(self):
        def create(n, _):
            fields = new_student(n, email="grace@school.example")
            try:
                return services.student_create(actor=self.registrar, **fields)
            except ValidationError as refusal:
                return refusal.message_dict

        outcomes = self.race(create)

        winners = [outcome for outcome in outcomes if isinstance(outcome, Student)]
        self.assertEqual(len(winners), 1)
        self.assertEqual(
            [outcome for outcome in outcomes if outcome not in winners], [{"email": [TAKEN]}] * (RACERS - 1)
        )
        self.assertEqual(list(Student.objects.values_list("pk", "email")), [(winners[0].pk, "grace@school.example")])

    def test_the_form_saves_one_student_per_email_and_shows_the_others_it_is_taken(self):
        def submit(n, client):
            response = client.post("/students/new/", new_student(n, email="grace@school.example"))
            return response.status_code, TAKEN in response.content.decode()

        outcomes = self.race(submit, get_ready=self.logged_in_client)

        self.assertEqual(sorted(outcomes), [(200, True)] * (RACERS - 1) + [(302, False)])
        self.assertEqual(Student.objects.count(), 1)


class TestRegistrarsSavingTheSameStudentAtTheSameMoment(RaceTestCase):
    """All opened version 1; one save wins, every other one is told and writes nothing."""

    def setUp(self):
        super().setUp()
        self.student = baker.make_recipe("students.student", first_name="Ada", last_name="Lovelace")

    def assertOneWinner(self, winner_last_names):
        self.assertEqual(len(winner_last_names), 1)
        saved = Student.objects.values_list("last_name", "notes", "version").get()
        self.assertEqual(saved, (winner_last_names[0], f"Edit {winner_last_names[0]}", 2))

    def test_the_service_saves_one_edit_and_reports_the_others_stale(self):
        def update(n, _):
            student = Student.objects.get(pk=self.student.pk)
            try:
                services.student_update(
                    student=student, actor=self.registrar, version=1, last_name=f"Edit{n}", notes=f"Edit Edit{n}"
                )
            except services.StaleRecord as stale:
                return str(stale)
            return student.last_name

        outcomes = self.race(update)

        self.assertEqual(outcomes.count(STALE), RACERS - 1)
        self.assertOneWinner([outcome for outcome in outcomes if outcome != STALE])

    def test_the_api_saves_one_edit_and_answers_412_to_the_others(self):
        path = f"/api/students/{self.student.pk}/"

        def patch(n, client):
            changes = {"last_name": f"Edit{n}", "notes": f"Edit Edit{n}"}
            response = client.patch(path, changes, content_type="application/json", headers={"if-match": '"1"'})
            return response.status_code, response.json()

        outcomes = self.race(patch, get_ready=self.api_client)

        self.assertEqual([body for status, body in outcomes if status != 200], [{"detail": STALE}] * (RACERS - 1))
        self.assertEqual(sorted(status for status, _ in outcomes), [200] + [412] * (RACERS - 1))
        self.assertOneWinner([body["last_name"] for status, body in outcomes if status == 200])

    def test_the_edit_form_saves_one_edit_and_shows_the_others_it_is_stale(self):
        path = f"/students/{self.student.pk}/edit/"

        def open_form(n):
            client = self.logged_in_client()
            version = re.search(r'name="version" value="([^"]+)"', client.get(path).content.decode())[1]
            return client, version

        def submit(n, opened):
            client, version = opened
            data = new_student(n, last_name=f"Edit{n}", notes=f"Edit Edit{n}", email=self.student.email)
            response = client.post(path, {**data, "version": version})
            return response.status_code, STALE in response.content.decode(), f"Edit{n}"

        outcomes = self.race(submit, get_ready=open_form)

        answers = sorted((status, stale) for status, stale, _ in outcomes)
        self.assertEqual(answers, [(200, True)] * (RACERS - 1) + [(302, False)])
        self.assertOneWinner([name for status, _, name in outcomes if status == 302])
