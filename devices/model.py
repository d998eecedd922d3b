"""The common device model, after XFS4IoT (names), CUSS 2 (readiness) and UnifiedPOS (lifecycle).

Every adapter reports the same vocabulary, so the kiosk and the UI never learn a vendor's codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Availability(StrEnum):
    """XFS4IoT ``Common.Status.device``."""

    ONLINE = "online"
    OFFLINE = "offline"
    POWER_OFF = "power-off"  # unplugged or not answering
    NO_DEVICE = "no-device"  # not configured on this kiosk
    HARDWARE_ERROR = "hardware-error"
    USER_ERROR = "user-error"  # a person is preventing operation
    BUSY = "busy"
    UNKNOWN = "unknown"


class MediaState(StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    NOT_PRESENT = "not-present"
    JAMMED = "jammed"
    ENTERING = "entering"
    LATCHED = "latched"
    RETRACTED = "retracted"


class SupplyLevel(StrEnum):
    UNKNOWN = "unknown"
    FULL = "full"
    LOW = "low"
    OUT = "out"
    JAMMED = "jammed"


class ResultCode(StrEnum):
    """XFS4IoT completion codes (the subset a kiosk meets)."""

    SUCCESS = "success"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"
    DEVICE_NOT_READY = "device-not-ready"
    HARDWARE_ERROR = "hardware-error"
    USER_ERROR = "user-error"
    NO_MEDIA = "no-media"
    UNSUPPORTED = "unsupported"
    INVALID_DATA = "invalid-data"
    SEQUENCE_ERROR = "sequence-error"
    INTERNAL_ERROR = "internal-error"


class Readiness(StrEnum):
    """CUSS component state, what the UI needs."""

    READY = "ready"
    BUSY = "busy"
    UNAVAILABLE = "unavailable"


class EventKind(StrEnum):
    STATUS_CHANGED = "status-changed"
    MEDIA_INSERTED = "media-inserted"
    MEDIA_REMOVED = "media-removed"
    MEDIA_TAKEN = "media-taken"
    PAPER_THRESHOLD = "paper-threshold"  # data: SupplyLevel (low/out/full)
    COVER_OPEN = "cover-open"
    DATA_READ = "data-read"  # data: the payload (e.g. an IdentityCard)
    ERROR = "error"  # data: DeviceError


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """XFS4IoT ``deviceInformation`` + capabilities."""

    kind: str  # id_reader | smart_card | printer | camera
    backend: str
    model: str = ""
    serial: str = ""
    firmware: str = ""
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    availability: Availability = Availability.UNKNOWN
    media: MediaState = MediaState.UNKNOWN
    supply: SupplyLevel = SupplyLevel.UNKNOWN
    detail: str = ""  # technician-facing explanation of the last problem (never personal data)
    extra: tuple[tuple[str, str], ...] = ()  # device-specific flags, e.g. (("cover", "open"),)

    def with_(self, **changes: Any) -> DeviceStatus:
        return replace(self, **changes)

    def readiness(self) -> Readiness:
        if self.availability == Availability.ONLINE:
            return Readiness.READY
        if self.availability == Availability.BUSY:
            return Readiness.BUSY
        return Readiness.UNAVAILABLE


@dataclass(frozen=True, slots=True)
class DeviceEvent:
    device: str  # the adapter's name, e.g. "id_reader"
    kind: EventKind
    status: DeviceStatus
    data: Any = None
    changed: tuple[str, ...] = field(default=())  # names of the status fields that changed


class DeviceError(Exception):
    """A command failed; ``code`` says how, ``detail`` says why (technician-facing, no personal data)."""

    def __init__(self, code: ResultCode, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


class DeviceUnavailable(DeviceError):
    """The device is not connected or stopped answering; the adapter reconnects with backoff."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(ResultCode.DEVICE_NOT_READY, detail)


def diff_status(old: DeviceStatus, new: DeviceStatus) -> tuple[str, ...]:
    return tuple(
        f
        for f in ("availability", "media", "supply", "detail", "extra")
        if getattr(old, f) != getattr(new, f)
    )
