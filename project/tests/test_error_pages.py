"""The site's own error pages: what a visitor sees when a page is missing or the server fails."""

from django.test import override_settings

from project.testing import ANONYMOUS, VIEWER, WebTestCase, given


class TestSomeoneAskingForAPageThatDoesNotExist(WebTestCase):
    viewer = given("accounts.viewer")

    def assertNotFoundPage(self, response):
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(response, '<a href="/">Back to Student Records</a>', status_code=404, html=True)

    def test_gets_the_404_page_with_a_way_back_and_to_log_in_when_anonymous(self):
        response = self.get("/no-such-page/", user=ANONYMOUS, status=404)
        self.assertNotFoundPage(response)
        self.assertEqual(len(response.html.select("#nav-login")), 1)

    def test_gets_the_404_page_with_their_navigation_when_signed_in(self):
        response = self.get("/no-such-page/", user=self.viewer, status=404)
        self.assertNotFoundPage(response)
        self.assertEqual(len(response.html.select("#logout-form")), 1)


class TestAMemberRefusedAPage(WebTestCase):
    role = VIEWER

    def test_gets_the_403_page_with_their_navigation(self):
        response = self.get("/students/new/", status=403)

        self.assertContains(response, "You don't have permission to do that", status_code=403)
        self.assertEqual(len(response.html.select("#logout-form")), 1)
        self.assertEqual(response.html.select("#nav-login"), [])


@override_settings(ROOT_URLCONF="project.tests.urls_with_a_broken_view")
class TestSomeoneMeetingAServerError(WebTestCase):
    role = VIEWER

    def test_gets_the_500_page_without_the_details_and_the_error_is_logged(self):
        # django-webtest lets errors escape to the test; a real server answers with the 500 page.
        with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False), self.assertLogs("django.request", "ERROR") as logs:
            response = self.get("/broken/", status=500)
        self.assertContains(response, "Something went wrong", status_code=500)
        self.assertNotContains(response, "secret detail", status_code=500)
        self.assertContains(response, '<a href="/">Back to Student Records</a>', status_code=500, html=True)
        self.assertEqual(logs.output[0].splitlines()[0], "ERROR:django.request:Internal Server Error: /broken/")
        self.assertIn("RuntimeError: secret detail of a bug nobody caught", logs.output[0])
