"""Device events from an adapter's I/O thread arrive on the GUI thread as a Qt signal."""

from __future__ import annotations

import threading

from devices.base import DeviceAdapter
from devices.model import Availability, DeviceInfo, DeviceStatus, SupplyLevel
from ui.device_bridge import DeviceBridge


class TickingPrinter(DeviceAdapter):
    """A real adapter (own I/O thread, polling) whose paper level flips on every poll."""

    kind = "printer"

    def __init__(self) -> None:
        super().__init__("printer", poll_interval=0.01)
        self.polls = 0

    def _open(self) -> DeviceInfo:
        return DeviceInfo(kind="printer", backend="fake")

    def _close(self) -> None:
        pass

    def _poll(self) -> DeviceStatus:
        self.polls += 1
        supply = SupplyLevel.LOW if self.polls % 2 else SupplyLevel.FULL
        return DeviceStatus(availability=Availability.ONLINE, supply=supply)


def test_events_are_delivered_on_the_gui_thread(qtbot):
    adapter = TickingPrinter()
    bridge = DeviceBridge([adapter])
    received: list[tuple[object, int]] = []
    bridge.device_event.connect(lambda event: received.append((event, threading.get_ident())))
    adapter.start()
    try:
        qtbot.waitUntil(lambda: len(received) >= 5, timeout=5000)
    finally:
        adapter.stop()
    assert {tid for _, tid in received} == {threading.get_ident()}
    assert all(event.device == "printer" for event, _ in received)
    assert {event.status.supply for event, _ in received[1:5]} == {SupplyLevel.LOW, SupplyLevel.FULL}
    assert adapter._thread is None  # the I/O thread ended


def test_close_stops_delivery_and_detaches(qtbot):
    adapter = TickingPrinter()
    bridge = DeviceBridge([adapter])
    received = []
    bridge.device_event.connect(received.append)
    bridge.close()
    bridge.close()  # twice is fine
    assert adapter._listeners == []
    adapter.start()
    try:
        qtbot.wait(100)
    finally:
        adapter.stop()
    assert received == []
