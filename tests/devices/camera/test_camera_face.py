"""Live-photo face check with the Haar cascade shipped in opencv-python 4.x, on the drawn sample."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.face import FACE_HINTS, FaceAnalyser, FaceIssue
from devices.camera.frames import Frame
from devices.model import DeviceError, ResultCode


@pytest.fixture(scope="module")
def analyser() -> FaceAnalyser:
    return FaceAnalyser()


@pytest.fixture
def face(load: Callable[[str], np.ndarray]) -> np.ndarray:
    return load("face_synthetic.jpg")


def check(analyser: FaceAnalyser, image: np.ndarray) -> tuple[int, set[FaceIssue]]:
    result = analyser.analyse(Frame.from_image(image))
    return len(result.faces), set(result.issues)


def test_sample_face_is_a_good_live_photo(analyser: FaceAnalyser, face: np.ndarray) -> None:
    result = analyser.analyse(Frame.from_image(face, seq=3))
    assert result.ok and result.issues == ()
    assert len(result.faces) == 1
    box = result.faces[0]
    assert 0.3 < result.size_ratio < 0.6
    assert abs(result.offset[0]) < 0.05 and abs(result.offset[1]) < 0.1
    assert box.width == box.height and 100 < result.brightness < 200 and result.sharpness > 100


def test_blank_frame_has_no_face(analyser: FaceAnalyser) -> None:
    assert check(analyser, np.full((720, 1280, 3), 128, np.uint8)) == (0, {FaceIssue.NO_FACE})


def test_document_photo_has_no_face(analyser: FaceAnalyser, load: Callable[[str], np.ndarray]) -> None:
    assert check(analyser, load("document_desk.jpg")) == (0, {FaceIssue.NO_FACE})


def test_upside_down_face_is_not_detected(analyser: FaceAnalyser, face: np.ndarray) -> None:
    assert check(analyser, face[::-1].copy())[1] == {FaceIssue.NO_FACE}


def test_two_people(analyser: FaceAnalyser, face: np.ndarray) -> None:
    small = cv2.resize(face, (320, 240), interpolation=cv2.INTER_AREA)
    canvas = np.full_like(face, 180)
    canvas[120:360, :320] = small
    canvas[120:360, 320:] = small
    count, issues = check(analyser, canvas)
    assert count == 2 and FaceIssue.MULTIPLE_FACES in issues


def test_too_dark_and_blurred(analyser: FaceAnalyser, face: np.ndarray) -> None:
    assert FaceIssue.TOO_DARK in check(analyser, (face * 0.3).astype(np.uint8))[1]
    count, issues = check(analyser, cv2.GaussianBlur(face, (0, 0), 4))
    assert count == 1 and issues == {FaceIssue.BLURRED}


def test_off_centre_and_too_small(analyser: FaceAnalyser, face: np.ndarray) -> None:
    wide = np.full((480, 1280, 3), 180, np.uint8)
    wide[:, :640] = face
    count, issues = check(analyser, wide)
    assert count == 1 and FaceIssue.OFF_CENTRE in issues
    far = np.full((1440, 1920, 3), 180, np.uint8)
    far[480:960, 640:1280] = face
    count, issues = check(analyser, far)
    assert count == 1 and issues == {FaceIssue.TOO_SMALL}


def test_every_issue_has_a_chinese_hint() -> None:
    assert set(FACE_HINTS) == set(FaceIssue)


def test_missing_cascade_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceError) as info:
        FaceAnalyser(cascade_path=tmp_path / "none.xml")
    assert info.value.code == ResultCode.UNSUPPORTED and "none.xml" in info.value.detail
    bad = tmp_path / "bad.xml"
    bad.write_text("<opencv_storage></opencv_storage>")
    with pytest.raises(DeviceError) as info:
        FaceAnalyser(cascade_path=bad)
    assert info.value.code == ResultCode.INVALID_DATA
