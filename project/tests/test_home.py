"""The home page: a landing page for visitors, the student list for members (pending accounts: test_approval)."""

from project.testing import VIEWER
from project.testing_web import WebTestCase


class TestAnAnonymousVisitorBrowsing(WebTestCase):
    def test_sees_the_landing_page_on_the_home_page(self):
        page = self.get("/")

        self.assertContains(page, "Keep the school's students, courses and enrollments in one place.")
        self.assertIn("signup-form", page.click(linkid="home-signup").forms)
        self.assertIn("login-form", page.click(linkid="home-login").forms)
        self.assertContains(page, 'id="nav-login"')
        self.assertNotContains(page, 'id="logout-form"')
        self.assertLoggedInAs(None)


class TestAMemberOpeningTheHomePage(WebTestCase):
    role = VIEWER

    def test_is_sent_straight_to_the_student_list(self):
        response = self.get("/")

        self.assertRedirectsTo(response, "students:list")
        page = response.follow()
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'id="logout-form"')
        self.assertLoggedInAs(self.user)
