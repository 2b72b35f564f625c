"""Frame pacing: how many frames per second a playing session gets, how many epochs each
frame trains, and the measured training pace. Pure Python (no Streamlit): ``ui.live`` keeps one
``ClientPacing`` and one ``TrainingPace`` per session and one ``FramePacer`` per process.

The frame rate adapts to load twice: ``FramePacer`` (the server's CPU use, for all playing
sessions) sets the shortest run interval, and ``ClientPacing`` (per session) follows what its
browser paints (``paced_rate``): a slow or busy computer gets fewer frames, more again step by
step while it keeps up.

Speed "auto" (the default) trains as many epochs per frame as keep ``AUTO_EPOCHS_PER_SECOND``
epochs per second of real time (``TrainingPace``): a run trains what the target owes since the
previous run, however often runs come (a slow browser gets fewer frames with more epochs each),
and training takes at most ``AUTO_TRAIN_SHARE`` of the real time, so a big network trains fewer
epochs/s rather than stalling the process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

FRAME_INTERVAL = 0.04  # seconds between painted frames the live view aims for (25 frames/s)
# Seconds between fragment runs while playing and nothing is busy. Each run carries
# FRAMES_PER_RUN frames that the browser draws FRAME_INTERVAL apart (run_plan): every
# Streamlit run costs the browser ~25 ms of React work and a repaint of its own, whatever it
# carries (measured, one page: 53 ms of renderer main thread per painted frame at one frame a
# run, 35 ms at four; docs/benchmarks.md).
RUN_INTERVAL = 0.16
MAX_RUN_INTERVAL = 0.5
FRAMES_PER_RUN = round(RUN_INTERVAL / FRAME_INTERVAL)  # at full rate: 4
MAX_FRAMES_PER_RUN = 6
MAX_FRAME_RATE = 1 / FRAME_INTERVAL
MIN_FRAME_RATE = 2.0
# Run intervals the pacers choose from (a change restarts the browser's timer: not too often).
INTERVAL_STEPS = (RUN_INTERVAL, 0.2, 0.25, 0.3, 0.4, MAX_RUN_INTERVAL)
# Speed "auto": TensorFlow Playground trains one epoch per animation frame (~60 epochs/s);
# this pace is at least that with some margin, and a run trains what it owes in real time.
AUTO_EPOCHS_PER_SECOND = 80
# Share of real time one session on "auto" may spend training (measured seconds per epoch):
# past it, a big network trains fewer epochs/s (one epoch per frame at least).
AUTO_TRAIN_SHARE = 0.3
# Seconds of server work (training and frames) a fragment run aims to stay under: fewer frames
# per run when a frame is expensive. A click's rerun does not wait for the whole run (the run
# ends at the next frame's session-state read, see play_frames), so the budget is about as long
# as the slowest run interval: 0.2 s held [8,8,8] at speed 500 to ~3,100 epochs/s instead of
# ~5,900 (docs/benchmarks.md, "Pace and large networks").
RUN_WORK_BUDGET = 0.45
PACE_WINDOW = 2.0  # seconds of real time the epochs/s in the caption line is measured over
MIN_PACE_SPAN = 0.5  # seconds of playing before the caption line shows epochs/s
WHOLE_FRAME_EVERY = 1.0  # seconds between frames sent whole while playing (changes_only)
SMOOTHING = 0.3  # weight of the newest measurement in the smoothed server times
HOVER_INTERVAL = 0.5  # seconds between hover-data refreshes while playing
STATS_EVERY = 2.0  # seconds between the browser's reports of painted frames
# Reports whose painted frames/s a slowdown goes to (see ``paced_rate``'s ``span``): one
# report is 2 s, so one stall of the page (a chart drawn elsewhere on it) weighs a third.
PACE_SPAN_REPORTS = 3


class FramePacer:
    """The frame interval for every playing session, from the server process's CPU use.

    Every ``window`` seconds it compares the process's CPU time (all threads) with
    ``target`` (a fraction of one core) and scales the interval by busy / target, rounded
    up to one of ``INTERVAL_STEPS``; frames then stay cheap enough that every session keeps
    a steady rate instead of all of them stalling. Shared by the sessions of the process:
    one Python process runs one thread at a time, so past about one busy core every session
    slows down and the total frame rate *falls* (measured: 95 → 53 frames/s in total).
    """

    def __init__(
        self,
        target: float = 0.7,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        cpu_clock: Callable[[], float] = time.process_time,  # CPU seconds of all threads
    ) -> None:
        self.target = target
        self.window = window
        self.interval = RUN_INTERVAL
        self.busy = 0.0
        self._clock = clock
        self._cpu_clock = cpu_clock
        self._lock = threading.Lock()
        self._wall = clock()
        self._cpu = cpu_clock()

    def update(self) -> float:
        with self._lock:
            now = self._clock()
            if now - self._wall >= self.window:
                cpu = self._cpu_clock()
                self.busy = (cpu - self._cpu) / (now - self._wall)
                self._wall, self._cpu = now, cpu
                wanted = self.interval * self.busy / self.target
                # Hysteresis: keep the interval while the load is within ±25 % of the target.
                if wanted > self.interval * 1.25 or wanted < self.interval * 0.75:
                    self.interval = _step_at_least(wanted)
            return self.interval


def _step_at_least(seconds: float) -> float:
    for step in INTERVAL_STEPS:
        if step >= seconds * 0.999:
            return step
    return MAX_RUN_INTERVAL


def paced_rate(
    rate: float, sent: int, painted: int, seconds: float, span: tuple[int, float] | None = None
) -> float:
    """The next frame rate (frames/s) of one session, from what its browser painted.

    ``sent`` frames went out and ``painted`` were drawn in ``seconds``. Below 80 % painted,
    the rate drops to a little above what the browser painted (freed from the surplus frames,
    it may paint faster); from 90 % on it grows a quarter, up to ``1 / FRAME_INTERVAL``.
    Surplus frames are not free: the server trains and encodes them, the browser receives them.

    ``span``: (painted, seconds) over the last few reports, this one included. A slowdown goes
    to that pace rather than this report's alone: one stall of the page (an Insight chart
    redrawn every few seconds: ~0.3-1 s on a loaded 2-core machine) used to halve the rate,
    which then took longer to climb back than the next stall took to come (bench/ui.py i).
    """
    if sent <= 0 or seconds <= 0:
        return rate
    ratio = painted / sent
    if ratio < 0.8:
        span_painted, span_seconds = span if span and span[1] > 0 else (painted, seconds)
        return max(MIN_FRAME_RATE, min(rate, 1.1 * span_painted / span_seconds))
    if ratio >= 0.9:
        return min(MAX_FRAME_RATE, rate * 1.25)
    return rate


def run_plan(
    rate: float, min_interval: float = RUN_INTERVAL, frame_seconds: float = 0.0
) -> tuple[float, int]:
    """(seconds between fragment runs, frames each run carries) for ``rate`` frames/s.

    Runs carry ``FRAMES_PER_RUN`` frames, drawn ``interval / frames`` apart by the browser
    (they share what the browser pays per Streamlit run: ``RUN_INTERVAL``). Runs come at most
    every ``MAX_RUN_INTERVAL`` s (fewer frames then at low rates) and never sooner than
    ``min_interval`` (the server's pacer). A frame that takes ``frame_seconds`` of server work
    means fewer frames per run, so that a run stays within ``RUN_WORK_BUDGET``, and runs as
    often as those frames need to keep the rate.
    """
    rate = min(MAX_FRAME_RATE, max(MIN_FRAME_RATE, rate))
    affordable = MAX_FRAMES_PER_RUN
    if frame_seconds > 0:
        affordable = max(1, min(affordable, int(RUN_WORK_BUDGET / frame_seconds)))
    per_run = min(FRAMES_PER_RUN, affordable)
    interval = _step_at_least(max(min_interval, min(MAX_RUN_INTERVAL, per_run / rate)))
    return interval, max(1, min(affordable, round(rate * interval)))


def auto_epochs_per_frame(owed: float, frames: int, seconds: float, epoch_seconds: float) -> int:
    r"""Epochs each of a run's ``frames`` frames trains on speed "auto".

    ``owed``: epochs the target pace owes since the previous run (``AUTO_EPOCHS_PER_SECOND``
    × the ``seconds`` of real time since then, plus what was left over). Training may take
    ``AUTO_TRAIN_SHARE`` of those seconds at ``epoch_seconds`` per epoch (measured; 0: not
    yet known). One epoch per frame at least: a network too big for the target pace trains
    at the pace its frames come.

    .. math:: e = \max(1, \lfloor \min(owed / frames,\;
              share \cdot seconds / (frames \cdot t_{epoch})) \rfloor)
    """
    wanted = owed / frames
    if epoch_seconds > 0:
        wanted = min(wanted, AUTO_TRAIN_SHARE * seconds / (frames * epoch_seconds))
    return max(1, int(wanted))


def epochs_per_second(samples: deque[tuple[float, int]]) -> float | None:
    """Epochs per second between the oldest and newest ``(seconds, epoch)`` sample, or None
    while they span less than ``MIN_PACE_SPAN`` seconds."""
    if len(samples) < 2:
        return None
    (start, first), (end, last) = samples[0], samples[-1]
    if end - start < MIN_PACE_SPAN:
        return None
    return (last - first) / (end - start)


@dataclass
class TrainingPace:
    """A session's measured training pace while playing (one stream of frames at a time).

    ``samples``: (time, epoch) after each trained frame over the last ``PACE_WINDOW`` s, for
    the epochs/s in the caption line. ``owed``: epochs speed "auto" still owes (fraction
    carried from run to run). ``epoch_seconds`` and ``frame_seconds``: smoothed server time to
    train one epoch, and to train and make one frame.
    """

    stream: int = -1  # Playback.started of the stream measured
    samples: deque[tuple[float, int]] = field(default_factory=deque)
    last_run_at: float | None = None
    owed: float = 0.0
    epoch_seconds: float = 0.0
    frame_seconds: float = 0.0

    def start_run(self, stream: int, now: float, planned: float) -> float:
        """Seconds of real time this run stands for: since the previous run of the same
        stream (at most ``MAX_RUN_INTERVAL``), ``planned`` for a stream's first run."""
        if stream != self.stream or self.last_run_at is None:
            self.stream, self.owed = stream, 0.0
            self.samples.clear()
            elapsed = planned
        else:
            elapsed = now - self.last_run_at
        self.last_run_at = now
        return min(max(elapsed, 0.0), MAX_RUN_INTERVAL)

    def auto_epochs(self, seconds: float, frames: int) -> int:
        """Epochs per frame on "auto" for a run standing for ``seconds`` (see
        ``auto_epochs_per_frame``); the fraction left over is carried to the next run."""
        owed = self.owed + AUTO_EPOCHS_PER_SECOND * seconds
        epochs = auto_epochs_per_frame(owed, frames, seconds, self.epoch_seconds)
        self.owed = min(max(owed - epochs * frames, 0.0), float(frames))
        return epochs

    def record(self, now: float, epoch: int, epochs: int, train_seconds: float) -> None:
        """A frame trained ``epochs`` epochs in ``train_seconds`` and reached ``epoch``."""
        if epochs > 0:
            self.epoch_seconds = _smoothed(self.epoch_seconds, train_seconds / epochs)
        self.samples.append((now, epoch))
        while len(self.samples) > 2 and self.samples[1][0] <= now - PACE_WINDOW:
            self.samples.popleft()

    def run_done(self, seconds: float, frames: int) -> None:
        """A run of ``frames`` frames took ``seconds`` of server work (training, pictures,
        sending)."""
        self.frame_seconds = _smoothed(self.frame_seconds, seconds / max(frames, 1))

    def epochs_per_second(self) -> float | None:
        return epochs_per_second(self.samples)


def _smoothed(previous: float, value: float) -> float:
    return value if previous <= 0 else previous + SMOOTHING * (value - previous)


@dataclass
class ClientPacing:
    """A session's frame rate as its browser keeps up (see ``paced_rate``)."""

    rate: float = MAX_FRAME_RATE
    sent: int = 0  # frames sent while playing
    sent_at_report: int = 0
    report: dict | None = None
    # (painted, seconds) of the last PACE_SPAN_REPORTS reports (paced_rate's ``span``).
    recent: deque[tuple[int, float]] = field(
        default_factory=lambda: deque(maxlen=PACE_SPAN_REPORTS)
    )

    def update(self, report: dict | None) -> float:
        if not report or (self.report is not None and report.get("t") == self.report.get("t")):
            return self.rate
        previous, self.report = self.report, report
        sent, self.sent_at_report = self.sent - self.sent_at_report, self.sent
        if previous is not None:
            try:
                painted = int(report["painted"]) - int(previous["painted"])
                seconds = float(report["t"]) - float(previous["t"])
            except (KeyError, TypeError, ValueError):
                return self.rate
            if painted >= 0:  # a new graph in the page restarts its counters
                self.recent.append((painted, seconds))
                span = (sum(p for p, _ in self.recent), sum(s for _, s in self.recent))
                self.rate = paced_rate(self.rate, sent, painted, seconds, span)
        return self.rate
