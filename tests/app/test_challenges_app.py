"""AppTest: the Challenges page opens a task in this session's Playground with its controls
locked (shown, disabled, every change refused), a met goal shows on both pages, and "Share as
assignment" builds a link that opens the Playground with exactly the ticked controls hidden and
locked."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from playground.challenges import CHALLENGES
from playground.run import train_chunk
from playground.settings import LOCKABLE, SETTINGS, PlaygroundSettings
from ui.assignment_panel import EXPANDER_KEY, GOAL_KEY, HIDE_KEY, LOCK_KEY
from ui.challenge_bar import PROGRESS
from ui.challenges_page import open_key
from ui.controls import key
from ui.playground_page import MORE_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGE = "app_pages/7_Challenges.py"
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def challenges_page(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def disabled(at: AppTest) -> dict[str, bool]:
    kinds = ("selectbox", "select_slider", "toggle", "number_input", "button_group", "button")
    return {widget.key: widget.disabled for kind in kinds for widget in at.get(kind)}


def query(at: AppTest) -> dict[str, str]:
    values = {name: at.query_params[name] for name in at.query_params}
    return {name: v[-1] if isinstance(v, list) else v for name, v in values.items()}


def test_a_challenge_opens_in_the_playground_with_its_locks():
    at = challenges_page(app())
    assert len([b for b in at.button if b.key.startswith("open_challenge_")]) >= 10
    assert "0 of 10 goals met" in at.caption[0].value
    challenge = CHALLENGES["circle-no-hidden"]
    at.button(key=open_key(challenge.slug)).click().run()
    assert not at.exception, at.exception
    # This run shows the Playground (AppTest's next run goes back to the page it was switched
    # to, the Challenges page: it cannot switch to a page that is a function).
    # Its address is the challenge's link: setup, locks and goal key.
    opened, problems = PlaygroundSettings.from_query_params(query(at))
    assert problems == [] and opened == challenge.settings()
    state = disabled(at)
    assert state[key("dataset")] and state["add_layer"]  # locked: data set, hidden layers
    assert not state[key("features")] and not state[key("lr")]  # the rest is the student's
    assert any(challenge.goal in caption.value for caption in at.caption)


def test_a_met_goal_ticks_in_the_playground_and_on_the_challenges_page():
    challenge = CHALLENGES["circle-no-hidden"]
    at = app(**challenge.settings().to_query_params())  # its link, opened in a new session
    # The student's move (squared features), then trained as the live view trains.
    at.button_group(key=key("features")).set_value(["x1_sq", "x2_sq"]).run()
    assert challenge.slug not in at.session_state[PROGRESS]  # not trained yet: not met
    train_chunk(at.session_state["run"], challenge.solution_epochs)
    at.run()  # the live view checks the goal for the frame it draws
    assert challenge.slug in at.session_state[PROGRESS]
    at.run()
    assert any(f"{challenge.title}** ✓" in caption.value for caption in at.caption)
    at = challenges_page(at)
    assert "1 of 10 goals met" in at.caption[0].value
    assert any(f"**{challenge.title}** ✓ done" in md.value for md in at.markdown)


def test_a_change_that_would_move_a_locked_setting_is_refused_with_a_sentence():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["dataset"] = "circle"
    at.query_params["lock"] = "loss"
    at.session_state[MORE_SETTINGS] = True
    at.run()
    assert at.selectbox(key=key("loss")).disabled and not at.selectbox(key=key("output")).disabled
    # A sigmoid output would bring its natural loss (bce): the output is free, the loss is not.
    at.selectbox(key=key("output")).set_value("sigmoid").run()
    assert not at.exception, at.exception
    settings = at.session_state["settings"]
    assert (settings.output, settings.loss) == ("tanh", "mse")
    assert any("This assignment locks Loss" in warning.value for warning in at.warning)
    assert at.selectbox(key=key("output")).value == "tanh"  # the widget shows what is used
    assert query(at)["loss"] == "mse"


def test_a_bad_lock_value_gets_a_sentence_and_the_rest_of_the_link_works():
    at = app(dataset="xor", lock="lr,zzz")
    warning = " ".join(w.value for w in at.warning)
    assert "no control called `zzz` to lock" in warning and "using none instead" in warning
    assert at.session_state["settings"].dataset == "xor"
    assert not disabled(at)[key("lr")]  # nothing locked: the link's lock was not usable


def test_share_as_assignment_builds_a_link_with_exactly_those_hidden_and_locked():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["dataset"] = "spiral"
    at.session_state[EXPANDER_KEY] = True
    at.run()
    at.multiselect(key=HIDE_KEY).set_value(["noise", "stop"])
    at.multiselect(key=LOCK_KEY).set_value(["lr", "features"]).run()
    shared = at.code[-1].value
    settings, problems = PlaygroundSettings.from_query_params(parse_qs(urlsplit(shared).query))
    assert problems == [] and settings.dataset == "spiral"
    assert settings.hide == ("noise", "stop") and settings.lock == ("lr", "features")
    assert settings.challenge == ""

    student = app(**{name: values[-1] for name, values in parse_qs(urlsplit(shared).query).items()})
    state = disabled(student)
    assert key("noise") not in state and key("stop_epoch") not in state  # hidden
    assert state[key("lr")] and state[key("features")]  # locked: shown, disabled
    assert not state[key("optimizer")] and not state[key("ratio")]  # nothing else

    # With a goal: the link also locks what the goal is checked on, at the goal's values.
    at.selectbox(key=GOAL_KEY).set_value("spiral-twelve").run()
    goal, _ = PlaygroundSettings.from_query_params(parse_qs(urlsplit(at.code[-1].value).query))
    assert goal.challenge == "spiral-twelve" and goal.lock == ("lr", "features", "dataset", "noise")


def test_a_link_can_lock_the_widget_of_every_lockable_setting():
    """Like ``hide=`` (tests/app/test_settings_widgets_app.py), from the settings table: every
    setting that ``lock=`` can lock has its widget shown and disabled, and without ``lock=``
    enabled."""
    every = {"dataset": "blobs", "classes": "4"}  # a data set with a choice of classes

    def opened(**query) -> dict[str, bool]:
        # A schedule shows only its own parameters' widgets: step's, then cosine's.
        states: dict[str, bool] = {}
        for schedule in ("step", "cosine"):
            at = AppTest.from_file(APP, default_timeout=TIMEOUT)
            for name, value in {**every, "schedule": schedule, **query}.items():
                at.query_params[name] = value
            at.session_state[MORE_SETTINGS] = True
            at.run()
            assert not at.exception, at.exception
            states.update(disabled(at))
        return states

    free, locked = opened(), opened(lock=",".join(LOCKABLE))
    widgets = {spec.name: key(spec.name) for spec in SETTINGS if spec.widget and spec.lock}
    widgets.update(hidden=key("units_0"), layers="add_layer", seed_button="regenerate")
    for name, widget in widgets.items():
        assert free[widget] is False, f"{name}: {widget!r} is disabled without lock="
        assert locked[widget] is True, f"{name}: {widget!r} is not disabled with lock="
    assert locked["step"] is False and locked[key("per_layer")] is True  # training goes on


def test_back_to_an_address_that_changes_a_locked_setting_keeps_the_lock(monkeypatch):
    import ui.state

    at = app(dataset="xor", lock="lr", lr="0.03")
    at.query_params["lr"] = "0.3"  # an address from before the lock (Back), or edited by hand
    at.query_params["lock"] = ""
    monkeypatch.setattr(ui.state, "is_history_navigation", lambda: True)
    at.run()
    assert not at.exception, at.exception
    settings = at.session_state["settings"]
    assert settings.lr == 0.03 and settings.lock == ("lr",)
    assert query(at)["lr"] == "0.03" and query(at)["lock"] == "lr"  # the address says so again
    # An address that keeps the locks is followed as before.
    at.query_params["dataset"] = "circle"
    at.query_params["lock"] = "lr"
    at.run()
    assert at.session_state["settings"].dataset == "circle"
