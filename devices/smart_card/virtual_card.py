"""A virtual social security card: the card's side of the APDU exchange, plus a vpcd socket client.

``VirtualSsseCard`` answers SELECT / READ RECORD / GET RESPONSE from a ``CardProfile`` (a fake
person whose ID number carries a correct GB 11643 check character) and parses commands with the
same ``Command.parse`` the reader uses. ``VpcdCard`` puts it into a Debian ``vsmartcard-vpcd``
reader of a running pcscd: it connects to 127.0.0.1:35963 (reader ``Virtual PCD 00 00``; 35964 is
``00 01``), then speaks vpcd's protocol: 2-byte big-endian length + message; a 1-byte message is a
control code (0 power off, 1 power on, 2 reset, 4 get ATR), anything longer is an APDU.
Insert = connect, remove = disconnect. The in-process ``simulator`` backend uses the card directly.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum

from devices.id_card.id_number import with_check_digit
from devices.smart_card.apdu import INS_GET_RESPONSE, INS_READ_RECORD, INS_SELECT, INS_VERIFY, Command
from devices.smart_card.ssse import EF05, EF06, SFI, SSSE_AID

log = logging.getLogger("kiosk.devices.smart_card.virtual")

VPCD_PORT = 35963  # reader "Virtual PCD 00 00"; port + 1 is "Virtual PCD 00 01"
_HISTORICAL = b"KIOSK-SSSE"


def make_atr(*, t1: bool, historical: bytes = _HISTORICAL) -> bytes:
    """A minimal ATR offering T=0 only, or T=1 only (with its TCK)."""
    if not t1:
        return bytes((0x3B, len(historical))) + historical
    body = bytes((0x80 | len(historical), 0x01)) + historical
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes((tck,))


ATR_T0 = make_atr(t1=False)
ATR_T1 = make_atr(t1=True)


class Quirk(StrEnum):
    """Misbehaviours for tests of the reader's error paths."""

    NONE = "none"
    SHORT_ANSWER = "short-answer"  # READ RECORD answered with one byte
    BAD_TLV = "bad-tlv"  # record length byte larger than the data
    WRONG_TAG = "wrong-tag"  # every record comes back with tag 55
    BAD_NAME = "bad-name"  # name bytes that are not GBK
    ENDLESS_61 = "endless-61"  # GET RESPONSE always says "61 10"
    UNKNOWN_SW = "unknown-sw"  # READ RECORD answers 6F00
    MUTE = "mute"  # answers the ATR, never an APDU


@dataclass(frozen=True, slots=True)
class Person:
    """A fake card holder. Dates are YYYYMMDD; the ID number's check character is computed."""

    name: str = "张三"
    id_number: str = with_check_digit("11010519900307123")
    sex: str = "1"
    nation: str = "01"
    birth_date: str = "19900307"
    card_number: str = "TEST00001"
    issue_date: str = "20200101"
    expiry_date: str = "20300101"
    region: str = "110105"


@dataclass(frozen=True, slots=True)
class CardProfile:
    """How the virtual card behaves. ``t0`` answers like a T=0 card (61xx, 6Cxx, chunked GET RESPONSE)."""

    person: Person = field(default_factory=Person)
    t0: bool = False
    has_ssse: bool = True
    record_numbering: str = "tag"  # "tag": P1 is the tag (P2 04 or 00); "index": P1 is the position
    ef_select_p1: frozenset[int] = frozenset({0x00, 0x02})
    pin_files: frozenset[int] = frozenset()  # READ RECORD there answers 6982
    get_response_chunk: int = 256
    quirk: Quirk = Quirk.NONE

    @property
    def atr(self) -> bytes:
        return ATR_T0 if self.t0 else ATR_T1

    def records(self) -> dict[int, list[tuple[int, bytes]]]:
        p = self.person
        name = p.name.encode("gbk") if self.quirk != Quirk.BAD_NAME else b"\x81\x20\xff\x80"
        return {
            EF05: [
                (0x01, bytes.fromhex(p.region + "D156000005" + "0000000000000001")),
                (0x02, b"3"),
                (0x03, b"3.00"),
                (0x04, p.region.encode("ascii").ljust(12, b"0")),
                (0x05, bytes.fromhex(p.issue_date)),
                (0x06, bytes.fromhex(p.expiry_date)),
                (0x07, p.card_number.encode("ascii")),
            ],
            EF06: [
                (0x08, p.id_number.encode("ascii")),
                (0x09, name.ljust(30, b"\x00")),
                (0x0A, p.sex.encode("ascii")),
                (0x0B, bytes.fromhex(p.nation)),
                (0x0C, bytes.fromhex(p.region)),
                (0x0D, bytes.fromhex(p.birth_date)),
            ],
        }


def _sw(sw: int, data: bytes = b"") -> bytes:
    return data + sw.to_bytes(2, "big")


class VirtualSsseCard:
    """The card logic. ``commands`` keeps every APDU received (our own commands, no card data)."""

    def __init__(self, profile: CardProfile | None = None) -> None:
        self.profile = profile or CardProfile()
        self._records = self.profile.records()
        self.commands: list[bytes] = []
        self._lock = threading.Lock()
        self._df: str = "MF"
        self._ef: int | None = None
        self._pending = b""

    @property
    def atr(self) -> bytes:
        return self.profile.atr

    @property
    def verify_count(self) -> int:
        return sum(1 for c in self.commands if len(c) > 1 and c[1] == INS_VERIFY)

    def reset(self) -> None:
        """Power on, power off and warm reset all clear the selection."""
        with self._lock:
            self._df, self._ef, self._pending = "MF", None, b""

    def process(self, apdu: bytes) -> bytes | None:
        """The response APDU, or None when the card stays silent (Quirk.MUTE)."""
        with self._lock:
            self.commands.append(bytes(apdu))
            if self.profile.quirk == Quirk.MUTE:
                return None
            try:
                cmd = Command.parse(apdu)
            except ValueError:
                return _sw(0x6700)
            if cmd.cla != 0x00:
                return _sw(0x6E00)
            if cmd.ins != INS_GET_RESPONSE:
                self._pending = b""
            handler = {
                INS_SELECT: self._select,
                INS_READ_RECORD: self._read_record,
                INS_GET_RESPONSE: self._get_response,
                INS_VERIFY: lambda _c: _sw(0x6983),  # a kiosk must never get here
            }.get(cmd.ins)
            return handler(cmd) if handler else _sw(0x6D00)

    def _answer(self, data: bytes) -> bytes:
        if self.profile.t0 and data:
            self._pending = data
            return _sw(0x6100 | (len(data) & 0xFF))
        return _sw(0x9000, data)

    def _select(self, cmd: Command) -> bytes:
        if cmd.p1 == 0x04:
            if cmd.data != SSSE_AID or not self.profile.has_ssse:
                return _sw(0x6A82)
            self._df, self._ef = "SSSE", None
            fci = b"\x84" + bytes((len(SSSE_AID),)) + SSSE_AID
            return self._answer(b"\x6f" + bytes((len(fci),)) + fci)
        if cmd.p1 in (0x00, 0x02) and len(cmd.data) == 2:
            if cmd.p1 not in self.profile.ef_select_p1:
                return _sw(0x6A86)
            fid = int.from_bytes(cmd.data, "big")
            if self._df != "SSSE" or fid not in self._records:
                return _sw(0x6A82)
            self._ef = fid
            return _sw(0x9000)
        return _sw(0x6A86)

    def _read_record(self, cmd: Command) -> bytes:
        sfi = cmd.p2 >> 3
        if sfi:
            fid = next((f for f, s in SFI.items() if s == sfi), None)
            if self._df != "SSSE" or fid is None:
                return _sw(0x6A82)
        elif self._ef is None:
            return _sw(0x6986)
        else:
            fid = self._ef
        if fid in self.profile.pin_files:
            return _sw(0x6982)
        if self.profile.quirk == Quirk.UNKNOWN_SW:
            return _sw(0x6F00)
        records = self._records[fid]
        mode = cmd.p2 & 0x07
        found: tuple[int, bytes] | None = None
        if mode == 0x04 and self.profile.record_numbering == "index":
            found = records[cmd.p1 - 1] if 1 <= cmd.p1 <= len(records) else None
        elif mode in (0x00, 0x04) and self.profile.record_numbering == "tag":
            found = next((r for r in records if r[0] == cmd.p1), None)
        else:
            return _sw(0x6A86)
        if found is None:
            return _sw(0x6A83)
        tag, value = found
        if self.profile.quirk == Quirk.SHORT_ANSWER:
            return b"\x90"
        if self.profile.quirk == Quirk.WRONG_TAG:
            tag = 0x55
        length = len(value) + 40 if self.profile.quirk == Quirk.BAD_TLV else len(value)
        record = bytes((tag, length & 0xFF)) + value
        le = cmd.le or 256
        if le != len(record) and (self.profile.t0 or le < len(record)):
            return _sw(0x6C00 | (len(record) & 0xFF))
        return _sw(0x9000, record)

    def _get_response(self, cmd: Command) -> bytes:
        if self.profile.quirk == Quirk.ENDLESS_61:
            return _sw(0x6110, b"\xaa" * 16)
        if not self._pending:
            return _sw(0x6985)
        le = cmd.le or 256
        if le > len(self._pending):
            return _sw(0x6C00 | (len(self._pending) & 0xFF))
        chunk = self._pending[: min(le, self.profile.get_response_chunk)]
        self._pending = self._pending[len(chunk) :]
        return _sw(0x6100 | (len(self._pending) & 0xFF), chunk) if self._pending else _sw(0x9000, chunk)


def _quick_ack(sock: socket.socket) -> None:
    """ACK at once: vpcd writes the length and the APDU separately, and Nagle + delayed ACK would add 40 ms."""
    quickack = getattr(socket, "TCP_QUICKACK", None)  # Linux only
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


class VpcdCard:
    """Inserts a VirtualSsseCard into a vpcd reader of a running pcscd (a real TCP client)."""

    def __init__(self, card: VirtualSsseCard, *, host: str = "127.0.0.1", port: int = VPCD_PORT) -> None:
        self.card = card
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self.removed = threading.Event()  # set when the connection ends, by us or by pcscd
        self.atr_requests = 0

    @property
    def inserted(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def insert(self, timeout: float = 5.0) -> VpcdCard:
        """Connect to vpcd (retrying while pcscd is starting); raises OSError after ``timeout``."""
        if self.inserted:
            return self
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)
        sock.settimeout(0.1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _quick_ack(sock)
        self._sock = sock
        self._closing.clear()
        self.removed.clear()
        self.card.reset()
        self._thread = threading.Thread(target=self._serve, name=f"vpcd-card-{self.port}", daemon=True)
        self._thread.start()
        return self

    def remove(self, timeout: float = 2.0) -> None:
        self._closing.set()
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> VpcdCard:
        return self.insert()

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def _serve(self) -> None:
        sock = self._sock
        buffer = b""
        try:
            while sock is not None and not self._closing.is_set():
                try:
                    chunk = sock.recv(4096)
                except TimeoutError:
                    continue
                _quick_ack(sock)
                if not chunk:
                    break
                buffer += chunk
                while len(buffer) >= 2:
                    (size,) = struct.unpack(">H", buffer[:2])
                    if len(buffer) < 2 + size:
                        break
                    message, buffer = buffer[2 : 2 + size], buffer[2 + size :]
                    answer = self._handle(message)
                    if answer is not None:
                        sock.sendall(struct.pack(">H", len(answer)) + answer)
        except OSError:
            pass  # pcscd went away, or remove() closed the socket
        finally:
            if sock is not None:
                sock.close()  # idempotent; pcscd may have ended the connection
            self.removed.set()

    def _handle(self, message: bytes) -> bytes | None:
        if len(message) == 1:
            code = message[0]
            if code == 4:
                self.atr_requests += 1
                return self.card.atr
            if code in (0, 1, 2):
                self.card.reset()
            return None
        if not message:
            return None
        return self.card.process(message)
