"""The Content-Security-Policy as Chromium enforces it: nothing the site needs is blocked."""

from django.test import tag

from project.testing import REGISTRAR, make_user
from project.testing_browser import BrowserTestCase

# Runs before any page script (CDP scripts are exempt from the page's policy)
# and keeps every violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@tag("browser")
class TestAVisitorInTheBrowserUnderTheSecurityPolicy(BrowserTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # This class's own browser: the watcher goes when it quits.
        cls.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})

    def violations(self):
        return self.driver.execute_script("return window.__cspViolations;")

    def test_reads_the_api_docs_with_every_operation_listed(self):
        self.open("api-docs")

        self.wait_for_text("Student Records API", ".swagger-ui")
        self.find(".opblock-summary-path[data-path='/api/students/']")
        self.assertGreaterEqual(len(self.find_all(".opblock")), 10)
        self.assertEqual(self.violations(), [])

    def test_works_through_the_record_pages_without_anything_blocked(self):
        self.log_in_by_session(make_user(REGISTRAR))  # the login form's own journeys are in accounts
        for page in ("students:list", "students:create", "courses:list", "accounts:profile"):
            with self.subTest(page=page):
                self.open(page)

                self.assertEqual(self.violations(), [])
