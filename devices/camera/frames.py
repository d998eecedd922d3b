"""Frames, preview frames and the bounded latest-frame queue that connects capture to its consumers."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """One captured image. ``image`` is BGR uint8 (h, w, 3) and read-only: consumers share it."""

    seq: int  # 1, 2, 3 … per camera; gaps in what a consumer sees are dropped frames
    timestamp: float  # time.monotonic() when it was captured
    image: np.ndarray

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @classmethod
    def from_image(cls, image: np.ndarray, seq: int = 0, timestamp: float | None = None) -> Frame:
        """Wrap an image (e.g. from cv2.imread) as a frame; grey/BGRA inputs become BGR."""
        return cls(seq, time.monotonic() if timestamp is None else timestamp, as_bgr(image))


@dataclass(frozen=True, slots=True, eq=False)
class PreviewFrame:
    """A downscaled RGB888 copy for the UI: ``QImage(p.rgb.data, p.width, p.height,
    p.bytes_per_line, QImage.Format.Format_RGB888).copy()``.

    ``scale`` = preview width / frame width: multiply analysis coordinates (frame pixels) by it
    to draw overlays on the preview.
    """

    seq: int
    timestamp: float
    rgb: np.ndarray  # (height, width, 3) uint8, C-contiguous
    scale: float

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def bytes_per_line(self) -> int:
        return int(self.rgb.strides[0])

    def tobytes(self) -> bytes:
        return self.rgb.tobytes()


def as_bgr(image: np.ndarray) -> np.ndarray:
    """A read-only, C-contiguous BGR uint8 view of ``image`` (grey and BGRA are converted)."""
    if image is None or not isinstance(image, np.ndarray) or image.size == 0:
        raise ValueError("not an image")
    if image.dtype != np.uint8:
        raise ValueError(f"unsupported image dtype {image.dtype}")
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    elif image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"unsupported image shape {image.shape}")
    view = np.ascontiguousarray(image).view()  # a read-only view; the caller's array is untouched
    view.flags.writeable = False
    return view


def make_preview(frame: Frame, max_width: int) -> PreviewFrame:
    """Downscale (never upscale) to at most ``max_width`` pixels wide and convert to RGB."""
    h, w = frame.image.shape[:2]
    scale = min(1.0, max_width / w)
    small = frame.image
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = cv2.resize(small, size, interpolation=cv2.INTER_AREA)
    rgb = np.ascontiguousarray(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
    rgb.flags.writeable = False
    return PreviewFrame(frame.seq, frame.timestamp, rgb, small.shape[1] / w)


class FrameQueue:
    """Bounded queue with latest-frame semantics: ``put`` never blocks, the oldest frame is dropped.

    One producer (the capture thread) and one consumer per queue. ``dropped`` counts frames the
    consumer never saw because it was slower than the camera.
    """

    def __init__(self, maxsize: int = 1) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        self.maxsize = maxsize
        self._items: deque[Frame] = deque()
        self._cond = threading.Condition()
        self._dropped = 0
        self._put = 0
        self._closed = False

    def put(self, frame: Frame) -> None:
        with self._cond:
            if len(self._items) >= self.maxsize:
                self._items.popleft()
                self._dropped += 1
            self._items.append(frame)
            self._put += 1
            self._cond.notify()

    def get(self, timeout: float) -> Frame | None:
        """The oldest queued frame, or None after ``timeout`` seconds or when the queue is closed."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._items:
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    return None
                self._cond.wait(remaining)
            return self._items.popleft()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def clear(self) -> None:
        with self._cond:
            self._items.clear()

    def __len__(self) -> int:
        with self._cond:
            return len(self._items)

    @property
    def dropped(self) -> int:
        with self._cond:
            return self._dropped

    @property
    def received(self) -> int:
        with self._cond:
            return self._put
