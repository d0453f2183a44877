from django.contrib import messages

from project.testing import KNOWN_PASSWORD, VIEWER
from project.testing_web import WebTestCase


class TestAMemberLoggingOut(WebTestCase):
    role = VIEWER

    def setUp(self):
        super().setUp()
        self.log_in(self.user.username, KNOWN_PASSWORD)
        self.assertLoggedInAs(self.user)

    def test_uses_the_button_in_the_navigation_bar_and_is_logged_out(self):
        page = self.get("/accounts/profile/", user=None)

        response = page.forms["logout-form"].submit()

        self.assertRedirectsTo(response, "home")
        home = response.follow()
        self.assertMessage(home, "You have been logged out.", level=messages.INFO)
        self.assertContains(home, 'id="nav-login"')
        self.assertNotContains(home, 'id="logout-form"')
        self.assertLoggedInAs(None)
        self.assertRedirectsToLogin(self.get("/accounts/profile/", user=None), "/accounts/profile/")

    def test_cannot_be_logged_out_by_a_link(self):
        response = self.get("/accounts/logout/", user=None, expect_errors=True)

        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.headers["Allow"], "POST, OPTIONS")
        self.assertLoggedInAs(self.user)
        self.assertEqual(self.get("/accounts/profile/", user=None).status_code, 200)

    def test_who_follows_a_link_to_log_out_is_offered_the_button_and_logged_out_by_it(self):
        page = self.get("/accounts/logout/", user=None, status=405)

        self.assertEqual(page.html.select_one("h1").get_text(), "Log out?")
        self.assertValidHtml(page)
        self.assertLoggedInAs(self.user)
        response = page.forms["logout-page-form"].submit()
        self.assertRedirectsTo(response, "home")
        self.assertMessage(response.follow(), "You have been logged out.", level=messages.INFO)
        self.assertLoggedInAs(None)
