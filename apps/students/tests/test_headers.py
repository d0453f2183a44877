"""Security headers on record pages, the export and the API.

No browser or proxy may keep a copy of personal data (`Cache-Control: no-store`);
every page runs only this site's own files (Content-Security-Policy).
"""

from django.urls import reverse
from model_bakery import baker

from apps.students.models import Student
from project.testing import ANONYMOUS, KNOWN_PASSWORD, REGISTRAR, given
from project.testing_web import ApiTestCase

POLICY = {
    "default-src 'self'",
    "img-src 'self' data:",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
}


class HeadersTestCase(ApiTestCase):
    def assertNotStored(self, response):
        self.assertIn("no-store", response.headers["Cache-Control"].split(", "), response.request.path_qs)
        self.assertIn("private", response.headers["Cache-Control"].split(", "))

    def assertPolicy(self, response):
        directives = {part.strip() for part in response.headers["Content-Security-Policy"].split(";")}
        self.assertEqual(directives, POLICY, response.request.path_qs)


class TestARegistrarLookingAtRecords(HeadersTestCase):
    role = REGISTRAR
    student = given("students.student")
    course = given("students.course")
    enrollment = given("students.enrollment", student=student, course=course)

    def test_gets_pages_no_one_may_store_that_run_only_the_sites_own_code(self):
        pages = [
            reverse("students:list"),
            reverse("students:list") + "?q=ada",
            reverse("students:detail", args=[self.student.pk]),
            reverse("students:create"),
            reverse("students:update", args=[self.student.pk]),
            reverse("students:delete", args=[self.student.pk]),
            reverse("courses:list"),
            reverse("courses:detail", args=[self.course.pk]),
            reverse("courses:update", args=[self.course.pk]),
        ]
        for path in pages:
            with self.subTest(path=path):
                response = self.get(path)

                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.content_type, "text/html")
                self.assertNotStored(response)
                self.assertPolicy(response)

    def test_gets_an_export_no_one_may_store(self):
        response = self.get(reverse("students:export"))

        self.assertEqual(response.content_type, "text/csv")
        self.assertNotStored(response)

    def test_gets_a_form_with_errors_and_a_saved_record_redirect_that_no_one_may_store(self):
        form = self.get(reverse("students:update", args=[self.student.pk])).forms["student-form"]
        form["email"] = "not-an-email"
        refused = form.submit()
        form = refused.forms["student-form"]
        form["email"] = "new.address@school.example"
        saved = form.submit()

        self.assertNotStored(refused)
        self.assertPolicy(refused)
        self.assertEqual(saved.status_code, 302)
        self.assertNotStored(saved)
        self.assertEqual(Student.objects.get(pk=self.student.pk).email, "new.address@school.example")

    def test_gets_api_answers_no_one_may_store_whatever_their_status(self):
        answers = [
            self.api_get(reverse("api:student-list")),
            self.api_get(reverse("api:student-detail", args=[self.student.pk])),
            self.api_get(reverse("api:course-list")),
            self.api_get(reverse("api:student-detail", args=[10**9]), status=404),
            self.api_post(reverse("api:student-list"), {}, status=400),
            self.api_get("/api/no-such-thing/", status=404),
        ]
        for response in answers:
            with self.subTest(path=response.request.path_qs, status=response.status_code):
                self.assertEqual(response.content_type, "application/json")
                self.assertNotStored(response)
        self.assertEqual(Student.objects.count(), 1)


class TestAnAnonymousVisitor(HeadersTestCase):
    role = ANONYMOUS

    def test_gets_api_refusals_and_the_token_that_no_one_may_store(self):
        user = baker.make_recipe("accounts.viewer")
        answers = [
            self.api_get(reverse("api:student-list"), status=401),
            self.app.post_json(reverse("api:token"), {"username": user.username, "password": "wrong"}, status=400),
            self.app.post_json(
                reverse("api:token"), {"username": user.username, "password": KNOWN_PASSWORD}, status=200
            ),
            self.app.get(reverse("api-schema")),
        ]
        for response in answers:
            with self.subTest(path=response.request.path_qs, status=response.status_code):
                self.assertNotStored(response)

    def test_gets_error_pages_under_the_policy(self):
        for path, status in ((reverse("students:list"), 302), ("/no-such-page/", 404)):
            with self.subTest(path=path):
                response = self.app.get(path, status=status)

                self.assertPolicy(response)
                self.assertNotStored(response)

    def test_gets_the_api_docs_under_the_policy(self):
        response = self.app.get(reverse("api-docs"))

        self.assertPolicy(response)
        self.assertEqual(response.html.select("script:not([src])"), [])

    def test_gets_static_files_that_may_be_cached(self):
        response = self.app.get("/static/css/site.css")

        self.assertNotIn("no-store", response.headers.get("Cache-Control", ""))
