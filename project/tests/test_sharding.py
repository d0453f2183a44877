"""`make test SHARD=k/N`: every test runs exactly once across the shards, which take about equal time."""

from django.test import SimpleTestCase, TestCase

from project import sharding
from project.test_runner import TimedDiscoverRunner


class TestTheShardPartition(SimpleTestCase):
    def test_puts_every_class_in_exactly_one_shard(self):
        weights = {
            f"app.tests.Test{letter}": weight for letter, weight in zip("ABCDEFG", [5, 4, 3, 3, 2, 1, 1], strict=True)
        }
        for count in range(1, 9):
            with self.subTest(count=count):
                shards = sharding.partition(weights, count)
                self.assertEqual(len(shards), count)
                dealt = [class_id for shard in shards for class_id in shard]
                self.assertCountEqual(dealt, weights)

    def test_balances_the_shards_by_weight(self):
        weights = {"A": 5.0, "B": 4.0, "C": 3.0, "D": 3.0, "E": 2.0, "F": 1.0}
        shards = sharding.partition(weights, 2)
        self.assertEqual(shards, [["A", "D", "F"], ["B", "C", "E"]])
        self.assertEqual([sum(weights[name] for name in shard) for shard in shards], [9.0, 9.0])

    def test_splits_the_same_way_whatever_order_the_classes_come_in(self):
        weights = {"A": 1.0, "B": 1.0, "C": 1.0, "D": 2.0}
        reordered = dict(reversed(weights.items()))
        self.assertEqual(sharding.partition(weights, 3), sharding.partition(reordered, 3))
        self.assertEqual(sharding.partition(weights, 3), [["D"], ["A", "C"], ["B"]])

    def test_leaves_extra_shards_empty_when_there_are_fewer_classes(self):
        self.assertEqual(sharding.partition({"A": 1.0}, 3), [["A"], [], []])


class TestClassWeights(SimpleTestCase):
    def test_sum_the_recorded_times_of_a_class_plus_its_set_up(self):
        timings = {"app.tests.TestA.test_one": 1.0, "app.tests.TestA.test_two": 2.0, "app.tests.TestB.test_one": 0.5}
        weights = sharding.class_weights(list(timings), timings)
        setup = sharding.CLASS_SETUP_SECONDS
        self.assertEqual(weights, {"app.tests.TestA": 3.0 + setup, "app.tests.TestB": 0.5 + setup})

    def test_count_an_unrecorded_test_as_the_median_recorded_one(self):
        timings = {"app.tests.TestA.test_one": 1.0, "app.tests.TestA.test_two": 3.0, "app.tests.TestA.test_six": 9.0}
        weights = sharding.class_weights(["app.tests.TestNew.test_one", "app.tests.TestNew.test_two"], timings)
        self.assertEqual(weights, {"app.tests.TestNew": 2 * 3.0 + sharding.CLASS_SETUP_SECONDS})

    def test_fall_back_to_a_fixed_time_when_nothing_is_recorded(self):
        weights = sharding.class_weights(["app.tests.TestA.test_one"], {})
        self.assertEqual(weights, {"app.tests.TestA": sharding.UNRECORDED_TEST_SECONDS + sharding.CLASS_SETUP_SECONDS})

    def test_come_from_the_committed_timings_file(self):
        timings = sharding.load_timings()
        self.assertGreater(len(timings), 100)
        self.assertTrue(all(isinstance(seconds, float) and seconds >= 0 for seconds in timings.values()))
        self.assertEqual(sharding.load_timings("/nonexistent/timings.json"), {})


class TestAShardOnTheCommandLine(SimpleTestCase):
    def test_reads_k_of_n(self):
        self.assertEqual(sharding.Shard.parse("2/4"), sharding.Shard(2, 4))
        self.assertEqual(str(sharding.Shard(2, 4)), "2/4")

    def test_refuses_anything_but_k_of_n_with_k_between_1_and_n(self):
        for text in ["0/2", "3/2", "2", "a/b", "1/0", "-1/2", "1/2/3", ""]:
            with self.subTest(text=text), self.assertRaisesMessage(ValueError, "a shard is k/N with 1 <= k <= N"):
                sharding.Shard.parse(text)


class TestTheWholeSuiteInShards(SimpleTestCase):
    def test_runs_every_test_exactly_once_across_three_shards(self):
        runner = TimedDiscoverRunner(verbosity=0, parallel=1)
        everything = list(runner.build_suite([]))  # discovered once, then split as build_suite() does
        ids = [test.id() for test in everything]
        self.assertIn(self.id(), ids)
        shards = []
        for index in (1, 2, 3):
            runner.shard = sharding.Shard(index, 3)
            shards.append([test.id() for test in runner.test_suite(everything)])
        self.assertTrue(all(shards), "every shard has tests")
        self.assertCountEqual([test_id for shard in shards for test_id in shard], ids)
        classes = [{test_id.rpartition(".")[0] for test_id in shard} for shard in shards]
        self.assertEqual(sum(len(shard) for shard in classes), len(set.union(*classes)), "no class is split")


class TestTheParallelRunsOrder(SimpleTestCase):
    class First:
        def __init__(self, test_id):
            self._id = test_id

        def id(self):
            return self._id

    class Later:  # a group of its own, not a kind of First
        def __init__(self, test_id):
            self._id = test_id

        def id(self):
            return self._id

    def test_puts_the_heaviest_class_first_within_each_group_and_keeps_classes_whole(self):
        first, later = self.First, self.Later
        tests = [
            later("app.tests.TestLight.test_one"),
            later("app.tests.TestHeavy.test_one"),
            first("app.tests.TestSmall.test_one"),
            first("app.tests.TestBig.test_one"),
            first("app.tests.TestSmall.test_two"),
            first("app.tests.TestBig.test_two"),
        ]
        timings = {
            "app.tests.TestLight.test_one": 1.0,
            "app.tests.TestHeavy.test_one": 9.0,
            "app.tests.TestSmall.test_one": 1.0,
            "app.tests.TestSmall.test_two": 1.0,
            "app.tests.TestBig.test_one": 2.0,
            "app.tests.TestBig.test_two": 2.0,
        }
        ordered = sharding.heaviest_classes_first(tests, timings, groups=(first,))
        self.assertEqual(
            [test.id() for test in ordered],
            [
                "app.tests.TestBig.test_one",
                "app.tests.TestBig.test_two",
                "app.tests.TestSmall.test_one",
                "app.tests.TestSmall.test_two",
                "app.tests.TestHeavy.test_one",  # a later group stays later, however heavy
                "app.tests.TestLight.test_one",
            ],
        )

    def test_is_how_the_runner_orders_a_parallel_run_of_the_suite(self):
        runner = TimedDiscoverRunner(verbosity=0, parallel=2)
        suite = runner.build_suite(["project.tests.test_sharding", "project.tests.test_access"])
        first_tests = [subsuite._tests[0] for subsuite in suite.subsuites]
        weights = sharding.class_weights(
            [test.id() for subsuite in suite.subsuites for test in subsuite], sharding.load_timings()
        )
        database_classes = [test.id().rpartition(".")[0] for test in first_tests if isinstance(test, TestCase)]
        self.assertIn("project.tests.test_access.TestTheSweep", database_classes)
        self.assertEqual(database_classes, sorted(database_classes, key=lambda name: (-weights[name], name)))
        uses_database = [isinstance(test, TestCase) for test in first_tests]
        self.assertEqual(uses_database, sorted(uses_database, reverse=True))  # no database: after them
        self.assertFalse(uses_database[-1])

    def test_gives_every_browser_class_to_one_worker_first_and_shares_out_the_rest(self):
        runner = TimedDiscoverRunner(verbosity=0, parallel=2)
        modules = [
            "apps.accounts.tests.test_browser",
            "apps.students.tests.test_browser",
            "project.tests.test_sharding",
        ]
        suite = runner.build_suite(modules)

        def classes(subsuite):
            return {type(test).__qualname__ for test in subsuite}

        journeys, *others = suite.subsuites
        self.assertEqual(
            classes(journeys),
            {
                "TestAVisitorInTheBrowser",
                "TestARegistrarInTheBrowser",
                "TestAViewerInTheBrowser",
            },
        )
        self.assertTrue(all("browser" in type(test).tags for test in journeys))
        self.assertEqual([classes(subsuite) for subsuite in others if len(classes(subsuite)) != 1], [])
        self.assertIn({"TestTheParallelRunsOrder"}, [classes(subsuite) for subsuite in others])
