"""The HTTP load of `make bench` for locust, run headless by bench/load.py:

    locust -f bench/locustfile.py --headless --host http://127.0.0.1:PORT -u 4 -t 10s Reader   (or Writer)
    locust -f bench/locustfile.py ... Reader Writer Flooder   (at once: BENCH_READERS, _WRITERS, _FLOODERS of each)

Before the users start, one login through the real form and one `POST
/api/token/` give every user the registrar's session and token
(BENCH_USERNAME / BENCH_PASSWORD). A request fails unless it gets the status
and the content a user expects.
"""

import os
import random
import re
import uuid
from urllib.parse import urlencode

import requests
from locust import FastHttpUser, between, events, task

SESSION = {}


@events.test_start.add_listener
def log_in_once(environment, **_):
    """The registrar's session cookie and API token, fetched outside the measured requests."""
    host = environment.host
    with requests.Session() as browser:
        page = browser.get(f"{host}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        credentials = {"username": os.environ["BENCH_USERNAME"], "password": os.environ["BENCH_PASSWORD"]}
        answer = browser.post(
            f"{host}/accounts/login/", data={"csrfmiddlewaretoken": token, **credentials}, timeout=30
        )
        if "sessionid" not in browser.cookies:
            raise RuntimeError(f"bench: logging in failed (HTTP {answer.status_code})")
        SESSION["cookie"] = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        api_token = browser.post(f"{host}/api/token/", json=credentials, timeout=30).json()["token"]
        SESSION["api"] = {"Authorization": f"Token {api_token}", "Accept": "application/json"}
        # Writers enroll into a course of their own, large enough never to fill up.
        course = {"code": f"LOAD{uuid.uuid4().hex[:8]}", "title": "Load test", "capacity": 1_000_000}
        answer = browser.post(f"{host}/api/courses/", json=course, headers=SESSION["api"], timeout=30)
        SESSION["course_id"] = answer.json()["id"]


class User(FastHttpUser):
    abstract = True
    wait_time = between(0, 0)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # When several kinds run at once, each comes in the number the environment gives.
        cls.fixed_count = int(os.environ.get(f"BENCH_{cls.__name__.upper()}S", 0))

    def call(self, method, path, status, text=None, **options):
        """One request that fails unless it answers `status` with `text` (if given) in its body."""
        with self.client.request(method, path, catch_response=True, **options) as response:
            if response.status_code != status or (text is not None and text not in response.text):
                response.failure(f"HTTP {response.status_code}, expected {status}: {response.text[:120]!r}")
            return response


class Reader(User):
    """A member browsing: the student list page and the API list."""

    @task
    def list_page(self):
        self.call("GET", "/students/", 200, 'id="student-table"', headers={"Cookie": SESSION["cookie"]})

    @task
    def api_list(self):
        self.call("GET", "/api/students/", 200, '"count"', headers=SESSION["api"])


class Writer(User):
    """A registrar adding, editing and enrolling students, through the API and the web form."""

    @task(3)
    def create_edit_enroll(self):
        unique, api = uuid.uuid4().hex[:12], SESSION["api"]
        student = {"first_name": "Load", "last_name": unique, "email": f"{unique}@load.example", "status": "active"}
        created = self.call("POST", "/api/students/", 201, json=student, headers=api)
        if created.status_code == 201:
            edit = {"status": random.choice(["graduated", "withdrawn"]), "notes": "Edited under load."}  # noqa: S311
            pk = created.json()["id"]
            self.call("PATCH", f"/api/students/{pk}/", 200, json=edit, headers=api, name="/api/students/<pk>/")
            self.call(
                "POST", "/api/enrollments/", 201, json={"student": pk, "course": SESSION["course_id"]}, headers=api
            )

    @task(1)
    def create_with_the_web_form(self):
        cookie = {"Cookie": SESSION["cookie"]}
        page = self.call("GET", "/students/new/", 200, 'id="student-form"', headers=cookie)
        if found := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or ""):
            unique = uuid.uuid4().hex[:12]
            form = {"csrfmiddlewaretoken": found.group(1), "first_name": "Form", "last_name": unique,
                    "email": f"{unique}@form.example", "status": "active", "enrolled_on": "2026-09-01"}  # fmt: skip
            headers = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}
            self.call("POST", "/students/new/", 302, data=urlencode(form), headers=headers, allow_redirects=False)


class Flooder(User):
    """Somebody guessing passwords from the office's own address, as fast as they are answered:
    a name of nobody each time. Refused (400), then turned away before any password is checked (429)."""

    @task
    def guess(self):
        guess = {"username": f"guess-{uuid.uuid4().hex[:12]}", "password": "not-the-password"}
        with self.client.post(
            "/api/token/", json=guess, catch_response=True, name="/api/token/ (failed login)"
        ) as answer:
            if answer.status_code in (400, 429):
                answer.success()  # what the flood should get; only another answer is a failure
            else:
                answer.failure(f"HTTP {answer.status_code}, expected 400 or 429: {answer.text[:120]!r}")
