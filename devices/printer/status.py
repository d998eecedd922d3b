"""ESC/POS real-time status (DLE EOT n) parsed into the common device model.

Each reply is one byte whose bits 0, 1, 4 and 7 are fixed (0, 1, 1, 0): any other pattern is not a
status byte and is rejected. No reply (timeout or empty read) means UNKNOWN, never "paper OK" (the
python-escpos 3.1 ``paper_status()`` bug).

- DLE EOT 1 (printer): bit 3 = offline.
- DLE EOT 2 (offline cause): bit 2 cover open, bit 3 FEED button, bit 5 stopped at paper end,
  bit 6 error.
- DLE EOT 3 (error cause, asked only after an error): bit 3 autocutter, bit 5 unrecoverable,
  bit 6 auto-recoverable.
- DLE EOT 4 (roll paper sensor): bits 2-3 near end, bits 5-6 paper end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from devices.model import Availability, DeviceStatus, MediaState, SupplyLevel

DLE_EOT = b"\x10\x04"
_FIXED_MASK = 0x93
_FIXED_VALUE = 0x12


class StatusFormatError(ValueError):
    """A reply byte that cannot be a DLE EOT status (wrong fixed bits)."""


def check_status_byte(value: int) -> int:
    if not 0 <= value <= 0xFF or value & _FIXED_MASK != _FIXED_VALUE:
        raise StatusFormatError(f"not a DLE EOT status byte: 0x{value:02x}")
    return value


@dataclass(frozen=True, slots=True)
class StatusFlags:
    """What the printer said; ``None`` = that query got no answer."""

    offline: bool | None = None
    cover_open: bool | None = None
    paper_end_stop: bool | None = None
    error: bool | None = None
    cutter_error: bool | None = None
    unrecoverable: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None
    invalid: str = ""  # description of a rejected reply, if any


def parse_printer(value: int) -> dict[str, bool]:
    check_status_byte(value)
    return {"offline": bool(value & 0x08)}


def parse_offline_cause(value: int) -> dict[str, bool]:
    check_status_byte(value)
    return {
        "cover_open": bool(value & 0x04),
        "paper_end_stop": bool(value & 0x20),
        "error": bool(value & 0x40),
    }


def parse_error_cause(value: int) -> dict[str, bool]:
    check_status_byte(value)
    return {"cutter_error": bool(value & 0x08), "unrecoverable": bool(value & 0x20)}


def parse_paper(value: int) -> dict[str, bool]:
    check_status_byte(value)
    return {"paper_near_end": bool(value & 0x0C), "paper_out": bool(value & 0x60)}


class StatusPort(Protocol):
    """The part of a transport the status reader needs."""

    def drain_input(self) -> None: ...
    def write(self, data: bytes, timeout: float) -> None: ...
    def read(self, size: int, timeout: float) -> bytes: ...


def query(port: StatusPort, n: int, timeout: float) -> int | None:
    """Send DLE EOT n, return the reply byte or None when the printer stays silent."""
    port.drain_input()  # a late reply to an earlier query must not be taken for this one
    port.write(DLE_EOT + bytes([n]), timeout)
    reply = port.read(1, timeout)
    return reply[0] if reply else None


def read_flags(port: StatusPort, timeout: float) -> StatusFlags:
    """Ask DLE EOT 1, 2, 4 (and 3 after an error). Raises only on I/O errors (disconnects)."""
    values: dict[str, bool] = {}
    parsers = ((1, parse_printer), (2, parse_offline_cause), (4, parse_paper))
    for n, parse in parsers:
        reply = query(port, n, timeout)
        if reply is None:
            if n == 1:  # a printer that does not answer the first query will not answer the rest
                return StatusFlags()
            continue
        try:
            values.update(parse(reply))
        except StatusFormatError as exc:
            return StatusFlags(invalid=str(exc))
    if values.get("error"):
        reply = query(port, 3, timeout)
        if reply is not None:
            try:
                values.update(parse_error_cause(reply))
            except StatusFormatError as exc:
                return StatusFlags(invalid=str(exc))
    return StatusFlags(**values)


def to_device_status(flags: StatusFlags) -> DeviceStatus:
    """Map the printer's flags to the common model (cover state in ``extra``)."""
    if flags.invalid:
        return DeviceStatus(Availability.UNKNOWN, MediaState.UNKNOWN, SupplyLevel.UNKNOWN, flags.invalid)
    if flags.offline is None:
        return DeviceStatus(
            Availability.UNKNOWN, MediaState.UNKNOWN, SupplyLevel.UNKNOWN, "printer gave no status reply"
        )
    if flags.paper_out is None:
        supply = SupplyLevel.UNKNOWN
    elif flags.paper_out or flags.paper_end_stop:
        supply = SupplyLevel.OUT
    elif flags.paper_near_end:
        supply = SupplyLevel.LOW
    else:
        supply = SupplyLevel.FULL
    cover = "unknown" if flags.cover_open is None else ("open" if flags.cover_open else "closed")
    extra = (("cover", cover),)
    if flags.error:
        detail = "autocutter error" if flags.cutter_error else "printer error"
        if flags.unrecoverable:
            detail += " (unrecoverable)"
        return DeviceStatus(Availability.HARDWARE_ERROR, MediaState.UNKNOWN, supply, detail, extra)
    if supply == SupplyLevel.OUT:
        return DeviceStatus(Availability.OFFLINE, MediaState.UNKNOWN, supply, "paper out", extra)
    if flags.cover_open:
        return DeviceStatus(Availability.OFFLINE, MediaState.UNKNOWN, supply, "cover open", extra)
    if flags.offline:
        return DeviceStatus(Availability.OFFLINE, MediaState.UNKNOWN, supply, "printer offline", extra)
    detail = "paper near end" if supply == SupplyLevel.LOW else ""
    return DeviceStatus(Availability.ONLINE, MediaState.UNKNOWN, supply, detail, extra)


def cover_state(status: DeviceStatus) -> str:
    return dict(status.extra).get("cover", "unknown")
