"""What the suite remembers of a failed test: `make test` runs it first next time (`--ff`), and
`make watch` (pytest-testmon) runs it again at the next save, until it passes."""

import pytest
from django.test import SimpleTestCase

A_RULE_FAILING_FOR_ONE_VALUE = """
import unittest


class TestTheRule(unittest.TestCase):
    def test_holds_for_every_value(self):
        for value in (1, 2, 3):
            with self.subTest(value=value):
                self.assertNotEqual(value, 2)

    def test_holds_elsewhere(self):
        self.assertEqual(1, 1)
"""


class TestATestWhoseSubtestFailed(SimpleTestCase):
    @pytest.fixture(autouse=True)
    def _an_inner_run(self, pytester, monkeypatch):
        # Only pytest and the suite's conftest.py, not the plugins of the outer run (Django's among them),
        # with setup.cfg's quiet subtests.
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        pytester.makepyfile(test_rule=A_RULE_FAILING_FOR_ONE_VALUE)
        self.run_pytest = lambda *arguments: pytester.runpytest_inprocess(
            "-p", "conftest", "--assert=plain", "-o", "verbosity_subtests=0", "-q", *arguments
        )

    def test_is_reported_failed_and_is_the_one_run_again_after_the_run(self):
        first = self.run_pytest()
        again = self.run_pytest("--last-failed")

        self.assertEqual(first.ret, pytest.ExitCode.TESTS_FAILED)
        # The failed subtest, and the test that holds it; the rule's other test passed.
        self.assertEqual(first.parseoutcomes(), {"failed": 2, "passed": 1})
        first.stdout.fnmatch_lines(["FAILED test_rule.py::TestTheRule::test_holds_for_every_value - *"])
        self.assertEqual(again.ret, pytest.ExitCode.TESTS_FAILED)
        self.assertEqual(again.parseoutcomes(), {"failed": 2, "deselected": 1})
