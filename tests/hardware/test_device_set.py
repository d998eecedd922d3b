"""DeviceSet end to end: real simulators (pty SAM emulator, TCP printer emulator, in-process card
slot, synthetic camera), real threads; availability follows unplug, replug and paper out."""

from __future__ import annotations

import time

from devices.model import Availability
from kiosk.hardware import DeviceSet, KioskState, OutOfService, Usability, simulated_config


def _wait_state(devices: DeviceSet, state: KioskState, timeout: float = 5.0):
    value = devices.wait_for(lambda a: a.state == state, timeout)
    assert value.state == state, f"expected {state}, still {value}"
    return value


def _ready(devices: DeviceSet) -> None:
    assert devices.wait_reported(5.0)
    _wait_state(devices, KioskState.AVAILABLE)


def test_default_configuration_starts_four_simulators_online(make_config, start_devices):
    started = time.monotonic()
    devices = start_devices(make_config())
    assert devices.wait_reported(5.0)
    reports = devices.snapshot()
    assert [r.name for r in reports] == ["id_reader", "smart_card", "printer", "camera"]
    for report in reports:
        assert report.status.availability == Availability.ONLINE, report.to_json()
        assert report.usability == Usability.READY
        assert report.info is not None and report.info.backend == "simulator"
    by_name = {r.name: r for r in reports}
    assert by_name["id_reader"].info.serial  # the SAM ID, read over the pty
    assert by_name["printer"].status.supply.value == "full"
    assert dict(by_name["camera"].status.extra)["resolution"] == "320x240"
    assert [r.spec.required for r in reports] == [True, False, True, False]  # the schema's defaults
    availability = _wait_state(devices, KioskState.AVAILABLE)
    assert availability.reason is None and availability.missing_features == ()
    assert time.monotonic() - started < 5
    assert devices.heartbeat_states()["printer"] == {
        "availability": "online",
        "media": "unknown",
        "supply": "full",
    }
    stop_started = time.monotonic()
    devices.stop(timeout=3.0)
    assert time.monotonic() - stop_started < 3.5
    assert all(a._thread is None for a in devices.adapters())


def test_unplugging_the_required_id_reader_takes_the_kiosk_out_of_service_and_back(
    make_config, start_devices, availability_log
):
    devices = start_devices(make_config())
    log = availability_log
    devices.add_listener(log)
    _ready(devices)
    emulator = devices.adapter("id_reader").emulator

    emulator.unplug()
    down = _wait_state(devices, KioskState.UNAVAILABLE)
    assert down.reason == OutOfService.HARDWARE
    assert down.blocking == ("id_reader",)
    assert "read-id-card" in down.missing_features
    report = devices.report("id_reader")
    assert report.status.availability == Availability.POWER_OFF
    assert emulator.port in report.note  # "disappeared", "not found" or "read failed", by timing

    emulator.replug()
    up = _wait_state(devices, KioskState.AVAILABLE)
    assert up.blocking == () and up.missing_features == ()
    assert log.states()[-3:] == ["AVAILABLE", "UNAVAILABLE", "AVAILABLE"]


def test_paper_out_is_out_of_service_consumables_and_paper_low_only_warns(make_config, start_devices):
    devices = start_devices(make_config())
    _ready(devices)
    emulator = devices.adapter("printer").transport.emulator

    emulator.set_state(paper="out")
    out = _wait_state(devices, KioskState.UNAVAILABLE)
    assert out.reason == OutOfService.CONSUMABLES and out.blocking == ("printer",)
    assert devices.report("printer").usability == Usability.CONSUMABLE_OUT

    emulator.set_state(paper="near-end")
    low = devices.wait_for(lambda a: a.available and a.warnings, 5.0)
    assert low.available and low.warnings == ("printer: paper low",)
    assert devices.report("printer").usability == Usability.DEGRADED

    emulator.set_state(paper="ok")
    ok = devices.wait_for(lambda a: a.available and not a.warnings, 5.0)
    assert ok.warnings == ()


def test_hardware_outranks_consumables(make_config, start_devices):
    devices = start_devices(make_config())
    _ready(devices)
    devices.adapter("printer").transport.emulator.set_state(paper="out")
    _wait_state(devices, KioskState.UNAVAILABLE)
    devices.adapter("id_reader").emulator.unplug()
    both = devices.wait_for(lambda a: a.reason == OutOfService.HARDWARE, 5.0)
    assert both.reason == OutOfService.HARDWARE and set(both.blocking) == {"id_reader", "printer"}


def test_an_optional_device_only_takes_its_features_away(make_config, start_devices):
    devices = start_devices(make_config())
    _ready(devices)
    reader = devices.adapter("smart_card")
    reader.unplug()
    degraded = devices.wait_for(lambda a: "read-social-security-card" in a.missing_features, 5.0)
    assert degraded.state == KioskState.AVAILABLE
    assert degraded.missing_features == ("read-social-security-card",)
    assert degraded.warnings and degraded.warnings[0].startswith("smart_card:")
    reader.plug()
    restored = devices.wait_for(lambda a: not a.missing_features, 5.0)
    assert restored.available and restored.missing_features == ()


def test_absent_and_misconfigured_devices(make_config, start_devices):
    config = make_config(
        {
            "devices.id_reader": {"backend": "none"},  # required = true by default: contradictory
            "devices.printer": {"backend": "serial", "device": ""},  # the printer package rejects it
            "devices.camera": {"backend": "none"},
        }
    )
    devices = start_devices(config)
    assert devices.adapter("id_reader") is None and devices.adapter("printer") is None
    assert len(devices.adapters()) == 1  # only the smart-card simulator runs
    id_reader = devices.report("id_reader")
    assert id_reader.usability == Usability.ABSENT and not id_reader.spec.required
    assert id_reader.spec.contradictory
    printer = devices.report("printer")
    assert printer.usability == Usability.UNAVAILABLE
    assert printer.note == "configuration error: serial printer needs a device path"
    state = devices.availability()
    assert set(devices.heartbeat_states()) == {"smart_card", "printer"}  # installed devices only
    assert state.state == KioskState.UNAVAILABLE and state.reason == OutOfService.HARDWARE
    assert state.blocking == ("printer",)
    assert {"read-id-card", "print-receipt", "scan-qr"} <= set(state.missing_features)


def test_a_file_printer_may_print(make_config, start_devices, tmp_path):
    target = tmp_path / "receipts.prn"
    devices = start_devices(make_config({"devices.printer": {"backend": "file", "device": str(target)}}))
    state = devices.wait_for(lambda a: a.state != KioskState.INITIALIZE, 5.0)
    assert state.available
    printer = devices.report("printer")
    assert printer.usability == Usability.DEGRADED
    assert printer.status.availability == Availability.UNKNOWN
    assert printer.note.startswith("may print")
    assert any(w.startswith("printer: may print") for w in state.warnings)
    assert target.exists()


def test_demo_configuration_switches_installed_devices_to_simulators(make_config):
    config = make_config(
        {
            "devices.id_reader": {"backend": "sam-serial", "port": "/dev/ttyUSB0"},
            "devices.printer": {"backend": "network", "host": "10.0.0.9"},
            "devices.camera": {"backend": "none"},
        }
    )
    demo = simulated_config(config)
    assert demo.devices.id_reader.backend == "simulator"
    assert demo.devices.printer.backend == "simulator" and demo.devices.printer.host == "10.0.0.9"
    assert demo.devices.camera.backend == "none"
    assert config.devices.id_reader.backend == "sam-serial"  # the original is untouched
