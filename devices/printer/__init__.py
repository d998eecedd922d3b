"""ESC/POS receipt printer: layout model, text/raster renderers, preview, transports, adapter, emulator.

Public API (what the kiosk uses):
- layout: ``ReceiptLayout``, ``PAPER_58``, ``PAPER_80``, ``paper_for``, ``Align`` and the blocks
  ``Text``, ``Separator``, ``KeyValue``, ``QrCode``, ``Feed``, ``Cut``.
- ``PrinterConfig`` + ``ReceiptPrinter`` (a DeviceAdapter) with ``print_receipt`` / ``submit_receipt``.
- ``PaperRenderer`` for PNG previews (needs a CJK font path).
- ``TcpPrinterEmulator`` / ``PtyPrinterEmulator`` for tests and the simulator backend.
"""

from devices.printer.adapter import PrintResult, ReceiptPrinter
from devices.printer.config import PrinterConfig
from devices.printer.emulator import PtyPrinterEmulator, TcpPrinterEmulator
from devices.printer.layout import (
    PAPER_58,
    PAPER_80,
    Align,
    Cut,
    Feed,
    KeyValue,
    Paper,
    QrCode,
    ReceiptLayout,
    Separator,
    Text,
    paper_for,
)
from devices.printer.preview import FontNotFoundError, PaperRenderer

__all__ = [
    "PAPER_58",
    "PAPER_80",
    "Align",
    "Cut",
    "Feed",
    "FontNotFoundError",
    "KeyValue",
    "Paper",
    "PaperRenderer",
    "PrintResult",
    "PrinterConfig",
    "PtyPrinterEmulator",
    "QrCode",
    "ReceiptLayout",
    "ReceiptPrinter",
    "Separator",
    "TcpPrinterEmulator",
    "Text",
    "paper_for",
]
