"""The one harness every behaviour test builds on.

`WebTestCase` is django-webtest's `WebTest` in the django-oscar style: a class
attribute picks who is browsing, `self.get()`/`self.post()` act as that user,
and a few domain assertions keep each test to the story it tells.
CSRF checks stay on: forms are submitted the way a browser submits them.

`BrowserTestCase` is the same idea for the few journeys that need a real
browser (project/testing_browser.py, loaded on first use so that only the
browser tests pay for Selenium).
"""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_webtest import WebTest
from model_bakery import baker

from apps.accounts import baker_recipes

ANONYMOUS = None
VIEWER = "viewer"
REGISTRAR = "registrar"
SUPERUSER = "superuser"

# The password every recipe user can log in with (defined beside the recipes).
KNOWN_PASSWORD = baker_recipes.KNOWN_PASSWORD


def make_user(role, **attrs):
    """A saved user for `role` (None gives None, i.e. an anonymous visitor)."""
    if role is ANONYMOUS:
        return None
    return baker.make_recipe(f"accounts.{role}", **attrs)


def url(name_or_path, *args, **kwargs):
    """A URL name (with its arguments) or an already built path."""
    if name_or_path.startswith("/"):
        return name_or_path
    return reverse(name_or_path, args=args or None, kwargs=kwargs or None)


class WebTestCase(WebTest):
    """Base class for page tests; set `role` to browse as somebody."""

    role = ANONYMOUS
    csrf_checks = True

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.user = make_user(cls.role)

    # -- requests as the class's user ------------------------------------
    def _as(self, user):
        """django-webtest's `user=` argument for `user` (... means the class's user).

        Nobody (None) sends no user at all, so the request carries only what the
        session holds: an explicit `user=None` makes django-webtest try to
        authenticate an empty name, which the audit log would record as a failed login.
        """
        user = self.user if user is ... else user
        return {} if user is None else {"user": user}

    def get(self, path, *, user=..., **kwargs):
        return self.app.get(path, **self._as(user), **kwargs)

    def post(self, path, params=None, *, user=..., **kwargs):
        """A raw POST with a valid CSRF token (for buttons without a page to fill)."""
        # A page with a form sets the csrftoken cookie; an anonymous visitor's home page has none.
        self.app.get(url("home") if self._as(user) else url("accounts:login"), **self._as(user))
        params = dict(params or {})
        params.setdefault("csrfmiddlewaretoken", self.app.cookies.get(settings.CSRF_COOKIE_NAME, ""))
        return self.app.post(path, params, **self._as(user), **kwargs)

    def log_in(self, username, password, *, next_path=None):
        """Fill in and submit the login form as a visitor would; the unfollowed response."""
        login_url = url("accounts:login") + (f"?{urlencode({'next': next_path})}" if next_path else "")
        form = self.app.get(login_url).forms["login-form"]
        form["username"] = username
        form["password"] = password
        return form.submit()

    def api_headers(self, token):
        return {"Authorization": f"Token {token}", "Accept": "application/json"}

    @classmethod
    def token_for(cls, user):
        """`user`'s API token key, created on first use (fine in setUpTestData)."""
        from rest_framework.authtoken.models import Token

        return Token.objects.get_or_create(user=user)[0].key

    # -- domain assertions -----------------------------------------------
    def assertRedirectsTo(self, response, name_or_path, *args, **kwargs):
        """A redirect (301/302/303) whose target is the given page."""
        self.assertIn(response.status_code, (301, 302, 303), f"not a redirect: {response.status}")
        self.assertEqual(urlsplit(response.location).path, url(name_or_path, *args, **kwargs))

    def assertRedirectsToLogin(self, response, next_path):
        self.assertRedirectsTo(response, "accounts:login")
        self.assertEqual(parse_qs(urlsplit(response.location).query).get("next"), [next_path])

    def assertMessage(self, response, text, level=None):
        """`text` is among the flash messages shown on this (followed) page."""
        shown = [(message.message, message.level) for message in response.context["messages"]]
        self.assertIn(text, [message for message, _ in shown], f"messages shown: {shown}")
        if level is not None:
            self.assertIn((text, level), shown)
        self.assertContains(response, text)

    def assertNoAccess(self, response, path=None):
        """Anonymous visitors go to the login page; signed-in ones get the 403 page."""
        if self.user is None:
            self.assertRedirectsToLogin(response, path or response.request.path_qs)
        else:
            self.assertEqual(response.status_code, 403)
            self.assertContains(response, "You don't have permission to do that", status_code=403)

    def assertFieldError(self, response, form_id, field, text):
        """The form re-rendered (200) with `text` beside `field`."""
        self.assertEqual(response.status_code, 200)
        errors = response.html.select_one(f"form#{form_id} #errors-{field}")
        self.assertIsNotNone(errors, f"no errors shown for {field!r}")
        self.assertIn(text, errors.get_text())

    def assertQueryBudget(self, path, expected, add_rows):
        """`path` costs exactly `expected` queries with 1 row and with 30 (no N+1).

        `add_rows(n)` adds n more of the records the page lists.
        """
        counts = []
        for rows in (1, 29):
            add_rows(rows)
            self.get(path)  # warm-up: one-off caches (content types...) stay out of the count
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get(path).status_code, 200)
            counts.append(len(queries))
        sql = "\n".join(query["sql"] for query in queries.captured_queries)
        self.assertEqual(counts, [expected, expected], f"queries with 1 row, with 30 rows; last run:\n{sql}")

    def assertApiError(self, response, status, body=None):
        """A JSON answer with this error status (and exactly this body, when given)."""
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertEqual(response.content_type, "application/json")
        if body is not None:
            self.assertEqual(response.json, body)

    def assertLoggedInAs(self, user):
        session_user = self.app.session.get("_auth_user_id")
        self.assertEqual(session_user, str(user.pk) if user is not None else None)


_BROWSER_NAMES = {"BrowserTestCase", "chromium_installed", "CHROMIUM_MISSING"}


def __getattr__(name):
    if name in _BROWSER_NAMES:
        from project import testing_browser

        return getattr(testing_browser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
