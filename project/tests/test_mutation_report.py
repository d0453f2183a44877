"""`make mutation`'s report: names, per-app scores, equivalents and gates (scripts/mutation.py)."""

import tempfile
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from scripts import mutation

RULES = "apps.students.rules"
CAPACITY_DIFF = """\
--- apps/students/rules.py
+++ apps/students/rules.py
@@ -1,4 +1,4 @@
 def validate_capacity(course, enrolled):
-    if enrolled >= course.capacity:
+    if enrolled > course.capacity:
         raise ValidationError("full")
"""
EQUIVALENTS = """\
[[equivalent]]
function = "apps.students.rules.validate_capacity"
before = "if enrolled >= course.capacity:"
after = "if enrolled > course.capacity:"
reason = "an example"
"""


class TestMutantNames(SimpleTestCase):
    def test_a_file_or_folder_becomes_a_mutmut_pattern(self):
        self.assertEqual(
            mutation.mutant_globs(["apps/students/rules.py", "apps/accounts", "project/converters.py"]),
            ["apps.students.rules.*", "apps.accounts.*", "project.converters.*"],
        )

    def test_files_an_earlier_run_found_nothing_to_mutate_in_are_left_out(self):
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(mutation, "MUTANTS", Path(folder)):
            (Path(folder) / "project").mkdir()
            (Path(folder) / "project/views.py.meta").write_text('{"exit_code_by_key": {}}')
            (Path(folder) / "project/converters.py.meta").write_text('{"exit_code_by_key": {"a": 1}}')
            files = ["project/views.py", "project/converters.py", "project/urls.py", "apps/accounts"]
            self.assertEqual(mutation.without_mutants(files), ["project/views.py"])

    def test_the_run_leaves_out_the_reviewed_equivalents(self):
        statuses = {f"{RULES}.x_validate_capacity__mutmut_{n}": None for n in (1, 2)}
        statuses[f"{RULES}.x_normalise_course_code__mutmut_1"] = None
        diffs = {f"{RULES}.x_validate_capacity__mutmut_2": CAPACITY_DIFF}
        with (
            mock.patch.object(mutation, "mutmut_results", return_value=statuses),
            mock.patch.object(mutation, "mutant_diff", side_effect=lambda mutant: diffs.get(mutant, "")) as diff,
        ):
            names = mutation.mutants_to_try(["apps/students/rules.py"], mutation.load_equivalents(EQUIVALENTS))
        self.assertEqual(
            names, [f"{RULES}.x_normalise_course_code__mutmut_1", f"{RULES}.x_validate_capacity__mutmut_1"]
        )
        self.assertEqual(diff.call_count, 2)  # only the mutants of functions with an equivalent are diffed

    def test_re_trying_the_survivors_leaves_the_caught_and_the_equivalent_mutants_alone(self):
        statuses = {
            f"{RULES}.x_validate_capacity__mutmut_1": "killed",
            f"{RULES}.x_validate_capacity__mutmut_2": "survived",  # an equivalent (CAPACITY_DIFF)
            f"{RULES}.x_validate_capacity__mutmut_3": "survived",
            f"{RULES}.x_validate_capacity__mutmut_4": "not checked",  # its function changed since
            f"{RULES}.x_validate_capacity__mutmut_5": "timeout",
        }
        diffs = {f"{RULES}.x_validate_capacity__mutmut_2": CAPACITY_DIFF}
        with (
            mock.patch.object(mutation, "refresh_copies"),
            mock.patch.object(mutation, "generate_mutants"),
            mock.patch.object(mutation, "mutmut_results", return_value=statuses),
            mock.patch.object(mutation, "mutant_diff", side_effect=lambda mutant: diffs.get(mutant, "")),
            mock.patch.object(mutation.subprocess, "run", return_value=mock.Mock(returncode=0)) as run,
        ):
            outcome = mutation.run_mutmut([], mutation.load_equivalents(EQUIVALENTS), survivors_only=True)
        self.assertEqual(outcome, (0, 2))
        tried = run.call_args.args[0][run.call_args.args[0].index("run") + 3 :]
        self.assertEqual(tried, [f"{RULES}.x_validate_capacity__mutmut_3", f"{RULES}.x_validate_capacity__mutmut_4"])

    def test_no_files_means_every_mutant(self):
        self.assertEqual(mutation.mutant_globs([]), [])

    def test_a_mutant_is_named_by_the_function_it_changes(self):
        self.assertEqual(mutation.function_of(f"{RULES}.x_validate_capacity__mutmut_12"), f"{RULES}.validate_capacity")
        self.assertEqual(
            mutation.function_of("apps.students.models.xǁStudentǁsave__mutmut_3"), "apps.students.models.Student.save"
        )

    def test_a_mutant_belongs_to_its_app_or_to_the_project(self):
        self.assertEqual(mutation.app_of(f"{RULES}.x_validate_capacity__mutmut_1"), "students")
        self.assertEqual(mutation.app_of("apps.accounts.backends.x_f__mutmut_1"), "accounts")
        self.assertEqual(mutation.app_of("project.converters.xǁRecordIdConverterǁto_url__mutmut_1"), "project")

    def test_the_change_is_the_removed_and_the_added_lines_stripped(self):
        self.assertEqual(
            mutation.change_of(CAPACITY_DIFF),
            ("if enrolled >= course.capacity:", "if enrolled > course.capacity:"),
        )


class TestEquivalentsFile(SimpleTestCase):
    def test_reads_each_entry(self):
        (entry,) = mutation.load_equivalents(EQUIVALENTS)
        self.assertEqual(entry.function, f"{RULES}.validate_capacity")
        self.assertEqual(entry.reason, "an example")
        self.assertTrue(entry.matches(f"{RULES}.x_validate_capacity__mutmut_7", CAPACITY_DIFF))
        self.assertFalse(entry.matches(f"{RULES}.x_validate_date_of_birth__mutmut_7", CAPACITY_DIFF))

    def test_an_entry_without_a_reason_is_refused(self):
        with self.assertRaisesMessage(
            ValueError, "equivalent #1 (apps.students.rules.validate_capacity) lacks reason"
        ):
            mutation.load_equivalents(EQUIVALENTS.replace('reason = "an example"', 'reason = " "'))

    def test_one_entry_can_list_several_mutants_of_a_line(self):
        text = EQUIVALENTS.replace(
            'after = "if enrolled > course.capacity:"',
            'after = ["if enrolled > course.capacity:", "if enrolled >= course.capacity + 1:"]',
        )
        self.assertEqual(
            [entry.after for entry in mutation.load_equivalents(text)],
            ["if enrolled > course.capacity:", "if enrolled >= course.capacity + 1:"],
        )

    def test_an_empty_file_lists_none(self):
        self.assertEqual(mutation.load_equivalents(""), [])


class TestScoring(SimpleTestCase):
    statuses = {
        f"{RULES}.x_validate_capacity__mutmut_1": "killed",
        f"{RULES}.x_validate_capacity__mutmut_2": "killed",
        f"{RULES}.x_validate_capacity__mutmut_3": "timeout",
        f"{RULES}.x_validate_capacity__mutmut_4": "survived",
        f"{RULES}.x_validate_capacity__mutmut_5": "survived",
        f"{RULES}.x_normalise_course_code__mutmut_1": "no tests",
        "apps.accounts.backends.x_authenticate__mutmut_1": "killed",
        "apps.accounts.backends.x_authenticate__mutmut_2": "caught by type check",
    }

    def diff_for(self, mutant):
        return CAPACITY_DIFF if mutant.endswith("_5") else f"-    old {mutant}\n+    new {mutant}\n"

    def report(self, equivalents=EQUIVALENTS):
        return mutation.score(self.statuses, self.diff_for, mutation.load_equivalents(equivalents))

    def test_counts_each_app_and_subtracts_the_equivalent_mutant(self):
        students = self.report().scores["students"]
        self.assertEqual(
            (students.mutants, students.killed, students.survived, students.timeout, students.equivalent),
            (6, 2, 2, 1, 1),
        )
        self.assertEqual(students.score, 60.0)  # 3 caught of 5 that are not equivalent
        self.assertEqual(self.report().scores["accounts"].score, 100.0)

    def test_without_the_equivalent_it_counts_as_a_survivor(self):
        students = self.report(equivalents="").scores["students"]
        self.assertEqual((students.survived, students.equivalent, students.score), (3, 0, 50.0))

    def test_lists_every_survivor_with_its_diff_and_why(self):
        survivors = [(mutant, status) for mutant, status, _ in self.report().survivors]
        self.assertEqual(
            survivors,
            [
                (f"{RULES}.x_normalise_course_code__mutmut_1", "no tests"),
                (f"{RULES}.x_validate_capacity__mutmut_4", "survived"),
            ],
        )
        self.assertIn(f"+    new {RULES}.x_validate_capacity__mutmut_4", self.report().survivors[1][2])

    def test_prints_one_line_per_app(self):
        self.assertEqual(
            self.report().scores["students"].line(gate=90),
            "students       6 mutants     2 killed    2 survived   1 timeout   60.0%  (1 equivalent)"
            "  BELOW THE 90 % GATE",
        )
        self.assertEqual(
            self.report().scores["accounts"].line(gate=90),
            "accounts       2 mutants     2 killed    0 survived   0 timeout  100.0%",
        )

    def test_an_app_without_mutants_scores_full_marks(self):
        self.assertEqual(mutation.AppScore("project").score, 100.0)


class TestGates(SimpleTestCase):
    gates = mutation.gates_from("[student_records:mutation_gates]\naccounts = 90\nstudents = 50\n")
    modules = {"apps", "project"}

    def problems(self, statuses, equivalents=""):
        equivalents = mutation.load_equivalents(equivalents)
        report = mutation.score(statuses, lambda mutant: CAPACITY_DIFF, equivalents)
        return mutation.failures(report, self.gates, equivalents, self.modules)

    def test_reads_the_gates_from_setup_cfg(self):
        self.assertEqual(self.gates, {"accounts": 90.0, "students": 50.0})

    def test_passes_at_the_gate(self):
        self.assertEqual(self.problems({f"{RULES}.x_a__mutmut_1": "killed", f"{RULES}.x_a__mutmut_2": "survived"}), [])

    def test_fails_below_the_gate(self):
        statuses = {f"apps.accounts.backends.x_a__mutmut_{n}": "killed" for n in range(8)}
        statuses["apps.accounts.backends.x_a__mutmut_9"] = "survived"
        self.assertEqual(self.problems(statuses), ["accounts: 88.9 % is below the 90 % gate"])

    def test_fails_for_an_app_without_a_gate(self):
        self.assertEqual(
            self.problems({"project.converters.x_a__mutmut_1": "killed"}),
            ["project: no gate in [student_records:mutation_gates] of setup.cfg"],
        )

    def test_fails_when_mutants_were_left_untested(self):
        self.assertEqual(
            self.problems({f"{RULES}.x_a__mutmut_1": "killed", f"{RULES}.x_a__mutmut_2": "not checked"}),
            ["students: 1 mutants were not tested (interrupted run?)"],
        )

    def test_fails_for_an_equivalent_that_matches_no_mutant_left_uncaught(self):
        self.assertEqual(
            self.problems({f"{RULES}.x_validate_capacity__mutmut_1": "killed"}, EQUIVALENTS),
            [
                "mutation-equivalents.toml: no mutant of apps.students.rules.validate_capacity changes "
                "'if enrolled >= course.capacity:' to 'if enrolled > course.capacity:'; remove the entry"
            ],
        )

    def test_an_equivalent_left_out_of_the_run_counts_as_equivalent_not_as_untested(self):
        statuses = {
            f"{RULES}.x_validate_capacity__mutmut_1": "killed",
            f"{RULES}.x_validate_capacity__mutmut_2": "not checked",
        }
        self.assertEqual(self.problems(statuses, EQUIVALENTS), [])
        report = mutation.score(statuses, lambda mutant: CAPACITY_DIFF, mutation.load_equivalents(EQUIVALENTS))
        students = report.scores["students"]
        self.assertEqual((students.killed, students.equivalent, students.unfinished, students.score), (1, 1, 0, 100.0))

    def test_a_quick_run_only_checks_the_equivalents_of_its_files(self):
        self.modules = {"apps.accounts.backends"}
        self.assertEqual(self.problems({"apps.accounts.backends.x_a__mutmut_1": "killed"}, EQUIVALENTS), [])
