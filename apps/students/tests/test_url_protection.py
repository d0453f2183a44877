"""Every URL the project serves refuses anonymous visitors unless it is meant to be public.

The sweep walks the URL configuration itself, so a page or API endpoint added
tomorrow is checked without anyone remembering to add a test for it.
"""

import re
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from django.test import override_settings
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from project.testing import ANONYMOUS, WebTestCase

# Meant for visitors who are not logged in (SPEC: "Users and roles").
PUBLIC = {
    "home",
    "healthz",
    "accounts:login",
    "accounts:signup",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "api:token",
    "api-schema",
    "api-docs",
    "favicon",  # browsers ask for it on every site, signed in or not
    "admin:login",  # the admin's own login page
}
PUBLIC_PREFIXES = ("/static/",)
# The API's JSON 404 for paths it does not have: nothing there to protect.
NOT_FOUND_FOR_EVERYONE = {"api:unknown"}
# Where a refused visitor is sent to log in. The admin's site-level pages use
# its own login; LoginRequiredMiddleware sends its model pages to the site's.
LOGIN_PAGES = {"/accounts/login/"}
ADMIN_LOGIN_PAGES = {"/admin/login/", "/accounts/login/"}

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


class TestEveryUrl(WebTestCase):
    role = ANONYMOUS

    def unprotected_urls(self):
        """The paths an anonymous visitor is not refused, with what they got instead."""
        leaks = []
        for path, name, view in every_url():
            self.assertIs(resolve(path).func, view, f"the sweep built {path} for {name}, which leads elsewhere")
            if name in PUBLIC or path.startswith(PUBLIC_PREFIXES):
                continue
            response = self.get(path, expect_errors=True)
            if name in NOT_FOUND_FOR_EVERYONE:
                refused = response.status_code == 404
            elif path.startswith("/api/"):
                refused = response.status_code in (401, 403)
            else:
                location = urlsplit(response.headers.get("Location", ""))
                login_pages = ADMIN_LOGIN_PAGES if path.startswith("/admin/") else LOGIN_PAGES
                refused = (
                    response.status_code == 302
                    and location.path in login_pages
                    and parse_qs(location.query).get("next") == [path]
                )
            if not refused:
                leaks.append((path, name, response.status_code))
        return leaks

    def test_refuses_anonymous_visitors_everywhere_but_the_public_pages(self):
        self.assertEqual(self.unprotected_urls(), [])
        swept = {name for _, name, _ in every_url()}
        for name in ("students:list", "students:unenroll", "courses:delete", "accounts:profile", "api:student-detail"):
            self.assertIn(name, swept, "the sweep reaches every part of the site")
        self.assertEqual(PUBLIC - swept, set(), "public pages that no longer exist")

    @override_settings(ROOT_URLCONF="apps.students.tests.urls_with_an_unprotected_view")
    def test_catches_a_new_page_somebody_forgot_to_protect(self):
        self.assertEqual(self.unprotected_urls(), [("/reports/1/", "report", 200)])


class TestTheSweepsPathBuilder(WebTestCase):
    def test_fills_in_route_and_regex_parameters(self):
        self.assertEqual(regex_path(r"^students/(?P<pk>[0-9]{1,18})\.(?P<format>[a-z0-9]+)/?$"), "students/1.1/")
        self.assertEqual(regex_path(r"^(?P<app_label>auth|students)/$"), "auth/")
        self.assertEqual(regex_path(r"(?P<url>.*)$"), "1")
        with self.assertRaisesMessage(ValueError, "no sample value"):
            sample_for("[A-Z]{3}")
