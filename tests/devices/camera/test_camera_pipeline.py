"""The analysis pipeline: analysers run on their own threads, slow ones skip frames without slowing
fast ones, results reach listeners, failures are contained."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from devices.base import Backoff
from devices.camera.capture import Camera
from devices.camera.document import DocumentAnalyser, DocumentResult
from devices.camera.face import FaceAnalyser, FaceResult
from devices.camera.frames import Frame
from devices.camera.pipeline import AnalysisPipeline, AnalysisResult
from devices.camera.qr import QrAnalyser, QrResult


@dataclass(frozen=True, slots=True, kw_only=True)
class TickResult(AnalysisResult):
    thread: str


class Sleeper:
    """An analyser that takes ``seconds`` per frame."""

    def __init__(self, name: str, seconds: float, fail_every: int = 0) -> None:
        self.name = name
        self.seconds = seconds
        self.fail_every = fail_every
        self.calls = 0
        self.resets = 0

    def reset(self) -> None:
        self.resets += 1

    def analyse(self, frame: Frame) -> TickResult:
        self.calls += 1
        if self.fail_every and self.calls % self.fail_every == 0:
            raise RuntimeError("simulated analyser bug")
        time.sleep(self.seconds)
        return TickResult(
            analyser=self.name,
            frame_seq=frame.seq,
            frame_time=frame.timestamp,
            thread=threading.current_thread().name,
        )


@pytest.fixture
def camera() -> Iterator[Camera]:
    cam = Camera("synthetic", backend="simulator", resolution=(1280, 720), fps=60, backoff=Backoff(0.05, 0.2))
    cam.start()
    cam.snapshot(timeout=10.0)  # frames are flowing
    yield cam
    cam.stop()


def collect(pipeline: AnalysisPipeline) -> list[AnalysisResult]:
    results: list[AnalysisResult] = []
    lock = threading.Lock()

    def listener(result: AnalysisResult) -> None:
        with lock:
            results.append(result)

    pipeline.add_listener(listener)
    return results


def test_slow_analyser_skips_frames_and_does_not_slow_the_fast_one(camera: Camera) -> None:
    slow, fast = Sleeper("slow", 0.1), Sleeper("fast", 0.0)
    pipeline = AnalysisPipeline(camera, [slow, fast])
    results = collect(pipeline)
    pipeline.start()
    time.sleep(1.0)
    pipeline.stop()
    stats = pipeline.stats()
    frames = camera.stats().frames
    assert 5 <= stats["slow"].analysed <= 11  # ~10 per second at 0.1 s each
    assert stats["slow"].skipped >= 2 * stats["slow"].analysed  # the camera runs at up to 60 fps
    assert stats["fast"].analysed >= 2 * stats["slow"].analysed
    assert stats["slow"].mean_ms == pytest.approx(100, abs=50)
    assert frames >= 3 * stats["slow"].analysed
    threads = {r.thread for r in results if isinstance(r, TickResult)}
    assert threads == {"camera-analyser-slow", "camera-analyser-fast"}  # never capture/GUI thread
    slow_seqs = [r.frame_seq for r in results if r.analyser == "slow"]
    assert slow_seqs == sorted(slow_seqs) and len(set(slow_seqs)) == len(slow_seqs)


def test_real_analysers_deliver_results_for_the_synthetic_scene(camera: Camera) -> None:
    pipeline = AnalysisPipeline(camera, [QrAnalyser(), DocumentAnalyser(stable_frames=3), FaceAnalyser()])
    results = collect(pipeline)
    pipeline.start()
    deadline = time.monotonic() + 15.0
    while time.monotonic() < deadline:
        doc = pipeline.latest("document")
        if (
            isinstance(doc, DocumentResult)
            and doc.ready
            and any(isinstance(r, QrResult) and r.codes for r in results)
        ):
            break
        time.sleep(0.05)
    pipeline.stop()
    qr = [r for r in results if isinstance(r, QrResult) and r.codes]
    assert qr and qr[0].payloads == ("回执号 BJ-2024-0611-000123 居住证明（示例）",)
    doc = pipeline.latest("document")
    assert isinstance(doc, DocumentResult) and doc.ready and doc.kind == "a4"
    faces = [r for r in results if isinstance(r, FaceResult)]
    assert faces and all(r.issues == ("no-face",) for r in faces)
    assert all(r.elapsed_ms > 0 for r in results)


def test_failures_are_counted_and_analysis_goes_on(camera: Camera) -> None:
    flaky = Sleeper("flaky", 0.0, fail_every=2)
    pipeline = AnalysisPipeline(camera, [flaky])
    results = collect(pipeline)

    def broken_listener(result: AnalysisResult) -> None:
        raise ValueError("listener bug")

    pipeline.add_listener(broken_listener)
    pipeline.start()
    time.sleep(0.4)
    pipeline.stop()
    stats = pipeline.stats()["flaky"]
    assert stats.errors >= 5 and stats.analysed >= 5
    assert len(results) == stats.analysed


def test_disable_and_reset(camera: Camera, wait: Callable[..., bool]) -> None:
    sleeper = Sleeper("tick", 0.0)
    pipeline = AnalysisPipeline(camera, [sleeper])
    pipeline.start()
    assert wait(lambda: pipeline.stats()["tick"].analysed > 3)
    pipeline.set_enabled("tick", False)
    time.sleep(0.05)
    paused_at = pipeline.stats()["tick"].analysed
    time.sleep(0.2)
    assert pipeline.stats()["tick"].analysed == paused_at
    pipeline.reset("tick")
    assert pipeline.latest("tick") is None
    pipeline.set_enabled("tick", True)
    assert wait(lambda: sleeper.resets == 1 and pipeline.latest("tick") is not None)
    with pytest.raises(KeyError):
        pipeline.set_enabled("nope", True)
    pipeline.stop()
    pipeline.stop()  # idempotent


def test_rate_limit_skips_frames(camera: Camera) -> None:
    limited, free = Sleeper("limited", 0.0), Sleeper("free", 0.0)
    pipeline = AnalysisPipeline(camera, [limited, free], max_hz={"limited": 10.0})
    pipeline.start()
    time.sleep(0.5)
    pipeline.stop()
    stats = pipeline.stats()
    assert 3 <= stats["limited"].analysed <= 7
    assert stats["limited"].skipped > stats["limited"].analysed
    assert stats["free"].analysed > 2 * stats["limited"].analysed


def test_duplicate_names_rejected(camera: Camera) -> None:
    with pytest.raises(ValueError):
        AnalysisPipeline(camera, [Sleeper("a", 0), Sleeper("a", 0)])
