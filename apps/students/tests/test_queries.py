"""Each page costs the same number of queries whether it shows 1 row or 30.

Every budget counts the whole request: session, user, the permission lookup
(one query) come first, then the page's own (reads run outside any transaction).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from apps.students.models import Student
from project.testing import REGISTRAR, csv_rows
from project.testing_web import WebTestCase


class TestTheQueryBudgetOf(WebTestCase):
    # A registrar's pages show every control, so every permission check is counted.
    role = REGISTRAR

    def test_the_student_list(self):
        baker.make_recipe("students.course", _quantity=2)  # in the course menu
        # ... + count, course menu, one page of students
        self.assertQueryBudget("/students/", 6, lambda n: baker.make_recipe("students.student", _quantity=n))

    def test_a_students_page_with_their_enrollments(self):
        student = baker.make_recipe("students.student")

        def enroll_in_more_courses(n):
            for course in baker.make_recipe("students.course", _quantity=n):
                baker.make_recipe("students.enrollment", student=student, course=course)

        # ... + student, enrollments with their courses, the enroll menu
        self.assertQueryBudget(f"/students/{student.pk}/", 6, enroll_in_more_courses)

    def test_a_course_page_with_its_roster(self):
        course = baker.make_recipe("students.course", capacity=100)

        def enroll_more_students(n):
            for student in baker.make_recipe("students.student", _quantity=n):
                baker.make_recipe("students.enrollment", student=student, course=course)

        # ... + course with its count, the roster's size, one page of it with the students
        self.assertQueryBudget(f"/courses/{course.pk}/", 6, enroll_more_students)

    def test_the_student_export(self):
        def add_enrolled_students(n):
            for student in baker.make_recipe("students.student", _quantity=n):
                baker.make_recipe("students.enrollment", student=student)

        # ... + the students, their enrollments with their courses
        _, export = self.assertQueryBudget("/students/export.csv", 5, add_enrolled_students)
        self.assertEqual(len(csv_rows(export)), 1 + 30)

    def test_the_student_export_reads_500_students_at_a_time(self):
        """A big export holds at most 500 students in memory: each 500 cost one more query for their courses."""
        counts = []
        for students in (500, 1):
            Student.objects.bulk_create(baker.prepare_recipe("students.student", _quantity=students))
            self.get("/students/export.csv")  # warm-up: one-off caches stay out
            with CaptureQueriesContext(connection) as queries:
                export = self.get("/students/export.csv")
            counts.append(len(queries))
        self.assertEqual(len(csv_rows(export)), 1 + 501)
        self.assertEqual(counts[1], counts[0] + 1)

    def test_the_unenroll_confirmation(self):
        enrollment = baker.make_recipe("students.enrollment", course__code="ART140")
        path = f"/students/{enrollment.student_id}/enrollments/{enrollment.pk}/delete/"
        self.get(path)  # warm-up: one-off caches stay out
        # ... + the enrollment with its student and course
        with self.assertNumQueries(4):
            page = self.get(path)
        self.assertContains(page, f"Remove {enrollment.student.full_name} from ART140?")
