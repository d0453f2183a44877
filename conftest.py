"""pytest hooks for the suite (pytest-django reads its settings from setup.cfg)."""

import json
import os

import pytest

# Class node id -> app functions reached while the class's first test ran.
_reached_by_class = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Under `make mutation`, credit what setUpTestData runs to every test of the class.

    mutmut learns which tests reach which function by watching each test in
    turn, and a TestCase's setUpTestData runs during its first test only. Without
    this, a mutant in code that builds the class's data (a management command,
    a service) would be tried against that first test alone and could survive
    although a later test of the class fails on it.
    """
    if os.environ.get("MUTANT_UNDER_TEST") != "stats" or getattr(item, "cls", None) is None:
        return
    from mutmut.state import state

    reached = _reached_by_class.setdefault(item.parent.nodeid, set())
    if reached:
        state()._stats |= reached
    else:
        reached |= state()._stats


def _seconds_by_class(items):
    """Each test class's seconds in mutmut's last full test run (mutants/mutmut-stats.json)."""
    try:
        with open("mutmut-stats.json") as stats:  # mutmut runs the tests from inside mutants/
            duration_by_test = json.load(stats)["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return {}
    seconds = {}
    for item in items:
        seconds[item.parent.nodeid] = seconds.get(item.parent.nodeid, 0) + duration_by_test.get(item.nodeid, 0)
    return seconds


def _commits(item):
    """A TransactionTestCase that is not a TestCase: it really commits, so it runs after the others."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    return cls is not None and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Under `make mutation`, try a mutant against the quickest test classes first.

    A mutant is caught at its first failing test (mutmut runs pytest with -x),
    and most are caught by a short, focused test; the slow tables and races then
    run only for the mutants that get past everything else. A class's tests stay
    together so that its setUpTestData runs once, and the classes that commit
    still run last, as pytest-django (whose ordering this replaces) and Django's
    runner order them.
    """
    if os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats", "list_all_tests", "mutant_generation"):
        return
    seconds = _seconds_by_class(items)
    items.sort(key=lambda item: (_commits(item), seconds.get(item.parent.nodeid, 0), item.parent.nodeid))
