"""Printer configuration (plain data, filled by the kiosk from its ``devices.printer`` section)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from devices.model import DeviceError, ResultCode
from devices.printer.emulator import TcpPrinterEmulator
from devices.printer.escpos_render import EscPosTextRenderer, Renderer
from devices.printer.layout import paper_for
from devices.printer.preview import PaperRenderer
from devices.printer.raster import RasterRenderer
from devices.printer.transports import (
    FileTransport,
    NetworkTransport,
    SerialTransport,
    Transport,
    UsbTransport,
)

BACKENDS = ("usb", "serial", "network", "file", "simulator")
ENCODINGS = ("gb18030", "gbk", "utf8", "raster")


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """One receipt printer. ``encoding="raster"`` prints everything as images (needs ``font_path``)."""

    backend: str = "simulator"
    host: str = "127.0.0.1"
    port: int = 9100
    device: str = ""  # serial port or file / device node path
    baud: int = 9600
    flow: str = "none"  # serial flow control: none | rtscts | dsrdtr
    usb_vendor_id: int = 0
    usb_product_id: int = 0
    paper_mm: int = 80
    encoding: str = "gb18030"
    kanji_mode: bool = True  # send FS & after ESC @ (text mode)
    font_path: str | None = None  # CJK font for raster mode and previews
    connect_timeout: float = 3.0
    write_timeout: float = 10.0  # the printer must accept each chunk within this
    status_timeout: float = 0.5  # per DLE EOT reply

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise DeviceError(ResultCode.INVALID_DATA, f"unknown printer backend {self.backend!r}")
        if self.encoding not in ENCODINGS:
            raise DeviceError(ResultCode.INVALID_DATA, f"unknown printer encoding {self.encoding!r}")
        try:
            paper_for(self.paper_mm)
        except ValueError as exc:
            raise DeviceError(ResultCode.INVALID_DATA, str(exc)) from None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], **overrides: Any) -> PrinterConfig:
        """From a config section dict; unknown keys (``required``, ...) are ignored."""
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in {**values, **overrides}.items() if k in known}
        if data.get("font_path") is not None:
            data["font_path"] = str(Path(data["font_path"]))
        return cls(**data)

    @property
    def raster(self) -> bool:
        return self.encoding == "raster"


class SimulatorTransport(NetworkTransport):
    """A network transport to an in-process TCP emulator it starts (and stops) itself."""

    backend = "simulator"

    def __init__(self, emulator: TcpPrinterEmulator | None = None, encoding: str = "gb18030") -> None:
        self._owned = emulator is None
        self.emulator = emulator or TcpPrinterEmulator(
            encoding=encoding if encoding != "raster" else "gb18030"
        )
        super().__init__(self.emulator.host, self.emulator.port, connect_timeout=2.0)

    def open(self) -> None:
        if not self.emulator.running:
            self.emulator.start()
        super().open()

    def shutdown(self) -> None:
        self.close()
        if self._owned:
            self.emulator.stop()

    def describe(self) -> str:
        return f"simulator 127.0.0.1:{self.port}"


def make_transport(config: PrinterConfig) -> Transport:
    if config.backend == "network":
        return NetworkTransport(config.host, config.port, config.connect_timeout)
    if config.backend == "serial":
        return SerialTransport(config.device, config.baud, config.flow)
    if config.backend == "file":
        return FileTransport(config.device)
    if config.backend == "usb":
        return UsbTransport(config.usb_vendor_id, config.usb_product_id)
    return SimulatorTransport(encoding=config.encoding)


def make_renderer(config: PrinterConfig, paper_renderer: PaperRenderer | None = None) -> Renderer:
    """Text mode for gb18030/gbk/utf8, raster mode (font needed) for ``raster``."""
    if config.raster:
        return RasterRenderer(paper_renderer or PaperRenderer(config.font_path))
    return EscPosTextRenderer(config.encoding, config.kanji_mode)
