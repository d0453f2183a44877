"""Getting an API token for a username (or email) and password, and replacing it."""

from django.urls import reverse
from rest_framework.authtoken.models import Token

from project.testing import KNOWN_PASSWORD, REGISTRAR, make_user
from project.testing_web import ApiTestCase, WebTestCase

TOKEN = reverse("api:token")
STUDENTS = reverse("api:student-list")
BAD_CREDENTIALS = {"non_field_errors": ["Unable to log in with provided credentials."]}


class TestAClientAskingForAToken(WebTestCase):
    role = REGISTRAR

    def ask(self, username, password=KNOWN_PASSWORD, status=200, **kwargs):
        return self.app.post_json(TOKEN, {"username": username, "password": password}, status=status, **kwargs)

    def test_gets_the_token_of_its_username_and_password(self):
        response = self.ask(self.user.username)
        self.assertEqual(response.json, {"token": Token.objects.get(user=self.user).key})

    def test_gets_the_same_token_every_time(self):
        self.assertEqual(self.ask(self.user.username).json, self.ask(self.user.username).json)
        self.assertEqual(Token.objects.filter(user=self.user).count(), 1)

    def test_may_give_the_email_address_instead_of_the_username(self):
        self.assertEqual(self.ask(self.user.email).json, self.ask(self.user.username).json)

    def test_may_type_the_username_or_email_in_any_letter_case(self):
        expected = self.ask(self.user.username).json
        for name in (self.user.username.upper(), self.user.email.upper(), self.user.email.title()):
            with self.subTest(name=name):
                self.assertEqual(self.ask(name).json, expected)

    def test_uses_the_token_it_got_on_the_api(self):
        token = self.ask(self.user.username).json["token"]
        self.assertEqual(self.app.get(STUDENTS, headers=self.api_headers(token)).json["count"], 0)

    def test_is_refused_with_a_wrong_password(self):
        response = self.ask(self.user.username, password="wrong-password", status=400)
        self.assertApiError(response, 400, BAD_CREDENTIALS)
        self.assertFalse(Token.objects.filter(user=self.user).exists())

    def test_is_refused_for_a_name_nobody_has(self):
        self.assertApiError(self.ask("nobody", status=400), 400, BAD_CREDENTIALS)

    def test_is_refused_for_an_inactive_user(self):
        inactive = make_user(REGISTRAR, is_active=False)
        self.assertApiError(self.ask(inactive.username, status=400), 400, BAD_CREDENTIALS)
        self.assertFalse(Token.objects.filter(user=inactive).exists())

    def test_never_sees_the_password_in_the_log_of_a_failed_attempt(self):
        with self.assertLogs("apps.accounts", "WARNING") as logs:
            self.ask(self.user.username, password="s3cret-guess", status=400)
        self.assertNotIn("s3cret-guess", "\n".join(logs.output))

    def test_is_told_each_missing_field(self):
        response = self.app.post_json(TOKEN, {}, status=400)
        required = ["This field is required."]
        self.assertApiError(response, 400, {"username": required, "password": required})

    def test_must_send_json(self):
        form = {"username": self.user.username, "password": KNOWN_PASSWORD}
        response = self.app.post(TOKEN, form, status=415)
        self.assertApiError(
            response, 415, {"detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.'}
        )

    def test_gets_400_for_malformed_json(self):
        response = self.app.post(TOKEN, '{"username": ', content_type="application/json", status=400)
        self.assertApiError(response, 400)
        self.assertTrue(response.json["detail"].startswith("JSON parse error"), response.json)

    def test_cannot_get_a_token_with_get(self):
        self.assertApiError(self.app.get(TOKEN, status=405), 405, {"detail": 'Method "GET" not allowed.'})

    def test_is_not_turned_away_by_a_stale_token_still_in_its_headers(self):
        # Regression: the token view authenticated the header and answered 401 "Invalid token."
        response = self.ask(self.user.username, headers={"Authorization": "Token no-longer-valid"})
        self.assertEqual(response.json, {"token": Token.objects.get(user=self.user).key})

    def test_is_not_asked_for_a_csrf_token_when_its_browser_is_logged_in(self):
        # Regression: with a session, the token view enforced CSRF (403) on a plain JSON client.
        self.app.get(reverse("accounts:profile"), user=self.user)
        response = self.ask(self.user.username)
        self.assertEqual(response.json, {"token": Token.objects.get(user=self.user).key})


class TestARegistrarRegeneratingTheirToken(ApiTestCase):
    role = REGISTRAR

    def test_can_use_only_the_new_token_afterwards(self):
        page = self.app.get(reverse("accounts:profile"), user=self.user)
        self.assertEqual(page.html.select_one("#api-token").get_text(strip=True), self.token)
        page = page.click(linkid="regenerate-token").forms["regenerate-token-form"].submit().follow()
        new_token = page.html.select_one("#api-token").get_text(strip=True)
        self.assertNotEqual(new_token, self.token)
        self.assertEqual(Token.objects.get(user=self.user).key, new_token)

        self.app.reset()  # from here on, a client with nothing but a token
        response = self.api_get(STUDENTS, status=401)
        self.assertApiError(response, 401, {"detail": "Invalid token."})
        self.assertEqual(self.api_get(STUDENTS, token=new_token).status_code, 200)
