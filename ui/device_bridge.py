"""Device events into the GUI thread: adapters call listeners on their I/O threads, Qt signals
deliver them, queued, to slots on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal


class EventSource(Protocol):
    """What the bridge needs of an adapter (devices.base.DeviceAdapter has it)."""

    def add_listener(self, listener: Any) -> None: ...

    def remove_listener(self, listener: Any) -> None: ...


class DeviceBridge(QObject):
    """Re-emits every DeviceEvent of the attached adapters as a Qt signal.

    Signals:
        device_event(object): the devices.model.DeviceEvent, on the thread that owns the bridge.
    """

    device_event = Signal(object)

    def __init__(self, adapters: Iterable[EventSource] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.RLock()
        self._adapters: list[EventSource] = []
        self._open = True
        for adapter in adapters:
            self.attach(adapter)

    def attach(self, adapter: EventSource) -> None:
        with self._lock:
            self._adapters.append(adapter)
        adapter.add_listener(self._on_event)

    def close(self) -> None:
        """Stop listening; safe to call more than once and before the bridge is deleted."""
        with self._lock:
            adapters, self._adapters = self._adapters, []
            self._open = False
        for adapter in adapters:
            adapter.remove_listener(self._on_event)

    def _on_event(self, event: Any) -> None:
        # Called on an adapter's I/O thread: must return quickly and never block.
        with self._lock:
            if not self._open:
                return
            try:
                self.device_event.emit(event)
            except RuntimeError:  # the C++ object is gone: the window closed without close()
                self._open = False
