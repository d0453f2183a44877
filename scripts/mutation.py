"""`make mutation`: run mutmut over the app code, then report one line per app.

    python scripts/mutation.py                              # every module, from scratch
    python scripts/mutation.py apps/students/rules.py ...   # only these (the TDD loop)
    python scripts/mutation.py --survivors                  # re-try what the last run left uncaught

mutmut copies apps/ and project/ to mutants/, mutates the app code there (the
[mutmut] section of setup.cfg says what is left alone) and runs, for each
mutant, only the tests that reach the mutated function, quickest test class
first (conftest.py), stopping at the first failure. This script turns its
results into `<app> mutants killed survived timeout score%` lines, lists every
survivor with its diff, leaves out and subtracts the reviewed equivalent
mutants (mutation-equivalents.toml) and exits 1 when an app falls below its gate in
[student_records:mutation_gates].

A full run starts from an empty mutants/ so that every verdict comes from the
current tests; a run over FILES keeps mutmut's record of which tests reach which
function and re-runs every mutant of those files. `--survivors` keeps every
verdict of the last run and re-tries only its survivors (and the mutants of
code changed since), against today's tests: the loop for raising the score.
"""

import configparser
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EQUIVALENTS_FILE = ROOT / "mutation-equivalents.toml"
GATES_SECTION = "student_records:mutation_gates"
# Two children: the machines this runs on have two cores.
MAX_CHILDREN = os.environ.get("MUTATION_CHILDREN", "2")
CLASS_SEPARATOR = "ǁ"

# mutmut's verdicts, as this report counts them. A mutant that no test reaches
# ("no tests") survived; one that made the tests hang or crash was caught.
KILLED = {"killed", "caught by type check"}
TIMEOUT = {"timeout", "segfault"}
SURVIVED = {"survived", "no tests", "suspicious", "skipped"}


# -- names --------------------------------------------------------------------
def mutant_globs(files):
    """mutmut name patterns for the given files or folders (apps/students/rules.py -> apps.students.rules.*)."""
    globs = []
    for name in files:
        path = Path(name)
        if path.is_absolute():
            path = path.relative_to(ROOT)
        dotted = ".".join(path.with_suffix("").parts if path.suffix == ".py" else path.parts)
        globs.append(f"{dotted}.*")
    return globs


def function_of(mutant):
    """The mutated function, as written in the code: `apps.students.models.Student.save`."""
    mangled = mutant.partition("__mutmut_")[0]
    module, _, name = mangled.rpartition(".")
    if name.startswith("x" + CLASS_SEPARATOR):
        _, class_name, method = name.split(CLASS_SEPARATOR)
        return f"{module}.{class_name}.{method}"
    return f"{module}.{name.removeprefix('x_')}"


def app_of(mutant):
    """accounts / students for apps.<app>.*, project for project.*."""
    parts = mutant.split(".")
    return parts[1] if parts[0] == "apps" else parts[0]


def change_of(diff):
    """(before, after): the removed and added lines of a unified diff, stripped, one per line."""
    before, after = [], []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            before.append(line[1:].strip())
        elif line.startswith("+"):
            after.append(line[1:].strip())
    return "\n".join(before), "\n".join(after)


# -- equivalents --------------------------------------------------------------
@dataclass(frozen=True)
class Equivalent:
    """One reviewed equivalent mutant: in `function`, line(s) `before` became `after`."""

    function: str
    before: str
    after: str
    reason: str

    def matches(self, mutant, diff):
        return function_of(mutant) == self.function and change_of(diff) == (self.before, self.after)


def load_equivalents(text):
    """The reviewed equivalent mutants.

    Each entry names the function, the original line(s) `before`, the mutated
    line(s) `after` and the `reason`. `after` may list several mutants of the
    same line that are equivalent for the same reason.
    """
    entries = tomllib.loads(text).get("equivalent", [])
    equivalents = []
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in ("function", "before", "after", "reason") if not str(entry.get(key, "")).strip()]
        if missing:
            raise ValueError(f"equivalent #{number} ({entry.get('function', '?')}) lacks {', '.join(missing)}")
        afters = entry["after"] if isinstance(entry["after"], list) else [entry["after"]]
        equivalents += [
            Equivalent(entry["function"], entry["before"].strip(), after.strip(), entry["reason"].strip())
            for after in afters
        ]
    return equivalents


# -- scoring ------------------------------------------------------------------
@dataclass
class AppScore:
    app: str
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    timeout: int = 0
    equivalent: int = 0
    unfinished: int = 0

    @property
    def score(self):
        """Caught mutants (killed or timed out) over all mutants that are not equivalent."""
        counted = self.mutants - self.equivalent
        return 100.0 if counted == 0 else 100.0 * (self.killed + self.timeout) / counted

    def line(self, gate=None):
        text = (
            f"{self.app:<10} {self.mutants:>5} mutants {self.killed:>5} killed {self.survived:>4} survived "
            f"{self.timeout:>3} timeout {self.score:6.1f}%"
        )
        if self.equivalent:
            text += f"  ({self.equivalent} equivalent)"
        if gate is not None and self.score < gate:
            text += f"  BELOW THE {gate:g} % GATE"
        return text


@dataclass
class Report:
    scores: dict = field(default_factory=dict)
    survivors: list = field(default_factory=list)  # (mutant, status, diff)
    equivalents_used: set = field(default_factory=set)


def score(statuses, diff_for, equivalents):
    """Per-app scores from {mutant: mutmut status}; `diff_for(mutant)` gives a mutant's diff.

    A mutant that matches a reviewed equivalent counts as equivalent whether or
    not it was tried: `make mutation` leaves those out of the run.
    """
    report = Report()
    for mutant, status in sorted(statuses.items()):
        app = report.scores.setdefault(app_of(mutant), AppScore(app_of(mutant)))
        app.mutants += 1
        if status in KILLED:
            app.killed += 1
            continue
        if status in TIMEOUT:
            app.timeout += 1
            continue
        diff = diff_for(mutant)
        equivalent = next((entry for entry in equivalents if entry.matches(mutant, diff)), None)
        if equivalent is not None:  # whether it was tried or not (the run leaves reviewed equivalents out)
            app.equivalent += 1
            report.equivalents_used.add(equivalent)
        elif status in SURVIVED:
            app.survived += 1
            report.survivors.append((mutant, status, diff))
        else:  # not checked, interrupted: the run did not finish
            app.unfinished += 1
    return report


def failures(report, gates, equivalents, modules):
    """Why the run fails: an app below its gate, an unfinished mutant, an equivalent that matches no mutant."""
    problems = []
    for app in report.scores.values():
        if app.unfinished:
            problems.append(f"{app.app}: {app.unfinished} mutants were not tested (interrupted run?)")
        gate = gates.get(app.app)
        if gate is None:
            problems.append(f"{app.app}: no gate in [{GATES_SECTION}] of setup.cfg")
        elif app.score < gate:
            problems.append(f"{app.app}: {app.score:.1f} % is below the {gate:g} % gate")
    unfinished_apps = {app.app for app in report.scores.values() if app.unfinished}
    for entry in equivalents:
        in_scope = any(entry.function.startswith(module + ".") for module in modules)
        checked = app_of(entry.function) not in unfinished_apps
        if in_scope and checked and entry not in report.equivalents_used:
            problems.append(
                f"{EQUIVALENTS_FILE.name}: no mutant of {entry.function} changes "
                f"{entry.before!r} to {entry.after!r}; remove the entry"
            )
    return problems


def gates_from(config_text):
    parser = configparser.ConfigParser()
    parser.read_string(config_text)
    return {app: float(value) for app, value in parser[GATES_SECTION].items()} if GATES_SECTION in parser else {}


# -- running mutmut -----------------------------------------------------------
def refresh_copies():
    """Make mutmut recopy what it would otherwise keep from an earlier run.

    mutmut copies a file into mutants/ only when it is not there yet (templates,
    static files) and never removes one. Drop those, and files whose original is
    gone, so that a quick run sees today's templates and tests.
    """
    for folder in ("apps", "project"):
        for path in sorted((MUTANTS / folder).rglob("*")):
            if not path.is_file() or path.suffix in (".meta", ".spans"):
                continue
            original = ROOT / path.relative_to(MUTANTS)
            if path.suffix != ".py" or not original.exists():
                path.unlink()


def without_mutants(files):
    """The files an earlier run found nothing to mutate in (mutmut refuses a pattern that matches nothing)."""
    empty = []
    for name in files:
        meta = MUTANTS / f"{name}.meta"
        if Path(name).suffix == ".py" and meta.exists() and not json.loads(meta.read_text())["exit_code_by_key"]:
            empty.append(name)
    return empty


def generate_mutants():
    """Write today's mutants into mutants/, as `mutmut run` does before it tries them."""
    os.chdir(ROOT)
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, setup_source_paths

    with contextlib.redirect_stdout(io.StringIO()):  # mutmut lists every file it copies
        copy_src_dir()
        copy_also_copy_files()
        setup_source_paths()
        create_mutants(int(MAX_CHILDREN))


def mutants_to_try(files, equivalents):
    """Every mutant of `files` (of all the code when none) but the reviewed equivalents.

    Trying an equivalent mutant runs every test that reaches its function and
    catches nothing; leaving them out makes the quick mode quick.
    """
    functions_with_equivalents = {entry.function for entry in equivalents}

    def is_equivalent(mutant):
        if function_of(mutant) not in functions_with_equivalents:
            return False
        diff = mutant_diff(mutant)
        return any(entry.matches(mutant, diff) for entry in equivalents)

    return [mutant for mutant in sorted(mutmut_results(files)) if not is_equivalent(mutant)]


def not_yet_caught(statuses):
    """The mutants of an earlier run that no test caught, or that were not tried (their code changed since)."""
    return {mutant for mutant, status in statuses.items() if status in SURVIVED or status == "not checked"}


def run_mutmut(files, equivalents, survivors_only=False):
    if files or survivors_only:
        refresh_copies()
    else:
        shutil.rmtree(MUTANTS, ignore_errors=True)
    generate_mutants()
    names = mutants_to_try(files, equivalents)
    if survivors_only:
        names = sorted(not_yet_caught(mutmut_results(files)).intersection(names))
    if not names:
        return 0, 0
    mutmut = Path(sys.executable).parent / "mutmut"
    command = [str(mutmut), "run", "--max-children", MAX_CHILDREN, *names]
    return subprocess.run(command, cwd=ROOT, check=False).returncode, len(names)  # noqa: S603 - our own command line


def mutmut_results(files):
    """{mutant: status} from mutmut's records in mutants/, only for `files` when given."""
    os.chdir(ROOT)  # mutmut reads its configuration and mutants/ from the working directory
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    globs = mutant_globs(files)
    statuses = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for mutant, exit_code in data.exit_code_by_key.items():
            if not globs or any(mutant.startswith(pattern[:-1]) for pattern in globs):
                statuses[mutant] = status_by_exit_code[exit_code]
    return statuses


def mutant_diff(mutant):
    from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant

    return get_diff_for_mutant(mutant, path=find_mutant(mutant).path)


def main(argv):
    survivors_only = "--survivors" in argv
    files = [name for name in argv[1:] if name != "--survivors"]
    if survivors_only and not any(MUTANTS.rglob("*.meta")):
        print("No earlier run to take the survivors from: run `make mutation` first.")
        return 1
    for name in without_mutants(files):
        print(f"{name}: nothing to mutate (mutmut mutates the bodies of undecorated functions)")
        files.remove(name)
    if argv[1:] and not files and not survivors_only:
        return 0
    equivalents = load_equivalents(EQUIVALENTS_FILE.read_text() if EQUIVALENTS_FILE.exists() else "")
    started = time.monotonic()
    exit_code, tried = run_mutmut(files, equivalents, survivors_only)
    elapsed = time.monotonic() - started
    if exit_code != 0:
        print(f"mutmut failed (exit {exit_code})")
        return exit_code

    gates = gates_from((ROOT / "setup.cfg").read_text())
    statuses = mutmut_results(files)
    report = score(statuses, mutant_diff, equivalents)

    print()
    for mutant, status, diff in report.survivors:
        print(f"{status.upper()}: {mutant}" + (" (no test reaches it)" if status == "no tests" else ""))
        print(diff.rstrip() + "\n")
    print(f"Mutation score{' of ' + ' '.join(files) if files else ''} (after equivalents):")
    for app in report.scores.values():
        print(app.line(gates.get(app.app)))
    print(f"{len(statuses)} mutants; {tried} tried in {elapsed:.0f} s ({tried / max(elapsed, 1):.2f} mutants/s)")

    modules = {pattern[:-2] for pattern in mutant_globs(files)} or {"apps", "project"}
    problems = failures(report, gates, equivalents, modules)
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
