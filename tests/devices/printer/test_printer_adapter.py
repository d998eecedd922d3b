"""ReceiptPrinter against the loopback TCP emulator (and a pty, a FIFO and a file): real sockets, real threads."""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from devices.base import Backoff
from devices.model import Availability, DeviceError, EventKind, ResultCode, SupplyLevel
from devices.printer import PrinterConfig, PtyPrinterEmulator, ReceiptPrinter, TcpPrinterEmulator
from devices.printer.cli import test_receipt_layout as build_test_receipt
from devices.printer.escpos_render import EscPosTextRenderer
from devices.printer.transports import NetworkTransport


def _online(log, availability=Availability.ONLINE):
    return log.wait_for(lambda e: e.status.availability == availability)


def test_text_receipt_end_to_end(emulator: TcpPrinterEmulator, make_printer) -> None:
    printer, log = make_printer(port=emulator.port, paper_mm=80, encoding="gb18030")
    _online(log)
    result = printer.print_receipt(build_test_receipt(80), timeout=10)
    assert result.code == ResultCode.SUCCESS and result.confirmed and result.mode == "text"
    job = emulator.paper[-1]
    assert job.kanji_mode
    text = job.text
    assert "办事回执" in text
    assert "办理事项：" in text and "打印机自检（测试页）" in text
    assert "￥0.00（免费）" in text
    assert "全角标点：，。；：！？（）【】《》“”、￥" in text
    title = job.lines[0]
    assert (title.text, title.bold, title.width, title.height, title.align) == (
        "办事回执",
        True,
        2,
        2,
        "center",
    )
    assert all(len(line.text.encode("gb18030")) <= 48 for line in job.lines)  # fits 48 columns
    (qr,) = job.qr_codes
    assert qr.payload == "KIOSK-PRINT-TEST|打印测试|二维码中文内容" and qr.ec == "M"
    assert job.cuts == ["full-cut"]
    assert printer.status.availability == Availability.ONLINE
    log.kinds()
    assert Availability.BUSY in [e.status.availability for e in log.events]  # "printing" was pushed


@pytest.mark.parametrize("encoding", ["gbk", "utf8"])
def test_other_encodings_decode_on_the_printer(encoding: str, make_printer) -> None:
    with TcpPrinterEmulator(encoding=encoding) as emu:
        printer, _log = make_printer(
            port=emu.port, paper_mm=58, encoding=encoding, kanji_mode=encoding != "utf8"
        )
        printer.print_receipt(build_test_receipt(58), timeout=10)
        assert "￥0.00（免费）" in emu.paper[-1].text
        assert emu.paper[-1].qr_codes[0].payload.endswith("二维码中文内容")


def test_raster_receipt_end_to_end(emulator: TcpPrinterEmulator, make_printer) -> None:
    printer, _log = make_printer(port=emulator.port, paper_mm=58, encoding="raster")
    result = printer.print_receipt(build_test_receipt(58), timeout=10)
    assert result.mode == "raster" and result.confirmed
    job = emulator.paper[-1]
    assert job.images and {img.width_dots for img in job.images} == {384}
    assert sum(img.height for img in job.images) > 600
    assert not job.lines and not job.qr_codes  # everything, QR included, is in the image
    assert job.cuts == ["full-cut"]
    # What reached the printer is a scannable receipt: rebuild the bitmap and decode its QR code.
    bits = b"".join(img.data for img in job.images).translate(bytes(255 - i for i in range(256)))
    paper = Image.frombytes("1", (384, sum(img.height for img in job.images)), bits)
    decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(np.array(paper.convert("L")))
    assert decoded == "KIOSK-PRINT-TEST|打印测试|二维码中文内容"


def test_paper_out_refuses_the_job(emulator: TcpPrinterEmulator, make_printer) -> None:
    emulator.set_state(paper="out")
    printer, log = make_printer(port=emulator.port)
    event = log.wait_for(lambda e: e.kind == EventKind.PAPER_THRESHOLD)
    assert event.data == SupplyLevel.OUT
    assert printer.status.availability == Availability.OFFLINE
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(build_test_receipt(80), timeout=5)
    assert info.value.code == ResultCode.NO_MEDIA
    assert emulator.paper == []  # nothing was sent
    emulator.set_state(paper="ok")
    event = log.wait_for(lambda e: e.kind == EventKind.PAPER_THRESHOLD and e.data == SupplyLevel.FULL)
    assert printer.print_receipt(build_test_receipt(80), timeout=5).code == ResultCode.SUCCESS


def test_paper_near_end_event_still_prints(emulator: TcpPrinterEmulator, make_printer) -> None:
    printer, log = make_printer(port=emulator.port)
    _online(log)
    emulator.set_state(paper="near-end")
    event = log.wait_for(lambda e: e.kind == EventKind.PAPER_THRESHOLD)
    assert event.data == SupplyLevel.LOW and event.status.supply == SupplyLevel.LOW
    assert event.status.availability == Availability.ONLINE
    assert printer.print_receipt(build_test_receipt(80), timeout=5).status.supply == SupplyLevel.LOW
    assert log.kinds().count(EventKind.PAPER_THRESHOLD) == 1  # pushed once, not every poll


def test_cover_open_event_and_refusal(emulator: TcpPrinterEmulator, make_printer) -> None:
    printer, log = make_printer(port=emulator.port)
    _online(log)
    emulator.set_state(cover_open=True)
    event = log.wait_for(lambda e: e.kind == EventKind.COVER_OPEN)
    assert event.status.availability == Availability.OFFLINE and "cover" in event.status.detail
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(build_test_receipt(80), timeout=5)
    assert info.value.code == ResultCode.DEVICE_NOT_READY
    emulator.set_state(cover_open=False)
    _online(log)


@pytest.mark.parametrize("power_loss", [True, False], ids=["power-loss", "cable-pulled"])
def test_disconnect_mid_job_then_reconnect(emulator: TcpPrinterEmulator, make_printer, power_loss) -> None:
    """Power loss: the printer forgets the half band. Cable pulled: it still waits for the band's
    bytes, and the adapter's resync after reconnecting completes it before asking for status."""
    printer, log = make_printer(port=emulator.port, paper_mm=58, encoding="raster")
    _online(log)
    emulator.set_faults(close_after=10_000, close_resets=power_loss)  # dies 10 kB into the ~40 kB job
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(build_test_receipt(58), timeout=10)
    assert info.value.code == ResultCode.DEVICE_NOT_READY
    log.wait_for(lambda e: e.status.availability == Availability.POWER_OFF)
    interrupted = emulator.paper[-1]
    assert interrupted.images and not interrupted.cuts  # the receipt was not finished
    # The adapter reconnects by itself (backoff) and prints again.
    log.wait_for(
        lambda e: e.status.availability == Availability.ONLINE and e.status.supply == SupplyLevel.FULL
    )
    assert printer.print_receipt(build_test_receipt(58), timeout=10).code == ResultCode.SUCCESS
    assert emulator.paper[-1].cuts == ["full-cut"]
    assert emulator.connections >= 2


def test_unplugged_printer_comes_back_on_a_new_listener(make_printer) -> None:
    emu = TcpPrinterEmulator().start()
    port = emu.port
    printer, log = make_printer(port=port)
    _online(log)
    emu.stop()  # the printer is switched off
    log.wait_for(lambda e: e.status.availability == Availability.POWER_OFF)
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(build_test_receipt(80), timeout=5)
    assert info.value.code == ResultCode.DEVICE_NOT_READY
    with TcpPrinterEmulator(port=port) as again:  # ... and on again
        log.wait_for(lambda e: e.status.availability == Availability.ONLINE, timeout=10)
        printer.print_receipt(build_test_receipt(80), timeout=5)
        assert again.paper[-1].cuts


def test_a_port_that_accepts_then_hangs_up_is_retried_ever_more_slowly() -> None:
    """A printer port held by another host accepts and closes at once: the adapter must back off
    exponentially, not reconnect at the first delay forever (log and event spam)."""
    accepted: list[float] = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    done = threading.Event()

    def hang_up() -> None:
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(time.monotonic())
            conn.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    config = PrinterConfig(backend="network", port=server.getsockname()[1], status_timeout=0.3)
    printer = ReceiptPrinter(config, poll_interval=0.05, backoff=Backoff(base=0.05, cap=0.8))
    printer.start()
    try:
        time.sleep(2.5)
    finally:
        printer.stop()
        done.set()
        thread.join(2)
        server.close()
    gaps = [b - a for a, b in itertools.pairwise(accepted)]
    assert 3 <= len(accepted) <= 10, gaps  # at the first delay (<= 0.1 s) it would be ~30
    assert max(gaps) >= 0.3, gaps  # the delay grew towards the cap


def test_silent_printer_reports_unknown_not_ok(emulator: TcpPrinterEmulator, make_printer) -> None:
    emulator.set_faults(silent=True)
    printer, log = make_printer(port=emulator.port, status_timeout=0.1)
    log.wait_for(lambda e: e.status.detail == "printer gave no status reply")
    assert printer.status.availability == Availability.UNKNOWN
    assert printer.status.supply == SupplyLevel.UNKNOWN
    result = printer.print_receipt(build_test_receipt(80), timeout=5)  # allowed, but not confirmed
    assert not result.confirmed and result.status.supply == SupplyLevel.UNKNOWN
    assert emulator.paper[-1].cuts == ["full-cut"]


def test_invalid_status_bytes_are_not_trusted(emulator: TcpPrinterEmulator, make_printer) -> None:
    emulator.set_faults(invalid_status=True)
    _printer, log = make_printer(port=emulator.port)
    event = log.wait_for(lambda e: "not a DLE EOT status byte" in e.status.detail)
    assert event.status.availability == Availability.UNKNOWN and event.status.supply == SupplyLevel.UNKNOWN


class GatedTransport(NetworkTransport):
    """The real TCP transport; the test decides when each chunk may go out."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host, port)
        self.writes = 0
        self.gate = threading.Semaphore(0)
        self.gated = False

    def write(self, data: bytes, timeout: float) -> None:
        if self.gated and not data.startswith(b"\x10\x04"):  # status queries pass freely
            self.writes += 1
            assert self.gate.acquire(timeout=5)
        super().write(data, timeout)


def test_cancel_between_chunks(emulator: TcpPrinterEmulator, make_printer) -> None:
    transport = GatedTransport("127.0.0.1", emulator.port)
    printer, log = make_printer(transport=transport, paper_mm=58)
    _online(log)
    transport.gated = True
    future, token = printer.submit_receipt(build_test_receipt(58))
    transport.gate.release(3)  # three chunks go out ...
    emulator.wait_for(lambda paper: paper and len(paper[-1].lines) >= 1, timeout=5)
    token.cancel()  # ... then the kiosk cancels
    transport.gate.release(10)
    with pytest.raises(DeviceError) as info:
        future.result(timeout=5)
    assert info.value.code == ResultCode.CANCELLED
    assert emulator.paper[-1].cuts == []  # the receipt was abandoned, not finished
    transport.gated = False
    printer.print_receipt(build_test_receipt(58), timeout=5)
    assert emulator.paper[-1].cuts == ["full-cut"]


def test_command_timeout_cancels_the_job(emulator: TcpPrinterEmulator, make_printer) -> None:
    transport = GatedTransport("127.0.0.1", emulator.port)
    printer, log = make_printer(transport=transport, paper_mm=58)
    _online(log)
    transport.gated = True
    transport.gate.release(2)
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(build_test_receipt(58), timeout=0.3)
    assert info.value.code == ResultCode.TIMEOUT
    transport.gate.release(50)
    transport.gated = False
    log.wait_for(lambda e: e.status.availability == Availability.ONLINE)
    assert all(not job.cuts for job in emulator.paper)


def test_fifo_that_stops_reading_times_out_then_reconnects(tmp_path: Path, make_printer) -> None:
    fifo = tmp_path / "printer.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a printer that never reads
    try:
        printer, log = make_printer(backend="file", device=str(fifo), encoding="raster", write_timeout=0.3)
        log.wait_for(lambda e: e.status.detail == "status cannot be read over this transport")
        with pytest.raises(DeviceError) as info:
            for _ in range(3):  # ~68 kB of raster per receipt; the pipe holds 64 kB
                printer.print_receipt(build_test_receipt(80), timeout=10)
        assert info.value.code == ResultCode.TIMEOUT
        log.wait_for(lambda e: e.status.availability == Availability.POWER_OFF)
    finally:
        os.close(reader)


def test_file_backend_writes_the_job_and_reports_unknown(tmp_path: Path, make_printer) -> None:
    out = tmp_path / "receipt.bin"
    printer, _log = make_printer(backend="file", device=str(out), paper_mm=58)
    result = printer.print_receipt(build_test_receipt(58), timeout=5)
    assert not result.confirmed
    assert result.status.availability == Availability.UNKNOWN and result.status.supply == SupplyLevel.UNKNOWN
    data = out.read_bytes()
    assert data.startswith(b"\x1b@\x1c&") and data.endswith(b"\x1dV\x00")
    assert "（免费）".encode("gb18030") in data


def test_missing_device_node_is_power_off_not_a_new_file(make_printer) -> None:
    _printer, log = make_printer(backend="file", device="/dev/kiosk-no-such-printer")
    event = log.wait_for(lambda e: e.status.availability == Availability.POWER_OFF)
    assert "cannot open" in event.status.detail
    assert not os.path.exists("/dev/kiosk-no-such-printer")


def test_serial_backend_over_a_pty(make_printer) -> None:
    with PtyPrinterEmulator(encoding="gb18030") as emu:
        emu.set_state(paper="near-end")
        printer, log = make_printer(backend="serial", device=emu.device, baud=115200, paper_mm=58)
        log.wait_for(lambda e: e.kind == EventKind.PAPER_THRESHOLD and e.data == SupplyLevel.LOW)
        result = printer.print_receipt(build_test_receipt(58), timeout=5)
        assert result.confirmed
        assert "打印机自检（测试页）" in emu.paper[-1].text


def test_usb_backend_without_the_device(make_printer) -> None:
    with pytest.raises(DeviceError) as info:
        ReceiptPrinter(PrinterConfig(backend="usb"))
    assert info.value.code == ResultCode.INVALID_DATA
    _printer, log = make_printer(backend="usb", usb_vendor_id=0x0416, usb_product_id=0x5011)
    event = log.wait_for(lambda e: e.status.availability == Availability.POWER_OFF)
    assert "USB" in event.status.detail


def test_layout_for_the_wrong_paper_is_rejected(emulator: TcpPrinterEmulator, make_printer) -> None:
    printer, _log = make_printer(port=emulator.port, paper_mm=58)
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(build_test_receipt(80))
    assert info.value.code == ResultCode.INVALID_DATA


def test_bad_configuration_is_a_clear_error() -> None:
    for bad in ({"backend": "lpt"}, {"encoding": "big5"}, {"paper_mm": 76}):
        with pytest.raises(DeviceError) as info:
            PrinterConfig(**bad)
        assert info.value.code == ResultCode.INVALID_DATA
    cfg = PrinterConfig.from_mapping({"backend": "network", "port": 9101, "required": True})
    assert cfg.port == 9101
    assert EscPosTextRenderer(cfg.encoding).render  # text mode by default
