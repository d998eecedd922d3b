"""EventLog: a listener that records device events and lets a test wait for one, with a timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from devices.model import DeviceEvent, EventKind


class EventLog:
    """A listener that records events and lets a test wait for one (with a timeout, never forever)."""

    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: DeviceEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def kinds(self) -> list[EventKind]:
        with self._cond:
            return [e.kind for e in self.events]

    def wait_for(
        self,
        kind: EventKind,
        timeout: float = 5.0,
        where: Callable[[DeviceEvent], bool] = lambda e: True,
        after: int = 0,
    ) -> DeviceEvent:
        """The first event of ``kind`` (at index >= ``after``) matching ``where``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.events[after:]:
                    if event.kind == kind and where(event):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [
                        (e.kind.value, e.status.availability.value, e.status.media.value) for e in self.events
                    ]
                    raise AssertionError(f"no {kind.value} event within {timeout:g} s; saw {seen}")
                self._cond.wait(remaining)

    def mark(self) -> int:
        with self._cond:
            return len(self.events)
