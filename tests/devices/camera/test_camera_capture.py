"""The capture path: bounded latest-frame queues, preview frames, snapshot with timeout,
unplug/replug of a file source, and clear errors for sources that cannot work."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
import pytest

from devices.base import Backoff
from devices.camera.capture import Camera, camera_from_config
from devices.camera.frames import Frame, FrameQueue, PreviewFrame
from devices.camera.sources import SourceSpec, parse_source
from devices.model import Availability, DeviceError, DeviceUnavailable, ResultCode

if TYPE_CHECKING:
    from conftest import StatusRecorder

FAST = {"backoff": Backoff(base=0.05, cap=0.2), "unplug_after": 0.2}


def started(cameras: list[Camera], source: str | Path, **kwargs: object) -> Camera:
    camera = Camera(str(source), **{**FAST, **kwargs})  # type: ignore[arg-type]
    cameras.append(camera)
    camera.start()
    return camera


def test_frame_queue_keeps_only_the_newest() -> None:
    q = FrameQueue(maxsize=2)
    image = np.zeros((2, 2, 3), np.uint8)
    for seq in range(1, 6):
        q.put(Frame(seq, 0.0, image))
    assert len(q) == 2 and q.dropped == 3 and q.received == 5
    assert [q.get(0.1).seq, q.get(0.1).seq] == [4, 5]  # type: ignore[union-attr]
    started_at = time.monotonic()
    assert q.get(0.05) is None and time.monotonic() - started_at < 1.0
    q.close()
    assert q.get(5.0) is None  # closed: returns at once
    with pytest.raises(ValueError):
        FrameQueue(0)


def test_slow_consumer_gets_recent_frames_and_old_ones_are_dropped(
    media: Path, cameras: list[Camera]
) -> None:
    camera = started(cameras, media / "face_synthetic.jpg", fps=200)
    q = camera.subscribe(maxsize=2)
    seen: list[int] = []
    lags: list[int] = []
    deadline = time.monotonic() + 0.6
    while time.monotonic() < deadline:
        frame = q.get(timeout=1.0)
        assert frame is not None
        latest = camera.latest_frame()
        assert latest is not None
        seen.append(frame.seq)
        lags.append(latest.seq - frame.seq)
        assert len(q) <= 2
        time.sleep(0.05)  # a consumer far slower than the camera
    assert seen == sorted(set(seen)), "frames must arrive in order, never twice"
    assert q.dropped > 3 * len(seen)
    assert max(lags[1:]) <= 3, f"consumer got stale frames: lags {lags}"
    assert camera.stats().frames >= q.received


def test_frames_are_read_only_and_preview_is_small_rgb(
    media: Path, cameras: list[Camera], wait: Callable[..., bool]
) -> None:
    camera = started(cameras, media / "document_desk.jpg", preview_width=640)
    got: list[PreviewFrame] = []
    camera.add_preview_listener(got.append)
    assert wait(lambda: len(got) >= 2)
    frame = camera.snapshot(timeout=2.0)
    assert (frame.width, frame.height) == (1280, 720)
    with pytest.raises(ValueError):
        frame.image[0, 0, 0] = 1
    preview = got[-1]
    assert (preview.width, preview.height, preview.scale) == (640, 360, 0.5)
    assert preview.bytes_per_line == 640 * 3 and len(preview.tobytes()) == 640 * 360 * 3
    expected = cv2.resize(frame.image, (640, 360), interpolation=cv2.INTER_AREA)[..., ::-1]
    assert np.abs(preview.rgb.astype(int) - expected.astype(int)).max() <= 1  # RGB order
    assert camera.latest_preview() is not None


def test_snapshot_times_out_when_the_camera_is_not_running(media: Path) -> None:
    camera = Camera(str(media / "face_synthetic.jpg"))
    started_at = time.monotonic()
    with pytest.raises(DeviceError) as info:
        camera.snapshot(timeout=0.2)
    assert info.value.code == ResultCode.TIMEOUT and time.monotonic() - started_at < 1.0


def test_set_resolution_resizes_the_stream(cameras: list[Camera]) -> None:
    camera = Camera("synthetic", backend="simulator", resolution=(1280, 720), **FAST)  # type: ignore[arg-type]
    cameras.append(camera)
    camera.start()
    assert camera.snapshot(timeout=3.0).image.shape == (720, 1280, 3)
    assert camera.set_resolution(640, 360) == (640, 360)
    assert camera.snapshot(timeout=2.0).image.shape == (360, 640, 3)
    assert dict(camera.status.extra)["resolution"] == "640x360"


def test_unplugged_file_reports_power_off_then_comes_back(
    media: Path, tmp_path: Path, cameras: list[Camera], wait: Callable[..., bool], recorder: StatusRecorder
) -> None:
    path = tmp_path / "cam.mp4"
    shutil.copy(media / "document_moving.mp4", path)
    camera = Camera(str(path), **FAST)  # type: ignore[arg-type]
    cameras.append(camera)
    camera.add_listener(recorder)
    camera.start()
    assert wait(lambda: camera.status.availability == Availability.ONLINE)
    os.rename(path, tmp_path / "away.mp4")  # "unplug"
    assert wait(lambda: camera.status.availability == Availability.POWER_OFF, timeout=3.0)
    with pytest.raises(DeviceUnavailable):
        camera.snapshot(timeout=1.0)
    frames_while_off = camera.stats().frames
    time.sleep(0.3)
    assert camera.stats().frames == frames_while_off
    os.rename(tmp_path / "away.mp4", path)  # "plug back in"
    assert wait(lambda: camera.status.availability == Availability.ONLINE, timeout=3.0)
    assert camera.snapshot(timeout=2.0).seq > frames_while_off
    assert recorder.availabilities() == [Availability.ONLINE, Availability.POWER_OFF, Availability.ONLINE]
    assert camera.stats().reconnects == 1


def test_garbage_file_is_a_clear_error(
    tmp_path: Path, cameras: list[Camera], wait: Callable[..., bool]
) -> None:
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(np.random.default_rng(1).integers(0, 256, 20000, dtype=np.uint8).tobytes())
    camera = started(cameras, garbage)
    assert wait(lambda: camera.status.availability == Availability.HARDWARE_ERROR, timeout=3.0)
    assert "not a decodable image or video" in camera.status.detail
    with pytest.raises(DeviceError) as info:
        camera.snapshot(timeout=1.0)
    assert "not a decodable" in info.value.detail


def test_missing_file_is_power_off(tmp_path: Path, cameras: list[Camera], wait: Callable[..., bool]) -> None:
    camera = started(cameras, tmp_path / "nothing.png")
    assert wait(lambda: camera.status.availability == Availability.POWER_OFF, timeout=3.0)
    assert "media not found" in camera.status.detail


@pytest.mark.parametrize(
    ("source", "backend", "expected"),
    [
        ("0", "opencv", SourceSpec("index", "0")),
        (2, "opencv", SourceSpec("index", "2")),
        ("/dev/video0", "opencv", SourceSpec("device", "/dev/video0")),
        ("rtsp://user:pw@10.0.0.5/stream", "opencv", SourceSpec("url", "rtsp://user:pw@10.0.0.5/stream")),
        ("clip.mp4", "opencv", SourceSpec("file", "clip.mp4")),
        ("", "simulator", SourceSpec("synthetic", "document")),
        ("synthetic:face", "simulator", SourceSpec("synthetic", "face")),
        ("0", "simulator", SourceSpec("synthetic", "document")),
        ("media/dir", "simulator", SourceSpec("file", "media/dir")),
    ],
)
def test_parse_source(source: str | int, backend: str, expected: SourceSpec) -> None:
    assert parse_source(source, backend) == expected


def test_url_credentials_are_hidden_and_bad_config_rejected() -> None:
    assert parse_source("rtsp://user:pw@10.0.0.5/s").describe() == "rtsp://***@10.0.0.5/s"
    with pytest.raises(DeviceError) as info:
        parse_source("0", "usb")
    assert info.value.code == ResultCode.UNSUPPORTED
    with pytest.raises(DeviceError):
        parse_source("", "opencv")
    with pytest.raises(DeviceError):
        camera_from_config("none", "0", 1280, 720)
    camera = camera_from_config("simulator", "synthetic:face", 640, 480, required=True)
    assert camera.required and camera.resolution == (640, 480) and camera.spec.kind == "synthetic"


def test_absent_device_path_is_power_off(cameras: list[Camera], wait: Callable[..., bool]) -> None:
    camera = started(cameras, "/dev/video-kiosk-test-absent")
    assert wait(lambda: camera.status.availability == Availability.POWER_OFF, timeout=3.0)
    assert "not found" in camera.status.detail
