"""``kiosk device snapshot`` helper: report contents, document output, clear errors, bounded time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.cli import snapshot
from devices.model import DeviceError, ResultCode


def test_desk_photo_with_qr_and_document(media: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.png"
    report = snapshot(str(media / "document_desk.jpg"), decode_qr=True, document_out=out, timeout=5.0)
    json.dumps(report, ensure_ascii=False)  # JSON-ready
    assert report["frame"] == {"width": 1280, "height": 720}
    assert [c["payload"] for c in report["qr"]["codes"]] == ["BJ-2024-0611-000123 居住证明"]
    doc = report["document"]
    assert doc["found"] and doc["stable"] and doc["kind"] == "a4" and doc["fallback"] is None
    page = cv2.imread(doc["output"])
    assert page is not None and page.shape[0] / page.shape[1] == pytest.approx(2**0.5, abs=0.01)
    assert report["face"]["count"] == 0 and report["face"]["issues"] == ["no-face"]


def test_video_document_waits_for_the_page_to_settle(media: Path, tmp_path: Path) -> None:
    report = snapshot(str(media / "document_moving.mp4"), document_out=tmp_path / "p.jpg", timeout=6.0)
    assert report["document"]["stable"] and report["document"]["kind"] == "a4"
    assert report["frames_read"] >= 5


def test_face_sample_summary(media: Path) -> None:
    report = snapshot(str(media / "face_synthetic.jpg"), timeout=3.0)
    assert report["face"] == {
        "count": 1,
        "ok": True,
        "issues": [],
        "size_ratio": pytest.approx(0.45, abs=0.05),
    }
    assert "qr" not in report and "document" not in report


def test_no_document_falls_back_to_the_full_frame(media: Path, tmp_path: Path) -> None:
    report = snapshot(
        str(media / "face_synthetic.jpg"), document_out=tmp_path / "d.png", timeout=2.0, max_frames=6
    )
    doc = report["document"]
    assert doc["fallback"] == "full-frame" and not doc["found"] and doc["size"] == [640, 480]


def test_garbage_file_is_a_clear_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    started = time.monotonic()
    with pytest.raises(DeviceError) as info:
        snapshot(str(garbage), timeout=3.0)
    assert time.monotonic() - started < 3.5
    assert info.value.code == ResultCode.INVALID_DATA
    assert (
        "cannot open camera source" in info.value.detail
        and "not a decodable image or video" in info.value.detail
    )


def test_missing_file_and_absent_camera(tmp_path: Path) -> None:
    with pytest.raises(DeviceError) as info:
        snapshot(str(tmp_path / "none.png"), timeout=2.0)
    assert "media not found" in info.value.detail
    started = time.monotonic()
    with pytest.raises(DeviceError) as info:
        snapshot("7", timeout=2.0)
    assert time.monotonic() - started < 3.0
    assert "no camera at index 7" in info.value.detail


def test_unwritable_document_path(media: Path, tmp_path: Path) -> None:
    with pytest.raises(DeviceError) as info:
        snapshot(
            str(media / "document_desk.jpg"), document_out=tmp_path / "no" / "dir" / "x.png", timeout=3.0
        )
    assert info.value.code == ResultCode.INVALID_DATA and "cannot write" in info.value.detail
