"""Split the suite into N shards of about equal run time, for CI machines running in parallel.

`manage.py test --shard k/N` (`make test SHARD=k/N`) runs the k-th of N shards.
Django's parallel runner hands out whole TestCase classes, so a class is the
unit here too: every class lands in exactly one shard. A class weighs the sum
of its tests' recorded times (`.ci/test-timings.json`, written by
`make timings`) plus a fixed allowance for its set-up; a test without a
recorded time (new since the last recording) counts as the median recorded
test. Classes are dealt heaviest first to the lightest shard so far, ties
broken by name, so every machine computes the same split.
"""

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

TIMINGS_FILE = Path(__file__).resolve().parent.parent / ".ci" / "test-timings.json"
# Set-up the per-test times leave out (setUpClass, setUpTestData, a Chromium start).
CLASS_SETUP_SECONDS = 0.1
# A test's time when nothing at all has been recorded.
UNRECORDED_TEST_SECONDS = 0.05


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written on the command line
    count: int

    @classmethod
    def parse(cls, text):
        """`k/N` with 1 ≤ k ≤ N."""
        index, slash, count = text.partition("/")
        if not (slash and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
            raise ValueError(f"a shard is k/N with 1 <= k <= N, e.g. 2/4, not {text!r}")
        return cls(int(index), int(count))

    def __str__(self):
        return f"{self.index}/{self.count}"


def load_timings(path=TIMINGS_FILE):
    """{test id: seconds} from the recorded file; empty when there is none."""
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        return {}


def class_weights(test_ids, timings):
    """{class id: estimated seconds} for the given test ids."""
    default = statistics.median(timings.values()) if timings else UNRECORDED_TEST_SECONDS
    weights = {}
    for test_id in test_ids:
        class_id = test_id.rpartition(".")[0]
        weights.setdefault(class_id, CLASS_SETUP_SECONDS)
        weights[class_id] += timings.get(test_id, default)
    return weights


def partition(weights, count):
    """`count` lists of class ids (heaviest first to the lightest shard) whose weights are about equal."""
    shards = [[] for _ in range(count)]
    loads = [0.0] * count
    for class_id in sorted(weights, key=lambda name: (-weights[name], name)):
        lightest = min(range(count), key=lambda index: (loads[index], index))
        shards[lightest].append(class_id)
        loads[lightest] += weights[class_id]
    return shards


def heaviest_classes_first(tests, timings, groups):
    """The tests with their classes heaviest first within each group, for the parallel runner.

    `groups` are the classes Django's runner orders by (tests of the first come
    first); the order of the groups stays, and a class's tests stay together.
    Django's parallel runner hands each idle worker the next class, so the
    heaviest going first leaves only light classes for the end, when one worker
    would otherwise still be busy while the other waits.
    """
    weights = class_weights([test.id() for test in tests], timings)

    def group(test):
        return next((rank for rank, kind in enumerate(groups) if isinstance(test, kind)), len(groups))

    def class_of(test):
        return test.id().rpartition(".")[0]

    return sorted(tests, key=lambda test: (group(test), -weights[class_of(test)], class_of(test)))


def select(tests, shard, timings):
    """The tests (in their given order) whose class falls in `shard`."""
    weights = class_weights([test.id() for test in tests], timings)
    chosen = set(partition(weights, shard.count)[shard.index - 1])
    return [test for test in tests if test.id().rpartition(".")[0] in chosen]
