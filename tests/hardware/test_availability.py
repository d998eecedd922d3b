"""The aggregation rules, the printer policy, the fixes, and the hard time limit."""

from __future__ import annotations

import threading
import time

import pytest

from devices.model import Availability, DeviceError, DeviceInfo, DeviceStatus, ResultCode, SupplyLevel
from kiosk.hardware import DeviceSpec, KioskState, OutOfService, Usability, assess
from kiosk.hardware.availability import DeviceReport, usability
from kiosk.hardware.bounded import run_bounded
from kiosk.hardware.hints import suggest_fix
from kiosk.hardware.specs import camera_source

OPENED = DeviceInfo(kind="printer", backend="network")


def _report(name: str, required: bool, status: DeviceStatus, reported: bool = True, backend: str = "x"):
    spec = DeviceSpec(name, backend, required)
    info = DeviceInfo(kind=name, backend=backend) if reported else None
    state, note = usability(spec, status, info, reported)
    return DeviceReport(spec, status, info, state, note)


ONLINE = DeviceStatus(Availability.ONLINE)
GONE = DeviceStatus(Availability.POWER_OFF, detail="serial port /dev/ttyUSB0 not found")


@pytest.mark.parametrize(
    ("status", "opened", "expected"),
    [
        (DeviceStatus(Availability.ONLINE, supply=SupplyLevel.FULL), True, Usability.READY),
        (DeviceStatus(Availability.BUSY, supply=SupplyLevel.FULL), True, Usability.READY),
        (DeviceStatus(Availability.ONLINE, supply=SupplyLevel.LOW), True, Usability.DEGRADED),
        (DeviceStatus(Availability.OFFLINE, supply=SupplyLevel.OUT, detail="paper out"), True,
         Usability.CONSUMABLE_OUT),
        (DeviceStatus(Availability.OFFLINE, detail="cover open"), True, Usability.UNAVAILABLE),
        (DeviceStatus(Availability.UNKNOWN, detail="status cannot be read over this transport"), True,
         Usability.DEGRADED),
        (DeviceStatus(Availability.UNKNOWN), False, Usability.UNAVAILABLE),  # never opened: not "may print"
        (DeviceStatus(Availability.POWER_OFF, detail="cannot connect"), True, Usability.UNAVAILABLE),
    ],
)  # fmt: skip
def test_printer_policy(status, opened, expected):
    spec = DeviceSpec("printer", "network", True)
    state, note = usability(spec, status, OPENED if opened else DeviceInfo("printer", ""), True)
    assert state == expected
    assert (note == "") == (expected == Usability.READY)


def test_unknown_is_unavailable_for_other_devices():
    spec = DeviceSpec("id_reader", "sam-serial", True)
    assert (
        usability(spec, DeviceStatus(), DeviceInfo("id_reader", "sam-serial"), True)[0]
        == Usability.UNAVAILABLE
    )


def test_assess_orders_hardware_consumables_initialize_available():
    paper_out = DeviceStatus(Availability.OFFLINE, supply=SupplyLevel.OUT, detail="paper out")
    id_ok, id_gone = _report("id_reader", True, ONLINE), _report("id_reader", True, GONE)
    printer_out = _report("printer", True, paper_out)
    camera_starting = _report("camera", False, DeviceStatus(), reported=False)
    id_starting = _report("id_reader", True, DeviceStatus(), reported=False)

    assert assess([id_gone, printer_out]).reason == OutOfService.HARDWARE
    assert assess([id_gone, printer_out]).blocking == ("id_reader", "printer")
    consumables = assess([id_ok, printer_out])
    assert consumables.state == KioskState.UNAVAILABLE and consumables.reason == OutOfService.CONSUMABLES
    assert assess([id_starting, _report("printer", True, ONLINE)]).state == KioskState.INITIALIZE
    optional_starting = assess([id_ok, camera_starting])
    assert optional_starting.state == KioskState.AVAILABLE
    assert optional_starting.missing_features == ("scan-qr", "capture-document", "live-photo")
    optional_gone = assess([id_ok, _report("smart_card", False, GONE)])
    assert optional_gone.available and optional_gone.warnings == (
        "smart_card: serial port /dev/ttyUSB0 not found",
    )
    absent = DeviceReport(DeviceSpec("camera", "none", True), DeviceStatus(), None, Usability.ABSENT)
    assert not absent.spec.required and absent.spec.contradictory
    assert assess([id_ok, absent]).available and assess([id_ok, absent]).warnings == ()


def test_to_json_has_no_surprises():
    report = _report("id_reader", True, ONLINE)
    data = report.to_json()
    assert data["name"] == "id_reader" and data["readiness"] == "ready" and data["usability"] == "ready"
    assert assess([report]).to_json() == {
        "state": "AVAILABLE", "reason": None, "blocking": [], "missing_features": [], "warnings": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "backend", "settings", "detail", "expect"),
    [
        ("id_reader", "sam-serial", {"port": "/dev/ttyUSB0"}, "serial port /dev/ttyUSB0 not found (unplugged?)",
         ["ls /dev/ttyUSB*", "devices.id_reader.port (now '/dev/ttyUSB0')"]),
        ("id_reader", "sam-serial", {"baud": 9600}, "no SAM reader answering on /dev/ttyS0: garbage",
         ["GA 467", "devices.id_reader.baud (now 9600)"]),
        ("id_reader", "sam-serial", {}, "no permission to open /dev/ttyUSB0 (add ...)", ["dialout"]),
        ("id_reader", "simulator", {}, "id_reader: no card on the reader", ["place the card"]),
        ("smart_card", "pcsc", {}, "PC/SC service not available (SCARD_E_NO_SERVICE)", ["pcscd"]),
        ("smart_card", "pcsc", {"reader": "ACS"}, "no smart-card reader matching 'ACS' (readers: none)",
         ["pcsc_scan", "devices.smart_card.reader (now 'ACS')"]),
        ("printer", "network", {"host": "10.1.1.5", "port": 9100}, "cannot connect to 10.1.1.5:9100: refused",
         ["nc -vz 10.1.1.5 9100"]),
        ("printer", "file", {"device": "/dev/usb/lp0"}, "cannot open /dev/usb/lp0: No such file or directory",
         ["devices.printer.device (now '/dev/usb/lp0')"]),
        ("printer", "serial", {"device": "/dev/ttyS3"}, "cannot open /dev/ttyS3: No such file or directory",
         ["devices.printer.device (now '/dev/ttyS3')", "ls /dev/ttyUSB*"]),
        ("printer", "network", {}, "paper out", ["paper roll"]),
        ("camera", "opencv", {"source": "7"}, "no camera at index 7", ["v4l2-ctl", "devices.camera.source"]),
        ("camera", "opencv", {"source": "/x.mp4"}, "media not found: /x.mp4", ["devices.camera.source"]),
        ("printer", "serial", {}, "configuration error: serial printer needs a device path",
         ["[devices.printer]", "kiosk config keys"]),
    ],
)  # fmt: skip
def test_fixes_name_the_cause_and_the_setting(name, backend, settings, detail, expect):
    fix = suggest_fix(DeviceSpec(name, backend, True, settings), detail)
    for text in expect:
        assert text in fix


def test_unknown_problem_gets_a_generic_fix():
    assert "[devices.camera]" in suggest_fix(DeviceSpec("camera", "opencv", False), "something odd")


def test_camera_source_for_the_simulator():
    assert camera_source("simulator", "0") == "synthetic"
    assert camera_source("simulator", "") == "synthetic"
    assert camera_source("simulator", "/media/x.mp4") == "/media/x.mp4"
    assert camera_source("opencv", "0") == "0"


def test_run_bounded_returns_raises_and_gives_up():
    assert run_bounded(lambda: 42, 1.0, "answer") == 42
    with pytest.raises(DeviceError) as err:
        run_bounded(lambda: (_ for _ in ()).throw(DeviceError(ResultCode.NO_MEDIA, "none")), 1.0, "x")
    assert err.value.code == ResultCode.NO_MEDIA
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        run_bounded(lambda: release.wait(5), 0.2, "a stuck driver")
    assert (
        err.value.code == ResultCode.TIMEOUT
        and "a stuck driver did not finish within 0.2 s" in err.value.detail
    )
    assert time.monotonic() - started < 1.0
    release.set()
