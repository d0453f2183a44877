"""Deliberately failing tests that exercise the runner's failure reports.

Never collected by `manage.py test` on its own (the name does not match
`test*.py`); test_runner_reports.py runs it in a child process under
`--parallel` and reads what the runner prints.
"""

import threading

from django.test import SimpleTestCase

from project.testing import WebTestCase


class UnpicklableError(Exception):
    """An error that keeps a lock, as an exception holding a response or a connection would."""

    def __init__(self, message):
        super().__init__(message)
        self.lock = threading.Lock()


class TestAWebPageWithSubtests(WebTestCase):
    def test_answers_every_path(self):
        response = self.get("/healthz")
        for path, expected in [("/healthz", 200), ("/no-such-page", 200)]:
            with self.subTest(path=path, client=self.app):
                status = self.get(path, expect_errors=True).status_code
                self.assertEqual(status, expected, f"{path} answered {status} (page was {response.status_code})")

    def test_raises_an_error_holding_a_lock(self):
        raise UnpicklableError("the lock stays behind")


class TestAPlainCase(SimpleTestCase):
    def test_passes(self):
        self.assertTrue(True)

    def test_fails_in_a_subtest_with_an_unpicklable_error(self):
        with self.subTest("the lock", attempt=1):
            raise UnpicklableError("raised inside a subtest")
