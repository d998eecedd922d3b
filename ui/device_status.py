"""The kiosk's devices as the GUI sees them: a Qt model over the core's DeviceSet.

The DeviceSet calls its availability listener, and the adapters call the DeviceBridge, on their
I/O threads. ``DeviceStatusModel`` never touches a widget there: the listener only posts a queued
"something changed" signal, and the GUI thread then reads one consistent snapshot of the devices
and publishes it as a ``DeviceState`` (deduplicated). The wording the citizen sees for a device
state is here too (``device_name``, ``notice_text``, ``banner_text``; Qt context "DeviceStatus").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from kiosk.hardware import DeviceReport, KioskAvailability, KioskState, OutOfService, Usability, assess
from ui.device_bridge import DeviceBridge, EventSource

log = logging.getLogger("kiosk.ui")
translate = QCoreApplication.translate

PAPER_LOW = "paper-low"
PAPER_OUT = "paper-out"
UNAVAILABLE = "unavailable"


class DeviceSource(Protocol):
    """What the model needs of ``kiosk.hardware.DeviceSet``."""

    def adapters(self) -> Sequence[EventSource]: ...

    def snapshot(self) -> list[DeviceReport]: ...

    def add_listener(self, listener: Any) -> None: ...

    def remove_listener(self, listener: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class Notice:
    """A feature that is limited right now (shown in the header): ``kind`` is a key above."""

    device: str
    kind: str


@dataclass(frozen=True, slots=True)
class DeviceState:
    """The devices at one moment: the aggregated availability and every device's report."""

    availability: KioskAvailability
    reports: tuple[DeviceReport, ...] = ()

    @classmethod
    def of(cls, reports: Sequence[DeviceReport]) -> DeviceState:
        return cls(assess(list(reports)), tuple(reports))

    @property
    def state(self) -> KioskState:
        return self.availability.state

    @property
    def out_of_service(self) -> bool:
        return self.availability.state == KioskState.UNAVAILABLE

    @property
    def reason(self) -> OutOfService | None:
        return self.availability.reason

    def blocking(self) -> list[DeviceReport]:
        """The required devices that keep the kiosk out of service."""
        names = set(self.availability.blocking) if self.out_of_service else set()
        return [r for r in self.reports if r.name in names]

    def notices(self) -> list[Notice]:
        """Limited optional features (paper low, an optional device not usable); never the
        blocking devices (the out-of-service screen or the session banner shows those)."""
        out: list[Notice] = []
        for report in self.reports:
            if not report.spec.configured or report.usability == Usability.STARTING:
                continue
            if report.usability == Usability.DEGRADED:
                if report.name == "printer" and report.status.supply == "low":
                    out.append(Notice(report.name, PAPER_LOW))
                continue  # "may print" (no status over this transport) is for the technician only
            if report.spec.required or report.usability.usable:
                continue
            kind = PAPER_OUT if report.usability == Usability.CONSUMABLE_OUT else UNAVAILABLE
            out.append(Notice(report.name, kind))
        return out

    def technician_lines(self) -> list[str]:
        """``name (backend): note`` of each blocking device (no card data ever reaches a report)."""
        return [f"{r.name} ({r.spec.backend}): {r.note or r.status.detail}" for r in self.blocking()]


AVAILABLE_STATE = DeviceState(KioskAvailability(KioskState.AVAILABLE))


class DeviceStatusModel(QObject):
    """Follows a DeviceSet on the GUI thread.

    Signals:
        state_changed(object): a new DeviceState (only when it differs from the last one).
        device_event(object): every devices.model.DeviceEvent of the adapters (via DeviceBridge).
    """

    state_changed = Signal(object)
    device_event = Signal(object)
    _changed = Signal()  # posted from the adapters' threads, delivered queued on the GUI thread

    def __init__(self, devices: DeviceSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._devices = devices
        self._lock = threading.Lock()
        self._open = True
        self._changed.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        self.bridge = DeviceBridge(devices.adapters(), parent=self)
        self.bridge.device_event.connect(self._on_device_event)
        devices.add_listener(self._on_availability)
        self._state = DeviceState.of(devices.snapshot())

    @property
    def state(self) -> DeviceState:
        return self._state

    def refresh(self) -> DeviceState:
        """Read the devices now (GUI thread); emits ``state_changed`` if anything changed."""
        if not self._open:
            return self._state
        state = DeviceState.of(self._devices.snapshot())
        if state != self._state:
            previous, self._state = self._state, state
            if state.state != previous.state or state.reason != previous.reason:
                log.info("kiosk devices: %s", state.availability.describe())
            self.state_changed.emit(state)
        return state

    def close(self) -> None:
        """Stop listening (before the DeviceSet stops); safe to call more than once."""
        with self._lock:
            was_open, self._open = self._open, False
        if was_open:
            self._devices.remove_listener(self._on_availability)
            self.bridge.close()

    def _on_availability(self, _availability: KioskAvailability) -> None:
        # On an adapter's thread, under the DeviceSet's lock: post and return at once.
        with self._lock:
            if not self._open:
                return
            try:
                self._changed.emit()
            except RuntimeError:  # the C++ object is gone: the window closed without close()
                self._open = False

    def _on_device_event(self, event: object) -> None:
        # GUI thread. A technician detail can change without the availability changing.
        self.device_event.emit(event)
        self.refresh()


# ----- wording (citizen words; technician details stay as reported) -----
def device_name(name: str) -> str:
    names = {
        "id_reader": translate("DeviceStatus", "ID card reader"),
        "smart_card": translate("DeviceStatus", "Social security card reader"),
        "printer": translate("DeviceStatus", "Receipt printer"),
        "camera": translate("DeviceStatus", "Camera"),
    }
    return names.get(name, name)


def join_names(names: Sequence[str]) -> str:
    return translate("DeviceStatus", ", ").join(device_name(n) for n in names)


def notice_text(notice: Notice) -> str:
    if notice.kind == PAPER_LOW:
        return translate("DeviceStatus", "Receipt paper low")
    if notice.kind == PAPER_OUT:
        return translate("DeviceStatus", "Receipt paper out")
    return translate("DeviceStatus", "%1 unavailable").replace("%1", device_name(notice.device))


def notice_icon(notice: Notice) -> str:
    return "paper" if notice.kind in (PAPER_LOW, PAPER_OUT) else "warning"


def banner_text(state: DeviceState) -> str:
    """What a citizen in a session reads while the kiosk is out of service ("" when it is not)."""
    if not state.out_of_service:
        return ""
    if state.reason == OutOfService.CONSUMABLES:
        return translate(
            "DeviceStatus",
            "The receipt paper has run out, so receipts cannot be printed for now. You can carry on.",
        )
    names = [r.name for r in state.blocking()] or list(state.availability.blocking)
    return translate(
        "DeviceStatus",
        "%1 temporarily unavailable. You can carry on browsing; for services that need it, "
        "please go to a service counter.",
    ).replace("%1", join_names(names))


def reason_text(state: DeviceState) -> str:
    """The out-of-service reason in citizen words."""
    if state.reason == OutOfService.CONSUMABLES:
        return translate("DeviceStatus", "The receipt paper has run out")
    return translate("DeviceStatus", "Under maintenance")
