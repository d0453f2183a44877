"""The one harness every behaviour test builds on.

`RecordsTestCase` is Django's `TestCase` with the records a class's tests
share declared as class attributes, `student = given("students.student",
email=...)`: the harness makes them (model-bakery recipes) in `setUpTestData`
and every test gets its own copy. The classes below build on it.

`WebTestCase` is django-webtest's `WebTest` in the django-oscar style: a class
attribute picks who is browsing (`role = VIEWER`), `self.get()`/`self.post()`
act as that user unless a call names another (`user=`), and a few domain
assertions keep each test to the story it tells.
CSRF checks stay on: forms are submitted the way a browser submits them.

`ApiTestCase` is the same for the REST API, the way a client uses it: the
class's user gets a token in `setUpTestData`, and `self.api_get()`,
`api_post()`, `api_put()`, `api_patch()`, `api_delete()` send JSON with the
real `Authorization: Token <key>` header, as the class's user or as the
`user=` of the call (Zulip's `api_get(user, url)`; `user=ANONYMOUS` sends no
credentials at all).

`BrowserTestCase` is the same idea for the few journeys that need a real
browser (project/testing_browser.py, loaded on first use so that only the
browser tests pay for Selenium).
"""

import csv
import io
from collections import Counter
from urllib.parse import parse_qs, urlencode, urlsplit

import html5lib
from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_webtest import WebTest
from model_bakery import baker
from webtest.utils import NoDefault

from apps.accounts import baker_recipes
from apps.accounts.roles import is_pending

# Who is acting: each role is the name of its recipe in apps/accounts/baker_recipes.py.
ANONYMOUS = None
PENDING = "pending"  # signed up, waiting for the office to give it a role
ROLELESS = "roleless"  # made in the admin without a group: treated like PENDING
VIEWER = "viewer"
REGISTRAR = "registrar"
ADMINISTRATOR = "administrator"
SUPERUSER = "superuser"

API_PREFIX = "/api/"
UNKNOWN_ID = 987654321  # no record has it
NOT_ALLOWED = {"detail": "You do not have permission to perform this action."}
NOT_APPROVED = {"detail": "Your account is waiting for approval by the office."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
NO_PERMISSION = "You don't have permission to do that"
AWAITING_APPROVAL = "Your account is waiting for approval by the office"

# The password every recipe user can log in with (defined beside the recipes).
KNOWN_PASSWORD = baker_recipes.KNOWN_PASSWORD

# Elements whose content must be phrasing content. A browser parses a list or
# a block inside them without complaint (so does html5lib), but it is invalid
# HTML and assistive technology may read it wrongly.
PHRASING_ONLY = {"button", "code", "em", "label", "small", "span", "strong"}
BLOCKS = {"div", "dl", "form", "h1", "h2", "h3", "ol", "p", "section", "table", "ul"}
# Attributes naming other elements by id (space-separated lists for ARIA).
ID_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


def make_user(role, **attrs):
    """A saved user for `role` (None gives None, i.e. an anonymous visitor)."""
    if role is ANONYMOUS:
        return None
    return baker.make_recipe(f"accounts.{role}", **attrs)


def token_for(user):
    """`user`'s API token key, created on first use (fine in setUpTestData)."""
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


def fill(form, data):
    """Type `data` ({field: value}) into a WebTest form, as a person would; the form."""
    for field, value in data.items():
        form[field] = value
    return form


def csv_rows(response):
    """The rows of a CSV download as a spreadsheet program reads them (the byte-order mark says UTF-8)."""
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def url(name_or_path, *args, **kwargs):
    """A URL name (with its arguments) or an already built path."""
    if name_or_path.startswith("/"):
        return name_or_path
    return reverse(name_or_path, args=args or None, kwargs=kwargs or None)


class Given:
    """A record the tests of a class share (see `given`)."""

    def __init__(self, recipe, attrs):
        self.recipe, self.attrs = recipe, attrs

    def __set_name__(self, owner, name):
        # Declared in a class body: remembered in order, after those the class inherits.
        owner.given_records = {**getattr(owner, "given_records", {}), name: self}

    def make(self, made):
        """The record(s), each attribute that is another `given` set to the record made for it."""
        attrs = {name: self.made_for(value, made) for name, value in self.attrs.items()}
        return baker.make_recipe(self.recipe, **attrs)

    @staticmethod
    def made_for(value, made):
        if not isinstance(value, Given):
            return value
        records = made[value]
        return iter(records) if isinstance(records, list) else records  # a `_quantity` one: each in turn


def given(recipe, **attrs):
    """Declare, as a class attribute, a record (or `_quantity=` records) every test of the class shares.

        ada = given("students.student", first_name="Ada", email="ada@school.example")
        math = given("students.course", code="MATH101")
        enrollment = given("students.enrollment", student=ada, course=math)

    `setUpTestData` makes them with `baker.make_recipe(recipe, **attrs)` in the
    order declared (a parent class's first); an attribute given as another
    declaration of the class is the record made for it (from a `_quantity=`
    one, its records in turn: `given("students.enrollment", course=courses, _quantity=2)`).
    """
    return Given(recipe, attrs)


class RecordsTestCase(TestCase):
    """Django's TestCase that makes the class's `given(...)` records in setUpTestData."""

    given_records = {}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        made = {}
        for name, declared in cls.given_records.items():
            made[declared] = declared.make(made)
            setattr(cls, name, made[declared])


class WebTestCase(RecordsTestCase, WebTest):
    """Base class for page tests; set `role` to browse as somebody.

    `self.user` (made first) is that somebody; `given(...)` records come next.
    """

    role = ANONYMOUS
    csrf_checks = True

    @classmethod
    def setUpTestData(cls):
        cls.user = make_user(cls.role)
        super().setUpTestData()

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
        """What a client holding `token` (any key, even a stale one) sends."""
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

    def assertNoAccess(self, response, path=None, *, user=...):
        """`user` (the class's by default: pass the call's) was refused.

        On pages anonymous visitors go to the login page, accounts without a role
        get the page saying the office will approve them and everyone else the
        403 page; the API answers 401 JSON asking for a token, or 403 JSON.
        """
        user = self.user if user is ... else user
        if response.request.path.startswith(API_PREFIX):
            if user is None:
                self.assertApiError(response, 401, NO_CREDENTIALS)
                self.assertEqual(response.headers["WWW-Authenticate"], "Token")
            else:
                self.assertApiError(response, 403, NOT_APPROVED if is_pending(user) else NOT_ALLOWED)
            return
        if user is None:
            self.assertRedirectsToLogin(response, path or response.request.path_qs)
            return
        self.assertEqual(response.status_code, 403, response.status)
        pages = (AWAITING_APPROVAL, NO_PERMISSION)
        expected, other = pages if is_pending(user) else reversed(pages)
        self.assertContains(response, expected, status_code=403)
        self.assertNotContains(response, other, status_code=403)

    def assertFieldError(self, response, form_id, field, text):
        """The form re-rendered (200) with `text` beside `field`."""
        self.assertEqual(response.status_code, 200)
        errors = response.html.select_one(f"form#{form_id} #errors-{field}")
        self.assertIsNotNone(errors, f"no errors shown for {field!r}")
        self.assertIn(text, errors.get_text())

    def assertQueryBudget(self, path, expected, add_rows, **request):
        """`path` costs exactly `expected` queries with 1 row and with 30 (no N+1).

        `add_rows(n)` adds n more of the records the page lists; `request` goes
        with each request (e.g. `params=`). The two responses (1 row, 30 rows)
        are returned, to check that they list the rows.
        """
        counts, responses = [], []
        for rows in (1, 29):
            add_rows(rows)
            self.request_for_budget(path, **request)  # warm-up: one-off caches (content types...) stay out
            with CaptureQueriesContext(connection) as queries:
                response = self.request_for_budget(path, **request)
            self.assertEqual(response.status_code, 200)
            counts.append(len(queries))
            responses.append(response)
        sql = "\n".join(query["sql"] for query in queries.captured_queries)
        self.assertEqual(counts, [expected, expected], f"queries with 1 row, with 30 rows; last run:\n{sql}")
        return responses

    def request_for_budget(self, path, **request):
        """The request `assertQueryBudget` counts: a page as the class's user."""
        return self.get(path, **request)

    def assertApiError(self, response, status, body=None):
        """A JSON answer with this error status (and exactly this body, when given)."""
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertEqual(response.content_type, "application/json")
        if body is not None:
            self.assertEqual(response.json, body)

    def assertValidHtml(self, response):
        """The page parses as HTML without errors, its ids are unique and every
        reference to an id (label `for`, ARIA, in-page links) finds its element."""
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        document = parser.parse(response.content, transport_encoding=response.charset)
        problems = [
            f"line {line} col {col}: " + html5lib.constants.E.get(code, code) % data
            for (line, col), code, data in parser.errors
        ]
        elements = list(document.iter())
        ids = Counter(element.get("id") for element in elements if element.get("id") is not None)
        problems += [f"id {name!r} is used {count} times" for name, count in ids.items() if count > 1]
        for element in elements:
            for attribute in ID_REFERENCES:
                for target in (element.get(attribute) or "").split():
                    if target not in ids:
                        problems.append(f"<{element.tag} {attribute}={target!r}> names no element")
            href = element.get("href") or ""
            if element.tag == "a" and href.startswith("#") and len(href) > 1 and href[1:] not in ids:
                problems.append(f"<a href={href!r}> leads nowhere on the page")
            if element.tag in PHRASING_ONLY:
                blocks = sorted({inner.tag for inner in element.iter() if inner.tag in BLOCKS})
                if blocks:
                    problems.append(f"<{element.tag}> holds block content: {', '.join(blocks)}")
        self.assertEqual(problems, [], f"invalid HTML at {response.request.path_qs}")

    def assertRecordLogged(self, logs, event, record, *, user=...):
        """`logs` (from `assertLogs("apps.students")`) is exactly one audit line:
        `event` ("student created pk=7") on `record` (as the office reads it) by `user`."""
        user = self.user if user is ... else user
        self.assertEqual(logs.output, [f"INFO:apps.students:{event} record={record!r} by user_id={user.pk}"])

    def assertLoggedInAs(self, user):
        session_user = self.app.session.get("_auth_user_id")
        self.assertEqual(session_user, str(user.pk) if user is not None else None)


class ApiTestCase(WebTestCase):
    """Base class for REST API tests; set `role` to call as somebody.

    `self.token` is the class's user's key. Each `api_*` helper sends JSON and
    the real `Authorization: Token` header of the class's user, or of `user=`
    (another user, or ANONYMOUS for no credentials), or exactly `token=` (a
    stale or made-up key). Other keywords go to WebTest (`status=`,
    `params=`, `headers=`).
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.token = token_for(cls.user) if cls.user is not None else None

    def _api_headers(self, user, token, headers):
        if token is None:
            user = self.user if user is ... else user
            if user is not None:
                token = self.token if user == self.user else token_for(user)
        credentials = self.api_headers(token) if token is not None else {"Accept": "application/json"}
        return {**credentials, **(headers or {})}

    def api_get(self, path, params=None, *, user=..., token=None, headers=None, **kwargs):
        return self.app.get(path, params, headers=self._api_headers(user, token, headers), **kwargs)

    def api_post(self, path, data=NoDefault, *, user=..., token=None, headers=None, **kwargs):
        return self.app.post_json(path, data, headers=self._api_headers(user, token, headers), **kwargs)

    def api_put(self, path, data=NoDefault, *, user=..., token=None, headers=None, **kwargs):
        return self.app.put_json(path, data, headers=self._api_headers(user, token, headers), **kwargs)

    def api_patch(self, path, data=NoDefault, *, user=..., token=None, headers=None, **kwargs):
        return self.app.patch_json(path, data, headers=self._api_headers(user, token, headers), **kwargs)

    def api_delete(self, path, *, user=..., token=None, headers=None, **kwargs):
        return self.app.delete(path, headers=self._api_headers(user, token, headers), **kwargs)

    def request_for_budget(self, path, **request):
        """The request `assertQueryBudget` counts: an API call as the class's user."""
        return self.api_get(path, **request)


_BROWSER_NAMES = {"BrowserTestCase", "chromium_installed", "CHROMIUM_MISSING"}


def __getattr__(name):
    if name in _BROWSER_NAMES:
        from project import testing_browser

        return getattr(testing_browser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
