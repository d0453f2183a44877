"""Getting an API token and being recognised (or not) by the REST API."""

from django.urls import reverse
from rest_framework.authtoken.models import Token

from apps.students.models import Student
from project.testing import ANONYMOUS, KNOWN_PASSWORD, REGISTRAR, VIEWER, ApiTestCase, WebTestCase, given, make_user

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


class TestAnAnonymousClientKnockingOnTheApi(WebTestCase):
    role = ANONYMOUS

    def test_is_refused_with_a_token_that_does_not_exist(self):
        response = self.app.get(STUDENTS, headers=self.api_headers("0" * 40), status=401)
        self.assertApiError(response, 401, {"detail": "Invalid token."})
        self.assertEqual(response.headers["WWW-Authenticate"], "Token")

    def test_is_refused_with_a_malformed_authorization_header(self):
        cases = {
            "Token": "Invalid token header. No credentials provided.",
            "Token abc def": "Invalid token header. Token string should not contain spaces.",
            "Bearer abc": "Authentication credentials were not provided.",
        }
        for header, message in cases.items():
            with self.subTest(header=header):
                response = self.app.get(STUDENTS, headers={"Authorization": header}, status=401)
                self.assertApiError(response, 401, {"detail": message})


class TestAnInactiveUsersToken(ApiTestCase):
    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.user.is_active = False
        cls.user.save()

    def test_is_refused_by_the_api(self):
        response = self.api_get(STUDENTS, status=401)
        self.assertApiError(response, 401, {"detail": "User inactive or deleted."})


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


class TestABrowserSessionUsingTheApi(WebTestCase):
    role = REGISTRAR
    student = given("students.student", email="ada@school.example")

    def test_can_read_with_the_logged_in_session(self):
        response = self.app.get(STUDENTS, user=self.user)
        self.assertEqual([student["email"] for student in response.json["results"]], ["ada@school.example"])

    def test_cannot_write_with_the_session_alone(self):
        data = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@school.example"}
        response = self.app.post_json(STUDENTS, data, user=self.user, status=403)
        self.assertApiError(response, 403)
        self.assertTrue(response.json["detail"].startswith("CSRF Failed"), response.json)
        self.assertFalse(Student.objects.filter(email="grace@school.example").exists())

    def test_can_write_with_the_session_and_its_csrf_token(self):
        self.app.get(reverse("accounts:profile"), user=self.user)  # the page sets the csrftoken cookie
        data = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@school.example"}
        headers = {"X-CSRFToken": self.app.cookies["csrftoken"]}
        self.app.post_json(STUDENTS, data, user=self.user, headers=headers, status=201)
        self.assertTrue(Student.objects.filter(email="grace@school.example").exists())


class TestTheApiLog(ApiTestCase):
    role = REGISTRAR

    def test_never_shows_the_token_of_the_client(self):
        data = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@school.example"}
        with self.assertLogs("apps", "DEBUG") as logs:
            self.api_post(STUDENTS, data, status=201)
        self.assertNotIn(self.token, "\n".join(logs.output))
