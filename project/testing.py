"""The one harness every behaviour test builds on.

`WebTestCase` is django-webtest's `WebTest` in the django-oscar style: a class
attribute picks who is browsing, `self.get()`/`self.post()` act as that user,
and a few domain assertions keep each test to the story it tells.
CSRF checks stay on: forms are submitted the way a browser submits them.
"""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.urls import reverse
from django_webtest import WebTest
from model_bakery import baker

ANONYMOUS = None
VIEWER = "viewer"
REGISTRAR = "registrar"
SUPERUSER = "superuser"

# The password every recipe user can log in with through the real login form.
KNOWN_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


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
    def get(self, path, *, user=..., **kwargs):
        return self.app.get(path, user=self.user if user is ... else user, **kwargs)

    def post(self, path, params=None, *, user=..., **kwargs):
        """A raw POST with a valid CSRF token (for buttons without a page to fill)."""
        user = self.user if user is ... else user
        self.app.get(url("home"), user=user)  # sets the csrftoken cookie
        params = dict(params or {})
        params.setdefault("csrfmiddlewaretoken", self.app.cookies.get(settings.CSRF_COOKIE_NAME, ""))
        return self.app.post(path, params, user=user, **kwargs)

    def api_headers(self, token):
        return {"Authorization": f"Token {token}", "Accept": "application/json"}

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

    def assertLoggedInAs(self, user):
        session_user = self.app.session.get("_auth_user_id")
        self.assertEqual(session_user, str(user.pk) if user is not None else None)
