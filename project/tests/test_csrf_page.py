"""The site's "form expired" page: a form posted without its CSRF token is refused and changes nothing."""

from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from project.testing import KNOWN_PASSWORD, VIEWER
from project.testing_web import WebTestCase


class TestAFormPostedWithoutItsSecurityToken(WebTestCase):
    """A forged or stale form (no CSRF token) is refused and changes nothing."""

    role = VIEWER

    def assertFormExpired(self, response):
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "This form has expired", status_code=403)

    def test_does_not_create_an_account(self):
        users_before = User.objects.count()
        self.app.get("/accounts/signup/")  # the browser holds a CSRF cookie, the post has no token

        response = self.app.post(
            "/accounts/signup/",
            {
                "username": "forged",
                "email": "forged@school.example",
                "first_name": "Forged",
                "last_name": "Visitor",
                "password1": "Xy-12345678",
                "password2": "Xy-12345678",
            },
            expect_errors=True,
        )

        self.assertFormExpired(response)
        self.assertEqual(User.objects.count(), users_before)
        self.assertFalse(User.objects.filter(username="forged").exists())
        self.assertLoggedInAs(None)

    def test_does_not_log_anybody_in(self):
        response = self.app.post(
            "/accounts/login/", {"username": self.user.username, "password": KNOWN_PASSWORD}, expect_errors=True
        )

        self.assertFormExpired(response)
        self.assertLoggedInAs(None)

    def test_does_not_replace_the_api_token(self):
        token = Token.objects.create(user=self.user)

        response = self.app.post("/accounts/profile/token/", {}, user=self.user, expect_errors=True)

        self.assertFormExpired(response)
        self.assertEqual(Token.objects.get(user=self.user).key, token.key)
        # The refusal page still knows who is signed in: their navigation shows.
        self.assertEqual(len(response.html.select("#logout-form")), 1)

    def test_does_not_change_the_password(self):
        response = self.app.post(
            "/accounts/password/change/",
            {"old_password": KNOWN_PASSWORD, "new_password1": "Forged-Pass-2024", "new_password2": "Forged-Pass-2024"},
            user=self.user,
            expect_errors=True,
        )

        self.assertFormExpired(response)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(KNOWN_PASSWORD))
