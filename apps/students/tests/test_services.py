"""The write services on their own: what each writes, refuses and logs.

The pages and the API that call them are proven in the behaviour modules;
races between simultaneous callers in test_concurrency.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from model_bakery import baker

from apps.students import services
from apps.students.models import Course, Enrollment, Student
from project.testing import RecordsTestCase, given

STUDENT = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@school.example",
    "date_of_birth": date(2008, 12, 9),
    "status": Student.Status.ACTIVE,
    "enrolled_on": date(2024, 9, 2),
    "notes": "",
}


def enroll_students(course, how_many):
    students = baker.make_recipe("students.student", _quantity=how_many)
    baker.make_recipe("students.enrollment", course=course, student=iter(students), _quantity=how_many)


class ServiceTestCase(RecordsTestCase):
    registrar = given("accounts.registrar")

    def assertAudited(self, logs, line):
        self.assertEqual(logs.output, [f"INFO:apps.students:{line} by user_id={self.registrar.pk}"])


class TestStudentServices(ServiceTestCase):
    ada = given("students.student", first_name="Ada", email="ada@school.example")

    def test_student_create_saves_numbers_and_logs_the_student(self):
        with self.assertLogs("apps.students") as logs:
            grace = services.student_create(actor=self.registrar, **STUDENT)
        grace.refresh_from_db()
        self.assertEqual(
            (grace.full_name, grace.student_number, grace.version), ("Grace Hopper", f"S{grace.pk:06d}", 1)
        )
        self.assertAudited(logs, f"student created pk={grace.pk} record='Grace Hopper ({grace.student_number})'")

    def test_student_create_refuses_an_email_taken_in_another_case_and_writes_nothing(self):
        with self.assertRaises(ValidationError) as refusal, self.assertNoLogs("apps.students"):
            services.student_create(actor=self.registrar, **{**STUDENT, "email": "ADA@school.example"})
        self.assertEqual(refusal.exception.message_dict, {"email": ["A student with this email already exists."]})
        self.assertEqual(list(Student.objects.all()), [self.ada])

    def test_student_update_saves_and_raises_the_version(self):
        with self.assertLogs("apps.students") as logs:
            services.student_update(student=self.ada, actor=self.registrar, version=1, last_name="Byron")
        self.ada.refresh_from_db()
        self.assertEqual((self.ada.last_name, self.ada.version), ("Byron", 2))
        self.assertAudited(logs, f"student updated pk={self.ada.pk} record='Ada Byron ({self.ada.student_number})'")

    def test_student_update_from_an_older_version_is_stale_and_changes_nothing(self):
        Student.objects.filter(pk=self.ada.pk).update(last_name="King", version=2)  # saved by somebody else
        with self.assertRaises(services.StaleRecord) as stale, self.assertNoLogs("apps.students"):
            services.student_update(student=self.ada, actor=self.registrar, version=1, last_name="Byron")
        self.assertEqual((stale.exception.current.last_name, stale.exception.current.version), ("King", 2))
        self.assertEqual(str(stale.exception), "Someone else changed this record after you opened it.")
        self.assertEqual(Student.objects.get(pk=self.ada.pk).last_name, "King")

    def test_student_update_writes_only_its_changes_onto_the_student_as_saved_now(self):
        Student.objects.filter(pk=self.ada.pk).update(first_name="Augusta", version=2)  # saved by somebody else
        saved = services.student_update(student=self.ada, actor=self.registrar, last_name="Byron")
        self.assertEqual((saved.full_name, saved.version), ("Augusta Byron", 3))
        self.assertEqual(
            Student.objects.values_list("first_name", "last_name", "version").get(pk=self.ada.pk),
            ("Augusta", "Byron", 3),
        )

    def test_student_update_refuses_changes_to_fields_somebody_else_changed_since_they_were_opened(self):
        Student.objects.filter(pk=self.ada.pk).update(first_name="Augusta", notes="Countess.", version=2)
        opened = {"first_name": "Ada", "notes": "", "last_name": "Lovelace"}
        with self.assertRaises(services.EditConflict) as conflict, self.assertNoLogs("apps.students"):
            services.student_update(
                student=self.ada,
                actor=self.registrar,
                opened=opened,
                first_name="Ada",
                notes="Poet.",
                last_name="Byron",
            )
        self.assertEqual(conflict.exception.fields, ["first_name", "notes"])
        self.assertEqual(conflict.exception.current.first_name, "Augusta")
        self.assertEqual(
            Student.objects.values_list("first_name", "last_name", "notes", "version").get(pk=self.ada.pk),
            ("Augusta", "Lovelace", "Countess.", 2),
        )

    def test_student_update_takes_a_change_somebody_else_also_made_as_no_clash(self):
        Student.objects.filter(pk=self.ada.pk).update(notes="Poet.", version=2)
        saved = services.student_update(
            student=self.ada,
            actor=self.registrar,
            opened={"notes": "", "status": "active"},
            notes="Poet.",
            status="graduated",
        )
        self.assertEqual((saved.notes, saved.status, saved.version), ("Poet.", "graduated", 3))

    def test_student_update_with_nothing_to_change_writes_and_logs_nothing(self):
        with self.assertNoLogs("apps.students"):
            saved = services.student_update(student=self.ada, actor=self.registrar, last_name="Lovelace")
        self.assertEqual(saved.version, 1)
        self.assertEqual(Student.objects.values_list("last_name", "version").get(pk=self.ada.pk), ("Lovelace", 1))

    def test_student_update_refuses_an_invalid_change_and_writes_nothing(self):
        with self.assertRaises(ValidationError) as refusal, self.assertNoLogs("apps.students"):
            services.student_update(student=self.ada, actor=self.registrar, date_of_birth=date(2999, 1, 1))
        self.assertEqual(refusal.exception.message_dict, {"date_of_birth": ["Date of birth cannot be in the future."]})
        self.assertEqual(
            Student.objects.values_list("date_of_birth", "version").get(pk=self.ada.pk), (self.ada.date_of_birth, 1)
        )

    def test_student_update_without_a_version_saves_over_any(self):
        Student.objects.filter(pk=self.ada.pk).update(version=7)
        services.student_update(student=self.ada, actor=self.registrar, last_name="Byron")
        self.assertEqual(Student.objects.values_list("last_name", "version").get(pk=self.ada.pk), ("Byron", 8))

    def test_student_update_of_a_deleted_student_is_not_found_and_recreates_nothing(self):
        Student.objects.filter(pk=self.ada.pk).delete()
        with self.assertRaisesMessage(Http404, "This student no longer exists."):
            services.student_update(student=self.ada, actor=self.registrar, last_name="Byron")
        self.assertFalse(Student.objects.exists())

    def test_student_delete_removes_the_enrollments_and_logs_the_student(self):
        baker.make_recipe("students.enrollment", student=self.ada)
        pk = self.ada.pk  # the line names the record as it was: Django's delete() clears the instance's pk
        with self.assertLogs("apps.students") as logs:
            services.student_delete(student=self.ada, actor=self.registrar, version=1)
        self.assertFalse(Student.objects.exists())
        self.assertFalse(Enrollment.objects.exists())
        self.assertAudited(logs, f"student deleted pk={pk} record='Ada Lovelace ({self.ada.student_number})'")

    def test_student_delete_from_an_older_version_is_stale_and_deletes_nothing(self):
        Student.objects.filter(pk=self.ada.pk).update(version=2)
        with self.assertRaises(services.StaleRecord) as stale, self.assertNoLogs("apps.students"):
            services.student_delete(student=self.ada, actor=self.registrar, version=1)
        self.assertEqual(stale.exception.current.version, 2)  # what the API's 412 names
        self.assertTrue(Student.objects.filter(pk=self.ada.pk).exists())


class TestCourseServices(ServiceTestCase):
    algebra = given("students.course", code="MATH101", capacity=2)

    def test_course_create_stores_the_code_in_capitals(self):
        with self.assertLogs("apps.students") as logs:
            course = services.course_create(actor=self.registrar, code=" bio110 ", title="Biology", capacity=3)
        self.assertEqual(Course.objects.get(pk=course.pk).code, "BIO110")
        self.assertAudited(logs, f"course created pk={course.pk} record='BIO110 — Biology'")

    def test_course_create_refuses_a_code_taken_in_another_case(self):
        with self.assertRaises(ValidationError) as refusal:
            services.course_create(actor=self.registrar, code="math101", title="Again", capacity=3)
        self.assertEqual(refusal.exception.message_dict, {"code": ["A course with this code already exists."]})
        self.assertEqual(list(Course.objects.all()), [self.algebra])

    def test_course_create_refuses_a_course_without_a_code_field_by_field(self):
        for code, message in ((None, "This field cannot be null."), ("", "Enter the course code.")):
            with self.subTest(code=code):
                with self.assertRaises(ValidationError) as refusal:
                    services.course_create(actor=self.registrar, code=code, title="Nameless", capacity=3)
                self.assertEqual(refusal.exception.message_dict, {"code": [message]})
        self.assertEqual(list(Course.objects.all()), [self.algebra])

    def test_course_update_from_an_older_version_is_stale_and_changes_nothing(self):
        services.course_update(course=Course.objects.get(), actor=self.registrar, version=1, capacity=5)
        with self.assertRaises(services.StaleRecord):
            services.course_update(course=self.algebra, actor=self.registrar, version=1, title="Old view")
        self.assertEqual(
            Course.objects.values_list("title", "capacity", "version").get(), ("Introduction to Algebra", 5, 2)
        )

    def test_course_update_refuses_a_capacity_below_the_students_enrolled_and_writes_nothing(self):
        enroll_students(self.algebra, 2)
        message = "Capacity cannot be lower than the 2 students already enrolled."
        with self.assertRaises(ValidationError) as refusal, self.assertNoLogs("apps.students"):
            services.course_update(course=self.algebra, actor=self.registrar, capacity=1)
        self.assertEqual(refusal.exception.message_dict, {"capacity": [message]})
        self.assertEqual(Course.objects.values_list("capacity", "version").get(), (2, 1))

    def test_course_update_accepts_a_capacity_equal_to_the_students_enrolled(self):
        Course.objects.filter(pk=self.algebra.pk).update(capacity=5)
        enroll_students(self.algebra, 2)
        saved = services.course_update(course=self.algebra, actor=self.registrar, capacity=2)
        self.assertEqual((saved.capacity, saved.seats_left), (2, 0))

    def test_course_update_lets_a_value_saved_before_todays_rules_stand_in_a_field_it_does_not_touch(self):
        Course.objects.filter(pk=self.algebra.pk).update(code="MATH 101")  # a space: no longer a valid code
        saved = services.course_update(course=self.algebra, actor=self.registrar, title="Algebra II")
        self.assertEqual(Course.objects.values_list("code", "title").get(), ("MATH 101", "Algebra II"))
        self.assertEqual(saved.version, 2)
        with self.assertRaisesMessage(ValidationError, "A course code is 2 to 20 letters"):
            services.course_update(course=self.algebra, actor=self.registrar, code="MATH 102")

    def test_course_delete_is_refused_while_students_are_enrolled(self):
        baker.make_recipe("students.enrollment", course=self.algebra)
        message = "MATH101 still has enrolled students and cannot be deleted. Unenroll them first."
        with self.assertRaisesMessage(services.CourseInUse, message), self.assertNoLogs("apps.students"):
            services.course_delete(course=self.algebra, actor=self.registrar)
        self.assertTrue(Course.objects.filter(pk=self.algebra.pk).exists())

    def test_course_delete_from_an_older_version_is_stale_and_deletes_nothing(self):
        Course.objects.filter(pk=self.algebra.pk).update(version=2)
        with self.assertRaises(services.StaleRecord), self.assertNoLogs("apps.students"):
            services.course_delete(course=self.algebra, actor=self.registrar, version=1)
        self.assertTrue(Course.objects.filter(pk=self.algebra.pk).exists())

    def test_course_delete_logs_the_course(self):
        pk = self.algebra.pk
        with self.assertLogs("apps.students") as logs:
            services.course_delete(course=self.algebra, actor=self.registrar, version=1)
        self.assertFalse(Course.objects.exists())
        self.assertAudited(logs, f"course deleted pk={pk} record='{self.algebra}'")

    def test_course_update_saves_and_logs_the_course(self):
        with self.assertLogs("apps.students") as logs:
            services.course_update(course=self.algebra, actor=self.registrar, version=1, title="Algebra II")
        self.assertEqual(Course.objects.values_list("title", "version").get(), ("Algebra II", 2))
        self.assertAudited(logs, f"course updated pk={self.algebra.pk} record='MATH101 — Algebra II'")


class TestEnrollmentServices(ServiceTestCase):
    course = given("students.course", code="CHEM130", capacity=1)
    ada = given("students.student")
    grace = given("students.student")

    def test_enroll_takes_a_seat_and_unenroll_gives_it_back_both_logged(self):
        with self.assertLogs("apps.students") as logs:
            enrollment = services.enroll(student=self.ada, course=self.course, actor=self.registrar)
            pk = enrollment.pk
            services.unenroll(enrollment=enrollment, actor=self.registrar)
        line = f"pk={pk} record='Ada Lovelace in CHEM130' by user_id={self.registrar.pk}"
        self.assertEqual(
            logs.output, [f"INFO:apps.students:enrollment {action} {line}" for action in ("created", "deleted")]
        )
        self.assertFalse(Enrollment.objects.exists())

    def test_enroll_refuses_a_full_course(self):
        services.enroll(student=self.ada, course=self.course, actor=self.registrar)
        with self.assertRaisesMessage(services.EnrollmentRefused, "CHEM130 is full"):
            services.enroll(student=self.grace, course=self.course, actor=self.registrar)
        self.assertEqual(list(Enrollment.objects.values_list("student", flat=True)), [self.ada.pk])

    def test_enroll_tells_a_student_already_in_a_full_course_that_they_are_in_it(self):
        services.enroll(student=self.ada, course=self.course, actor=self.registrar)  # its one seat
        with self.assertRaisesMessage(services.EnrollmentRefused, "Ada Lovelace is already enrolled in CHEM130."):
            services.enroll(student=self.ada, course=self.course, actor=self.registrar)
        self.assertEqual(list(Enrollment.objects.values_list("student", flat=True)), [self.ada.pk])
