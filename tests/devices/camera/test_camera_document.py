"""Document capture: page found on the desk photo and in the video, stable only when still, aspect
recognised (A4, ID card), perspective corrected, manual fallback when nothing is found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.document import (
    KNOWN_ASPECTS,
    DocumentAnalyser,
    DocumentKind,
    capture_document,
    estimate_aspect,
    find_page,
    manual_capture,
)
from devices.camera.frames import Frame
from devices.camera.simulator import MediaSource
from devices.camera.synthetic import desk_texture, form_page, project_page

A4 = KNOWN_ASPECTS[DocumentKind.A4]


def place(page: np.ndarray, quad: np.ndarray, size: tuple[int, int] = (1280, 720)) -> np.ndarray:
    desk = desk_texture(*size, seed=5)
    ph, pw = page.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), quad)
    cv2.warpPerspective(page, m, size, dst=desk, borderMode=cv2.BORDER_TRANSPARENT)
    return desk


def test_desk_photo_page_corners_and_aspect(load: Callable[[str], np.ndarray]) -> None:
    image = load("document_desk.jpg")
    quad = find_page(image)
    assert quad is not None
    # the sample was rendered with this projection (resources/media/README.md)
    truth = project_page((1280, 720), fill=0.85, tilt_deg=25, turn_deg=7, offset=(0.03, 0.0))
    assert np.abs(quad - truth).max() < 8.0
    assert estimate_aspect(quad, (1280, 720)) == pytest.approx(A4, abs=0.05)


def test_still_page_becomes_stable_after_n_frames(load: Callable[[str], np.ndarray]) -> None:
    image = load("document_desk.jpg")
    analyser = DocumentAnalyser(stable_frames=4)
    results = [analyser.analyse(Frame.from_image(image, seq=i)) for i in range(1, 6)]
    assert [r.stable_frames for r in results] == [1, 2, 3, 4, 5]
    assert [r.stable for r in results] == [False, False, False, True, True]
    assert all(r.image is None for r in results[:3])
    final = results[3]
    assert final.ready and final.kind == DocumentKind.A4 and final.area_ratio > 0.2
    assert final.image is not None
    h, w = final.image.shape[:2]
    assert h / w == pytest.approx(A4, abs=0.01)  # portrait A4 output
    # the corrected page is the page: bright paper, dark title at the top centre
    assert final.image.mean() > 180
    assert final.image[: h // 8, w // 3 : 2 * w // 3].mean() < final.image[h // 3 : h // 2].mean()


def test_video_not_stable_while_moving_then_stable(media: Path) -> None:
    source = MediaSource(media / "document_moving.mp4", fps=0)
    assert source.frame_count == 20
    analyser = DocumentAnalyser(stable_frames=4)
    results = []
    for seq in range(20):
        ok, image = source.read()
        assert ok and image is not None
        results.append(analyser.analyse(Frame.from_image(image, seq=seq)))
    assert not any(r.stable for r in results[:10]), "stable while the page was still moving"
    assert not results[0].found, "a page cut by the frame edge must not be taken"
    first_stable = next(i for i, r in enumerate(results) if r.stable)
    assert 10 <= first_stable <= 14
    assert all(r.stable for r in results[first_stable:])
    last = results[-1]
    assert last.kind == DocumentKind.A4 and last.aspect == pytest.approx(A4, abs=0.06)
    assert last.image is not None and last.image.shape[0] / last.image.shape[1] == pytest.approx(A4, abs=0.02)


def test_id_card_is_recognised_by_its_aspect() -> None:
    card = np.full((270, 428, 3), 235, np.uint8)
    cv2.rectangle(card, (20, 40), (140, 190), (120, 120, 120), -1)  # photo area
    for row in range(5):
        cv2.rectangle(card, (170, 40 + row * 35), (400, 55 + row * 35), (90, 90, 90), -1)
    card = cv2.rotate(card, cv2.ROTATE_90_CLOCKWISE)  # project_page draws portrait sheets
    quad = project_page((1280, 720), aspect=85.6 / 54.0, fill=0.85, tilt_deg=20, turn_deg=90)
    result = DocumentAnalyser(stable_frames=1).analyse(Frame.from_image(place(card, quad)))
    assert result.found and result.kind == DocumentKind.ID_CARD
    assert result.image is not None
    h, w = result.image.shape[:2]
    assert w / h == pytest.approx(85.6 / 54.0, abs=0.01)  # landscape output


def test_square_sheet_is_found_but_not_plausible() -> None:
    sheet = np.full((400, 400, 3), 245, np.uint8)
    quad = project_page((1280, 720), aspect=1.0, fill=0.8, tilt_deg=10)
    result = DocumentAnalyser(stable_frames=1).analyse(Frame.from_image(place(sheet, quad)))
    assert result.found and result.stable
    assert result.kind == DocumentKind.UNKNOWN and not result.ready


def test_small_page_is_ignored() -> None:
    quad = project_page((1280, 720), fill=0.4)  # about 8 % of the frame
    result = DocumentAnalyser().analyse(Frame.from_image(place(form_page(300), quad)))
    assert not result.found and result.stable_frames == 0


def test_manual_fallback_full_frame_and_centre_crop() -> None:
    frame = Frame.from_image(desk_texture(1280, 720, seed=2), seq=9)
    analyser = DocumentAnalyser()
    latest = analyser.analyse(frame)
    assert not latest.found
    full = capture_document(latest, frame)
    assert full.fallback == "full-frame" and full.image is not None
    assert full.image.shape == frame.image.shape and full.frame_seq == 9
    crop = manual_capture(frame, "centre-crop")
    assert crop.image is not None
    h, w = crop.image.shape[:2]
    assert h == 720 and w / h == pytest.approx(A4, abs=0.01)
    assert crop.corners[0] == ((1280 - w) / 2, 0.0)
    with pytest.raises(ValueError):
        manual_capture(frame, "zoom")


def test_capture_prefers_the_stable_page(load: Callable[[str], np.ndarray]) -> None:
    frame = Frame.from_image(load("document_desk.jpg"))
    analyser = DocumentAnalyser(stable_frames=2)
    analyser.analyse(frame)
    assert capture_document(analyser.analyse(frame), frame).fallback == ""
    analyser.reset()
    assert capture_document(analyser.analyse(frame), frame).fallback == "full-frame"
