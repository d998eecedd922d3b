"""Where frames come from: parse a configured source and open it as a ``cv2.VideoCapture``-like object.

Backends (configuration ``devices.camera.backend``):

- ``opencv``: ``"0"`` (index), ``/dev/video0`` (V4L2 device path), ``rtsp://…``/``http://…`` (URL,
  FFmpeg with open/read timeouts) or a file (image, image directory or video, played by the
  simulator's MediaSource so that it loops and is paced like a camera).
- ``simulator``: a media path as above, or ``""``/``synthetic``/``synthetic:face`` for a drawn scene
  (a bare index such as the configuration default ``"0"`` also means the synthetic scene).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from devices.camera.simulator import MediaSource, SyntheticSource
from devices.model import DeviceError, DeviceUnavailable, ResultCode

BACKENDS = ("opencv", "simulator")


class FrameSource(Protocol):
    """The part of ``cv2.VideoCapture`` the camera uses."""

    def read(self) -> tuple[bool, np.ndarray | None]: ...
    def isOpened(self) -> bool: ...
    def release(self) -> None: ...
    def set(self, prop: int, value: float) -> bool: ...
    def get(self, prop: int) -> float: ...


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A parsed source. ``kind``: index | device | url | file | synthetic."""

    kind: str
    target: str

    def describe(self) -> str:
        """Technician-facing name; URL credentials are hidden."""
        if self.kind == "url":
            return re.sub(r"//[^/@]*@", "//***@", self.target)
        return f"{self.kind}:{self.target}"


SourceOpener = Callable[[SourceSpec, "OpenOptions"], FrameSource]


@dataclass(frozen=True, slots=True)
class OpenOptions:
    resolution: tuple[int, int] | None = None
    fps: float | None = None
    timeout: float = 5.0  # seconds; URL open/read timeout


def parse_source(source: str | int | os.PathLike[str], backend: str = "opencv") -> SourceSpec:
    """Classify a configured source string. Raises DeviceError(UNSUPPORTED / INVALID_DATA)."""
    if backend not in BACKENDS:
        raise DeviceError(
            ResultCode.UNSUPPORTED, f"unknown camera backend {backend!r} (use {', '.join(BACKENDS)})"
        )
    text = str(source) if isinstance(source, int) else os.fspath(source).strip()
    if backend == "simulator" and text.isdigit():
        text = "synthetic"  # a camera index means nothing to the simulator (config default "0")
    if text in ("", "synthetic") or text.startswith("synthetic:"):
        if backend != "simulator" and text == "":
            raise DeviceError(ResultCode.INVALID_DATA, "empty camera source")
        scene = text.partition(":")[2] or "document"
        return SourceSpec("synthetic", scene)
    if backend == "simulator":
        return SourceSpec("file", text)
    if text.isdigit():
        return SourceSpec("index", text)
    if text.startswith("/dev/"):
        return SourceSpec("device", text)
    if "://" in text:
        return SourceSpec("url", text)
    return SourceSpec("file", text)


def open_source(spec: SourceSpec, options: OpenOptions | None = None) -> FrameSource:
    """Open ``spec``. Raises DeviceUnavailable (absent: retried with backoff) or DeviceError."""
    opts = options or OpenOptions()
    try:
        if spec.kind == "file":
            return MediaSource(Path(spec.target), fps=opts.fps, size=opts.resolution)
        if spec.kind == "synthetic":
            return SyntheticSource(
                spec.target, fps=30.0 if opts.fps is None else opts.fps, size=opts.resolution or (1280, 720)
            )
        return _open_capture(spec, opts)
    except cv2.error as exc:  # OpenCV's own errors carry no personal data
        raise DeviceError(ResultCode.HARDWARE_ERROR, f"OpenCV: {exc.err or exc}") from None


def _open_capture(spec: SourceSpec, opts: OpenOptions) -> FrameSource:
    if spec.kind == "index":
        cap = cv2.VideoCapture(int(spec.target))
        missing = f"no camera at index {spec.target}"
    elif spec.kind == "device":
        if not os.path.exists(spec.target):
            raise DeviceUnavailable(f"camera device not found: {spec.target}")
        cap = cv2.VideoCapture(spec.target, cv2.CAP_V4L2)
        missing = f"cannot open camera device {spec.target}"
    elif spec.kind == "url":
        ms = int(opts.timeout * 1000)
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
        cap = cv2.VideoCapture(spec.target, cv2.CAP_FFMPEG, params)
        missing = f"cannot open stream {spec.describe()}"
    else:
        raise DeviceError(ResultCode.UNSUPPORTED, f"unknown source kind {spec.kind!r}")
    if not cap.isOpened():
        cap.release()
        raise DeviceUnavailable(missing)
    cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # latest frame, not a backlog (ignored where unsupported)
    return cap
