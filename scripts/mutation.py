"""`make mutation`: mutmut over the app code, a score per module, and the gate.

    python scripts/mutation.py                          # every module, from scratch (CI, nightly)
    python scripts/mutation.py apps/students/rules.py   # only these files or folders (the quick loop)

mutmut copies apps/ and project/ to mutants/, mutates the app code there ([mutmut] in setup.cfg
says what it leaves alone) and runs, for each mutant, the tests that reach the mutated function
until one fails. The reviewed equivalent mutants (mutation-equivalents.toml) are not tried and
not counted. The gate: at least 90 % of the mutants of the modules that hold the rules and
decisions (GATED) are caught. Every other module (views, forms, start-up code, seed_demo) is
reported, not gated.
"""

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
GATE = 90.0
GATED = {
    "apps.students.rules",
    "apps.students.services",
    "apps.students.filters",
    "project.api.permissions",
    "apps.accounts.services",
    "apps.accounts.roles",
    "apps.accounts.throttling",
}
CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}
CHILDREN = os.environ.get("MUTATION_CHILDREN", "2")  # two cores


def module_of(mutant):
    """apps.students.rules.x_validate_capacity__mutmut_3 -> apps.students.rules"""
    return mutant.rpartition(".")[0]


def function_of(mutant):
    """The mutated function as written: apps.students.rules.validate_capacity, or module.Class.method."""
    name = mutant.rpartition(".")[2].partition("__mutmut_")[0]
    if name.startswith("xǁ"):
        return f"{module_of(mutant)}.{'.'.join(name.split('ǁ')[1:])}"
    return f"{module_of(mutant)}.{name.removeprefix('x_')}"


def change_of(diff):
    """(before, after): the removed and the added lines of a unified diff, stripped."""
    lines = [line for line in diff.splitlines() if not line.startswith(("---", "+++"))]
    return tuple("\n".join(line[1:].strip() for line in lines if line.startswith(sign)) for sign in "-+")


def equivalents():
    """{(function, before, after): reason} from mutation-equivalents.toml (`after` may list several)."""
    entries = tomllib.loads((ROOT / "mutation-equivalents.toml").read_text()).get("equivalent", [])
    found = {}
    for entry in entries:
        afters = entry["after"] if isinstance(entry["after"], list) else [entry["after"]]
        for after in afters:
            found[(entry["function"], entry["before"].strip(), after.strip())] = entry["reason"]
    return found


def in_scope(name, files):
    """Whether a mutant or function belongs to one of `files` (files or folders); all when none."""
    dotted = [".".join(Path(f).with_suffix("").parts if f.endswith(".py") else Path(f).parts) for f in files]
    return not files or any(name.startswith(prefix + ".") for prefix in dotted)


def generate_mutants(files):
    """Today's mutants in mutants/: from scratch for a full run. A quick run keeps mutmut's record of
    which tests reach which function and the mutated code, and drops the copies mutmut would not
    refresh by itself (templates, conftest.py, setup.cfg...)."""
    if not files:
        shutil.rmtree(MUTANTS, ignore_errors=True)
    for path in MUTANTS.glob("*"):
        if path.name not in ("apps", "project", "mutmut-stats.json"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in [*(MUTANTS / "apps").rglob("*.*"), *(MUTANTS / "project").rglob("*.*")]:
        stale = path.suffix != ".py" or not (ROOT / path.relative_to(MUTANTS)).exists()
        if path.is_file() and path.suffix not in (".meta", ".spans") and stale:
            path.unlink()
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, setup_source_paths

    with contextlib.redirect_stdout(io.StringIO()):  # mutmut names every file it copies
        copy_src_dir()
        copy_also_copy_files()
        setup_source_paths()
        create_mutants(int(CHILDREN))


def statuses(files):
    """{mutant: mutmut's status} for the mutants of `files`."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    found = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for mutant, exit_code in data.exit_code_by_key.items():
            if in_scope(mutant, files):
                found[mutant] = status_by_exit_code[exit_code]
    return found


def diff_of(mutant):
    from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant

    return get_diff_for_mutant(mutant, path=find_mutant(mutant).path)


def main(files):
    os.chdir(ROOT)  # mutmut reads setup.cfg and mutants/ from the working directory
    reviewed = equivalents()
    reviewed_functions = {function for function, _, _ in reviewed}
    generate_mutants(files)
    everything = statuses(files)
    # Only functions with reviewed equivalents need their mutants' diffs.
    change = {m: (function_of(m), *change_of(diff_of(m))) for m in everything if function_of(m) in reviewed_functions}
    equivalent = {m for m, key in change.items() if key in reviewed}
    to_try = sorted(set(everything) - equivalent)
    if to_try:
        mutmut = Path(sys.executable).parent / "mutmut"
        run = subprocess.run([mutmut, "run", "--max-children", CHILDREN, *to_try], check=False)  # noqa: S603
        if run.returncode:
            return run.returncode
    results = {m: s for m, s in statuses(files).items() if m not in equivalent}
    if not results:
        print(f"Nothing to mutate in {' '.join(files)} (mutmut mutates the bodies of undecorated functions)")

    by_module = {}
    for mutant, status in sorted(results.items()):
        counts = by_module.setdefault(module_of(mutant), Counter())
        counts["caught" if status in CAUGHT else "survived"] += 1
        if status not in CAUGHT:
            print(f"{status.upper()}: {mutant}\n{diff_of(mutant).rstrip()}\n")
    print(f"Mutation score{' of ' + ' '.join(files) if files else ''}, reviewed equivalents left out:")
    gated = Counter()
    for module, counts in by_module.items():
        total, score = counts.total(), 100 * counts["caught"] / counts.total()
        gated_mark = "  (gated)" if module in GATED else ""
        print(f"  {module:<42} {total:>4} mutants {counts['survived']:>3} survived {score:6.1f} %{gated_mark}")
        if module in GATED:
            gated.update(counts)
    problems = [
        f"{function}: no mutant changes {before!r} to {after!r}; remove the entry"
        for (function, before, after) in reviewed
        if in_scope(function, files) and (function, before, after) not in change.values()
    ]
    if gated:
        score = 100 * gated["caught"] / (gated["caught"] + gated["survived"])
        print(
            f"Gate: {score:.1f} % of {gated.total()} mutants caught in the modules that hold the rules and decisions"
            f" (at least {GATE:g} %)"
        )
        if score < GATE:
            problems.append(f"{score:.1f} % is below the {GATE:g} % gate")
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
