"""Simultaneous users: no course overbooked, no change lost, never a 500.

Each racer is a thread with its own database connection; a barrier lets them
all go at once. PostgreSQL queues them with row locks (SELECT ... FOR UPDATE)
and unique indexes; SQLite with IMMEDIATE write transactions, which let one
writer in at a time while the others wait their turn (project/settings/base.py).
`make test` races RACERS threads; `make test-deep` fifty.

On SQLite the suite's in-memory database is shared-cache, where a busy table
fails at once (SQLITE_LOCKED) instead of waiting: these classes copy it to a
temporary file for their run, the kind of database `make run` uses.
"""

import os
import random
import re
import sqlite3
import tempfile
import threading
from contextlib import closing, contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test import Client, TransactionTestCase
from model_bakery import baker
from webtest import TestApp

from apps.students import services
from apps.students.models import Course, Enrollment, Student
from project.testing import DEEP, REGISTRAR, SUPERUSER, make_user, token_for

RACERS = 50 if DEEP else 10
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
            try:
                saved = services.student_update(
                    student=self.student, actor=self.registrar, version=1, last_name=f"Edit{n}", notes=f"Edit Edit{n}"
                )
            except services.StaleRecord as stale:
                return str(stale)
            return saved.last_name

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
            opened = re.search(r'name="opened" value="([^"]+)"', client.get(path).content.decode())[1]
            return client, opened

        def submit(n, form):
            client, opened = form
            data = new_student(n, last_name=f"Edit{n}", notes=f"Edit Edit{n}", email=self.student.email)
            response = client.post(path, {**data, "opened": opened})
            return response.status_code, STALE in response.content.decode(), f"Edit{n}"

        outcomes = self.race(submit, get_ready=open_form)

        answers = sorted((status, stale) for status, stale, _ in outcomes)
        self.assertEqual(answers, [(200, True)] * (RACERS - 1) + [(302, False)])
        self.assertOneWinner([name for status, _, name in outcomes if status == 302])


# Fields a racer may own: nobody else writes them, so whatever it last saved must be there at the end.
STUDENT_FIELDS = ("first_name", "last_name", "notes")


class TestRegistrarsChangingDifferentFieldsAtTheSameMoment(RaceTestCase):
    """Every racer changes one field nobody else touches: every change survives."""

    def setUp(self):
        super().setUp()
        self.students = baker.make_recipe("students.student", _quantity=-(-RACERS // len(STUDENT_FIELDS)), notes="")

    def slot(self, n):
        return self.students[n // len(STUDENT_FIELDS)], STUDENT_FIELDS[n % len(STUDENT_FIELDS)]

    def assertEveryChangeSurvived(self):
        for n in range(RACERS):
            student, field = self.slot(n)
            self.assertEqual(getattr(Student.objects.get(pk=student.pk), field), f"Racer{n}", (n, field))

    def test_the_api_keeps_every_patch(self):
        def patch(n, client):
            student, field = self.slot(n)
            response = client.patch(
                f"/api/students/{student.pk}/", {field: f"Racer{n}"}, content_type="application/json"
            )
            return response.status_code

        self.assertEqual(self.race(patch, get_ready=self.api_client), [200] * RACERS)
        self.assertEveryChangeSurvived()

    def test_the_edit_form_keeps_every_save(self):
        def open_form(n):
            client = self.logged_in_client()
            student, _ = self.slot(n)
            page = client.get(f"/students/{student.pk}/edit/").content.decode()
            return client, re.search(r'name="opened" value="([^"]+)"', page)[1]

        def submit(n, form):
            client, opened = form
            student, field = self.slot(n)
            data = {
                "first_name": student.first_name,
                "last_name": student.last_name,
                "email": student.email,
                "date_of_birth": student.date_of_birth.isoformat(),
                "status": student.status,
                "enrolled_on": student.enrolled_on.isoformat(),
                "notes": student.notes,
                field: f"Racer{n}",
            }
            return client.post(f"/students/{student.pk}/edit/", {**data, "opened": opened}).status_code

        self.assertEqual(self.race(submit, get_ready=open_form), [302] * RACERS)
        self.assertEveryChangeSurvived()


class OfficeWorker:
    """One racer of `TestTheOfficeWritingAllAtOnce`: a browser and an API client of its own.

    Each write is one of the office's doors; what it returns is an acknowledgement
    (the value is saved), a conflict (refused, nothing saved) or a failure.
    """

    def __init__(self, test, user):
        self.test = test
        self.app = TestApp(WSGIHandler())
        client = Client()
        client.force_login(user)
        self.app.set_cookie(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
        self.api_headers = {"Authorization": f"Token {token_for(user)}", "Accept": "application/json"}

    def answer(self, response):
        self.test.assertLess(response.status_int, 500, response.text[:2000])
        return response

    @staticmethod
    def failure(response):
        return f"{response.status_int} {response.text[:300]}"

    def patch(self, path, field, value):
        response = self.answer(self.app.patch_json(path, {field: value}, headers=self.api_headers, expect_errors=True))
        return "saved" if response.status_int == 200 else self.failure(response)

    def put(self, path, field, value):
        record = self.answer(self.app.get(path, headers=self.api_headers))
        headers = {**self.api_headers, "If-Match": record.headers["ETag"]}
        response = self.answer(
            self.app.put_json(path, {**record.json, field: value}, headers=headers, expect_errors=True)
        )
        return {200: "saved", 412: "conflict"}.get(response.status_int) or self.failure(response)

    def save_form(self, path, form_id, field, value):
        form = self.answer(self.app.get(path)).forms[form_id]
        form[field] = value
        response = self.answer(form.submit(expect_errors=True))
        if response.status_int == 302:
            return "saved"
        return "conflict" if STALE in response.text else self.failure(response)

    def enroll(self, student, course):
        response = self.answer(
            self.app.post_json(
                "/api/enrollments/",
                {"student": student.pk, "course": course.pk},
                headers=self.api_headers,
                expect_errors=True,
            )
        )
        return response.json.get("id", "refused") if response.status_int in (201, 400) else self.failure(response)

    def unenroll(self, enrollment_id):
        response = self.answer(self.app.delete(f"/api/enrollments/{enrollment_id}/", headers=self.api_headers))
        return "saved" if response.status_int == 204 else self.failure(response)


class TestTheOfficeWritingAllAtOnce(RaceTestCase):
    """A seeded random mix of every door's writes on a few records, all at once.

    Most racers own one field of a student or of the course and change it again
    and again, each time through a door picked at random: PATCH, PUT with
    If-Match, the edit form, the admin. The others enroll and unenroll students
    of their own in the small course, or change its capacity. At the end every
    owned field holds the last value its owner saw acknowledged, the course
    holds no more students than its capacity, and nothing answered 5xx.
    (`RACE_SEED=<n>` replays a run; a failure names its seed.)
    """

    OPERATIONS = 6 if DEEP else 3

    def setUp(self):
        super().setUp()
        self.administrator = make_user(SUPERUSER)
        self.course = baker.make_recipe("students.course", code="ART140", capacity=3, description="")
        self.students = baker.make_recipe("students.student", _quantity=3, notes="")
        self.seed = int(os.environ.get("RACE_SEED") or random.randrange(2**32))
        self.plans = self.plan(random.Random(self.seed))

    def plan(self, rng):
        slots = [(student, field) for student in self.students for field in STUDENT_FIELDS]
        slots += [(self.course, "title"), (self.course, "description")]
        plans = []
        for n in range(RACERS):
            if n < len(slots) and n < RACERS - 2:
                record, field = slots[n]
                # Odd racers are superusers, who also have the admin's door.
                doors = [rng.choice(("patch", "put", "form", "admin")[: 3 + n % 2]) for _ in range(self.OPERATIONS)]
                plans.append(("field", record, field, doors))
            elif n == RACERS - 1:
                plans.append(("capacity", [rng.randint(1, 4) for _ in range(self.OPERATIONS)]))
            else:
                pool = baker.make_recipe("students.student", _quantity=self.OPERATIONS)
                plans.append(("seats", pool, [rng.random() < 0.3 for _ in range(self.OPERATIONS)]))
        return plans

    def work(self, n, worker):
        plan = self.plans[n]
        outcomes = []
        if plan[0] == "field":
            _, record, field, doors = plan
            kind = record._meta.model_name
            for k, door in enumerate(doors):
                value = f"Racer{n}-{k}"
                if door in ("patch", "put"):
                    outcome = getattr(worker, door)(f"/api/{kind}s/{record.pk}/", field, value)
                elif door == "form":
                    outcome = worker.save_form(f"/{kind}s/{record.pk}/edit/", f"{kind}-form", field, value)
                else:
                    outcome = worker.save_form(
                        f"/admin/students/{kind}/{record.pk}/change/", f"{kind}_form", field, value
                    )
                outcomes.append((door, value, outcome))
        elif plan[0] == "capacity":
            for capacity in plan[1]:
                outcome = worker.patch(f"/api/courses/{self.course.pk}/", "capacity", capacity)
                if outcome.startswith("400 ") and "Capacity cannot be lower than the" in outcome:
                    outcome = "refused"  # below the students enrolled at that moment
                outcomes.append(("patch", capacity, outcome))
        else:
            _, pool, unenroll_after = plan
            for student, leave in zip(pool, unenroll_after, strict=True):
                enrollment = worker.enroll(student, self.course)
                outcomes.append(("enroll", student.pk, enrollment))
                if leave and isinstance(enrollment, int):
                    outcomes.append(("unenroll", student.pk, worker.unenroll(enrollment)))
        return outcomes

    def test_every_acknowledged_write_is_kept_or_was_answered_as_a_conflict(self):
        users = [self.administrator if n % 2 else self.registrar for n in range(RACERS)]
        outcomes = self.race(self.work, get_ready=lambda n: OfficeWorker(self, users[n]))

        seed = f"RACE_SEED={self.seed}"
        failures = [
            (n, step)
            for n, steps in enumerate(outcomes)
            for step in steps
            if step[2] not in ("saved", "conflict", "refused") and not isinstance(step[2], int)
        ]
        self.assertEqual(failures, [], seed)
        for plan, steps in zip(self.plans, outcomes, strict=True):
            if plan[0] == "field":
                _, record, field, _ = plan
                saved = [value for _, value, outcome in steps if outcome == "saved"]
                expected = saved[-1] if saved else getattr(record, field)
                current = getattr(type(record).objects.get(pk=record.pk), field)
                self.assertEqual(current, expected, f"{seed}: {record._meta.model_name} {field}; {steps}")
            elif plan[0] == "seats":
                kept = {pk for _, pk, outcome in steps if isinstance(outcome, int)}
                kept -= {pk for door, pk, outcome in steps if door == "unenroll" and outcome == "saved"}
                enrolled = set(
                    Enrollment.objects.filter(course=self.course, student__in=plan[1]).values_list(
                        "student", flat=True
                    )
                )
                self.assertEqual(enrolled, kept, seed)
        course = Course.objects.get(pk=self.course.pk)
        self.assertLessEqual(course.enrollments.count(), course.capacity, seed)


class TestAReaderBesideAWriter(RaceTestCase):
    """Reads never wait for the write lock: a page and an API list answer while another
    request's write transaction is still open (on SQLite it holds the database's one write lock)."""

    def test_is_answered_before_the_writer_commits(self):
        student = baker.make_recipe("students.student", notes="")
        writing, read_done = threading.Event(), threading.Event()
        committed_before_the_read = []

        def writer():
            try:
                with transaction.atomic():
                    Student.objects.filter(pk=student.pk).update(notes="Being written.")
                    writing.set()
                    read_done.wait(TIMEOUT_SECONDS)
                    committed_before_the_read.append(not read_done.is_set())
            finally:
                connection.close()

        browser, api = self.logged_in_client(), self.api_client()  # (logging in writes a session)
        thread = threading.Thread(target=writer)
        thread.start()
        self.assertTrue(writing.wait(TIMEOUT_SECONDS))
        try:
            page = browser.get(f"/students/{student.pk}/")
            listed = api.get("/api/students/")
        finally:
            read_done.set()
            thread.join(TIMEOUT_SECONDS)

        self.assertEqual((page.status_code, listed.status_code), (200, 200))
        self.assertEqual(listed.json()["count"], 1)
        self.assertNotContains(page, "Being written.")  # what was committed when it read
        self.assertEqual(committed_before_the_read, [False])
        self.assertEqual(Student.objects.get(pk=student.pk).notes, "Being written.")
