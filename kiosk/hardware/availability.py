"""Per-device usability and the kiosk's aggregated availability, after CUSS 2.

- A device is READY, DEGRADED (usable with a caveat: paper low, or a printer whose transport cannot
  report status and therefore "may print"), CONSUMABLE_OUT (printer paper out), UNAVAILABLE,
  STARTING (no status yet) or ABSENT (backend ``none``).
- The kiosk is UNAVAILABLE with reason OUT_OF_SERVICE_HARDWARE when a required device is
  unusable, OUT_OF_SERVICE_CONSUMABLES when a required printer is out of paper, INITIALIZE while a
  required device has not reported yet, else AVAILABLE. Optional devices only take features away.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from devices.model import Availability, DeviceInfo, DeviceStatus, Readiness, SupplyLevel
from kiosk.hardware.specs import DeviceSpec


class Usability(StrEnum):
    READY = "ready"
    DEGRADED = "degraded"
    CONSUMABLE_OUT = "consumable-out"
    UNAVAILABLE = "unavailable"
    STARTING = "starting"
    ABSENT = "absent"

    @property
    def usable(self) -> bool:
        return self in (Usability.READY, Usability.DEGRADED)


class KioskState(StrEnum):
    """CUSS application states the kiosk uses."""

    INITIALIZE = "INITIALIZE"
    AVAILABLE = "AVAILABLE"
    UNAVAILABLE = "UNAVAILABLE"


class OutOfService(StrEnum):
    """CUSS reasons for UNAVAILABLE (the ones hardware can cause)."""

    HARDWARE = "OUT_OF_SERVICE_HARDWARE"
    CONSUMABLES = "OUT_OF_SERVICE_CONSUMABLES"


@dataclass(frozen=True, slots=True)
class DeviceReport:
    """One device as the kiosk sees it now (never contains card data)."""

    spec: DeviceSpec
    status: DeviceStatus
    info: DeviceInfo | None
    usability: Usability
    note: str = ""  # why it is not READY, in plain words (technician-facing)

    @property
    def name(self) -> str:
        return self.spec.name

    def to_json(self) -> dict[str, Any]:
        info = self.info
        return {
            "name": self.spec.name,
            "backend": self.spec.backend,
            "required": self.spec.required,
            "configured": self.spec.configured,
            "usability": self.usability.value,
            "readiness": self.status.readiness().value if self.spec.configured else None,
            "availability": self.status.availability.value,
            "media": self.status.media.value,
            "supply": self.status.supply.value,
            "model": info.model if info else "",
            "serial": info.serial if info else "",
            "firmware": info.firmware if info else "",
            "capabilities": list(info.capabilities) if info else [],
            "detail": self.status.detail,
            "extra": dict(self.status.extra),
            "note": self.note,
        }


def usability(
    spec: DeviceSpec, status: DeviceStatus, info: DeviceInfo | None, reported: bool
) -> tuple[Usability, str]:
    """Classify one device; the second value explains anything but READY."""
    if not spec.configured:
        return Usability.ABSENT, "not installed (backend none)"
    if not reported:
        return Usability.STARTING, "no status yet"
    opened = info is not None and bool(info.backend)
    if spec.name == "printer":
        if status.supply == SupplyLevel.OUT:
            return Usability.CONSUMABLE_OUT, "paper out"
        if status.supply == SupplyLevel.JAMMED:
            return Usability.UNAVAILABLE, "paper jammed"
        if status.availability == Availability.UNKNOWN and opened:
            return Usability.DEGRADED, f"may print: {status.detail or 'status unknown'}"
    readiness = status.readiness()
    if readiness in (Readiness.READY, Readiness.BUSY):
        if spec.name == "printer" and status.supply == SupplyLevel.LOW:
            return Usability.DEGRADED, "paper low"
        return Usability.READY, ""
    return Usability.UNAVAILABLE, status.detail or status.availability.value


@dataclass(frozen=True, slots=True)
class KioskAvailability:
    state: KioskState
    reason: OutOfService | None = None
    blocking: tuple[str, ...] = ()  # required devices that keep the kiosk out of service
    missing_features: tuple[str, ...] = ()  # features of devices that are absent or unusable
    warnings: tuple[str, ...] = ()  # e.g. "printer: paper low"

    @property
    def available(self) -> bool:
        return self.state == KioskState.AVAILABLE

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "reason": self.reason.value if self.reason else None,
            "blocking": list(self.blocking),
            "missing_features": list(self.missing_features),
            "warnings": list(self.warnings),
        }

    def describe(self) -> str:
        if self.state == KioskState.UNAVAILABLE and self.reason is not None:
            return f"{self.state.value} ({self.reason.value}: {', '.join(self.blocking)})"
        return self.state.value


def _warns(report: DeviceReport) -> bool:
    """Usable with a caveat, or an optional installed device that is not usable."""
    if report.usability == Usability.DEGRADED:
        return True
    optional = not report.spec.required and report.usability != Usability.ABSENT
    return optional and not report.usability.usable


def assess(reports: list[DeviceReport]) -> KioskAvailability:
    """The kiosk's availability from its devices' reports."""
    hardware = [r.name for r in reports if r.spec.required and r.usability == Usability.UNAVAILABLE]
    consumables = [r.name for r in reports if r.spec.required and r.usability == Usability.CONSUMABLE_OUT]
    starting = [r.name for r in reports if r.spec.required and r.usability == Usability.STARTING]
    missing = tuple(f for r in reports if not r.usability.usable for f in r.spec.features)
    warnings = tuple(f"{r.name}: {r.note}" for r in reports if _warns(r))
    if hardware:
        state, reason, blocking = KioskState.UNAVAILABLE, OutOfService.HARDWARE, hardware + consumables
    elif consumables:
        state, reason, blocking = KioskState.UNAVAILABLE, OutOfService.CONSUMABLES, consumables
    elif starting:
        state, reason, blocking = KioskState.INITIALIZE, None, starting
    else:
        state, reason, blocking = KioskState.AVAILABLE, None, []
    return KioskAvailability(state, reason, tuple(blocking), missing, warnings)
