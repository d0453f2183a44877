"""Being recognised (or not) by the REST API: a token header, a browser session, neither."""

from django.urls import reverse

from apps.students.models import Student
from project.testing import ANONYMOUS, REGISTRAR, VIEWER, given
from project.testing_web import ApiTestCase, WebTestCase

STUDENTS = reverse("api:student-list")


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
