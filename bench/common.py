"""Paths, statistics and process helpers shared by the benchmark modules (no Django here)."""

import contextlib
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
BENCH = ROOT / "bench"
WORK = BENCH / "work"
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():  # e.g. run with another interpreter on purpose
    PYTHON = Path(sys.executable)

# A benchmark-only login, created in throwaway databases (bench/work or a temporary cluster).
REGISTRAR_USERNAME = "bench-registrar"
REGISTRAR_PASSWORD = "bench-only-password-7f3a"  # noqa: S105

# Variables that would change what a run measures; every child starts without them
# unless a step sets them on purpose.
_UNSET = ("DATABASE_URL", "MEASURE_TEMPLATES", "TEST_TIMINGS_FILE", "COVERAGE_FILE", "COVERAGE_PROCESS_START")


def child_env(**extra):
    env = {key: value for key, value in os.environ.items() if key not in _UNSET}
    env["DJANGO_SETTINGS_MODULE"] = "project.settings.test"
    env["PYTHONPATH"] = str(ROOT)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def summary(values, digits=3):
    """Median, min and max of repeated measurements (the figure is the median)."""
    values = [value for value in values if value is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "n": len(values),
    }


def ratio(numerator, denominator, digits=2):
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, digits)


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_cpu():
    """(busy, steal) CPU seconds of the whole machine so far, all cores, from /proc/stat.

    Busy excludes idle, iowait and steal; steal is time the hypervisor gave our
    virtual CPUs to someone else (a noisy neighbour slows every figure).
    """
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:9]]
    except OSError:
        return None, None
    fields += [0] * (8 - len(fields))
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def run_timed(cmd, *, env, log_path, timeout):
    """Run `cmd` from the project root; return a dict of wall, cpu, busy, code, output.

    - wall: elapsed seconds (the figure);
    - cpu: user+system seconds of the command and every process it waited for
      (test workers included; not Chromium, which is reparented when it exits);
    - busy: CPU seconds the whole machine spent meanwhile (Chromium included,
      other people's jobs too), to tell a CPU-bound run from an idle one;
    - steal: CPU seconds the hypervisor took away meanwhile.
    Output goes to `log_path` (not a pipe) so a chatty child never blocks. The
    command gets a process group of its own; if we are interrupted or it times
    out, the whole group (test workers included) is killed.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        cpu_before, (busy_before, steal_before) = _children_cpu(), machine_cpu()
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - fixed argv built by this package
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = "timeout"
            _kill_group(process)
        except BaseException:
            _kill_group(process)
            raise
        wall = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        busy_after, steal_after = machine_cpu()
    return {
        "wall": wall,
        "cpu": cpu,
        "busy": None if busy_before is None else busy_after - busy_before,
        "steal": None if steal_before is None else steal_after - steal_before,
        "code": code,
        "output": log_path.read_text(errors="replace"),
    }


def _kill_group(process):
    """Stop a command we started, with everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version_of(module_name):
    """The version the project's interpreter sees (the bench may run under another)."""
    code = f"import {module_name} as m; print(getattr(m, '__version__', None) or m.get_version())"
    done = subprocess.run(  # noqa: S603
        [str(PYTHON), "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    return done.stdout.strip() or None


def machine_info():
    load = os.getloadavg() if hasattr(os, "getloadavg") else (None, None, None)
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "python": platform.python_version(),
        "django": _version_of("django"),
        "platform": platform.platform(),
        "load_average_at_start": [round(value, 2) for value in load],
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "chromium": Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists(),
    }
