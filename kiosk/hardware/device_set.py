"""DeviceSet: every configured device of this kiosk, built, started and watched together.

    devices = DeviceSet.from_config(config)
    devices.add_listener(lambda availability: ...)   # called on the adapters' threads
    devices.start()
    devices.wait_reported(3.0)
    devices.snapshot(), devices.availability()
    devices.stop()

A device whose configuration its package rejects is kept as an entry without adapter (UNAVAILABLE
with the reason), so one bad section never stops the others from starting. A DeviceSet is started
once; to restart the devices (e.g. after a configuration change) build a new one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from devices.base import DeviceAdapter
from devices.model import Availability, DeviceError, DeviceEvent, DeviceStatus
from kiosk.config import KioskConfig
from kiosk.hardware.availability import DeviceReport, KioskAvailability, Usability, assess, usability
from kiosk.hardware.factory import Tuning, build_adapter
from kiosk.hardware.specs import DeviceSpec, specs_from_config

log = logging.getLogger("kiosk.hardware")
AvailabilityListener = Callable[[KioskAvailability], None]


@dataclass
class _Entry:
    spec: DeviceSpec
    adapter: DeviceAdapter | None
    config_error: str = ""
    reported: bool = False


class DeviceSet:
    """The kiosk's devices. Thread-safe; listeners must return quickly and never block."""

    def __init__(self, specs: Iterable[DeviceSpec], tuning: Tuning | None = None) -> None:
        self._cond = threading.Condition(threading.RLock())
        self._listeners: list[AvailabilityListener] = []
        self._entries: dict[str, _Entry] = {}
        self._last: KioskAvailability | None = None
        self._started = False
        for spec in specs:
            self._entries[spec.name] = self._build(spec, tuning)

    @classmethod
    def from_config(cls, config: KioskConfig, tuning: Tuning | None = None) -> DeviceSet:
        return cls(specs_from_config(config), tuning)

    def _build(self, spec: DeviceSpec, tuning: Tuning | None) -> _Entry:
        if not spec.configured:
            return _Entry(spec, None)
        try:
            adapter = build_adapter(spec, tuning)
        except Exception as exc:  # one bad section (or a missing driver library) must not stop the rest
            detail = exc.detail if isinstance(exc, DeviceError) else f"{type(exc).__name__}: {exc}"
            log.warning("%s: configuration rejected: %s", spec.section, detail)
            return _Entry(spec, None, config_error=f"configuration error: {detail}")
        adapter.add_listener(lambda event, name=spec.name: self._on_event(name, event))
        return _Entry(spec, adapter)

    # ----- access -----
    @property
    def names(self) -> list[str]:
        return list(self._entries)

    def spec(self, name: str) -> DeviceSpec:
        return self._entries[name].spec

    def adapter(self, name: str) -> DeviceAdapter | None:
        """The adapter of ``name`` (None when absent or misconfigured); KeyError for unknown names."""
        return self._entries[name].adapter

    def adapters(self) -> list[DeviceAdapter]:
        return [e.adapter for e in self._entries.values() if e.adapter is not None]

    def add_listener(self, listener: AvailabilityListener) -> None:
        """``listener(availability)`` after every change of the aggregated availability."""
        with self._cond:
            self._listeners.append(listener)

    def remove_listener(self, listener: AvailabilityListener) -> None:
        with self._cond:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # ----- lifecycle -----
    def start(self) -> None:
        with self._cond:
            if self._started:
                return
            self._started = True
        for adapter in self.adapters():
            adapter.start()
        self._recompute()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop every adapter in parallel; returns within about ``timeout`` seconds."""
        with self._cond:
            self._started = False
            for entry in self._entries.values():
                entry.reported = False
        threads = [
            threading.Thread(target=a.stop, args=(timeout,), name=f"stop-{a.name}", daemon=True)
            for a in self.adapters()
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + timeout + 0.5
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        stuck = [t.name for t in threads if t.is_alive()]
        if stuck:
            log.warning("devices did not stop in time: %s", ", ".join(stuck))

    def __enter__(self) -> DeviceSet:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_reported(self, timeout: float) -> bool:
        """Block until every installed device reported a first status; False after ``timeout``."""
        with self._cond:
            return self._cond.wait_for(self._all_reported, timeout)

    def wait_for(self, predicate: Callable[[KioskAvailability], bool], timeout: float) -> KioskAvailability:
        """Block until ``predicate(availability)`` holds or ``timeout`` passes; returns the last value."""
        with self._cond:
            self._cond.wait_for(lambda: predicate(self.availability()), timeout)
            return self.availability()

    def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Block until ``predicate()`` holds (re-checked after every device event)."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    # ----- state -----
    def snapshot(self) -> list[DeviceReport]:
        with self._cond:
            return [self._report(e) for e in self._entries.values()]

    def report(self, name: str) -> DeviceReport:
        with self._cond:
            return self._report(self._entries[name])

    def availability(self) -> KioskAvailability:
        return assess(self.snapshot())

    def heartbeat_states(self) -> dict[str, dict[str, Any]]:
        """The installed devices for the platform heartbeat (``DeviceState``: availability, media,
        supply); usable as the sync poller's ``device_states`` callable."""
        return {
            r.name: {
                "availability": r.status.availability.value,
                "media": r.status.media.value,
                "supply": r.status.supply.value,
            }
            for r in self.snapshot()
            if r.spec.configured
        }

    # ----- internals -----
    def _all_reported(self) -> bool:
        return all(e.reported or e.adapter is None for e in self._entries.values())

    def _report(self, entry: _Entry) -> DeviceReport:
        spec = entry.spec
        if entry.adapter is None:
            if not spec.configured:
                status = DeviceStatus(Availability.NO_DEVICE, detail="not installed")
                return DeviceReport(spec, status, None, Usability.ABSENT, "not installed (backend none)")
            status = DeviceStatus(Availability.HARDWARE_ERROR, detail=entry.config_error)
            return DeviceReport(spec, status, None, Usability.UNAVAILABLE, entry.config_error)
        status, info = entry.adapter.status, entry.adapter.info
        state, note = usability(spec, status, info, entry.reported)
        return DeviceReport(spec, status, info if info.backend else None, state, note)

    def _on_event(self, name: str, event: DeviceEvent) -> None:
        # On the adapter's thread. Only the status is used: event data (a card) is never kept here.
        with self._cond:
            entry = self._entries[name]
            if self._started:
                entry.reported = True
        self._recompute()

    def _recompute(self) -> None:
        with self._cond:
            current = self.availability()
            changed = current != self._last
            self._last = current
            listeners = list(self._listeners) if changed else []
            self._cond.notify_all()
            for listener in listeners:  # under the lock: listeners see changes in order
                try:
                    listener(current)
                except Exception:
                    log.exception("availability listener failed")
