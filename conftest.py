"""The suite's budgets: small in `make test`, full in `make test-deep` (TEST_DEPTH=deep).

pytest-django reads its settings from setup.cfg; the Makefile adds the parallel
run. The browser journeys share one worker through their base class
(`BrowserTestCase`, project/testing_browser.py).
"""

from hypothesis import settings

from project.testing import DEEP

# Examples per API operation for the schema fuzzing (about 15 operations): a few
# hundred cases in all in the loop, thousands deep. `make fuzz` picks the deep one
# with --hypothesis-profile=deep.
settings.register_profile("loop", max_examples=15)
settings.register_profile("deep", max_examples=200)
settings.load_profile("deep" if DEEP else "loop")
