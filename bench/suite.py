"""Whole-suite timings: serial, parallel, under coverage, one module, and `manage.py check`.

The commands are the Makefile's own (`make bench` passes make test's and make
coverage's pytest command lines). Every round runs all five back to back, so a
noisy machine slows a round's commands alike and the ratios, taken per round,
hold. The serial run records every test's time (pytest-split's durations file).
"""

import json
import os
import re
import shlex
import statistics
import time

from .common import PYTHON, ROOT, WORK, child_env, ratio, run_timed, summary

SUMMARY_LINE = re.compile(r"^=+ (.*\d+ (?:passed|failed).*) in [0-9.]+s", re.MULTILINE)
ONE_TEST_LABEL = "apps/accounts/tests/test_models.py"
COMMAND_TIMEOUT = 900
ORDER = ("check", "one_test", "serial", "parallel", "coverage")


def split_command(command):
    """`VAR=value ... program args` (a Makefile recipe line) as (env, argv)."""
    words, env = shlex.split(command), {}
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    return env, words


def commands(test_command, coverage_command, one_label):
    """Each command as (argv, extra environment, how it reads in the Makefile's terms)."""
    if not (ROOT / one_label).exists():
        raise SystemExit(f"bench: --one-test {one_label} names no module")
    planned = {
        "check": (f"{PYTHON} manage.py check", ""),
        "one_test": (test_command, f"-n 0 {one_label}"),  # as `make test T=<module>` runs it
        "serial": (test_command, "-n 0"),
        "parallel": (test_command, ""),
        "coverage": (coverage_command, ""),
    }
    # Coverage data goes to bench/work, leaving the developer's .coverage alone.
    data = {"COVERAGE_FILE": str(WORK / "suite" / ".coverage")}
    for name, (command, arguments) in planned.items():
        env, argv = split_command(command)
        shown = f"{command} {arguments}".replace(f"{ROOT}/", "").strip()
        planned[name] = (argv + arguments.split(), {**env, **data}, shown)
    return planned


def run(reps, test_command, coverage_command, one_label, log):
    """`reps` rounds of the five commands; returns the `suite` section of results.json."""
    planned = commands(test_command, coverage_command, one_label)
    wall, cpu, codes = ({name: [] for name in ORDER} for _ in range(3))
    counts, timings = {}, []
    started = time.perf_counter()
    for round_number in range(1, reps + 1):
        for name in ORDER:
            argv, extra, _ = planned[name]
            timings_file = WORK / "suite" / f"timings-{name}.json"
            for stale in [timings_file, *(WORK / "suite").glob(".coverage*")]:
                stale.unlink(missing_ok=True)
            env = child_env(**extra)
            record = ["--store-durations", "--clean-durations", f"--durations-path={timings_file}"]
            log_path = WORK / "suite" / f"{name}-{round_number}.log"
            done = run_timed(argv + record * (name == "serial"), env=env, log_path=log_path, timeout=COMMAND_TIMEOUT)
            for series, key in ((wall, "wall"), (cpu, "cpu"), (codes, "code")):
                series[name].append(done[key])
            if (found := SUMMARY_LINE.findall(done["output"])) and name != "one_test":
                counts[name] = {kind: int(n.group(1)) if (n := re.search(rf"(\d+) {kind}", found[-1])) else 0
                                for kind in ("passed", "failed", "skipped")}  # fmt: skip
            if name == "serial" and timings_file.exists():
                timings.append(json.loads(timings_file.read_text()))
            figures = f"{done['wall']:6.1f} s, CPU {done['cpu']:5.1f} s, exit {done['code']}"
            log(f"  suite {round_number}/{reps}: {name:<9} {figures}")
        if round_number == 1:
            log(f"  suite: one round took {time.perf_counter() - started:.0f} s")
    return _summarise(wall, cpu, codes, counts, timings, planned, one_label)


def _per_round(series, top, bottom):
    return summary([ratio(a, b, 4) for a, b in zip(series[top], series[bottom], strict=True)], digits=2)


def _summarise(wall, cpu, codes, counts, timings, planned, one_label):
    ms = (
        {
            test_id: statistics.median(run[test_id] * 1000 for run in timings if test_id in run)
            for test_id in timings[0]
        }
        if timings
        else {}
    )
    browser = [value for test_id, value in ms.items() if "/test_browser" in test_id]
    cores = os.cpu_count() or 1
    serial_counts = counts.get("serial") or counts.get("parallel") or {}
    speedup, overhead = _per_round(wall, "serial", "parallel"), _per_round(wall, "coverage", "parallel")
    return {
        **serial_counts,
        "tests": sum(serial_counts.values()) if serial_counts else None,
        "exit_codes": codes,
        "wall_s": {name: summary(values, 2) for name, values in wall.items()},
        # CPU of each command and everything it started (Chromium included): what noise barely moves.
        "cpu_s": {name: summary(values, 2) for name, values in cpu.items()},
        "cpu_ratios": {
            "parallel_speedup": _per_round(cpu, "serial", "parallel"),
            "coverage_overhead": _per_round(cpu, "coverage", "parallel"),
        },
        # The parallel run cannot end before its CPU work, spread over every core, is done.
        "parallel_speedup_cpu_ceiling": summary(
            [ratio(s, c / cores, 4) for s, c in zip(wall["serial"], cpu["parallel"], strict=True)], digits=2
        ),
        "slowest": [{"test": t, "ms": round(v, 1)} for t, v in sorted(ms.items(), key=lambda item: -item[1])[:10]],
        "browser_tests": {"count": len(browser), "total_ms": round(sum(browser), 1)},
        "parallel_speedup": speedup["median"],
        "parallel_speedup_per_round": speedup,
        "coverage_overhead": overhead["median"],
        "coverage_overhead_per_round": overhead,
        "one_test_ratio": (one := _per_round(wall, "one_test", "check"))["median"],
        "one_test_ratio_per_round": one,
        "one_test_label": one_label,
        "commands": {name: shown for name, (_, _, shown) in planned.items()},
    }
