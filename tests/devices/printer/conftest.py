"""Fixtures for the receipt printer tests: the loopback emulator, adapters, event capture."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.base import Backoff
from devices.model import DeviceEvent, EventKind
from devices.printer import PrinterConfig, ReceiptPrinter, TcpPrinterEmulator
from devices.printer.preview import PaperRenderer

REPO = Path(__file__).resolve().parents[3]
FONT = REPO / "resources" / "fonts" / "wqy-microhei.ttc"


@pytest.fixture(scope="session")
def font_path() -> Path:
    if not FONT.is_file():
        pytest.fail(f"CJK font missing: {FONT} (copy of Debian fonts-wqy-microhei)")
    return FONT


@pytest.fixture(scope="session")
def paper_renderer(font_path: Path) -> PaperRenderer:
    return PaperRenderer(font_path)


@pytest.fixture
def emulator() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(encoding="gb18030") as emu:
        yield emu


class EventLog:
    """Collects adapter events (pushed on the adapter thread) for assertions.

    ``wait_for`` looks at events after the previous match, so successive waits follow the order in
    which things happened (online, then power-off, then online again).
    """

    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self._queue: queue.Queue[DeviceEvent] = queue.Queue()
        self._cursor = 0

    def __call__(self, event: DeviceEvent) -> None:
        self._queue.put(event)

    def wait_for(self, predicate: Callable[[DeviceEvent], bool], timeout: float = 5.0) -> DeviceEvent:
        deadline = time.monotonic() + timeout
        while True:
            self._drain()
            for i in range(self._cursor, len(self.events)):
                if predicate(self.events[i]):
                    self._cursor = i + 1
                    return self.events[i]
            self._cursor = len(self.events)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching event; saw {[e.kind.value for e in self.events]}")
            try:
                self.events.append(self._queue.get(timeout=remaining))
            except queue.Empty:
                continue

    def kinds(self) -> list[EventKind]:
        self._drain()
        return [e.kind for e in self.events]

    def _drain(self) -> None:
        while True:
            try:
                self.events.append(self._queue.get_nowait())
            except queue.Empty:
                return


@pytest.fixture
def make_printer(font_path: Path) -> Iterator[Callable[..., tuple[ReceiptPrinter, EventLog]]]:
    """``make_printer(port=..., **config)`` -> a started ReceiptPrinter with an EventLog listener."""
    started: list[ReceiptPrinter] = []

    def make(transport=None, **overrides) -> tuple[ReceiptPrinter, EventLog]:
        values = {
            "backend": "network",
            "status_timeout": 0.3,
            "write_timeout": 2.0,
            "font_path": str(font_path),
        }
        values.update(overrides)
        printer = ReceiptPrinter(
            PrinterConfig(**values), transport=transport, poll_interval=0.05, backoff=Backoff(0.05, 0.2)
        )
        log = EventLog()
        printer.add_listener(log)
        printer.start()
        started.append(printer)
        return printer, log

    yield make
    for printer in started:
        printer.stop()
