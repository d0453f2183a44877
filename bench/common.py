"""Paths, statistics and process helpers shared by the benchmark modules (no Django here)."""

import contextlib
import ctypes
import importlib.metadata
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
PYTHON = Path(sys.executable)  # the project's virtualenv: make bench runs us with it

# A benchmark-only login, created in throwaway databases (bench/work or a temporary cluster).
REGISTRAR_USERNAME = "bench-registrar"
REGISTRAR_PASSWORD = "bench-only-password-7f3a"  # noqa: S105

# What would change what a run measures (or tie a child `make` to ours): unset unless a step sets it.
_UNSET = {"DATABASE_URL", "MEASURE_TEMPLATES", "TEST_DEPTH", "COVERAGE_FILE", "COVERAGE_PROCESS_START",
          "COVERAGE_PROCESS_CONFIG", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}  # fmt: skip
PR_SET_CHILD_SUBREAPER = 36


def log(message):
    print(message, flush=True)


def child_env(**extra):
    env = {key: value for key, value in os.environ.items() if key not in _UNSET}
    env.update(DJANGO_SETTINGS_MODULE="project.settings.test", PYTHONPATH=str(ROOT))
    env.update({key: str(value) for key, value in extra.items()})
    return env


def summary(values, digits=3):
    """Median, min and max of repeated measurements (the figure is the median)."""
    values = [value for value in values if value is not None]
    functions = {"median": statistics.median, "min": min, "max": max}
    return {**{name: round(f(values), digits) if values else None for name, f in functions.items()}, "n": len(values)}


def ratio(numerator, denominator, digits=2):
    return round(numerator / denominator, digits) if numerator and denominator else None


def adopt_orphans():
    """Reap (Linux) what outlives its parent, e.g. Chromium once chromedriver quits: its CPU counts too."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_orphans(seconds=5.0):
    deadline = time.monotonic() + seconds
    with contextlib.suppress(ChildProcessError):  # raised once every descendant is reaped
        while time.monotonic() < deadline:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                time.sleep(0.05)


def _children_cpu():
    return sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])  # user + system


def run_timed(argv, *, env, log_path, timeout):
    """Wall and CPU seconds (user+system of `argv` and all it started: workers, Chromium, live server),
    exit code and output (kept in `log_path`); on a timeout or an interrupt its process group is killed."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as out:
        cpu_before, started = _children_cpu(), time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - argv built by this package
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = "timeout"
            stop_group(process)
        except BaseException:
            stop_group(process)
            raise
        wall = time.perf_counter() - started
        _reap_orphans()
    output = log_path.read_text("utf-8", "replace")
    return {"wall": wall, "cpu": _children_cpu() - cpu_before, "code": code, "output": output}


def stop_group(process, grace=15):
    """Stop a process we started with start_new_session, with everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine_info():
    def first(path, prefix):
        lines = Path(path).read_text().splitlines() if Path(path).exists() else []
        return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(prefix)), "")

    return {
        "cpu_model": first("/proc/cpuinfo", "model name") or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(int(first("/proc/meminfo", "MemTotal").split()[0] or 0) / 1024**2, 1),
        "python": platform.python_version(),
        "django": importlib.metadata.version("django"),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
