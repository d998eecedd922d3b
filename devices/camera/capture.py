"""The camera adapter: continuous capture on the adapter's I/O thread, latest-frame fan-out.

The DeviceAdapter I/O thread *is* the capture thread: with ``poll_interval=0`` its idle ``_poll``
reads one frame, so commands (snapshot, set_resolution) run between two frames on the same thread
that owns the ``VideoCapture``. Each frame goes, without copying, to

- every subscriber's bounded FrameQueue (``subscribe()``; old frames are dropped, never queued up),
- the latest-frame slot (``latest_frame()``),
- a downscaled RGB preview (``latest_preview()`` and preview listeners), for the UI.

When reads keep failing for ``unplug_after`` seconds the camera is reported POWER_OFF and reopened
with backoff (the base class does that), so an unplugged USB camera or a removed media file comes
back without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from devices.base import Backoff, CancelToken, DeviceAdapter
from devices.camera.frames import Frame, FrameQueue, PreviewFrame, as_bgr, make_preview
from devices.camera.sources import (
    FrameSource,
    OpenOptions,
    SourceOpener,
    SourceSpec,
    open_source,
    parse_source,
)
from devices.model import (
    Availability,
    DeviceError,
    DeviceInfo,
    DeviceStatus,
    DeviceUnavailable,
    ResultCode,
)

log = logging.getLogger("kiosk.devices.camera")
PreviewListener = Callable[[PreviewFrame], None]


@dataclass(frozen=True, slots=True)
class CaptureStats:
    frames: int  # frames delivered since the camera was created
    fps: float  # delivered frames per second over the last ~2 s
    reconnects: int  # successful opens after the first
    read_failures: int  # failed reads in total


class Camera(DeviceAdapter):
    """Camera adapter (``kind = "camera"``). Thread-safe public API; frames are read-only BGR."""

    kind = "camera"

    def __init__(
        self,
        source: str | int | SourceSpec,
        *,
        name: str = "camera",
        backend: str = "opencv",
        resolution: tuple[int, int] | None = None,
        fps: float | None = None,
        preview_width: int | None = 640,
        unplug_after: float = 0.5,
        open_timeout: float = 5.0,
        required: bool = False,
        backoff: Backoff | None = None,
        opener: SourceOpener = open_source,
    ) -> None:
        super().__init__(name, required=required, poll_interval=0.0, backoff=backoff)
        self.backend = backend
        self.spec = source if isinstance(source, SourceSpec) else parse_source(source, backend)
        self.resolution = resolution
        self.fps = fps
        self.preview_width = preview_width
        self.unplug_after = unplug_after
        self.open_timeout = open_timeout
        self._opener = opener
        self._source: FrameSource | None = None
        self._frame_lock = threading.Lock()
        self._subscribers: list[FrameQueue] = []
        self._preview_listeners: list[PreviewListener] = []
        self._latest: Frame | None = None
        self._latest_preview: PreviewFrame | None = None
        self._seq = 0
        self._fail_since: float | None = None
        self._fail_run = 0
        self._read_failures = 0
        self._opens = 0
        self._times: deque[float] = deque(maxlen=120)

    # ----- consumers (any thread) -----
    def subscribe(self, maxsize: int = 1) -> FrameQueue:
        """A new bounded queue that receives every captured frame (the oldest is dropped when full)."""
        q = FrameQueue(maxsize)
        with self._frame_lock:
            self._subscribers.append(q)
        return q

    def unsubscribe(self, q: FrameQueue) -> None:
        with self._frame_lock:
            if q in self._subscribers:
                self._subscribers.remove(q)
        q.close()

    def add_preview_listener(self, listener: PreviewListener) -> None:
        """``listener(preview)`` runs on the capture thread for every frame: it must not block
        (e.g. emit a queued Qt signal, or just note that a new preview is ready)."""
        with self._frame_lock:
            self._preview_listeners.append(listener)

    def remove_preview_listener(self, listener: PreviewListener) -> None:
        with self._frame_lock:
            if listener in self._preview_listeners:
                self._preview_listeners.remove(listener)

    def latest_frame(self) -> Frame | None:
        with self._frame_lock:
            return self._latest

    def latest_preview(self) -> PreviewFrame | None:
        with self._frame_lock:
            return self._latest_preview

    def stats(self) -> CaptureStats:
        with self._frame_lock:
            times = list(self._times)
            frames, failures, opens = self._seq, self._read_failures, self._opens
        recent = [t for t in times if t >= time.monotonic() - 2.0]
        fps = (
            (len(recent) - 1) / (recent[-1] - recent[0])
            if len(recent) > 1 and recent[-1] > recent[0]
            else 0.0
        )
        return CaptureStats(frames, fps, max(0, opens - 1), failures)

    # ----- commands (any thread; run on the capture thread) -----
    def snapshot(self, timeout: float = 2.0) -> Frame:
        """A frame captured after this call (full resolution). DeviceError(TIMEOUT) after
        ``timeout``; DeviceUnavailable when the camera is not connected."""

        def grab(token: CancelToken) -> Frame:
            start = self._seq
            while self._seq == start:
                token.raise_if_cancelled()
                self._set_status(self._poll())
            frame = self.latest_frame()
            assert frame is not None
            return frame

        return self.call(grab, timeout)

    def set_resolution(self, width: int, height: int, timeout: float = 3.0) -> tuple[int, int]:
        """Ask the source for ``width`` x ``height``; returns the size it actually delivers."""

        def apply(token: CancelToken) -> tuple[int, int]:
            self.resolution = (width, height)
            self._apply_settings(self._source)
            start = self._seq
            while self._seq == start:
                token.raise_if_cancelled()
                self._set_status(self._poll())
            frame = self.latest_frame()
            assert frame is not None
            return frame.width, frame.height

        return self.call(apply, timeout)

    # ----- DeviceAdapter hooks (capture thread) -----
    def _open(self) -> DeviceInfo:
        source = self._opener(self.spec, OpenOptions(self.resolution, self.fps, self.open_timeout))
        try:
            self._apply_settings(source)
            deadline = time.monotonic() + self.open_timeout
            ok, image = self._read_from(source)
            while not ok and time.monotonic() < deadline and not self._stop.is_set():
                time.sleep(0.02)
                ok, image = self._read_from(source)
            if not ok:
                raise DeviceUnavailable(f"{self.spec.describe()} opened but delivers no frames")
        except BaseException:
            _release(source)
            raise
        self._source = source
        self._fail_since, self._fail_run = None, 0
        with self._frame_lock:
            self._opens += 1
        self._deliver(image)
        return DeviceInfo(
            kind=self.kind,
            backend=self.backend,
            model=self.spec.describe(),
            capabilities=("snapshot", "preview", "set-resolution", "frames"),
        )

    def _close(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            _release(source)

    def _poll(self) -> DeviceStatus:
        if self._source is None:
            raise DeviceUnavailable("camera not open")
        ok, image = self._read_from(self._source)
        if ok:
            self._fail_since, self._fail_run = None, 0
            self._deliver(image)
            frame = self._latest
            size = f"{frame.width}x{frame.height}" if frame else ""
            return DeviceStatus(availability=Availability.ONLINE, extra=(("resolution", size),))
        now = time.monotonic()
        if self._fail_since is None:
            self._fail_since = now
        self._fail_run += 1
        with self._frame_lock:
            self._read_failures += 1
        if self._fail_run >= 3 and now - self._fail_since >= self.unplug_after:
            raise DeviceUnavailable(f"no frames for {now - self._fail_since:.1f} s")
        time.sleep(0.01)  # a dead device answers at once: do not spin
        return self.status

    # ----- internals (capture thread) -----
    def _apply_settings(self, source: FrameSource | None) -> None:
        if source is None:
            raise DeviceUnavailable("camera not open")
        if self.resolution:
            source.set(cv2.CAP_PROP_FRAME_WIDTH, float(self.resolution[0]))
            source.set(cv2.CAP_PROP_FRAME_HEIGHT, float(self.resolution[1]))
        if self.fps is not None:  # 0 = as fast as possible (simulated sources)
            source.set(cv2.CAP_PROP_FPS, float(self.fps))

    @staticmethod
    def _read_from(source: FrameSource) -> tuple[bool, np.ndarray | None]:
        try:
            ok, image = source.read()
        except cv2.error:
            return False, None
        if not ok or image is None or not isinstance(image, np.ndarray) or image.size == 0:
            return False, None
        return True, image

    def _deliver(self, image: np.ndarray | None) -> None:
        try:
            bgr = as_bgr(image)  # type: ignore[arg-type]
        except ValueError:
            log.warning("%s: source delivered an unusable image", self.name)
            return
        now = time.monotonic()
        with self._frame_lock:
            self._seq += 1
            frame = Frame(self._seq, now, bgr)
            self._latest = frame
            self._times.append(now)
            subscribers = list(self._subscribers)
            listeners = list(self._preview_listeners)
        for q in subscribers:
            q.put(frame)
        if self.preview_width:
            preview = make_preview(frame, self.preview_width)
            with self._frame_lock:
                self._latest_preview = preview
            for listener in listeners:
                try:
                    listener(preview)
                except Exception:  # a broken UI callback must not stop the capture
                    log.exception("preview listener of %s failed", self.name)


def _release(source: FrameSource) -> None:
    try:
        source.release()
    except Exception:  # releasing must never raise
        log.debug("release failed", exc_info=True)


def camera_from_config(
    backend: str, source: str, width: int, height: int, *, required: bool = False, name: str = "camera"
) -> Camera:
    """Build the configured camera (``devices.camera.*`` options). Raises DeviceError on a bad source."""
    if backend not in ("opencv", "simulator"):
        raise DeviceError(ResultCode.UNSUPPORTED, f"camera backend {backend!r} has no adapter")
    return Camera(source, name=name, backend=backend, resolution=(width, height), required=required)
