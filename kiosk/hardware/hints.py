"""Plain-words explanations and suggested fixes for device problems (technician-facing, English).

``suggest_fix(spec, detail)`` matches the technician detail an adapter reported (never card data)
against known causes and returns what to check, naming the configuration key involved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.hardware.specs import DeviceSpec

Rule = tuple[str, str, Callable[[DeviceSpec, re.Match[str]], str]]


def _key(spec: DeviceSpec, key: str) -> str:
    value = spec.settings.get(key, "")
    return f"{spec.section}.{key}" + (f" (now {value!r})" if value not in ("", None) else " (empty)")


def _serial_port(spec: DeviceSpec, m: re.Match[str]) -> str:
    key = "port" if spec.name == "id_reader" else "device"
    return (
        f"is the device plugged in? check `ls /dev/ttyUSB* /dev/ttyACM* /dev/serial/by-id/` "
        f"and the {_key(spec, key)} setting"
    )


def _permission(spec: DeviceSpec, m: re.Match[str]) -> str:
    return (
        "the kiosk user may not open the port: add it to the dialout group "
        "(`usermod -aG dialout <user>`, then log in again) or fix the udev rule"
    )


def _busy(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "another program holds the port: find it with `fuser -v <port>` and stop it (a second kiosk?)"


def _not_sam(spec: DeviceSpec, m: re.Match[str]) -> str:
    return (
        "something is on that port but it does not speak the GA 467 SAM protocol: wrong port, or a "
        f"wrong baud rate ({_key(spec, 'baud')}; readers use 115200, some 9600)"
    )


def _sam_fault(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "the reader's SAM module reports a fault: power-cycle the reader; if it persists, call the vendor"


def _no_library(spec: DeviceSpec, m: re.Match[str]) -> str:
    return f"install the vendor SDK and point {_key(spec, 'library')} at its sdtapi library file"


def _pcsc_service(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "start the PC/SC service: `systemctl enable --now pcscd` (Debian package pcscd)"


def _pcsc_reader(spec: DeviceSpec, m: re.Match[str]) -> str:
    return (
        "plug in the smart-card reader; `pcsc_scan` (package pcsc-tools) lists the readers pcscd sees; "
        f"check {_key(spec, 'reader')}"
    )


def _tcp(spec: DeviceSpec, m: re.Match[str]) -> str:
    host, port = spec.settings.get("host", ""), spec.settings.get("port", "")
    return (
        f"is the printer switched on and on the network? try `nc -vz {host} {port}` and check "
        f"{_key(spec, 'host')} and {_key(spec, 'port')}"
    )


def _usb_printer(spec: DeviceSpec, m: re.Match[str]) -> str:
    return (
        "check the cable and `lsusb` for the printer; set devices.printer.usb_vendor_id/usb_product_id "
        "to its ids and allow the kiosk user to access it (udev rule)"
    )


def _file_printer(spec: DeviceSpec, m: re.Match[str]) -> str:
    return f"check that {_key(spec, 'device')} exists and is writable (`ls -l` it; printer plugged in?)"


def _paper_out(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "load a new paper roll and close the cover"


def _paper_low(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "the roll is nearly empty: replace it soon"


def _cover(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "close the printer cover"


def _offline(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "press the printer's online/feed button or power-cycle it; look at its error LED"


def _no_status(spec: DeviceSpec, m: re.Match[str]) -> str:
    return (
        "this transport cannot report paper or cover state: receipts may print but problems go "
        "unnoticed; a network, serial or USB connection reports status"
    )


def _camera_index(spec: DeviceSpec, m: re.Match[str]) -> str:
    return (
        "no camera at that index: check `ls /dev/video*` or `v4l2-ctl --list-devices` and "
        f"{_key(spec, 'source')}"
    )


def _camera_media(spec: DeviceSpec, m: re.Match[str]) -> str:
    return f"the file does not exist: fix {_key(spec, 'source')}"


def _camera_frames(spec: DeviceSpec, m: re.Match[str]) -> str:
    return (
        "the camera opened but delivers no pictures: replug it, check that no other program uses it "
        f"(`fuser -v /dev/video*`) and {_key(spec, 'width')}/height"
    )


def _config(spec: DeviceSpec, m: re.Match[str]) -> str:
    return f"fix the [{spec.section}] section of the configuration (`kiosk config keys` lists the keys)"


def _no_card(spec: DeviceSpec, m: re.Match[str]) -> str:
    if spec.name == "smart_card":
        return "insert the social security card chip first into the reader's slot and try again"
    return "place the card flat on the reader's marked area (and leave it there) and try again"


def _card_data(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "the card answered with unusable data: take it off, put it back and retry; try another card"


def _not_ssse(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "this chip card has no social security application (a bank card?): use the 社会保障卡"


def _pin(spec: DeviceSpec, m: re.Match[str]) -> str:
    return "this card requires a PIN for its holder data; the kiosk never presents a stored PIN"


def _missing(spec: DeviceSpec, m: re.Match[str]) -> str:
    if spec.name == "camera":
        return _camera_media(spec, m)
    if spec.name == "printer" and spec.backend == "file":
        return _file_printer(spec, m)
    return _serial_port(spec, m)


ANY = ""
_CARD_DATA = r"checksum|garbage|truncated|length|malformed|invalid|GBK|record"
RULES: tuple[Rule, ...] = (
    # (device name or ANY, pattern, fix); the first match wins, so specific causes come first
    ("id_reader", r"no vendor library|library|sdtapi", _no_library),
    (ANY, r"configuration error|needs a|no serial port configured|unknown .*backend", _config),
    ("printer", r"USB printer|USB support", _usb_printer),
    ("camera", r"no camera at index|cannot open camera device|camera device not found", _camera_index),
    ("camera", r"delivers no frames|no frames for", _camera_frames),
    (ANY, r"no permission|Permission denied", _permission),
    (ANY, r"in use by another process|Device or resource busy", _busy),
    (ANY, r"not found|No such file|disappeared", _missing),
    ("id_reader", r"no SAM reader answering|reader not answering", _not_sam),
    (ANY, r"no card|not inserted|card was inserted", _no_card),
    ("smart_card", r"no smart-card reader", _pcsc_reader),
    ("smart_card", r"SSSE|social security application", _not_ssse),
    ("smart_card", r"\bPIN\b", _pin),
    ("smart_card", r"PC/SC|pcscd|SCard|service", _pcsc_service),
    ("id_reader", _CARD_DATA, _card_data),
    ("smart_card", _CARD_DATA, _card_data),
    ("id_reader", r"SAM|self-test", _sam_fault),
    ("printer", r"cannot connect to", _tcp),
    ("printer", r"paper out|paper ran out", _paper_out),
    ("printer", r"paper low", _paper_low),
    ("printer", r"cover open", _cover),
    ("printer", r"printer offline|printer error", _offline),
    ("printer", r"status cannot be read|no status reply|does not accept the status", _no_status),
    ("printer", r"cannot open|is not a file, pipe", _file_printer),
)


def suggest_fix(spec: DeviceSpec, detail: str) -> str:
    """A suggested fix for ``detail``, or a generic one naming the configuration section."""
    for device, pattern, fix in RULES:
        match = re.search(pattern, detail, re.IGNORECASE)
        if match and device in (ANY, spec.name):
            return fix(spec, match)
    return f"check the device's cable and power, then the [{spec.section}] settings (`kiosk config show`)"
