"""Whole-suite timings: serial, parallel, under coverage, one module, and `manage.py check`.

Every repetition runs all five commands back to back (a round), so a noisy
machine slows a round's commands alike and the ratios, taken per round, hold.
"""

import json
import os
import re
import shlex
import statistics
import time
from pathlib import Path

from .common import PYTHON, ROOT, WORK, child_env, ratio, run_timed, summary

COUNTS_LINE = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped\s*$", re.MULTILINE)
# Preferred "one small module" for one_test_ratio, first that exists wins
# (BENCH_ONE_TEST=<dotted.module> overrides).
ONE_TEST_CANDIDATES = (
    "apps.accounts.tests.test_models",
    "apps.students.tests.test_models",
    "apps.accounts.tests.test_smoke",
)
# What `make coverage` measures if the Makefile cannot be read (its recipe line
# with make's variables expanded for a whole-suite run).
DEFAULT_COVERAGE_LINE = (
    "MEASURE_TEMPLATES=1 $(PY) -m coverage run manage.py test $(TEST_LABELS) --parallel $(PARALLEL) $(TEST_ARGS)"
)
MAKE_VARIABLES = {"$(PY)": str(PYTHON), "$(TEST_LABELS)": "", "$(PARALLEL)": "auto", "$(TEST_ARGS)": ""}
COMMAND_TIMEOUT = 900
# The app and load parts take 1-2 minutes; past this the whole run passes 10 minutes.
SUITE_BUDGET_SECONDS = 480


def one_test_label(override=None):
    if override:
        return override
    for label in ONE_TEST_CANDIDATES:
        if (ROOT / (label.replace(".", "/") + ".py")).exists():
            return label
    # Otherwise the smallest non-browser test module there is.
    modules = sorted(
        (path.stat().st_size, path)
        for path in ROOT.glob("apps/*/tests/test_*.py")
        if "browser" not in path.name and "journey" not in path.name
    )
    if not modules:
        return None
    return ".".join(modules[0][1].relative_to(ROOT).with_suffix("").parts)


def coverage_command():
    """The measured line of the Makefile's `coverage` target, as (env, argv, source line).

    Read from the Makefile so the benchmark follows the target if it changes;
    make's variables are expanded as for a plain `make coverage`.
    """
    line = DEFAULT_COVERAGE_LINE
    makefile = ROOT / "Makefile"
    if makefile.exists():
        in_target = False
        for raw in makefile.read_text().splitlines():
            if re.match(r"^coverage\s*:", raw):
                in_target = True
                continue
            if in_target and not raw.startswith("\t"):
                break
            if in_target and "coverage run" in raw:
                line = raw.strip().lstrip("@-")
                break
    expanded = line
    for variable, value in MAKE_VARIABLES.items():
        expanded = expanded.replace(variable, value)
    words = shlex.split(expanded)
    env = {}
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    return env, words, line


def parse_counts(output):
    matches = COUNTS_LINE.findall(output)
    if not matches:
        return None
    passed, failed, skipped = (int(number) for number in matches[-1])
    return {"passed": passed, "failed": failed, "skipped": skipped, "tests": passed + failed + skipped}


def _commands(one_label):
    manage = [str(PYTHON), "manage.py"]
    coverage_env, coverage_argv, coverage_line = coverage_command()
    commands = {
        "check": ([*manage, "check"], {"DJANGO_SETTINGS_MODULE": "project.settings.test"}),
        "serial": ([*manage, "test", "--parallel", "1"], {}),
        "parallel": ([*manage, "test", "--parallel", "auto"], {}),
        # The coverage data goes to bench/work so the developer's .coverage is left alone.
        "coverage": (coverage_argv, {**coverage_env, "COVERAGE_FILE": str(WORK / "suite" / ".coverage")}),
    }
    if one_label:
        commands["one_test"] = ([*manage, "test", one_label], {})
    return commands, coverage_line


def _clear_coverage_data():
    for path in (WORK / "suite").glob(".coverage*"):
        path.unlink()


def run(reps, log=print, one_test_override=None):
    """Run `reps` rounds; return the `suite` section of results.json."""
    one_label = one_test_label(one_test_override)
    commands, coverage_line = _commands(one_label)
    order = ["check", "one_test", "serial", "parallel", "coverage"]
    order = [name for name in order if name in commands]
    measured = {name: {"wall": [], "cpu": [], "busy": [], "steal": []} for name in order}
    exit_codes = {name: [] for name in order}
    counts = {}
    timings_runs = []
    started = time.perf_counter()
    for round_number in range(1, reps + 1):
        for name in order:
            argv, extra_env = commands[name]
            env = child_env(**extra_env)
            timings_file = WORK / "suite" / f"timings-{name}-{round_number}.json"
            if name in ("serial", "parallel"):
                env["TEST_TIMINGS_FILE"] = str(timings_file)
                timings_file.unlink(missing_ok=True)
            if name == "coverage":
                _clear_coverage_data()
            done = run_timed(
                argv, env=env, log_path=WORK / "suite" / f"{name}-{round_number}.log", timeout=COMMAND_TIMEOUT
            )
            for key in ("wall", "cpu", "busy", "steal"):
                measured[name][key].append(done[key])
            exit_codes[name].append(done["code"])
            if name in ("serial", "parallel", "coverage"):
                counts.setdefault(name, parse_counts(done["output"]))
            if name == "serial" and timings_file.exists():
                timings_runs.append(json.loads(timings_file.read_text()))
            busy = f"{done['busy']:6.1f}" if done["busy"] is not None else "     ?"
            log(
                f"  suite round {round_number}/{reps}: {name:<9} {done['wall']:7.2f} s wall, "
                f"{done['cpu']:6.1f} s CPU, machine busy {busy} core-s, stolen {done['steal'] or 0:.1f} s"
                f"  (exit {done['code']})"
            )
        if round_number == 1:
            per_round = time.perf_counter() - started
            log(f"  suite: one round took {per_round:.0f} s; {reps} rounds ≈ {per_round * reps:.0f} s")
            if per_round * reps > SUITE_BUDGET_SECONDS:
                log(
                    f"  suite: WARNING the suite alone will take over {SUITE_BUDGET_SECONDS // 60} minutes; "
                    "`make bench` is meant to finish within 10 (quieter machine, or --suite-reps 3 is the minimum)"
                )
    _clear_coverage_data()
    return _summarise(measured, exit_codes, counts, timings_runs, one_label, commands, coverage_line)


def _per_round_ratio(series, numerator, denominator):
    pairs = zip(series.get(numerator, []), series.get(denominator, []), strict=False)
    return summary([ratio(top, bottom, 4) for top, bottom in pairs], digits=2)


def _is_browser_test(test_id):
    # The Selenium/Chromium journeys live in test_browser modules (tag "browser").
    return any(part.startswith("test_browser") for part in test_id.split("."))


def _summarise(measured, exit_codes, counts, timings_runs, one_label, commands, coverage_line):
    test_counts = counts.get("serial") or counts.get("parallel") or {}
    walls = {name: values["wall"] for name, values in measured.items()}
    cpus = {name: values["cpu"] for name, values in measured.items()}
    busy = {name: values["busy"] for name, values in measured.items()}
    cores = os.cpu_count() or 1
    # Each test's figure is its median over the serial rounds (no worker contention there).
    per_test = {}
    for timings in timings_runs:
        for test_id, seconds in timings.items():
            per_test.setdefault(test_id, []).append(seconds * 1000)
    per_test_ms = {test_id: statistics.median(values) for test_id, values in per_test.items()}
    slowest = sorted(per_test_ms.items(), key=lambda item: -item[1])[:10]
    browser = {test_id: ms for test_id, ms in per_test_ms.items() if _is_browser_test(test_id)}
    speedup = _per_round_ratio(walls, "serial", "parallel")
    overhead = _per_round_ratio(walls, "coverage", "parallel")
    one_ratio = _per_round_ratio(walls, "one_test", "check")
    # The parallel run cannot finish before its CPU work, spread over every core,
    # is done: serial wall / (that work / cores) is the best speedup it could show.
    ceiling = summary(
        [
            ratio(serial_wall, parallel_busy / cores, 4) if parallel_busy else None
            for serial_wall, parallel_busy in zip(walls.get("serial", []), busy.get("parallel", []), strict=False)
        ],
        digits=2,
    )
    return {
        "tests": test_counts.get("tests"),
        "passed": test_counts.get("passed"),
        "failed": test_counts.get("failed"),
        "skipped": test_counts.get("skipped"),
        "counts_by_run": counts,
        "exit_codes": exit_codes,
        "wall_s": {name: summary(values, 2) for name, values in walls.items()},
        # CPU seconds of the command's own processes: a cross-check that noise barely touches.
        "cpu_s": {name: summary(values, 2) for name, values in cpus.items()},
        "cpu_ratios": {
            "coverage_overhead": _per_round_ratio(cpus, "coverage", "parallel"),
            "one_test_ratio": _per_round_ratio(cpus, "one_test", "check"),
        },
        # Whole-machine CPU during each command (Chromium included; other jobs too).
        "machine_busy_core_s": {name: summary(values, 1) for name, values in busy.items()},
        # CPU time the hypervisor gave to other guests: anything but ~0 means a noisy host.
        "steal_core_s": {name: summary(values["steal"], 1) for name, values in measured.items()},
        "cores_in_use": {
            name: summary([ratio(b, w, 4) if b else None for b, w in zip(busy[name], walls[name], strict=False)])
            for name in busy
        },
        "parallel_speedup_cpu_ceiling": ceiling,
        "ms_per_test": {
            "mean": round(statistics.fmean(per_test_ms.values()), 1) if per_test_ms else None,
            "median": round(statistics.median(per_test_ms.values()), 1) if per_test_ms else None,
            "source": "per-test median over the serial runs (TEST_TIMINGS_FILE)",
        },
        "slowest": [{"test": test_id, "ms": round(ms, 1)} for test_id, ms in slowest],
        "browser_tests": {
            "count": len(browser),
            "total_ms": round(sum(browser.values()), 1),
            "note": "tests in test_browser modules (Selenium + Chromium, tag browser); kept in every run",
        },
        "parallel_speedup": speedup["median"],
        "parallel_speedup_per_round": speedup,
        "coverage_overhead": overhead["median"],
        "coverage_overhead_per_round": overhead,
        "one_test_ratio": one_ratio["median"],
        "one_test_ratio_per_round": one_ratio,
        "one_test_label": one_label,
        "commands": {
            name: " ".join(
                [f"{key}={value}" for key, value in extra.items() if key != "COVERAGE_FILE"]
                + [Path(argv[0]).relative_to(ROOT).as_posix() if argv[0].startswith(str(ROOT)) else argv[0]]
                + argv[1:]
            )
            for name, (argv, extra) in commands.items()
        },
        "coverage_makefile_line": coverage_line,
        "check_settings": "project.settings.test (DJANGO_SETTINGS_MODULE)",
    }
