"""The page and API half of the harness: `WebTestCase` and `ApiTestCase`
(described in project/testing.py).

Import them from here (`from project.testing_web import WebTestCase`); they live
apart from project/testing.py so that tests of models and rules alone do not pay
for loading django-webtest.
"""

import weakref
from collections import Counter
from importlib import import_module
from urllib.parse import parse_qs, urlencode, urlsplit

import html5lib
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string
from django_webtest import DjangoTestApp, WebTest
from django_webtest.backends import WebtestUserBackend
from rest_framework.authtoken.models import Token
from webtest.utils import NoDefault

from apps.accounts.models import User
from apps.accounts.roles import ROLE_LABELS, is_pending, role_of
from apps.students.models import Course, Enrollment, Student
from project.testing import (
    ANONYMOUS,
    API_PREFIX,
    AWAITING_APPROVAL,
    NO_CREDENTIALS,
    NO_PERMISSION,
    NOT_ALLOWED,
    NOT_APPROVED,
    RecordsTestCase,
    make_user,
    token_for,
    url,
)

# What a request could change: each table with the columns compared (sessions and last logins aside).
WATCHED_COLUMNS = [
    (Student, "*"),
    (Course, "*"),
    (Enrollment, "*"),
    (User, "id, username, email, password, is_active"),
    (User.groups.through, "user_id, group_id"),
    (Group, "id, name"),
    (Token, "key, user_id"),
]


def database_state():
    """Every watched row, read in plain SQL, to compare before and after a request
    (a refusal or a GET leaves it as it was). The access table asks for it about 1,100 times."""
    with connection.cursor() as cursor:
        state = {}
        for model, columns in WATCHED_COLUMNS:
            table, pk = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")  # noqa: S608 - names from the models
            state[model._meta.label] = cursor.fetchall()
        return state


# Elements whose content must be phrasing content. A browser parses a list or
# a block inside them without complaint (so does html5lib), but it is invalid
# HTML and assistive technology may read it wrongly.
PHRASING_ONLY = {"button", "code", "em", "label", "small", "span", "strong"}
BLOCKS = {"div", "dl", "form", "h1", "h2", "h3", "ol", "p", "section", "table", "ul"}
# Attributes naming other elements by id (space-separated lists for ARIA).
ID_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


def errors_shown(html):
    """What a page, or one form of it (`html`: its parsed element), says is wrong: {field: the text
    of its errors} for each field showing some, and the errors about the whole form under "__all__"
    (as `form.errors` has them). The site's forms and Django's admin alike render a field's errors
    as <ul class="errorlist" id="id_<field>_error">."""
    shown = {
        errors["id"].removeprefix("id_").removesuffix("_error"): errors.get_text(" ", strip=True)
        for errors in html.select('ul.errorlist[id^="id_"][id$="_error"]')
    }
    # The site's error summary lists them without a link to a field; the admin in a list of their own.
    whole_form = html.select("#error-summary li:not(:has(a)), ul.errorlist.nonfield li")
    if whole_form:
        shown["__all__"] = " ".join(item.get_text(" ", strip=True) for item in whole_form)
    return shown


def what_the_page_says(response):
    """For a failure message: the errors a page shows, or what else it is (its title, or the start of
    a body that is not HTML)."""
    if "html" not in response.content_type:
        return f"it answered {response.content_type or 'no content type'}: {response.text[:300]!r}"
    if errors := errors_shown(response.html):
        return f"the page shows errors: {errors}"
    title = response.html.title.get_text(strip=True) if response.html.title else "no title"
    return f"the page ({title!r}) shows no form errors"


def user_of_request(request):
    """Who a request (WebTest's, as it was sent) acted as: the owner of its API token, else the
    `user=` it was sent with, else whoever its session was logged in as; None for nobody."""
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Token "):
        return User.objects.filter(auth_token__key=authorization.removeprefix("Token ")).first()
    if username := request.environ.get("WEBTEST_USER"):
        return User.objects.get_by_natural_key(username)
    session_key = request.cookies.get(settings.SESSION_COOKIE_NAME)
    if session_key is None:
        return None
    user_id = import_module(settings.SESSION_ENGINE).SessionStore(session_key).get(SESSION_KEY)
    return User.objects.filter(pk=user_id).first() if user_id is not None else None


def who(user):
    """How a failure message names `user`: "'ada' (Registrar)", or "an anonymous visitor"."""
    if user is None:
        return "an anonymous visitor"
    role = "superuser" if user.is_superuser else ROLE_LABELS[role_of(user)]
    return f"{user.get_username()!r} ({role})"


def html_problems(response):
    """What is wrong with a page's HTML, one line each: parse errors, ids used twice, references to
    an id (label `for`, ARIA, in-page links) that find no element, blocks inside phrasing elements."""
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
    return problems


class TestApp(DjangoTestApp):
    """django-webtest's app, letting go of its template listener after each request.

    django-webtest connects a listener to `template_rendered` for every request
    (what fills `response.context`) and leaves it to the garbage collector.
    Until a full collection runs, every later template render copied its
    context into each listener still alive: dozens, on every page.
    """

    def __init__(self, *args, **kwargs):
        # lxml (C) parses `response.html` and `response.forms` several times faster than html.parser.
        super().__init__(*args, parser_features="lxml", **kwargs)

    def do_request(self, req, status, expect_errors):
        # The listeners themselves, not their keys: a key is the listener's id(),
        # and a dead listener's entry may share it with this request's new one.
        before = _template_listeners()
        try:
            return super().do_request(req, status, expect_errors)
        finally:
            for listener in _template_listeners():
                if not any(listener is known for known in before):
                    template_rendered.disconnect(listener)


class UserOfTheCall(WebtestUserBackend):
    """django-webtest's backend for `user=`, which only logs that user in (the test settings'
    WEBTEST_AUTHENTICATION_BACKEND). django-webtest puts its backend first, and Django's
    ModelBackend under it would answer every permission check itself, with its own queries:
    the site's own backends (AUTHENTICATION_BACKENDS) answer them, as they do for everyone else."""

    def get_all_permissions(self, user_obj, obj=None):
        return set()


def _template_listeners():
    """The listeners of `template_rendered` still alive."""
    receivers = (receiver for _, receiver, *_ in template_rendered.receivers)
    listeners = (receiver() if isinstance(receiver, weakref.ReferenceType) else receiver for receiver in receivers)
    return [listener for listener in listeners if listener is not None]


class WebTestCase(RecordsTestCase, WebTest):
    """Base class for page tests; set `role` to browse as somebody.

    `self.user` (made first) is that somebody; `given(...)` records come next.
    """

    role = ANONYMOUS
    csrf_checks = True
    app_class = TestApp

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
        """A raw POST with a valid CSRF token (for buttons without a page to fill).

        The browser's csrftoken cookie (a new secret when no page has set one yet)
        goes back in the form, as a page's form sends it: no page is fetched for it.
        """
        secret = self.app.cookies.get(settings.CSRF_COOKIE_NAME)
        if secret is None:
            secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
            self.app.set_cookie(settings.CSRF_COOKIE_NAME, secret)
        params = dict(params or {})
        params.setdefault("csrfmiddlewaretoken", secret)
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
        if response.status_code not in (301, 302, 303):
            # Most often a form that re-rendered: what it says is wrong is the cause.
            where = response.request.path_qs
            self.fail(f"not a redirect: {response.status} at {where}; {what_the_page_says(response)}")
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
        """Whoever made the request (`user=` says it, when the request cannot) was refused.

        On pages anonymous visitors go to the login page, accounts without a role
        get the page saying the office will approve them and everyone else the
        403 page; the API answers 401 JSON asking for a token, or 403 JSON.
        """
        # Who the request carried (its token, its `user=`, its session), not the class's user:
        # a request sent with `user=ANONYMOUS` is judged as an anonymous visitor's.
        user = user_of_request(response.request) if user is ... else user
        where = f"{who(user)} at {response.request.method} {response.request.path_qs}"
        if response.status_code < 300:
            self.fail(f"{where} got in: {response.status}")
        answer = response.status + (f" to {response.location}" if response.location else "")
        if response.request.path.startswith(API_PREFIX):
            if user is None:
                self.assertApiError(response, 401, NO_CREDENTIALS, where)
                self.assertEqual(response.headers["WWW-Authenticate"], "Token", where)
            else:
                self.assertApiError(response, 403, NOT_APPROVED if is_pending(user) else NOT_ALLOWED, where)
            return
        if user is None:
            self.assertEqual(response.status_code, 302, f"{where}: {answer}, not the way to the login page")
            self.assertRedirectsToLogin(response, path or response.request.path_qs)
            return
        self.assertEqual(response.status_code, 403, f"{where}: {answer}, not the 403 page")
        pages = (AWAITING_APPROVAL, NO_PERMISSION)
        expected, other = pages if is_pending(user) else reversed(pages)
        self.assertContains(response, expected, status_code=403, msg_prefix=where)
        self.assertNotContains(response, other, status_code=403, msg_prefix=where)

    def assertFieldError(self, response, form_id, field, text):
        """The form re-rendered (200) with `text` beside `field`."""
        if response.status_code != 200:
            moved = f" to {response.location}" if response.location else ""
            self.fail(f"the form did not re-render: {response.request.path_qs} answered {response.status}{moved}")
        form = response.html.select_one(f"form#{form_id}")
        if form is None:
            forms = [f"#{shown['id']}" if shown.get("id") else "one without an id" for shown in response.html("form")]
            self.fail(f"no form#{form_id} on {response.request.path_qs}; its forms: {forms or 'none'}")
        errors = form.select_one(f"#errors-{field}")
        if errors is None:
            self.fail(f"no errors shown for {field!r}; errors shown: {errors_shown(form) or 'none'}")
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

    def assertApiError(self, response, status, body=None, msg=None):
        """A JSON answer with this error status (and exactly this body, when given)."""
        self.assertEqual(response.status_code, status, f"{msg + ': ' if msg else ''}{response.text[:500]}")
        self.assertEqual(response.content_type, "application/json", msg)
        if body is not None:
            self.assertEqual(response.json, body, msg)

    def assertValidHtml(self, response):
        """The page parses as HTML without errors, its ids are unique and every
        reference to an id (label `for`, ARIA, in-page links) finds its element."""
        self.assertEqual(html_problems(response), [], f"invalid HTML at {response.request.path_qs}")

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
