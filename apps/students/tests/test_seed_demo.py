"""The demo school `make run` seeds: what somebody trying the app relies on.

Which student the random draws put where is nobody's business; that there are
full courses, every status and three logins that work is.
"""

import re
from collections import Counter
from datetime import date
from io import StringIO

from django.core.management import call_command

from apps.accounts.models import User
from apps.students.models import Course, Enrollment, Student
from project.testing_web import WebTestCase

DEMO_LOGINS = [
    "Demo login: administrator / administrator-demo-2026  (administrator)",
    "Demo login: registrar / registrar-demo-2026  (registrar)",
    "Demo login: viewer / viewer-demo-2026  (viewer)",
]


def seed():
    """What `manage.py seed_demo` prints, one line each."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue().splitlines()


def enrolled_emails(course):
    return sorted(course.enrollments.values_list("student__email", flat=True))


def the_school():
    """Every course and student with what the pages show of them (not the keys the database chose)."""
    courses = [
        (course.code, course.title, course.capacity, enrolled_emails(course))
        for course in Course.objects.order_by("code")
    ]
    students = [
        (
            student.first_name,
            student.last_name,
            student.email,
            student.date_of_birth,
            student.status,
            student.enrolled_on,
            sorted(student.enrollments.values_list("course__code", flat=True)),
        )
        for student in Student.objects.order_by("email")
    ]
    return courses, students


def the_accounts():
    return list(User.objects.order_by("username").values_list("username", "email", "password", "groups__name"))


class TestTheDemoSchool(WebTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.output = seed()

    def test_says_what_it_added_after_the_three_logins(self):
        self.assertEqual(self.output, [*DEMO_LOGINS, "Added 5 courses and 50 students."])

    def test_has_five_courses_fifty_students_and_the_three_office_accounts(self):
        self.assertEqual(
            list(Course.objects.order_by("code").values_list("code", "title", "capacity")),
            [
                ("ART140", "Drawing and Painting", 4),
                ("BIO110", "Introduction to Biology", 25),
                ("CHEM130", "Chemistry Lab", 12),
                ("HIST120", "World History", 20),
                ("MATH101", "Algebra I", 30),
            ],
        )
        self.assertEqual(Student.objects.count(), 50)
        self.assertEqual(
            [(user.username, user.role) for user in User.objects.order_by("username")],
            [("administrator", "administrator"), ("registrar", "registrar"), ("viewer", "viewer")],
        )

    def test_has_full_courses_and_courses_with_seats_left_and_none_overfilled(self):
        seats = {course.code: (course.enrollments.count(), course.capacity) for course in Course.objects.all()}
        full = [code for code, (enrolled, capacity) in seats.items() if enrolled == capacity]
        open_ = [code for code, (enrolled, capacity) in seats.items() if enrolled < capacity]

        self.assertTrue(full, seats)
        self.assertTrue(open_, seats)
        self.assertEqual(len(full) + len(open_), 5, f"overfilled: {seats}")

    def test_has_students_of_every_status_most_of_them_active(self):
        statuses = Counter(Student.objects.values_list("status", flat=True))
        self.assertEqual(set(statuses), {"active", "graduated", "withdrawn"})
        self.assertGreater(statuses["active"], statuses["graduated"] + statuses["withdrawn"])

    def test_has_students_in_no_course_in_one_and_in_two(self):
        per_student = Counter(Enrollment.objects.values_list("student", flat=True))
        self.assertEqual({per_student[pk] for pk in Student.objects.values_list("pk", flat=True)}, {0, 1, 2})

    def test_has_students_born_in_each_year_from_2005_to_2009_enrolled_over_two_school_years(self):
        born = Student.objects.values_list("date_of_birth", flat=True)
        self.assertEqual({day.year for day in born}, {2005, 2006, 2007, 2008, 2009})
        enrolled = Student.objects.values_list("enrolled_on", flat=True)
        self.assertGreaterEqual(min(enrolled), date(2023, 9, 1))
        self.assertLess(min(enrolled), date(2024, 8, 1), "nobody enrolled in the 2023-24 school year")
        self.assertGreaterEqual(max(enrolled), date(2024, 9, 1), "nobody enrolled in the 2024-25 school year")
        self.assertLessEqual(max(enrolled), date(2025, 7, 31))

    def test_holds_only_students_the_forms_would_accept_with_numbers_and_plain_emails(self):
        for student in Student.objects.all():
            with self.subTest(student=student.full_name):
                student.full_clean()
                self.assertEqual(student.student_number, Student.number_for(student.pk))
                # Named after the student, without accents, in lower case: an address anyone can type.
                self.assertRegex(student.email, r"^[a-z]+\.[a-z]+\.\d+@students\.example$")
        self.assertTrue(Student.objects.filter(first_name="Chloé", email__startswith="chloe.").exists())

    def test_prints_logins_that_work_on_the_login_form(self):
        logins = re.findall(r"^Demo login: (\w+) / (\S+)  \((\w+)\)$", "\n".join(self.output), re.MULTILINE)
        self.assertEqual([username for username, _, _ in logins], ["administrator", "registrar", "viewer"])
        for username, password, role in logins:
            with self.subTest(username=username):
                self.app.reset()

                response = self.log_in(username, password)

                self.assertRedirectsTo(response, "students:list")
                self.assertEqual(response.follow().status_code, 200)
                profile = self.get("/accounts/profile/")
                self.assertEqual(profile.html.select_one("#profile-role").text, role.capitalize())

    def test_changes_nothing_when_run_again_and_still_prints_the_logins(self):
        school, accounts = the_school(), the_accounts()

        again = seed()

        self.assertEqual(again, [*DEMO_LOGINS, "Demo records already present: nothing added."])
        self.assertEqual(the_school(), school)
        self.assertEqual(the_accounts(), accounts)

    def test_is_the_same_school_every_time_it_is_seeded_afresh(self):
        school = the_school()
        Student.objects.all().delete()  # their enrollments too
        Course.objects.all().delete()

        self.assertEqual(seed()[-1], "Added 5 courses and 50 students.")
        self.assertEqual(the_school(), school)
