from datetime import date

from django.test import SimpleTestCase
from django.utils import timezone
from model_bakery import baker

from apps.students.models import Student
from apps.students.views import spreadsheet_safe
from project.testing import VIEWER, csv_rows, given
from project.testing_web import WebTestCase

HEADER = ["Student number", "First name", "Last name", "Email", "Date of birth", "Status", "Enrolled on", "Courses"]


class TestSomeoneExportingStudents(WebTestCase):
    role = VIEWER
    ada = given("students.student", first_name="Ada", last_name="Lovelace", email="ada@engines.example")
    zoe = given(
        "students.student",
        first_name="Zoë",
        last_name="Ångström",
        email="zoe@physics.example",
        date_of_birth=None,
        status="graduated",
        enrolled_on=date(2023, 9, 1),
    )
    in_math = given("students.enrollment", student=ada, course__code="MATH101")
    in_art = given("students.enrollment", student=ada, course__code="ART140")

    def test_downloads_a_csv_file_named_after_today(self):
        response = self.get("/students/").click(linkid="export-csv")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content_type, "text/csv")
        self.assertEqual(response.charset, "utf-8")
        self.assertEqual(
            response.headers["Content-Disposition"],
            f'attachment; filename="students-{timezone.localdate():%Y-%m-%d}.csv"',
        )

    def test_gets_a_header_row_and_one_row_per_student_with_their_courses(self):
        rows = csv_rows(self.get("/students/export.csv"))
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(
            sorted(rows[1:]),  # by student number: the list's name order depends on the collation
            [
                [self.ada.student_number, "Ada", "Lovelace", "ada@engines.example", "2008-12-10", "Active",
                 "2024-09-01", "ART140;MATH101"],
                [self.zoe.student_number, "Zoë", "Ångström", "zoe@physics.example", "", "Graduated",
                 "2023-09-01", ""],
            ],
        )  # fmt: skip
        self.assertEqual(Student.objects.count(), len(rows) - 1)

    def test_leaves_an_audit_line_naming_who_exported(self):
        with self.assertLogs("apps.students", "INFO") as logs:
            self.get("/students/export.csv")
        self.assertEqual(logs.output, [f"INFO:apps.students:students exported by user_id={self.user.pk}"])

    def test_gets_utf8_with_a_byte_order_mark_so_spreadsheets_show_accents_right(self):
        content = self.get("/students/export.csv", params={"q": "zoe"}).content
        self.assertTrue(content.startswith(b"\xef\xbb\xbfStudent number,"), content[:20])
        self.assertEqual(content.count(b"\xef\xbb\xbf"), 1, "one mark, at the very start")
        self.assertIn("Zoë,Ångström".encode(), content)
        self.assertEqual(Student.objects.count(), 2)

    def test_gets_only_the_students_the_list_shows_in_the_same_order(self):
        list_page = self.get("/students/", params={"status": "graduated"})
        rows = csv_rows(list_page.click(linkid="export-csv"))
        self.assertEqual([row[2] for row in rows[1:]], ["Ångström"])
        rows = csv_rows(self.get("/students/export.csv", params={"course": "math101", "q": "ada"}))
        self.assertEqual([row[2] for row in rows[1:]], ["Lovelace"])
        rows = csv_rows(self.get("/students/export.csv", params={"sort": "enrolled_on"}))
        self.assertEqual([row[2] for row in rows[1:]], ["Ångström", "Lovelace"])
        rows = csv_rows(self.get("/students/export.csv", params={"sort": "-enrolled_on"}))
        self.assertEqual([row[2] for row in rows[1:]], ["Lovelace", "Ångström"])

    def test_gets_just_the_header_when_nobody_matches(self):
        self.assertEqual(csv_rows(self.get("/students/export.csv?q=nobody")), [HEADER])

    def test_gets_cells_a_spreadsheet_would_run_as_formulas_neutralised(self):
        baker.make_recipe(
            "students.student",
            first_name='=HYPERLINK("http://evil.example")',
            last_name="+1-555",
            email="-sum@evil.example",
            notes="not exported",
        )
        baker.make_recipe("students.student", first_name="@cmd", last_name="Safe-Name", email="x@evil.example")
        rows = csv_rows(self.get("/students/export.csv", params={"q": "evil.example"}))
        cells = [row[1:4] for row in rows[1:]]
        self.assertEqual(
            cells,
            [
                ['\'=HYPERLINK("http://evil.example")', "'+1-555", "'-sum@evil.example"],
                ["'@cmd", "Safe-Name", "x@evil.example"],
            ],
        )
        self.assertTrue(Student.objects.filter(first_name="@cmd").exists(), "stored as typed")


class TestSpreadsheetSafeCells(SimpleTestCase):
    def test_prefix_a_quote_only_where_a_formula_could_start(self):
        cases = [
            ("=1+1", "'=1+1"),
            ("+44 20", "'+44 20"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTab", "'\tTab"),
            ("\rReturn", "'\rReturn"),
            ("Ada", "Ada"),
            ("a=b", "a=b"),
            ("", ""),
            (None, ""),
            (date(2024, 9, 1), "2024-09-01"),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(spreadsheet_safe(value), expected)
