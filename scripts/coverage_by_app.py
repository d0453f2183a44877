"""Print coverage one line per app and enforce the gates from setup.cfg.

Each app line counts the app's Python code and its templates together
(lines + branches); the lines below it show the templates alone. Exits 1
when an app or its templates fall below the gate in
[student_records:coverage_gates].
"""

import configparser
import json
import sys
from collections import defaultdict
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "students", "project")


def bucket(path):
    """(app, is_template) for a measured file, or None for files outside the apps."""
    parts = Path(path).resolve().relative_to(ROOT).parts
    if parts[0] == "apps" and len(parts) > 2:
        return parts[1], "templates" in parts
    if parts[0] == "project":
        return "project", False
    if parts[0] == "templates":
        return "project", True
    return None


def percent(totals):
    possible = totals["statements"] + totals["branches"]
    covered = totals["statements"] - totals["missed"] + totals["branches"] - totals["missed_branches"]
    return 100.0 if possible == 0 else 100.0 * covered / possible


def main():
    cov = coverage.Coverage()
    cov.load()
    cov.json_report(outfile=str(ROOT / "coverage.json"))
    files = json.loads((ROOT / "coverage.json").read_text())["files"]

    keys = ("statements", "missed", "branches", "partial", "missed_branches")
    totals = defaultdict(lambda: dict.fromkeys(keys, 0))
    for path, report in files.items():
        where = bucket(path)
        if where is None:
            continue
        app, is_template = where
        summary = report["summary"]
        figures = {
            "statements": summary["num_statements"],
            "missed": summary["missing_lines"],
            "branches": summary.get("num_branches", 0),
            "partial": summary.get("num_partial_branches", 0),
            "missed_branches": summary.get("missing_branches", 0),
        }
        for name in ([app, f"{app}/templates"] if is_template else [app]) + ["TOTAL"]:
            for key in keys:
                totals[name][key] += figures[key]

    gates = configparser.ConfigParser()
    gates.read(ROOT / "setup.cfg")
    gate = gates["student_records:coverage_gates"]

    print(f"\n{'app':<22}{'stmts':>7}{'miss':>7}{'branch':>8}{'part':>6}{'cover':>9}")
    failures = []
    rows = [*APPS, "TOTAL", *(f"{app}/templates" for app in APPS)]
    for name in rows:
        if name == "accounts/templates":
            print("templates alone:")
        figures = totals[name]
        cover = percent(figures)
        print(
            f"{name:<22}{figures['statements']:>7}{figures['missed']:>7}"
            f"{figures['branches']:>8}{figures['partial']:>6}{cover:>8.2f}%"
        )
        gate_key = name.replace("/", "_")
        if gate_key in gate and cover < float(gate[gate_key]):
            failures.append(f"{name} is at {cover:.2f}%, below its gate of {gate[gate_key]}%")
    for failure in failures:
        print(f"COVERAGE GATE FAILED: {failure}")
    print("HTML report: htmlcov/index.html")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
