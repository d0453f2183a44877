"""A course's roster: one page at a time on the course page, the whole of it as CSV."""

from datetime import UTC, datetime

from django.utils import timezone
from model_bakery import baker

from apps.students.models import Enrollment
from project.testing import VIEWER, csv_rows, given, url
from project.testing_web import WebTestCase


class TestSomeoneReadingALongRoster(WebTestCase):
    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.course = baker.make_recipe("students.course", code="BIO110", capacity=100)
        cls.other = baker.make_recipe("students.course", code="ART140")
        for number in range(30):
            student = baker.make_recipe("students.student", first_name="Ann", last_name=f"Name{number:02d}")
            baker.make_recipe("students.enrollment", student=student, course=cls.course)
        baker.make_recipe("students.enrollment", course=cls.other, student__last_name="Elsewhere")
        first_enrolled = datetime(2024, 9, 2, 8, 30, tzinfo=UTC)
        Enrollment.objects.filter(student__last_name="Name00").update(enrolled_at=first_enrolled)

    def names(self, page):
        return [row.a.text for row in page.html.select("#roster-table tbody tr")]

    def test_sees_25_students_a_page_by_name_and_pages_on(self):
        page = self.get(f"/courses/{self.course.pk}/")
        self.assertEqual(self.names(page), [f"Name{number:02d}, Ann" for number in range(25)])
        self.assertEqual(page.html.select_one("#roster-count").text, "Showing 1\u201325 of 30 students.")
        self.assertEqual(page.html.select_one("#page-position").text, "Page 1 of 2")

        page = page.click(linkid="next-page")
        self.assertEqual(self.names(page), [f"Name{number:02d}, Ann" for number in range(25, 30)])
        self.assertEqual(page.html.select_one("#page-numbers [aria-current=page]").text, "2")
        self.assertEqual(page.html.select_one("#course-enrolled").text, "30")
        self.assertEqual(Enrollment.objects.filter(course=self.course).count(), 30)

    def test_sees_the_nearest_page_for_a_page_that_does_not_exist(self):
        for number, shown in [("0", "Page 1 of 2"), ("x", "Page 1 of 2"), ("99", "Page 2 of 2")]:
            with self.subTest(page=number):
                page = self.get(f"/courses/{self.course.pk}/", params={"page": number})
                self.assertEqual(page.html.select_one("#page-position").text, shown)

    def test_sees_a_short_roster_without_page_links(self):
        page = self.get(f"/courses/{self.other.pk}/")
        self.assertEqual(self.names(page), ["Elsewhere, Ada"])
        self.assertEqual(page.html.select_one("#roster-count").text, "1 student.")
        self.assertIsNotNone(page.html.select_one("#export-roster"))
        self.assertIsNone(page.html.select_one("#pagination"))

    def test_downloads_the_whole_roster_as_csv_with_a_byte_order_mark(self):
        response = self.get(f"/courses/{self.course.pk}/").click(linkid="export-roster")

        self.assertEqual((response.status_code, response.content_type), (200, "text/csv"))
        self.assertEqual(
            response.headers["Content-Disposition"],
            f'attachment; filename="BIO110-roster-{timezone.localdate():%Y-%m-%d}.csv"',
        )
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbfStudent number,First name,"))
        rows = csv_rows(response)
        self.assertEqual(
            rows[0], ["Student number", "First name", "Last name", "Email", "Status", "Enrolled in course"]
        )
        first = Enrollment.objects.select_related("student").get(course=self.course, student__last_name="Name00")
        self.assertEqual(
            rows[1],
            [
                first.student.student_number,
                "Ann",
                "Name00",
                first.student.email,
                "Active",
                "2024-09-02",
            ],
        )
        self.assertEqual([row[2] for row in rows[1:]], [f"Name{number:02d}" for number in range(30)])

    def test_leaves_an_audit_line_naming_the_course_and_who_exported_it(self):
        with self.assertLogs("apps.students", "INFO") as logs:
            self.get(f"/courses/{self.course.pk}/roster.csv")
        line = f"INFO:apps.students:course roster exported course_id={self.course.pk} by user_id={self.user.pk}"
        self.assertEqual(logs.output, [line])

    def test_downloads_just_the_header_for_an_empty_course(self):
        empty = baker.make_recipe("students.course")
        self.assertEqual(len(csv_rows(self.get(f"/courses/{empty.pk}/roster.csv"))), 1)
        self.assertContains(self.get(f"/courses/{empty.pk}/"), "No students enrolled yet.")

    def test_gets_404_for_a_course_that_does_not_exist(self):
        self.assertEqual(self.get("/courses/999999/roster.csv", status=404).status_code, 404)


class TestSomeoneReadingARosterOfNamesakes(WebTestCase):
    role = VIEWER
    course = given("students.course", code="HIS120")
    bea = given("students.student", first_name="Bea", last_name="Lee", status="withdrawn")
    ann = given("students.student", first_name="Ann", last_name="Lee")
    another_ann = given("students.student", first_name="Ann", last_name="Lee")
    zoe = given("students.student", first_name="Zoe", last_name="Adams")
    # Enrolled in the opposite order to the one the roster shows.
    another_ann_enrolled = given("students.enrollment", student=another_ann, course=course)
    ann_enrolled = given("students.enrollment", student=ann, course=course)
    bea_enrolled = given("students.enrollment", student=bea, course=course)
    zoe_enrolled = given("students.enrollment", student=zoe, course=course)

    def test_sees_them_by_last_name_then_first_name_then_in_the_order_they_were_added(self):
        """Students with the same name keep their places, so no one moves between pages."""
        page = self.get(f"/courses/{self.course.pk}/")
        expected = [self.zoe, self.ann, self.another_ann, self.bea]
        self.assertEqual(
            [row.a["href"] for row in page.html.select("#roster-table tbody tr")],
            [url("students:detail", student.pk) for student in expected],
        )
        rows = csv_rows(page.click(linkid="export-roster"))
        self.assertEqual([row[0] for row in rows[1:]], [student.student_number for student in expected])

    def test_sees_each_students_number_email_and_status_beside_their_name(self):
        page = self.get(f"/courses/{self.course.pk}/")
        row = page.html.select_one(f"#roster-{self.bea.pk}")
        self.assertEqual(
            [cell.get_text(strip=True) for cell in row.select("td")],
            [self.bea.student_number, "Lee, Bea", self.bea.email, "Withdrawn"],
        )


class TestAnAnonymousVisitorAndTheRoster(WebTestCase):
    def test_is_sent_to_log_in(self):
        course = baker.make_recipe("students.course")
        self.assertRedirectsToLogin(self.get(f"/courses/{course.pk}/roster.csv"), f"/courses/{course.pk}/roster.csv")
