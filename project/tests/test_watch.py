"""`make watch` re-runs what a saved file affects, earlier failures first."""

import io
import os
import tempfile
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from project import watch
from project.watch import EVERYTHING, labels_for

# What `make watch` re-runs when one file is saved (EVERYTHING: the whole suite; None: nothing).
RERUNS = {
    # a test module: that module
    "apps/students/tests/test_list.py": ("apps.students.tests.test_list",),
    "project/tests/test_watch.py": ("project.tests.test_watch",),
    # app code, a template or a test helper: that app's tests
    "apps/students/views.py": ("apps.students",),
    "apps/students/api/serializers.py": ("apps.students",),
    "apps/students/templates/students/student_list.html": ("apps.students",),
    "apps/students/templates/students/email.txt": ("apps.students",),
    "apps/students/migrations/0002_course.py": ("apps.students",),
    "apps/students/tests/__init__.py": ("apps.students",),
    "apps/students/tests": ("apps.students",),  # a test module was deleted
    # a helper of the project tests: the project tests
    "project/tests/failing_samples.py": ("project.tests",),
    # settings, harness, runner, project code, site templates and static files: everything
    "project/settings/base.py": EVERYTHING,
    "project/settings/test.py": EVERYTHING,
    "project/testing.py": EVERYTHING,
    "project/testing_browser.py": EVERYTHING,
    "project/test_runner.py": EVERYTHING,
    "project/urls.py": EVERYTHING,
    "templates/base.html": EVERYTHING,
    "static/css/site.css": EVERYTHING,
    # files no test depends on: nothing
    "docs/benchmarks.md": None,
    "README.md": None,
    "bench/run.py": None,
    "apps/students/notes.md": None,
    "static/logo.png": None,
}


class TestWhatASaveReruns(SimpleTestCase):
    def test_each_saved_file_reruns_what_it_affects(self):
        for path, labels in RERUNS.items():
            with self.subTest(path):
                self.assertEqual(labels_for([path]), labels)

    def test_saving_nothing_reruns_nothing(self):
        self.assertIsNone(labels_for([]))

    def test_several_saves_at_once_rerun_each_label_once(self):
        paths = [
            "apps/students/tests/test_list.py",
            "apps/students/tests/test_export.py",
            "apps/accounts/tests/test_login.py",
            "docs/benchmarks.md",
        ]
        self.assertEqual(
            labels_for(paths),
            (
                "apps.accounts.tests.test_login",
                "apps.students.tests.test_export",
                "apps.students.tests.test_list",
            ),
        )

    def test_a_module_inside_an_app_that_reruns_anyway_is_not_named_again(self):
        paths = ["apps/students/tests/test_list.py", "apps/students/models.py", "apps/accounts/tests/test_login.py"]
        self.assertEqual(labels_for(paths), ("apps.accounts.tests.test_login", "apps.students"))

    def test_the_whole_suite_wins_over_any_label(self):
        self.assertEqual(labels_for(["apps/students/views.py", "project/settings/test.py"]), EVERYTHING)


class TestHowManyProcessesARunUses(SimpleTestCase):
    def test_one_for_modules_classes_and_single_tests(self):
        labels = ["apps.students.tests.test_list", "apps.a.tests.test_x.TestA.test_fails", "project.tests.test_watch"]
        self.assertEqual(watch.parallel_for(labels), "1")

    def test_one_per_core_or_parallel_for_an_app_or_the_whole_suite(self):
        with mock.patch.dict("os.environ", {"PARALLEL": "3"}):
            self.assertEqual(watch.parallel_for(["apps.students"]), "3")
            self.assertEqual(watch.parallel_for(["apps.students.tests.test_list", "apps.accounts"]), "3")
            self.assertEqual(watch.parallel_for(EVERYTHING), "3")
        with mock.patch.dict("os.environ", clear=True):
            self.assertEqual(watch.parallel_for(["project.tests"]), "auto")


JUNIT = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="apps.a.tests.test_x.TestA" tests="4">
    <testcase classname="apps.a.tests.test_x.TestA" name="test_passes"/>
    <testcase classname="apps.a.tests.test_x.TestA" name="test_fails"><failure message="no"/></testcase>
    <testcase classname="apps.a.tests.test_x.TestA" name="test_errs [a subtest] (n=1)"><error message="no"/></testcase>
    <testcase classname="apps.a.tests.test_x.TestA" name="test_skips"><skipped message="later"/></testcase>
  </testsuite>
  <testsuite name="unittest.suite._ErrorHolder" tests="1">
    <testcase classname="unittest.suite._ErrorHolder" name="setUpClass (apps.a.tests.test_x.TestB)">
      <error message="no"/>
    </testcase>
  </testsuite>
</testsuites>
"""


class TestTheFailuresOfARun(SimpleTestCase):
    def test_are_read_from_its_junit_xml_as_test_ids(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "junit.xml"
            path.write_text(JUNIT)
            failed = watch.failed_ids_from_junit(path)
        self.assertEqual(
            failed,
            {
                "apps.a.tests.test_x.TestA.test_fails",
                "apps.a.tests.test_x.TestA.test_errs",
                "apps.a.tests.test_x.TestB",
            },
        )


def result(summary, failed=(), returncode=0):
    return watch.RunResult(summary, set(failed), 1.0, returncode)


class TestTheWatcher(SimpleTestCase):
    def rerun(self, watcher, labels, results):
        with (
            mock.patch.object(watch, "run_tests", side_effect=results) as run_tests,
            mock.patch("builtins.print") as printed,
        ):
            watcher.rerun(labels)
        (line,) = [call.args[0] for call in printed.call_args_list]
        return [call.args[0] for call in run_tests.call_args_list], line

    def test_runs_the_affected_labels_and_prints_one_summary_line(self):
        runs, line = self.rerun(watch.Watcher(), ("apps.students",), [result("3 passed, 0 failed, 0 skipped")])
        self.assertEqual(runs, [("apps.students",)])
        self.assertRegex(line, r"^\nwatch \d\d:\d\d:\d\d \| apps.students: 3 passed, 0 failed, 0 skipped in 1.0 s$")

    def test_names_the_whole_suite_when_everything_runs(self):
        _, line = self.rerun(watch.Watcher(), EVERYTHING, [result("9 passed, 0 failed, 0 skipped")])
        self.assertIn("| the whole suite: 9 passed", line)

    def test_runs_the_earlier_failures_first_then_the_affected_labels(self):
        watcher = watch.Watcher()
        self.rerun(watcher, ("apps.a",), [result("1 passed, 1 failed, 0 skipped", {"apps.a.T.test_x"}, 1)])
        runs, line = self.rerun(
            watcher, ("apps.b",), [result("1 passed, 0 failed, 0 skipped"), result("5 passed, 0 failed, 0 skipped")]
        )
        self.assertEqual(runs, [["apps.a.T.test_x"], ("apps.b",)])
        self.assertIn("| earlier failures: 1 passed, 0 failed, 0 skipped in 1.0 s | apps.b: 5 passed", line)
        self.assertEqual(watcher.failed_ids, set())

    def test_holds_the_affected_labels_back_while_earlier_failures_still_fail(self):
        watcher = watch.Watcher()
        watcher.failed_ids = {"apps.a.T.test_x", "apps.a.T.test_y"}
        runs, line = self.rerun(
            watcher, ("apps.b",), [result("1 passed, 1 failed, 0 skipped", {"apps.a.T.test_y"}, 1)]
        )
        self.assertEqual(runs, [["apps.a.T.test_x", "apps.a.T.test_y"]])
        self.assertIn(
            "| earlier failures: 1 passed, 1 failed, 0 skipped in 1.0 s | apps.b waits until they pass", line
        )
        self.assertEqual(watcher.failed_ids, {"apps.a.T.test_y"})


class TestARealRun(SimpleTestCase):
    def test_shows_the_runners_output_and_reads_its_summary_and_failures(self):
        shown = io.StringIO()
        # In-memory SQLite for the child: on PostgreSQL it would reach for this run's test database.
        with mock.patch("sys.stdout", shown), mock.patch.dict("os.environ"):
            os.environ.pop("DATABASE_URL", None)
            run = watch.run_tests(["project.tests.failing_samples"])
        samples = "project.tests.failing_samples"
        self.assertEqual(run.summary, "1 passed, 3 failed, 0 skipped")
        self.assertEqual(
            run.failed_ids,
            {
                f"{samples}.TestAWebPageWithSubtests.test_answers_every_path",
                f"{samples}.TestAWebPageWithSubtests.test_raises_an_error_holding_a_lock",
                f"{samples}.TestAPlainCase.test_fails_in_a_subtest_with_an_unpicklable_error",
            },
        )
        self.assertEqual(run.returncode, 1)
        self.assertIn(f"FAIL: test_answers_every_path ({samples}.TestAWebPageWithSubtests", shown.getvalue())
