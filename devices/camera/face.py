"""Face presence and photo quality for a live photo: one face, centred, large enough, lit, sharp.

Why a Haar cascade: it is the only face detector that ships *inside* the OpenCV wheel we use.
``opencv-python(-headless)`` 4.x installs ``haarcascade_frontalface_default.xml`` under
``cv2.data.haarcascades``; OpenCV 5 wheels have no ``CascadeClassifier`` in the main package and
ship no cascade files at all, and YuNet (``cv2.FaceDetectorYN``) needs an ONNX model file that an
offline kiosk must not download at run time. So pyproject pins ``opencv-python-headless<5`` and
nothing is fetched. A vendored cascade can be passed as ``cascade_path``.

Limits, honestly: the cascade finds upright, frontal faces only (on our drawn sample: found up to
20° of roll, lost at 25°; never upside down); it misses faces in profile, strongly backlit or half
covered, and has false positives on face-like patterns (general Haar behaviour, not measured
here). Single-frame results flicker: on the drawn sample a face at 40 % scale in a corner was
missed while smaller and larger ones were found, so the caller should require the same verdict
over several frames. It happily detects a *drawn* cartoon face (our test sample), even one without
eyes: this is presence detection for framing guidance, not identity, not liveness and not
anti-spoofing. The quality thresholds (brightness, Laplacian-variance sharpness) were set on
synthetic images; tune them on the real kiosk camera.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import cv2
import numpy as np

from devices.camera.frames import Frame
from devices.camera.pipeline import AnalysisResult
from devices.model import DeviceError, ResultCode


class FaceIssue(StrEnum):
    NO_FACE = "no-face"
    MULTIPLE_FACES = "multiple-faces"
    OFF_CENTRE = "off-centre"
    TOO_SMALL = "too-small"
    TOO_CLOSE = "too-close"
    TOO_DARK = "too-dark"
    TOO_BRIGHT = "too-bright"
    BLURRED = "blurred"


#: Default zh-CN prompts for each issue; the UI may translate the codes itself.
FACE_HINTS: dict[FaceIssue, str] = {
    FaceIssue.NO_FACE: "未检测到人脸，请正对摄像头",
    FaceIssue.MULTIPLE_FACES: "检测到多张人脸，请保持画面中只有一人",
    FaceIssue.OFF_CENTRE: "请将面部移到画面中央",
    FaceIssue.TOO_SMALL: "请靠近摄像头",
    FaceIssue.TOO_CLOSE: "请稍微远离摄像头",
    FaceIssue.TOO_DARK: "光线太暗",
    FaceIssue.TOO_BRIGHT: "光线太强",
    FaceIssue.BLURRED: "画面模糊，请保持不动",
}


@dataclass(frozen=True, slots=True)
class FaceBox:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FaceResult(AnalysisResult):
    faces: tuple[FaceBox, ...] = ()  # frame pixels, largest first
    ok: bool = False
    issues: tuple[FaceIssue, ...] = ()
    brightness: float = 0.0  # mean grey level of the main face, 0..255
    sharpness: float = 0.0  # variance of the Laplacian of the main face scaled to 128x128
    offset: tuple[float, float] = (0.0, 0.0)  # face centre - frame centre, in frame widths/heights
    size_ratio: float = 0.0  # main face width / frame width


def default_cascade_path() -> Path:
    data = getattr(getattr(cv2, "data", None), "haarcascades", "")
    return Path(data) / "haarcascade_frontalface_default.xml"


class FaceAnalyser:
    """Checks a frame for a usable live photo. One instance per thread (the cascade is not shared)."""

    def __init__(
        self,
        name: str = "face",
        *,
        cascade_path: str | Path | None = None,
        detect_width: int = 480,
        min_size_ratio: float = 0.18,
        max_size_ratio: float = 0.8,
        max_offset: tuple[float, float] = (0.15, 0.2),
        brightness_range: tuple[float, float] = (70.0, 200.0),
        min_sharpness: float = 50.0,
    ) -> None:
        path = Path(cascade_path) if cascade_path else default_cascade_path()
        if not hasattr(cv2, "CascadeClassifier"):
            raise DeviceError(
                ResultCode.UNSUPPORTED, "this OpenCV build has no CascadeClassifier (OpenCV 5?)"
            )
        if not path.is_file():
            raise DeviceError(ResultCode.UNSUPPORTED, f"face cascade not found: {path}")
        try:
            self._cascade = cv2.CascadeClassifier(str(path))
        except (cv2.error, SystemError):  # a malformed XML raises from the constructor
            raise DeviceError(ResultCode.INVALID_DATA, f"face cascade could not be loaded: {path}") from None
        if self._cascade.empty():
            raise DeviceError(ResultCode.INVALID_DATA, f"face cascade could not be loaded: {path}")
        self.name = name
        self.detect_width = detect_width
        self.min_size_ratio = min_size_ratio
        self.max_size_ratio = max_size_ratio
        self.max_offset = max_offset
        self.brightness_range = brightness_range
        self.min_sharpness = min_sharpness

    def reset(self) -> None:
        """Stateless."""

    def detect(self, grey: np.ndarray) -> tuple[FaceBox, ...]:
        """Frontal faces in a grey image, largest first, in its pixel coordinates."""
        w = grey.shape[1]
        scale = min(1.0, self.detect_width / w)
        small = (
            cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
        )
        small = cv2.equalizeHist(small)
        min_side = max(24, int(0.06 * small.shape[1]))
        found = self._cascade.detectMultiScale(
            small, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side)
        )
        boxes = [FaceBox(*(round(v / scale) for v in box)) for box in np.asarray(found).reshape(-1, 4)]
        return tuple(sorted(boxes, key=lambda b: b.width * b.height, reverse=True))

    def analyse(self, frame: Frame) -> FaceResult:
        grey = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)
        h, w = grey.shape
        faces = self.detect(grey)
        base = {"analyser": self.name, "frame_seq": frame.seq, "frame_time": frame.timestamp, "faces": faces}
        if not faces:
            return FaceResult(**base, issues=(FaceIssue.NO_FACE,))
        main = faces[0]
        issues: list[FaceIssue] = []
        if len(faces) > 1:
            issues.append(FaceIssue.MULTIPLE_FACES)
        offset = ((main.x + main.width / 2) / w - 0.5, (main.y + main.height / 2) / h - 0.5)
        if abs(offset[0]) > self.max_offset[0] or abs(offset[1]) > self.max_offset[1]:
            issues.append(FaceIssue.OFF_CENTRE)
        size_ratio = main.width / w
        if size_ratio < self.min_size_ratio:
            issues.append(FaceIssue.TOO_SMALL)
        elif size_ratio > self.max_size_ratio:
            issues.append(FaceIssue.TOO_CLOSE)
        roi = grey[main.y : main.y + main.height, main.x : main.x + main.width]
        roi = cv2.resize(roi, (128, 128), interpolation=cv2.INTER_AREA)
        brightness = float(roi.mean())
        sharpness = float(cv2.Laplacian(roi, cv2.CV_64F).var())
        if brightness < self.brightness_range[0]:
            issues.append(FaceIssue.TOO_DARK)
        elif brightness > self.brightness_range[1]:
            issues.append(FaceIssue.TOO_BRIGHT)
        if sharpness < self.min_sharpness:
            issues.append(FaceIssue.BLURRED)
        return FaceResult(
            **base,
            ok=not issues,
            issues=tuple(issues),
            brightness=brightness,
            sharpness=sharpness,
            offset=offset,
            size_ratio=size_ratio,
        )
