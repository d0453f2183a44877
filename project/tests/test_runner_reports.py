"""The runner names every failure under --parallel, whatever the failing test holds.

One child `manage.py test --parallel 2` run of project/tests/failing_samples.py
(a WebTest case whose subtest fails with the web app among its parameters,
errors holding a lock) and checks what it prints.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = "project.tests.failing_samples"


class TestAParallelRunWithFailures(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = {key: value for key, value in os.environ.items() if key != "TEST_TIMINGS_FILE"}
        cls.child = subprocess.run(  # noqa: S603 - a fixed command line
            [sys.executable, "manage.py", "test", SAMPLES, "--parallel", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        cls.report = cls.child.stdout

    def test_runs_the_samples_in_two_workers(self):
        self.assertEqual(self.report.count("Cloning test database"), 2, self.report)

    def test_names_the_failing_subtest_with_its_parameters(self):
        self.assertIn(
            f"FAIL: test_answers_every_path ({SAMPLES}.TestAWebPageWithSubtests.test_answers_every_path)"
            " (path='/no-such-page', client=<django_webtest.DjangoTestApp object at ",
            self.report,
        )

    def test_shows_the_assertion_message_and_where_it_failed(self):
        self.assertIn("AssertionError: 404 != 200 : /no-such-page answered 404 (page was 200)", self.report)
        self.assertRegex(self.report, r'failing_samples\.py", line \d+, in test_answers_every_path\n')

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
