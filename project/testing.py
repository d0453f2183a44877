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

`WebTestCase` and `ApiTestCase` live in project/testing_web.py, imported from
there, so that tests of models and rules alone do not pay for django-webtest.

`BrowserTestCase` is the same idea for the few journeys that need a real
browser (project/testing_browser.py, imported from there, so that only the
browser tests pay for Selenium).
"""

import csv
import io
import os
from datetime import UTC, datetime, time

import time_machine
from django.test import TestCase
from django.urls import reverse
from model_bakery import baker

from apps.accounts import baker_recipes

# Who is acting: each role is the name of its recipe in apps/accounts/baker_recipes.py.
ANONYMOUS = None
PENDING = "pending"  # signed up, waiting for the office to give it a role
ROLELESS = "roleless"  # made in the admin without a group: treated like PENDING
VIEWER = "viewer"
REGISTRAR = "registrar"
ADMINISTRATOR = "administrator"
SUPERUSER = "superuser"

# `make test-deep` (TEST_DEPTH=deep) gives the fuzzing, the races and the browser tours
# their full budgets; `make test` runs each of them with a smaller one.
DEEP = os.environ.get("TEST_DEPTH") == "deep"

API_PREFIX = "/api/"
UNKNOWN_ID = 987654321  # no record has it
NOT_ALLOWED = {"detail": "You do not have permission to perform this action."}
NOT_APPROVED = {"detail": "Your account is waiting for approval by the office."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
NO_PERMISSION = "You don't have permission to do that"
AWAITING_APPROVAL = "Your account is waiting for approval by the office"

# The password every recipe user can log in with (defined beside the recipes).
KNOWN_PASSWORD = baker_recipes.KNOWN_PASSWORD


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


def on_day(day):
    """Every clock (Django's, the database's timestamps, axes') shows noon of `day`, UTC, and
    stands still, while the block runs: `with on_day(date(2024, 6, 15)):`."""
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=UTC), tick=False)


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
