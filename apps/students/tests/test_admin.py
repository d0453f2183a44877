from apps.students.models import Student
from project.testing import REGISTRAR, SUPERUSER, WebTestCase, given


class TestAnAdministratorInTheAdmin(WebTestCase):
    role = SUPERUSER
    enrollment = given("students.enrollment", student__last_name="Lovelace", course__code="MATH101")
    other = given("students.student", last_name="Hopper", status="graduated")

    def test_searches_and_filters_each_changelist(self):
        student = self.enrollment.student
        cases = [
            ("/admin/students/student/", {"q": "lovelace"}, [student.student_number]),
            ("/admin/students/student/", {"status__exact": "graduated"}, [self.other.student_number]),
            ("/admin/students/student/", {"q": student.student_number}, [student.student_number]),
            ("/admin/students/course/", {"q": "math"}, ["MATH101"]),
            ("/admin/students/enrollment/", {"q": "MATH101"}, ["Lovelace"]),
            ("/admin/students/enrollment/", {"course__id__exact": self.enrollment.course_id}, ["Lovelace"]),
        ]
        for path, params, shown in cases:
            with self.subTest(path=path, params=params):
                page = self.get(path, params=params)
                self.assertEqual(page.status_code, 200)
                rows = [row.get_text() for row in page.html.select("#result_list tbody tr")]
                self.assertEqual(len(rows), len(shown))
                for row, text in zip(rows, shown, strict=True):
                    self.assertIn(text, row)

    def test_sees_a_students_enrollments_inline_and_a_read_only_number(self):
        student = self.enrollment.student
        page = self.get(f"/admin/students/student/{student.pk}/change/")
        self.assertContains(page, student.student_number)
        self.assertNotIn("student_number", page.forms["student_form"].fields)
        self.assertEqual(page.forms["student_form"]["enrollments-0-course"].value, str(self.enrollment.course_id))
        self.assertEqual(Student.objects.count(), 2)

    def test_is_told_when_someone_else_saved_the_student_after_they_opened_it(self):
        student = self.enrollment.student
        form = self.get(f"/admin/students/student/{student.pk}/change/").forms["student_form"]
        Student.objects.filter(pk=student.pk).update(last_name="King", version=2)  # somebody else's save
        form["last_name"] = "Byron"
        page = form.submit()
        self.assertEqual(page.status_code, 200)
        self.assertIn("Record Modified", page.html.select_one(".errorlist.nonfield").get_text())
        self.assertEqual(Student.objects.values_list("last_name", "version").get(pk=student.pk), ("King", 2))


class TestARegistrarAtTheAdmin(WebTestCase):
    role = REGISTRAR

    def test_is_sent_to_the_admin_login(self):
        response = self.get("/admin/")
        self.assertRedirectsTo(response, "admin:login")
        self.assertFalse(self.user.is_staff)
