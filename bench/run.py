"""`make bench`: measure the suite, the app at three sizes and a short HTTP load, in one run.

    .venv/bin/python bench/run.py                 # the full run (< 10 minutes)
    .venv/bin/python bench/run.py --quick         # small sizes, few repetitions (development)
    BENCH_DB=postgres .venv/bin/python bench/run.py   # app and load on a throwaway PostgreSQL

Writes bench/results.json and the marked figures of docs/benchmarks.md, prints a table with the
targets met. See docs/benchmarks.md for what each figure means.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load, report, suite
from bench.common import (
    PYTHON,
    REGISTRAR_PASSWORD,
    REGISTRAR_USERNAME,
    ROOT,
    WORK,
    child_env,
    machine_cpu,
    machine_info,
    ratio,
)

FULL_SIZES = (100, 10_000, 100_000)
QUICK_SIZES = (100, 1_000)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 1000, minimum repetitions, short load")
    parser.add_argument(
        "--sizes", type=lambda text: tuple(int(size) for size in text.split(",")), help="e.g. 100,10000"
    )
    parser.add_argument("--suite-reps", type=int, default=3, help="rounds of the suite commands (>= 3 for figures)")
    parser.add_argument("--app-reps", type=int, default=None, help="timed requests per endpoint and size")
    parser.add_argument("--load-requests", type=int, default=None, help="max requests per endpoint")
    parser.add_argument("--load-seconds", type=float, default=None, help="max seconds per endpoint")
    parser.add_argument("--load-threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 3)), help="gunicorn workers")
    parser.add_argument("--one-test", default=os.environ.get("BENCH_ONE_TEST"), help="module for one_test_ratio")
    parser.add_argument("--skip", action="append", default=[], choices=["suite", "app", "load"])
    parser.add_argument("--reseed", action="store_true", help="rebuild the seeded SQLite files")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    parser.add_argument(
        "--docs-only", action="store_true", help="measure nothing: rewrite the docs figures from --out"
    )
    args = parser.parse_args(argv)
    args.sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    args.app_reps = args.app_reps or (3 if args.quick else 7)
    args.load_requests = args.load_requests or (100 if args.quick else 600)
    args.load_seconds = args.load_seconds or (3.0 if args.quick else 10.0)
    return args


def log(message):
    print(message, flush=True)


def sqlite_path(size):
    return WORK / "app" / f"sqlite-{size}.sqlite3"


def app_child(args, size, database_urls, *extra):
    """`python -m bench.app` for one size, with that size's database."""
    if database_urls:
        env = child_env(DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=database_urls[size])
    else:
        env = child_env(DJANGO_SETTINGS_MODULE="bench.settings", BENCH_SQLITE_PATH=sqlite_path(size))
    command = [str(PYTHON), "-m", "bench.app", "--size", str(size), *extra]
    if args.reseed:
        command.append("--reseed")
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603


def run_app(args, database_urls):
    """One child process per size (own settings and database); returns the `app` section."""
    (WORK / "app").mkdir(parents=True, exist_ok=True)
    by_size, seeded, facts, plans, vendor = {}, {}, {}, {}, None
    for size in args.sizes:
        out = WORK / "app" / f"result-{size}.json"
        out.unlink(missing_ok=True)
        started = time.perf_counter()
        app_child(args, size, database_urls, "--reps", str(args.app_reps), "--out", str(out))
        measured = json.loads(out.read_text())
        log(f"  app: {size} rows done in {time.perf_counter() - started:.0f} s (seeding {measured['seeded_in_s']} s)")
        vendor = measured["vendor"]
        seeded[str(size)] = measured["seeded_in_s"]
        facts[str(size)] = measured["facts"]
        plans[str(size)] = measured["list_page1_plans"]
        endpoints = measured["endpoints"]
        for name, entry in endpoints.items():
            if name != "list_page1":
                entry.pop("sql")
        by_size[str(size)] = endpoints
    smallest, largest = str(min(args.sizes)), str(max(args.sizes))
    return {
        "database": vendor,
        "sizes": list(args.sizes),
        "reps_per_endpoint": args.app_reps,
        "client": "django.test.Client, logged-in registrar (API: Authorization: Token)",
        "settings": "bench.settings (project.settings.test on a persistent database, DEBUG False)",
        "list_queries": {str(size): by_size[str(size)]["list_page1"]["queries"] for size in args.sizes},
        "list_time_ratio_100k_vs_100": ratio(
            by_size[largest]["list_page1"]["ms"]["median"], by_size[smallest]["list_page1"]["ms"]["median"]
        ),
        "list_time_ratio_sizes": [int(largest), int(smallest)],
        "by_size": by_size,
        "facts": facts,
        "seeded_in_s": seeded,
        "list_page1_plans": plans,
    }


def run_load(args, database_urls):
    size = max(args.sizes)
    if "app" in args.skip:
        app_child(args, size, database_urls, "--seed-only")  # reuses a seeded SQLite file as is
    database_url = database_urls[size] if database_urls else None
    if database_url is None:
        # A copy of the largest seeded file: the server's sessions stay out of the seeded data.
        source = sqlite_path(max(args.sizes))
        target = WORK / "load" / "load.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        database_url = f"sqlite:///{target}"
    result = load.run(
        database_url,
        REGISTRAR_USERNAME,
        REGISTRAR_PASSWORD,
        threads=args.load_threads,
        max_requests=args.load_requests,
        max_seconds=args.load_seconds,
        workers=args.workers,
        log=log,
    )
    result["rows"] = max(args.sizes)
    return result


def main(argv=None):
    args = parse_args(argv)
    if args.docs_only:
        results = json.loads(args.out.read_text())
        report.docs(results)
        log(report.console(results))
        return 0
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    backend = os.environ.get("BENCH_DB", "sqlite").lower()
    if backend not in ("sqlite", "postgres"):
        raise SystemExit(f"BENCH_DB must be sqlite or postgres, not {backend!r}")
    # A polite stop (kill, Ctrl-C) still runs every cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = {"machine": machine_info()}
    busy_at_start, steal_at_start = machine_cpu()
    log(f"bench: {results['machine']['cpu_model']}, {results['machine']['cores']} cores, BENCH_DB={backend}")

    if "suite" not in args.skip:
        log(f"suite: {args.suite_reps} rounds of check / one module / serial / parallel / coverage")
        results["suite"] = suite.run(args.suite_reps, log=log, one_test_override=args.one_test)
        results["suite"]["chromium"] = results["machine"]["chromium"]

    with ExitStack() as stack:
        database_urls = None
        if backend == "postgres" and not {"app", "load"} <= set(args.skip):
            from bench.pg import Cluster

            cluster = stack.enter_context(Cluster(log=log))
            results["machine"]["postgres"] = cluster.version()
            database_urls = {size: cluster.create_database(f"bench_{size}") for size in args.sizes}
        if "app" not in args.skip:
            log(f"app: sizes {', '.join(map(str, args.sizes))} on {backend}, {args.app_reps} timed requests each")
            results["app"] = run_app(args, database_urls)
        if "load" not in args.skip:
            limits = f"≤ {args.load_requests} requests or {args.load_seconds:.0f} s per endpoint"
            log(f"load: {args.load_threads} threads, {limits}")
            results["load"] = run_load(args, database_urls)

    results["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    busy_at_end, steal_at_end = machine_cpu()
    if steal_at_start is not None:
        # CPU time the hypervisor handed to other guests during the run (0 on a quiet host).
        results["machine"]["steal_s_during_run"] = round(steal_at_end - steal_at_start, 1)
        results["machine"]["busy_core_s_during_run"] = round(busy_at_end - busy_at_start, 1)
    results["targets"] = report.targets(results)
    results["run"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]).strip(),
        "bench_db": backend,
        "out": str(args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    if not args.no_docs:
        report.docs(results)
    log(report.console(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
