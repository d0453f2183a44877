"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis).

Every operation the schema at /api/schema/ lists is called in-process (WSGI)
with requests generated from the schema: valid ones (positive mode) and ones
that break it (negative mode), as a registrar with a real token header. Every
answer must be no server error, and must match the schema: a documented status
code, a documented content type and a body of the documented shape
(schemathesis' not_a_server_error, status_code_conformance,
content_type_conformance and response_schema_conformance checks).

Every operation that takes a body is also sent deeply nested JSON in place of
it (`[[[...]]]` or `{"first_name": {"first_name": ...}}`, from just under the
parser's nesting limit to 900 levels): each must be a documented 4xx too.

Bounded by the Hypothesis profile (conftest.py): its `max_examples` is the
number of examples per operation, shared by the operation's runs (valid
requests, invalid ones, and for an `{id}` path valid ones to a real record),
generated deterministically (derandomize) so that a failure reproduces on every
run. `make test` loads the "loop" profile (a few hundred cases in all),
`make test-deep` and `make fuzz` the "deep" one (thousands). One class per group
of endpoints, so that the parallel run spreads them over the workers. `make fuzz`
runs them in one process and prints the totals:

    .venv/bin/pytest -m fuzz -p no:xdist -s --hypothesis-profile=deep
    ...
    fuzz: 3000 cases, 0 server errors
"""

import math
import sys
import time
from collections import Counter
from contextlib import contextmanager

import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import tag
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from model_bakery import baker
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from project.api.parsers import MAX_JSON_DEPTH, TOO_DEEP
from project.testing import REGISTRAR
from project.testing_web import ApiTestCase

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Everything this process fuzzed, for the summary line at the end of the module.
TOTALS = Counter()


def tearDownModule():
    # In a parallel run each worker totals the classes it ran (each class reports its own figures too).
    if TOTALS["operations"]:
        sys.stderr.write(
            f"\nfuzz: {TOTALS['cases']} cases, {TOTALS['server errors']} server errors "
            f"({TOTALS['operations']} operations, {settings.default.max_examples} examples each)\n"
        )


def nested_json(depth, wrapper):
    """A value `depth` arrays or objects deep (built without recursion)."""
    value = "Ada"
    for _ in range(depth):
        value = [value] if wrapper == "array" else {"first_name": value}
    return value


# Python's JSON encoder (used to send the case) stops near 1,000 levels; deeper
# bodies are covered in test_api_body_limits.
NESTED_BODIES = st.builds(nested_json, st.integers(MAX_JSON_DEPTH - 2, 900), st.sampled_from(["array", "object"]))


@contextmanager
def database_kept_open():
    """Django closes the connection after each request: that would end the test's transaction.

    Django's test client and django-webtest unhook it the same way for their requests.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def make_records():
    """A few records for the requests to find, change and delete; the ids to aim at, by path."""
    full, empty = baker.make_recipe("students.course", _quantity=2, capacity=2)
    students = baker.make_recipe("students.student", _quantity=3)
    enrollments = [baker.make_recipe("students.enrollment", student=s, course=full) for s in students[:2]]
    return {
        "/api/students/{id}/": [str(students[0].pk)],
        # A full course cannot be deleted while it has students (409); an empty one can.
        "/api/courses/{id}/": [str(full.pk), str(empty.pk)],
        "/api/enrollments/{id}/": [str(enrollments[0].pk)],
    }


class Fuzzer:
    """Runs the schema's operations under `prefixes` for one test, counting what happened."""

    def __init__(self, test, known_ids):
        self.test = test
        self.known_ids = known_ids
        self.statuses = Counter()
        self.cases = 0
        self.server_errors = 0
        self.nested_refused = 0  # deeply nested bodies refused as such (JSON 400)

    def run(self, *prefixes):
        started = time.perf_counter()
        operations = []
        try:
            with database_kept_open():
                schema = schemathesis.openapi.from_wsgi(f"{reverse('api-schema')}?format=json", WSGIHandler())
                operations = [result.ok() for result in schema.get_all_operations()]
                operations = [operation for operation in operations if operation.path.startswith(prefixes)]
                for operation in operations:
                    plan = self.plan(operation)
                    examples = math.ceil(settings.default.max_examples / len(plan))
                    for label, mode, fixed in plan:
                        with self.test.subTest(operation=operation.label, run=label):
                            self.fuzz(operation, mode, examples, **fixed)
        finally:
            elapsed = time.perf_counter() - started
            statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
            sys.stderr.write(
                f"\nfuzz {' '.join(prefixes)}: {self.cases} cases, {self.server_errors} server errors "
                f"in {elapsed:.1f} s; statuses {statuses}; {self.nested_refused} too deeply nested bodies refused\n"
            )
            TOTALS.update({"operations": len(operations), "cases": self.cases, "server errors": self.server_errors})
        return operations

    def plan(self, operation):
        """(label, generation mode, fixed parts) of each run for `operation`."""
        plan = [
            ("valid requests", GenerationMode.POSITIVE, {}),
            ("invalid requests", GenerationMode.NEGATIVE, {}),
        ]
        # Generated ids almost never exist: also work on real records.
        for pk in self.known_ids.get(operation.path, []):
            plan.append((f"valid requests to record {pk}", GenerationMode.POSITIVE, {"path_parameters": {"id": pk}}))
            if operation.body:
                plan.append((f"deeply nested bodies to record {pk}", "nested", {"path_parameters": {"id": pk}}))
        if operation.body and not self.known_ids.get(operation.path):
            plan.append(("deeply nested bodies", "nested", {}))
        return plan

    def fuzz(self, operation, mode, examples, **fixed):
        headers = self.test.api_headers(self.test.token)
        nested = mode == "nested"
        strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE if nested else mode, **fixed)
        bodies = NESTED_BODIES if nested else st.none()

        # The health checks judge the generator (slow or heavily filtered data), not the API.
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy, nested_body=bodies)
        def call(case, nested_body):
            self.cases += 1
            if nested:
                case.body = nested_body
            # Each case starts from the same records: whatever it wrote is rolled back.
            with transaction.atomic():
                try:
                    response = case.call(headers=headers)
                except Exception:
                    self.server_errors += 1  # escaped Django (django-webtest sets DEBUG_PROPAGATE_EXCEPTIONS)
                    raise
                transaction.set_rollback(True)
            self.statuses[response.status_code] += 1
            self.nested_refused += nested and response.status_code == 400 and TOO_DEEP in response.text
            self.server_errors += response.status_code >= 500
            case.validate_response(response, checks=CHECKS)

        call()


class FuzzingTestCase(ApiTestCase):
    """One group of API operations, fuzzed as a registrar with a real token."""

    role = REGISTRAR
    path_prefixes = ()
    operation_count = 0
    statuses_seen = ()  # each must answer at least once: the fuzzer reached it

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.known_ids = make_records()

    def assertFuzzedCleanly(self):
        fuzzer = Fuzzer(self, self.known_ids)
        operations = fuzzer.run(*self.path_prefixes)
        self.assertEqual(len(operations), self.operation_count)
        self.assertEqual(fuzzer.server_errors, 0)
        self.assertTrue(all(fuzzer.statuses[status] for status in self.statuses_seen), fuzzer.statuses)
        self.assertGreater(fuzzer.nested_refused, 0, "no deeply nested body reached the parser")


@tag("fuzz")
class TestFuzzingTheStudentsApi(FuzzingTestCase):
    path_prefixes = ("/api/students/",)
    operation_count = 6
    statuses_seen = (200, 201, 204, 400, 404)

    def test_answers_every_generated_request_as_documented_and_never_with_a_server_error(self):
        self.assertFuzzedCleanly()


@tag("fuzz")
class TestFuzzingTheCoursesApi(FuzzingTestCase):
    path_prefixes = ("/api/courses/",)
    operation_count = 6
    statuses_seen = (200, 201, 204, 400, 404, 409)

    def test_answers_every_generated_request_as_documented_and_never_with_a_server_error(self):
        self.assertFuzzedCleanly()


@tag("fuzz")
class TestFuzzingTheEnrollmentsAndTokenApi(FuzzingTestCase):
    path_prefixes = ("/api/enrollments/", "/api/token/")
    operation_count = 3
    statuses_seen = (204, 400, 404)

    def test_answers_every_generated_request_as_documented_and_never_with_a_server_error(self):
        self.assertFuzzedCleanly()
