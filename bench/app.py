"""In-process page/API latency and query counts for one seeded size.

Run by bench/run.py as a child process (one per size, so each has its own
database settings):

    DJANGO_SETTINGS_MODULE=bench.settings BENCH_SQLITE_PATH=... python -m bench.app --size 10000 --out f.json

Requests go through the whole stack (middleware, session, auth, templates,
DRF) with django.test.Client as a logged-in registrar; the API with a real
`Authorization: Token` header.
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
MIN_REPS = 3
SLOW_REQUEST_SECONDS = 1.0


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


def explain(sql):
    """The database's plan for one captured query (to spot full scans)."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
    except Exception as error:
        return [f"(no plan: {error.__class__.__name__})"]
    if connection.vendor == "sqlite":
        return [row[-1] for row in rows]
    return [row[0] for row in rows]


def measure(client, path, headers, reps):
    for _ in range(WARMUP):
        started = time.perf_counter()
        response = client.get(path, **headers)
        warm_seconds = time.perf_counter() - started
    status = response.status_code
    if warm_seconds > SLOW_REQUEST_SECONDS:
        reps = MIN_REPS  # e.g. a 10,000-row roster: three samples, not seven, keep the run short
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    # Read now: the log is cleared when the next request starts.
    queries = [query["sql"] for query in captured.captured_queries]
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        response = client.get(path, **headers)
        times.append((time.perf_counter() - started) * 1000)
        status = status if status != 200 else response.status_code
    return {
        "path": path,
        "status": status,
        "bytes": len(response.content),
        "ms": summary(times, 2),
        "reps": len(times),
        "queries": len(queries),
        "sql": queries,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--out", type=Path, help="where to write the measurements (JSON)")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--seed-only", action="store_true", help="seed (if needed) and measure nothing")
    args = parser.parse_args()
    if not args.seed_only and args.out is None:
        parser.error("--out is required unless --seed-only")

    sqlite_path = os.environ.get("BENCH_SQLITE_PATH")
    seeded_in = None
    if connection.vendor == "sqlite":
        db_file, marker = Path(sqlite_path), Path(f"{sqlite_path}.json")
        if args.reseed or not (db_file.exists() and seed.marker_matches(marker, args.size)):
            for stale in (db_file, marker, Path(f"{sqlite_path}-journal"), Path(f"{sqlite_path}-wal")):
                stale.unlink(missing_ok=True)
            started = time.perf_counter()
            seed.seed(args.size, analyze=False)
            seeded_in = round(time.perf_counter() - started, 1)
            seed.write_marker(marker, args.size)
    else:
        # PostgreSQL: a fresh database in a throwaway cluster, seeded every run;
        # ANALYZE stands in for the autovacuum a live server would have run.
        started = time.perf_counter()
        seed.seed(args.size, analyze=True)
        seeded_in = round(time.perf_counter() - started, 1)

    if args.seed_only:
        return 0
    facts = seed.facts(args.size)
    # No setup_test_environment(): its template instrumentation would slow every
    # render; the test settings already allow the client's "testserver" host.
    client = Client()
    client.force_login(get_user_model().objects.get(pk=facts["registrar_id"]))
    results = {}
    for name, (path, headers) in endpoints(facts).items():
        results[name] = measure(client, path, headers, args.reps)
        print(
            f"    {args.size:>7} {name:<14} {results[name]['ms']['median']:8.2f} ms "
            f"{results[name]['queries']:3d} queries  (HTTP {results[name]['status']})",
            flush=True,
        )
    plans = {sql: explain(sql) for sql in results["list_page1"]["sql"] if "students_student" in sql}
    public_facts = {key: value for key, value in facts.items() if key != "token"}
    args.out.write_text(
        json.dumps(
            {
                "facts": public_facts,
                "seeded_in_s": seeded_in,
                "vendor": connection.vendor,
                "endpoints": results,
                "list_page1_plans": plans,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
