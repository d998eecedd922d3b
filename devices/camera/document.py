"""Document capture: find the page quadrilateral, wait until it is still, correct the perspective.

Per frame: grey → blur → (Canny edges | Otsu threshold) → external contours → approxPolyDP until a
convex 4-gon covers at least ``min_area`` of the frame and no corner touches the frame edge (the
page must be wholly visible). The page is *stable* when its corners moved less than
``drift_tolerance`` x frame width for ``stable_frames`` analysed frames in a row; then the result
carries the perspective-corrected page.

The true aspect ratio of the page is estimated from the quadrilateral with the pinhole-camera
method of Zhang & He ("Whiteboard scanning and image enhancement", 2007), which also yields the
focal length; when that is ill-conditioned (little perspective) a nominal focal length is used,
which then barely matters. It is compared with A4 (√2 ≈ 1.414) and the ID card (85.6/54 ≈ 1.585).

Manual fallback (the user presses "capture" before the page is found/stable): ``manual_capture``
returns the full frame or a centred crop of the expected aspect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import cv2
import numpy as np

from devices.camera.frames import Frame
from devices.camera.pipeline import AnalysisResult

Corners = tuple[tuple[float, float], ...]


class DocumentKind(StrEnum):
    A4 = "a4"
    ID_CARD = "id-card"
    UNKNOWN = "unknown"


KNOWN_ASPECTS: dict[DocumentKind, float] = {
    DocumentKind.A4: math.sqrt(2.0),
    DocumentKind.ID_CARD: 85.6 / 54.0,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentResult(AnalysisResult):
    found: bool = False
    corners: Corners = ()  # tl, tr, br, bl in frame pixels
    frame_size: tuple[int, int] = (0, 0)  # (width, height)
    area_ratio: float = 0.0
    aspect: float = 0.0  # estimated long/short side ratio of the real page
    kind: DocumentKind = DocumentKind.UNKNOWN
    stable_frames: int = 0
    stable: bool = False
    fallback: str = ""  # "" | "full-frame" | "centre-crop" (manual capture)
    image: np.ndarray | None = field(default=None, compare=False, repr=False)  # corrected page (BGR)

    @property
    def plausible(self) -> bool:
        return self.kind != DocumentKind.UNKNOWN

    @property
    def ready(self) -> bool:
        """Stable and of a known kind: capture automatically."""
        return self.stable and self.plausible and self.image is not None


def order_corners(points: np.ndarray) -> np.ndarray:
    """tl, tr, br, bl: clockwise on screen, starting at the corner nearest the top-left."""
    pts = np.asarray(points, np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # y grows downwards: ascending angle = clockwise
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def find_page(image: np.ndarray, min_area: float = 0.2, work_width: int = 640) -> np.ndarray | None:
    """The page quadrilateral (4x2 float32, tl/tr/br/bl, frame pixels) or None."""
    w = image.shape[1]
    scale = min(1.0, work_width / w)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    sh, sw = grey.shape
    frame_area = float(sh * sw)
    kernel = np.ones((3, 3), np.uint8)
    edges = cv2.dilate(cv2.Canny(grey, 50, 150), kernel)
    _, otsu = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    otsu = cv2.morphologyEx(otsu, cv2.MORPH_CLOSE, kernel, iterations=2)
    best: np.ndarray | None = None
    best_area = 0.0
    margin = 2.0
    for mask in (edges, otsu):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            if cv2.contourArea(contour) < min_area * frame_area:
                break
            quad = _approx_quad(contour)
            if quad is None:
                continue
            area = cv2.contourArea(quad)
            xs, ys = quad[:, 0, 0], quad[:, 0, 1]
            touches = (
                xs.min() <= margin
                or ys.min() <= margin
                or xs.max() >= sw - 1 - margin
                or ys.max() >= sh - 1 - margin
            )
            if touches or not min_area * frame_area <= area <= 0.98 * frame_area:
                continue
            if area > best_area:
                best, best_area = quad, area
    if best is None:
        return None
    return order_corners(best.reshape(4, 2).astype(np.float32) / scale)


def _approx_quad(contour: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(contour, True)
    for eps in (0.02, 0.03, 0.04, 0.05):
        approx = cv2.approxPolyDP(contour, eps * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return approx
        if len(approx) < 4:
            return None
    return None


def estimate_aspect(corners: np.ndarray, frame_size: tuple[int, int]) -> float:
    """Long/short side ratio of the real rectangle seen as ``corners`` (tl, tr, br, bl)."""
    w, h = frame_size
    c = np.asarray(corners, np.float64) - (w / 2.0, h / 2.0)
    m1, m2, m4, m3 = (np.array([x, y, 1.0]) for x, y in c)  # m1 tl, m2 tr, m3 bl, m4 br
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    f = float(w)  # nominal focal length (about a 53° horizontal field of view)
    if abs(n2[2] * n3[2]) > 1e-9:
        f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
        if (0.2 * w) ** 2 < f2 < (20 * w) ** 2:
            f = math.sqrt(f2)
    width2 = (n2[0] ** 2 + n2[1] ** 2) / f**2 + n2[2] ** 2
    height2 = (n3[0] ** 2 + n3[1] ** 2) / f**2 + n3[2] ** 2
    if width2 <= 0 or height2 <= 0:
        return 0.0
    ratio = math.sqrt(width2 / height2)
    return max(ratio, 1.0 / ratio)


def classify_aspect(aspect: float, tolerance: float = 0.07) -> DocumentKind:
    for kind, expected in KNOWN_ASPECTS.items():
        if abs(aspect - expected) <= tolerance:
            return kind
    return DocumentKind.UNKNOWN


def warp_page(image: np.ndarray, corners: np.ndarray, aspect: float | None = None) -> np.ndarray:
    """Perspective-corrected page. The output keeps the longest observed side; with ``aspect`` the
    other side follows that ratio (portrait if the page looks taller than wide)."""
    tl, tr, br, bl = np.asarray(corners, np.float32)
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    if aspect:
        if height >= width:
            width = height / aspect
        else:
            height = width / aspect
    out_w, out_h = max(2, round(width)), max(2, round(height))
    dst = np.float32([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]])
    m = cv2.getPerspectiveTransform(np.float32([tl, tr, br, bl]), dst)
    return cv2.warpPerspective(
        image, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def manual_capture(
    frame: Frame, mode: str = "full-frame", aspect: float = KNOWN_ASPECTS[DocumentKind.A4]
) -> DocumentResult:
    """The fallback when the user presses capture: the full frame, or (``"centre-crop"``) the largest
    centred rectangle of ``aspect`` in the frame's orientation."""
    h, w = frame.image.shape[:2]
    if mode == "centre-crop":
        if h >= w:  # portrait frame: portrait page
            cw, ch = min(w, h / aspect), min(h, w * aspect)
        else:
            cw, ch = min(w, h * aspect), min(h, w / aspect)
        x0, y0 = round((w - cw) / 2), round((h - ch) / 2)
        x1, y1 = x0 + round(cw), y0 + round(ch)
        image = frame.image[y0:y1, x0:x1].copy()
    elif mode == "full-frame":
        x0, y0, x1, y1 = 0, 0, w, h
        image = frame.image.copy()
    else:
        raise ValueError(f"unknown fallback mode {mode!r}")
    corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return DocumentResult(
        analyser="document",
        frame_seq=frame.seq,
        frame_time=frame.timestamp,
        found=False,
        corners=tuple((float(x), float(y)) for x, y in corners),
        frame_size=(w, h),
        fallback=mode,
        image=image,
    )


class DocumentAnalyser:
    """Stateful (stability across frames): run one instance on one thread."""

    def __init__(
        self,
        name: str = "document",
        *,
        min_area: float = 0.2,
        stable_frames: int = 5,
        drift_tolerance: float = 0.01,
        aspect_tolerance: float = 0.07,
        work_width: int = 640,
    ) -> None:
        self.name = name
        self.min_area = min_area
        self.stable_frames = stable_frames
        self.drift_tolerance = drift_tolerance
        self.aspect_tolerance = aspect_tolerance
        self.work_width = work_width
        self._previous: np.ndarray | None = None
        self._count = 0

    def reset(self) -> None:
        self._previous, self._count = None, 0

    def analyse(self, frame: Frame) -> DocumentResult:
        h, w = frame.image.shape[:2]
        base = {
            "analyser": self.name,
            "frame_seq": frame.seq,
            "frame_time": frame.timestamp,
            "frame_size": (w, h),
        }
        quad = find_page(frame.image, self.min_area, self.work_width)
        if quad is None:
            self.reset()
            return DocumentResult(**base)
        drift = (
            float(np.max(np.linalg.norm(quad - self._previous, axis=1)))
            if self._previous is not None
            else math.inf
        )
        self._count = self._count + 1 if drift <= self.drift_tolerance * w else 1
        self._previous = quad
        aspect = estimate_aspect(quad, (w, h))
        kind = classify_aspect(aspect, self.aspect_tolerance)
        stable = self._count >= self.stable_frames
        image = None
        if stable:
            image = warp_page(frame.image, quad, KNOWN_ASPECTS.get(kind))
        return DocumentResult(
            **base,
            found=True,
            corners=tuple((float(x), float(y)) for x, y in quad),
            area_ratio=float(cv2.contourArea(quad)) / (w * h),
            aspect=aspect,
            kind=kind,
            stable_frames=self._count,
            stable=stable,
            image=image,
        )


def capture_document(
    latest: DocumentResult | None, frame: Frame, fallback: str = "full-frame"
) -> DocumentResult:
    """What the capture button gets: the corrected page if the latest result is stable, otherwise
    ``manual_capture(frame, fallback)``."""
    if latest is not None and latest.stable and latest.image is not None:
        return latest
    return manual_capture(frame, fallback)
