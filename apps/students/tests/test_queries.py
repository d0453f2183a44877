"""Each page costs the same number of queries whether it shows 1 row or 30.

Every budget counts the whole request: session, user, the two permission
lookups and the savepoint pair of ATOMIC_REQUESTS come first, then the page's own.
"""

from model_bakery import baker

from project.testing import REGISTRAR, WebTestCase


class TestTheQueryBudgetOf(WebTestCase):
    # A registrar's pages show every control, so every permission check is counted.
    role = REGISTRAR

    def test_the_student_list(self):
        # ... + count, course menu, one page of students
        self.assertQueryBudget("/students/", 9, lambda n: baker.make_recipe("students.student", _quantity=n))

    def test_a_students_page_with_their_enrollments(self):
        student = baker.make_recipe("students.student")

        def enroll_in_more_courses(n):
            for course in baker.make_recipe("students.course", _quantity=n):
                baker.make_recipe("students.enrollment", student=student, course=course)

        # ... + student, enrollments with their courses, the enroll menu
        self.assertQueryBudget(f"/students/{student.pk}/", 9, enroll_in_more_courses)

    def test_a_course_page_with_its_roster(self):
        course = baker.make_recipe("students.course", capacity=100)

        def enroll_more_students(n):
            for student in baker.make_recipe("students.student", _quantity=n):
                baker.make_recipe("students.enrollment", student=student, course=course)

        # ... + course with its count, the roster's size, one page of it with the students
        self.assertQueryBudget(f"/courses/{course.pk}/", 9, enroll_more_students)
