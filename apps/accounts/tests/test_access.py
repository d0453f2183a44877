from project.testing import VIEWER, WebTestCase


class TestAnAnonymousVisitorBrowsing(WebTestCase):
    def test_is_sent_to_log_in_first_for_private_pages(self):
        for path in ("/accounts/profile/", "/accounts/password/change/", "/students/", "/courses/"):
            with self.subTest(path=path):
                response = self.get(path)

                self.assertRedirectsToLogin(response, path)
                login_page = response.follow()
                self.assertEqual(login_page.forms["login-form"]["next"].value, path)

    def test_cannot_regenerate_a_token(self):
        response = self.post("/accounts/profile/token/")

        self.assertRedirectsToLogin(response, "/accounts/profile/token/")

    def test_can_open_the_public_pages(self):
        for path in (
            "/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/accounts/password/reset/done/",
            "/accounts/password/reset/complete/",
            "/healthz",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status_code, 200)

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
