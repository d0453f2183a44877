"""A short, bounded HTTP load against `make serve` (gunicorn, production settings).

The server is started the way the Makefile's `serve` target starts it (same
environment, migrate, collectstatic, the same gunicorn command line) but on a
free loopback port and a copy of a seeded database, and it is always stopped
at the end. The client is a few Python threads with http.client: loopback
only, a fixed number of requests and a time limit per endpoint.
"""

import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .common import PYTHON, ROOT, WORK, child_env, free_port, summary

HOST = "127.0.0.1"
BURSTS = 3
STARTUP_TIMEOUT = 60


class Server:
    """gunicorn as `make serve` runs it; a context manager that always stops it."""

    def __init__(self, database_url, workers, log=print):
        self.port = free_port()
        self.workers = workers
        self.log = log
        self.process = None
        self.log_path = WORK / "load" / "gunicorn.log"
        self.env = child_env(
            DJANGO_SETTINGS_MODULE="project.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            DATABASE_URL=database_url,
        )

    def __enter__(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        for step in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
            subprocess.run(  # noqa: S603
                [str(PYTHON), "manage.py", *step], cwd=ROOT, env=self.env, check=True, capture_output=True
            )
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        command = [
            str(gunicorn),
            "project.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--access-logfile",
            "-",
        ]
        self._log_file = open(self.log_path, "w")
        # A session of its own, so stopping it reaches every worker it forked.
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_healthy(self):
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                status, _, body = request(self.port, "GET", "/healthz")
                if status == 200 and b'"ok"' in body:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {STARTUP_TIMEOUT} s; see {self.log_path}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this object started, nothing else
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        finally:
            self._log_file.close()

    def __exit__(self, *exc_info):
        self.stop()


def request(port, method, path, headers=None, body=None, timeout=30):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _cookies(headers):
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(port, username, password):
    """Log in through the real login form (CSRF token and all); return the session cookie header."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    if status != 200:
        raise RuntimeError(f"login page answered {status}")
    cookies = _cookies(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match or "csrftoken" not in cookies:
        raise RuntimeError("login page has no CSRF token")
    form = urlencode({"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password})
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
        body=form,
    )
    session = _cookies(headers).get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"login failed: HTTP {status}")
    return f"sessionid={session}; csrftoken={cookies['csrftoken']}"


def obtain_token(port, username, password):
    """The API token, the way an API client gets it: POST /api/token/."""
    body = json.dumps({"username": username, "password": password})
    status, _, answer = request(port, "POST", "/api/token/", headers={"Content-Type": "application/json"}, body=body)
    if status != 200:
        raise RuntimeError(f"/api/token/ answered {status}")
    return json.loads(answer)["token"]


def hammer(port, path, headers, *, threads, max_requests, max_seconds, expect):
    """`threads` clients share `max_requests` requests; stop early after `max_seconds`."""
    lock = threading.Lock()
    remaining = [max_requests]
    latencies, errors, statuses = [], [], {}
    deadline = time.monotonic() + max_seconds

    def client():
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                status, _, body = request(port, "GET", path, headers=headers, timeout=max_seconds)
                ok = status == 200 and expect in body
            except OSError as error:
                status, ok = error.__class__.__name__, False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                latencies.append(elapsed)
                if not ok:
                    errors.append(status)

    started = time.perf_counter()
    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(max_seconds + 30)
    elapsed = time.perf_counter() - started
    return {"latencies": latencies, "errors": len(errors), "statuses": statuses, "seconds": elapsed}


def measure(port, path, headers, *, threads, max_requests, max_seconds, expect, bursts=BURSTS):
    """`bursts` equal bursts (each a share of the request and time budget): rps is their median."""
    runs = [
        hammer(
            port,
            path,
            headers,
            threads=threads,
            max_requests=max(max_requests // bursts, threads),
            max_seconds=max_seconds / bursts,
            expect=expect,
        )
        for _ in range(bursts)
    ]
    latencies = sorted(latency for run in runs for latency in run["latencies"])
    statuses = {}
    for run in runs:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    rps = summary([len(run["latencies"]) / run["seconds"] for run in runs if run["seconds"]], digits=1)
    return {
        "path": path,
        "requests": len(latencies),
        "errors": sum(run["errors"] for run in runs),
        "statuses": statuses,
        "seconds": round(sum(run["seconds"] for run in runs), 2),
        "rps": rps["median"],
        "rps_per_burst": rps,
        "latency_ms": {
            "median": round(statistics.median(latencies), 1) if latencies else None,
            "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
            "max": round(latencies[-1], 1) if latencies else None,
        },
    }


def run(database_url, username, password, *, threads, max_requests, max_seconds, workers, log=print):
    """Start the server, load the list page and the API list, stop the server."""
    with Server(database_url, workers, log=log) as server:
        log(f"  load: gunicorn ({workers} workers) up on {HOST}:{server.port}")
        session_cookie = log_in(server.port, username, password)
        token = obtain_token(server.port, username, password)
        targets = {
            "list_page1": ("/students/", {"Cookie": session_cookie}, b'id="student-table"'),
            "api_list": (
                "/api/students/",
                {"Authorization": f"Token {token}", "Accept": "application/json"},
                b'"count"',
            ),
        }
        endpoints = {}
        for name, (path, headers, expect) in targets.items():
            endpoints[name] = measure(
                server.port,
                path,
                headers,
                threads=threads,
                max_requests=max_requests,
                max_seconds=max_seconds,
                expect=expect,
            )
            result = endpoints[name]
            log(
                f"  load: {name:<11} {result['requests']:5d} requests in {result['seconds']:5.1f} s "
                f"= {result['rps']:6.1f} req/s (median of {BURSTS} bursts), {result['errors']} errors, "
                f"median latency {result['latency_ms']['median']} ms"
            )
    return {
        "server": f"gunicorn project.wsgi:application --workers {workers} (project.settings.production)",
        "threads": threads,
        "max_requests_per_endpoint": max_requests,
        "max_seconds_per_endpoint": max_seconds,
        "endpoints": endpoints,
        "errors": sum(result["errors"] for result in endpoints.values()),
        "rps": {name: result["rps"] for name, result in endpoints.items()},
    }
