"""The runner names every failure under --parallel, whatever the failing test holds.

Child `manage.py test --parallel 2` runs of project/tests/failing_samples.py
(a WebTest case whose subtest fails with the web app among its parameters,
errors holding a lock), checking what they print and the JUnit XML they write.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = "project.tests.failing_samples"


# The child keeps the parent's timings file alone and builds its own in-memory
# SQLite database: on PostgreSQL it would reach for the parent's test database.
CHILD_ENV_LEFT_OUT = {"TEST_TIMINGS_FILE", "DATABASE_URL"}


def run_samples(*options):
    env = {key: value for key, value in os.environ.items() if key not in CHILD_ENV_LEFT_OUT}
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "manage.py", "test", SAMPLES, "--parallel", "2", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )


class TestAParallelRunWithFailures(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.child = run_samples()
        cls.report = cls.child.stdout

    def test_runs_the_samples_in_two_workers(self):
        self.assertEqual(self.report.count("Cloning test database"), 2, self.report)

    def test_names_the_failing_subtest_with_its_parameters(self):
        self.assertIn(
            f"FAIL: test_answers_every_path ({SAMPLES}.TestAWebPageWithSubtests.test_answers_every_path)"
            " (path='/no-such-page', client=<project.testing_web.TestApp object at ",
            self.report,
        )

    def test_shows_the_assertion_message_and_where_it_failed(self):
        self.assertIn("AssertionError: 404 != 200 : /no-such-page answered 404 (page was 200)", self.report)
        self.assertRegex(self.report, r'failing_samples\.py", line \d+, in test_answers_every_path\n')

    def test_marks_no_columns_that_a_rebuilt_traceback_would_get_wrong(self):
        self.assertNotRegex(self.report, r"\n *\^+ *\n")

    def test_names_an_error_that_holds_unpicklable_state_with_its_type_and_traceback(self):
        self.assertIn(
            f"ERROR: test_raises_an_error_holding_a_lock ({SAMPLES}.TestAWebPageWithSubtests"
            ".test_raises_an_error_holding_a_lock)",
            self.report,
        )
        self.assertRegex(self.report, r'failing_samples\.py", line \d+, in test_raises_an_error_holding_a_lock\n')
        self.assertIn(f"{SAMPLES}.UnpicklableError: the lock stays behind", self.report)

    def test_names_an_erroring_subtest_with_its_message_and_parameters(self):
        self.assertIn(
            f"ERROR: test_fails_in_a_subtest_with_an_unpicklable_error ({SAMPLES}.TestAPlainCase"
            ".test_fails_in_a_subtest_with_an_unpicklable_error) [the lock] (attempt=1)",
            self.report,
        )
        self.assertIn(f"{SAMPLES}.UnpicklableError: raised inside a subtest", self.report)

    def test_ends_with_the_summary_line_and_a_failing_exit_code(self):
        self.assertNotIn("MaybeEncodingError", self.report)
        self.assertIn("Ran 4 tests", self.report)
        self.assertIn("\n1 passed, 3 failed, 0 skipped\n", self.report)
        self.assertEqual(self.child.returncode, 1)


class TestAParallelRunWritingJUnitXml(TestAParallelRunWithFailures):
    """The same run with --junit-xml: the same report on screen, and every outcome in the file."""

    @classmethod
    def setUpClass(cls):
        directory = tempfile.TemporaryDirectory()
        cls.addClassCleanup(directory.cleanup)
        xml_path = Path(directory.name) / "results" / "junit.xml"
        super().setUpClass()
        cls.child = run_samples("--junit-xml", str(xml_path))
        cls.report = cls.child.stdout
        cls.xml = ElementTree.parse(xml_path).getroot()  # noqa: S314 - the file the child run just wrote

    def outcome(self, name_start):
        (case,) = [case for case in self.xml.iter("testcase") if case.get("name").startswith(name_start)]
        return case

    def test_writes_one_suite_per_class_with_its_counts(self):
        suites = {suite.get("name"): suite for suite in self.xml.iter("testsuite")}
        self.assertEqual(sorted(suites), [f"{SAMPLES}.TestAPlainCase", f"{SAMPLES}.TestAWebPageWithSubtests"])
        web_page = suites[f"{SAMPLES}.TestAWebPageWithSubtests"]
        self.assertEqual((web_page.get("failures"), web_page.get("errors")), ("1", "1"))
        self.assertIn("JUnit XML: ", self.report)

    def test_records_the_failing_subtest_with_its_parameters_message_and_traceback(self):
        case = self.outcome("test_answers_every_path (path='/no-such-page'")
        (failure,) = case.findall("failure")
        self.assertEqual(failure.get("type"), "AssertionError")
        self.assertEqual(failure.get("message"), "404 != 200 : /no-such-page answered 404 (page was 200)")
        self.assertRegex(failure.text, r'failing_samples\.py", line \d+, in test_answers_every_path\n')

    def test_records_errors_holding_unpicklable_state(self):
        for name_start, message in [
            ("test_raises_an_error_holding_a_lock", "the lock stays behind"),
            ("test_fails_in_a_subtest_with_an_unpicklable_error [the lock] (attempt=1)", "raised inside a subtest"),
        ]:
            with self.subTest(name_start):
                (error,) = self.outcome(name_start).findall("error")
                self.assertEqual((error.get("type"), error.get("message")), ("UnpicklableError", message))
                self.assertIn(f"{SAMPLES}.UnpicklableError: {message}", error.text)

    def test_records_the_passing_test(self):
        case = self.outcome("test_passes")
        self.assertEqual(list(case), [])
        self.assertEqual(case.get("classname"), f"{SAMPLES}.TestAPlainCase")
