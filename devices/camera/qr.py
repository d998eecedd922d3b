"""QR-code analyser: ``cv2.QRCodeDetector``, then ``cv2.QRCodeDetectorAruco`` when the first finds nothing.

Text encoding, as measured on opencv-python-headless 4.14 (tests/devices/camera/test_camera_qr.py):

- a byte segment holding valid UTF-8 comes back as the right ``str`` (Chinese included);
- a byte segment that is *not* valid UTF-8 (e.g. GBK/GB18030, common in Chinese QR generators, or
  Latin-1) comes back Latin-1-decoded: ``'居住'`` in GBK arrives as ``'¾Ó×¡'``. ``repair_text``
  maps such text back to bytes and decodes them as UTF-8, then GB18030; Latin-1 text that is
  not valid GB18030 stays as it is. (Latin-1 text that happens to be valid GB18030 would be
  misread as Chinese: there is no ECI in such codes to tell them apart.)
- the ``*Bytes`` API keeps NUL bytes, which the ``str`` API cuts off; it is used when present;
- a code whose FIRST segment is numeric/alphanumeric followed by a byte segment with non-ASCII
  bytes (what ``qrcode``'s default ``optimize`` produces for ``"BJ-2024-… 居住证明"``) decodes to an
  empty payload in both detectors. Such codes are counted in ``QrResult.undecoded`` so the UI can
  say "cannot read this code"; our own receipts must encode their payload as ONE byte segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from devices.camera.frames import Frame
from devices.camera.pipeline import AnalysisResult


@dataclass(frozen=True, slots=True)
class QrCode:
    payload: str
    raw: bytes  # best reconstruction of the bytes stored in the code
    encoding: str  # "utf-8" | "gb18030" | "latin-1"
    corners: tuple[tuple[float, float], ...]  # 4 points in frame pixels
    detector: str  # "qr" (QRCodeDetector) | "aruco" (QRCodeDetectorAruco)


@dataclass(frozen=True, slots=True, kw_only=True)
class QrResult(AnalysisResult):
    codes: tuple[QrCode, ...] = ()
    undecoded: int = 0  # codes located but not decodable

    @property
    def payloads(self) -> tuple[str, ...]:
        return tuple(c.payload for c in self.codes)


def _has_cjk(text: str) -> bool:
    return any(
        "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f" for ch in text
    )


def repair_text(data: bytes) -> tuple[str, bytes, str]:
    """(text, raw bytes, encoding) for a payload as OpenCV returns it (UTF-8 of its decoding)."""
    text = data.decode("utf-8", errors="replace")
    if all(ord(ch) <= 0xFF for ch in text) and any(ord(ch) >= 0x80 for ch in text):
        raw = text.encode("latin-1")
        try:
            return raw.decode("utf-8"), raw, "utf-8"  # older OpenCV: UTF-8 read as Latin-1
        except UnicodeDecodeError:
            pass
        try:
            fixed = raw.decode("gb18030")
        except UnicodeDecodeError:
            return text, raw, "latin-1"
        if _has_cjk(fixed):
            return fixed, raw, "gb18030"
        return text, raw, "latin-1"
    return text, data, "utf-8"


class QrAnalyser:
    """Decodes every QR code in a frame. ``max_width`` downscales big frames first (None = never:
    small codes need the pixels)."""

    def __init__(self, name: str = "qr", *, fallback: bool = True, max_width: int | None = None) -> None:
        self.name = name
        self.max_width = max_width
        self._detectors: list[tuple[str, Any]] = [("qr", cv2.QRCodeDetector())]
        if fallback:
            self._detectors.append(("aruco", cv2.QRCodeDetectorAruco()))

    def reset(self) -> None:
        """Stateless."""

    def decode(self, image: np.ndarray) -> tuple[tuple[QrCode, ...], int]:
        """(codes, undecoded count) for a BGR or grey image."""
        scale = 1.0
        if self.max_width and image.shape[1] > self.max_width:
            scale = self.max_width / image.shape[1]
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        undecoded = 0
        for label, detector in self._detectors:
            codes, missed = _decode_with(detector, label, image, scale)
            undecoded = max(undecoded, missed)
            if codes:
                return codes, missed
        return (), undecoded

    def analyse(self, frame: Frame) -> QrResult:
        codes, undecoded = self.decode(frame.image)
        return QrResult(
            analyser=self.name,
            frame_seq=frame.seq,
            frame_time=frame.timestamp,
            codes=codes,
            undecoded=undecoded,
        )


def _decode_with(
    detector: Any, label: str, image: np.ndarray, scale: float
) -> tuple[tuple[QrCode, ...], int]:
    try:
        if hasattr(detector, "detectAndDecodeBytesMulti"):
            ok, payloads, points, _ = detector.detectAndDecodeBytesMulti(image)
        else:  # OpenCV before 4.11: str API only
            ok, texts, points, _ = detector.detectAndDecodeMulti(image)
            payloads = [t.encode("utf-8") for t in texts] if ok else []
    except cv2.error:
        return (), 0
    if not ok or points is None:
        return (), 0
    codes: list[QrCode] = []
    missed = 0
    seen: set[bytes] = set()
    for data, quad in zip(payloads, points, strict=False):
        data = bytes(data)
        if not data:
            missed += 1
            continue
        if data in seen:
            continue
        seen.add(data)
        text, raw, encoding = repair_text(data)
        corners = tuple((float(x) / scale, float(y) / scale) for x, y in np.asarray(quad).reshape(-1, 2))
        codes.append(QrCode(text, raw, encoding, corners, label))
    return tuple(codes), missed
