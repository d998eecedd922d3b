"""Fixtures: kiosk configurations written as real TOML files, fast device timings, a recorder."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.base import Backoff
from kiosk.config import KioskConfig, load_config
from kiosk.hardware import DeviceSet, KioskAvailability, Tuning

FAST = Tuning(backoff=Backoff(base=0.05, cap=0.2), poll_interval=0.05, auto_read=False)
SMALL_CAMERA = {"width": 320, "height": 240}


def toml_text(sections: dict[str, dict[str, Any]]) -> str:
    out = []
    for name, values in sections.items():
        out.append(f"[{name}]")
        for key, value in values.items():
            if isinstance(value, bool):
                out.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, int | float):
                out.append(f"{key} = {value}")
            else:
                out.append(f"{key} = {json.dumps(str(value), ensure_ascii=False)}")
    return "\n".join(out) + "\n"


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., KioskConfig]:
    """``make_config({"devices.printer": {...}})`` -> a validated config (simulators by default)."""

    def make(sections: dict[str, dict[str, Any]] | None = None) -> KioskConfig:
        merged: dict[str, dict[str, Any]] = {
            "kiosk": {"data_dir": str(tmp_path / "data")},
            "devices.camera": dict(SMALL_CAMERA),
        }
        for name, values in (sections or {}).items():
            merged.setdefault(name, {}).update(values)
        path = tmp_path / "kiosk.toml"
        path.write_text(toml_text(merged), "utf-8")
        return load_config(path, env={})

    return make


@pytest.fixture
def start_devices() -> Iterator[Callable[..., DeviceSet]]:
    started: list[DeviceSet] = []

    def start(config: KioskConfig, tuning: Tuning = FAST) -> DeviceSet:
        devices = DeviceSet.from_config(config, tuning)
        devices.start()
        started.append(devices)
        return devices

    yield start
    for devices in started:
        devices.stop(timeout=3.0)


class AvailabilityLog:
    """Availability listener: keeps every value pushed, in order."""

    def __init__(self) -> None:
        self.values: list[KioskAvailability] = []
        self._lock = threading.Lock()

    def __call__(self, value: KioskAvailability) -> None:
        with self._lock:
            self.values.append(value)

    def states(self) -> list[str]:
        with self._lock:
            states = [v.state.value for v in self.values]
        return [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]


@pytest.fixture
def availability_log() -> AvailabilityLog:
    return AvailabilityLog()
