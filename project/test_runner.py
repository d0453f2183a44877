"""Django's runner, plus per-test timings that survive `--parallel`.

Python 3.11 has no `--durations`, so each worker measures its own tests and
sends the figure home as an extra result event. At the end the runner prints
the slowest tests and a plain `N passed, N failed, N skipped` line; with
`TEST_TIMINGS_FILE` set it also writes every timing there as JSON (for
`make bench`).
"""

import json
import os
import time
import unittest
from collections import Counter

from django.test.runner import DiscoverRunner, ParallelTestSuite, RemoteTestResult, RemoteTestRunner

SLOWEST_SHOWN = 10


class TimedRemoteTestResult(RemoteTestResult):
    def startTest(self, test):
        self._started_at = time.perf_counter()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.events.append(("addTiming", self.test_index, time.perf_counter() - self._started_at))


class TimedRemoteTestRunner(RemoteTestRunner):
    resultclass = TimedRemoteTestResult


class TimedParallelTestSuite(ParallelTestSuite):
    runner_class = TimedRemoteTestRunner


class TimedTextTestResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timings = {}

    def startTest(self, test):
        self._started_at = time.perf_counter()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.timings[test.id()] = time.perf_counter() - self._started_at

    def addTiming(self, test, elapsed):
        # Replayed from a parallel worker: its own measurement wins.
        self.timings[test.id()] = elapsed


class TimedDiscoverRunner(DiscoverRunner):
    parallel_test_suite = TimedParallelTestSuite

    def get_resultclass(self):
        return super().get_resultclass() or TimedTextTestResult

    def run_suite(self, suite, **kwargs):
        result = super().run_suite(suite, **kwargs)
        self.report(result)
        return result

    def report(self, result):
        timings = getattr(result, "timings", {})
        if timings:
            self.log(f"\nSlowest {min(SLOWEST_SHOWN, len(timings))} tests:")
            for test_id, elapsed in sorted(timings.items(), key=lambda item: -item[1])[:SLOWEST_SHOWN]:
                self.log(f"  {elapsed * 1000:8.1f} ms  {test_id}")
            if path := os.environ.get("TEST_TIMINGS_FILE"):
                with open(path, "w") as out:
                    json.dump(timings, out, indent=1, sort_keys=True)
        # A test with several failing subtests still counts once.
        failed_ids = {getattr(test, "test_case", test).id() for test, _ in [*result.failures, *result.errors]} | {
            test.id() for test in result.unexpectedSuccesses
        }
        failed = len(failed_ids)
        skipped = len(result.skipped)
        # One line per reason (e.g. "Chromium not installed: apt-get install ..."),
        # however many tests it skipped.
        reasons = Counter(reason for _, reason in result.skipped)
        for reason, count in sorted(reasons.items()):
            self.log(f"Skipped {count}: {reason}")
        passed = result.testsRun - failed - skipped - len(result.expectedFailures)
        self.log(f"\n{passed} passed, {failed} failed, {skipped} skipped")
