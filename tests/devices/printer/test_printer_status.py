"""DLE EOT status bytes -> the device model; empty replies are UNKNOWN, bad bytes are rejected."""

from __future__ import annotations

import pytest

from devices.model import Availability, SupplyLevel
from devices.printer.status import (
    StatusFlags,
    StatusFormatError,
    check_status_byte,
    cover_state,
    parse_offline_cause,
    parse_paper,
    parse_printer,
    read_flags,
    to_device_status,
)


class ScriptedPort:
    """A status port answering DLE EOT n from a table (None = silent)."""

    def __init__(self, answers: dict[int, int | None]) -> None:
        self.answers = answers
        self.asked: list[int] = []

    def drain_input(self) -> None:
        pass

    def write(self, data: bytes, timeout: float) -> None:
        assert data[:2] == b"\x10\x04"
        self.asked.append(data[2])

    def read(self, size: int, timeout: float) -> bytes:
        value = self.answers.get(self.asked[-1])
        return b"" if value is None else bytes([value])


def test_fixed_bits_are_checked() -> None:
    for good in (0x12, 0x1A, 0x1E, 0x72, 0x7E, 0x16, 0x56):
        assert check_status_byte(good) == good
    for bad in (0x00, 0xFF, 0x13, 0x92, 0x02, 0x10):
        with pytest.raises(StatusFormatError):
            check_status_byte(bad)


def test_parsers() -> None:
    assert parse_printer(0x12) == {"offline": False}
    assert parse_printer(0x1A) == {"offline": True}
    assert parse_offline_cause(0x16) == {"cover_open": True, "paper_end_stop": False, "error": False}
    assert parse_offline_cause(0x32)["paper_end_stop"] is True
    assert parse_paper(0x12) == {"paper_near_end": False, "paper_out": False}
    assert parse_paper(0x1E) == {"paper_near_end": True, "paper_out": False}
    assert parse_paper(0x72)["paper_out"] is True


@pytest.mark.parametrize(
    ("answers", "availability", "supply", "cover"),
    [
        ({1: 0x12, 2: 0x12, 4: 0x12}, Availability.ONLINE, SupplyLevel.FULL, "closed"),
        ({1: 0x12, 2: 0x12, 4: 0x1E}, Availability.ONLINE, SupplyLevel.LOW, "closed"),
        ({1: 0x1A, 2: 0x32, 4: 0x7E}, Availability.OFFLINE, SupplyLevel.OUT, "closed"),
        ({1: 0x1A, 2: 0x16, 4: 0x12}, Availability.OFFLINE, SupplyLevel.FULL, "open"),
        ({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}, Availability.HARDWARE_ERROR, SupplyLevel.FULL, "closed"),
        ({1: 0x12, 2: 0x12, 4: None}, Availability.ONLINE, SupplyLevel.UNKNOWN, "closed"),
    ],
)
def test_status_mapping(answers, availability, supply, cover) -> None:
    status = to_device_status(read_flags(ScriptedPort(answers), 0.1))
    assert (status.availability, status.supply, cover_state(status)) == (availability, supply, cover)


def test_error_cause_names_the_cutter() -> None:
    status = to_device_status(read_flags(ScriptedPort({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}), 0.1))
    assert status.detail == "autocutter error"


def test_silent_printer_is_unknown_not_paper_ok() -> None:
    port = ScriptedPort({})
    status = to_device_status(read_flags(port, 0.1))
    assert status.availability == Availability.UNKNOWN
    assert status.supply == SupplyLevel.UNKNOWN
    assert port.asked == [1]  # no point asking the rest
    assert to_device_status(StatusFlags()).supply != SupplyLevel.FULL


def test_invalid_reply_is_unknown_with_reason() -> None:
    status = to_device_status(read_flags(ScriptedPort({1: 0xFF}), 0.1))
    assert status.availability == Availability.UNKNOWN
    assert "0xff" in status.detail
