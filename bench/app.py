"""In-process page/API latency and query counts for one seeded size (a child of bench/run.py per size).

Requests go through the whole stack with django.test.Client as a logged-in
registrar; the API with a real `Authorization: Token` header.
"""

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import seed  # noqa: E402
from bench.common import summary  # noqa: E402

PAGE_SIZE = 25
WARMUP = 2
SLOW_REQUEST_SECONDS = 1.0  # past this, three timed requests instead of --reps


def endpoints(facts):
    last_page = max(math.ceil(facts["students"] / PAGE_SIZE), 1)
    token = {"HTTP_AUTHORIZATION": f"Token {facts['token']}", "HTTP_ACCEPT": "application/json"}
    return {
        "list_page1": ("/students/", {}),
        "list_middle": (f"/students/?page={max(last_page // 2, 1)}", {}),
        "list_last": (f"/students/?page={last_page}", {}),
        "list_search": (f"/students/?q={facts['search_word']}", {}),
        "list_sort": ("/students/?sort=-enrolled_on", {}),
        "detail": (f"/students/{facts['middle_student_id']}/", {}),
        "course_roster": (f"/courses/{facts['course_id']}/", {}),
        "api_list": ("/api/students/", token),
    }


def measure(client, path, headers, reps):
    for _ in range(WARMUP):
        started = time.perf_counter()
        response = client.get(path, **headers)
    if time.perf_counter() - started > SLOW_REQUEST_SECONDS:
        reps = 3  # e.g. a 10,000-student roster: keep the run short
    with CaptureQueriesContext(connection) as captured:
        client.get(path, **headers)
    queries = len(captured.captured_queries)  # now: the next request clears the log
    times, statuses = [], set()
    for _ in range(reps):
        started = time.perf_counter()
        response = client.get(path, **headers)
        times.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
    return {
        "path": path,
        "status": sorted(statuses),
        "ms": summary(times, 2),
        "queries": queries,
    }


def seed_if_needed(size, reseed):
    """Seconds spent seeding, or None when an SQLite file seeded alike is reused."""
    if connection.vendor == "sqlite":
        db_file = Path(os.environ["BENCH_SQLITE_PATH"])
        marker = db_file.with_suffix(".fingerprint")
        if not reseed and db_file.exists() and marker.exists() and marker.read_text() == seed.fingerprint(size):
            return None
        connection.close()
        for stale in (db_file, marker, Path(f"{db_file}-wal"), Path(f"{db_file}-shm"), Path(f"{db_file}-journal")):
            stale.unlink(missing_ok=True)
    started = time.perf_counter()
    # PostgreSQL: a fresh database each run; ANALYZE stands in for a live server's autovacuum.
    seed.seed(size, analyze=connection.vendor == "postgresql")
    if connection.vendor == "sqlite":
        marker.write_text(seed.fingerprint(size))
    return round(time.perf_counter() - started, 1)


def main():
    parser = argparse.ArgumentParser()
    for option, kind in (("--size", int), ("--reps", int), ("--out", Path)):
        parser.add_argument(option, type=kind)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    seeded_in = seed_if_needed(args.size, args.reseed)
    if args.out is None:  # seeding only
        return 0
    facts = seed.facts(args.size)
    # No setup_test_environment(): its template instrumentation would slow every render.
    client = Client()
    client.force_login(get_user_model().objects.get(pk=facts["registrar_id"]))
    results = {}
    for name, (path, headers) in endpoints(facts).items():
        result = results[name] = measure(client, path, headers, args.reps)
        print(f"    {args.size:>7} {name:<14} {result['ms']['median']:8.2f} ms, {result['queries']} queries")
    del facts["token"]
    out = {"facts": facts, "seeded_in_s": seeded_in, "vendor": connection.vendor, "endpoints": results}
    args.out.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
