"""Django's runner, plus per-test timings and failures that survive `--parallel`.

Python 3.11 has no `--durations`, so each worker measures its own tests and
sends the figure home as an extra result event. At the end the runner prints
the slowest tests and a plain `N passed, N failed, N skipped` line; with
`TEST_TIMINGS_FILE` set it also writes every timing there as JSON (for
`make bench`).

A parallel worker sends each result home pickled. Django's own worker sends
a failing subtest whole, with the test case it belongs to (a WebTest case
holds the WSGI handler, which cannot be pickled), and any exception as it is:
either way the run used to die with a `MaybeEncodingError` naming no test.
Here a worker sends only the subtest's message and parameters, and replaces an
exception that cannot travel by a plain one with the same type name, message
and traceback; the parent rebuilds both, so every failure gets its usual
`FAIL:`/`ERROR:` block.

Two options on top of Django's: `--shard k/N` runs one of N shards of about
equal recorded time (project/sharding.py), `--junit-xml PATH` also writes the
results as JUnit XML, with the workers' timings.
"""

import argparse
import json
import os
import pickle
import time
import unittest
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace, TracebackType

from django.test.runner import DiscoverRunner, ParallelTestSuite, RemoteTestResult, RemoteTestRunner
from xmlrunner.result import _XMLTestResult

from project import sharding

SLOWEST_SHOWN = 10


# -- Failures that travel from a parallel worker to the parent --------------------


def _picklable(value):
    try:
        pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes, the round trip a worker makes
    except Exception:
        return False
    return True


class RemoteError(Exception):
    """Stands in for an error whose value could not be pickled in a worker."""

    def __init__(self, message, type_module, type_qualname):
        super().__init__(message)
        self.type_module = type_module
        self.type_qualname = type_qualname


class RemoteFailure(AssertionError):
    """Stands in for a failed assertion whose value could not be pickled."""

    __init__ = RemoteError.__init__


def _describe(exc):
    try:
        return str(exc)
    except Exception:
        return f"<unprintable {type(exc).__name__} object>"


def _stand_in(exc, failure_exception, seen):
    """A picklable copy of `exc` and its cause/context chain: type name, message, traceback."""
    if exc is None or id(exc) in seen:
        return None
    seen.add(id(exc))
    stand_in_class = RemoteFailure if isinstance(exc, failure_exception) else RemoteError
    copy = stand_in_class(_describe(exc), type(exc).__module__, type(exc).__qualname__)
    copy.__traceback__ = exc.__traceback__
    copy.__cause__ = _stand_in(exc.__cause__, failure_exception, seen)
    copy.__context__ = _stand_in(exc.__context__, failure_exception, seen)
    copy.__suppress_context__ = exc.__suppress_context__
    return copy


def picklable_error(err, test):
    """`err` (an exc_info tuple) as it is when it pickles, else with a stand-in value."""
    if _picklable(err):
        return err
    value = _stand_in(err[1], test.failureException, set())
    return type(value), value, err[2]


_named_classes = {}


def _named_class(stand_in):
    """A class named like the original exception's, so the report reads the same."""
    key = (type(stand_in), stand_in.type_module, stand_in.type_qualname)
    if key not in _named_classes:
        name = stand_in.type_qualname.rpartition(".")[2]
        attrs = {"__module__": stand_in.type_module, "__qualname__": stand_in.type_qualname}
        _named_classes[key] = type(name, (type(stand_in),), attrs)
    return _named_classes[key]


def _restore(exc):
    if not isinstance(exc, RemoteError | RemoteFailure):
        return exc
    exc.__class__ = _named_class(exc)
    exc.__cause__ = _restore(exc.__cause__)
    exc.__context__ = _restore(exc.__context__)
    return exc


def _without_column_marks(tb):
    """The same traceback without column positions.

    tblib rebuilds a worker's frames from stand-in code, whose positions would
    put `^^^^` marks under the wrong part of each line.
    """
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    rebuilt = None
    for frame in reversed(frames):
        rebuilt = TracebackType(rebuilt, frame.tb_frame, -1, frame.tb_lineno)
    return rebuilt


def _chain(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def restored_error(err):
    """The parent's side of picklable_error(): the stand-in carries the original type name."""
    value = _restore(err[1])
    for exc in _chain(value):
        exc.__traceback__ = _without_column_marks(exc.__traceback__)
    return type(value), value, _without_column_marks(err[2])


class _Repr:
    """A subtest parameter that could not be pickled, shown by its repr."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


@dataclass
class SubTestReport:
    """What the parent needs to rebuild a subtest: its message and parameters."""

    message: object
    params: list

    @classmethod
    def of(cls, subtest):
        message = None if subtest._message is unittest.case._subtest_msg_sentinel else subtest._message
        params = [(key, value if _picklable(value) else _Repr(repr(value))) for key, value in subtest.params.items()]
        return cls(message if _picklable(message) else repr(message), params)

    def rebuild(self, test):
        message = unittest.case._subtest_msg_sentinel if self.message is None else self.message
        return unittest.case._SubTest(test, message, dict(self.params))


class PicklableRemoteTestResult(RemoteTestResult):
    """A worker's result whose events always pickle (see the module docstring)."""

    def addError(self, test, err):
        super().addError(test, picklable_error(err, test))

    def addFailure(self, test, err):
        super().addFailure(test, picklable_error(err, test))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, picklable_error(err, test))

    def addSubTest(self, test, subtest, err):
        if err is not None:
            err = picklable_error(err, subtest)
            self.events.append(("addSubTest", self.test_index, SubTestReport.of(subtest), err))
        # unittest's bookkeeping (failfast), without Django's pickling of the whole subtest.
        unittest.TestResult.addSubTest(self, test, subtest, err)


def restored_event(event, tests):
    """A worker's event as the parent's result expects it (real subtests, named errors)."""
    name, *args = event
    if name == "addSubTest":
        test_index, report, err = args
        return name, test_index, report.rebuild(tests[test_index]), restored_error(err)
    if name in {"addError", "addFailure", "addExpectedFailure"}:
        return name, *args[:-1], restored_error(args[-1])
    return event


# -- Timings ---------------------------------------------------------------------


class TimedRemoteTestResult(PicklableRemoteTestResult):
    def startTest(self, test):
        self._started_at = time.perf_counter()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.events.append(("addTiming", self.test_index, time.perf_counter() - self._started_at))


class TimedRemoteTestRunner(RemoteTestRunner):
    resultclass = TimedRemoteTestResult


class _TaggedBrowser(type):
    def __instancecheck__(cls, instance):
        return "browser" in getattr(type(instance), "tags", ())


class BrowserJourney(metaclass=_TaggedBrowser):
    """isinstance() of any test tagged "browser": recognised by its tag, so Selenium is not imported here."""


def browser_journeys_together(subsuites):
    """Django's per-class units of work, with every browser class merged into one, first.

    One worker then runs all the journeys in its one Chromium (a start costs
    about 1.3 CPU seconds, and a second browser would run beside the tests the
    whole time), while the other workers share out everything else.
    """
    journeys = [subsuite for subsuite in subsuites if all(isinstance(test, BrowserJourney) for test in subsuite)]
    if len(journeys) < 2:
        return subsuites
    merged = unittest.TestSuite([test for subsuite in journeys for test in subsuite])
    return [merged, *(subsuite for subsuite in subsuites if not any(subsuite is j for j in journeys))]


class TimedParallelTestSuite(ParallelTestSuite):
    runner_class = TimedRemoteTestRunner

    def __init__(self, subsuites, *args, **kwargs):
        super().__init__(browser_journeys_together(subsuites), *args, **kwargs)

    def handle_event(self, result, tests, event):
        super().handle_event(result, tests, restored_event(event, tests))


# -- The parent's results: what the summary, the timings file and JUnit XML need ----


class TimedResultMixin:
    """Each test's time (measured here, or replayed from a worker) and the ids of the tests that failed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timings = {}
        # A test with several failing subtests still counts once.
        self.failed_ids = set()

    def startTest(self, test):
        self._started_at = time.perf_counter()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.timings[test.id()] = time.perf_counter() - self._started_at

    def addTiming(self, test, elapsed):
        # Replayed from a parallel worker: its own measurement wins.
        self.timings[test.id()] = elapsed

    def addFailure(self, test, err):
        self.failed_ids.add(test.id())
        super().addFailure(test, err)

    def addError(self, test, err):
        self.failed_ids.add(test.id())
        super().addError(test, err)

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self.failed_ids.add(test.id())
        super().addSubTest(test, subtest, err)

    def addUnexpectedSuccess(self, test):
        self.failed_ids.add(test.id())
        super().addUnexpectedSuccess(test)


class TimedTextTestResult(TimedResultMixin, unittest.TextTestResult):
    pass


class JUnitXMLTestResult(TimedResultMixin, _XMLTestResult):
    """unittest-xml-reporting's result, with the workers' timings and unittest's own error blocks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._infos_by_test = {}

    def _prepare_callback(self, test_info, target_list, verbose_str, short_str):
        # test_info.id() is the subtest's id for a subtest; the timing arrives under the test's.
        self._infos_by_test.setdefault(self._current_test_id, []).append(test_info)
        super()._prepare_callback(test_info, target_list, verbose_str, short_str)

    def startTest(self, test):
        self._current_test_id = test.id()
        super().startTest(test)

    def addTiming(self, test, elapsed):
        super().addTiming(test, elapsed)
        for test_info in self._infos_by_test.get(test.id(), []):
            test_info.elapsed_time = elapsed

    def printErrorList(self, flavour, errors):
        for test_info, text in errors:
            self.stream.writeln(self.separator1)
            self.stream.writeln(f"{flavour}: {test_info.test_description}")
            self.stream.writeln(self.separator2)
            self.stream.writeln(text)
        self.stream.flush()

    def write_xml(self, path):
        """Every test in one JUnit XML file (a <testsuites> element, a <testsuite> per class)."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            self.generate_reports(SimpleNamespace(output=out, outsuffix="", encoding="UTF-8"))


# -- The runner ------------------------------------------------------------------


def _shard_argument(text):
    try:
        return sharding.Shard.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def failed_test_ids(result):
    """Ids of the tests that failed, each once however many of its subtests failed."""
    if isinstance(result, TimedResultMixin):
        return result.failed_ids
    # Django's own results for --debug-sql and --pdb.
    return {getattr(test, "test_case", test).id() for test, _ in [*result.failures, *result.errors]} | {
        test.id() for test in result.unexpectedSuccesses
    }


class TimedDiscoverRunner(DiscoverRunner):
    parallel_test_suite = TimedParallelTestSuite
    # The browser journeys are the longest classes: they go first, so that no
    # parallel worker is still in one at the end while the others are idle.
    reorder_by = (BrowserJourney, *DiscoverRunner.reorder_by)

    def __init__(self, *args, shard=None, junit_xml=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shard = shard
        self.junit_xml = junit_xml

    @classmethod
    def add_arguments(cls, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--shard",
            type=_shard_argument,
            metavar="K/N",
            help="Run only the k-th of N shards of about equal recorded run time (see project/sharding.py).",
        )
        parser.add_argument("--junit-xml", metavar="PATH", help="Also write the results to PATH as JUnit XML.")

    def test_suite(self, tests=()):
        """The suite of the discovered tests (build_suite() calls this before parallelising it)."""
        tests = list(tests)
        timings = sharding.load_timings()
        if self.shard is not None:
            chosen = sharding.select(tests, self.shard, timings)
            self.log(f"Shard {self.shard}: {len(chosen)} of {len(tests)} test(s).")
            tests = chosen
        if self.parallel > 1 and not self.shuffle and not self.reverse:
            tests = sharding.heaviest_classes_first(tests, timings, (unittest.loader._FailedTest, *self.reorder_by))
        return unittest.TestSuite(tests)

    def get_resultclass(self):
        return super().get_resultclass() or (JUnitXMLTestResult if self.junit_xml else TimedTextTestResult)

    def run_suite(self, suite, **kwargs):
        result = super().run_suite(suite, **kwargs)
        self.report(result)
        if self.junit_xml and isinstance(result, JUnitXMLTestResult):
            result.write_xml(self.junit_xml)
            self.log(f"JUnit XML: {self.junit_xml}")
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
        failed = len(failed_test_ids(result))
        skipped = len(result.skipped)
        # One line per reason (e.g. "Chromium not installed: apt-get install ..."),
        # however many tests it skipped.
        reasons = Counter(reason for _, reason in result.skipped)
        for reason, count in sorted(reasons.items()):
            self.log(f"Skipped {count}: {reason}")
        passed = result.testsRun - failed - skipped - len(result.expectedFailures)
        self.log(f"\n{passed} passed, {failed} failed, {skipped} skipped")
