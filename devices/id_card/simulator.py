"""A byte-level GA 467 SAM reader emulator on a real pseudo-terminal.

The emulator owns the master side of ``os.openpty()`` (both ends raw) and answers request frames
exactly as a reader would. ``port`` is a stable symlink to the slave side, so a SamSerialReader
opened on it exercises the real parser; ``unplug()`` closes the pty and removes the link,
``replug()`` makes a new pty behind the same link. Faults can be injected per command.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import select
import shutil
import tempfile
import threading
import time
import tty
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from devices.id_card.frames import (
    PREAMBLE,
    ChecksumError,
    FrameDecoder,
    LengthError,
    encode_frame,
    encode_response,
)
from devices.id_card.protocol import (
    FIND_CARD,
    READ_BASE,
    READ_SAM_ID,
    RESET_SAM,
    SAM_STATUS,
    SELECT_CARD,
)
from devices.id_card.text import PHOTO_LEN, TEXT_LEN, IdentityCard, encode_text_block

log = logging.getLogger("kiosk.devices.id_card.simulator")
DEFAULT_SAM_ID = (
    bytes([5, 0, 1, 0])
    + (20101103).to_bytes(4, "little")
    + (123456).to_bytes(4, "little")
    + (987654321).to_bytes(4, "little")
)
READ_ADDRESS = (0x30, 0x03)
SET_MAX_RF = (0x61, 0xFF)


class Fault(StrEnum):
    GARBAGE = "garbage"  # random bytes (no preamble) instead of the reply
    GARBAGE_PREFIX = "garbage-prefix"  # random bytes, then the correct reply (a reader must resync)
    BAD_CHECKSUM = "bad-checksum"
    TRUNCATED = "truncated"  # the first half of the reply, then nothing
    SILENCE = "silence"  # no reply at all
    WRONG_LENGTH = "wrong-length"  # a well-formed frame whose data length does not fit the command
    BAD_LEN_FIELD = "bad-len-field"  # LEN = 0xFFFF
    STATUS = "status"  # SW3 = ``status`` (e.g. 0x41 read failed) without data


@dataclass
class _Injection:
    fault: Fault
    command: tuple[int, int] | None
    remaining: int
    status: int


class SamReaderEmulator:
    """Emulated SAM_V reader. Thread-safe; ``start()``/``stop()`` or use as a context manager."""

    def __init__(
        self,
        *,
        link_path: str | os.PathLike[str] | None = None,
        sam_id: bytes = DEFAULT_SAM_ID,
        reply_delay: float = 0.0,
        seed: int = 0,
    ) -> None:
        self._tmpdir: str | None = None
        if link_path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="sam-emu-")
            link_path = Path(self._tmpdir) / "ttySAM0"
        self._link_path = Path(link_path)
        self.sam_id = sam_id
        self.reply_delay = reply_delay
        self._rng = random.Random(seed)
        self._lock = threading.Lock()  # card, faults, counters
        self._io_lock = threading.Lock()  # the pty file descriptors
        self._master: int | None = None
        self._slave: int | None = None
        self._card: IdentityCard | None = None
        self._text = b""
        self._photo = b""
        self._selected = False
        self._faults: list[_Injection] = []
        self.received: list[tuple[int, int]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ----- lifecycle -----
    @property
    def port(self) -> str:
        """The serial port path to open (stable across unplug/replug and restarts)."""
        return str(self._link_path)

    def start(self) -> SamReaderEmulator:
        if self._thread is not None:
            return self
        self._link_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._stop.clear()
        self.replug()
        self._thread = threading.Thread(target=self._run, name="sam-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None
        self.unplug()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    def __enter__(self) -> SamReaderEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def unplug(self, *, remove_link: bool = True) -> None:
        """Close the pty (the reader's fd gets EIO) and, by default, remove the port link."""
        with self._io_lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._master = self._slave = None
            if remove_link:
                with contextlib.suppress(FileNotFoundError):
                    self._link_path.unlink()

    def replug(self) -> None:
        """A fresh pty behind the same port link."""
        self.unplug()
        with self._io_lock:
            master, slave = os.openpty()
            tty.setraw(master)
            tty.setraw(slave)
            os.set_blocking(master, False)
            tmp = self._link_path.with_name(self._link_path.name + ".new")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            os.symlink(os.ttyname(slave), tmp)
            os.replace(tmp, self._link_path)
            self._master, self._slave = master, slave

    # ----- the card -----
    def place_card(self, card: IdentityCard) -> None:
        text, photo = encode_text_block(card), card.photo_wlt.ljust(PHOTO_LEN, b"\0")[:PHOTO_LEN]
        with self._lock:
            self._card, self._text, self._photo, self._selected = card, text, photo, False

    def remove_card(self) -> None:
        with self._lock:
            self._card, self._text, self._photo, self._selected = None, b"", b"", False

    @property
    def card_present(self) -> bool:
        return self._card is not None

    # ----- faults -----
    def inject(
        self, fault: Fault, *, command: tuple[int, int] | None = None, times: int = 1, status: int = 0x41
    ) -> None:
        """Apply ``fault`` to the next ``times`` replies to ``command`` (any command if None)."""
        with self._lock:
            self._faults.append(_Injection(Fault(fault), command, times, status))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, command: tuple[int, int]) -> int:
        with self._lock:
            return self.received.count(command)

    # ----- the emulator thread -----
    def _run(self) -> None:
        decoder = FrameDecoder()
        while not self._stop.is_set():
            with self._io_lock:
                fd = self._master
                if fd is not None:
                    data = self._read_available(fd)
                    if data:
                        decoder.feed(data)
                        self._answer_all(fd, decoder)
            if fd is None:
                decoder.reset()
                time.sleep(0.02)

    def _read_available(self, fd: int) -> bytes:
        try:
            ready, _, _ = select.select([fd], [], [], 0.02)
            return os.read(fd, 4096) if ready else b""
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError:  # slave side gone; wait for replug
            time.sleep(0.02)
            return b""

    def _answer_all(self, fd: int, decoder: FrameDecoder) -> None:
        while True:
            try:
                body = decoder.next_frame()
            except ChecksumError:
                self._write(fd, encode_response(0x10))
                continue
            except LengthError:
                self._write(fd, encode_response(0x11))
                continue
            if body is None:
                return
            reply = self._reply_to(body)
            if reply is not None:
                if self.reply_delay:
                    time.sleep(self.reply_delay)
                self._write(fd, reply)

    def _reply_to(self, body: bytes) -> bytes | None:
        if len(body) < 2:
            return encode_response(0x11)
        command = (body[0], body[1])
        with self._lock:
            self.received.append(command)
            correct = self._correct_reply(command)
            injection = self._take_fault(command)
        if injection is None:
            return correct
        return self._faulty(injection, correct)

    def _correct_reply(self, command: tuple[int, int]) -> bytes:
        if command in (RESET_SAM, SAM_STATUS, SET_MAX_RF):
            return encode_response(0x90)
        if command == READ_SAM_ID:
            return encode_response(0x90, self.sam_id)
        if command == FIND_CARD:
            self._selected = False
            return encode_response(0x9F, bytes(4)) if self._card is not None else encode_response(0x80)
        if command == SELECT_CARD:
            self._selected = self._card is not None
            return encode_response(0x90, bytes(8)) if self._selected else encode_response(0x81)
        if command == READ_BASE:
            if self._card is None or not self._selected:
                return encode_response(0x41)
            lengths = TEXT_LEN.to_bytes(2, "big") + PHOTO_LEN.to_bytes(2, "big")
            return encode_response(0x90, lengths + self._text + self._photo)
        if command == READ_ADDRESS:
            return encode_response(0x91) if self._card is not None else encode_response(0x41)
        return encode_response(0x21)

    def _take_fault(self, command: tuple[int, int]) -> _Injection | None:
        for inj in self._faults:
            if inj.command is None or inj.command == command:
                inj.remaining -= 1
                if inj.remaining <= 0:
                    self._faults.remove(inj)
                return inj
        return None

    def _faulty(self, inj: _Injection, correct: bytes) -> bytes | None:
        if inj.fault is Fault.SILENCE:
            return None
        if inj.fault is Fault.GARBAGE:
            return self._garbage()
        if inj.fault is Fault.GARBAGE_PREFIX:
            return self._garbage() + correct
        if inj.fault is Fault.BAD_CHECKSUM:
            return correct[:-1] + bytes([correct[-1] ^ 0x5A])
        if inj.fault is Fault.TRUNCATED:
            return correct[: max(len(PREAMBLE) + 3, len(correct) // 2)]
        if inj.fault is Fault.BAD_LEN_FIELD:
            return PREAMBLE + b"\xff\xff" + correct[7:]
        if inj.fault is Fault.STATUS:
            return encode_response(inj.status)
        # WRONG_LENGTH: keep SW, change the data length, valid checksum
        body = correct[7:-1]
        data = body[3:]
        return encode_frame(body[:3] + (data[: len(data) // 2] if data else bytes(5)))

    def _garbage(self) -> bytes:
        junk = bytearray(self._rng.randbytes(self._rng.randint(8, 48)))
        return bytes(b if b != PREAMBLE[0] else 0x55 for b in junk)

    def _write(self, fd: int, data: bytes) -> None:
        deadline = time.monotonic() + 1.0
        view = memoryview(data)
        while view and time.monotonic() < deadline:
            try:
                n = os.write(fd, view)
                view = view[n:]
            except BlockingIOError:
                select.select([], [fd], [], 0.05)
            except OSError:
                return
