from django.utils import timezone
from django.utils.formats import date_format
from model_bakery import baker

from apps.students import services
from apps.students.models import Course, Enrollment, Student
from apps.students.tests.form_data import student_form_data
from project.testing import REGISTRAR, SUPERUSER, fill, given
from project.testing_web import WebTestCase


def confirmed(page):
    """The admin's "Yes, I'm sure" on a deletion's confirmation page, pressed."""
    return next(form for form in page.forms.values() if "post" in form.fields).submit()


class TestAnAdministratorInTheAdmin(WebTestCase):
    role = SUPERUSER
    enrollment = given("students.enrollment", student__last_name="Lovelace", course__code="MATH101")
    other = given("students.student", first_name="Grace", last_name="Hopper", status="graduated")

    def test_searches_and_filters_each_changelist(self):
        student = self.enrollment.student
        cases = [
            # By last name, then first name (Ada Lovelace is first by first name).
            ("/admin/students/student/", {}, [self.other.student_number, student.student_number]),
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

    def test_sees_a_students_enrollments_and_number_read_only(self):
        student = self.enrollment.student
        page = self.get(f"/admin/students/student/{student.pk}/change/")
        self.assertContains(page, student.student_number)
        since = date_format(timezone.localdate(self.enrollment.enrolled_at))
        shown = page.html.select_one(".field-courses").get_text(" ", strip=True)
        self.assertEqual(shown, f"Enrolled in: {self.enrollment.course} (since {since})")
        # Shown, not a form: enrollments are made where the capacity rule is, and removed on their own list.
        form_fields = page.forms["student_form"].fields
        self.assertEqual([name for name in form_fields if name.startswith("enrollments-")], [])
        self.assertNotIn("student_number", form_fields)
        self.assertIn("No courses", self.get(f"/admin/students/student/{self.other.pk}/change/"))
        self.assertEqual(Enrollment.objects.count(), 1)

    def test_saves_a_student_a_colleague_unenrolled_while_the_page_was_open(self):
        student = self.enrollment.student
        form = self.get(f"/admin/students/student/{student.pk}/change/").forms["student_form"]
        services.unenroll(enrollment=self.enrollment, actor=self.user)  # somebody else
        form["last_name"] = "Byron"

        self.assertRedirectsTo(form.submit(), "admin:students_student_changelist")

        self.assertEqual(Student.objects.get(pk=student.pk).last_name, "Byron")
        self.assertFalse(Enrollment.objects.exists())

    def test_adds_a_student_through_the_service_with_a_number_and_an_audit_line(self):
        form = self.get("/admin/students/student/add/").forms["student_form"]
        fill(form, student_form_data(email="grace@school.example"))
        with self.assertLogs("apps.students") as logs:
            response = form.submit()
        grace = Student.objects.get(email="grace@school.example")
        self.assertRedirectsTo(response, "admin:students_student_changelist")
        self.assertEqual(grace.student_number, Student.number_for(grace.pk))
        self.assertEqual(len(logs.output), 1)
        self.assertIn(f"student created pk={grace.pk}", logs.output[0])

    def test_saves_only_what_they_changed_and_keeps_what_someone_else_saved_meanwhile(self):
        student = self.enrollment.student
        form = self.get(f"/admin/students/student/{student.pk}/change/").forms["student_form"]
        services.student_update(student=student, actor=self.user, notes="Moved to London.")  # somebody else
        form["last_name"] = "Byron"
        with self.assertLogs("apps.students") as logs:
            response = form.submit()
        self.assertRedirectsTo(response, "admin:students_student_changelist")
        self.assertEqual(
            Student.objects.values_list("last_name", "notes", "version").get(pk=student.pk),
            ("Byron", "Moved to London.", 3),
        )
        self.assertIn(f"student updated pk={student.pk}", logs.output[0])
        shown = [message.get_text() for message in response.follow().html.select(".messagelist li")]
        self.assertEqual(
            shown,
            [
                f"The student “Ada Byron ({student.student_number})” was changed successfully.",
                "What someone else saved meanwhile was kept: Notes.",
            ],
        )
        history = self.get(f"/admin/students/student/{student.pk}/history/").html.select_one("#change-history tbody")
        self.assertIn("Changed Last name.", history.get_text())  # the form's hidden field is no change of theirs

    def test_reads_a_post_without_the_forms_hidden_field_against_the_form_it_showed(self):
        student = self.enrollment.student
        form = self.get(f"/admin/students/student/{student.pk}/change/").forms["student_form"]
        services.student_update(student=student, actor=self.user, notes="Moved to London.")  # somebody else
        form["opened"] = ""  # a client that sends only the record's fields
        form["last_name"] = "Byron"

        self.assertRedirectsTo(form.submit(), "admin:students_student_changelist")

        self.assertEqual(
            Student.objects.values_list("last_name", "notes", "version").get(pk=student.pk),
            ("Byron", "Moved to London.", 3),
        )

    def test_is_shown_a_field_someone_else_changed_meanwhile_and_saves_it_only_when_saving_again(self):
        student = self.enrollment.student
        form = self.get(f"/admin/students/student/{student.pk}/change/").forms["student_form"]
        services.student_update(student=student, actor=self.user, last_name="King")  # somebody else
        form["last_name"] = "Byron"

        page = form.submit()

        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.html.select_one("#content h1").get_text(), "Change student")  # the same record's form
        self.assertIn(
            "Someone else changed this record after you opened it.",
            page.html.select_one(".errorlist.nonfield").get_text(),
        )
        self.assertIn(
            "Someone else saved “King” here meanwhile.", page.html.select_one("#id_last_name_error").get_text()
        )
        self.assertEqual(page.forms["student_form"]["last_name"].value, "Byron")
        self.assertEqual(Student.objects.values_list("last_name", "version").get(pk=student.pk), ("King", 2))

        self.assertEqual(page.forms["student_form"].submit().status_code, 302)
        self.assertEqual(Student.objects.values_list("last_name", "version").get(pk=student.pk), ("Byron", 3))

    def test_cannot_lower_a_capacity_below_the_students_enrolled(self):
        course = self.enrollment.course
        form = self.get(f"/admin/students/course/{course.pk}/change/").forms["course_form"]
        baker.make_recipe("students.enrollment", course=course)  # a second student, after the page opened
        form["capacity"] = "1"
        page = form.submit()
        self.assertEqual(page.status_code, 200)
        self.assertIn(
            "Capacity cannot be lower than the 2 students already enrolled.",
            page.html.select_one("#id_capacity_error").get_text(),
        )
        self.assertEqual(Course.objects.get(pk=course.pk).capacity, course.capacity)

    def test_makes_no_enrollment_and_removes_one_through_the_service(self):
        self.assertEqual(self.get("/admin/students/enrollment/add/", expect_errors=True).status_code, 403)
        path = f"/admin/students/enrollment/{self.enrollment.pk}/delete/"
        with self.assertLogs("apps.students") as logs:
            response = confirmed(self.get(path))
        self.assertRedirectsTo(response, "admin:index")  # enrollments are only looked at here
        self.assertFalse(Enrollment.objects.exists())
        self.assertIn(f"enrollment deleted pk={self.enrollment.pk}", logs.output[0])

    def test_deletes_a_student_and_their_enrollments_through_the_service(self):
        student = self.enrollment.student
        path = f"/admin/students/student/{student.pk}/delete/"
        with self.assertLogs("apps.students") as logs:
            response = confirmed(self.get(path))
        self.assertRedirectsTo(response, "admin:students_student_changelist")
        self.assertEqual(list(Student.objects.all()), [self.other])
        self.assertFalse(Enrollment.objects.exists())
        self.assertIn(f"student deleted pk={student.pk}", logs.output[0])

    def test_deletes_the_chosen_students_and_enrollments_each_through_the_service(self):
        self.assertEqual(self.delete_selected("student", Student.objects.all()), 2)
        self.assertFalse(Student.objects.exists())
        self.assertFalse(Enrollment.objects.exists())

    def test_removes_the_chosen_enrollments_each_through_the_service(self):
        self.assertEqual(self.delete_selected("enrollment", Enrollment.objects.all()), 1)
        self.assertFalse(Enrollment.objects.exists())
        self.assertEqual(Student.objects.count(), 2)

    def delete_selected(self, model, records):
        """Tick `records` on the changelist, run "Delete selected", confirm; how many were logged."""
        form = self.get(f"/admin/students/{model}/").forms["changelist-form"]
        form["action"] = "delete_selected"
        for checkbox in form.fields["_selected_action"]:
            checkbox.checked = True
        confirm = form.submit()
        with self.assertLogs("apps.students") as logs:
            response = confirmed(confirm)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(records.model.objects.all()), 0)
        return len(logs.output)

    def test_adds_changes_and_deletes_a_course_through_the_services(self):
        form = self.get("/admin/students/course/add/").forms["course_form"]
        fill(form, {"code": "art-140", "title": "Drawing", "capacity": "4"})
        with self.assertLogs("apps.students") as logs:
            form.submit()
            course = Course.objects.get(code="ART-140")
            form = self.get(f"/admin/students/course/{course.pk}/change/").forms["course_form"]
            form["title"] = "Drawing and Painting"
            form.submit()
            path = f"/admin/students/course/{course.pk}/delete/"
            confirmed(self.get(path))
        self.assertEqual(
            [line.split(" pk=")[0] for line in logs.output],
            [f"INFO:apps.students:course {action}" for action in ("created", "updated", "deleted")],
        )
        self.assertFalse(Course.objects.filter(pk=course.pk).exists())


class TestARegistrarAtTheAdmin(WebTestCase):
    role = REGISTRAR

    def test_is_sent_to_the_admin_login(self):
        response = self.get("/admin/")
        self.assertRedirectsTo(response, "admin:login")
        self.assertFalse(self.user.is_staff)
