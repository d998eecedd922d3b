"""The helpers behind ``kiosk device print-test``."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

from PIL import Image

from devices.printer import TcpPrinterEmulator
from devices.printer.cli import print_test, write_preview
from devices.printer.cli import test_receipt_layout as build_test_receipt
from devices.printer.layout import KeyValue, QrCode, Text


def test_test_receipt_content() -> None:
    layout = build_test_receipt(58, now=datetime(2024, 5, 1, 8, 30))
    assert layout.paper.columns == 32
    texts = [b.text for b in layout.blocks if isinstance(b, Text)]
    assert texts[0] == "办事回执"
    assert any("，" in t and "（" in t for t in texts)
    kvs = {b.key: b.value for b in layout.blocks if isinstance(b, KeyValue)}
    assert kvs["收费金额："] == "¥0.00（免费）" and kvs["受理编号："] == "TEST-20240501-0001"
    assert [b for b in layout.blocks if isinstance(b, QrCode)]


def test_print_test_on_the_simulator(font_path: Path) -> None:
    outcome = print_test("simulator", paper_mm=80, encoding="gb18030", font_path=font_path)
    assert outcome.ok and outcome.code == "success" and outcome.confirmed
    assert outcome.printed_lines[0] == "办事回执"
    assert "[QR KIOSK-PRINT-TEST|打印测试|二维码中文内容]" in outcome.printed_lines
    assert outcome.printed_lines[-1] == "[full-cut]"
    report = "\n".join(outcome.describe())
    assert "result: success" in report and "printer confirmed" in report


def test_print_test_over_the_network_in_raster_mode(font_path: Path) -> None:
    with TcpPrinterEmulator() as emu:
        outcome = print_test("network", port=emu.port, paper_mm=58, encoding="raster", font_path=font_path)
        assert outcome.ok and outcome.bytes_sent > 10_000
        assert {img.width_dots for img in emu.paper[-1].images} == {384}


def test_print_test_failures_are_outcomes_not_exceptions() -> None:
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    refused = print_test("network", port=port, timeout=5)
    assert not refused.ok and refused.code == "device-not-ready" and "cannot connect" in refused.message
    bad = print_test("carrier-pigeon")
    assert not bad.ok and bad.code == "invalid-data"
    with TcpPrinterEmulator() as emu:
        emu.set_state(paper="out")
        out = print_test("network", port=emu.port, timeout=5)
        assert not out.ok and out.code == "no-media"
        assert "paper: out" in "\n".join(out.describe())


def test_write_preview(font_path: Path, tmp_path: Path) -> None:
    path = write_preview(build_test_receipt(80), tmp_path / "preview.png", font_path)
    with Image.open(path) as img:
        assert img.size[0] == 576 + 2 * 32 + 48
