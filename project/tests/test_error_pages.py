"""The site's own error pages: what a visitor sees when a page is missing or the server fails."""

from django.test import override_settings

from project.testing import ANONYMOUS, VIEWER, given
from project.testing_web import WebTestCase


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


class TestSomeoneReachingTheSiteByAnAddressItDoesNotServe(WebTestCase):
    def test_gets_the_400_page_saying_the_request_could_not_be_read(self):
        response = self.get(
            "/accounts/login/", user=ANONYMOUS, headers={"Host": "records.elsewhere.example"}, status=400
        )
        self.assertContains(response, "The request could not be read", status_code=400)
        self.assertEqual(response.content_type, "text/html")


class TestAMemberRefusedAPage(WebTestCase):
    role = VIEWER
    registrar = given("accounts.registrar", username="rita")
    newcomer = given("accounts.pending")

    def test_gets_the_403_page_with_their_navigation(self):
        response = self.get("/students/new/", status=403)

        self.assertContains(response, "You don't have permission to do that", status_code=403)
        self.assertEqual(len(response.html.select("#logout-form")), 1)
        self.assertEqual(response.html.select("#nav-login"), [])

    def test_as_a_viewer_changing_a_record_hears_a_viewer_only_looks_and_whom_to_ask(self):
        response = self.get("/students/new/", status=403)

        self.assertEqual(
            response.html.select_one("#refusal").get_text(),
            "Your account can look at records but not change them. Ask a registrar if something needs changing.",
        )
        self.assertIn("whose role is Viewer.", response.html.select_one("#signed-in-as").get_text())
        self.assertValidHtml(response)

    def test_opening_people_hears_it_is_for_administrators_never_about_viewers(self):
        for user in (self.registrar, self.user):
            for method, path in (
                ("GET", "/accounts/people/"),
                ("GET", f"/accounts/people/{self.newcomer.pk}/role/"),
                ("POST", f"/accounts/people/{self.newcomer.pk}/role/"),
            ):
                with self.subTest(user=user.username, method=method, path=path):
                    if method == "GET":
                        response = self.get(path, user=user, status=403)
                    else:
                        response = self.post(path, {"role": "administrator"}, user=user, status=403)

                    self.assertNoAccess(response)
                    self.assertEqual(
                        response.html.select_one("#refusal").get_text(),
                        "Only administrators can open the People page, where accounts get their roles. "
                        "Ask an administrator if an account needs a different role.",
                    )
                    if user == self.registrar:
                        self.assertNotIn("viewer", response.html.select_one("main").get_text().lower())
                        self.assertIn("whose role is Registrar.", response.html.select_one("#signed-in-as").get_text())
        self.assertEqual(self.newcomer.role, "none")


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

    def test_calling_the_api_gets_a_json_500_without_the_details_and_the_error_is_logged(self):
        with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False), self.assertLogs("django.request", "ERROR") as logs:
            response = self.get("/api/broken/", status=500)

        self.assertEqual(response.content_type, "application/json")
        self.assertEqual(response.json, {"detail": "Something went wrong on the server. Try again in a moment."})
        self.assertEqual(logs.output[0].splitlines()[0], "ERROR:django.request:Internal Server Error: /api/broken/")
        self.assertIn("RuntimeError: secret detail of a bug nobody caught", logs.output[0])
