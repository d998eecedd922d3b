"""Simulated cameras: objects with the ``cv2.VideoCapture`` reading interface.

``MediaSource`` plays an image file, a directory of images or a video file; ``SyntheticSource``
renders a drawn scene (a page with a QR code sliding onto a desk, or a cartoon face). Both loop, are
paced to a target frame rate like a real camera (``fps=0``: as fast as possible), honour
``set(CAP_PROP_FRAME_WIDTH/HEIGHT)`` by resizing, and go through exactly the same capture path
(``capture.Camera``) as a real device.

A file source behaves like a camera that can be unplugged: while its path is missing, ``read()``
returns ``(False, None)``; the Camera then reports POWER_OFF and reopens it with backoff.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from devices.camera.synthetic import DocumentScene, draw_face
from devices.model import DeviceError, DeviceUnavailable, ResultCode

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm"})
ReadResult = tuple[bool, np.ndarray | None]


class Pacer:
    """Sleeps so that successive ``wait()`` calls return ``fps`` times a second; if the caller is
    late by more than a frame it resynchronises (frames are skipped, never bunched up)."""

    def __init__(
        self,
        fps: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.fps = fps
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        if self.fps <= 0:
            return
        period = 1.0 / self.fps
        now = self._clock()
        if self._next is None or now - self._next > period:
            self._next = now
        elif self._next > now:
            self._sleep(self._next - now)
        self._next += period


class _SizedSource:
    """Shared ``set``/``get`` handling: requested width/height, fps, resize on output."""

    def __init__(self, fps: float, size: tuple[int, int] | None) -> None:
        self._pacer = Pacer(fps)
        self._want_w, self._want_h = size if size else (0, 0)
        self._native: tuple[int, int] = (0, 0)
        self._opened = True

    def _target_size(self) -> tuple[int, int]:
        nw, nh = self._native
        if self._want_w and self._want_h:
            return self._want_w, self._want_h
        if self._want_w and nw:
            return self._want_w, max(1, round(nh * self._want_w / nw))
        if self._want_h and nh:
            return max(1, round(nw * self._want_h / nh)), self._want_h
        return nw, nh

    def _fit(self, image: np.ndarray) -> np.ndarray:
        w, h = self._target_size()
        if (image.shape[1], image.shape[0]) == (w, h) or not w or not h:
            return image
        shrink = w < image.shape[1]
        return cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)

    def isOpened(self) -> bool:
        return self._opened

    def release(self) -> None:
        self._opened = False

    def set(self, prop: int, value: float) -> bool:
        if prop == cv2.CAP_PROP_FRAME_WIDTH:
            self._want_w = int(value)
        elif prop == cv2.CAP_PROP_FRAME_HEIGHT:
            self._want_h = int(value)
        elif prop == cv2.CAP_PROP_FPS:
            self._pacer.fps = float(value)
        else:
            return False
        self._on_resize()
        return True

    def get(self, prop: int) -> float:
        if prop == cv2.CAP_PROP_FRAME_WIDTH:
            return float(self._target_size()[0])
        if prop == cv2.CAP_PROP_FRAME_HEIGHT:
            return float(self._target_size()[1])
        if prop == cv2.CAP_PROP_FPS:
            return float(self._pacer.fps)
        return 0.0

    def _on_resize(self) -> None:
        pass


class MediaSource(_SizedSource):
    """Plays ``path`` (image, directory of images, or video) in a loop at ``fps``.

    ``fps=None``: the video's own rate, 30 for images. Raises DeviceUnavailable when the path does
    not exist and DeviceError(INVALID_DATA) when it holds nothing decodable.
    """

    def __init__(
        self, path: str | os.PathLike[str], fps: float | None = None, size: tuple[int, int] | None = None
    ):
        self.path = Path(path)
        self._images: list[np.ndarray] = []
        self._fitted: list[np.ndarray] = []
        self._video: cv2.VideoCapture | None = None
        self._pending: np.ndarray | None = None
        self._index = 0
        if not self.path.exists():
            raise DeviceUnavailable(f"media not found: {self.path}")
        native_fps = 30.0
        if self.path.is_dir():
            self._images = [img for img in map(_imread, media_files(self.path)) if img is not None]
            if not self._images:
                raise DeviceError(ResultCode.INVALID_DATA, f"no decodable images in {self.path}")
        elif (image := _imread(self.path)) is not None:
            self._images = [image]
        else:
            self._video = _open_video(self.path)
            ok, self._pending = self._video.read()
            if not ok:
                self._video.release()
                raise DeviceError(
                    ResultCode.INVALID_DATA, f"not a decodable image or video (no frames): {self.path}"
                )
            native_fps = self._video.get(cv2.CAP_PROP_FPS) or 30.0
            if not 1.0 <= native_fps <= 240.0:
                native_fps = 30.0
        super().__init__(native_fps if fps is None else fps, size)
        first = self._images[0] if self._images else self._pending
        assert first is not None
        self._native = (first.shape[1], first.shape[0])
        self._on_resize()

    @property
    def frame_count(self) -> int:
        if self._video is not None:
            return int(self._video.get(cv2.CAP_PROP_FRAME_COUNT))
        return len(self._images)

    def _on_resize(self) -> None:
        self._fitted = [self._fit(img) for img in self._images]

    def read(self) -> ReadResult:
        if not self._opened or not _exists(self.path):
            return False, None
        self._pacer.wait()
        if self._fitted:
            image = self._fitted[self._index % len(self._fitted)]
            self._index += 1
            return True, image
        return self._read_video()

    def _read_video(self) -> ReadResult:
        assert self._video is not None
        if self._pending is not None:
            image, self._pending = self._pending, None
            self._index += 1
            return True, self._fit(image)
        ok, image = self._video.read()
        if not ok:  # end of the file: reopen and start again (a loop)
            self._video.release()
            try:
                self._video = _open_video(self.path)
            except DeviceError:
                return False, None
            ok, image = self._video.read()
            if not ok:
                return False, None
        self._index += 1
        return True, self._fit(image)

    def release(self) -> None:
        super().release()
        if self._video is not None:
            self._video.release()


class SyntheticSource(_SizedSource):
    """Renders a drawn scene: ``"document"`` (page + QR code moves, then rests) or ``"face"``."""

    def __init__(
        self,
        scene: str = "document",
        fps: float = 30.0,
        size: tuple[int, int] | None = (1280, 720),
        qr_payload: str | None = "回执号 BJ-2024-0611-000123 居住证明（示例）",
        seed: int = 0,
    ) -> None:
        if scene not in ("document", "face"):
            raise DeviceError(ResultCode.INVALID_DATA, f"unknown synthetic scene {scene!r}")
        super().__init__(fps, size)
        self.scene = scene
        self._qr_payload = qr_payload
        self._seed = seed
        self._native = size or (1280, 720)
        self._index = 0
        self._doc: DocumentScene | None = None
        self._face: np.ndarray | None = None
        self._on_resize()

    def _on_resize(self) -> None:
        size = self._target_size()
        if self.scene == "document":
            if self._doc is None or self._doc.size != size:
                self._doc = DocumentScene(size, self._qr_payload, seed=self._seed)
        elif self._face is None or (self._face.shape[1], self._face.shape[0]) != size:
            self._face = draw_face(size[0], size[1], seed=self._seed)

    def read(self) -> ReadResult:
        if not self._opened:
            return False, None
        self._pacer.wait()
        index = self._index
        self._index += 1
        if self._doc is not None and self.scene == "document":
            return True, self._doc.render(index)
        assert self._face is not None
        shift = int(6 * np.sin(index / 10.0))  # a gentle sway
        return True, np.roll(self._face, shift, axis=1)


def _exists(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError:
        return False
    return True


def _imread(path: Path) -> np.ndarray | None:
    if not cv2.haveImageReader(str(path)):
        return None
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return image if image is not None and image.size else None


def _open_video(path: Path) -> cv2.VideoCapture:
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        cap.release()
        if not _exists(path):
            raise DeviceUnavailable(f"media not found: {path}")
        raise DeviceError(ResultCode.INVALID_DATA, f"not a decodable image or video: {path}")
    return cap


def media_files(directory: Path, suffixes: Sequence[str] = tuple(IMAGE_SUFFIXES)) -> list[Path]:
    """Image files of a sequence directory, in playing order (sorted by name)."""
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in suffixes)
