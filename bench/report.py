"""Targets, the console table and docs/benchmarks.md from one results dictionary."""

from string import Template

from .common import BENCH, ROOT

DOCS = ROOT / "docs" / "benchmarks.md"
DOCS_TEMPLATE = BENCH / "benchmarks.md.in"
# Only the text between these markers is rewritten; the rest of the page is hand-written.
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

ENDPOINT_TITLES = {
    "list_page1": "student list, page 1",
    "list_middle": "student list, middle page",
    "list_last": "student list, last page",
    "list_search": "student list, `q=` search",
    "list_sort": "student list, `sort=-enrolled_on`",
    "detail": "student detail",
    "course_roster": "course roster (`courses:detail`)",
    "api_list": "API list `/api/students/` (Token)",
}


def _target(description, value, met):
    return {"target": description, "value": value, "met": None if value is None else bool(met)}


def targets(results):
    suite, app, load = results.get("suite") or {}, results.get("app") or {}, results.get("load") or {}
    found = {}
    if suite:
        speedup = suite.get("parallel_speedup")
        overhead = suite.get("coverage_overhead")
        one = suite.get("one_test_ratio")
        found["parallel_speedup"] = _target(">= 1.7 (2 cores)", speedup, speedup is not None and speedup >= 1.7)
        found["coverage_overhead"] = _target("<= 1.5", overhead, overhead is not None and overhead <= 1.5)
        found["one_test_ratio"] = _target("<= 1.5", one, one is not None and one <= 1.5)
    if app:
        queries = app.get("list_queries") or {}
        same = len(set(queries.values())) == 1 if queries else None
        found["list_queries_constant"] = _target(
            "same query count at every size", None if same is None else queries, same
        )
        list_ratio = app.get("list_time_ratio_100k_vs_100")
        found["list_time_ratio_100k_vs_100"] = _target("<= 2", list_ratio, list_ratio is not None and list_ratio <= 2)
    if load:
        errors = load.get("errors")
        found["load_errors"] = _target("0", errors, errors == 0)
    return found


def _fmt(value, unit=""):
    if value is None:
        return "—"
    if isinstance(value, dict):  # e.g. list_queries by size
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, float):
        return f"{value:.2f}{unit}"
    return f"{value}{unit}"


def _spread(stats, unit="", digits=2):
    if not stats or stats.get("median") is None:
        return "—"
    return f"{stats['median']:.{digits}f}{unit} ({stats['min']:.{digits}f}-{stats['max']:.{digits}f})"


def _markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def suite_rows(suite):
    if not suite:
        return []
    wall = suite.get("wall_s", {})
    ms = suite.get("ms_per_test", {})
    browser = suite.get("browser_tests", {})
    counts = (
        f"{suite.get('tests')} ({suite.get('passed')} passed, "
        f"{suite.get('failed')} failed, {suite.get('skipped')} skipped)"
    )
    return [
        ("tests", counts),
        ("browser tests in the suite", _browser(suite, browser)),
        ("serial wall `--parallel 1`", _spread(wall.get("serial"), " s")),
        ("parallel wall `--parallel auto`", _spread(wall.get("parallel"), " s")),
        ("coverage wall (`make coverage` measured run)", _spread(wall.get("coverage"), " s")),
        (f"one module `{suite.get('one_test_label')}`", _spread(wall.get("one_test"), " s")),
        ("`manage.py check` (test settings)", _spread(wall.get("check"), " s")),
        ("ms per test, mean / median", f"{_fmt(ms.get('mean'))} / {_fmt(ms.get('median'))}"),
        ("parallel_speedup = serial / parallel", _spread(suite.get("parallel_speedup_per_round"))),
        ("coverage_overhead = coverage / parallel", _spread(suite.get("coverage_overhead_per_round"))),
        ("one_test_ratio = one module / check", _spread(suite.get("one_test_ratio_per_round"))),
        ("cores in use: serial / parallel / coverage", _cores(suite)),
        ("CPU ceiling of parallel_speedup", _spread(suite.get("parallel_speedup_cpu_ceiling"))),
        ("coverage_overhead in CPU seconds", _spread(suite.get("cpu_ratios", {}).get("coverage_overhead"))),
        ("one_test_ratio in CPU seconds", _spread(suite.get("cpu_ratios", {}).get("one_test_ratio"))),
    ]


def _browser(suite, browser):
    if not suite.get("chromium", True):
        return f"{browser.get('count', 0)}, skipped (no Chromium/chromedriver on this machine)"
    return f"{browser.get('count', 0)}, {browser.get('total_ms', 0) / 1000:.1f} s of serial test time"


def _cores(suite):
    cores = suite.get("cores_in_use", {})
    values = [cores.get(name, {}).get("median") for name in ("serial", "parallel", "coverage")]
    return " / ".join("—" if value is None else f"{value:.2f}" for value in values)


def app_rows(app):
    if not app:
        return [], []
    sizes = [str(size) for size in app.get("sizes", [])]
    header = ["endpoint", *[f"{size} rows: ms (min-max), queries" for size in sizes]]
    rows = []
    for name, title in ENDPOINT_TITLES.items():
        cells = []
        for size in sizes:
            entry = app["by_size"].get(size, {}).get(name)
            cells.append(f"{_spread(entry['ms'], '', 1)}, {entry['queries']}q" if entry else "—")
        rows.append((title, *cells))
    return header, rows


def load_rows(load):
    if not load:
        return []
    rows = []
    for name, result in load.get("endpoints", {}).items():
        latency = result["latency_ms"]
        rows.append(
            (
                ENDPOINT_TITLES.get(name, name),
                result["requests"],
                result["errors"],
                _spread(result["rps_per_burst"], "", 1) if result.get("rps_per_burst") else _fmt(result["rps"]),
                f"{latency['median']} / {latency['p95']}",
            )
        )
    return rows


def target_rows(found):
    rows = []
    for name, target in found.items():
        met = {True: "met", False: "NOT met", None: "not measured"}[target["met"]]
        rows.append((name, target["target"], _fmt(target["value"]), met))
    return rows


def console(results):
    """The readable summary printed at the end of a run."""
    out = []
    machine = results["machine"]
    out.append(
        f"\nStudent Records benchmark — {machine['date']} — {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, Python {machine['python']}, Django {machine['django']}"
    )
    if results.get("suite"):
        out.append("\nSuite (median of rounds, min-max):")
        out += [f"  {label:<48} {value}" for label, value in suite_rows(results["suite"])]
        out.append("  ten slowest tests (serial, ms):")
        out += [f"    {entry['ms']:9.1f}  {entry['test']}" for entry in results["suite"].get("slowest", [])]
    if results.get("app"):
        app = results["app"]
        header, rows = app_rows(app)
        out.append(f"\nApp in-process ({app['database']}), median ms (min-max) and queries per request:")
        widths = [36] + [34] * (len(header) - 1)
        out.append("  " + "".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)))
        for row in rows:
            out.append("  " + "".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
        out.append(f"  list_queries = {app.get('list_queries')}")
        out.append(f"  list_time_ratio_100k_vs_100 = {app.get('list_time_ratio_100k_vs_100')}")
    if results.get("load"):
        out.append(f"\nHTTP load ({results['load']['server']}, {results['load']['threads']} client threads):")
        for name, requests, errors, rps, latency in load_rows(results["load"]):
            out.append(
                f"  {name:<36} {requests:>5} requests {errors:>3} errors {rps:>20} req/s  median/p95 {latency} ms"
            )
    out.append("\nTargets:")
    for name, target, value, met in target_rows(results["targets"]):
        out.append(
            f"  {'✔' if met == 'met' else '✘' if met == 'NOT met' else '·'} {name:<30} {target:<32} {value:<40} {met}"
        )
    for warning in warnings(results):
        out.append(f"  ! {warning}")
    run = results["run"]
    out.append(f"\nRun time {run['seconds']:.0f} s; results in {run.get('out', 'bench/results.json')}")
    return "\n".join(out)


def warnings(results):
    """Things that make a run's figures doubtful, printed under the targets."""
    found = []
    suite = results.get("suite") or {}
    if suite.get("failed"):
        found.append(f"{suite['failed']} tests failed: the suite figures time a failing suite")
    for name, codes in (suite.get("exit_codes") or {}).items():
        if any(code not in (0, "0") for code in codes):
            found.append(f"`{name}` exited with {codes}: see bench/work/suite/{name}-*.log")
    steal = sum((entry.get("median") or 0) for entry in (suite.get("steal_core_s") or {}).values())
    if steal > 1:
        found.append(f"the hypervisor took {steal:.1f} CPU-seconds away during the suite: a noisy host")
    check_cores = (suite.get("cores_in_use") or {}).get("check", {}).get("median")
    if check_cores and check_cores > 1.3:
        found.append(f"the machine was busy (manage.py check used {check_cores:.1f} cores): rerun when quiet")
    return found


def docs(results):
    """Rewrite the marked region of docs/benchmarks.md from bench/benchmarks.md.in."""
    machine = results["machine"]
    machine_rows = [
        ("CPU", machine["cpu_model"]),
        ("cores", machine["cores"]),
        ("memory", f"{machine['memory_gib']} GiB"),
        ("Python / Django", f"{machine['python']} / {machine['django']}"),
        ("platform", machine["platform"]),
        ("load average at start / end", f"{machine['load_average_at_start']} / {machine.get('load_average_at_end')}"),
        ("CPU stolen by the hypervisor during the run", f"{machine.get('steal_s_during_run', '—')} s"),
        ("Chromium for browser tests", "yes" if machine["chromium"] else "no (browser tests skip)"),
        ("date", machine["date"]),
        ("run time", f"{results['run']['seconds']:.0f} s (`{results['run']['command']}`)"),
    ]
    if machine.get("postgres"):
        machine_rows.insert(4, ("PostgreSQL (app and load)", machine["postgres"]))
    suite = results.get("suite") or {}
    slowest = "\n".join(
        f"{index}. {entry['ms']:.1f} ms — `{entry['test']}`" for index, entry in enumerate(suite.get("slowest", []), 1)
    )
    header, rows = app_rows(results.get("app"))
    app = results.get("app") or {}
    values = {
        "date": machine["date"],
        "machine_table": _markdown_table(["", ""], machine_rows),
        "targets_table": _markdown_table(["figure", "target", "value", "status"], target_rows(results["targets"])),
        "suite_table": _markdown_table(["figure", "value"], suite_rows(suite))
        if suite
        else "_not measured in this run_",
        "slowest": slowest or "_not measured in this run_",
        "app_database": app.get("database", "—"),
        "app_table": _markdown_table(header, rows) if rows else "_not measured in this run_",
        "list_queries": app.get("list_queries", "—"),
        "list_ratio": app.get("list_time_ratio_100k_vs_100", "—"),
        "load_table": _markdown_table(
            ["endpoint", "requests", "errors", "req/s (min-max of 3 bursts)", "latency median / p95 ms"],
            load_rows(results.get("load")),
        )
        if results.get("load")
        else "_not measured in this run_",
        "load_server": _load_title(results.get("load")),
        "unmet": _unmet(results["targets"]),
    }
    page = DOCS.read_text()
    before, begin, rest = page.partition(BEGIN)
    _, end, after = rest.partition(END)
    if not (begin and end):
        raise SystemExit(f"{DOCS.relative_to(ROOT)} lacks the {BEGIN} ... {END} markers around the figures")
    region = Template(DOCS_TEMPLATE.read_text()).substitute(values)
    DOCS.write_text(f"{before}{BEGIN}\n{region}{END}{after}")


def _load_title(load):
    if not load:
        return "—"
    return f"{load['server']}, {load.get('rows')} students, {load['threads']} client threads"


def _unmet(found):
    lines = []
    for name, target in found.items():
        if target["met"] is False:
            lines.append(f"- **{name}**: {_fmt(target['value'])} against a target of {target['target']}.")
    if not lines:
        return "Every target was met in this run."
    return "Not met in this run (why, and what would reach them: see the findings below):\n\n" + "\n".join(lines)
