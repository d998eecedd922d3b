"""Fixtures for the camera tests: sample media, an event recorder, a wait helper, camera cleanup."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.capture import Camera
from devices.model import Availability, DeviceEvent

MEDIA = Path(__file__).resolve().parents[3] / "resources" / "media"


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class StatusRecorder:
    """Keeps the availability sequence a camera reports."""

    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: DeviceEvent) -> None:
        with self._lock:
            self.events.append(event)

    def availabilities(self) -> list[Availability]:
        with self._lock:
            seq = [e.status.availability for e in self.events if "availability" in e.changed]
        return seq


@pytest.fixture
def wait() -> Callable[..., bool]:
    """``wait(predicate, timeout=5.0)``: poll until true; returns the final value."""
    return wait_for


@pytest.fixture
def recorder() -> StatusRecorder:
    return StatusRecorder()


@pytest.fixture
def media() -> Path:
    return MEDIA


@pytest.fixture
def load() -> Callable[[str], np.ndarray]:
    def _load(name: str) -> np.ndarray:
        image = cv2.imread(str(MEDIA / name), cv2.IMREAD_COLOR)
        assert image is not None, name
        return image

    return _load


@pytest.fixture
def cameras() -> Iterator[list[Camera]]:
    """Cameras appended here are stopped after the test, even when it fails."""
    made: list[Camera] = []
    yield made
    for camera in made:
        camera.stop()
