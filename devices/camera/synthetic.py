"""Drawn test scenes for the camera simulator: a desk, a form page with a QR code, a cartoon face.

Everything is generated from numpy/OpenCV primitives (no photographs, no fonts): text lines are
grey bars. The scene is deterministic for a given seed, so tests can rely on it.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import qrcode

A4_ASPECT = math.sqrt(2.0)


def qr_matrix_image(payload: str, module_px: int = 4, border: int = 2) -> np.ndarray:
    """A grey QR image with ``payload`` in ONE byte segment (UTF-8).

    One segment on purpose: OpenCV 4.14 returns an empty string for codes whose first segment is
    numeric/alphanumeric and a later byte segment holds non-ASCII bytes (see qr.py).
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=border)
    code.add_data(payload.encode("utf-8"), optimize=0)
    code.make(fit=True)
    modules = np.array(code.get_matrix(), dtype=bool)
    img = np.where(modules, 0, 255).astype(np.uint8)
    return cv2.resize(img, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def desk_texture(width: int, height: int, seed: int = 0) -> np.ndarray:
    """A brown wood-like BGR texture: stretched noise grain plus wavy stripes and a vignette."""
    rng = np.random.default_rng(seed)
    grain = rng.normal(0, 1, (height // 8 + 1, width // 2 + 1)).astype(np.float32)
    grain = cv2.resize(grain, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = cv2.GaussianBlur(grain, (0, 0), sigmaX=12, sigmaY=1.5)
    ys = np.arange(height, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    t = grain * 1.2 + np.sin(ys / 9.0 + 2.5 * np.sin(xs / 140.0)) * 0.5
    img = np.array([45, 85, 135], np.float32) + t[..., None] * np.array([10, 16, 22], np.float32)
    vignette = 1.0 - 0.5 * (((xs - width / 2) / width) ** 2 + ((ys - height / 2) / height) ** 2)
    return (img * vignette[..., None]).clip(0, 255).astype(np.uint8)


def form_page(width: int = 500, qr_payload: str | None = None) -> np.ndarray:
    """An A4-proportioned white page: title bar, a table, text bars and optionally a QR code."""
    height = round(width * A4_ASPECT)
    page = np.full((height, width, 3), 248, np.uint8)
    ink = (40, 40, 40)
    u = width / 100.0  # layout unit
    cv2.rectangle(page, (int(30 * u), int(8 * u)), (int(70 * u), int(14 * u)), ink, -1)  # title
    top = int(22 * u)
    for row in range(6):  # table
        y0 = top + int(row * 9 * u)
        cv2.rectangle(page, (int(10 * u), y0), (int(90 * u), y0 + int(9 * u)), ink, 2)
        cv2.line(page, (int(35 * u), y0), (int(35 * u), y0 + int(9 * u)), ink, 2)
        cv2.rectangle(page, (int(13 * u), y0 + int(3 * u)), (int(28 * u), y0 + int(6 * u)), (90, 90, 90), -1)
        cv2.rectangle(page, (int(38 * u), y0 + int(3 * u)), (int(75 * u), y0 + int(6 * u)), (90, 90, 90), -1)
    for line in range(3):  # body text
        y0 = top + int((60 + line * 6) * u)
        cv2.rectangle(page, (int(14 * u), y0), (int(86 * u), y0 + int(2.5 * u)), (80, 80, 80), -1)
    cv2.circle(page, (int(72 * u), height - int(22 * u)), int(11 * u), (40, 40, 210), 3)  # red seal
    if qr_payload:
        qr = qr_matrix_image(qr_payload, module_px=max(2, int(1.2 * u)))
        side = qr.shape[0]
        x0, y0 = int(10 * u), height - int(8 * u) - side
        page[y0 : y0 + side, x0 : x0 + side] = qr[..., None]
    return page


def project_page(
    frame_size: tuple[int, int],
    aspect: float = A4_ASPECT,
    *,
    fill: float = 0.8,
    tilt_deg: float = 15.0,
    turn_deg: float = 0.0,
    offset: tuple[float, float] = (0.0, 0.0),
    focal: float = 1.0,
) -> np.ndarray:
    """Corners (tl, tr, br, bl) of a portrait page of ``aspect`` lying on a desk, seen by a pinhole
    camera (focal length ``focal`` x frame width, principal point at the centre) tilted by
    ``tilt_deg``; the page is turned by ``turn_deg`` on the desk and shifted by ``offset`` (in page
    heights). ``fill``: page height / frame height when seen straight on."""
    fw, fh = frame_size
    f = focal * fw
    distance = f / (fill * fh)  # page height = 1 unit
    a, t = math.radians(turn_deg), math.radians(tilt_deg)
    half = np.array([[-0.5 / aspect, -0.5], [0.5 / aspect, -0.5], [0.5 / aspect, 0.5], [-0.5 / aspect, 0.5]])
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    desk = half @ rot.T + np.asarray(offset)
    # desk plane: x to the right, y towards the camera's bottom edge; tilted so the top is farther
    xyz = np.stack([desk[:, 0], desk[:, 1] * math.cos(t), distance - desk[:, 1] * math.sin(t)], axis=1)
    uv = f * xyz[:, :2] / xyz[:, 2:3] + (fw / 2.0, fh / 2.0)
    return uv.astype(np.float32)


def draw_face(width: int = 640, height: int = 480, seed: int = 1) -> np.ndarray:
    """A drawn cartoon head and shoulders (no photograph). The stock Haar frontal-face cascade
    detects it; that says nothing about real faces or liveness."""
    img = np.full((height, width, 3), (170, 180, 185), np.uint8)
    img = (img * np.linspace(0.85, 1.05, width)[None, :, None]).clip(0, 255).astype(np.uint8)
    s = height / 480.0
    cx, cy = width // 2, height // 2 + int(10 * s)
    fw, fh = int(120 * s), int(155 * s)

    def p(x: float, y: float) -> tuple[int, int]:
        return int(cx + x * s), int(cy + y * s)

    def ax(a: float, b: float) -> tuple[int, int]:
        return int(a * s), int(b * s)

    cv2.rectangle(img, p(-45, 100), p(45, 200), (120, 150, 190), -1)  # neck
    cv2.ellipse(img, (cx, height + int(40 * s)), ax(220, 130), 0, 0, 360, (90, 60, 40), -1)  # shoulders
    cv2.ellipse(img, p(0, -25), (fw + int(12 * s), fh + int(5 * s)), 0, 0, 360, (30, 30, 35), -1)  # hair
    cv2.ellipse(img, (cx, cy), (fw, fh), 0, 0, 360, (140, 170, 215), -1)  # skin
    cv2.ellipse(img, p(0, -135), (fw, int(45 * s)), 0, 180, 360, (30, 30, 35), -1)  # fringe
    for side in (-1, 1):
        cv2.ellipse(img, p(side * 45, -63), ax(30, 7), 0, 180, 360, (40, 40, 45), -1)  # brow
        cv2.ellipse(img, p(side * 45, -35), ax(24, 11), 0, 0, 360, (235, 235, 235), -1)  # eye white
        cv2.circle(img, p(side * 45, -35), int(9 * s), (50, 40, 30), -1)
        cv2.circle(img, p(side * 45, -35), int(4 * s), (10, 10, 10), -1)
    cv2.line(img, p(-6, -25), p(-12, 35), (110, 135, 180), max(1, int(3 * s)))  # nose
    cv2.ellipse(img, p(0, 40), ax(20, 8), 0, 0, 180, (100, 120, 165), max(1, int(3 * s)))
    cv2.ellipse(img, p(0, 80), ax(38, 12), 0, 0, 180, (80, 80, 160), -1)  # mouth
    shade = np.zeros((height, width), np.float32)
    for side in (-1, 1):
        cv2.ellipse(shade, p(side * 45, -35), ax(40, 22), 0, 0, 360, -35, -1)  # eye sockets
    cv2.ellipse(shade, p(0, 15), ax(14, 40), 0, 0, 360, 25, -1)  # nose bridge highlight
    shade = cv2.GaussianBlur(shade, (0, 0), 9 * s)
    out = cv2.GaussianBlur(img.astype(np.float32) + shade[..., None], (0, 0), 1.5 * s)
    out += np.random.default_rng(seed).normal(0, 4, out.shape).astype(np.float32)
    return out.clip(0, 255).astype(np.uint8)


class DocumentScene:
    """A page with a QR code sliding onto a desk, then lying still; loops every ``period`` frames."""

    def __init__(
        self,
        size: tuple[int, int] = (1280, 720),
        qr_payload: str | None = "回执号 BJ-2024-0611-000123 居住证明（示例）",
        moving_frames: int = 30,
        still_frames: int = 60,
        noise: float = 2.0,
        seed: int = 0,
    ) -> None:
        self.size = size
        self.moving_frames = moving_frames
        self.period = moving_frames + still_frames
        self.noise = noise
        self._desk = desk_texture(size[0], size[1], seed)
        page_w = max(120, int(size[1] * 0.8 / A4_ASPECT))
        self._page = form_page(page_w, qr_payload)
        # sensor noise: four overlapping views of one random field (cheap to make, differs per frame)
        field = np.random.default_rng(seed).standard_normal((size[1] + 3, size[0], 3), dtype=np.float32)
        noise_field = (field * noise).astype(np.int16)
        self._noise_bank = [noise_field[k : k + size[1]] for k in range(4)] if noise else []

    def quad(self, index: int) -> np.ndarray:
        """Where the page is in frame ``index`` (tl, tr, br, bl)."""
        t = index % self.period
        k = min(t / self.moving_frames, 1.0) if self.moving_frames else 1.0
        ease = 1 - (1 - k) ** 2
        return project_page(
            self.size, fill=0.78, tilt_deg=12.0, turn_deg=-4 + 20 * (1 - ease), offset=((1 - ease) * 1.1, 0.0)
        )

    def render(self, index: int) -> np.ndarray:
        ph, pw = self._page.shape[:2]
        src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
        m = cv2.getPerspectiveTransform(src, self.quad(index))
        out = self._desk.copy()
        cv2.warpPerspective(
            self._page, m, self.size, dst=out, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT
        )
        if self._noise_bank:
            out = cv2.add(out, self._noise_bank[index % len(self._noise_bank)], dtype=cv2.CV_8U)
        return out
