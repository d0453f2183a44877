import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from apps.students.models import Course, Enrollment, Student


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return (
        get_user_model().objects.count(),
        Course.objects.count(),
        Student.objects.count(),
        Enrollment.objects.count(),
    )


class TestSeedingDemoData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_creates_courses_students_and_the_three_office_accounts(self):
        self.assertEqual(Course.objects.count(), 5)
        self.assertEqual(Student.objects.count(), 50)
        self.assertIn("Added 5 courses and 50 students.", self.output)
        users = get_user_model().objects
        self.assertEqual(list(users.get(username="registrar").groups.values_list("name", flat=True)), ["Registrars"])
        self.assertEqual(users.get(username="administrator").role, "administrator")
        self.assertEqual(list(users.get(username="viewer").groups.values_list("name", flat=True)), ["Viewers"])
        self.assertFalse(Student.objects.filter(student_number__isnull=True).exists())

    def test_never_overfills_a_course(self):
        for course in Course.objects.all():
            with self.subTest(course=course.code):
                self.assertLessEqual(course.enrollments.count(), course.capacity)
        self.assertEqual(Course.objects.get(code="ART140").enrollments.count(), 4)

    def test_prints_logins_that_work(self):
        logins = dict(re.findall(r"Demo login: (\w+) / (\S+)", self.output))
        self.assertEqual(sorted(logins), ["administrator", "registrar", "viewer"])
        for username, password in logins.items():
            with self.subTest(username=username):
                self.assertTrue(self.client.login(username=username, password=password))

    def test_changes_nothing_when_run_again_and_still_prints_the_logins(self):
        before = counts()
        again = seed()

        self.assertEqual(counts(), before)
        self.assertIn("Demo records already present: nothing added.", again)
        self.assertEqual(re.findall(r"Demo login: .*", self.output), re.findall(r"Demo login: .*", again))
