from model_bakery import baker

from apps.students.models import Course, Enrollment, Student
from project.testing import REGISTRAR, WebTestCase

from .form_data import course_form_data, student_form_data


class TestRecordChangesAreLogged(WebTestCase):
    role = REGISTRAR

    def assertLogged(self, logs, *words):
        line = logs.output[-1]
        for word in (*words, f"by user_id={self.user.pk}"):
            self.assertIn(word, line)
        self.assertTrue(line.startswith("INFO:apps.students:"), line)

    def test_for_students_with_who_made_them(self):
        with self.assertLogs("apps.students", "INFO") as logs:
            self.post("/students/new/", student_form_data())
        student = Student.objects.get()
        self.assertLogged(logs, f"student created pk={student.pk}", f"'Grace Hopper ({student.student_number})'")

        with self.assertLogs("apps.students", "INFO") as logs:
            self.post(f"/students/{student.pk}/edit/", student_form_data(last_name="Brewster"))
        self.assertLogged(logs, f"student updated pk={student.pk}", "Grace Brewster")

        with self.assertLogs("apps.students", "INFO") as logs:
            self.post(f"/students/{student.pk}/delete/")
        self.assertLogged(logs, f"student deleted pk={student.pk}", "Grace Brewster")
        self.assertFalse(Student.objects.exists())

    def test_for_courses_with_who_made_them(self):
        with self.assertLogs("apps.students", "INFO") as logs:
            self.post("/courses/new/", course_form_data(code="cs101"))
        course = Course.objects.get()
        self.assertLogged(logs, f"course created pk={course.pk}", "CS101")

        with self.assertLogs("apps.students", "INFO") as logs:
            self.post(f"/courses/{course.pk}/edit/", course_form_data(title="Computing II"))
        self.assertLogged(logs, f"course updated pk={course.pk}", "Computing II")

        with self.assertLogs("apps.students", "INFO") as logs:
            self.post(f"/courses/{course.pk}/delete/")
        self.assertLogged(logs, f"course deleted pk={course.pk}", "CS101")
        self.assertFalse(Course.objects.exists())

    def test_for_enrollments_and_exports_with_who_made_them(self):
        student = baker.make_recipe("students.student", first_name="Ada", last_name="Lovelace")
        course = baker.make_recipe("students.course", code="BIO110")
        with self.assertLogs("apps.students", "INFO") as logs:
            self.post(f"/students/{student.pk}/enroll/", {"course": course.pk})
        enrollment = Enrollment.objects.get()
        self.assertLogged(logs, f"enrollment created pk={enrollment.pk}", "Ada Lovelace in BIO110")

        with self.assertLogs("apps.students", "INFO") as logs:
            self.post(f"/students/{student.pk}/enrollments/{enrollment.pk}/delete/")
        self.assertLogged(logs, f"enrollment deleted pk={enrollment.pk}", "Ada Lovelace in BIO110")
        self.assertFalse(Enrollment.objects.exists())

        with self.assertLogs("apps.students", "INFO") as logs:
            self.get("/students/export.csv")
        self.assertLogged(logs, "students exported")

    def test_not_for_refused_changes(self):
        course = baker.make_recipe("students.enrollment").course
        with self.assertNoLogs("apps.students", "INFO"):
            self.post(f"/courses/{course.pk}/delete/")
            self.post("/students/new/", student_form_data(email="not an email"))
        self.assertTrue(Course.objects.filter(pk=course.pk).exists())
        self.assertEqual(Student.objects.count(), 1)
