"""HTTP load against `make serve` itself (on a free loopback port and the database given, always
stopped at the end): a read phase, a write phase, then readers beside writers and a flood of failed
logins from the same address, each a headless locust run (bench/locustfile.py).
"""

import contextlib
import csv
import re
import subprocess
import time
import urllib.request

from .common import PYTHON, REGISTRAR_PASSWORD, REGISTRAR_USERNAME, ROOT, WORK, child_env, free_port, stop_group

# migrate and collectstatic first: collectstatic compresses every file again, a minute or more.
STARTUP_TIMEOUT = 600
LOCUST = PYTHON.parent / "locust"


def _wait_until_healthy(port, server, log_path):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"make serve exited with {server.returncode}; see {log_path}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
            return  # answered 200 (urlopen raises on an error status)
        time.sleep(0.3)
    raise RuntimeError(f"make serve did not answer /healthz within {STARTUP_TIMEOUT} s; see {log_path}")


def _stats(prefix):
    """Locust's `<prefix>_stats.csv`: one entry per request name, plus the total."""
    entries = {}
    for row in _rows(f"{prefix}_stats.csv"):
        # The figures follow the Type and Name columns.
        number = {key: None if value == "N/A" else float(value) for key, value in list(row.items())[2:]}
        entries["total" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"] = {
            "requests": int(number["Request Count"]),
            "failures": int(number["Failure Count"]),
            "rps": round(number["Requests/s"], 1),
            "latency_ms": {"median": number["Median Response Time"], "p95": number["95%"]},
        }
    return entries


def _rows(path):
    with open(path, newline="") as found:
        return list(csv.DictReader(found))


FLOODERS = 8  # loops of failed logins, as many as the office has readers and writers together


def phase(port, user_class, users, seconds, log, counts=None):
    """One locust run of `user_class` (or, with `counts` {class: users}, of several at once)."""
    prefix = WORK / "load" / ("busy" if counts else user_class.lower())
    # --reset-stats: the figures start once every user runs, not with the one-off login before.
    options = f"--headless --only-summary --reset-stats -u {users} -r {users} -t {seconds}s -L WARNING --csv {prefix}"
    argv = [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--host", f"http://127.0.0.1:{port}"]
    argv += [*options.split(), *(counts or [user_class])]
    env = child_env(BENCH_USERNAME=REGISTRAR_USERNAME, BENCH_PASSWORD=REGISTRAR_PASSWORD)
    env.update({f"BENCH_{name.upper()}S": str(count) for name, count in (counts or {}).items()})
    with open(f"{prefix}.log", "w") as out:
        subprocess.run(  # noqa: S603 - argv built here
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False, timeout=seconds + 120
        )
    entries = _stats(prefix)
    failures = [
        f"{r['Occurrences']} x {r['Method']} {r['Name']}: {r['Error']}" for r in _rows(f"{prefix}_failures.csv")
    ]
    total = entries.pop("total")
    log(
        f"  load: {user_class:<7} {users} users, {total['requests']:5d} requests, {total['rps']:6.1f} req/s, "
        f"{total['failures']} failures, median {total['latency_ms']['median']:.0f} ms"
    )
    return {"users": users, "seconds": seconds, **total, "by_request": entries, "failure_kinds": failures}


def busy_phase(port, readers, writers, seconds, log):
    """Readers beside writers and FLOODERS loops of failed logins: what the readers wait."""
    counts = {"Reader": readers, "Writer": writers, "Flooder": FLOODERS}
    busy = phase(port, "Busy", sum(counts.values()), seconds, log, counts=counts)
    reads = [
        busy["by_request"][name] for name in ("GET /students/", "GET /api/students/") if name in busy["by_request"]
    ]
    latency = [read["latency_ms"] for read in reads]
    busy["reads_beside_writes_and_flood"] = {
        "requests": sum(read["requests"] for read in reads),
        "failures": sum(read["failures"] for read in reads),
        "median_ms": max(figure["median"] for figure in latency),
        "p95_ms": max(figure["p95"] for figure in latency),
    }
    log(
        "  load: reads beside the writers and the flood: median {median_ms:.0f} ms, p95 {p95_ms:.0f} ms, "
        "{failures} failures".format(**busy["reads_beside_writes_and_flood"])
    )
    return busy


def run(database_url, *, users, writers, seconds, log):
    """Start `make serve`, run the read and the write phase, stop the server."""
    port = free_port()
    log_path = WORK / "load" / "serve.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = child_env(DATABASE_URL=database_url)
    env.pop("DJANGO_SETTINGS_MODULE")  # make serve chooses the production settings
    with open(log_path, "w") as out:
        serve = ["make", "--no-print-directory", "serve", f"PORT={port}"]
        server = subprocess.Popen(  # noqa: S603 - argv built here
            serve, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_until_healthy(port, server, log_path)
            log(f"  load: make serve up on 127.0.0.1:{port}")
            read = phase(port, "Reader", users, seconds, log)
            write = phase(port, "Writer", writers, seconds, log)
            busy = busy_phase(port, users, writers, seconds, log)
        finally:
            stop_group(server)
    server_errors = len(re.findall(r'" 5\d\d ', log_path.read_text(errors="replace")))
    return {
        "server": f"make serve (gunicorn, production settings, WORKERS={env.get('WORKERS', 'its default')})",
        "read": read,
        "write": write,
        "busy": busy,
        "server_errors_in_access_log": server_errors,
    }
