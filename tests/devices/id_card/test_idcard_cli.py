"""CLI helpers and the backend factory, end to end through the emulator on a real pty."""

from __future__ import annotations

import json
import time

import pytest

from devices.id_card.backends import SimulatedSamReader, create_id_reader
from devices.id_card.cli import card_to_json, read_card, read_card_simulated
from devices.id_card.frames import ChecksumError
from devices.id_card.protocol import READ_BASE, READ_SAM_ID, RESET_SAM
from devices.id_card.samples import SAMPLE_KEYS, sample_card
from devices.id_card.simulator import Fault
from devices.model import Availability, DeviceError, EventKind, ResultCode

BASE_KEYS = {
    "name",
    "sex",
    "nation",
    "birth",
    "address",
    "id_number",
    "authority",
    "valid_from",
    "valid_to",
    "card_type",
}


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_read_card_on_a_pty(emulator, key):
    emulator.place_card(sample_card(key))
    card = read_card(emulator.port, 115200, timeout=2.0)
    assert card == sample_card(key)
    out = card_to_json(card)
    assert set(out) >= BASE_KEYS
    json.dumps(out, ensure_ascii=False)  # serialisable
    assert out["card_type"] == card.card_type.value


def test_json_fields():
    out = card_to_json(sample_card("resident-long-term"))
    assert out["sex"] == "女" and out["nation"] == "达斡尔" and out["nation_code"] == "31"
    assert out["birth"] == "1962-05-08" and out["valid_to"] == "长期" and out["long_term"] is True
    assert "pass_number" not in out and "english_name" not in out
    permit = card_to_json(sample_card("hmt-permit"))
    assert permit["pass_number"] == "H60218345" and permit["issue_count"] == 1 and permit["nation"] is None
    y = card_to_json(sample_card("foreigner-2023"))
    assert y["english_name"] == "ANDERSON-WRIGHT, WILLIAM JAMES FREDERICK"
    assert y["nationality"] == "GBR" and y["renewal_count"] == 0
    masked = card_to_json(sample_card("resident"), mask=True)
    assert masked["id_number"] == "3301**********1272" and masked["address"] == ""


def test_read_card_without_card_is_a_clear_error(emulator):
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        read_card(emulator.port, timeout=0.3)
    assert err.value.code == ResultCode.NO_MEDIA
    assert "no card" in err.value.detail
    assert time.monotonic() - started < 1.5


def test_read_card_on_a_missing_port_is_a_clear_error(tmp_path):
    with pytest.raises(DeviceError) as err:
        read_card(str(tmp_path / "nothing"), timeout=1.0)
    assert err.value.code == ResultCode.DEVICE_NOT_READY
    assert "not found" in err.value.detail


def test_read_card_reports_a_corrupt_reply(emulator):
    emulator.place_card(sample_card())
    emulator.inject(Fault.BAD_CHECKSUM, command=READ_BASE)
    with pytest.raises(ChecksumError):
        read_card(emulator.port, timeout=1.0)


def test_read_card_simulated():
    assert read_card_simulated("foreigner", timeout=2.0) == sample_card("foreigner")
    with pytest.raises(KeyError):
        read_card_simulated("passport")


def test_factory_errors():
    with pytest.raises(DeviceError, match="no serial port"):
        create_id_reader("sam-serial")
    with pytest.raises(DeviceError, match="unknown ID reader backend"):
        create_id_reader("usb-magic")
    with pytest.raises(DeviceError, match="no vendor library"):
        create_id_reader("sdtapi")


def test_simulator_backend_runs_the_real_serial_path():
    reader = create_id_reader("simulator", sample="resident")
    assert isinstance(reader, SimulatedSamReader)
    events = []
    reader.add_listener(events.append)
    reader.poll_interval = 0.03
    reader.start()
    try:
        deadline = time.monotonic() + 3
        while not any(e.kind == EventKind.DATA_READ for e in events) and time.monotonic() < deadline:
            time.sleep(0.02)
        read = [e for e in events if e.kind == EventKind.DATA_READ]
        assert read and read[0].data == sample_card("resident")
        assert reader.info.backend == "simulator"
        assert reader.status.availability == Availability.ONLINE
        assert reader.emulator.count(READ_BASE) == 1
    finally:
        reader.stop()
    assert not reader.emulator.plugged
    # the same backend object can be started again (kiosk restart of a device without a process restart)
    reader.start()
    try:
        deadline = time.monotonic() + 3
        while reader.status.availability != Availability.ONLINE and time.monotonic() < deadline:
            time.sleep(0.02)
        assert reader.status.availability == Availability.ONLINE
    finally:
        reader.stop()


@pytest.mark.parametrize("fault", [Fault.STATUS, Fault.SILENCE])
def test_readers_without_reset_or_sam_id_commands_still_read(emulator, fault) -> None:
    """Some readers answer reset / SAM-ID with "invalid command" (SW3 21) or not at all."""
    emulator.place_card(sample_card("resident"))
    emulator.inject(fault, command=RESET_SAM, times=10, status=0x21)
    emulator.inject(fault, command=READ_SAM_ID, times=10, status=0x21)
    card = read_card(emulator.port, timeout=8.0)
    assert card.id_number == sample_card("resident").id_number
