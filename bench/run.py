"""`make bench` (BENCH_ARGS=--quick, BENCH_DB=postgres): the suite's speed, the app at three sizes and an
HTTP read/write load in one run; writes bench/results.json and the figures in docs/benchmarks.md.

The Makefile passes the suite's commands and, with BENCH_DB=postgres, runs this under
scripts/with_postgres.sh (DATABASE_URL).
"""

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load, report, suite
from bench.common import PYTHON, ROOT, WORK, adopt_orphans, child_env, log, machine_info, ratio


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--test-command", help="what make test runs, before labels and options (from the Makefile)")
    add("--coverage-command", help="what make coverage runs, before labels and options (from the Makefile)")
    add("--quick", action="store_true", help="sizes 100 and 1000, one suite round, 3 s load phases")
    add("--sizes", type=lambda text: tuple(int(size) for size in text.split(",")), help="e.g. 100,10000")
    add("--suite-reps", type=int, help="rounds of the suite commands (default 3)")
    add("--app-reps", type=int, default=7, help="timed requests per endpoint and size")
    add("--load-seconds", type=int, help="seconds per load phase (default 10)")
    add("--users", type=int, default=4, help="locust users reading")
    add("--writers", type=int, default=8, help="locust users writing")
    add("--one-test", default=suite.ONE_TEST_LABEL, help="the module timed against manage.py check")
    add("--skip", action="append", default=[], choices=["suite", "app", "load"])
    add("--reseed", action="store_true", help="rebuild the seeded SQLite files")
    add("--out", type=Path, default=ROOT / "bench" / "results.json")
    add("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ((100, 1_000) if args.quick else (100, 10_000, 100_000))
    args.suite_reps = args.suite_reps or (1 if args.quick else 3)
    args.load_seconds = args.load_seconds or (3 if args.quick else 10)
    if "suite" not in args.skip and not (args.test_command and args.coverage_command):
        parser.error("the suite's commands come from the Makefile: run `make bench` (or pass --skip suite)")
    return args


def database_urls(sizes, machine):
    """One database per size: SQLite files kept between runs, or fresh ones in the PostgreSQL cluster."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return {size: f"sqlite:///{WORK / 'app' / f'sqlite-{size}.sqlite3'}" for size in sizes}
    import psycopg  # only with BENCH_DB=postgres

    with psycopg.connect(base, autocommit=True) as connection:
        machine["postgres"] = "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0]
        query = "SELECT to_jsonb(d) FROM pg_database d WHERE datname = current_database()"
        row = connection.execute(query).fetchone()[0]  # the column names change between versions
        locale = row.get("daticulocale") or row.get("datlocale") or row["datcollate"]
        machine["postgres_collation"] = f"{'ICU' if row.get('datlocprovider') == 'i' else 'libc'} {locale}"
        for size in sizes:
            connection.execute(f"DROP DATABASE IF EXISTS bench_{size}")
            connection.execute(f"CREATE DATABASE bench_{size}")
    parts = urlsplit(base)
    return {size: urlunsplit(parts._replace(path=f"/bench_{size}")) for size in sizes}


def app_child(args, size, url, *options):
    """`python -m bench.app` for one size, on that size's database (it seeds it when needed)."""
    env = child_env(DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=url)
    if url.startswith("sqlite"):
        env["BENCH_SQLITE_PATH"] = env.pop("DATABASE_URL").removeprefix("sqlite:///")
    command = [str(PYTHON), "-m", "bench.app", "--size", str(size), *options, *["--reseed"] * args.reseed]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - argv built here


def run_app(args, urls):
    (WORK / "app").mkdir(parents=True, exist_ok=True)
    measured = {}
    for size in args.sizes:
        out = WORK / "app" / f"result-{size}.json"
        out.unlink(missing_ok=True)
        started = time.perf_counter()
        app_child(args, size, urls[size], "--reps", str(args.app_reps), "--out", str(out))
        measured[str(size)] = result = json.loads(out.read_text())
        log(f"  app: {size} rows in {time.perf_counter() - started:.0f} s (seeding {result['seeded_in_s']} s)")
    pages = {size: result["endpoints"]["list_page1"] for size, result in measured.items()}
    smallest, largest = str(min(args.sizes)), str(max(args.sizes))
    return {
        "database": measured[largest]["vendor"],
        "sizes": list(args.sizes),
        "reps_per_endpoint": args.app_reps,
        "list_queries": {size: page["queries"] for size, page in pages.items()},
        "list_time_ratio_largest_vs_smallest": ratio(pages[largest]["ms"]["median"], pages[smallest]["ms"]["median"]),
        "by_size": {size: result["endpoints"] for size, result in measured.items()},
        "facts": {
            size: {**result["facts"], "seeded_in_s": result["seeded_in_s"]} for size, result in measured.items()
        },
    }


def run_load(args, urls):
    size = max(args.sizes)
    url = urls[size]
    if url.startswith("sqlite"):
        app_child(args, size, url)  # seeds the file if the app part did not
        # The writers write into a copy: the seeded file stays as the app measured it.
        seeded, copy = Path(url.removeprefix("sqlite:///")), WORK / "load" / "load.sqlite3"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.unlink(missing_ok=True)
        with sqlite3.connect(seeded) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        url = f"sqlite:///{copy}"
    return {**load.run(url, users=args.users, writers=args.writers, seconds=args.load_seconds, log=log), "rows": size}


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    adopt_orphans()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a kill still runs every cleanup
    backend = "postgres" if os.environ.get("DATABASE_URL") else "sqlite"
    results = {"machine": machine_info()}
    log(f"bench: {results['machine']['cpu_model']}, {results['machine']['cores']} cores, database {backend}")
    if "suite" not in args.skip:
        log(f"suite: {args.suite_reps} rounds of check / one module / serial / parallel / coverage")
        results["suite"] = suite.run(args.suite_reps, args.test_command, args.coverage_command, args.one_test, log)
    if not {"app", "load"} <= set(args.skip):
        urls = database_urls(args.sizes, results["machine"])
        if "app" not in args.skip:
            log(f"app: sizes {', '.join(map(str, args.sizes))} on {backend}, {args.app_reps} timed requests each")
            results["app"] = run_app(args, urls)
        if "load" not in args.skip:
            log(f"load: {args.users} readers then {args.writers} writers, {args.load_seconds} s each")
            results["load"] = run_load(args, urls)
    results["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    results["targets"] = report.targets(results)
    options = " ".join(w for i, w in enumerate(sys.argv[1:]) if "-command" not in w and "-command" not in sys.argv[i])
    command = f"{'BENCH_DB=postgres ' * (backend == 'postgres')}make bench" + f" BENCH_ARGS='{options}'" * bool(
        options
    )
    results["run"] = {"seconds": round(time.perf_counter() - started, 1), "bench_db": backend, "command": command}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    if not args.no_docs:
        report.docs(results)
    log(report.console(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
