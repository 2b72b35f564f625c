"""Every challenge (playground/challenges.py): its known solution, trained with the engine, ticks;
its known non-solution, trained as long, does not; and its goal is checked from the run's
numbers on the challenge's terms (its locks), not from anything a browser sends."""

from __future__ import annotations

import dataclasses
import math
from urllib.parse import parse_qs, urlsplit

import pytest

from playground.challenges import CHALLENGES, MET, OPEN, goal_state, goal_words, numbers_of
from playground.run import build_run, train_chunk
from playground.settings import PlaygroundSettings


def trained(settings: PlaygroundSettings, epochs: int):
    run = build_run(settings)
    train_chunk(run, epochs)
    return run


def test_there_are_at_least_ten_of_every_kind():
    kinds = [challenge.kind for challenge in CHALLENGES.values()]
    assert len(kinds) >= 10 and "regression" in kinds
    assert any(c.setup.n_classes > 2 for c in CHALLENGES.values())  # a multi-class one
    for challenge in CHALLENGES.values():
        assert challenge.statement and challenge.hint and challenge.goal and challenge.lock


@pytest.mark.parametrize("challenge", CHALLENGES.values(), ids=list(CHALLENGES))
def test_the_known_solution_ticks_and_the_non_solution_does_not(challenge):
    solution = challenge.settings().with_changes(**challenge.solution)
    solved = trained(solution, challenge.solution_epochs)
    assert goal_state(solved) == MET, numbers_of(solved)
    missed = challenge.settings().with_changes(**challenge.non_solution)
    failed = trained(missed, challenge.non_solution_epochs)
    assert goal_state(failed) == OPEN, numbers_of(failed)
    # Neither changes a locked setting: both are moves a student can make in the Playground.
    for settings in (solved.settings, failed.settings):
        assert challenge.settings().broken_locks(settings) == ()


def test_the_goal_is_read_from_the_network_as_built_and_on_the_challenges_terms():
    challenge = CHALLENGES["circle-no-hidden"]
    solution = challenge.settings().with_changes(**challenge.solution)
    run = trained(solution, 100)
    assert goal_state(run) == MET
    # The same run with the lock gone from its settings and another data set claimed: not
    # on the challenge's terms (a link edited by hand cannot tick it).
    run.settings = dataclasses.replace(run.settings, dataset="xor", lock=())
    assert goal_state(run) == OPEN
    # Untrained, nothing is met, whatever the numbers of a fresh network.
    assert goal_state(build_run(solution)) == OPEN


def test_a_run_without_a_challenge_has_no_goal_and_the_words_say_which():
    assert goal_state(build_run(PlaygroundSettings())) is None
    assert goal_words(MET) == "✓ Goal met" and goal_words(OPEN) == "Goal not met yet"
    assert goal_words(None) == ""


@pytest.mark.parametrize("challenge", CHALLENGES.values(), ids=list(CHALLENGES))
def test_every_link_opens_its_setup_with_its_locks_and_goal(challenge):
    query = parse_qs(urlsplit(challenge.link()).query)
    opened, problems = PlaygroundSettings.from_query_params(query)
    assert problems == []
    assert opened == challenge.settings()
    assert opened.challenge == challenge.slug and opened.lock == challenge.lock
    assert all(opened.locks(word) for word in challenge.lock)


def test_numbers_are_the_runs_own():
    run = trained(CHALLENGES["spiral-twelve"].settings(), 3)
    numbers = numbers_of(run)
    history = run.trainer.history
    assert numbers.epoch == 3 and numbers.hidden == (8, 4) and numbers.hidden_units == 12
    assert numbers.test_loss == history.last("test_loss")
    assert not math.isnan(numbers.test_accuracy)


def test_lock_words_follow_the_hide_words_and_the_data_set_locks_your_own_points():
    locked, problems = PlaygroundSettings.from_query_params(
        {"dataset": "blobs", "lock": "DATASET,stop"}
    )
    assert problems == [] and locked.lock == ("dataset", "stop")
    assert all(locked.locks(name) for name in ("dataset", "classes", "points"))
    assert locked.locks("stop_epoch") and locked.locks("stop_loss") and not locked.locks("lr")
    assert not any(locked.locks(name) for name in ("init_seed", "palette", "present", "hide"))
    # A change of a locked setting, itself or as a consequence, is named; others are free.
    assert locked.broken_locks(locked.with_changes(classes=4)) == ("classes",)
    assert locked.broken_locks(locked.with_changes(lr=0.1, stop_epoch=9)) == ("stop_epoch",)
    assert PlaygroundSettings().broken_locks(PlaygroundSettings(dataset="xor")) == ()
