"""`make watch`: on every save, re-run the tests the change affects.

What runs (labels_for):
- a test module (`apps/<app>/tests/test_*.py`, `project/tests/test_*.py`): that module;
- anything else in an app (code, templates, migrations, test helpers): that app's tests;
- the settings, the harness, the runner, project code, site-wide templates and
  static files: the whole suite;
- anything else (docs, bench, CI files): nothing.

Tests that failed in the previous run go first, on their own: while they still
fail, the rest waits (the fix is what matters). Each run ends with one summary
line; Ctrl-C stops. A single module or test runs in one process;
anything larger with PARALLEL (default: one process per core).
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("apps", "project", "templates", "static")
EVERYTHING = ()  # no labels: manage.py test runs the whole suite
RELEVANT_SUFFIXES = {".py", ".html", ".txt", ".css", ".js"}
SUMMARY_LINE = re.compile(r"^\d+ passed, \d+ failed, \d+ skipped$", re.MULTILINE)


def _is_test_module(path):
    return path.suffix == ".py" and path.name.startswith("test")


def label_for(path):
    """The test label one changed path (relative to the project root) calls for.

    EVERYTHING for the whole suite, None when no test is affected.
    """
    path = PurePosixPath(path)
    parts = path.parts
    if path.suffix not in RELEVANT_SUFFIXES and path.suffix:
        return None
    if len(parts) >= 3 and parts[0] == "apps":
        if parts[2] == "tests" and _is_test_module(path):
            return ".".join(path.with_suffix("").parts)
        return f"apps.{parts[1]}"
    if len(parts) >= 2 and parts[:2] == ("project", "tests"):
        if _is_test_module(path):
            return ".".join(path.with_suffix("").parts)
        return "project.tests"
    if parts and parts[0] in WATCHED:
        return EVERYTHING
    return None


def labels_for(paths):
    """The labels to re-run for a batch of changed paths: a sorted tuple, EVERYTHING, or None."""
    labels = {label_for(path) for path in paths} - {None}
    if not labels:
        return None
    if EVERYTHING in labels:
        return EVERYTHING
    # A module inside an app that runs anyway adds nothing.
    return tuple(sorted(label for label in labels if not any(label.startswith(f"{other}.") for other in labels)))


def parallel_for(labels):
    """Test processes for a run: one for single modules or tests (cloning databases costs more
    than it saves there), else PARALLEL or one per core."""
    if labels and all(re.search(r"\.tests\.test\w*(\.|$)", label) for label in labels):
        return "1"
    return os.environ.get("PARALLEL", "auto")


def failed_ids_from_junit(path):
    """Ids (module.Class.test_method, or module.Class when its set-up failed) of what failed."""
    failed = set()
    for case in ElementTree.parse(path).getroot().iter("testcase"):  # noqa: S314 - our own run's file
        if case.find("failure") is None and case.find("error") is None:
            continue
        name = case.get("name")
        if name.startswith("test"):
            failed.add(f"{case.get('classname')}.{name.split(' ')[0]}")
        elif found := re.search(r"\(([\w.]+)\)", name):
            failed.add(found.group(1))
    return failed


@dataclass
class RunResult:
    summary: str  # the runner's "N passed, N failed, N skipped" line
    failed_ids: set
    seconds: float
    returncode: int

    def describe(self, what):
        return f"{what}: {self.summary} in {self.seconds:.1f} s"


def run_tests(labels):
    """One child `manage.py test` run, its output shown as it comes."""
    started = time.monotonic()
    env = {key: value for key, value in os.environ.items() if key != "TEST_TIMINGS_FILE"}
    output = []
    failed_ids = set()
    with tempfile.TemporaryDirectory() as scratch:
        junit = Path(scratch) / "junit.xml"
        command = [sys.executable, "manage.py", "test", *labels, "--junit-xml", str(junit)]
        command += ["--parallel", parallel_for(labels)]
        with subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as child:
            for line in child.stdout:
                sys.stdout.write(line)
                output.append(line)
        if junit.exists():
            failed_ids = failed_ids_from_junit(junit)
    found = SUMMARY_LINE.findall("".join(output))
    summary = found[-1] if found else f"no result (exit code {child.returncode}, see above)"
    return RunResult(summary, failed_ids, time.monotonic() - started, child.returncode)


class Watcher:
    def __init__(self):
        self.failed_ids = set()

    def rerun(self, labels):
        what = " ".join(labels) or "the whole suite"
        parts = []
        if self.failed_ids:
            earlier = run_tests(sorted(self.failed_ids))
            parts.append(earlier.describe("earlier failures"))
            if earlier.returncode != 0:
                self.failed_ids = earlier.failed_ids
                self.say(*parts, f"{what} waits until they pass")
                return
        run = run_tests(labels)
        self.failed_ids = run.failed_ids
        self.say(*parts, run.describe(what))

    @staticmethod
    def say(*parts):
        print(f"\nwatch {time.strftime('%H:%M:%S')} | " + " | ".join(parts), flush=True)


def changed_paths(changes):
    """Paths relative to the root; a deleted file counts as a change to its folder."""
    for _, path in changes:
        path = Path(path)
        yield (path if path.exists() else path.parent).relative_to(ROOT).as_posix()


def main():
    import watchfiles  # only the watch loop needs it

    watcher = Watcher()
    print(f"watch: saving a file under {', '.join(WATCHED)}/ re-runs its tests; Ctrl-C stops.", flush=True)
    try:
        for changes in watchfiles.watch(*(ROOT / name for name in WATCHED)):
            labels = labels_for(changed_paths(changes))
            if labels is not None:
                watcher.rerun(labels)
    except KeyboardInterrupt:
        print("\nwatch: stopped.")


if __name__ == "__main__":
    main()
