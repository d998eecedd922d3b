"""Camera pipeline throughput at 1280x720 and the longest stall of a stand-in GUI thread.

Run: ``.venv/bin/python tests/benchmarks/bench_camera.py [--seconds 5] [--fps 0 30]``.

The source is the simulator's synthetic scene (a page with a QR code on a desk, 1280x720) going
through the real capture path (Camera adapter thread → bounded queues → analyser threads). For
each source rate (0 = as fast as the capture thread can go; 30 = a typical USB camera) it runs:

- ``off``: capture + preview only (the baseline),
- ``qr``: plus the QR analyser (QRCodeDetector, Aruco fallback),
- ``all``: plus the document and face analysers,
- ``lim``: like ``all`` with rate limits (QR 10 Hz, document 10 Hz, face 5 Hz).

Meanwhile the main thread plays the GUI: it wants to tick at 60 Hz, fetches the latest preview
each tick (as a QTimer-driven view would), and records how late each tick is. "stall" is the
longest lateness, i.e. how long the GUI could not run because of the camera work in the same
process (GIL and CPU contention). ``idle`` is the same GUI loop with no camera, the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from devices.base import Backoff  # noqa: E402
from devices.camera.capture import Camera  # noqa: E402
from devices.camera.document import DocumentAnalyser  # noqa: E402
from devices.camera.face import FaceAnalyser  # noqa: E402
from devices.camera.pipeline import AnalysisPipeline, FrameAnalyser  # noqa: E402
from devices.camera.qr import QrAnalyser  # noqa: E402

GUI_HZ = 60.0


def gui_loop(seconds: float, camera: Camera | None) -> tuple[float, float, int]:
    """Tick at 60 Hz for ``seconds``; returns (max lateness ms, p99 lateness ms, previews seen)."""
    period = 1.0 / GUI_HZ
    late: list[float] = []
    seen = 0
    last_seq = -1
    start = time.perf_counter()
    next_tick = start + period
    while next_tick - start < seconds:
        delay = next_tick - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        now = time.perf_counter()
        late.append(max(0.0, now - next_tick))
        if camera is not None:
            preview = camera.latest_preview()
            if preview is not None and preview.seq != last_seq:
                last_seq = preview.seq
                seen += 1
                _ = preview.rgb.data  # what a QImage wraps
        next_tick += period
        if now > next_tick:  # skip ticks we missed entirely, as a Qt timer does
            next_tick = now + period
    late.sort()
    p99 = late[min(len(late) - 1, int(0.99 * len(late)))]
    return late[-1] * 1000, p99 * 1000, seen


def run(fps: float, mode: str, seconds: float, nice: int) -> dict[str, float | str]:
    camera = Camera(
        "synthetic", backend="simulator", resolution=(1280, 720), fps=fps, backoff=Backoff(0.05, 0.5)
    )
    camera.start()
    camera.snapshot(timeout=15.0)  # running
    analysers: list[FrameAnalyser] = []
    if mode == "qr":
        analysers = [QrAnalyser()]
    elif mode in ("all", "lim"):
        analysers = [QrAnalyser(), DocumentAnalyser(), FaceAnalyser()]
    limits = {"qr": 10.0, "document": 10.0, "face": 5.0} if mode == "lim" else None
    pipeline = AnalysisPipeline(camera, analysers, nice=nice, max_hz=limits)
    pipeline.start()
    time.sleep(0.3)  # warm-up
    frames0 = camera.stats().frames
    stats0 = pipeline.stats()
    t0 = time.perf_counter()
    stall, p99, previews = gui_loop(seconds, camera)
    elapsed = time.perf_counter() - t0
    frames = camera.stats().frames - frames0
    stats = pipeline.stats()
    pipeline.stop()
    camera.stop()
    row: dict[str, float | str] = {
        "source": "max" if fps == 0 else f"{fps:g} fps",
        "mode": mode,
        "capture_fps": frames / elapsed,
        "preview_fps": previews / elapsed,
        "stall_ms": stall,
        "p99_ms": p99,
    }
    if "qr" in stats:
        qr, qr0 = stats["qr"], stats0["qr"]
        row["qr_hz"] = (qr.analysed - qr0.analysed) / elapsed
        row["qr_ms"] = qr.mean_ms
        row["qr_skip"] = (qr.skipped - qr0.skipped) / max(1, frames)
    for name in ("document", "face"):
        if name in stats:
            row[f"{name}_hz"] = (stats[name].analysed - stats0[name].analysed) / elapsed
    return row


def fmt(value: float | str | None, spec: str = ".1f") -> str:
    if value is None:
        return "-"
    return value if isinstance(value, str) else format(value, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--fps", type=float, nargs="+", default=[0.0, 30.0])
    parser.add_argument("--nice", type=int, default=10, help="analyser thread niceness (0 = off)")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"camera pipeline at 1280x720, {args.seconds:g} s per row, {os.cpu_count()} CPUs, "
        f"load {load:.2f}, analyser nice +{args.nice}"
    )
    idle_stall, idle_p99, _ = gui_loop(args.seconds, None)
    rows = [
        run(fps, mode, args.seconds, args.nice) for fps in args.fps for mode in ("off", "qr", "all", "lim")
    ]
    header = (
        f"{'source':>7} {'mode':>4} {'capture fps':>11} {'preview fps':>11} {'qr Hz':>6} {'qr ms':>6} "
        f"{'qr skip':>7} {'doc Hz':>6} {'face Hz':>7} {'GUI stall ms':>12} {'GUI p99 ms':>10}"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{'-':>7} {'idle':>4} {'-':>11} {'-':>11} {'-':>6} {'-':>6} {'-':>7} {'-':>6} {'-':>7} "
        f"{idle_stall:>12.1f} {idle_p99:>10.1f}"
    )
    for r in rows:
        print(
            f"{r['source']:>7} {r['mode']:>4} {fmt(r['capture_fps']):>11} {fmt(r['preview_fps']):>11} "
            f"{fmt(r.get('qr_hz')):>6} {fmt(r.get('qr_ms')):>6} {fmt(r.get('qr_skip'), '.0%'):>7} "
            f"{fmt(r.get('document_hz')):>6} {fmt(r.get('face_hz')):>7} "
            f"{fmt(r['stall_ms']):>12} {fmt(r['p99_ms']):>10}"
        )
    print()
    for fps in args.fps:
        by_mode = {r["mode"]: r for r in rows if r["source"] == ("max" if fps == 0 else f"{fps:g} fps")}
        off, qr = by_mode["off"]["capture_fps"], by_mode["qr"]["capture_fps"]
        assert isinstance(off, float) and isinstance(qr, float)
        label = "max" if fps == 0 else f"{fps:g} fps"
        print(f"source {label}: capture fps with QR / without = {qr:.1f} / {off:.1f} = {qr / off:.2f}")
    print(
        f"median GUI stall over all camera rows: {statistics.median(float(r['stall_ms']) for r in rows):.1f} ms"
    )


if __name__ == "__main__":
    main()
