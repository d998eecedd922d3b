"""A byte-level ESC/POS receipt printer emulator: loopback TCP (like port 9100) or a pseudo-terminal.

It parses the stream (see escpos_parser), answers DLE EOT n from its state (paper ok / near end /
out, cover open, offline, error) and can misbehave on purpose: stay silent, close the connection
after N bytes (once), read slowly. It is the ``simulator`` printer backend and the tests' printer.

    with TcpPrinterEmulator(encoding="gb18030") as emu:
        ...  # connect to ("127.0.0.1", emu.port)
        emu.wait_for(lambda paper: paper and paper[-1].cuts, timeout=5)
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import struct
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass, replace

from devices.printer.escpos_parser import EscPosParser, Job

PAPER_OK, PAPER_NEAR_END, PAPER_OUT = "ok", "near-end", "out"


@dataclass(frozen=True, slots=True)
class PrinterState:
    paper: str = PAPER_OK
    cover_open: bool = False
    offline: bool = False  # forced offline (e.g. the operator pressed a key)
    error: bool = False  # e.g. autocutter jam


@dataclass(frozen=True, slots=True)
class Faults:
    silent: bool = False  # never answer status queries
    close_after: int | None = None  # drop the connection after this many more bytes (fires once)
    close_resets: bool = True  # ... as a power loss (input buffer lost); False: a pulled cable
    seconds_per_kib: float = 0.0  # slow reader
    invalid_status: bool = False  # answer status queries with a byte that breaks the fixed bits


class EmulatedPrinter:
    """Transport-free core: feed received bytes, get the reply bytes. Thread-safe."""

    def __init__(self, encoding: str = "gb18030", needs_kanji_mode: bool = False) -> None:
        self._parser = EscPosParser(encoding, needs_kanji_mode)
        self._cond = threading.Condition()
        self.state = PrinterState()
        self.faults = Faults()
        self.bytes_received = 0
        self.status_queries = 0

    # ----- control (tests, demo) -----
    def set_state(self, **changes: object) -> None:
        with self._cond:
            self.state = replace(self.state, **changes)  # type: ignore[arg-type]

    def set_faults(self, **changes: object) -> None:
        with self._cond:
            self.faults = replace(self.faults, **changes)  # type: ignore[arg-type]

    @property
    def paper(self) -> list[Job]:
        """Jobs that printed something, oldest first (the current one included)."""
        with self._cond:
            return [job for job in self._parser.jobs if not job.is_empty]

    def wait_for(self, predicate: Callable[[list[Job]], object], timeout: float) -> bool:
        """Block until ``predicate(paper)`` is true (re-checked on every received chunk)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate([job for job in self._parser.jobs if not job.is_empty]):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def power_cycle(self) -> None:
        """Lose the half-received command and the styles, as a printer switched off and on does."""
        with self._cond:
            self._parser.reset_input()

    # ----- the wire -----
    def receive(self, data: bytes) -> bytes:
        """Consume bytes from the host; return what the printer sends back."""
        with self._cond:
            requests = self._parser.feed(data)
            self.bytes_received += len(data)
            self.status_queries += len(requests)
            silent, invalid = self.faults.silent, self.faults.invalid_status
            reply = b"" if silent else bytes(0xFF if invalid else self.status_byte(n) for n in requests)
            self._cond.notify_all()
        return reply

    def status_byte(self, n: int) -> int:
        s = self.state
        out = s.paper == PAPER_OUT
        value = 0x12
        if n == 1 and (s.offline or s.cover_open or out or s.error):
            value |= 0x08
        elif n == 2:
            value |= (0x04 if s.cover_open else 0) | (0x20 if out else 0) | (0x40 if s.error else 0)
        elif n == 3 and s.error:
            value |= 0x08  # autocutter error
        elif n == 4:
            value |= (0x0C if s.paper != PAPER_OK else 0) | (0x60 if out else 0)
        return value


class TcpPrinterEmulator(EmulatedPrinter):
    """The emulator behind a loopback TCP listener, served by one background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, encoding: str = "gb18030", *,
                 needs_kanji_mode: bool = False, recv_buffer: int | None = None) -> None:  # fmt: skip
        super().__init__(encoding, needs_kanji_mode)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if recv_buffer:  # inherited by accepted sockets: lets a slow printer push back on the host
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, recv_buffer)
        self._listener.bind((host, port))
        self._listener.listen(4)
        self.host, self.port = self._listener.getsockname()[:2]
        self.connections = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> TcpPrinterEmulator:
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="printer-emulator", daemon=True)
            self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and not self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self._listener.close()

    def __enter__(self) -> TcpPrinterEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._listener], [], [], 0.05)
            if not ready:
                continue
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            with self._cond:
                self.connections += 1
            with conn:
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([conn], [], [], 0.05)
            if not ready:
                continue
            faults = self.faults
            try:
                data = conn.recv(256 if faults.seconds_per_kib else 65536)
            except OSError:
                return
            if not data:
                return
            if faults.close_after is not None:
                if len(data) >= faults.close_after:
                    self.receive(data[: faults.close_after])
                    self.set_faults(close_after=None)
                    if faults.close_resets:
                        self.power_cycle()
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return  # abortive close (RST), like a printer that lost power
                self.set_faults(close_after=faults.close_after - len(data))
            reply = self.receive(data)
            try:
                if reply:
                    conn.sendall(reply)
            except OSError:
                return
            if faults.seconds_per_kib:
                self._stop.wait(faults.seconds_per_kib * len(data) / 1024)


class PtyPrinterEmulator(EmulatedPrinter):
    """The emulator on the master side of a pseudo-terminal; ``device`` is the serial port path."""

    def __init__(self, encoding: str = "gb18030", *, needs_kanji_mode: bool = False) -> None:
        super().__init__(encoding, needs_kanji_mode)
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.device = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="printer-emulator-pty", daemon=True)

    def __enter__(self) -> PtyPrinterEmulator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            reply = self.receive(data)
            if reply:
                os.write(self._master, reply)
