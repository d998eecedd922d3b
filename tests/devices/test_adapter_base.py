"""The adapter base: commands time out and cancel, unplugged devices reconnect, one I/O thread only."""

from __future__ import annotations

import threading
import time

import pytest

from devices.base import Backoff, CancelToken, DeviceAdapter
from devices.model import (
    Availability,
    DeviceError,
    DeviceInfo,
    DeviceStatus,
    DeviceUnavailable,
    EventKind,
    ResultCode,
)


class FlakyDevice(DeviceAdapter):
    """A device whose presence and poll duration the test controls."""

    kind = "test"

    def __init__(self, **kwargs: object) -> None:
        super().__init__("flaky", poll_interval=0.02, backoff=Backoff(base=0.02, cap=0.05), **kwargs)
        self.present = threading.Event()
        self.present.set()
        self.poll_delay = 0.0

    def _open(self) -> DeviceInfo:
        if not self.present.is_set():
            raise DeviceUnavailable("not plugged in")
        return DeviceInfo(kind=self.kind, backend="test", model="Flaky 1")

    def _close(self) -> None:
        pass

    def _poll(self) -> DeviceStatus:
        time.sleep(self.poll_delay)
        if not self.present.is_set():
            raise DeviceUnavailable("unplugged")
        return DeviceStatus(Availability.ONLINE)


def wait_for(predicate, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


def device_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "device-flaky" and t.is_alive()]


def test_unplug_and_replug_without_restart() -> None:
    dev = FlakyDevice()
    events: list[EventKind] = []
    dev.add_listener(lambda e: events.append(e.status.availability))
    dev.start()
    try:
        wait_for(lambda: dev.status.availability == Availability.ONLINE)
        dev.present.clear()
        wait_for(lambda: dev.status.availability == Availability.POWER_OFF)
        with pytest.raises(DeviceError) as err:
            dev.call(lambda token: "read", timeout=1.0)
        assert err.value.code == ResultCode.DEVICE_NOT_READY
        dev.present.set()
        wait_for(lambda: dev.status.availability == Availability.ONLINE)
        assert dev.call(lambda token: "read", timeout=1.0) == "read"
    finally:
        dev.stop()
    assert Availability.POWER_OFF in events and events[-1] == Availability.ONLINE


def test_a_slow_command_times_out_and_is_cancelled() -> None:
    dev = FlakyDevice()
    seen: list[bool] = []

    def slow(token: CancelToken) -> str:
        for _ in range(100):
            if token.cancelled:
                seen.append(True)
                token.raise_if_cancelled()
            time.sleep(0.01)
        return "late"

    dev.start()
    try:
        wait_for(lambda: dev.status.availability == Availability.ONLINE)
        started = time.monotonic()
        with pytest.raises(DeviceError) as err:
            dev.call(slow, timeout=0.1)
        assert err.value.code == ResultCode.TIMEOUT
        assert time.monotonic() - started < 0.5
        wait_for(lambda: seen == [True])  # the command saw the cancel and stopped early
    finally:
        dev.stop()


def test_a_stop_that_times_out_never_leads_to_two_io_threads() -> None:
    dev = FlakyDevice()
    dev.start()
    wait_for(lambda: dev.status.availability == Availability.ONLINE)
    dev.poll_delay = 0.5  # the thread is stuck in a slow poll when stop() gives up
    time.sleep(0.05)
    dev.stop(timeout=0.05)
    dev.start()
    assert len(device_threads()) <= 1
    wait_for(lambda: not device_threads(), timeout=3.0)
    dev.poll_delay = 0.0
    dev.start()  # the old thread has ended: a new one may start
    try:
        wait_for(lambda: len(device_threads()) == 1)
    finally:
        dev.stop()
