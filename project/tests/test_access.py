"""THE access table: who may do what, on every URL of the site and the API.

One row per URL pattern and method, one column per kind of user. Each cell is
requested as that user against the same few records (every cell is rolled
back afterwards), and the outcome is checked: the page (200), the login page
with `next`, the friendly 403 page (the one saying the office will approve the
account, for accounts without a role), 401/403 JSON on the API, or a write
that went through. After every refusal and after
every GET the database is exactly what it was.

The sweep walks the URL configuration: a pattern missing from the table fails
the suite, so a new page gets its access rule stated here, once.
"""

import re
from contextlib import contextmanager
from itertools import count
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.test import Client, SimpleTestCase, override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from model_bakery import baker

from apps.students.tests.form_data import course_form_data, student_form_data
from project.testing import (
    ADMINISTRATOR,
    ANONYMOUS,
    KNOWN_PASSWORD,
    PENDING,
    REGISTRAR,
    ROLELESS,
    VIEWER,
    make_user,
    token_for,
)
from project.testing_web import ApiTestCase, database_state

# -- outcomes -------------------------------------------------------------------
PAGE = "200 page"
LOGIN = "to the login page with next"
NO = "refused: 403 page, or 401/403 JSON on the API"
WRITE = "the write went through"
HOME = ("redirect", "home")
LIST = ("redirect", "students:list")
DONE = ("redirect", "accounts:password_reset_done")
NOT_ALLOWED = 405
NOT_FOUND = 404

COLUMNS = (ANONYMOUS, PENDING, ROLELESS, VIEWER, REGISTRAR, ADMINISTRATOR)

# Shorthands for the usual rows.
PUBLIC = (PAGE,) * 6
MEMBERS = (LOGIN, PAGE, PAGE, PAGE, PAGE, PAGE)
READ = (LOGIN, NO, NO, PAGE, PAGE, PAGE)
CHANGE_PAGE = (LOGIN, NO, NO, NO, PAGE, PAGE)
CHANGE = (LOGIN, NO, NO, NO, WRITE, WRITE)
API_READ = (NO, NO, NO, PAGE, PAGE, PAGE)
API_CHANGE = (NO, NO, NO, NO, WRITE, WRITE)

TABLE = [
    # URL name                          method    anonymous  pending  role-less  viewer  registrar  administrator
    ("home",                            "GET",    (PAGE, PAGE, PAGE, LIST, LIST, LIST)),
    ("healthz",                         "GET",    PUBLIC),
    ("favicon",                         "GET",    (("redirect", "/static/favicon.ico"),) * 6),
    ("accounts:signup",                 "GET",    PUBLIC),
    ("accounts:signup",                 "POST",   (WRITE,) * 6),
    ("accounts:login",                  "GET",    PUBLIC),
    ("accounts:login",                  "POST",   (LIST, HOME, HOME, LIST, LIST, LIST)),
    ("accounts:logout",                 "GET",    (LOGIN,) + (NOT_ALLOWED,) * 5),
    ("accounts:logout",                 "POST",   (LOGIN,) + (HOME,) * 5),
    ("accounts:profile",                "GET",    MEMBERS),
    ("accounts:regenerate_token",       "GET",    MEMBERS),  # (asks to confirm)
    ("accounts:regenerate_token",       "POST",   (LOGIN,) + (WRITE,) * 5),
    ("accounts:people",                 "GET",    (LOGIN, NO, NO, NO, NO, PAGE)),
    ("accounts:set_role",               "GET",    (LOGIN, NO, NO, NO, NO, NOT_ALLOWED)),
    ("accounts:set_role",               "POST",   (LOGIN, NO, NO, NO, NO, WRITE)),
    ("accounts:password_change",        "GET",    MEMBERS),
    ("accounts:password_change",        "POST",   (LOGIN,) + (WRITE,) * 5),
    ("accounts:password_reset",         "GET",    PUBLIC),
    ("accounts:password_reset",         "POST",   (DONE,) * 6),
    ("accounts:password_reset_done",    "GET",    PUBLIC),
    ("accounts:password_reset_confirm", "GET",    PUBLIC),  # (a link that is no longer valid)
    ("accounts:password_reset_complete", "GET",   PUBLIC),
    ("students:list",                   "GET",    READ),
    ("students:export",                 "GET",    READ),
    ("students:detail",                 "GET",    READ),
    ("students:create",                 "GET",    CHANGE_PAGE),
    ("students:create",                 "POST",   CHANGE),
    ("students:update",                 "GET",    CHANGE_PAGE),
    ("students:update",                 "POST",   CHANGE),
    ("students:delete",                 "GET",    CHANGE_PAGE),
    ("students:delete",                 "POST",   CHANGE),
    ("students:enroll",                 "GET",    (LOGIN, NO, NO, NO, NOT_ALLOWED, NOT_ALLOWED)),
    ("students:enroll",                 "POST",   CHANGE),
    ("students:unenroll",               "GET",    CHANGE_PAGE),  # (asks to confirm)
    ("students:unenroll",               "POST",   CHANGE),
    ("courses:list",                    "GET",    READ),
    ("courses:detail",                  "GET",    READ),
    ("courses:roster_export",           "GET",    READ),
    ("courses:create",                  "GET",    CHANGE_PAGE),
    ("courses:create",                  "POST",   CHANGE),
    ("courses:update",                  "GET",    CHANGE_PAGE),
    ("courses:update",                  "POST",   CHANGE),
    ("courses:delete",                  "GET",    CHANGE_PAGE),
    ("courses:delete",                  "POST",   CHANGE),
    ("api-schema",                      "GET",    PUBLIC),
    ("api-docs",                        "GET",    PUBLIC),
    ("api:token",                       "GET",    (NOT_ALLOWED,) * 6),
    ("api:token",                       "POST",   (PAGE,) * 6),  # (the token of the credentials sent)
    ("api:student-list",                "GET",    API_READ),
    ("api:student-list",                "POST",   API_CHANGE),
    ("api:student-detail",              "GET",    API_READ),
    ("api:student-detail",              "PUT",    API_CHANGE),
    ("api:student-detail",              "PATCH",  API_CHANGE),
    ("api:student-detail",              "DELETE", API_CHANGE),
    ("api:course-list",                 "GET",    API_READ),
    ("api:course-list",                 "POST",   API_CHANGE),
    ("api:course-detail",               "GET",    API_READ),
    ("api:course-detail",               "PUT",    API_CHANGE),
    ("api:course-detail",               "PATCH",  API_CHANGE),
    ("api:course-detail",               "DELETE", API_CHANGE),
    ("api:enrollment-list",             "GET",    (NO, NO, NO, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    ("api:enrollment-list",             "POST",   API_CHANGE),
    ("api:enrollment-detail",           "GET",    (NO, NO, NO, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    ("api:enrollment-detail",           "DELETE", API_CHANGE),
    ("api:unknown",                     "GET",    (NOT_FOUND,) * 6),
]  # fmt: skip

# The Django admin keeps its own rule (superusers only):
# every one of its pages sends anyone else to the admin's login page.
DJANGO_ADMIN = "admin"

# Which records each URL names (fresh ones for every cell).
URL_ARGS = {
    "students:detail": {"pk": "student"},
    "students:update": {"pk": "student"},
    "students:delete": {"pk": "student"},
    "students:enroll": {"pk": "student"},
    "students:unenroll": {"pk": "student", "enrollment_pk": "enrollment"},
    "courses:detail": {"pk": "course"},
    "courses:roster_export": {"pk": "course"},
    "courses:update": {"pk": "empty_course"},
    "courses:delete": {"pk": "empty_course"},
    "accounts:set_role": {"pk": "newcomer"},
    "api:student-detail": {"pk": "student"},
    "api:course-detail": {"pk": "empty_course"},
    "api:enrollment-detail": {"pk": "enrollment"},
}
FIXED_ARGS = {
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "no-longer-valid"},
    "api:unknown": {"path": "nothing-here"},
}

_unique = count(1)


def fresh_records():
    """A student in one course, a course nobody is in, an account waiting for approval."""
    enrollment = baker.make_recipe("students.enrollment")
    return {
        "student": enrollment.student,
        "course": enrollment.course,
        "enrollment": enrollment,
        "empty_course": baker.make_recipe("students.course"),
        "newcomer": make_user(PENDING),
    }


def path_for(name, records):
    kwargs = {key: records[record].pk for key, record in URL_ARGS.get(name, {}).items()}
    return reverse(name, kwargs={**kwargs, **FIXED_ARGS.get(name, {})})


def data_for(name, records, user):
    """What the form or the API client sends: valid, and unique to this cell."""
    n = next(_unique)
    if name in ("students:create", "students:update"):
        return student_form_data(email=f"access{n}@school.example")
    if name in ("courses:create", "courses:update"):
        return course_form_data(code=f"ACC{n}")
    if name == "students:enroll":
        return {"course": records["empty_course"].pk}
    if name == "accounts:signup":
        password = "Lantern-Harbour-Quince-42"
        return {"username": f"signup{n}", "email": f"signup{n}@school.example", "first_name": "Sam",
                "last_name": f"Signup{n}", "password1": password, "password2": password}  # fmt: skip
    if name == "accounts:login":
        return {"username": user.username if user else records["viewer"].username, "password": KNOWN_PASSWORD}
    if name == "accounts:password_change":
        return {"old_password": KNOWN_PASSWORD, "new_password1": "Velvet-Comet-Orchard-19",
                "new_password2": "Velvet-Comet-Orchard-19"}  # fmt: skip
    if name == "accounts:password_reset":
        return {"email": records["viewer"].email}
    if name == "accounts:set_role":
        return {"role": "viewer"}
    if name == "api:token":
        return {"username": records["viewer"].username, "password": KNOWN_PASSWORD}
    if name in ("api:student-list", "api:student-detail"):
        return {"first_name": "Api", "last_name": f"Client{n}", "email": f"api{n}@school.example"}
    if name in ("api:course-list", "api:course-detail"):
        return {"code": f"API{n}", "title": "Access", "capacity": 5}
    if name == "api:enrollment-list":
        return {"student": records["student"].pk, "course": records["empty_course"].pk}
    return {}


def logged_in_session(user):
    """The key of a session `user` is logged in with (each cell is rolled back, so it outlives them all)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@contextmanager
def rolled_back():
    """A savepoint undone at the end, whatever happened inside."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class AccessTableTestCase(ApiTestCase):
    """Runs rows of TABLE as every kind of user (one class per part of the site, so they run in parallel)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.users = {role: make_user(role) for role in COLUMNS}
        cls.sessions = {}
        for role, user in cls.users.items():
            if user is not None:
                token_for(user)  # made before any request, so an API call changes nothing by itself
                cls.sessions[role] = logged_in_session(user)

    def visit(self, method, path, user, data):
        """One request as `user`; the single place every visit of the table goes through."""
        kwargs = {"user": user, "expect_errors": True}
        if path.startswith("/api/") and not path.startswith(("/api/schema/", "/api/docs/")):
            if method == "GET":
                return self.api_get(path, **kwargs)
            if method == "DELETE":
                return self.api_delete(path, **kwargs)
            return getattr(self, f"api_{method.lower()}")(path, data, **kwargs)
        response = self.get(path, **kwargs) if method == "GET" else self.post(path, data, **kwargs)
        # Every page of our own templates the table reaches must be valid HTML (the admin's are Django's).
        if response.content and response.content_type == "text/html" and not path.startswith("/admin/"):
            self.assertValidHtml(response)
        return response

    def assertOutcome(self, response, outcome, user, path):
        if outcome == PAGE:
            self.assertEqual(response.status_code, 200, response.status)
        elif outcome == LOGIN:
            self.assertRedirectsToLogin(response, path)
        elif outcome == NO:
            self.assertNoAccess(response, path, user=user)
        elif outcome == WRITE:
            self.assertIn(response.status_code, (200, 201, 204, 302), response.status)
        elif isinstance(outcome, tuple):
            self.assertRedirectsTo(response, outcome[1])
        else:
            self.assertEqual(response.status_code, outcome, response.status)

    def assertRowsHold(self, prefixes):
        rows = [row for row in TABLE if row[0].startswith(prefixes)]
        self.assertTrue(rows, f"no rows for {prefixes}")
        records = {**fresh_records(), "viewer": self.users[VIEWER]}
        for name, method, outcomes in rows:
            for role, outcome in zip(COLUMNS, outcomes, strict=True):
                # Each cell is rolled back afterwards, so every one starts from the same records.
                with self.subTest(url=name, method=method, user=role or "anonymous", expected=outcome), rolled_back():
                    self.app.reset()
                    if role is not ANONYMOUS:  # the user's browser, logged in before the table began
                        self.app.set_cookie(settings.SESSION_COOKIE_NAME, self.sessions[role])
                    path = path_for(name, records)
                    user = self.users[role]
                    before = database_state()

                    response = self.visit(method, path, user, data_for(name, records, user))

                    self.assertOutcome(response, outcome, user, path)
                    if outcome == WRITE:
                        self.assertNotEqual(database_state(), before, "the write changed the database")
                    elif method == "GET" or outcome in (LOGIN, NO, NOT_ALLOWED, NOT_FOUND):
                        self.assertEqual(database_state(), before, "nothing changed")


SITE_PAGES = ("home", "healthz", "favicon", "api-schema", "api-docs")


class TestWhoMayOpenTheSitesOwnPagesAndAccountPages(AccessTableTestCase):
    def test_as_the_table_says(self):
        self.assertRowsHold((*SITE_PAGES, "accounts:"))


class TestWhoMayReadAndChangeStudents(AccessTableTestCase):
    def test_as_the_table_says(self):
        self.assertRowsHold(("students:",))


class TestWhoMayReadAndChangeCourses(AccessTableTestCase):
    def test_as_the_table_says(self):
        self.assertRowsHold(("courses:",))


class TestWhoMayUseTheApi(AccessTableTestCase):
    def test_as_the_table_says(self):
        self.assertRowsHold(("api:",))


class TestTheTableParts(SimpleTestCase):
    def test_cover_every_row(self):
        parts = (*SITE_PAGES, "accounts:", "students:", "courses:", "api:")
        self.assertEqual([name for name, _, _ in TABLE if not name.startswith(parts)], [])


# -- the sweep ------------------------------------------------------------------
SAMPLE_VALUES = ("1", "x", str(UUID(int=1)))
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def sample_for(regex):
    """A value `regex` accepts: 1 for numbers, x for words, else its first alternative."""
    first_alternative = re.sub(r"\\(.)", r"\1", regex.split("|")[0])
    for value in (*SAMPLE_VALUES, first_alternative):
        if re.fullmatch(regex, value):
            return value
    raise ValueError(f"no sample value for {regex!r}")


def route_path(pattern):
    """`<id:pk>/edit/` -> `1/edit/` (path() patterns)."""
    return ROUTE_PARAMETER.sub(lambda m: sample_for(pattern.converters[m["name"]].regex), str(pattern))


def regex_path(regex):
    r"""`^students/(?P<pk>[0-9]+)\.(?P<format>[a-z0-9]+)/?$` -> `students/1.1/` (re_path() patterns)."""
    text = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    while match := NAMED_GROUP.search(text):
        depth, end = 1, match.end()
        while depth:  # find the group's closing parenthesis
            if text[end] == "\\":
                end += 1
            elif text[end] == "(":
                depth += 1
            elif text[end] == ")":
                depth -= 1
            end += 1
        text = text[: match.start()] + sample_for(text[match.end() : end - 1]) + text[end:]
    return re.sub(r"\\(.)", r"\1", text.replace("/?", "/"))


def every_url(patterns=None, prefix="/", namespace=""):
    """(path, qualified name, view) for every pattern, with sample values for its parameters."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        part = route_path(pattern) if isinstance(pattern, RoutePattern) else regex_path(str(pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_url(entry.url_patterns, prefix + part, inner)
        else:
            yield prefix + part, f"{namespace}{entry.name}" if entry.name else None, entry.callback


def is_django_admin(path):
    return path.startswith(f"/{DJANGO_ADMIN}/")


def missing_from_the_table():
    """URL patterns outside the Django admin that the table has no row for."""
    stated = {name for name, _, _ in TABLE}
    return sorted(path for path, name, _ in every_url() if name not in stated and not is_django_admin(path))


class TestTheSweep(ApiTestCase):
    def test_finds_a_row_for_every_url_pattern(self):
        self.assertEqual(missing_from_the_table(), [], "add a row to TABLE for each of these")
        swept = {name for _, name, _ in every_url()}
        self.assertEqual({name for name, _, _ in TABLE} - swept, set(), "rows for URLs that no longer exist")
        for path, name, view in every_url():
            with self.subTest(path=path):
                self.assertIs(resolve(path).func, view, f"the sweep built {path} for {name}, which leads elsewhere")

    @override_settings(ROOT_URLCONF="project.tests.urls_with_an_unstated_page")
    def test_fails_for_a_page_nobody_added_to_the_table(self):
        self.assertEqual(missing_from_the_table(), ["/reports/1/"])

    def test_sends_everyone_but_superusers_from_every_django_admin_page_to_its_login(self):
        # (The others all look alike to the admin, staff status or not: a staff account without
        # a role and one with the strongest role stand for them.)
        users = [None, make_user(ROLELESS), make_user(ADMINISTRATOR, is_staff=True)]
        sessions = {user: logged_in_session(user) for user in users if user is not None}
        for path, name, _ in every_url():
            if not is_django_admin(path) or name in ("admin:login", "admin:logout"):
                continue  # logging in and out are for everyone
            for user in users:
                with self.subTest(path=path, user=user and user.role):
                    self.app.reset()
                    if user is not None:  # the user's browser, logged in before the sweep began
                        self.app.set_cookie(settings.SESSION_COOKIE_NAME, sessions[user])
                    before = database_state()

                    response = self.get(path, user=user, expect_errors=True)

                    location = urlsplit(response.headers.get("Location", ""))
                    self.assertEqual(response.status_code, 302, response.status)
                    self.assertIn(location.path, ("/admin/login/", "/accounts/login/"))
                    self.assertEqual(parse_qs(location.query).get("next"), [path])
                    self.assertEqual(database_state(), before)

    def test_builds_paths_for_route_and_regex_parameters(self):
        self.assertEqual(regex_path(r"^students/(?P<pk>[0-9]{1,18})\.(?P<format>[a-z0-9]+)/?$"), "students/1.1/")
        self.assertEqual(regex_path(r"^(?P<app_label>auth|students)/$"), "auth/")
        self.assertEqual(regex_path(r"(?P<url>.*)$"), "1")
        with self.assertRaisesMessage(ValueError, "no sample value"):
            sample_for("[A-Z]{3}")
