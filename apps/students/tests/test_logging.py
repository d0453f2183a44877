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

    def test_for_students_and_courses_with_who_made_them(self):
        cases = [
            # the record's pages, what is typed to add it, an edit, its name after the edit
            (Student, "/students/", student_form_data(), {"last_name": "Brewster"}, "Grace Brewster ("),
            (Course, "/courses/", course_form_data(code="cs101"), {"title": "Computing II"}, "CS101 — Computing II"),
        ]
        for model, pages, typed, edit, edited_name in cases:
            kind = model._meta.model_name
            with self.subTest(kind):
                with self.assertLogs("apps.students", "INFO") as logs:
                    self.post(f"{pages}new/", typed)
                record = model.objects.get()
                self.assertLogged(logs, f"{kind} created pk={record.pk}", f"record='{record}'")

                with self.assertLogs("apps.students", "INFO") as logs:
                    self.post(f"{pages}{record.pk}/edit/", {**typed, **edit})
                self.assertLogged(logs, f"{kind} updated pk={record.pk}", edited_name)

                with self.assertLogs("apps.students", "INFO") as logs:
                    self.post(f"{pages}{record.pk}/delete/")
                self.assertLogged(logs, f"{kind} deleted pk={record.pk}", edited_name)
                self.assertFalse(model.objects.exists())

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
        self.assertEqual(logs.output, [f"INFO:apps.students:students exported by user_id={self.user.pk}"])

        with self.assertLogs("apps.students", "INFO") as logs:
            self.get(f"/courses/{course.pk}/roster.csv")
        self.assertEqual(
            logs.output,
            [f"INFO:apps.students:course roster exported course_id={course.pk} by user_id={self.user.pk}"],
        )

    def test_not_for_refused_changes(self):
        course = baker.make_recipe("students.enrollment").course
        with self.assertNoLogs("apps.students", "INFO"):
            self.post(f"/courses/{course.pk}/delete/")
            self.post("/students/new/", student_form_data(email="not an email"))
        self.assertTrue(Course.objects.filter(pk=course.pk).exists())
        self.assertEqual(Student.objects.count(), 1)
