"""Build the adapter of one DeviceSpec with the device packages' own factories.

Each package decides how its backends work; this module only maps configuration keys onto their
factory arguments. Nothing is started here. A configuration the package rejects raises
DeviceError (the DeviceSet reports it as a configuration error of that device).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devices.base import Backoff, DeviceAdapter
from devices.model import DeviceError, ResultCode
from kiosk.hardware.specs import DeviceSpec, camera_source
from kiosk.paths import resource

CJK_FONT = resource("fonts", "wqy-microhei.ttc")


@dataclass(frozen=True, slots=True)
class Tuning:
    """Timing knobs (tests and ``kiosk doctor`` want quicker polls and reconnects than a kiosk)."""

    backoff: Backoff | None = None  # None: each adapter's own default
    poll_interval: float | None = None  # ID reader and printer status polls; None: their defaults
    font_path: Path = CJK_FONT  # raster printing and previews
    auto_read: bool = True  # False: readers report cards but never read them (devices/doctor)


def build_adapter(spec: DeviceSpec, tuning: Tuning | None = None) -> DeviceAdapter:
    """The (not started) adapter for an installed device; DeviceError on a bad configuration."""
    tuning = tuning or Tuning()
    builders = {
        "id_reader": _id_reader,
        "smart_card": _smart_card,
        "printer": _printer,
        "camera": _camera,
    }
    if not spec.configured:
        raise DeviceError(ResultCode.UNSUPPORTED, f"{spec.section} is not installed (backend none)")
    if spec.name not in builders:
        raise DeviceError(ResultCode.UNSUPPORTED, f"unknown device {spec.name!r}")
    adapter = builders[spec.name](spec, tuning)
    if tuning.poll_interval is not None and spec.name in ("id_reader", "printer"):
        adapter.poll_interval = tuning.poll_interval
    if not tuning.auto_read and hasattr(adapter, "auto_read"):
        adapter.auto_read = False
    return adapter


def sdt_port(port: str) -> int:
    """The sdtapi port number: 1-16 serial, 1001-1016 USB (``SDT_OpenPort``); default 1001."""
    return int(port) if port.strip().isdigit() else 1001


def _id_reader(spec: DeviceSpec, tuning: Tuning) -> DeviceAdapter:
    from devices.id_card.backends import create_id_reader

    s = spec.settings
    return create_id_reader(
        spec.backend,
        port=str(s.get("port", "")),
        baud=int(s.get("baud", 115200)),
        library=str(s.get("library", "")),
        sdt_port=sdt_port(str(s.get("port", ""))),
        name=spec.name,
        required=spec.required,
        backoff=tuning.backoff,
    )


def _smart_card(spec: DeviceSpec, tuning: Tuning) -> DeviceAdapter:
    from devices.smart_card.cli import create_smart_card_reader

    reader = str(spec.settings.get("reader", "")) or None
    return create_smart_card_reader(
        spec.backend, reader=reader, name=spec.name, required=spec.required, backoff=tuning.backoff
    )


def _printer(spec: DeviceSpec, tuning: Tuning) -> DeviceAdapter:
    from devices.printer import PrinterConfig, ReceiptPrinter

    config = PrinterConfig.from_mapping(spec.settings, backend=spec.backend, font_path=str(tuning.font_path))
    return ReceiptPrinter(config, spec.name, required=spec.required, backoff=tuning.backoff)


def _camera(spec: DeviceSpec, tuning: Tuning) -> DeviceAdapter:
    from devices.camera import camera_from_config

    s = spec.settings
    camera = camera_from_config(
        spec.backend,
        camera_source(spec.backend, str(s.get("source", ""))),
        int(s.get("width", 1280)),
        int(s.get("height", 720)),
        required=spec.required,
        name=spec.name,
    )
    if tuning.backoff is not None:
        camera.backoff = tuning.backoff
    return camera
