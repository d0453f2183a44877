"""The suite's budgets (small in `make test`, full in `make test-deep`), and what mutmut learns
about the tests under `make mutation`.

pytest-django reads its settings from setup.cfg; the Makefile adds the parallel run. The
browser journeys share one worker through their base class (`BrowserTestCase`).
"""

import collections
import gc
import os

import pytest
from hypothesis import settings

from project.testing import DEEP

# pytester runs pytest in a test (project/tests/test_failed_tests.py).
pytest_plugins = ("pytester",)

# Examples per API operation for the schema fuzzing (about 15 operations): a few
# hundred cases in all in the loop, thousands deep. `make fuzz` picks the deep one
# with --hypothesis-profile=deep.
settings.register_profile("loop", max_examples=15)
settings.register_profile("deep", max_examples=200)
settings.load_profile("deep" if DEEP else "loop")


# -- the garbage collector ------------------------------------------------------------------------
def pytest_collection_finish(session):
    """Once the tests are collected (in each xdist worker), what exists lives for the whole run:
    Django, the plugins, the test modules. `gc.freeze()` takes it out of every later collection,
    and a larger first threshold runs the collector less often among the many short-lived objects
    of each request (parsed pages, querysets): Python's defaults (700, 10, 10) spent about a tenth
    of the run's CPU rescanning that heap. Garbage is still collected, in bigger batches."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


# -- a test whose subtest failed has failed ---------------------------------------------------------
_failed_subtests = collections.Counter()  # node id -> failed subtests of the test under way


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report):
    """pytest 9.1 reports a unittest test whose `subTest` failed as passed (it fails tests with
    its own `subtests` fixture). `--ff`, pytest's cache and pytest-testmon then forget the
    failure: `make watch` would rerun nothing at the next save and could show green while the bug
    is still there. Fail the test itself, as pytest does for its fixture; first, so every
    plugin (and, under xdist, the controller) gets the failed report."""
    if report.when != "call":
        return
    if isinstance(report, pytest.SubtestReport):
        _failed_subtests[report.nodeid] += report.failed
    elif (failed := _failed_subtests.pop(report.nodeid, 0)) and report.passed:
        report.outcome = "failed"
        report.longrepr = f"contains {failed} failed subtest{'s' if failed > 1 else ''}"


# -- make mutation (mutmut runs the suite in mutants/; MUTANT_UNDER_TEST says what for) --------
_reached_by_class = {}  # class node id -> the functions its first test reached


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    """While mutmut records which tests reach which function, credit what a class's setUpTestData
    reached (during its first test) to every test of the class: each of them relies on it."""
    if os.environ.get("MUTANT_UNDER_TEST") != "stats" or getattr(item, "cls", None) is None:
        return
    from mutmut.state import state

    reached = _reached_by_class.setdefault(item.parent.nodeid, set())
    if reached:
        state()._stats |= reached
    else:
        reached |= state()._stats


# -- the browser journeys share one worker ------------------------------------------------------
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """`--dist loadgroup` keeps a group together by a suffix on its node ids (`...@browser`).
    pytest 9.2 drops it silently (requirements/dev.txt): each journey would then be scheduled on
    its own, every worker would start a Chromium, and the run would take a third longer."""
    journeys = [nodeid for nodeid in ids if "/test_browser" in nodeid]
    if node.config.getvalue("dist") == "loadgroup" and not all(nodeid.endswith("@browser") for nodeid in journeys):
        raise pytest.UsageError(f"the browser journeys lost their xdist_group on {node.gateway.id}: {journeys[0]}")
