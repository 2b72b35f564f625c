"""The live view's frame patches and pacing (pure functions of playground.figures and ui.live).

Every frame must animate through layout only (pictures, shapes) so the browser can apply it
without a Plotly redraw; trace data (hover) goes only with ``hover=True``.
"""

from __future__ import annotations

import numpy as np
import pytest

from playground.figures import (
    frame_updates,
    hover_zoom_option,
    loss_path,
    loss_ranges,
    nice_ceil,
    playground_figure,
)
from playground.frames import current_figure, frame_data, view_spec
from playground.pacing import (
    AUTO_EPOCHS_PER_SECOND,
    AUTO_TRAIN_SHARE,
    FRAME_INTERVAL,
    INTERVAL_STEPS,
    MAX_FRAME_RATE,
    MAX_FRAMES_PER_RUN,
    MAX_RUN_INTERVAL,
    MIN_FRAME_RATE,
    PACE_WINDOW,
    RUN_INTERVAL,
    RUN_WORK_BUDGET,
    ClientPacing,
    FramePacer,
    TrainingPace,
    auto_epochs_per_frame,
    epochs_per_second,
    paced_rate,
    run_plan,
)
from playground.run import build_run, checkpoint, metrics, rewind, train_chunk
from playground.settings import PlaygroundSettings
from ui.live import snapshot
from ui.live_plotly import IMAGE_TOLERANCE, SentValues, encode_array


@pytest.fixture(scope="module", params=[(4, 2), (3,)], ids=["default", "one-layer"])
def trained(request):
    run = build_run(PlaygroundSettings(hidden=request.param))
    train_chunk(run, 5)
    spec = view_spec(run, log_loss=False)
    figure = playground_figure(spec, run.train.X, run.train.y, run.test.X, run.test.y)
    return run, spec, figure


def test_the_figure_index_points_at_each_part(trained):
    _, spec, live = trained
    index, data, layout = live.index, live.plotly["data"], live.plotly["layout"]
    assert len(layout["images"]) == index.output_image + 1
    assert layout["images"][index.output_image]["xref"] == "x"
    assert len(index.neuron_images) == sum(spec.layer_sizes[:-1])
    assert all(layout["images"][i]["xref"] == "x2" for i in index.neuron_images)
    # The loss marker is the last shape (after the output neurons'): the parts before it keep
    # their places.
    assert len(layout["shapes"]) == index.output_node_shapes.stop + 1 == index.loss_marker + 1
    assert layout["shapes"][index.loss_marker]["yref"] == "y3 domain"
    assert [layout["shapes"][i]["type"] for i in index.link_shapes] == ["line"] * len(
        data[index.link_trace]["customdata"]
    )
    for i in index.loss_shapes:
        assert layout["shapes"][i]["type"] == "path"
    assert all(layout["shapes"][i]["type"] == "rect" for i in index.bias_shapes)
    assert len(index.bias_shapes) == len(data[index.bias_trace]["customdata"])
    assert all(layout["shapes"][i]["type"] == "rect" for i in index.output_node_shapes)
    assert data[index.output_trace]["type"] == "heatmap"
    names = [data[i]["name"] for i in (index.neuron_trace, index.link_trace, index.bias_trace)]
    assert names == ["neurons", "links", "biases"]
    assert [data[i]["name"] for i in index.loss_traces] == ["train", "test"]


def test_hover_zoom_names_the_neuron_pictures(trained):
    _, spec, live = trained
    option = hover_zoom_option(live)
    assert option["trace"] == live.index.neuron_trace
    customdata = live.plotly["data"][option["trace"]]["customdata"]
    images = live.plotly["layout"]["images"]
    neurons = [k for k in customdata if k < option["count"]]
    # Every input/hidden neuron's customdata is the index of its picture in the diagram.
    assert neurons == list(range(sum(spec.layer_sizes[:-1])))
    assert all(images[k]["xref"] == "x2" for k in neurons)
    # Output neurons come last and are not enlarged.
    assert len(customdata) - len(neurons) == spec.layer_sizes[-1]
    # The enlarged picture covers the output square.
    assert option["image"]["xref"] == "x" and option["image"]["sizex"] == 12


def test_frames_animate_through_layout_and_hover_data_is_separate(trained):
    run, _, live = trained
    index = live.index
    data = frame_data(run)
    updates, images = frame_updates(live, data, discretize=False, hover=False)
    assert updates["traces"] == []
    assert {item["index"] for item in images} == {*index.neuron_images, index.output_image}
    output = next(item["values"] for item in images if item["index"] == index.output_image)
    assert output.dtype == np.uint8 and output.shape == (100, 100)
    layout = updates["layout"]
    assert all(f"shapes[{i}].fillcolor" in layout for i in index.bias_shapes)
    assert all(f"shapes[{i}].line.color" in layout for i in index.link_shapes)
    train_path = layout[f"shapes[{index.loss_shapes[0]}].path"]
    assert train_path.startswith("M1,") and train_path.count("L") == 4  # 5 epochs
    assert layout["xaxis3.range"] == [0.0, 10.0]

    with_hover, _ = frame_updates(live, data, discretize=False, hover=True)
    patched = {patch["index"] for patch in with_hover["traces"]}
    assert patched == {index.output_trace, index.link_trace, index.bias_trace, *index.loss_traces}


def test_nice_ceil_and_loss_ranges_change_in_steps():
    assert [nice_ceil(v) for v in (10, 11, 151, 0.07)] == [10, 15, 200, 0.08]
    epochs = np.arange(1, 1201)
    loss = 0.5 / np.sqrt(epochs)
    x_range, y_range = loss_ranges(epochs, loss, loss * 1.2, log=False)
    assert x_range == [0.0, 2000.0] and y_range == [0.0, 0.6]  # epochs: 1, 2 or 5 × 10^k
    assert loss_ranges(epochs[:501], loss[:501], loss[:501], log=False)[0] == [0.0, 1000.0]
    _, log_range = loss_ranges(epochs, loss, loss * 1.2, log=True)
    assert log_range[0] <= np.log10(loss.min()) and log_range[1] >= np.log10(0.6)
    # Nothing finite yet: default ranges, never an exception.
    assert loss_ranges(np.array([1]), np.array([np.nan]), np.array([np.inf]), log=True)


def test_loss_path_leaves_gaps_at_values_it_cannot_draw():
    epochs = np.arange(1, 6)
    values = np.array([1.0, np.nan, 0.5, 0.0, 0.25])
    assert loss_path(epochs, values, log=False) == "M1,1M3,0.5L4,0L5,0.25"
    assert loss_path(epochs, values, log=True) == "M1,1M3,0.5M5,0.25"
    assert loss_path(epochs[:0], values[:0], log=False) == ""


def test_the_frame_rate_follows_what_the_browser_paints():
    # It paints 3 of 10 frames a second: slow down to a little above its pace.
    slower = paced_rate(10.0, sent=20, painted=6, seconds=2.0)
    assert slower == pytest.approx(3.3)
    # It keeps up: a quarter faster, never above 1 / FRAME_INTERVAL.
    assert paced_rate(8.0, sent=20, painted=20, seconds=2.0) == 10.0
    assert paced_rate(MAX_FRAME_RATE, sent=20, painted=20, seconds=2.0) == MAX_FRAME_RATE
    assert paced_rate(8.0, sent=20, painted=17, seconds=2.0) == 8.0  # in between: keep
    # Nothing painted at all: the floor, not zero.
    assert paced_rate(8.0, sent=20, painted=0, seconds=2.0) == MIN_FRAME_RATE


def test_client_pacing_uses_each_report_once():
    pacing = ClientPacing()
    pacing.sent = 10
    assert pacing.update({"painted": 0, "t": 1.0}) == MAX_FRAME_RATE  # first report: baseline
    pacing.sent = 30
    slower = pacing.update({"painted": 5, "t": 3.0})
    assert slower < MAX_FRAME_RATE
    assert pacing.update({"painted": 5, "t": 3.0}) == slower  # the same report again
    pacing.sent = 40
    # A new graph restarted its counters: ignored, not a negative rate.
    assert pacing.update({"painted": 1, "t": 4.0}) == slower


def test_the_server_pacer_slows_every_session_when_the_process_is_busy():
    clock = {"wall": 0.0, "cpu": 0.0}
    pacer = FramePacer(
        target=0.7, window=1.0, clock=lambda: clock["wall"], cpu_clock=lambda: clock["cpu"]
    )
    assert pacer.update() == RUN_INTERVAL  # within the first window: unchanged
    clock["wall"], clock["cpu"] = 1.0, 1.0  # a whole core busy for a second
    slower = pacer.update()
    assert slower in INTERVAL_STEPS and slower > RUN_INTERVAL
    clock["wall"], clock["cpu"] = 2.0, 1.05  # nearly idle again
    assert pacer.update() == RUN_INTERVAL


def test_runs_carry_several_frames_at_the_rate_asked_for():
    # Full rate: a run every RUN_INTERVAL with frames FRAME_INTERVAL apart.
    assert run_plan(MAX_FRAME_RATE) == (RUN_INTERVAL, round(RUN_INTERVAL / FRAME_INTERVAL))
    # A slow browser: runs no rarer than MAX_RUN_INTERVAL, fewer frames in each.
    assert run_plan(6.0) == (MAX_RUN_INTERVAL, 3)
    assert run_plan(0.1) == (MAX_RUN_INTERVAL, 1)
    # A busy server sets a longer interval: more frames per run keep the rate, up to the cap.
    interval, frames = run_plan(MAX_FRAME_RATE, min_interval=0.3)
    assert interval == 0.3 and frames == MAX_FRAMES_PER_RUN
    for rate in (2.0, 5.0, 12.0, 25.0, 100.0):
        for floor in INTERVAL_STEPS:
            interval, frames = run_plan(rate, floor)
            assert interval in INTERVAL_STEPS and interval >= floor
            assert 1 <= frames <= MAX_FRAMES_PER_RUN
            # Never more frames than the rate asks for (up to rounding).
            assert frames <= max(1, round(min(rate, MAX_FRAME_RATE) * interval))


def test_snapshots_record_each_state_they_were_taken_in():
    run = build_run(PlaygroundSettings())
    figure = current_figure(run, view_spec(run, log_loss=False))
    first = snapshot(run, figure)
    train_chunk(run, 3)
    second = snapshot(run, figure)
    assert second["frame_id"] == first["frame_id"] + 3
    # The caption line travels with its frame: the epoch counter moves with every frame.
    assert first["caption"]["text"].startswith("Epoch 0 ·")
    assert second["caption"]["text"].startswith("Epoch 3 ·")
    assert second["caption"]["data"] == {"testid": "np-metrics", "epoch": 3, "pace": ""}
    # Different weights, different pictures: each frame of a batch shows its own epoch.
    assert any(
        not np.array_equal(a["values"], b["values"])
        for a, b in zip(first["images"], second["images"])
    )


def test_a_diverging_loss_reads_as_a_short_number():
    from playground.frames import _loss_text

    assert _loss_text(0.12345) == "0.123"
    assert _loss_text(3.9477e59) == "3.95e+59"
    assert _loss_text(float("nan")) == "nan" and _loss_text(float("inf")) == "inf"


def test_auto_trains_what_the_target_pace_owes_in_real_time():
    # A run every 0.16 s with 4 frames: 80 epochs/s owes 12.8 epochs, 3 a frame.
    assert auto_epochs_per_frame(owed=12.8, frames=4, seconds=0.16, epoch_seconds=0) == 3
    # A slow browser (a run every 0.5 s, one frame): the frame trains what 0.5 s owes.
    assert auto_epochs_per_frame(40.0, 1, 0.5, epoch_seconds=1e-4) == 40
    # A big network: training may take AUTO_TRAIN_SHARE of the time, fewer epochs then.
    assert auto_epochs_per_frame(40.0, 1, 0.5, epoch_seconds=0.01) == int(AUTO_TRAIN_SHARE * 50)
    # Never less than one epoch a frame.
    assert auto_epochs_per_frame(0.0, 4, 0.16, epoch_seconds=1.0) == 1


def test_the_pace_carries_the_fraction_so_auto_keeps_the_target_on_average():
    pace = TrainingPace()
    now, trained = 0.0, 0
    seconds = pace.start_run(stream=1, now=now, planned=RUN_INTERVAL)
    for _ in range(100):  # runs every 0.16 s of 4 frames
        trained += 4 * pace.auto_epochs(seconds, 4)
        now += RUN_INTERVAL
        seconds = pace.start_run(stream=1, now=now, planned=RUN_INTERVAL)
    assert trained / (100 * RUN_INTERVAL) == pytest.approx(AUTO_EPOCHS_PER_SECOND, rel=0.02)
    # Runs that come late (a busy browser) stand for more time, up to MAX_RUN_INTERVAL.
    assert pace.start_run(stream=1, now=now + 0.3, planned=RUN_INTERVAL) == pytest.approx(0.3)
    assert pace.start_run(stream=1, now=now + 5.0, planned=RUN_INTERVAL) == MAX_RUN_INTERVAL
    # A new stream (Play pressed again) starts afresh: no debt from the pause.
    assert pace.start_run(stream=2, now=now + 60.0, planned=RUN_INTERVAL) == RUN_INTERVAL
    assert pace.owed == 0.0 and not pace.samples


def test_epochs_per_second_is_measured_over_the_last_seconds_of_real_time():
    pace = TrainingPace()
    assert pace.epochs_per_second() is None
    pace.record(0.0, 0, epochs=0, train_seconds=0.0)
    pace.record(0.2, 10, epochs=10, train_seconds=0.01)
    assert pace.epochs_per_second() is None  # not long enough to say
    for step in range(2, 60):  # 50 epochs/s for 12 s, then 100 epochs/s for the rest
        epoch = 50 * step * 0.2 if step <= 30 else 300 + 100 * (step - 30) * 0.2
        pace.record(0.2 * step, int(epoch), epochs=10, train_seconds=0.01)
    assert pace.epochs_per_second() == pytest.approx(100)  # only the newest PACE_WINDOW
    assert pace.samples[-1][0] - pace.samples[0][0] <= PACE_WINDOW + 0.2
    assert pace.epoch_seconds == pytest.approx(0.001)
    assert epochs_per_second(pace.samples) == pace.epochs_per_second()


def test_expensive_frames_make_shorter_runs_that_come_more_often():
    expensive = RUN_WORK_BUDGET / 2.5  # two such frames fit in a run's budget, not three
    interval, frames = run_plan(MAX_FRAME_RATE, RUN_INTERVAL, frame_seconds=expensive)
    assert frames == 2 and frames * expensive <= RUN_WORK_BUDGET
    assert interval == RUN_INTERVAL
    # Slower than the budget: one frame per run, runs as often as the rate asks.
    interval, frames = run_plan(5.0, RUN_INTERVAL, frame_seconds=RUN_WORK_BUDGET + 0.05)
    assert frames == 1 and interval == 0.2
    # Cheap frames: as before.
    assert run_plan(MAX_FRAME_RATE, RUN_INTERVAL, frame_seconds=0.005) == run_plan(MAX_FRAME_RATE)


def _wire_frame(layout: dict, images: dict) -> dict:
    return {
        "updates": {"layout": dict(layout)},
        "images": [{"index": k, "values": encode_array(v)} for k, v in images.items()],
    }


def test_frames_carry_only_what_changed_since_it_was_sent():
    sent = SentValues()
    picture = np.full((4, 4), 100, dtype=np.uint8)
    first = _wire_frame({"a": "rgb(1,2,3)", "b": 1.5}, {0: picture, 1: picture})
    assert sent.full("v1", now=0.0, every=1.0)  # a new structure goes whole
    sent.strip(first, whole=True)
    assert len(first["updates"]["layout"]) == 2 and len(first["images"]) == 2
    sent.full_at, sent.version = 0.0, "v1"
    moved = picture.copy()
    moved[0, 0] += IMAGE_TOLERANCE  # invisible: left out
    visible = picture.copy()
    visible[3, 3] += IMAGE_TOLERANCE + 1
    second = _wire_frame({"a": "rgb(1,2,3)", "b": 1.6}, {0: moved, 1: visible})
    assert not sent.full("v1", now=0.5, every=1.0)
    sent.strip(second, whole=False)
    assert second["updates"]["layout"] == {"b": 1.6}
    assert [image["index"] for image in second["images"]] == [1]
    # Compared with what was last *sent*: small drifts add up and then go out.
    third = _wire_frame({}, {0: moved + IMAGE_TOLERANCE})
    sent.strip(third, whole=False)
    assert [image["index"] for image in third["images"]] == [0]
    # Everything again after ``every`` seconds (a skipped message is repaired) or always.
    assert sent.full("v1", now=1.0, every=1.0) and sent.full("v1", now=0.1, every=None)


def test_rewinding_a_run_undoes_the_epochs_of_frames_never_sent():
    run = build_run(PlaygroundSettings())
    train_chunk(run, 5)
    before = (run.epoch, run.model.params.copy(), metrics(run))
    saved = checkpoint(run)
    train_chunk(run, 7)
    assert run.epoch == 12
    rewind(run, saved)
    assert run.epoch == before[0] and run.trainer.history.length == 5
    np.testing.assert_array_equal(run.model.params, before[1])
    assert metrics(run) == before[2]
    # Training goes on from there exactly as it would have.
    fresh = build_run(PlaygroundSettings())
    train_chunk(fresh, 12)
    train_chunk(run, 7)
    np.testing.assert_allclose(run.model.params, fresh.model.params)


@pytest.mark.parametrize(
    ("hidden", "titles"),
    [
        ((4, 2), ["features", "layer 1", "layer 2", "output"]),
        ((2,) * 6, ["in", *(f"L{i}" for i in range(1, 7)), "out"]),
    ],
)
def test_column_titles_fit_the_columns_of_deep_networks(hidden, titles):
    run = build_run(PlaygroundSettings(hidden=hidden))
    spec = view_spec(run, log_loss=False)
    figure = playground_figure(spec, run.train.X, run.train.y, run.test.X, run.test.y)
    shown = [a["text"] for a in figure.plotly["layout"]["annotations"] if a.get("yref") == "paper"]
    assert [text for text in shown if text in titles] == titles
