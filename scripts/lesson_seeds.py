"""How often each lesson's claim holds beyond the test's five seed pairs.

    .venv/bin/python scripts/lesson_seeds.py                 # every lesson, 35 extra pairs
    .venv/bin/python scripts/lesson_seeds.py --pairs 40 --draw 7 overfitting schedules

tests/lessons/test_lesson_claims.py requires every clause on ``teach.lessons.SEED_PAIRS``;
a lesson says what happens on *any* data set and initial weights, so this trains each
lesson on those pairs plus ``--pairs`` pairs drawn at random (``--draw`` seeds the drawing)
and prints, per lesson, on how many pairs every clause held and which clauses failed where
(with ``--numbers``, also the spread of each number the clauses compare).
Results are in docs/lessons.md.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from teach.lessons import LESSON_LIST, LESSONS, SEED_PAIRS


def seed_pairs(extra: int, draw: int) -> list[tuple[int, int]]:
    rng = random.Random(draw)
    drawn = [(rng.randrange(1, 10_000), rng.randrange(1, 10_000)) for _ in range(extra)]
    return list(SEED_PAIRS) + drawn


def survey(lesson, pairs: list[tuple[int, int]], numbers: bool) -> None:
    start = time.perf_counter()
    failures: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    measured: dict[str, list[float]] = collections.defaultdict(list)
    held = 0
    for seeds in pairs:
        checked = lesson.check(seeds)
        failed = lesson.failed_clauses(checked)
        held += not failed
        for words in failed:
            failures[words].append(seeds)
        for name, value in checked.items():
            measured[name].append(value)
    seconds = time.perf_counter() - start
    print(f"{lesson.slug}: every clause held on {held}/{len(pairs)} pairs ({seconds:.0f} s)")
    for words, where in failures.items():
        print(f"    {len(where)}× {words}: {where}")
    if numbers:
        for name, values in measured.items():
            low, tenth, median, high = np.nanquantile(values, [0, 0.1, 0.5, 1])
            print(
                f"    {name}: min {low:.4g}, 10% {tenth:.4g}, median {median:.4g}, max {high:.4g}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("slugs", nargs="*", help="lessons to check (default: all)")
    parser.add_argument("--pairs", type=int, default=35, help="random pairs besides the test's")
    parser.add_argument("--draw", type=int, default=2026, help="seed of the random pairs")
    parser.add_argument("--numbers", action="store_true", help="also each measured number's spread")
    args = parser.parse_args()
    lessons = [LESSONS[slug] for slug in args.slugs] if args.slugs else LESSON_LIST
    pairs = seed_pairs(args.pairs, args.draw)
    for lesson in lessons:
        survey(lesson, pairs, args.numbers)


if __name__ == "__main__":
    main()
