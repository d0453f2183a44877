import re
from collections import Counter
from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from apps.students.models import Course, Enrollment, Student


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


# What `make run` shows on every machine: the courses, then the students in the order made.
DEMO_SCHOOL = """
MATH101 Algebra I: 17 of 30 seats
BIO110 Introduction to Biology: 14 of 25 seats
HIST120 World History: 13 of 20 seats
CHEM130 Chemistry Lab: 12 of 12 seats
ART140 Drawing and Painting: 4 of 4 seats
Amara Okafor <amara.okafor.0@students.example> born 2005-09-01, active since 2025-01-27: ART140 MATH101
Ben Okafor <ben.okafor.1@students.example> born 2009-12-16, active since 2025-05-08: ART140 CHEM130
Chloé Okafor <chloe.okafor.2@students.example> born 2009-05-24, withdrawn since 2025-03-14: ART140 CHEM130
Dmitri Okafor <dmitri.okafor.3@students.example> born 2006-05-07, active since 2025-05-21: ART140 MATH101
Elif Okafor <elif.okafor.4@students.example> born 2006-08-12, active since 2024-12-04: CHEM130 MATH101
Farah Okafor <farah.okafor.5@students.example> born 2008-10-23, active since 2024-04-03: CHEM130 HIST120
Gustav Okafor <gustav.okafor.6@students.example> born 2006-12-14, active since 2024-09-20: MATH101
Hana Okafor <hana.okafor.7@students.example> born 2009-01-20, active since 2023-12-01: HIST120
Ines Okafor <ines.okafor.8@students.example> born 2006-08-13, active since 2024-01-23: HIST120
Jonas Okafor <jonas.okafor.9@students.example> born 2005-02-20, active since 2024-09-07: CHEM130
Amara Schmidt <amara.schmidt.10@students.example> born 2005-07-05, active since 2025-04-22: CHEM130
Ben Schmidt <ben.schmidt.11@students.example> born 2009-11-12, active since 2024-11-09: CHEM130
Chloé Schmidt <chloe.schmidt.12@students.example> born 2007-03-27, graduated since 2024-05-22: CHEM130
Dmitri Schmidt <dmitri.schmidt.13@students.example> born 2007-11-17, graduated since 2023-09-26: BIO110
Elif Schmidt <elif.schmidt.14@students.example> born 2009-04-18, active since 2023-10-21: MATH101
Farah Schmidt <farah.schmidt.15@students.example> born 2009-01-09, withdrawn since 2024-11-13: BIO110 CHEM130
Gustav Schmidt <gustav.schmidt.16@students.example> born 2007-09-15, active since 2024-01-03: CHEM130
Hana Schmidt <hana.schmidt.17@students.example> born 2009-01-03, graduated since 2024-05-15: CHEM130
Ines Schmidt <ines.schmidt.18@students.example> born 2008-10-03, active since 2025-03-15: CHEM130
Jonas Schmidt <jonas.schmidt.19@students.example> born 2009-07-07, active since 2024-11-17: BIO110 HIST120
Amara García <amara.garcia.20@students.example> born 2009-08-31, active since 2023-09-10: BIO110 MATH101
Ben García <ben.garcia.21@students.example> born 2008-09-04, withdrawn since 2024-12-13: no course
Chloé García <chloe.garcia.22@students.example> born 2007-01-08, active since 2024-05-24: no course
Dmitri García <dmitri.garcia.23@students.example> born 2007-11-14, active since 2024-11-18: MATH101
Elif García <elif.garcia.24@students.example> born 2009-08-30, active since 2024-07-21: MATH101
Farah García <farah.garcia.25@students.example> born 2007-06-17, graduated since 2024-05-23: BIO110
Gustav García <gustav.garcia.26@students.example> born 2007-05-22, active since 2023-11-05: HIST120
Hana García <hana.garcia.27@students.example> born 2007-01-29, active since 2024-03-18: BIO110
Ines García <ines.garcia.28@students.example> born 2007-07-10, active since 2023-12-04: MATH101
Jonas García <jonas.garcia.29@students.example> born 2008-04-04, graduated since 2023-11-25: BIO110
Amara Nakamura <amara.nakamura.30@students.example> born 2006-05-23, active since 2025-05-28: HIST120 MATH101
Ben Nakamura <ben.nakamura.31@students.example> born 2008-10-01, active since 2024-02-06: HIST120 MATH101
Chloé Nakamura <chloe.nakamura.32@students.example> born 2008-09-23, withdrawn since 2025-04-11: BIO110
Dmitri Nakamura <dmitri.nakamura.33@students.example> born 2008-01-23, active since 2024-12-28: BIO110
Elif Nakamura <elif.nakamura.34@students.example> born 2008-05-09, graduated since 2024-06-24: MATH101
Farah Nakamura <farah.nakamura.35@students.example> born 2008-10-01, active since 2024-01-17: HIST120
Gustav Nakamura <gustav.nakamura.36@students.example> born 2007-11-06, active since 2024-10-04: BIO110
Hana Nakamura <hana.nakamura.37@students.example> born 2007-02-10, active since 2023-12-18: MATH101
Ines Nakamura <ines.nakamura.38@students.example> born 2005-04-16, active since 2025-06-23: HIST120 MATH101
Jonas Nakamura <jonas.nakamura.39@students.example> born 2005-02-22, graduated since 2024-12-31: HIST120
Amara Novak <amara.novak.40@students.example> born 2007-07-11, active since 2024-01-03: no course
Ben Novak <ben.novak.41@students.example> born 2008-03-16, withdrawn since 2024-02-22: BIO110
Chloé Novak <chloe.novak.42@students.example> born 2007-06-08, withdrawn since 2024-08-10: BIO110
Dmitri Novak <dmitri.novak.43@students.example> born 2008-10-21, active since 2025-03-14: MATH101
Elif Novak <elif.novak.44@students.example> born 2006-02-05, active since 2023-10-17: MATH101
Farah Novak <farah.novak.45@students.example> born 2007-07-15, active since 2025-01-08: BIO110 MATH101
Gustav Novak <gustav.novak.46@students.example> born 2008-08-15, graduated since 2024-04-11: BIO110
Hana Novak <hana.novak.47@students.example> born 2005-11-25, active since 2024-10-04: HIST120
Ines Novak <ines.novak.48@students.example> born 2007-12-28, active since 2023-11-20: HIST120
Jonas Novak <jonas.novak.49@students.example> born 2006-01-19, active since 2024-02-26: HIST120
"""


def demo_school():
    """The seeded courses and students, one line each, as in DEMO_SCHOOL."""
    courses = [
        f"{course.code} {course.title}: {course.enrollments.count()} of {course.capacity} seats"
        for course in Course.objects.order_by("pk")
    ]
    students = []
    for student in Student.objects.order_by("pk"):
        codes = " ".join(student.enrollments.values_list("course__code", flat=True)) or "no course"
        students.append(
            f"{student.full_name} <{student.email}> born {student.date_of_birth}, {student.status}"
            f" since {student.enrolled_on}: {codes}"
        )
    return courses + students


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

    def test_is_the_same_school_on_every_machine(self):
        self.assertEqual(demo_school(), DEMO_SCHOOL.strip().splitlines())

    def test_has_the_ages_dates_and_statuses_its_comment_promises(self):
        students = Student.objects.all()
        born = [student.date_of_birth for student in students]
        self.assertGreaterEqual(min(born), date(2005, 1, 1))
        self.assertLessEqual(max(born), date(2009, 12, 31))
        enrolled = [student.enrolled_on for student in students]
        self.assertGreaterEqual(min(enrolled), date(2023, 9, 1))
        self.assertLessEqual(max(enrolled), date(2025, 7, 31))
        statuses = Counter(student.status for student in students)
        self.assertEqual(set(statuses), {"active", "graduated", "withdrawn"})
        self.assertGreater(statuses["active"], statuses["graduated"] + statuses["withdrawn"])
        self.assertEqual({student.enrollments.count() for student in students}, {0, 1, 2})

    def test_holds_only_students_the_forms_would_accept(self):
        for student in Student.objects.all():
            with self.subTest(student=student.email):
                student.full_clean()

    def test_never_overfills_a_course(self):
        for course in Course.objects.all():
            with self.subTest(course=course.code):
                self.assertLessEqual(course.enrollments.count(), course.capacity)
        self.assertEqual(Course.objects.get(code="ART140").enrollments.count(), 4)

    def test_prints_logins_that_work(self):
        self.assertEqual(
            re.findall(r"Demo login: .*", self.output),
            [
                "Demo login: administrator / administrator-demo-2026  (administrator)",
                "Demo login: registrar / registrar-demo-2026  (registrar)",
                "Demo login: viewer / viewer-demo-2026  (viewer)",
            ],
        )
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
