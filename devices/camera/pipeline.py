"""Frame analysis off the capture and GUI threads.

Each analyser gets its own worker thread fed by its own bounded FrameQueue (size 1, latest frame
wins), so an analyser slower than the camera simply skips frames and a slow analyser (face) never
delays a fast one (QR). Results are delivered to listeners on the worker thread that produced them.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from devices.camera.frames import Frame, FrameQueue

log = logging.getLogger("kiosk.devices.camera")


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisResult:
    """Base of every analyser's result. ``elapsed_ms`` is filled in by the pipeline."""

    analyser: str
    frame_seq: int
    frame_time: float  # Frame.timestamp (time.monotonic())
    elapsed_ms: float = 0.0


class FrameAnalyser(Protocol):
    """A pluggable analyser; ``analyse`` is only ever called from one thread at a time."""

    name: str

    def analyse(self, frame: Frame) -> AnalysisResult: ...

    def reset(self) -> None: ...


class FrameFeed(Protocol):
    """What the pipeline needs from a camera."""

    def subscribe(self, maxsize: int = 1) -> FrameQueue: ...

    def unsubscribe(self, q: FrameQueue) -> None: ...


ResultListener = Callable[[AnalysisResult], None]


@dataclass(frozen=True, slots=True)
class AnalyserStats:
    name: str
    analysed: int  # frames analysed
    skipped: int  # frames captured while the analyser was busy (dropped from its queue)
    errors: int
    mean_ms: float
    max_ms: float


class _Worker:
    def __init__(
        self, pipeline: AnalysisPipeline, analyser: FrameAnalyser, queue: FrameQueue, max_hz: float | None
    ) -> None:
        self.analyser = analyser
        self.queue = queue
        self.min_interval = 1.0 / max_hz if max_hz else 0.0
        self.enabled = True
        self.reset_requested = False
        self.analysed = 0
        self.errors = 0
        self.total_ms = 0.0
        self.max_ms = 0.0
        self._pipeline = pipeline
        self.thread = threading.Thread(target=self._run, name=f"camera-analyser-{analyser.name}", daemon=True)

    def _run(self) -> None:
        _lower_priority(self._pipeline.nice)
        stop = self._pipeline._stop
        while not stop.is_set():
            frame = self.queue.get(timeout=0.2)
            if frame is None or not self.enabled:
                continue
            if self.reset_requested:
                self.reset_requested = False
                self.analyser.reset()
            start = time.perf_counter()
            try:
                result = self.analyser.analyse(frame)
            except Exception as exc:  # an analyser bug must not stop the pipeline; no frame data logged
                self.errors += 1
                log.error("analyser %s failed: %s", self.analyser.name, type(exc).__name__)
                continue
            elapsed = (time.perf_counter() - start) * 1000.0
            self.analysed += 1
            self.total_ms += elapsed
            self.max_ms = max(self.max_ms, elapsed)
            self._pipeline._publish(dataclasses.replace(result, elapsed_ms=elapsed))
            rest = self.min_interval - (time.perf_counter() - start)
            if rest > 0:  # rate limit: frames arriving meanwhile are skipped
                stop.wait(rest)


class AnalysisPipeline:
    """Runs ``analysers`` on frames from ``feed`` (a Camera). ``start``/``stop`` are idempotent."""

    def __init__(
        self,
        feed: FrameFeed,
        analysers: Sequence[FrameAnalyser],
        *,
        nice: int = 10,
        max_hz: Mapping[str, float] | None = None,
    ) -> None:
        """``nice``: on Linux each analysis thread raises its own niceness by this much, so the GUI
        and capture threads win the CPU when it is short (0 = leave the priority alone).
        ``max_hz``: optional per-analyser rate limits, e.g. ``{"face": 5}``, to bound CPU use."""
        self.nice = nice
        self.max_hz = dict(max_hz or {})
        names = [a.name for a in analysers]
        if len(set(names)) != len(names):
            raise ValueError(f"analyser names must be unique: {names}")
        self._feed = feed
        self._analysers = list(analysers)
        self._workers: dict[str, _Worker] = {}
        self._listeners: list[ResultListener] = []
        self._latest: dict[str, AnalysisResult] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._running = False

    def add_listener(self, listener: ResultListener) -> None:
        """``listener(result)`` is called on an analysis thread; it must return quickly."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: ResultListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._stop.clear()
        self._workers = {}
        for analyser in self._analysers:
            worker = _Worker(self, analyser, self._feed.subscribe(maxsize=1), self.max_hz.get(analyser.name))
            self._workers[analyser.name] = worker
            worker.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the workers; ``stats()`` keeps the last run's numbers."""
        if not self._running:
            return
        self._running = False
        self._stop.set()
        for worker in self._workers.values():
            self._feed.unsubscribe(worker.queue)
        deadline = time.monotonic() + timeout
        for worker in self._workers.values():
            worker.thread.join(max(0.0, deadline - time.monotonic()))

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Pause or resume one analyser (e.g. QR only on the scan screen)."""
        self._worker(name).enabled = enabled

    def reset(self, name: str | None = None) -> None:
        """Forget analyser state (e.g. document stability) before its next frame."""
        for worker in [self._worker(name)] if name else list(self._workers.values()):
            worker.reset_requested = True
        with self._lock:
            if name:
                self._latest.pop(name, None)
            else:
                self._latest.clear()

    def latest(self, name: str) -> AnalysisResult | None:
        with self._lock:
            return self._latest.get(name)

    def stats(self) -> dict[str, AnalyserStats]:
        out = {}
        for name, w in self._workers.items():
            mean = w.total_ms / w.analysed if w.analysed else 0.0
            out[name] = AnalyserStats(name, w.analysed, w.queue.dropped, w.errors, mean, w.max_ms)
        return out

    def _worker(self, name: str) -> _Worker:
        try:
            return self._workers[name]
        except KeyError:
            raise KeyError(f"no running analyser {name!r}") from None

    def _publish(self, result: AnalysisResult) -> None:
        with self._lock:
            self._latest[result.analyser] = result
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(result)
            except Exception:  # a broken listener must not stop analysis
                log.exception("analysis listener failed")


def _lower_priority(nice: int) -> None:
    """Lower the calling thread's CPU priority (Linux schedules threads individually)."""
    if nice <= 0 or not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except OSError:  # not permitted in some sandboxes: run at normal priority
        log.debug("could not lower analyser thread priority")
