"""Targets, the printed summary and the figures in docs/benchmarks.md, from one results dictionary."""

from .common import ROOT

DOCS = ROOT / "docs" / "benchmarks.md"
# Only the text between these markers is rewritten; the rest of the page is written by hand.
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def targets(results):
    """Each target: what it asks, the measured value, met (True/False) or None when not measured."""
    suite, app, load = results.get("suite"), results.get("app"), results.get("load")
    found = {}

    def target(name, wanted, value, met):
        found[name] = {"target": wanted, "value": value, "met": None if value is None else bool(met)}

    if suite:
        speedup, overhead, one = suite["parallel_speedup"], suite["coverage_overhead"], suite["one_test_ratio"]
        target("parallel_speedup", ">= 1.7", speedup, speedup and speedup >= 1.7)
        target("coverage_overhead", "<= 1.5", overhead, overhead and overhead <= 1.5)
        target("one_test_ratio", "<= 1.5", one, one and one <= 1.5)
        clean = {code for codes in suite["exit_codes"].values() for code in codes} == {0} and not suite.get("failed")
        target("suite_passes", "0 failed, every command exits 0", suite.get("failed"), clean)
    if app:
        queries, ratio = app["list_queries"], app["list_time_ratio_largest_vs_smallest"]
        target("list_queries_constant", "same count at every size", queries, len(set(queries.values())) == 1)
        target("list_time_ratio", "<= 2 (largest / smallest size)", ratio, ratio and ratio <= 2)
    if load:
        for phase in ("read", "write"):
            failed, sent = load[phase]["failures"], load[phase]["requests"]
            target(f"{phase}_load_errors", "0 failed, > 0 requests", f"{failed} of {sent}", sent and not failed)
        busy = load["busy"]
        target("busy_load_errors", "0 failed, > 0 requests", f"{busy['failures']} of {busy['requests']}",
               busy["requests"] and not busy["failures"])  # fmt: skip
        reads = busy["reads_beside_writes_and_flood"]
        median_ms = reads["median_ms"]
        target("reads_beside_flood", "median < 200 ms, 0 failed", median_ms, median_ms < 200 and not reads["failures"])
        server_errors = load["server_errors_in_access_log"]
        target("server_errors", "0 (5xx in the access log)", server_errors, server_errors == 0)
    return found


def _fmt(value, digits=2):
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _spread(stats, unit="", digits=2):
    if not stats or stats.get("median") is None:
        return "—"
    return f"{stats['median']:.{digits}f}{unit} ({stats['min']:.{digits}f}-{stats['max']:.{digits}f})"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows])


def target_rows(found):
    status = {True: "met", False: "NOT met", None: "not measured"}
    return [(name, t["target"], _fmt(t["value"]), status[t["met"]]) for name, t in found.items()]


def _suite(suite):
    wall, cpu, browser, ratios = suite["wall_s"], suite["cpu_s"], suite["browser_tests"], suite["cpu_ratios"]
    counts = f"{suite.get('passed')} passed, {suite.get('failed')} failed, {suite.get('skipped')} skipped"
    browsing = f"{browser['count']}, {browser['total_ms'] / 1000:.1f} s of serial test time"
    rows = [("tests", f"{suite.get('tests')} ({counts})"), ("browser tests", browsing)]
    for name in ("serial", "parallel", "coverage", "one_test", "check"):
        rows.append(
            (f"{name}: `{suite['commands'][name]}`", f"{_spread(wall[name], ' s')}, CPU {_spread(cpu[name], ' s', 1)}")
        )
    rows += [
        ("parallel_speedup = serial / parallel wall", _spread(suite["parallel_speedup_per_round"])),
        ("coverage_overhead = coverage / parallel wall", _spread(suite["coverage_overhead_per_round"])),
        ("one_test_ratio = one module / check wall", _spread(suite["one_test_ratio_per_round"])),
        ("the first two in CPU seconds", " / ".join(_spread(ratios[name]) for name in ratios)),
        ("CPU ceiling of parallel_speedup", _spread(suite["parallel_speedup_cpu_ceiling"])),
    ]
    slowest = "\n".join(f"{i}. {test['ms']:.1f} ms — `{test['test']}`" for i, test in enumerate(suite["slowest"], 1))
    return [_table(["figure", "median (min-max) of the rounds"], rows), "Ten slowest tests (serial runs):", slowest]


def _app(app):
    sizes, rows = [str(size) for size in app["sizes"]], []
    for name, largest in app["by_size"][sizes[-1]].items():
        cells = [app["by_size"][size][name] for size in sizes]
        rows.append((f"`{largest['path']}`", *(f"{_spread(cell['ms'], '', 1)}, {cell['queries']}q" for cell in cells)))
    ratio = app["list_time_ratio_largest_vs_smallest"]
    return [
        _table(["request (at the largest size)", *(f"{size} rows: ms (min-max), queries" for size in sizes)], rows),
        f"`list_queries` = {app['list_queries']}; list page 1, largest / smallest size = {ratio}.",
    ]


def _load(load):
    rows = []
    for phase in ("read", "write", "busy"):
        result = load[phase]
        at_once = phase == "busy"
        title = (
            "**readers, writers and the login flood at once, all requests**"
            if at_once
            else f"**{phase} phase, all requests**"
        )
        requests = [(f"{name} (at once)" if at_once else name, entry) for name, entry in result["by_request"].items()]
        for name, entry in [*requests, (title, result)]:
            latency = entry["latency_ms"]
            latencies = f"{_fmt(latency['median'], 0)} / {_fmt(latency['p95'], 0)}"
            rows.append((name, entry["requests"], entry["failures"], _fmt(entry["rps"], 1), latencies))
    read, write, busy = load["read"], load["write"], load["busy"]
    users = (
        f"{read['users']} locust users reading, then {write['users']} writing, then both at once beside "
        f"{busy['users'] - read['users'] - write['users']} loops of failed logins at `POST /api/token/` "
        f"(answered 400, then 429), {read['seconds']} s each."
    )
    reads = busy["reads_beside_writes_and_flood"]
    beside = (
        f"Reads beside the writers and the flood: median {reads['median_ms']:.0f} ms, p95 {reads['p95_ms']:.0f} ms "
        f"(the slower of the two read requests), {reads['failures']} failed of {reads['requests']}."
    )
    header = ["request", "requests", "failed", "req/s", "latency median / p95 ms"]
    return [f"{load['server']}, {load['rows']} students. {users}", _table(header, rows), beside]


def region(results):
    """The marked part of docs/benchmarks.md (also what a run prints)."""
    machine, run = results["machine"], results["run"]
    database = (
        f"{machine['postgres']}, collation {machine['postgres_collation']}" if "postgres" in machine else "SQLite"
    )
    machine_rows = [
        ("CPU / cores / memory", f"{machine['cpu_model']} / {machine['cores']} / {machine['memory_gib']} GiB"),
        ("Python / Django", f"{machine['python']} / {machine['django']}"),
        ("load average at start / end", f"{machine['load_average_at_start']} / {machine.get('load_average_at_end')}"),
        ("database of the app and load parts", database),
        ("run", f"`{run['command']}`, {run['seconds']:.0f} s, {machine['date']}"),
    ]
    unmet = [
        f"- **{name}**: {value}, target {target}"
        for name, target, value, met in target_rows(results["targets"])
        if met == "NOT met"
    ]
    parts = [
        f"## Latest figures ({machine['date']})",
        "### Targets",
        _table(["figure", "target", "value", "status"], target_rows(results["targets"])),
        "Not met in this run:\n\n" + "\n".join(unmet) if unmet else "Every measured target was met in this run.",
        "### Machine",
        _table(["", ""], machine_rows),
    ]
    for title, part, render in (
        ("Suite", "suite", _suite),
        ("App in-process", "app", _app),
        ("HTTP load", "load", _load),
    ):
        parts += [f"### {title}", *(render(results[part]) if results.get(part) else ["_not measured in this run_"])]
    return "\n\n".join(parts) + "\n"


def console(results):
    """What a run prints at the end: the figures, the first load failures, then every target."""
    load = results.get("load") or {}
    failures = [
        f"! {kind}" for phase in ("read", "write", "busy") for kind in load.get(phase, {}).get("failure_kinds", [])[:5]
    ]
    marks = {"met": "✔", "NOT met": "✘"}
    rows = [
        f"  {marks.get(met, '·')} {name:<22} {wanted:<32} {value:<36} {met}"
        for name, wanted, value, met in target_rows(results["targets"])
    ]
    return "\n".join([region(results), *failures, "Targets:", *rows])


def docs(results):
    """Rewrite the marked region of docs/benchmarks.md."""
    page = DOCS.read_text()
    before, begin, rest = page.partition(BEGIN)
    _, end, after = rest.partition(END)
    if not (begin and end):
        raise SystemExit(f"{DOCS.relative_to(ROOT)} lacks the {BEGIN} ... {END} markers around the figures")
    DOCS.write_text(f"{before}{BEGIN}\n{region(results)}{END}{after}")
