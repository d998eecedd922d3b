"""Helpers behind ``kiosk device print-test``: the test receipt, printing it, writing its preview."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from devices.base import Backoff
from devices.model import DeviceError, DeviceStatus
from devices.printer.adapter import ReceiptPrinter
from devices.printer.config import PrinterConfig, SimulatorTransport
from devices.printer.escpos_parser import PrintedLine, QrPrint, RasterImage
from devices.printer.layout import Align, ReceiptLayout, paper_for
from devices.printer.preview import PaperRenderer

TEST_QR_PAYLOAD = "KIOSK-PRINT-TEST|打印测试|二维码中文内容"


def test_receipt_layout(paper_mm: int = 80, *, now: datetime | None = None, note: str = "") -> ReceiptLayout:
    """A 办事回执-style test receipt: Chinese text, full-width punctuation, ￥, a QR code, a cut."""
    stamp = (now or datetime.now()).replace(microsecond=0)
    layout = ReceiptLayout(paper_for(paper_mm))
    layout.title("办事回执")
    layout.text("综合自助办事服务机·打印测试", Align.CENTER)
    layout.separator()
    layout.kv("办理事项：", "打印机自检（测试页）")
    layout.kv("受理编号：", f"TEST-{stamp:%Y%m%d}-0001")
    layout.kv("打印时间：", f"{stamp:%Y-%m-%d %H:%M:%S}")
    layout.kv("收费金额：", "¥0.00（免费）", bold=True)
    layout.kv("纸张宽度：", f"{paper_mm} mm / {layout.paper.columns} 列")
    if note:
        layout.kv("打印方式：", note)
    layout.text("全角标点：，。；：！？（）【】《》“”、￥")
    layout.text("ASCII: 0123456789 ABCDEF abcdef !@#$%&*()")
    layout.separator("=")
    layout.qr(TEST_QR_PAYLOAD)
    layout.text("请扫码核对二维码内容", Align.CENTER)
    layout.text("温馨提示：本回执仅用于测试打印机，不作为办事凭证。")
    layout.cut()
    return layout


def write_preview(layout: ReceiptLayout, path: str | Path, font_path: str | Path | None = None) -> Path:
    """Write the PNG preview of ``layout`` (what the paper will look like)."""
    return PaperRenderer(font_path).save_preview(layout, path)


@dataclass
class PrintTestOutcome:
    ok: bool
    code: str  # ResultCode value, "success" when ok
    message: str
    backend: str
    status: DeviceStatus | None = None
    bytes_sent: int = 0
    confirmed: bool = False
    printed_lines: list[str] = field(default_factory=list)  # simulator only: what the emulator parsed

    def describe(self) -> list[str]:
        lines = [
            f"backend: {self.backend}",
            f"result: {self.code}" + (f" ({self.message})" if self.message else ""),
        ]
        if self.status is not None:
            s = self.status
            detail = f" ({s.detail})" if s.detail else ""
            lines.append(f"status: {s.availability.value}{detail}; paper: {s.supply.value}")
        if self.ok:
            lines.append(
                f"sent {self.bytes_sent} bytes; "
                + ("printer confirmed" if self.confirmed else "not confirmed (no status)")
            )
        lines.extend(f"  | {line}" for line in self.printed_lines)
        return lines


def print_test(
    backend: str,
    host: str = "127.0.0.1",
    port: int = 9100,
    device: str = "",
    paper_mm: int = 80,
    encoding: str = "gb18030",
    kanji_mode: bool = True,
    *,
    baud: int = 9600,
    usb_vendor_id: int = 0,
    usb_product_id: int = 0,
    font_path: str | Path | None = None,
    timeout: float = 20.0,
) -> PrintTestOutcome:
    """Print the test receipt once on the given printer and report what happened (never raises
    DeviceError: a bad configuration or an absent printer is a failed outcome)."""
    try:
        config = PrinterConfig(
            backend=backend, host=host, port=port, device=device, baud=baud, usb_vendor_id=usb_vendor_id,
            usb_product_id=usb_product_id, paper_mm=paper_mm, encoding=encoding, kanji_mode=kanji_mode,
            font_path=str(font_path) if font_path else None,
        )  # fmt: skip
        printer = ReceiptPrinter(config, "printer", backoff=Backoff(base=0.2, cap=1.0))
    except (DeviceError, OSError) as exc:
        return PrintTestOutcome(False, getattr(exc, "code", "invalid-data"), str(exc), backend)
    mode = "raster" if encoding == "raster" else f"{encoding}{' + FS &' if kanji_mode else ''}"
    layout = test_receipt_layout(paper_mm, note=mode)
    printer.start()
    try:
        result = printer.print_receipt(layout, timeout)
    except DeviceError as exc:
        return PrintTestOutcome(False, exc.code.value, exc.detail, backend, printer.status)
    finally:
        printed = _simulated_lines(printer)
        printer.stop()
    return PrintTestOutcome(
        True, result.code.value, "", backend, result.status, result.bytes_sent, result.confirmed, printed
    )


def _simulated_lines(printer: ReceiptPrinter) -> list[str]:
    transport = printer.transport
    if not isinstance(transport, SimulatorTransport):
        return []
    paper = transport.emulator.paper
    if not paper:
        return []
    lines = []
    for item in paper[-1].items:
        if isinstance(item, PrintedLine):
            lines.append(item.text.rstrip())
        elif isinstance(item, QrPrint):
            lines.append(f"[QR {item.payload}]")
        elif isinstance(item, RasterImage):
            lines.append(f"[image {item.width_dots}x{item.height}]")
        elif item != "feed":
            lines.append(f"[{item}]")
    return lines
