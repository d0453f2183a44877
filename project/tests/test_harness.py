"""The harness itself, where its behaviour is not already what every page test relies on."""

from functools import partial
from unittest import mock

from django.core.signals import request_started
from django.test.client import store_rendered_templates
from django.test.signals import template_rendered

from project.testing import ANONYMOUS, PENDING, REGISTRAR, SUPERUSER, VIEWER, make_user, url
from project.testing_web import ApiTestCase, WebTestCase


class TestAPageRequest(WebTestCase):
    role = SUPERUSER

    def test_leaves_no_template_listener_behind_and_still_fills_the_context(self):
        # django-webtest leaves its listener to the garbage collector, and a refused
        # admin form keeps it alive in a reference cycle until a full collection.
        self.assertFalse(template_rendered.has_listeners())

        for _ in range(3):
            form = self.get(url("admin:accounts_user_add")).forms["user_form"]
            form["username"] = "dorothy@school.example"
            refused = form.submit()
        shown = self.get(url("students:list"))

        self.assertFalse(template_rendered.has_listeners())
        self.assertIn("A username may not contain “@”", refused.context["adminform"].form.errors["username"][0])
        self.assertEqual(shown.templates[0].name, "students/student_list.html")
        self.assertEqual(shown.context["page_obj"].paginator.count, 0)

    def test_lets_go_of_its_listener_when_a_dead_one_left_the_same_key(self):
        # A signal keys a listener by its id(), and CPython gives a new listener the
        # address of one just freed: a request's listener can share the key of the
        # last request's, dead but still listed until the next connect.
        kept_alive = partial(store_rendered_templates, {})  # as a refused form's reference cycle keeps it
        dead = partial(store_rendered_templates, {})
        template_rendered.connect(dead, dispatch_uid=id(kept_alive))
        del dead
        self.addCleanup(template_rendered.disconnect, kept_alive)  # should the harness not

        # No request can choose the address CPython gives its listener: django-webtest is handed the colliding one.
        with mock.patch("django_webtest.partial", return_value=kept_alive):
            shown = self.get(url("students:list"))

        self.assertEqual(shown.status_code, 200)
        self.assertFalse(template_rendered.has_listeners())


class TestARawPost(WebTestCase):
    role = SUPERUSER

    def test_passes_the_csrf_check_with_the_browsers_token_and_fetches_no_page_for_it(self):
        requests = []

        def count(**kwargs):
            requests.append(kwargs["environ"]["PATH_INFO"])

        request_started.connect(count)
        self.addCleanup(request_started.disconnect, count)

        response = self.post(url("accounts:logout"))

        self.assertRedirectsTo(response, "home")
        self.assertEqual(requests, [url("accounts:logout")])
        self.assertLoggedInAs(None)

    def test_is_still_refused_with_a_token_that_is_not_the_browsers(self):
        response = self.post(url("accounts:logout"), {"csrfmiddlewaretoken": "x" * 32}, expect_errors=True)

        self.assertContains(response, "This form has expired", status_code=403)
        self.assertLoggedInAs(self.user)


class TestAFailedFormAssertion(WebTestCase):
    """A form that re-rendered with errors, where a test expected something else: the failure says
    what the page says is wrong, which is most often the real cause."""

    role = REGISTRAR

    def submit_an_empty_student(self):
        form = self.get(url("students:create")).forms["student-form"]
        form["email"] = "ada@school.example"
        return form.submit()

    def test_of_a_redirect_names_the_errors_the_page_shows(self):
        page = self.submit_an_empty_student()

        with self.assertRaises(AssertionError) as failure:
            self.assertRedirectsTo(page, "students:list")

        self.assertEqual(
            str(failure.exception),
            "not a redirect: 200 OK at /students/new/; the page shows errors: "
            "{'first_name': 'Enter the first name.', 'last_name': 'Enter the last name.'}",
        )

    def test_of_an_error_beside_a_field_without_one_names_the_fields_that_show_errors(self):
        page = self.submit_an_empty_student()

        with self.assertRaises(AssertionError) as failure:
            self.assertFieldError(page, "student-form", "email", "already exists")

        self.assertEqual(
            str(failure.exception),
            "no errors shown for 'email'; errors shown: "
            "{'first_name': 'Enter the first name.', 'last_name': 'Enter the last name.'}",
        )


class TestANoAccessAssertion(ApiTestCase):
    """It judges the refusal by whoever the request carried, not by the class's user (a viewer)."""

    role = VIEWER

    def test_on_a_page_the_user_got_into_names_the_path_and_the_user(self):
        page = self.get(url("students:list"))

        with self.assertRaises(AssertionError) as failure:
            self.assertNoAccess(page)

        self.assertEqual(str(failure.exception), f"{self.user.username!r} (Viewer) at GET /students/ got in: 200 OK")

    def test_judges_a_request_sent_as_nobody_as_an_anonymous_visitors(self):
        page = self.get(url("students:list"), user=ANONYMOUS)
        answer = self.api_get(url("api:student-list"), user=ANONYMOUS, status=401)

        self.assertNoAccess(page)
        self.assertNoAccess(answer)
        self.assertRedirectsToLogin(page, "/students/")
        self.assertEqual(answer.json, {"detail": "Authentication credentials were not provided."})

    def test_judges_a_request_sent_as_another_user_as_theirs(self):
        # A viewer gets the 403 page; an account waiting for approval the page saying so.
        page = self.get(url("students:list"), user=make_user(PENDING), status=403)

        self.assertNoAccess(page)
        self.assertContains(page, "Your account is waiting for approval by the office", status_code=403)

    def test_judges_a_request_that_carries_only_a_session_as_whoever_it_is_logged_in_as(self):
        waiting = make_user(PENDING)
        self.get(url("students:list"), user=waiting, status=403)  # `user=` logs the account in

        page = self.app.get(url("students:list"), status=403)

        self.assertNoAccess(page)
        self.assertContains(page, "Your account is waiting for approval by the office", status_code=403)
        self.assertLoggedInAs(waiting)
