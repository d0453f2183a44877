"""pytest hooks for the suite (pytest-django reads its settings from setup.cfg)."""

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
