"""Hostile bodies: deeply nested JSON gets a JSON 400, an oversized body a JSON 413, a body
sent without a length a JSON 411 (a 400 page on the site), never a 500 and never a silent loss.

Anonymous endpoints (the token, paths the API does not have) are held to the
same limits as the record endpoints.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse
from webtest import TestRequest

from apps.students.models import Course, Enrollment, Student
from project.api.parsers import MAX_JSON_DEPTH, TOO_DEEP, nesting_depth
from project.middleware import RequestBodyMiddleware
from project.testing import ANONYMOUS, KNOWN_PASSWORD, REGISTRAR, given
from project.testing_web import ApiTestCase

TOKEN = reverse("api:token")
TOO_BIG = {"detail": f"The request body is larger than the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."}


def nested(depth, inner="1"):
    """`[[[...1...]]]`, `depth` arrays deep, as JSON text."""
    return "[" * depth + inner + "]" * depth


class BodyLimitsTestCase(ApiTestCase):
    role = REGISTRAR
    student = given("students.student", first_name="Ada")
    enrollment = given("students.enrollment", student=student)

    def endpoints(self):
        """Every endpoint that takes a body, with who calls it."""
        student = reverse("api:student-detail", args=[self.student.pk])
        return [
            ("POST", TOKEN, ANONYMOUS),
            ("POST", "/api/no-such-endpoint/", ANONYMOUS),
            ("POST", reverse("api:student-list"), ...),
            ("PUT", student, ...),
            ("PATCH", student, ...),
            ("POST", reverse("api:course-list"), ...),
            ("POST", reverse("api:enrollment-list"), ...),
        ]

    def send(self, method, path, user, body, status):
        return self.app.request(
            path,
            method=method,
            body=body.encode(),
            headers={**self._api_headers(user, None, None), "Content-Type": "application/json"},
            status=status,
        )

    def edit_form_in_a_browser(self):
        """The student's edit page and form, opened in a logged-in session as a browser holds one."""
        self.log_in(self.user.username, KNOWN_PASSWORD)
        path = reverse("students:update", args=[self.student.pk])
        return path, self.get(path, user=None).forms["student-form"]

    def assertNothingChanged(self):
        self.assertEqual((Student.objects.count(), Course.objects.count(), Enrollment.objects.count()), (1, 1, 1))
        self.student.refresh_from_db()
        self.assertEqual(self.student.first_name, "Ada")


class TestAClientSendingDeeplyNestedJson(BodyLimitsTestCase):
    def test_gets_a_json_400_everywhere_for_thousands_of_brackets(self):
        for body in (nested(3000), '{"first_name": ' + nested(MAX_JSON_DEPTH) + "}", nested(100_000)):
            for method, path, user in self.endpoints()[:1] + self.endpoints()[2:]:
                with self.subTest(method=method, path=path, depth=body.count("[")):
                    response = self.send(method, path, user, body, status=400)

                    self.assertApiError(response, 400, {"detail": TOO_DEEP})
        self.assertNothingChanged()

    def test_gets_field_errors_for_nesting_within_the_limit(self):
        body = json.dumps({"first_name": json.loads(nested(MAX_JSON_DEPTH - 1))})

        response = self.send("PATCH", reverse("api:student-detail", args=[self.student.pk]), ..., body, status=400)

        self.assertApiError(response, 400, {"first_name": ["Not a valid string."]})
        self.assertNothingChanged()

    def test_gets_a_json_404_from_a_path_the_api_does_not_have(self):
        response = self.send("POST", "/api/no-such-endpoint/", ANONYMOUS, nested(5000), status=404)

        self.assertApiError(response, 404, {"detail": "Not found."})


class TestAClientSendingAnOversizedBody(BodyLimitsTestCase):
    def test_gets_a_json_413_everywhere(self):
        body = json.dumps({"notes": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
        for method, path, user in self.endpoints():
            with self.subTest(method=method, path=path, user=user):
                response = self.send(method, path, user, body, status=413)

                self.assertApiError(response, 413, TOO_BIG)
        self.assertNothingChanged()

    def test_is_heard_with_a_body_just_under_the_limit(self):
        notes = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 100)
        path = reverse("api:student-detail", args=[self.student.pk])

        response = self.send("PATCH", path, ..., json.dumps({"notes": notes}), status=200)

        self.assertEqual(len(response.json["notes"]), len(notes))
        self.student.refresh_from_db()
        self.assertEqual(self.student.notes, notes)


class TestAClientSendingAChunkedBody(BodyLimitsTestCase):
    """What a server hands on of `Transfer-Encoding: chunked`: no Content-Length, so Django reads nothing."""

    def send_chunked(self, method, path, headers, body, status):
        request = TestRequest.blank(
            path, dict(self.app.extra_environ), method=method, headers={**headers, "Transfer-Encoding": "chunked"}
        )
        request.body = body.encode()
        del request.environ["CONTENT_LENGTH"]
        return self.app.do_request(request, status=status, expect_errors=True)

    def test_gets_a_json_411_for_every_write_and_nothing_changes(self):
        student = reverse("api:student-detail", args=[self.student.pk])
        body = json.dumps({"first_name": "Grace", "last_name": "Hopper", "email": "grace@school.example"})
        for method, path, user in [*self.endpoints(), ("DELETE", student, ...)]:
            with self.subTest(method=method, path=path):
                headers = {**self._api_headers(user, None, None), "Content-Type": "application/json"}
                response = self.send_chunked(method, path, headers, body, status=411)

                self.assertApiError(
                    response,
                    411,
                    {"detail": "Send the body with a Content-Length header: a chunked body cannot be read here."},
                )
        self.assertNothingChanged()
        self.assertEqual(self.api_get(student).headers["ETag"], '"1"')

    def test_gets_a_400_page_for_a_form_still_logged_in_and_nothing_is_saved(self):
        path, form = self.edit_form_in_a_browser()
        form["first_name"] = "Grace"
        body = "&".join(f"{name}={value}" for name, value in form.submit_fields())
        headers = {"Content-Type": "application/x-www-form-urlencoded"}  # the app sends its cookies itself

        page = self.send_chunked("POST", path, headers, body, status=400)

        self.assertContains(page, "The request could not be read", status_code=400)
        self.assertContains(page, "Nothing was saved.", status_code=400)
        self.assertIsNotNone(page.html.select_one("#logout-form"), "the navigation bar shows them logged out")
        self.assertNothingChanged()
        self.assertEqual(Student.objects.get().version, 1)

    def test_is_heard_when_the_length_is_sent_as_well(self):
        request = RequestFactory().post(TOKEN, "{}", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked")

        response = RequestBodyMiddleware(lambda request: HttpResponse("heard"))(request)

        self.assertEqual(response.content, b"heard")


class TestAClientWhoseBodyIsCutShort(BodyLimitsTestCase):
    """A client that stops sending (a dropped connection): the server hands on the bytes that came,
    fewer than the `Content-Length` said."""

    def send_cut_short(self, method, path, headers, body, status):
        request = TestRequest.blank(path, dict(self.app.extra_environ), method=method, headers=headers)
        request.body = body.encode()[: len(body) // 2]
        request.environ["CONTENT_LENGTH"] = str(len(body))
        return self.app.do_request(request, status=status, expect_errors=True)

    def test_gets_a_json_400_for_every_write_and_nothing_is_saved(self):
        student = reverse("api:student-detail", args=[self.student.pk])
        # Half of each body is still JSON, valid for the endpoint: saved, it would be a record.
        bodies = {
            TOKEN: {"username": self.user.username, "password": KNOWN_PASSWORD},
            reverse("api:course-list"): {"code": "ART140", "title": "Drawing", "capacity": 4},
        }
        for method, path, user in self.endpoints():
            with self.subTest(method=method, path=path):
                body = json.dumps(bodies.get(path, {"first_name": "Grace", "last_name": "Hopper"}))
                body += " " * len(body)  # the JSON is the first half: what arrives is all of it
                headers = {**self._api_headers(user, None, None), "Content-Type": "application/json"}

                response = self.send_cut_short(method, path, headers, body, status=400)

                self.assertApiError(
                    response, 400, {"detail": "The request body ended before its Content-Length: send it again whole."}
                )
        self.assertNothingChanged()
        self.assertEqual(self.api_get(student).headers["ETag"], '"1"')

    def test_gets_a_400_page_for_a_form_and_the_notes_are_not_saved_cut_short(self):
        path, form = self.edit_form_in_a_browser()
        form["notes"] = "A long paragraph the registrar typed. " * 20
        fields = [(name, value) for name, value in form.submit_fields() if name != "notes"] + [
            ("notes", form["notes"].value)
        ]
        body = urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}

        page = self.send_cut_short("POST", path, headers, body, status=400)

        self.assertContains(page, "Nothing was saved.", status_code=400)
        self.assertIsNotNone(page.html.select_one("#logout-form"), "the navigation bar shows them logged in")
        self.assertNothingChanged()
        self.assertEqual(Student.objects.values_list("notes", "version").get(), ("", 1))


class TestTheBodyLimitOnItsOwn(SimpleTestCase):
    def test_lets_a_request_through_whose_length_header_is_not_a_number(self):
        """Servers refuse such a request themselves; should one pass it on, Django reads no body."""
        request = RequestFactory().post(TOKEN, "{}", content_type="application/json", CONTENT_LENGTH="lots")

        response = RequestBodyMiddleware(lambda request: HttpResponse("heard"))(request)

        self.assertEqual(response.content, b"heard")

    def test_lets_a_body_of_exactly_the_limit_through_and_not_one_byte_more(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        middleware = RequestBodyMiddleware(lambda request: HttpResponse("heard"))
        for length, status in ((limit, 200), (limit + 1, 413)):
            with self.subTest(length=length):
                request = RequestFactory().post(TOKEN, "x" * length, content_type="application/json")

                self.assertEqual(middleware(request).status_code, status)


class TestMeasuringNesting(SimpleTestCase):
    def test_counts_arrays_and_objects_at_any_depth(self):
        cases = [(1, 0), ("x", 0), ([], 1), ({"a": [1, {"b": []}]}, 4), ([[], [[[]]], []], 4)]
        for data, depth in cases:
            with self.subTest(data=data):
                self.assertEqual(nesting_depth(data), depth)

    def test_stops_counting_past_the_limit(self):
        self.assertEqual(nesting_depth(json.loads(nested(MAX_JSON_DEPTH + 5))), MAX_JSON_DEPTH + 1)
