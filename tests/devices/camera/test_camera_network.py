"""URL sources against a real MJPEG-over-HTTP camera emulator on 127.0.0.1 (what many IP cameras
serve): frames flow, a vanished camera is POWER_OFF and is picked up again, a silent one times out."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np
import pytest

from devices.base import Backoff
from devices.camera.capture import Camera
from devices.model import Availability, DeviceError


class MjpegCamera:
    """``multipart/x-mixed-replace`` JPEG stream at ~20 fps; ``stop()`` unplugs it."""

    def __init__(self, image: np.ndarray, port: int = 0) -> None:
        jpeg = cv2.imencode(".jpg", image)[1].tobytes()
        stopping = threading.Event()
        self._stopping = stopping

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
                self.end_headers()
                part = b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(jpeg)
                try:
                    while not stopping.is_set():
                        self.wfile.write(part + jpeg + b"\r\n")
                        time.sleep(0.05)
                except OSError:
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ip_camera(load: Callable[[str], np.ndarray]) -> Iterator[MjpegCamera]:
    cam = MjpegCamera(load("document_desk.jpg"))
    yield cam
    cam.stop()


def test_mjpeg_stream_unplug_and_replug(
    ip_camera: MjpegCamera, load: Callable[[str], np.ndarray], wait: Callable[..., bool]
) -> None:
    camera = Camera(
        f"http://user:secret@127.0.0.1:{ip_camera.port}/stream.mjpg",
        backoff=Backoff(0.05, 0.2),
        unplug_after=0.2,
        open_timeout=2.0,
    )
    camera.start()
    try:
        frame = camera.snapshot(timeout=5.0)
        assert (frame.width, frame.height) == (1280, 720)
        assert camera.info.model == f"http://***@127.0.0.1:{ip_camera.port}/stream.mjpg"
        ip_camera.stop()  # the camera goes away
        assert wait(lambda: camera.status.availability == Availability.POWER_OFF, timeout=5.0)
        assert "secret" not in camera.status.detail
        revived = MjpegCamera(load("face_synthetic.jpg"), port=ip_camera.port)
        try:
            assert wait(lambda: camera.status.availability == Availability.ONLINE, timeout=5.0)
            assert camera.snapshot(timeout=3.0).width == 640  # the new stream's frames
        finally:
            revived.stop()
    finally:
        camera.stop()


def test_silent_server_times_out() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)  # accepts connections, never answers
    port = silent.getsockname()[1]
    camera = Camera(f"http://127.0.0.1:{port}/cam", backoff=Backoff(0.05, 0.2), open_timeout=0.5)
    camera.start()
    try:
        started = time.monotonic()
        with pytest.raises(DeviceError):
            camera.snapshot(timeout=3.0)
        assert time.monotonic() - started < 3.0
        assert camera.status.availability == Availability.POWER_OFF
        assert "cannot open stream" in camera.status.detail
    finally:
        camera.stop()
        silent.close()
